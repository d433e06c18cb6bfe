from __future__ import annotations

import os

import pytest

from glossator import parallel
from glossator.parallel import FEWEST_PER_CHUNK, chunks, in_background, in_processes, workers_for

_setup_seen: list[str] = []


def _remember(word: str) -> None:
    _setup_seen.append(word)


def _tagged(number: int) -> tuple[int, int, str]:
    """The item, the process that took it, and what that process was set up with."""
    return number, os.getpid(), "".join(_setup_seen)


@pytest.mark.parametrize(("items", "workers"), [(1, 1), (2, 2), (3, 2), (5, 2), (7, 3), (100, 2), (1000, 2), (9999, 4)])
def test_chunks_cover_every_item_once_in_order_and_leave_no_worker_without_one(items, workers):
    cuts = chunks(items, workers)
    assert [i for cut in cuts for i in cut] == list(range(items))
    assert len(cuts) >= min(items, workers)


def test_chunks_shrink_towards_the_end_so_that_no_worker_is_left_alone_with_a_long_one():
    sizes = [len(cut) for cut in chunks(1000, 2)]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] >= 100 and max(sizes[-3:]) <= FEWEST_PER_CHUNK
    assert len(sizes) < 1000 // FEWEST_PER_CHUNK // 4  # few messages all the same


def test_workers_are_as_many_as_the_items_pay_for():
    assert workers_for(10, 2) == 0
    assert workers_for(parallel.ITEMS_PER_WORKER * 2, 4) == 2
    assert workers_for(1000, 2) == 2
    assert workers_for(100, 4, per_worker=50) == 2


def test_results_come_back_in_order_from_workers_each_set_up_once():
    results = list(in_processes(_tagged, range(40), 2, _remember, ("ready",)))
    assert [number for number, _, _ in results] == list(range(40))
    assert {setup for _, _, setup in results} == {"ready"}
    assert os.getpid() not in {pid for _, pid, _ in results} and not _setup_seen


def test_a_task_in_the_background_runs_in_a_worker_set_up_for_it_while_the_caller_goes_on():
    with in_background(_tagged, 7, _remember, ("set",)) as result:
        here = _tagged(8)
        number, pid, setup = result()
    assert (number, setup) == (7, "set") and pid != os.getpid()
    assert here == (8, os.getpid(), "")
