"""Where a cold build's time goes: each stage of compiling a text, in milliseconds per text, beside the floor's.

Run by hand (never by the test suite), from the repository, on a corpus ``speed.py`` wrote:

    python bench/stages.py                         # the first 300 texts of the N = 1,000 corpus
    python bench/stages.py --texts 1000 --repeat 3

A profiler slows Python code several times more than the system calls and C code beside it, so
its shares mislead where both matter (writing files, libyaml); this times each stage of
:func:`glossator.incremental.compile_text` with the clock instead, in one process, the fastest
of ``--repeat`` rounds, and the floor's stages (``speed.py``) the same way.

The stages are written out here as ``compile_text`` and ``render.render_text`` run them (their
private helpers included); a change to either needs the same change here, or the table drifts
from what a build does. The total is checked against ``speed.py``'s ratio in ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import jinja2  # noqa: E402
from corpus import CORPUS_VERSION  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402
from markupsafe import Markup  # noqa: E402
from mdit_py_plugins.footnote import footnote_plugin  # noqa: E402

from glossator.anchor import anchor_document  # noqa: E402
from glossator.discovery import outline  # noqa: E402
from glossator.document import parse_document  # noqa: E402
from glossator.export import export_annotations  # noqa: E402
from glossator.heap import keep_freed_memory  # noqa: E402
from glossator.highlight import highlight  # noqa: E402
from glossator.incremental import Context, Unit, _collect_less  # noqa: E402
from glossator.load import InputDigest, find_inputs, load_annotations, load_config, load_text, load_theme  # noqa: E402
from glossator.markdown import _note_body, text_parser  # noqa: E402
from glossator.model import KIND_LABELS, KINDS  # noqa: E402
from glossator.render import _counts, _note, _notes, _render, text_page_meta  # noqa: E402
from glossator.write import write_page  # noqa: E402

Stages = dict[str, float]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    work = Path(tempfile.gettempdir()) / "glossator-bench"
    parser.add_argument("--root", type=Path, default=work / f"corpus-{CORPUS_VERSION}-1000-10")
    parser.add_argument("--texts", type=int, default=300, help="texts to compile (the first, by name)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the fastest time of each stage counts")
    args = parser.parse_args()
    if not (args.root / "content").is_dir():
        raise SystemExit(f"no corpus at {args.root}: run bench/speed.py --sizes 1000 first")
    root = args.root.resolve()
    problems: list = []
    context = Context(root, load_theme(root, problems), load_config(root, problems, {}))
    env = context.environment()
    inputs = find_inputs(root, problems)
    folders = {name: files for name, _, files in inputs.annotations}
    units = [Unit(slug, path, folders.get(slug, ())) for slug, path in inputs.texts][: args.texts]
    _collect_less()
    keep_freed_memory()  # as the command line does
    best: Stages = {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as scratch:
            os.sync()
            timed = {**_glossator(context, env, units, Path(scratch)), **_floor(units, Path(scratch))}
            for name, seconds in timed.items():
                best[name] = min(best.get(name, seconds), seconds)
    _print(best, len(units))
    return 0


def _glossator(context: Context, env: jinja2.Environment, units: list[Unit], out: Path) -> Stages:
    """The steps of ``compile_text``, each timed (note bodies apart from the page, whose render they are part of)."""
    stages: Stages = {}
    clock = _Clock(stages)
    md = text_parser()
    group = env.get_template("notes.html")
    kinds = [(kind, KIND_LABELS[kind]) for kind in KINDS]
    _note_body.cache_clear()
    for unit in units:
        sources: dict = {}
        problems: list = []
        digest = InputDigest()
        with clock("read + parse front matter"):
            text = load_text(context.root, unit.slug, unit.path, problems, sources, digest)
        with clock("read + parse annotations (YAML, schema)"):
            notes = load_annotations(context.root, unit.annotation_files, problems, sources, digest)
        with clock("parse Markdown, plain text"):
            document = parse_document(text)
        with clock("anchor quotes"):
            anchors, _ = anchor_document(document, notes)
        with clock("highlights and markers"):
            tokens, markers = highlight(document, anchors)
        with clock("note bodies (Markdown)"):
            shown = {note.id: note for note in _notes(document, anchors, markers)}
        with clock("render text and note groups"):
            groups = {"render_notes": lambda ids, shown=shown: group.render(notes=[shown[i] for i in ids])}
            body = Markup(md.renderer.render(tokens, md.options, groups))
        with clock("page metadata (JSON-LD)"):
            meta = text_page_meta(env.globals["site"], document, anchors)
        with clock("page template"):
            unanchored = [_note(anchor, "") for anchor in anchors if anchor.span is None]
            listed = [*shown.values(), *unanchored]
            path = f"{unit.slug}/index.html"
            counts = _counts(listed)
            page = _render(env, "page.html", path, root="../", text=document.text, body=body, notes=listed,
                           unanchored=unanchored, counts=counts, kinds=kinds, meta=meta)  # fmt: skip
        with clock("W3C export"):
            export = export_annotations(context.config, document, anchors)
        with clock("outline (search, feeds)"):
            outline(document, anchors)
        with clock("write 2 files"):
            write_page(out / "glossator", page)
            write_page(out / "glossator", export)
    return stages


def _floor(units: list[Unit], out: Path) -> Stages:
    """``speed.py``'s floor, each step timed."""
    stages: Stages = {}
    clock = _Clock(stages, "floor: ")
    md = MarkdownIt("commonmark", {"html": False}).use(footnote_plugin).enable(["table", "strikethrough"])
    template = jinja2.Environment(autoescape=True).from_string("<!doctype html><title>{{ title }}</title>{{ body }}")
    for unit in units:
        with clock("read"):
            body = unit.path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        with clock("parse"):
            tokens = md.parse(body)
        with clock("render"):
            html = md.renderer.render(tokens, md.options, {})
        with clock("page template"):
            page = template.render(title=unit.slug, body=Markup(html))
        with clock("write"):
            folder = out / "floor" / unit.slug
            folder.mkdir(parents=True)
            (folder / "index.html").write_text(page, encoding="utf-8")
    return stages


class _Clock:
    """``with clock(stage):`` adds the block's time to the stage's."""

    def __init__(self, stages: Stages, prefix: str = "") -> None:
        self.stages, self.prefix = stages, prefix

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        name = self.prefix + name
        self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - started


def _print(stages: Stages, texts: int) -> None:
    ours = sum(seconds for name, seconds in stages.items() if not name.startswith("floor: "))
    floor = sum(seconds for name, seconds in stages.items() if name.startswith("floor: "))
    print(f"{texts} texts; milliseconds per text, fastest round\n")
    for name, seconds in stages.items():
        print(f"  {name:44} {seconds * 1000 / texts:6.3f}")
    print(f"\n  {'glossator, all stages':44} {ours * 1000 / texts:6.3f}  ({ours / floor:.2f}x the floor)")
    print(f"  {'floor, all stages':44} {floor * 1000 / texts:6.3f}")


if __name__ == "__main__":
    sys.exit(main())
