"""Builds that do only the work a change needs: texts compiled apart, in parallel, and remembered.

A text's own files depend on nothing but the text, its annotations, the theme's templates and
the site configuration (:func:`glossator.render.render_text_pages`), so a text is a unit of
work: it is compiled (read, parsed, anchored, rendered) in one go, in any process, and the result
is kept with the signature of its files. The pages about all texts (index, feeds, search) are
then rendered from each text's outline (:func:`glossator.discovery.outline`). The output is the
same, byte for byte, as :func:`glossator.build.render`'s, and so are the problems reported.

A build streams: each text's pages go to disk as soon as they are rendered and only its compact
outline stays in memory; the pages about all texts are then rendered and written one at a time.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from glossator.anchor import anchor_document
from glossator.build import has_errors
from glossator.describe import Outline
from glossator.diagnostics import sort_key
from glossator.discovery import outline
from glossator.document import parse_document
from glossator.heap import keep_freed_memory
from glossator.load import (
    CONFIG_FILE,
    PACKAGE_THEME,
    InputDigest,
    Inputs,
    annotation_files,
    content_digest,
    find_inputs,
    load_annotations,
    load_config,
    load_text,
    load_theme,
    unknown_texts,
)
from glossator.model import Diagnostic, Page, PiecedPage, SiteConfig
from glossator.parallel import in_background, in_processes, workers_for
from glossator.render import (
    SITE_PARTS,
    RenderError,
    render_index_page,
    render_site_pages,
    render_site_part,
    render_text_pages,
    template_environment,
)
from glossator.write import staged_site, update_site, write_page

SITE_TEXTS_PER_WORKER = 50
"""Fewest texts per process for which making the pages about all texts in two pays (measured on the
benchmark's corpus: the same for 50 texts, 12 ms faster for 100, 17 for 200)."""
_SETTINGS, _NOTHING, _EVERYTHING = "<settings>", "<nothing>", "<everything>"
"""What a changed file can affect besides one text (no slug has ``<``)."""
PACKAGE_THEME_PATH = Path(str(PACKAGE_THEME)).resolve()
"""The built-in theme's folder, which the preview also watches."""


@dataclass(frozen=True)
class Unit:
    """One text's input files: the unit of work."""

    slug: str
    """The text's slug."""
    path: Path
    """Its Markdown file."""
    annotation_files: tuple[Path, ...]
    """Its annotation files (``annotations/<slug>/*.yaml``), by name."""

    @property
    def files(self) -> tuple[Path, ...]:
        """All its input files."""
        return (self.path, *self.annotation_files)


@dataclass(frozen=True)
class Context:
    """What every text's files depend on besides its own inputs."""

    root: Path
    """The project folder, resolved."""
    theme: dict[str, bytes]
    """Templates and static files."""
    config: SiteConfig
    """Site settings."""

    @property
    def key(self) -> str:
        """Changes exactly when a text's files could: templates or configuration (not static files)."""
        digest = hashlib.blake2b(repr(self.config).encode(), digest_size=16)
        for name, data in sorted(self.theme.items()):
            if name.endswith(".html"):
                digest.update(f"\0{name}\0{len(data)}\0".encode() + data)
        return digest.hexdigest()

    def environment(self) -> jinja2.Environment:
        """The Jinja environment the pages are rendered with."""
        return template_environment(self.theme, self.config)


@dataclass(frozen=True)
class Compiled:
    """One text, compiled: what the rest of the build needs of it."""

    slug: str
    """The text's slug."""
    outline: Outline | None
    """What the pages about all texts use of it; None if it did not load."""
    load_problems: tuple[Diagnostic, ...]
    """Problems reading and validating its files."""
    anchor_problems: tuple[Diagnostic, ...]
    """Quotes that could not be anchored."""
    render_problem: Diagnostic | None
    """A template that failed on it."""
    digests: dict[str, str]
    """Its output files: path to content digest ("" if not remembered)."""
    pages: tuple[Page, ...]
    """Its output files, until they are written (then empty)."""
    source_lines: dict[str, tuple[str, ...]]
    """The lines of those of its files that problems point at."""
    inputs: str
    """Digest of the bytes of its input files it was compiled from ("" if it could not be made), compared with
    :func:`glossator.load.content_digest` to tell whether a file whose date changed really did."""
    signature: tuple
    """Size, date and inode of its input files, taken before they were read (:func:`_signature`)."""

    @property
    def index_entry(self) -> tuple | None:
        """What the index shows of it (front matter, notes per kind): the index changes only with these."""
        return None if self.outline is None else (self.outline.meta, self.outline.counts)


@dataclass(frozen=True)
class Report:
    """What a build or check found and did."""

    diagnostics: tuple[Diagnostic, ...]
    """Every problem, sorted by place."""
    source_lines: dict[str, tuple[str, ...]]
    """Lines of the files the problems point at, to show them in context."""
    texts: int
    """Texts that loaded."""
    annotations: int
    """Their annotations."""
    written: bool
    """The output was updated; False means it was left exactly as it was."""
    changed: tuple[str, ...] = ()
    """Output files written or removed by this build, or that would be."""
    files: int = 0
    """Files in the output."""

    @property
    def ok(self) -> bool:
        """True when nothing is an error."""
        return not has_errors(self.diagnostics)


def compile_text(context: Context, env: jinja2.Environment, unit: Unit, remember: bool = True) -> Compiled:
    """Read, parse, anchor and render one text: the whole pipeline, for one unit of work.

    ``remember``: take a digest of each of its files (for a later update to compare with), or leave it "".
    """
    signature = _signature(unit)
    inputs = InputDigest()
    problems: list[Diagnostic] = []
    sources: dict[str, tuple[str, ...]] = {}
    text = load_text(context.root, unit.slug, unit.path, problems, sources, inputs)
    if text is None:
        # its annotation files were not read: no digest, so it counts as changed whenever its files' dates do
        return Compiled(unit.slug, None, tuple(problems), (), None, {}, (), _cited(sources, problems), "", signature)
    annotations = load_annotations(context.root, unit.annotation_files, problems, sources, inputs)
    document = parse_document(text)
    anchors, lost = anchor_document(document, annotations)
    pages: list[Page] = []
    failed = None
    try:
        pages = render_text_pages(env, context.config, document, anchors)
    except RenderError as error:
        failed = error.diagnostic
    return Compiled(
        slug=unit.slug,
        outline=outline(document, anchors),
        load_problems=tuple(problems),
        anchor_problems=tuple(lost),
        render_problem=failed,
        digests={page.path: digest(page) if remember else "" for page in pages},
        pages=tuple(pages),
        source_lines=_cited(sources, [*problems, *lost]),
        inputs=inputs.hexdigest(),
        signature=signature,
    )


def digest(page: Page | PiecedPage) -> str:
    """A file's content digest, to tell which outputs changed."""
    hashed = hashlib.blake2b(digest_size=16)
    for piece in page.pieces:
        hashed.update(piece)
    return hashed.hexdigest()


def _cited(sources: Mapping[str, tuple[str, ...]], problems: Iterable[Diagnostic]) -> dict[str, tuple[str, ...]]:
    paths = {place.path for d in problems for place in (d.location, *(r.location for r in d.related))}
    return {path: lines for path, lines in sources.items() if path in paths}


class Site:
    """A project's build state, kept between builds so the next one compiles only what changed."""

    def __init__(self, root: Path, jobs: int = 1, remember: bool = True) -> None:
        self.root = root.resolve()
        """The project folder."""
        self.jobs = jobs
        """Processes to compile texts with (more are used only where they pay)."""
        self.remember = remember
        """Whether to keep a digest of every file written, so that an update rewrites only the files that
        changed (a one-shot build, which has no update, saves the time: without them, an update rewrites all)."""
        self._context: Context | None = None
        self._env: jinja2.Environment | None = None
        self._context_problems: list[Diagnostic] = []
        self._context_sources: dict[str, tuple[str, ...]] = {}
        self._inputs = Inputs((), ())
        self._input_problems: list[Diagnostic] = []
        self._units: dict[str, Unit] = {}
        self._signatures: dict[str, tuple] = {}
        self._compiled: dict[str, Compiled] = {}
        self._served: dict[str, str] = {}
        self._text_files: set[str] = set()
        self._index_entries: tuple = ()
        self._stale_site_pages = True

    def build(self, out: Path) -> Report:
        """Build everything into a fresh folder and swap it in; a failed build leaves ``out`` untouched."""
        self._compiled.clear()
        site: dict[str, str] = {}
        with staged_site(out) as staging:
            self._load_context()
            self._list_inputs()
            self._compile(self._stale_units(None), staging=staging.folder)
            report = self._finish()
            if report.written:
                try:
                    site = self._write_site_pages(staging.folder)
                except RenderError as error:
                    report = self._failed(report, error.diagnostic)
            if not report.written:
                staging.abandon()
                return report
        self._served = {path: d for c in self._compiled.values() for path, d in c.digests.items()}
        self._text_files = set(self._served)
        self._served.update(site)
        self._index_entries = self._entries()
        self._stale_site_pages = False
        return replace(report, changed=tuple(sorted(self._served)), files=len(self._served))

    def check(self) -> Report:
        """Compile everything and write nothing."""
        self._load_context()
        self._list_inputs()
        self._compile(self._stale_units(None), keep_pages=False)
        report = self._finish()
        site = 0
        if report.written:
            try:
                site = sum(1 for _ in self._site_pages())
            except RenderError as error:
                report = self._failed(report, error.diagnostic)
        return replace(report, files=sum(len(c.digests) for c in self._compiled.values()) + site)

    def update(self, out: Path, changed: Collection[Path] | None = None) -> Iterator[Report]:
        """Bring a site this object built up to date in place, in two steps, writing only changed files.

        First the pages of the texts whose files changed, the index if what it lists changed, and
        the static files; then the pages about all texts (feeds, search). A caller with newer
        changes to handle may stop after the first step: the next update does the second.
        ``changed`` names the files saved since the last update, when the caller knows them
        exactly: then only those files' texts are looked at, not the whole project.
        """
        self._compile(self._stale_units(self._rescan(changed)), keep_pages=True)
        report = self._finish()
        if not report.written:
            yield report
            return
        pages = [page for compiled in self._compiled.values() for page in compiled.pages]
        for slug, compiled in self._compiled.items():
            if compiled.pages:
                self._compiled[slug] = replace(compiled, pages=())
        entries = self._entries()
        if entries != self._index_entries:
            try:
                pages.append(self._index_page())
            except RenderError as error:
                yield self._failed(report, error.diagnostic)
                return
            self._index_entries = entries
        pages += self._assets()
        current = {path for c in self._compiled.values() for path in c.digests}
        written = self._write(out, [page for page in pages if self._changed(page)], sorted(self._text_files - current))
        self._text_files = current
        yield replace(report, changed=written, files=len(self._served))
        if not self._stale_site_pages:
            return
        produced, fresh = set(current), []
        try:
            for page in self._site_pages():
                produced.add(page.path)
                if self._changed(page):
                    fresh.append(page)
                del page  # kept only if it changed
        except RenderError as error:
            yield self._failed(report, error.diagnostic)
            return
        written = self._write(out, fresh, [path for path in self._served if path not in produced])
        self._stale_site_pages = False
        yield replace(report, changed=written, files=len(self._served))

    def _load_context(self) -> None:
        """Load what every text depends on (theme, configuration); forget every text if that changed."""
        problems: list[Diagnostic] = []
        sources: dict[str, tuple[str, ...]] = {}
        context = Context(self.root, load_theme(self.root, problems), load_config(self.root, problems, sources))
        if self._context is None or context.key != self._context.key:
            self._compiled.clear()
            self._env = context.environment()
            self._index_entries = ()
            self._stale_site_pages = True
        self._context = context
        self._context_problems = problems
        self._context_sources = _cited(sources, problems)

    def _list_inputs(self) -> None:
        """List every text and annotation file."""
        problems: list[Diagnostic] = []
        self._inputs = find_inputs(self.root, problems)
        self._input_problems = problems
        folders = {name: files for name, _, files in self._inputs.annotations}
        self._units = {slug: Unit(slug, path, folders.get(slug, ())) for slug, path in self._inputs.texts}

    def _rescan(self, changed: Collection[Path] | None) -> set[str] | None:
        """Take in changed files: the slugs of the texts to look at, or None for all of them."""
        if changed is None or self._context is None:
            self._load_context()
            self._list_inputs()
            return None
        owners = {self._owner(path) for path in changed}
        if _SETTINGS in owners:
            self._load_context()
        if _EVERYTHING in owners:
            self._list_inputs()
            return None
        slugs = {owner for owner in owners if owner not in (_SETTINGS, _NOTHING)}
        folders = {slug: annotation_files(self.root / "annotations" / slug) for slug in slugs}
        for slug, files in folders.items():
            self._units[slug] = replace(self._units[slug], annotation_files=files)
        annotations = tuple((name, path, folders.get(name, files)) for name, path, files in self._inputs.annotations)
        self._inputs = replace(self._inputs, annotations=annotations)
        return slugs

    def _owner(self, path: Path) -> str:
        """What a changed file affects: a text's slug, the settings, nothing, or (unsure) everything."""
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            return _SETTINGS if path.is_relative_to(PACKAGE_THEME_PATH) else _NOTHING
        if parts[:1] == ("templates",) or parts == (CONFIG_FILE,):
            return _SETTINGS
        if len(parts) == 2 and parts[0] == "content":
            unit = self._units.get(parts[1][:-3]) if parts[1].endswith(".md") else None
            if unit is not None and unit.path == path and path.is_file():
                return unit.slug
            return _EVERYTHING if parts[1].lower().endswith(".md") else _NOTHING
        if len(parts) == 3 and parts[0] == "annotations" and parts[1] in self._units:
            known = any(name == parts[1] for name, _, _ in self._inputs.annotations)
            return parts[1] if known and path.parent.is_dir() else _EVERYTHING
        return _EVERYTHING

    def _stale_units(self, slugs: set[str] | None) -> list[Unit]:
        """Of the texts named (all if None), those whose files changed since they were compiled.

        A file whose size or date changed is read to compare its bytes with those compiled: a save
        or checkout that leaves a text's files as they were does not compile it again.
        """
        for slug in [slug for slug in self._compiled if slug not in self._units]:
            del self._compiled[slug]
            self._stale_site_pages = True
        looked_at = self._units.values() if slugs is None else [self._units[slug] for slug in sorted(slugs)]
        stale = []
        for unit in looked_at:
            known = self._compiled.get(unit.slug)
            if known is None:
                stale.append(unit)  # its signature comes with its compiled result
                continue
            signature = _signature(unit)
            if self._signatures.get(unit.slug) == signature:
                continue
            self._signatures[unit.slug] = signature
            if not known.inputs or known.inputs != content_digest(unit.files):
                stale.append(unit)
        chosen = {unit.slug for unit in stale}
        return stale + [unit for slug, unit in self._units.items() if slug not in self._compiled and slug not in chosen]

    def _compile(self, units: Sequence[Unit], staging: Path | None = None, keep_pages: bool = False) -> None:
        """Compile ``units``: each text's files are written to ``staging`` as soon as rendered, or kept."""
        context, env = self._context, self._env
        assert context is not None and env is not None
        workers = workers_for(len(units), self.jobs)
        if workers > 1:
            setup = (context, staging, keep_pages, self.remember)
            compiled = in_processes(_compile_in_worker, units, workers, _start_worker, setup)
        else:
            compiled = (settle(compile_text(context, env, unit, self.remember), staging, keep_pages) for unit in units)
        with _fewer_collections():
            for result in compiled:
                before = self._compiled.get(result.slug)
                if before is None or before.outline != result.outline:
                    self._stale_site_pages = True
                self._compiled[result.slug] = result
                self._signatures[result.slug] = result.signature
        if units:
            self._compiled = dict(sorted(self._compiled.items()))

    def _finish(self) -> Report:
        """Gather every problem: the report says whether the build may be written.

        As in :func:`glossator.build.render`: any load error means no output (quotes that do not
        match are still reported, so one run shows every problem); a template error means no output.
        """
        compiled = list(self._compiled.values())
        slugs = {c.slug for c in compiled if c.outline is not None}
        load_problems = [*self._input_problems, *self._context_problems, *unknown_texts(self.root, self._inputs, slugs)]
        load_problems += [d for c in compiled for d in c.load_problems]
        sources = dict(self._context_sources)
        for c in compiled:
            sources.update(c.source_lines)
        notes = sum(len(c.outline.notes) for c in compiled if c.outline is not None)
        problems = [*load_problems, *(d for c in compiled for d in c.anchor_problems)]
        report = Report(_sorted(problems), sources, len(slugs), notes, written=False)
        if has_errors(load_problems):
            return report
        report = replace(report, written=True)
        failed = next((c.render_problem for c in compiled if c.render_problem), None)
        return self._failed(report, failed) if failed else report

    def _site_pages(self) -> Iterator[Page | PiecedPage]:
        """The pages about all texts, each rendered when the caller asks for it (RenderError if a template fails)."""
        assert self._context is not None and self._env is not None
        return render_site_pages(self._env, self._context.config, self._context.theme, self._outlines())

    def _write_site_pages(self, staging: Path) -> dict[str, str]:
        """Write the pages about all texts into the new site; path to digest.

        Where they are many, their first part is made in a worker process while this one makes the
        others (it already holds the outlines they read). Raises the :class:`RenderError` of the
        first part that failed, as :meth:`_site_pages` would.
        """
        assert self._context is not None and self._env is not None
        context, env, outlines = self._context, self._env, self._outlines()
        if workers_for(len(outlines), self.jobs, SITE_TEXTS_PER_WORKER) > 1:
            setup = (context, staging, outlines, self.remember)
            with in_background(_write_site_part_in_worker, 0, _start_site_worker, setup) as first:
                parts = range(1, SITE_PARTS)
                rest = [write_site_part(context, env, outlines, part, staging, self.remember) for part in parts]
                written = [first(), *rest]
        else:
            parts = range(SITE_PARTS)
            written = [write_site_part(context, env, outlines, part, staging, self.remember) for part in parts]
        site: dict[str, str] = {}
        for digests, problem in written:
            if problem is not None:
                raise RenderError(problem)
            site.update(digests)
        return site

    def _index_page(self) -> Page:
        assert self._context is not None and self._env is not None
        return render_index_page(self._env, self._context.config, self._outlines())

    def _assets(self) -> list[Page]:
        assert self._context is not None
        return [Page(name, data) for name, data in sorted(self._context.theme.items()) if name.startswith("static/")]

    def _outlines(self) -> list[Outline]:
        return [c.outline for c in self._compiled.values() if c.outline is not None]

    def _entries(self) -> tuple:
        return tuple((slug, c.index_entry) for slug, c in self._compiled.items())

    @staticmethod
    def _failed(report: Report, problem: Diagnostic) -> Report:
        return replace(report, diagnostics=_sorted([*report.diagnostics, problem]), written=False)

    def _changed(self, page: Page | PiecedPage) -> bool:
        """Whether a page's content differs from what is served."""
        return self._served.get(page.path) != digest(page)

    def _write(self, out: Path, fresh: Sequence[Page | PiecedPage], gone: Sequence[str]) -> tuple[str, ...]:
        """Write pages that changed, remove ``gone``; say what changed."""
        update_site(out, fresh, gone)
        for page in fresh:
            self._served[page.path] = digest(page)
        for path in gone:
            del self._served[path]
        return tuple(sorted({page.path for page in fresh} | set(gone)))


def _collect_less() -> tuple[int, int, int]:
    """Run Python's cycle collector less often (returns the old threshold).

    Compiling makes many small objects (tokens), most of which live until the text is done or,
    for outlines, the build; the collector, run every 700 allocations, keeps walking them and
    finds almost nothing to free (mypy found the same of its own build, and does the same).
    """
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], GC_ALLOCATIONS), *threshold[1:])
    return threshold


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The collector runs less often while texts compile here (:func:`_collect_less`)."""
    threshold = _collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


GC_ALLOCATIONS = 50_000
"""Allocations between collections while compiling (Python's default is 700)."""


def _signature(unit: Unit) -> tuple:
    """Size, modification time and inode of each of a text's files: what changes when one is saved."""
    return tuple(_stat(path) for path in unit.files)


def _stat(path: Path) -> tuple:
    try:
        status = os.stat(path)
    except OSError:
        return (path.name,)
    return path.name, status.st_mtime_ns, status.st_size, status.st_ino


def _sorted(problems: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(problems, key=sort_key))


_worker: tuple[Context, jinja2.Environment, Path | None, bool, bool] | None = None
"""In a worker process: what :func:`_start_worker` was given, and the Jinja environment."""


def _start_worker(context: Context, staging: Path | None, keep_pages: bool, remember: bool) -> None:
    global _worker
    _worker = (context, context.environment(), staging, keep_pages, remember)
    _collect_less()
    keep_freed_memory()  # inherited where the worker was forked from the command line, set again where it was not


def _compile_in_worker(unit: Unit) -> Compiled:
    assert _worker is not None
    context, env, staging, keep_pages, remember = _worker
    return settle(compile_text(context, env, unit, remember), staging, keep_pages)


def write_site_part(
    context: Context, env: jinja2.Environment, outlines: Sequence[Outline], part: int, staging: Path, remember: bool
) -> tuple[dict[str, str], Diagnostic | None]:
    """Render and write one part of the pages about all texts: their digests by path ("" unless ``remember``),
    or the template problem."""
    digests: dict[str, str] = {}
    try:
        for page in render_site_part(env, context.config, context.theme, outlines, part):
            write_page(staging, page)
            digests[page.path] = digest(page) if remember else ""
            del page  # written: let it go before the next (the search data is large) is made
    except RenderError as error:
        return digests, error.diagnostic
    return digests, None


_site_worker: tuple[Context, jinja2.Environment, Path, Sequence[Outline], bool] | None = None
"""In a worker process making the pages about all texts: what :func:`_start_site_worker` was given."""


def _start_site_worker(context: Context, staging: Path, outlines: Sequence[Outline], remember: bool) -> None:
    global _site_worker
    _site_worker = (context, context.environment(), staging, outlines, remember)


def _write_site_part_in_worker(part: int) -> tuple[dict[str, str], Diagnostic | None]:
    assert _site_worker is not None
    context, env, staging, outlines, remember = _site_worker
    return write_site_part(context, env, outlines, part, staging, remember)


def settle(compiled: Compiled, staging: Path | None, keep_pages: bool) -> Compiled:
    """A compiled text's files: written to the new site being built, kept for writing later, or dropped."""
    if staging is not None:
        for page in compiled.pages:
            write_page(staging, page)
    return compiled if keep_pages else replace(compiled, pages=())
