"""Work spread over worker processes, where that pays.

Starting a worker costs a fraction of a second, so a few items are done in the calling process.
Items go out in chunks and results come back in order, so the result does not depend on the
number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

ITEMS_PER_WORKER = 48
"""Fewest items (texts) worth starting a worker process for."""
CHUNKS_PER_WORKER = 32
"""Chunks each worker gets: small enough that no worker is left alone with a long last chunk (about
a tenth of a second of work at 1,000 texts), large enough to keep messages few."""


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
    chunk = max(1, len(items) // (workers * CHUNKS_PER_WORKER))
    with ProcessPoolExecutor(workers, _start_method(), setup, setup_args) as pool:
        yield from pool.map(task, items, chunksize=chunk)


def _start_method() -> multiprocessing.context.BaseContext:
    """``fork`` is quickest, but forking a process that runs other threads (the preview server) is unsafe."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
