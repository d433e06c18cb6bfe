"""Inspecting built output for anything that could run: the checks behind the XSS corpus test.

Each output file is parsed as what it is (HTML with :mod:`html.parser`, feeds and sitemaps with
ElementTree, JSON and JSON-LD with :mod:`json`) and every element, attribute and URL is held to
an allowlist. What the theme itself writes, whatever the content, is learnt from a baseline build
of benign content (:class:`Baseline`), so only markup that content brought in is judged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree

from glossator.model import Page

CANARY = "1343433"
"""7*191919: appears in output only if contributor text was evaluated as a template."""

MARKDOWN_TAGS = frozenset(
    "p em strong a code pre blockquote ul ol li h1 h2 h3 h4 h5 h6 hr br img table thead tbody tr th td s del "
    "sup section mark span div aside".split()
)
"""Elements Markdown content may produce (footnotes add section and sup; highlights add mark)."""
MARKDOWN_ATTRIBUTES = frozenset("href src alt title id class start style data-note aria-label".split())
"""Attributes Markdown content may produce."""
URL_ATTRIBUTES = frozenset(
    "href src action formaction xlink:href poster background cite data srcset ping longdesc manifest codebase "
    "icon dynsrc lowsrc".split()
)
"""Attributes a browser follows or loads."""
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
ALWAYS_FORBIDDEN = frozenset(
    "iframe frame frameset object embed applet svg math base form input button textarea select style template "
    "portal isindex".split()
)
"""Elements that run, embed or submit; never acceptable from content."""
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_STYLE = re.compile(r"^text-align:\s*(left|right|center)\s*;?$")


def url_problem(value: str) -> str | None:
    """Why a URL could run script or leave the allowed schemes, the way a browser reads it; None if safe."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    match = _SCHEME.match(cleaned.lower())
    if match and match.group(1) not in SAFE_SCHEMES:
        return f"URL with scheme {match.group(1)!r}: {value!r}"
    return None


@dataclass
class Baseline:
    """What the theme writes regardless of content, learnt from a build of benign content."""

    tags: set[str] = field(default_factory=set)
    elements: set[tuple[str, tuple[tuple[str, str | None], ...]]] = field(default_factory=set)
    """Every element exactly as the theme writes it: its forms and buttons may appear only so."""
    attributes: set[str] = field(default_factory=set)
    script_sources: set[str] = field(default_factory=set)
    url_values: set[tuple[str, str, str]] = field(default_factory=set)
    """(element, attribute, value) triples the theme writes, such as its favicon link."""
    meta: set[tuple[tuple[str, str | None], ...]] = field(default_factory=set)
    data_js_code: dict[str, str] = field(default_factory=dict)

    @classmethod
    def learn(cls, pages: Iterable[Page]) -> Baseline:
        baseline = cls()
        for page in pages:
            if page.path.endswith(".html"):
                scan = _HtmlScan(None)
                scan.feed(page.content.decode("utf-8"))
                scan.close()
                for tag, attrs in scan.elements:
                    baseline.tags.add(tag)
                    baseline.elements.add((tag, tuple(attrs)))
                    baseline.attributes.update(name for name, _ in attrs)
                    for name, value in attrs:
                        if name in URL_ATTRIBUTES and value is not None:
                            baseline.url_values.add((tag, name, value))
                        if tag == "script" and name == "src" and value:
                            baseline.script_sources.add(value)
                    if tag == "meta":
                        baseline.meta.add(tuple(sorted((n, v) for n, v in attrs if n in ("http-equiv", "name"))))
            elif page.path.endswith(".js") and not page.path.startswith("static/"):
                baseline.data_js_code[page.path] = _split_data_js(page.content.decode("utf-8"))[0]
        return baseline


def site_problems(pages: Iterable[Page], baseline: Baseline) -> list[str]:
    """Every way the pages could run script or load what they should not."""
    problems: list[str] = []
    for page in pages:
        if page.path.startswith("static/"):
            continue  # the theme's own files, identical in every build
        text = page.content.decode("utf-8")
        found: list[str] = []
        if CANARY in text:
            found.append("template syntax from content was evaluated (canary found)")
        if page.path.endswith(".html"):
            found += html_problems(text, baseline, page=True)
        elif page.path.endswith(".xml"):
            found += xml_problems(page.content, baseline)
        elif page.path.endswith((".json", ".jsonld")):
            found += json_problems(text, baseline)
        elif page.path.endswith(".js"):
            code, data = _split_data_js(text)
            if baseline.data_js_code.get(page.path) != code:
                found.append("the code around the data in a generated script changed with the content")
            found += json_problems(data, baseline)
        else:
            found.append("a kind of output these checks do not read yet: teach inspect_output.py to judge it")
        problems += [f"{page.path}: {problem}" for problem in found]
    return problems


def html_problems(html: str, baseline: Baseline, page: bool) -> list[str]:
    """Problems in an HTML page (``page``) or an HTML fragment embedded in a feed or export."""
    scan = _HtmlScan(baseline)
    scan.feed(html)
    scan.close()
    problems = scan.problems
    if page:
        problems += csp_problems(scan.csp)
    return problems


