"""Command line: ``glossator [build|check|serve] [--root DIR] ...``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from glossator import __version__
from glossator.build import Result, build, has_errors, render
from glossator.diagnostics import format_github, format_json, format_text, summary
from glossator.model import Diagnostic, Severity
from glossator.write import OutputError, check_output

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; returns the exit code (0 ok, 1 content errors, 2 usage errors)."""
    parser = _parser()
    args = parser.parse_args(_with_default_command(list(sys.argv[1:] if argv is None else argv)))
    root = Path(args.root)
    if not root.is_dir():
        parser.error(f"--root {root} is not a folder")
    if args.command == "serve":
        from glossator.serve import serve

        return serve(root, _out(args, root), args.host, args.port, args.open)
    if args.command == "check":
        return _report(render(root), args)
    try:
        check_output(_out(args, root), root)
    except OutputError as error:
        print(f"glossator: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    result = build(root, _out(args, root))
    code = _report(result, args)
    if result.pages:
        print(f"built {len(result.pages)} files into {_out(args, root)}", file=sys.stderr)
    else:
        print("nothing written: the previous site, if any, is unchanged", file=sys.stderr)
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glossator",
        description="Build a static annotated reader from Markdown texts (content/) and YAML annotations (annotations/).",
    )
    parser.add_argument("--version", action="version", version=f"glossator {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=".", metavar="DIR", help="the project folder, holding content/ and annotations/ (default: .)")
    reporting = argparse.ArgumentParser(add_help=False)
    reporting.add_argument("--strict", action="store_true", help="treat warnings as errors")
    reporting.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="how to print problems: text (default), github (workflow commands for pull requests), json",
    )
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--out", metavar="DIR", help="output folder (default: ROOT/site)")
    commands.add_parser("build", parents=[common, reporting, output], help="build the site (the default command)")
    commands.add_parser("check", parents=[common, reporting], help="validate texts and annotations; write nothing")
    serve = commands.add_parser("serve", parents=[common, output], help="preview locally with live reload")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    """``glossator --root x`` means ``glossator build --root x``."""
    if any(arg in ("-h", "--help", "--version") for arg in argv[:1]):
        return argv
    if not argv or argv[0] not in ("build", "check", "serve"):
        return ["build", *argv]
    return argv


def _out(args: argparse.Namespace, root: Path) -> Path:
    return Path(args.out) if args.out else root / "site"


def _report(result: Result, args: argparse.Namespace) -> int:
    diagnostics = list(result.diagnostics)
    if args.strict:
        diagnostics = [replace(d, severity=Severity.ERROR) for d in diagnostics]
    print(_format(diagnostics, result, args.format), end="", file=sys.stdout if args.format != "text" else sys.stderr)
    if args.format == "text":
        texts = len(result.project.texts) if result.project else 0
        notes = sum(len(a) for a in result.project.annotations.values()) if result.project else 0
        print(f"{texts} texts, {notes} annotations: {summary(diagnostics)}", file=sys.stderr)
    return EXIT_CONTENT if has_errors(diagnostics) else EXIT_OK


def _format(diagnostics: list[Diagnostic], result: Result, style: str) -> str:
    if style == "github":
        return format_github(diagnostics)
    if style == "json":
        return format_json(diagnostics)
    sources = result.project.source_lines if result.project else {}
    return format_text(diagnostics, sources, color=sys.stderr.isatty())
