"""Local preview: serve the built site, rebuild what a saved file affects, reload the browser.

Built on livereload: its WebSocket protocol and handler, its browser client and its reload
messages (live CSS included). Its known faults are avoided: its file watcher polls every 800 ms
(inotify is used instead, :mod:`glossator.watch`); its server ignores a second change within three
seconds of a reload (reloads are sent here, after each rebuild, never throttled); a failing
rebuild never reaches its browser client (here every rebuild reports a status, shown over the
page by a small plugin until a build without errors clears it). Its page injection uses an
inline script, which the pages' Content-Security-Policy forbids: two same-origin scripts are
injected instead.

The server knows nothing of the build: it is handed a ``rebuild`` function, debounces bursts of
saves, runs one rebuild at a time off the event loop, and keeps serving the last good site when
one fails. It serves the output folder and nothing else.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, netutil, web
from tornado.ioloop import IOLoop

from glossator.diagnostics import format_text, sort_key, summary, to_json, use_color
from glossator.incremental import PACKAGE_THEME_PATH, Report, Site
from glossator.load import CONFIG_FILE
from glossator.model import Diagnostic, Json, Location, Severity
from glossator.parallel import default_jobs
from glossator.write import OutputError, check_output

DEBOUNCE_SECONDS = 0.015
"""Quiet time after a save before rebuilding: editors write a file in several steps."""
LONGEST_WAIT_SECONDS = 0.3
"""A rebuild starts at the latest this long after the first of a burst of saves."""
BETWEEN_STEPS_SECONDS = 1.0
"""After a rebuild step changed files, the next waits this long without a new save: browsers reloading
are served first, and a burst of saves gets each its quick first step (the next step, the pages
about all texts, cannot be interrupted and holds Python's lock while it runs)."""
MANY_PAGES = 64
"""Past this many changed pages, every browser reloads rather than checking each path."""
PREFIX = "/__glossator__/"
"""Where the preview's own files are served (no text's slug can start with ``_``)."""
_ASSETS = resources.files("glossator") / "preview"
_TYPES = {"preview.js": "text/javascript; charset=utf-8", "preview.css": "text/css; charset=utf-8"}


def _print(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass(frozen=True)
class Rebuilt:
    """One step of a rebuild, as the browser is told of it."""

    changed: tuple[str, ...]
    """Output files written or removed."""
    problems: tuple[Json, ...]
    """The build's problems, as :func:`glossator.diagnostics.to_json` gives them."""
    failed: bool
    """True when the site was left as it was (it keeps serving its last good version)."""


Rebuild = Callable[[frozenset[Path] | None], Iterator[Rebuilt]]
"""Rebuilds after the given files changed (None: unknown which), reporting each step; the server may
stop asking for steps when newer changes are waiting."""


class PreviewServer:
    """Serves a site folder, watches inputs, rebuilds and tells browsers (in one event-loop thread)."""

    def __init__(
        self,
        site: Path,
        rebuild: Rebuild,
        watched: Sequence[Path] = (),
        watched_files: Sequence[Path] = (),
        host: str = "127.0.0.1",
        port: int = 8000,
        log: Callable[[str], None] = _print,
        first: Rebuilt | None = None,
    ) -> None:
        self.site = site.resolve()
        """The folder served: nothing outside it is."""
        self.host = host
        """Address to bind."""
        self.port = port
        """Port to bind (0 picks a free one; the bound port is here once :attr:`ready` is set)."""
        self.ready = threading.Event()
        """Set once the server listens."""
        self.status: Json = {"generation": 0, "failed": False, "problems": []}
        """What ``/__glossator__/status.json`` says: the last build's problems (``first``'s at the start)."""
        if first is not None:
            self.status = {"generation": 1, "failed": first.failed, "problems": list(first.problems)}
        self._rebuild = rebuild
        self._watched = tuple(watched)
        self._watched_files = tuple(watched_files)
        self._log = log
        self._loop: IOLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._saved: asyncio.Event | None = None
        self._pending: set[Path] = set()
        self._exact = True
        self._first_change = 0.0
        self._timer: object | None = None
        self._running = False
        self._builder = ThreadPoolExecutor(1, thread_name_prefix="glossator-rebuild")
        self._inject = (_ASSETS / "inject.html").read_bytes()
        self._missing = (_ASSETS / "missing.html").read_bytes()

    @property
    def url(self) -> str:
        """The site's address."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def run(self) -> None:
        """Serve until :meth:`stop` (blocks; runs its own event loop in the calling thread)."""
        asyncio.run(self._serve())

    def stop(self) -> None:
        """Stop serving (from any thread)."""
        if self._loop is not None and self._stopped is not None:
            self._loop.add_callback(self._stopped.set)

    def changed(self, paths: set[Path] | None) -> None:
        """Note saved files (None: some, unknown which); a rebuild follows once saves pause (event loop only)."""
        assert self._loop is not None
        now = time.monotonic()
        if not self._pending:
            self._first_change = now
        if paths is None:
            self._exact = False
        self._pending |= paths or {self.site}
        if self._timer is not None:
            self._loop.remove_timeout(self._timer)
        delay = min(DEBOUNCE_SECONDS, max(0.0, self._first_change + LONGEST_WAIT_SECONDS - now))
        self._timer = self._loop.call_later(delay, self._start_rebuild)

    async def _serve(self) -> None:
        from glossator.watch import POLL_SECONDS, InotifyWatcher, watcher

        self._loop = IOLoop.current()
        self._stopped = asyncio.Event()
        self._saved = asyncio.Event()
        LiveReloadHandler.watcher = _NoWatcher()
        application = web.Application(log_function=lambda handler: None)
        application.add_handlers(
            _answered_hosts(self.host),
            [
                (r"/livereload", _ReloadSocket),
                (r"/livereload\.js", LiveReloadJSHandler),
                (PREFIX + r"(preview\.js|preview\.css|status\.json)", _PreviewHandler, {"server": self}),
                (r"/(.*)", _SiteHandler, {"server": self}),
            ],
        )
        sockets = netutil.bind_sockets(self.port, self.host)
        self.port = sockets[0].getsockname()[1]
        http = httpserver.HTTPServer(application)
        http.add_sockets(sockets)
        files = watcher(self._watched, self._watched_files)
        if isinstance(files, InotifyWatcher):
            self._loop.add_handler(files.fileno(), lambda *_: self._noticed(files.changes()), IOLoop.READ)
        else:
            self._loop.call_later(POLL_SECONDS, self._poll, files)
        self.ready.set()
        try:
            await self._stopped.wait()
        finally:
            http.stop()
            for waiter in list(LiveReloadHandler.waiters):
                waiter.close()
            if isinstance(files, InotifyWatcher):
                self._loop.remove_handler(files.fileno())
            files.close()
            self._builder.shutdown(wait=True, cancel_futures=True)

    def _poll(self, files) -> None:
        from glossator.watch import POLL_SECONDS

        self._noticed(files.changes())
        assert self._loop is not None
        self._loop.call_later(POLL_SECONDS, self._poll, files)

    def _noticed(self, paths: set[Path] | None) -> None:
        if paths is None or paths:
            self.changed(paths)

    def _start_rebuild(self) -> None:
        self._timer = None
        if self._running:
            self._saved.set()
            return
        if not self._pending:
            return
        self._running = True
        paths = frozenset(self._pending) if self._exact else None
        self._pending, self._exact = set(), True
        assert self._loop is not None
        self._loop.add_callback(self._rebuild_now, paths)

    async def _saved_again(self, seconds: float) -> None:
        """Wait ``seconds``, or less if files are saved meanwhile."""
        assert self._saved is not None
        self._saved.clear()
        try:
            await asyncio.wait_for(self._saved.wait(), seconds)
        except TimeoutError:
            pass

    async def _rebuild_now(self, paths: frozenset[Path] | None) -> None:
        """Run the rebuild's steps in the builder thread, telling browsers after each."""
        assert self._loop is not None
        names = "changes" if paths is None else ", ".join(sorted(_short(path) for path in paths)[:3])
        names += ", ..." if paths and len(paths) > 3 else ""
        steps = self._rebuild(paths)
        try:
            while True:
                begun = time.perf_counter()
                step = await self._loop.run_in_executor(self._builder, _next_step, steps)
                if step is None:
                    break
                self._tell(step)
                if step.changed or step.failed:
                    took = (time.perf_counter() - begun) * 1000
                    what = "failed" if step.failed else f"{len(step.changed)} file(s) updated"
                    self._log(f"{names}: {what} in {took:.0f} ms")
                    names = "  then"
                if step.changed:
                    await self._saved_again(BETWEEN_STEPS_SECONDS)
                if self._pending:
                    break
        finally:
            steps.close()
            self._running = False
        if self._pending:
            self._start_rebuild()

    def _tell(self, step: Rebuilt) -> None:
        """Update the status and send livereload's reload messages for what changed."""
        problems = list(step.problems)
        if problems != self.status["problems"] or step.failed != self.status["failed"]:
            generation = self.status["generation"] + 1
            self.status = {"generation": generation, "failed": step.failed, "problems": problems}
            LiveReloadHandler.reload_waiters(f"{PREFIX}status.json?{generation}")
        changed = step.changed
        if len([path for path in changed if path.endswith(".html")]) > MANY_PAGES:
            changed = ("*",)
        for path in changed:
            LiveReloadHandler.reload_waiters(path if path == "*" else "/" + path)

    def resolve(self, path: str) -> Path | None:
        """The file a URL path names inside the site, or None (outside, hidden, missing, a folder without index)."""
        if "\x00" in path or "\\" in path:
            return None
        parts = [part for part in path.split("/") if part]
        if any(part.startswith(".") for part in parts):
            return None
        target = self.site.joinpath(*parts).resolve()
        if target.is_dir():
            target = (target / "index.html").resolve()
        if not target.is_relative_to(self.site) or not target.is_file():
            return None
        return target

    def page(self, data: bytes) -> bytes:
        """An HTML page with the preview's scripts (livereload's client and the overlay) in its head."""
        head = data.find(b"</head>")
        return data if head < 0 else data[:head] + self._inject + data[head:]

    @property
    def missing(self) -> bytes:
        """The page served for a path with no file."""
        return self.page(self._missing)


def _next_step(steps: Iterator[Rebuilt]) -> Rebuilt | None:
    """The rebuild's next step; an unexpected error becomes a failed step (and a traceback in the terminal)."""
    try:
        return next(steps, None)
    except Exception as error:  # noqa: BLE001 - a bug must not stop the preview
        traceback.print_exc()
        problem = Diagnostic(
            Location("glossator", 1),
            f"internal error while rebuilding: {type(error).__name__}: {error}",
            hint="this is a bug in glossator (the traceback is in the terminal): please report it",
            code="internal-error",
        )
        return Rebuilt((), (to_json(problem),), True)


def _short(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


class _NoWatcher:
    """livereload's handler logs its watcher's last path when reloading; ours are sent explicitly."""

    filepath = None


def _answered_hosts(host: str) -> str:
    """The Host names served: on loopback only loopback names, so no page can rebind its own name to us."""
    if host in ("127.0.0.1", "localhost", "::1"):
        return r"(localhost|127\.0\.0\.1|\[::1\])"
    return r".*"


class _ReloadSocket(LiveReloadHandler):
    """livereload's WebSocket protocol, for pages of this server only (livereload accepts any origin)."""

    def check_origin(self, origin: str) -> bool:
        return urlsplit(origin).netloc == self.request.host


class _PreviewHandler(web.RequestHandler):
    """The overlay's script, stylesheet and the build status."""

    def initialize(self, server: PreviewServer) -> None:
        self.server = server

    def get(self, name: str) -> None:
        self.set_header("Cache-Control", "no-store")
        if name == "status.json":
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.write(json.dumps(self.server.status, ensure_ascii=False))
            return
        self.set_header("Content-Type", _TYPES[name])
        self.write((_ASSETS / name).read_bytes())


class _SiteHandler(web.RequestHandler):
    """Files of the output folder, and nothing else: no traversal, no links out, no folder listings."""

    def initialize(self, server: PreviewServer) -> None:
        self.server = server

    def get(self, path: str) -> None:
        self._send(path, body=True)

    def head(self, path: str) -> None:
        self._send(path, body=False)

    def _send(self, path: str, body: bool) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        target = self.server.resolve(path)
        if target is None:
            self.set_status(404)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(self.server.missing if body else None)
            return
        if target.name == "index.html" and path and not path.endswith("/") and not path.endswith("index.html"):
            self.redirect("/" + "/".join(part for part in path.split("/") if part) + "/", permanent=False)
            return
        data = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = self.server.page(data)
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self.set_header("Content-Type", kind)
        self.set_header("Content-Length", str(len(data)))
        self.finish(data if body else None)


class Rebuilder:
    """The build side of the preview: a :class:`~glossator.incremental.Site` kept between rebuilds."""

    def __init__(self, root: Path, out: Path, jobs: int, log: Callable[[str], None] = _print) -> None:
        self.site = Site(root, jobs)
        """The project's build state."""
        self.out = out
        """The output folder."""
        self.built = False
        """Whether a build has succeeded: until then, each rebuild is a full build."""
        self._log = log
        self._warnings: set[Diagnostic] = set()

    def first(self) -> Rebuilt:
        """Build everything (into a fresh folder swapped in, as ``glossator build`` does)."""
        report = self.site.build(self.out)
        self.built = report.written
        return self._show(report)

    def __call__(self, paths: frozenset[Path] | None) -> Iterator[Rebuilt]:
        if not self.built:
            yield self.first()
            return
        for report in self.site.update(self.out, paths):
            yield self._show(report)

    def _show(self, report: Report) -> Rebuilt:
        """Print the errors, and the warnings not printed yet (not the same ones on every save)."""
        errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
        warnings = {d for d in report.diagnostics if d.severity is not Severity.ERROR}
        shown = errors + sorted(warnings - self._warnings, key=sort_key)
        self._warnings |= warnings
        if shown:
            self._log(format_text(shown, report.source_lines, color=use_color(sys.stderr)).rstrip("\n"))
            self._log(summary(report.diagnostics))
        if not report.written:
            self._log("the site was not updated: it shows its last good version" if self.built else "no site yet")
        problems = tuple(_with_source(d, report.source_lines) for d in report.diagnostics)
        return Rebuilt(report.changed, problems, not report.written)


def _with_source(diagnostic: Diagnostic, lines: Mapping[str, Sequence[str]]) -> Json:
    """A problem as JSON, with the line it points at (as the terminal shows it) when that is known."""
    problem = to_json(diagnostic)
    source = lines.get(diagnostic.location.path, ())
    if 1 <= diagnostic.location.line <= len(source):
        problem["source"] = source[diagnostic.location.line - 1]
    return problem


def preview(root: Path, out: Path, host: str = "127.0.0.1", port: int = 0, jobs: int | None = None) -> PreviewServer:
    """A preview server for the project at ``root``, its site built into ``out`` first."""
    rebuild = Rebuilder(root, out, jobs or default_jobs())
    first = rebuild.first()
    watched = [root / "content", root / "annotations", root / "templates", PACKAGE_THEME_PATH]
    return PreviewServer(out, rebuild, watched, [root / CONFIG_FILE], host, port, first=first)


def serve(root: Path, out: Path, host: str, port: int, open_browser: bool) -> int:
    """Build, then serve ``out`` on ``host:port``, rebuilding on changes until interrupted."""
    try:
        check_output(out, root)
    except OutputError as error:
        print(f"glossator: error: {error}", file=sys.stderr)
        return 2
    server = preview(root, out, host, port)
    stopped = threading.Event()
    announcer = threading.Thread(target=_announce, args=(server, out, open_browser, stopped), daemon=True)
    announcer.start()
    try:
        server.run()
    except OSError as error:
        print(f"glossator: error: cannot serve on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        print("  hint: choose another port with --port, or stop the program using it", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        stopped.set()
        announcer.join(timeout=1)
    return 0


def _announce(server: PreviewServer, out: Path, open_browser: bool, stopped: threading.Event) -> None:
    """Say where the site is served once the server listens (and open it); nothing if the server stopped first."""
    while not server.ready.wait(timeout=0.05):
        if stopped.is_set():
            return
    print(f"serving {out} at {server.url} (Ctrl+C to stop)", file=sys.stderr)
    if open_browser:
        webbrowser.open(server.url)