def csp_problems(policies: list[str]) -> list[str]:
    """A page must carry a Content-Security-Policy that forbids inline and foreign script."""
    if len(policies) != 1:
        return [f"expected one Content-Security-Policy meta element, found {len(policies)}"]
    directives = {}
    for part in policies[0].split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    script = directives.get("script-src", directives.get("default-src"))
    problems = []
    if script is None:
        problems.append("the CSP does not restrict scripts (no script-src or default-src)")
    elif any(source in script for source in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")):
        problems.append(f"the CSP allows inline or foreign script: script-src {' '.join(script)}")
    if directives.get("object-src") != ["'none'"]:
        problems.append("the CSP does not forbid plugins (object-src 'none')")
    if "base-uri" not in directives:
        problems.append("the CSP does not restrict <base> (base-uri)")
    return problems


def xml_problems(data: bytes, baseline: Baseline) -> list[str]:
    """A feed or sitemap must be well-formed, declare nothing, link only to http(s), embed only safe HTML."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return ["XML declares a DOCTYPE or entities"]
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return [f"XML is not well-formed: {error}"]
    problems = []
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        for attribute, value in element.attrib.items():
            if attribute.rsplit("}", 1)[-1] in ("href", "src", "base", "uri") and (problem := url_problem(value)):
                problems.append(problem)
        if name in ("link", "loc", "uri", "url", "id", "comments") and element.text and not len(element):
            if problem := url_problem(element.text.strip()):
                problems.append(problem)
        is_html = element.get("type") in ("html", "xhtml") or name in ("description", "encoded")
        if is_html and element.text:
            problems += html_problems(element.text, baseline, page=False)
    return problems


def json_problems(text: str, baseline: Baseline) -> list[str]:
    """JSON must parse; URLs in it must be safe; values declared as HTML must be safe HTML."""
    try:
        data = json.loads(text)
    except ValueError as error:
        return [f"JSON does not parse: {error}"]
    problems: list[str] = []
    _walk_json(data, baseline, problems)
    return problems


def _walk_json(value: object, baseline: Baseline, problems: list[str]) -> None:
    if isinstance(value, dict):
        if value.get("format") == "text/html" and isinstance(value.get("value"), str):
            problems += html_problems(value["value"], baseline, page=False)
        for key, item in value.items():
            if key in ("id", "@id", "url", "href", "source", "sameAs", "image", "logo") and isinstance(item, str):
                if problem := url_problem(item):
                    problems.append(problem)
            _walk_json(item, baseline, problems)
    elif isinstance(value, list):
        for item in value:
            _walk_json(item, baseline, problems)


def _split_data_js(text: str) -> tuple[str, str]:
    """A generated script is code around one JSON value: ``window.x = {...};``."""
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=len(text))
    end = max(text.rfind("}"), text.rfind("]")) + 1
    return text[:start] + "…" + text[end:], text[start:end]


class _HtmlScan(HTMLParser):
    """Collects elements, and with a baseline, everything content should not have brought in."""

    def __init__(self, baseline: Baseline | None) -> None:
        super().__init__(convert_charrefs=True)
        self.baseline = baseline
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.problems: list[str] = []
        self.csp: list[str] = []
        self.script: str | None = None
        """Inside a script element: its type ("json" or "external")."""
        self.json_ld: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        values = {name: value for name, value in attrs}
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(values.get("content") or "")
        if tag == "script":
            self.script = "json" if values.get("type") == "application/ld+json" else "external"
            self.json_ld.append("")
        if self.baseline is not None:
            self._judge(tag, attrs, values)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            if self.script == "json" and self.baseline is not None:
                self._judge_json_ld(self.json_ld[-1])
            self.script = None

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.json_ld[-1] += data
            if self.script == "external" and data.strip() and self.baseline is not None:
                self.problems.append(f"inline script: {data[:80]!r}")

    def _judge(self, tag: str, attrs: list[tuple[str, str | None]], values: dict[str, str | None]) -> None:
        baseline = self.baseline
        assert baseline is not None
        if tag in ALWAYS_FORBIDDEN and (tag, tuple(attrs)) not in baseline.elements:
            self.problems.append(f"element <{tag}> {attrs}, which the theme does not write")
        elif tag not in baseline.tags | MARKDOWN_TAGS:
            self.problems.append(f"element <{tag}> {attrs}")
        if tag == "script" and values.get("type") != "application/ld+json":
            if values.get("src") not in baseline.script_sources:
                self.problems.append(f"script that is not the theme's: {attrs}")
        if tag == "meta":
            key = tuple(sorted((n, v) for n, v in attrs if n in ("http-equiv", "name")))
            if key not in baseline.meta:
                self.problems.append(f"meta element the theme does not write: {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name}={value!r} on <{tag}>")
            elif name not in baseline.attributes | MARKDOWN_ATTRIBUTES or name in ("srcdoc", "formaction"):
                self.problems.append(f"attribute {name!r} on <{tag}>")
            elif name == "style" and not _STYLE.match(value or ""):
                self.problems.append(f"style attribute {value!r} on <{tag}>")
            elif name in URL_ATTRIBUTES and value is not None and (tag, name, value) not in baseline.url_values:
                if problem := url_problem(value):
                    self.problems.append(f"{problem} on <{tag} {name}>")

    def _judge_json_ld(self, raw: str) -> None:
        if "<" in raw:
            self.problems.append("JSON-LD block holds a '<', which could close its script element")
        try:
            data = json.loads(raw)
        except ValueError as error:
            self.problems.append(f"JSON-LD does not parse: {error}")
            return
        assert self.baseline is not None
        _walk_json(data, self.baseline, self.problems)
