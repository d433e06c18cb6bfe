from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

import pytest

from glossator import cli, heap, incremental

CHURN = textwrap.dedent(
    """
    import resource, sys
    from glossator.heap import keep_freed_memory

    def faults():
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(100):
            pages = [bytes(30_000) for _ in range(40)]  # a text's worth of mid-sized blocks, freed at once
            del pages
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

    faults()
    default = faults()
    assert keep_freed_memory()
    faults()
    print(default, faults())
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc's padding is set on Linux only")
def test_memory_freed_between_texts_is_kept_instead_of_faulted_in_again():
    default, kept = map(
        int, subprocess.run([sys.executable, "-c", CHURN], capture_output=True, check=True, text=True).stdout.split()
    )
    assert default > 1000 and kept < default / 10


def test_without_mallopt_nothing_is_set(monkeypatch):
    monkeypatch.setattr(heap, "_mallopt", lambda: None)
    assert heap.keep_freed_memory() is False


def test_the_command_line_and_the_workers_keep_freed_memory(monkeypatch, tmp_path):
    asked: list[str] = []
    monkeypatch.setattr(cli, "keep_freed_memory", lambda: asked.append("cli"))
    monkeypatch.setattr(incremental, "keep_freed_memory", lambda: asked.append("worker"))
    monkeypatch.setattr(incremental, "_collect_less", gc.get_threshold)  # this process's collector stays as it is
    monkeypatch.setattr(incremental, "_worker", None)
    (tmp_path / "content").mkdir()
    assert cli.main(["check", "--root", str(tmp_path)]) == 0
    incremental._start_worker(incremental.Context(tmp_path, {}, incremental.SiteConfig()), None, False, False)
    assert asked == ["cli", "worker"]
