"""Command line: ``glossator [build|check|serve|new|reanchor] [--root DIR] ...``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path

from glossator import __version__
from glossator.build import has_errors
from glossator.diagnostics import format_github, format_json, format_text, summary, use_color
from glossator.document import parse_document
from glossator.heap import keep_freed_memory
from glossator.incremental import Report, Site
from glossator.load import load_project
from glossator.model import KINDS, Diagnostic, Severity
from glossator.parallel import default_jobs
from glossator.reanchor import FileChanged, format_plan, propose, rewrite_file, updated_files
from glossator.scaffold import NoteRequest, ScaffoldError, UsageError, plan_note, write_new_note
from glossator.write import OutputError, check_output

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; returns the exit code (0 ok, 1 content errors, 2 usage errors)."""
    parser = _parser()
    args = parser.parse_args(_with_default_command(list(sys.argv[1:] if argv is None else argv)))
    root = Path(args.root)
    if not root.is_dir():
        parser.error(f"--root {root} is not a folder")
    keep_freed_memory()
    if args.command == "serve":
        from glossator.serve import serve

        return serve(root, _out(args, root), args.host, args.port, args.open)
    if args.command == "check":
        return _report(Site(root, args.jobs, remember=False).check(), args)
    if args.command == "new":
        return _new(args, root)
    if args.command == "reanchor":
        return _reanchor(args, root)
    try:
        check_output(_out(args, root), root)
    except OutputError as error:
        print(f"glossator: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    report = Site(root, args.jobs, remember=False).build(_out(args, root))
    code = _report(report, args)
    if report.written:
        print(f"built {report.files} files into {_out(args, root)}", file=sys.stderr)
    else:
        print("nothing written: the previous site, if any, is unchanged", file=sys.stderr)
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glossator",
        description=(
            "Build a static annotated reader from Markdown texts (content/) and YAML annotations (annotations/)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"glossator {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--root", default=".", metavar="DIR", help="the project folder, holding content/ and annotations/ (default: .)"
    )
    reporting = argparse.ArgumentParser(add_help=False)
    reporting.add_argument("--strict", action="store_true", help="treat warnings as errors")
    reporting.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="how to print problems: text (default), github (workflow commands for pull requests), json",
    )
    work = argparse.ArgumentParser(add_help=False)
    work.add_argument(
        "--jobs",
        type=int,
        default=default_jobs(),
        metavar="N",
        help="processes to render texts with, on large projects (default: one per core)",
    )
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--out", metavar="DIR", help="output folder (default: ROOT/site)")
    commands.add_parser("build", parents=[common, reporting, work, output], help="build the site (the default command)")
    check = "validate texts and annotations; write nothing"
    commands.add_parser("check", parents=[common, reporting, work], help=check)
    serve = commands.add_parser("serve", parents=[common, output], help="preview locally with live reload")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    new = commands.add_parser("new", parents=[common], help="start a note on a passage: annotations/TEXT/<id>.yaml")
    new.add_argument("text", metavar="TEXT", help="the text's slug: its file name in content/ without .md")
    new.add_argument("passage", metavar="PASSAGE", help="the words to annotate, as they read on the page")
    new.add_argument("--kind", choices=KINDS, default="context", help="the note's kind (default: context)")
    new.add_argument("--id", help="the note's id (default: made from the passage)")
    new.add_argument("--match", type=int, metavar="N", help="which occurrence of a repeated passage (1, 2, ...)")
    new.add_argument("--author", metavar="NAME", help="your name, for the note's author field")
    reanchor = commands.add_parser("reanchor", parents=[common], help="update quotes whose passage changed slightly")
    reanchor.add_argument("--write", action="store_true", help="apply the proposed changes (default: only show them)")
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    """``glossator --root x`` means ``glossator build --root x``."""
    if any(arg in ("-h", "--help", "--version") for arg in argv[:1]):
        return argv
    if not argv or argv[0] not in ("build", "check", "serve", "new", "reanchor"):
        return ["build", *argv]
    return argv


def _out(args: argparse.Namespace, root: Path) -> Path:
    return Path(args.out) if args.out else root / "site"


def _report(result: Report, args: argparse.Namespace) -> int:
    diagnostics = list(result.diagnostics)
    if args.strict:
        diagnostics = [replace(d, severity=Severity.ERROR) for d in diagnostics]
    print(_format(diagnostics, result, args.format), end="", file=sys.stdout if args.format != "text" else sys.stderr)
    if args.format == "text":
        print(f"{result.texts} texts, {result.annotations} annotations: {summary(diagnostics)}", file=sys.stderr)
    return EXIT_CONTENT if has_errors(diagnostics) else EXIT_OK


def _format(diagnostics: list[Diagnostic], result: Report, style: str) -> str:
    if style == "github":
        return format_github(diagnostics)
    if style == "json":
        return format_json(diagnostics)
    return format_text(diagnostics, result.source_lines, color=use_color(sys.stderr))


def _new(args: argparse.Namespace, root: Path) -> int:
    """Plan a note on a passage and create its file (never overwriting one)."""
    project, problems = load_project(root)
    today = date.today().isoformat()
    request = NoteRequest(args.text, args.passage, today, args.kind, args.id, args.match, args.author)
    try:
        note = plan_note(project, problems, request, _schema(root))
        write_new_note(root, note)
    except UsageError as error:
        print(f"glossator: error: {error}" + (f"\n  hint: {error.hint}" if error.hint else ""), file=sys.stderr)
        return EXIT_USAGE
    except ScaffoldError as error:
        color = use_color(sys.stderr)
        print(format_text(error.diagnostics, project.source_lines, color=color), end="", file=sys.stderr)
        return EXIT_CONTENT
    except FileExistsError:
        print(f"glossator: error: {note.path} already exists; new never overwrites a file", file=sys.stderr)
        print("  hint: choose another id with --id", file=sys.stderr)
        return EXIT_CONTENT
    where = f"{note.passage.path}:{note.passage.line}:{note.passage.col}"
    print(f"created {note.path}: a {args.kind} note on {where}")
    print(f"next: write the note and its sources in {note.path}, then run: glossator check")
    return EXIT_OK


def _schema(root: Path) -> str:
    """The annotation schema for the modeline: the project's copy if it has one, else the installed one."""
    own = "glossator/schema/annotations.schema.json"
    return own if (root / own).is_file() else str(resources.files("glossator.schema") / "annotations.schema.json")


def _reanchor(args: argparse.Namespace, root: Path) -> int:
    """Show (and with --write, apply) new quotes for notes whose passage changed slightly."""
    project, problems = load_project(root)
    plan = propose(project, [parse_document(text) for text in project.texts])
    print(format_plan(plan, project.source_lines, color=use_color(sys.stdout)), end="")
    left = [d for d in problems if d.severity is Severity.ERROR] + list(plan.unresolved)
    print(format_text(left, project.source_lines, color=use_color(sys.stderr)), end="", file=sys.stderr)
    if args.write:
        for path, (before, after) in updated_files(plan, project.source_lines).items():
            try:
                rewrite_file(root / path, before, after)
            except FileChanged as error:
                print(f"glossator: error: {error}", file=sys.stderr)
                return EXIT_CONTENT
            print(f"updated {path}")
    done = "re-anchored" if args.write else "can be re-anchored"
    done += ": run again with --write to apply" if plan.proposals and not args.write else ""
    if plan.proposals or left:
        print(f"{len(plan.proposals)} note(s) {done}; {len(left)} problem(s) need a hand edit", file=sys.stderr)
    else:
        print("nothing to re-anchor: every quote matches its text", file=sys.stderr)
    return EXIT_CONTENT if left else EXIT_OK
