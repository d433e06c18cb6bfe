"""Measure each hostile input of :mod:`hostile` at full scale: time, peak memory and outcome.

    python -m tests.security.measure_limits [NAME ...]

Each attack runs in a child process (so its peak memory is its own) with a time limit, and is
reported as the first diagnostic's code, or "built N files". The figures go into docs/security.md.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from glossator.build import render
from tests.security.hostile import ATTACKS

LIMIT = 600
"""Seconds an attack may take before it counts as a failure."""


def _run(name: str, queue) -> None:
    builder, scale, _ = ATTACKS[name]
    with tempfile.TemporaryDirectory() as folder:
        root = builder(Path(folder), scale)
        start = time.perf_counter()
        result = render(root)
        elapsed = time.perf_counter() - start
    codes = Counter(d.code for d in result.diagnostics)
    outcome = ", ".join(f"{code} x{count:,}" if count > 1 else code for code, count in codes.most_common(3))
    if result.pages:
        outcome = f"built {len(result.pages)} files ({sum(len(p.content) for p in result.pages) / 1e6:.1f} MB)" + (
            f"; {outcome}" if outcome else ""
        )
    queue.put((elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, outcome))


def measure(name: str) -> str:
    _, scale, unit = ATTACKS[name]
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_run, args=(name, queue))
    child.start()
    child.join(LIMIT)
    if child.is_alive():
        child.kill()
        return f"| {name} | {scale:,} {unit} | > {LIMIT} s | | TIMED OUT |"
    if child.exitcode:
        return f"| {name} | {scale:,} {unit} | | | CRASHED (exit {child.exitcode}) |"
    elapsed, memory, outcome = queue.get()
    return f"| {name} | {scale:,} {unit} | {elapsed:.1f} s | {memory:.0f} MB | {outcome} |"


def main(names: list[str]) -> None:
    print("| attack | scale | time | peak memory | outcome |")
    print("| --- | --- | --- | --- | --- |")
    for name in names or ATTACKS:
        print(measure(name), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
