"""Build speed and memory, as ratios to the floor, for N texts of about 700 words with M notes each.

Run by hand (never by the test suite), from the repository:

    python bench/speed.py                      # N = 100, 1,000 and 10,000 (the last takes minutes)
    python bench/speed.py --sizes 100,1000     # a quicker run
    python bench/speed.py --profile            # also a pyinstrument profile of one cold build

Every measurement runs in a fresh process and times only the work (not Python's start-up or
imports), so that the ratios compare like with like:

- floor: each text rendered by markdown-it-py (the parser glossator uses, same plugins) into a
  one-line Jinja page written to disk, nothing else; the least any Python generator must do;
- cold build: ``glossator build`` from nothing, in one process and with every core;
- rebuilds, as the preview server does them (its state kept in memory): after no change, and
  after one annotation file changed (the first step, that text's pages, is what the browser waits
  for; then the pages about all texts: feeds, search);
- peak memory: the process's maximum resident set (the largest worker's, too, in parallel);
- Pelican, MkDocs and Hugo building the same texts, where installed (their command's whole run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import CORPUS_VERSION, write_corpus  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="numbers of texts, comma-separated")
    parser.add_argument("--max-texts", type=int, default=None, help="skip sizes above this (quick runs)")
    parser.add_argument("--annotations", type=int, default=10, help="annotations per text (default 10)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the parallel build")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "glossator-bench")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest counts")
    parser.add_argument("--profile", action="store_true", help="profile a cold build of the largest N ≤ 1,000")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return _child(args.phase, args.root, args.work, args.jobs)
    sizes = [int(n) for n in args.sizes.split(",") if args.max_texts is None or int(n) <= args.max_texts]
    print(
        f"glossator build speed: {args.annotations} notes per text, {args.jobs} jobs, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}"
    )
    results = {}
    outputs = args.work / "out"
    shutil.rmtree(outputs, ignore_errors=True)  # left by a run that was stopped
    try:
        for size in sizes:
            root = _corpus(args.work, size, args.annotations)
            results[size] = _measure(root, outputs / str(size), args.jobs, args.repeat)
            _print_table(size, args.annotations, results[size])
    finally:
        shutil.rmtree(outputs, ignore_errors=True)  # only now: see _measure
    _print_scaling(results)
    _print_targets(results, args.jobs)
    if args.profile:
        size = max((n for n in sizes if n <= 1000), default=sizes[0])
        _profile(_corpus(args.work, size, args.annotations), args.work / "profile-out")
    return 0


def _corpus(work: Path, size: int, annotations: int) -> Path:
    """The corpus for ``size`` texts, written once and kept between runs."""
    root = work / f"corpus-{CORPUS_VERSION}-{size}-{annotations}"
    if not (root / ".complete").exists():
        shutil.rmtree(root, ignore_errors=True)
        print(f"writing a corpus of {size:,} texts ...", file=sys.stderr)
        write_corpus(root, size, annotations)
        (root / ".complete").write_text("ok\n")
    return root


PHASES = ("floor", "cold-1", "cold-jobs", "rebuilds", "reference", "pelican", "mkdocs", "hugo")


def _measure(root: Path, out: Path, jobs: int, repeat: int) -> dict[str, dict]:
    """The fastest of ``repeat`` runs of each phase; the runs go round the phases in turn, so that a
    change in the machine's speed during the run weighs on every phase alike.

    Each run writes into a folder of its own under ``out``, and nothing is deleted until the whole
    run is over: on ext4, creating files shortly after thousands were deleted costs the kernel a
    search past every recently freed inode (``recently_deleted`` in ``perf``), so deleting one
    phase's output before the next would make the next pay, the more the more files it writes.
    """
    runs: dict[str, list[dict]] = {phase: [] for phase in PHASES}
    count = len(list((root / "content").glob("*.md")))
    for round_ in range(repeat):
        for phase in PHASES:
            if phase == "reference" and count > 1000:
                runs[phase] = [{"skipped": "holds the whole site in memory: several GB at this size"}]
                continue
            runs[phase].append(_run_child(phase, root, out / f"{phase}-{round_}", jobs))
    return {phase: min(found, key=lambda r: r.get("seconds", 0.0)) for phase, found in runs.items()}


def _run_child(phase: str, root: Path, out: Path, jobs: int) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--root", str(root), "--work", str(out), "--jobs", str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return {"skipped": f"failed: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child(phase: str, root: Path, out: Path, jobs: int) -> int:
    """One measurement in this fresh process, writing into ``out`` (a new folder); prints a JSON line."""
    shutil.rmtree(out, ignore_errors=True)  # a folder already there is removed, but see _measure
    os.sync()  # start with no writes of an earlier phase still pending: each phase pays for its own
    result = PHASE_FUNCTIONS[phase](root, out, jobs)
    result.setdefault("peak_mb", _peak_mb(resource.RUSAGE_SELF))
    print(json.dumps(result))
    return 0


def _clock() -> tuple[float, float]:
    """Wall time, and processor time of this process and its finished workers."""
    times = os.times()
    return time.perf_counter(), times.user + times.system + times.children_user + times.children_system


def _since(started: tuple[float, float]) -> dict[str, float]:
    wall, cpu = _clock()
    return {"seconds": wall - started[0], "cpu": cpu - started[1]}


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _floor(root: Path, out: Path, jobs: int) -> dict:
    import jinja2
    from markdown_it import MarkdownIt
    from markupsafe import Markup
    from mdit_py_plugins.footnote import footnote_plugin

    started = _clock()
    md = MarkdownIt("commonmark", {"html": False}).use(footnote_plugin).enable(["table", "strikethrough"])
    page = jinja2.Environment(autoescape=True).from_string("<!doctype html><title>{{ title }}</title>{{ body }}")
    for path in sorted((root / "content").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        folder = out / path.stem
        folder.mkdir(parents=True)
        html = page.render(title=path.stem, body=Markup(md.render(body)))
        (folder / "index.html").write_text(html, encoding="utf-8")
    return _since(started)


def _cold(jobs: int):
    def cold(root: Path, out: Path, _: int) -> dict:
        from glossator.heap import keep_freed_memory
        from glossator.incremental import Site

        keep_freed_memory()  # as the command line does
        started = _clock()
        report = Site(root, jobs, remember=False).build(out)  # as `glossator build` does
        took = _since(started)
        assert report.written and report.ok, report.diagnostics[:3]
        return {**took, "files": report.files, "worker_peak_mb": _peak_mb(resource.RUSAGE_CHILDREN)}

    return cold


def _cold_jobs(root: Path, out: Path, jobs: int) -> dict:
    return _cold(jobs)(root, out, jobs)


def _rebuilds(root: Path, out: Path, jobs: int) -> dict:
    """What the preview server does after a save (its first build is not timed)."""
    from glossator.heap import keep_freed_memory
    from glossator.incremental import Site

    keep_freed_memory()  # as the command line does
    site = Site(root, jobs)
    site.build(out)
    started = _clock()
    list(site.update(out))
    nothing = _since(started)
    notes = root / "annotations" / "text-00005" / "notes.yaml"
    original = notes.read_text(encoding="utf-8")
    timings = []
    try:
        for attempt in range(5):
            notes.write_text(original.replace("explains", f"explains ({attempt})", 1), encoding="utf-8")
            started = time.perf_counter()
            steps = site.update(out, {notes})
            first = next(steps)
            page = time.perf_counter() - started
            list(steps)
            timings.append((page, time.perf_counter() - started, first.changed))
    finally:
        notes.write_text(original, encoding="utf-8")
    page, everything, changed = min(timings)
    return {**nothing, "page": page, "all": everything, "changed": list(changed)}


def _reference(root: Path, out: Path, jobs: int) -> dict:
    from glossator.build import build

    started = _clock()
    result = build(root, out)
    return {**_since(started), "files": len(result.pages)}


def _pelican(root: Path, out: Path, jobs: int) -> dict:
    if shutil.which("pelican") is None:
        return {"skipped": "not installed"}
    source = out.parent / f"{out.name}-pelican-src"
    shutil.rmtree(source, ignore_errors=True)
    (source / "content").mkdir(parents=True)
    for path in sorted((root / "content").glob("*.md")):
        head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        title = head.split("title:", 1)[1].split("\n", 1)[0].strip().strip('"')
        (source / "content" / path.name).write_text(f"Title: {title}\nDate: 2024-01-01\n\n{body}", encoding="utf-8")
    (source / "pelicanconf.py").write_text("SITENAME = 'bench'\nTIMEZONE = 'UTC'\nMARKDOWN = {}\n", encoding="utf-8")
    return _external(["pelican", str(source / "content"), "-o", str(out), "-s", str(source / "pelicanconf.py"), "-q"])


def _mkdocs(root: Path, out: Path, jobs: int) -> dict:
    if shutil.which("mkdocs") is None:
        return {"skipped": "not installed"}
    source = out.parent / f"{out.name}-mkdocs-src"
    shutil.rmtree(source, ignore_errors=True)
    (source / "docs").mkdir(parents=True)
    for path in sorted((root / "content").glob("*.md")):
        (source / "docs" / path.name).write_text(path.read_text(encoding="utf-8").split("\n---\n", 1)[1])
    (source / "mkdocs.yml").write_text(f"site_name: bench\nsite_dir: {out}\nmarkdown_extensions: [footnotes]\n")
    return _external(["mkdocs", "build", "-q", "-f", str(source / "mkdocs.yml")])


def _hugo(root: Path, out: Path, jobs: int) -> dict:
    if shutil.which("hugo") is None:
        return {"skipped": "not installed"}
    source = out.parent / f"{out.name}-hugo-src"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(root / "content", source / "content")
    (source / "hugo.toml").write_text("title = 'bench'\n", encoding="utf-8")
    return _external(["hugo", "--quiet", "-s", str(source), "-d", str(out)])


def _external(command: list[str]) -> dict:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return {"skipped": f"failed: {done.stderr.strip()[-200:]}"}
    return {"seconds": seconds, "peak_mb": _peak_mb(resource.RUSAGE_CHILDREN), "note": "whole command"}


PHASE_FUNCTIONS = {
    "floor": _floor,
    "cold-1": _cold(1),
    "cold-jobs": _cold_jobs,
    "rebuilds": _rebuilds,
    "reference": _reference,
    "pelican": _pelican,
    "mkdocs": _mkdocs,
    "hugo": _hugo,
}


def _print_table(size: int, annotations: int, results: dict[str, dict]) -> None:
    floor, cold, rebuild = results["floor"], results["cold-1"], results["rebuilds"]
    if "seconds" not in floor or "seconds" not in cold:
        raise SystemExit(f"the floor or the cold build could not run: {floor.get('skipped')} {cold.get('skipped')}")
    rows = [
        ("floor: markdown-it-py + one-line Jinja page + write", results["floor"]),
        ("glossator cold build, 1 process", cold),
        ("glossator cold build, all cores", results["cold-jobs"]),
        ("no-change rebuild (preview server)", rebuild),
        ("one-annotation rebuild: its page (preview server)", {"seconds": rebuild.get("page")}),
        ("one-annotation rebuild: every file (preview server)", {"seconds": rebuild.get("all")}),
        ("reference: glossator.build.build (all in memory)", results["reference"]),
        ("Pelican", results["pelican"]),
        ("MkDocs", results["mkdocs"]),
        ("Hugo", results["hugo"]),
    ]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nN = {size:,} texts, {size * annotations:,} annotations (load average {load})")
    print(f"{'':52} {'wall s':>8} {'x floor':>8} {'cpu s':>8} {'x floor':>8} {'peak MB':>8}")
    for label, result in rows:
        if "skipped" in result or result.get("seconds") is None:
            print(f"{label:52} {'-':>8}   {result.get('skipped', '')}")
            continue
        wall, cpu = result["seconds"], result.get("cpu")
        line = f"{label:52} {wall:8.3f} {wall / floor['seconds']:8.2f}"
        line += f" {cpu:8.3f} {cpu / floor['cpu']:8.2f}" if cpu is not None else f" {'':8} {'':8}"
        if result.get("peak_mb") and result is not rebuild:
            line += f" {result['peak_mb']:8.0f}"
        if result.get("worker_peak_mb") and result is results["cold-jobs"]:
            line += f" (largest worker {result['worker_peak_mb']:.0f})"
        print(line)


def _print_scaling(results: dict[int, dict]) -> None:
    sizes = sorted(results)
    for small, large in pairwise(sizes):
        for phase in ("floor", "cold-1", "cold-jobs"):
            wall = results[large][phase]["seconds"] / results[small][phase]["seconds"]
            cpu = results[large][phase]["cpu"] / results[small][phase]["cpu"]
            print(f"{phase}: {large // small}x the texts took {wall:.1f}x the wall time, {cpu:.1f}x the processor time")


def _print_targets(results: dict[int, dict], jobs: int) -> None:
    """Each target, measured on the wall clock and, where it means something, in processor time (the verdict)."""
    print("\ntargets: wall clock ; processor time, which programs running at the same time do not inflate")
    checks = []
    if 1000 in results:
        r = results[1000]
        floor, cold = r["floor"], r["cold-1"]
        checks.append(("cold N=1,000, 1 process <= 1.5x floor", _ratios(cold, floor), 1.5))
        both = r["cold-jobs"]["seconds"] / floor["seconds"]
        checks.append((f"cold N=1,000, {jobs} processes < floor (wall)", (both,), 1.0))
        checks.append(("no-change rebuild <= 10% of cold", _ratios(r["rebuilds"], cold), 0.10))
        checks.append(("one-annotation rebuild N=1,000 < 50 ms (its page)", (r["rebuilds"]["page"] * 1000,), 50))
    sizes = sorted(results)
    for small, large in pairwise(sizes):
        limit = large / small * 1.1
        label = f"{large // small}x texts ({small:,} -> {large:,}) <= {limit:.0f}x time"
        checks.append((label, _ratios(results[large]["cold-1"], results[small]["cold-1"]), limit))
    if 10000 in results:
        checks.append(("peak memory N=10,000 < 300 MB", (results[10000]["cold-1"]["peak_mb"],), 300))
    for label, values, limit in checks:
        verdict = "met   " if values[-1] <= limit else "MISSED"
        print(f"  {verdict}  {label}: {' ; '.join(f'{value:.3g}' for value in values)}")


def _ratios(result: dict, base: dict) -> tuple[float, ...]:
    return (result["seconds"] / base["seconds"], result["cpu"] / base["cpu"])


def _profile(root: Path, out: Path) -> None:
    """Where a cold single-process build spends its time (pyinstrument, if installed)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is not installed: pip install pyinstrument", file=sys.stderr)
        return
    from glossator.heap import keep_freed_memory
    from glossator.incremental import Site

    shutil.rmtree(out, ignore_errors=True)
    keep_freed_memory()  # as the command line does
    profiler = Profiler(interval=0.002)
    profiler.start()
    Site(root, 1, remember=False).build(out)  # as `glossator build` does
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    sys.exit(main())
