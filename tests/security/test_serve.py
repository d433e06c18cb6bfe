"""The preview server from a hostile page's or network's point of view.

tests/test_serve.py covers traversal, links out of the site and folder listings; here: the server
listens on loopback only unless told otherwise, answers only to loopback names (DNS rebinding),
redirects never leave the site (an open redirect through ``//host``), its live-reload socket refuses
other origins, and every path outside the site, however spelt, is a plain 404.
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossator.cli import _parser
from glossator.serve import PreviewServer, preview

from ..test_serve import running
from .hostile import FRONT, note, project

TIMEOUT = 20


@pytest.fixture
def served(tmp_path: Path) -> Iterator[PreviewServer]:
    root = project(tmp_path / "p", FRONT + "Hello world.\n", {"a.yaml": note("n", "Hello")})
    (root / "secret.txt").write_text("secret", encoding="utf-8")
    server = preview(root, root / "site", jobs=1)
    server._log = lambda message: None
    yield from running(server)


def request(server: PreviewServer, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    """A GET with the path sent exactly as given."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_loopback_is_the_default_everywhere(served: PreviewServer):
    assert _parser().parse_args(["serve"]).host == "127.0.0.1"
    assert served.host == "127.0.0.1"
    assert PreviewServer.__init__.__defaults__[2] == "127.0.0.1"  # host, after watched and watched_files


def test_the_server_cannot_be_reached_from_another_address(served: PreviewServer):
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as route:  # the address of the default route; sends nothing
        try:
            route.connect(("10.255.255.255", 1))
            addresses.add(route.getsockname()[0])
        except OSError:
            pass
    addresses = {address for address in addresses if not address.startswith("127.") and address != "0.0.0.0"}
    if not addresses:
        pytest.skip("this machine has no address but loopback")
    for address in addresses:
        with socket.socket() as probe, pytest.raises(OSError):
            probe.settimeout(2)
            probe.connect((address, served.port))


@pytest.mark.parametrize("path", ["//t", "///t", "/%2Ft", "//search", "/%2F%2Fsearch"])
def test_redirects_stay_on_the_site(served: PreviewServer, path: str):
    response = request(served, path)
    assert response.status == 302
    location = response.getheader("Location")
    assert location.startswith("/") and not location.startswith("//"), location


@pytest.mark.parametrize(
    "path",
    [
        "/..",
        "/../p/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/t/%2e%2e/%2e%2e/secret.txt",
        "/.%2e/secret.txt",
        "/%252e%252e/secret.txt",
        "/t/..\\..\\secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/" + "../" * 20 + "etc/passwd",
        "/static/",
        "/.glossator-site",
        "/t/index.html%00.txt",
    ],
)
def test_no_path_outside_the_site_or_listing_is_served(served: PreviewServer, path: str):
    response = request(served, path)
    assert response.status in (400, 404)


def test_links_planted_in_the_site_are_not_followed(served: PreviewServer, tmp_path: Path):
    site = served.site
    os.symlink("/etc/passwd", site / "passwd.html")
    os.symlink(tmp_path, site / "up")
    assert request(served, "/passwd.html").status == 404
    assert request(served, "/up/p/secret.txt").status == 404


def _upgrade(origin: str) -> dict[str, str]:
    return {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
        "Origin": origin,
    }


def test_the_reload_socket_refuses_other_origins(served: PreviewServer):
    own = f"http://{served.host}:{served.port}"
    assert request(served, "/livereload", _upgrade(own)).status == 101
    assert request(served, "/livereload", _upgrade("http://evil.example")).status == 403
    assert request(served, "/livereload", _upgrade(f"http://{served.host}:{served.port + 1}")).status == 403


def test_pages_are_served_with_nosniff(served: PreviewServer):
    assert request(served, "/t/").getheader("X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize("path", ["/t/", "/__glossator__/status.json", "/livereload.js"])
def test_a_page_that_rebinds_its_own_name_to_loopback_is_not_answered(served: PreviewServer, path: str):
    """DNS rebinding: evil.example resolving to 127.0.0.1 must not let its page read the preview."""
    assert request(served, path, {"Host": f"localhost:{served.port}"}).status == 200
    assert request(served, path, {"Host": f"evil.example:{served.port}"}).status == 404
    rebound = _upgrade(f"http://evil.example:{served.port}") | {"Host": f"evil.example:{served.port}"}
    assert request(served, "/livereload", rebound).status == 404
