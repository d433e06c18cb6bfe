"""Save-to-reload latency of ``glossator serve``, measured in a real browser.

Run by hand (never by the test suite), from the repository:

    python bench/serve_latency.py                 # 1,000 texts, 10 saves
    python bench/serve_latency.py --texts 100 --saves 5

The preview server runs as ``python -m glossator serve`` in its own process; Chromium (Debian's,
through Playwright) opens one text's page. Each round saves that text's annotation file (one
note's body edited), then waits until the page has reloaded and shows the edit. The browser's
navigation timing, against the moment the save returned, gives:

- reload starts: the browser asks for the page again (server rebuilt it, told the browser);
- page shown: the new page's DOMContentLoaded (parsed and ready, the scroll position restored);
- loaded: its load event.

Then a stylesheet is saved (a project override of ``static/reader.css``) and the time until the
page's computed style changes, without a reload, is measured the same way.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ARGS += ["--disable-sync", "--no-first-run"]
CONNECTED = "() => window.LiveReload && window.LiveReload.connector && window.LiveReload.connector.protocol >= 7"
TIMING = """() => {
  const entry = performance.getEntriesByType('navigation')[0];
  return [performance.timeOrigin, entry.responseEnd, entry.domContentLoadedEventEnd, entry.loadEventEnd];
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=1000, help="texts in the corpus (default 1,000)")
    parser.add_argument("--saves", type=int, default=10, help="annotation saves to time (default 10)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "glossator-latency")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    root = args.work / f"corpus-{args.texts}"
    shutil.rmtree(args.work, ignore_errors=True)
    write_corpus(root, args.texts)
    server, url = _start(root)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url + "text-00005/")
            rounds = [_save_annotation(page, root, attempt) for attempt in range(args.saves)]
            css = [_save_stylesheet(page, root, attempt) for attempt in range(3)]
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    print(f"glossator serve: save-to-reload latency, {args.texts:,} texts, {args.saves} saves of one annotation file")
    for label, index in (("reload starts", 0), ("page shown (DOMContentLoaded)", 1), ("loaded", 2)):
        values = sorted(r[index] for r in rounds)
        p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
        print(f"  {label:32} median {statistics.median(values):6.0f} ms   p90 {p90:6.0f} ms   max {values[-1]:6.0f} ms")
    print(f"  {'stylesheet applied, no reload':32} median {statistics.median(css):6.0f} ms   max {max(css):6.0f} ms")
    return 0


def _start(root: Path) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "glossator", "serve", "--root", str(root), "--port", "0"]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        if found := re.search(r"at (http://\S+/) ", line):
            return server, found.group(1)
    server.terminate()
    raise SystemExit("the server did not start")


def _save_annotation(page, root: Path, attempt: int) -> tuple[float, float, float]:
    page.wait_for_function(CONNECTED, timeout=30_000)
    page.evaluate("() => { window.before = true; }")
    time.sleep(3.0)  # the previous save's second step (feeds, search: a second later) is done
    notes = root / "annotations" / "text-00005" / "notes.yaml"
    edited = f"edited {attempt}"
    source = notes.read_text(encoding="utf-8")
    notes.write_text(re.sub(r"explains( \(edited \d+\))?", f"explains ({edited})", source, count=1), encoding="utf-8")
    saved = time.time() * 1000
    page.wait_for_function(f"() => !window.before && document.body.textContent.includes('({edited})')", timeout=30_000)
    page.wait_for_load_state("load")
    origin, response, shown, loaded = page.evaluate(TIMING)
    return origin - saved, origin + shown - saved, origin + loaded - saved


def _save_stylesheet(page, root: Path, attempt: int) -> float:
    page.wait_for_function(CONNECTED, timeout=30_000)
    time.sleep(0.5)
    width = f"{attempt + 3}px"
    page.evaluate(
        """(width) => { window.styled = new Promise((resolve) => {
             const look = () => getComputedStyle(document.body).outlineWidth === width
               ? resolve(Date.now()) : requestAnimationFrame(look);
             look(); }); }""",
        width,
    )
    from glossator.load import PACKAGE_THEME

    sheet = root / "templates" / "static" / "reader.css"
    sheet.parent.mkdir(parents=True, exist_ok=True)
    original = (Path(str(PACKAGE_THEME)) / "static" / "reader.css").read_text(encoding="utf-8")
    sheet.write_text(original + f"\nbody {{ outline: {width} solid rgb(1, 2, 3); }}\n", encoding="utf-8")
    saved = time.time() * 1000
    applied = page.evaluate("() => window.styled")
    assert page.evaluate("() => window.styled !== undefined"), "the page reloaded"
    return applied - saved


if __name__ == "__main__":
    sys.exit(main())
