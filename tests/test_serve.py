"""The preview server: what it serves (the output folder only), and how it rebuilds and tells browsers."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tornado.websocket import websocket_connect

from glossator.cli import main
from glossator.serve import BETWEEN_STEPS_SECONDS, PreviewServer, Rebuilt, preview

from .conftest import dedent, front

TEXT = front("A text") + "\nThe first paragraph has words to note.\n\nA second paragraph.\n"
NOTES = dedent(
    """
    - id: one
      kind: context
      quote: words to note
      body: Why they matter.
      sources:
        - title: S
          url: https://example.org/s
    """
)
TIMEOUT = 10


def running(server: PreviewServer) -> Iterator[PreviewServer]:
    """Run a server in a thread until the test is done (always stopped, bounded)."""
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert server.ready.wait(TIMEOUT), "the server did not start"
    try:
        yield server
    finally:
        server.stop()
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "the server did not stop"


@pytest.fixture
def project(make_project) -> Path:
    return make_project(texts={"a-text": TEXT}, annotations={"a-text/notes.yaml": NOTES})


@pytest.fixture
def served(project) -> Iterator[PreviewServer]:
    """The project previewed on a free port of 127.0.0.1."""
    server = preview(project, project / "site", jobs=1)
    server._log = lambda message: None
    yield from running(server)


def get(server: PreviewServer, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """A request with the path sent exactly as given (no client-side normalising of ``..``)."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def eventually(check, timeout: float = TIMEOUT):
    """Poll ``check`` until it returns something true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.02)
    raise AssertionError("timed out waiting")


def in_thread(function):
    """``function()`` in a thread of its own, which has no event loop running (Playwright's may be in this one)."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((function(), None))
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            outcome.append((None, error))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(TIMEOUT * 3)
    assert outcome, "it did not finish"
    value, error = outcome[0]
    if error is not None:
        raise error
    return value


def status(server: PreviewServer) -> dict:
    return json.loads(get(server, "/__glossator__/status.json")[2])


def test_serves_the_site_with_the_preview_scripts_in_each_page(served):
    code, headers, body = get(served, "/a-text/")
    assert code == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<script src="/__glossator__/preview.js" async></script>\n</head>' in body
    assert b"words to note" in body and headers["Cache-Control"] == "no-store"
    assert get(served, "/a-text")[0] == 302 and get(served, "/a-text")[1]["Location"] == "/a-text/"
    assert get(served, "/static/reader.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    assert b"preview.js" not in get(served, "/a-text/annotations.jsonld")[2]
    assert get(served, "/livereload.js")[0] == 200
    assert get(served, "/", "HEAD")[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/a-text/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/a-text/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%00",
        "/.glossator-site",
        "/escape/secret.txt",
        "/outside.txt",
        "/empty/",
        "/nothing-here",
    ],
)
def test_nothing_outside_the_output_folder_can_be_fetched(served, project, path):
    (project / "secret.txt").write_text("secret", encoding="utf-8")
    os.symlink(project, project / "site" / "escape")
    os.symlink(project / "secret.txt", project / "site" / "outside.txt")
    (project / "site" / "empty").mkdir()
    code, _, body = get(served, path)
    assert code == 404
    assert b"secret" not in body and b"Index of" not in body and b"<li>" not in body


def test_an_annotation_edit_updates_the_page_and_tells_browsers_even_twice_in_a_row(served, project):
    """livereload's own server would drop a second reload within three seconds of the first."""
    notes = project / "annotations" / "a-text" / "notes.yaml"

    async def listen() -> list[str]:
        socket_ = await websocket_connect(f"ws://127.0.0.1:{served.port}/livereload")
        await socket_.write_message(
            json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
        )
        assert json.loads(await socket_.read_message())["command"] == "hello"
        await socket_.write_message(json.dumps({"command": "info", "url": served.url + "a-text/"}))
        await asyncio.sleep(0.2)
        reloads = []
        for edit in ("Edited once.", "Edited twice."):
            notes.write_text(NOTES.replace("Why they matter.", edit), encoding="utf-8")
            paths: list[str] = []
            while "/a-text/index.html" not in paths:
                message = json.loads(await asyncio.wait_for(socket_.read_message(), TIMEOUT))
                assert message["command"] == "reload"
                paths.append(message["path"])
            assert edit.encode() in get(served, "/a-text/")[2]
            reloads.append(paths)
        socket_.close()
        return reloads

    first, second = in_thread(lambda: asyncio.run(listen()))
    assert "/a-text/index.html" in first and "/a-text/index.html" in second


def test_a_failed_rebuild_keeps_the_site_and_reports_where_until_fixed(served, project):
    notes = project / "annotations" / "a-text" / "notes.yaml"
    page = get(served, "/a-text/")[2]
    notes.write_text(NOTES.replace("kind: context", "kind: contxt"), encoding="utf-8")
    failed = eventually(lambda: (s := status(served))["failed"] and s)
    (problem,) = failed["problems"]
    assert (problem["path"], problem["line"], problem["col"]) == ("annotations/a-text/notes.yaml", 2, 9)
    assert "'contxt' is not a valid 'kind'" in problem["message"] and problem["severity"] == "error"
    assert problem["source"] == "  kind: contxt"  # the line, as the terminal shows it
    assert get(served, "/a-text/")[2] == page
    notes.write_text(NOTES, encoding="utf-8")
    fixed = eventually(lambda: not (s := status(served))["failed"] and s)
    assert fixed["problems"] == [] and fixed["generation"] > failed["generation"]


def test_problems_of_the_first_build_are_in_the_status_from_the_start(make_project, tmp_path):
    root = make_project(texts={"a-text": TEXT}, annotations={"a-text/notes.yaml": NOTES.replace("note", "nothing")})
    serving = running(preview(root, tmp_path / "site"))
    server = next(serving)
    try:
        first = status(server)
        (problem,) = first["problems"]
        assert problem["path"] == "annotations/a-text/notes.yaml" and problem["severity"] == "error"
        assert "quote not found" in problem["message"] and first["generation"] == 1
        assert not first["failed"]  # a lost quote is published unanchored; the page is there
    finally:
        serving.close()


def test_a_burst_of_saves_is_one_rebuild_and_a_crash_is_reported_not_fatal(tmp_path):
    calls: list[frozenset[Path] | None] = []

    def rebuild(paths):
        calls.append(paths)
        if len(calls) == 2:
            raise RuntimeError("boom")
        yield Rebuilt((), (), False)

    server = PreviewServer(tmp_path, rebuild, port=0, log=lambda message: None)
    for _ in running(server):
        for name in ("a", "b", "c"):
            server._loop.add_callback(server.changed, {tmp_path / name})
        eventually(lambda: calls)
        time.sleep(0.2)
        assert calls == [frozenset({tmp_path / "a", tmp_path / "b", tmp_path / "c"})]
        server._loop.add_callback(server.changed, None)
        crashed = eventually(lambda: (s := status(server))["failed"] and s)
        assert crashed["problems"][0]["code"] == "internal-error" and "boom" in crashed["problems"][0]["message"]
        assert calls[1] is None
        server._loop.add_callback(server.changed, {tmp_path / "d"})
        eventually(lambda: not status(server)["failed"])


def test_the_command_binds_localhost_prints_the_address_and_serves(project):
    command = [sys.executable, "-m", "glossator", "serve", "--root", str(project), "--port", "0"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        deadline = time.monotonic() + 30
        while "serving" not in line and time.monotonic() < deadline:
            line = process.stderr.readline()
        assert line.startswith(f"serving {project / 'site'} at http://127.0.0.1:")
        port = int(line.split(":")[-1].split("/")[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        connection.request("GET", "/a-text/")
        assert connection.getresponse().status == 200
    finally:
        process.terminate()
        process.wait(TIMEOUT)


def test_a_busy_port_is_a_usage_error(project, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code = in_thread(lambda: main(["serve", "--root", str(project), "--port", str(busy.getsockname()[1])]))
    assert code == 2
    assert "cannot serve on 127.0.0.1" in capsys.readouterr().err
    assert not [thread for thread in threading.enumerate() if "_announce" in thread.name]  # nothing left waiting


def test_a_new_save_preempts_the_slow_second_step(tmp_path):
    """The pages about all texts wait for saves to pause; a save meanwhile starts a new rebuild at once."""
    started: list[float] = []
    second_steps: list[int] = []

    def rebuild(paths):
        started.append(time.monotonic())
        yield Rebuilt(("a/index.html",), (), False)
        second_steps.append(len(started))
        yield Rebuilt(("search/data.js",), (), False)

    server = PreviewServer(tmp_path, rebuild, port=0, log=lambda message: None)
    for _ in running(server):
        server._loop.add_callback(server.changed, {tmp_path / "a"})
        eventually(lambda: started)
        server._loop.add_callback(server.changed, {tmp_path / "b"})
        eventually(lambda: len(started) == 2)
        assert started[1] - started[0] < BETWEEN_STEPS_SECONDS / 2
        eventually(lambda: second_steps)
        assert second_steps == [2]  # the first rebuild's second step was dropped; the new one did it
