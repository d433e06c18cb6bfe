"""Work spread over worker processes, where that pays.

Starting a worker costs a fraction of a second, so a few items are done in the calling process.
Items go out in chunks and results come back in order, so the result does not depend on the
number of workers. Each chunk is a share of the items not yet sent (guided scheduling): few
messages at first, and chunks small enough at the end that no worker is left alone with a long one.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import repeat
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

ITEMS_PER_WORKER = 48
"""Fewest items (texts) worth starting a worker process for."""
SHARES_PER_WORKER = 4
"""A chunk is the items not yet sent divided by this many per worker."""
FEWEST_PER_CHUNK = 4
"""The smallest chunk (but the last) where there are enough items: four texts take about 25 ms to compile."""


def default_jobs() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def workers_for(items: int, jobs: int, per_worker: int | None = None) -> int:
    """How many worker processes ``items`` are worth, at most ``jobs``, if each needs ``per_worker`` of them
    (:data:`ITEMS_PER_WORKER` unless given) to pay for its start; 0 or 1 means none."""
    return min(jobs, items // (ITEMS_PER_WORKER if per_worker is None else per_worker))


def in_processes(
    task: Callable[[Item], Result], items: Sequence[Item], workers: int, setup: Callable[..., None], setup_args: tuple
) -> Iterator[Result]:
    """``task(item)`` for each item, in order, in ``workers`` processes each prepared by ``setup(*setup_args)``."""
    parts = [items[cut.start : cut.stop] for cut in chunks(len(items), workers)]
    with ProcessPoolExecutor(workers, _start_method(), setup, setup_args) as pool:
        for results in pool.map(_each, repeat(task), parts):
            yield from results


@contextmanager
def in_background(
    task: Callable[[Item], Result], item: Item, setup: Callable[..., None], setup_args: tuple
) -> Iterator[Callable[[], Result]]:
    """``task(item)`` in a worker process prepared by ``setup(*setup_args)``, while the caller does other
    work inside the ``with`` block: gives a function that waits for the result (leaving the block waits too)."""
    with ProcessPoolExecutor(1, _start_method(), setup, setup_args) as pool:
        yield pool.submit(task, item).result


def chunks(items: int, workers: int) -> list[range]:
    """How ``items`` are cut into chunks, in order: each is a share of those left, and at least
    :data:`FEWEST_PER_CHUNK` long unless that would leave a worker without one."""
    fewest = max(1, min(FEWEST_PER_CHUNK, items // workers))
    cuts: list[range] = []
    start = 0
    while start < items:
        size = max(fewest, (items - start) // (workers * SHARES_PER_WORKER))
        cuts.append(range(start, min(items, start + size)))
        start += size
    return cuts


def _each(task: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    return [task(item) for item in items]


def _start_method() -> multiprocessing.context.BaseContext:
    """``fork`` is quickest, but forking a process that runs other threads (the preview server) is unsafe."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
