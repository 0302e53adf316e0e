"""The `reportgen` command: parse, call one library function, print, pick the exit code.

Exit codes: 0 done; 1 done but blocking issues found, or nothing could be built; 2 wrong usage.
Library errors become one clear line here; nothing below this module prints.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from reportgen import __version__
from reportgen.errors import ReportgenError, UsageError, describe_os_error

if TYPE_CHECKING:
    from reportgen.pdf_parallel import PdfWorkers

OK, BLOCKED, USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return guarded(lambda: int(args.run(args)))


def guarded(run: Callable[[], int]) -> int:
    """The edge of `reportgen` and of the flow scripts: a library error becomes one line and an exit code."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line, however narrow the terminal
    try:
        return run()
    except UsageError as exc:
        err.print(f"[bold red]reportgen: error:[/] {escape(str(exc))}")
        return USAGE
    except ReportgenError as exc:
        err.print(f"[bold red]reportgen: error:[/] {escape(str(exc))}")
        return BLOCKED
    except OSError as exc:  # the machine, not the inputs: disk full, read-only folder
        err.print(f"[bold red]reportgen: error:[/] {escape(describe_os_error(exc))}")
        return BLOCKED
    except KeyboardInterrupt:
        err.print("reportgen: interrupted; no draft was published.")
        return 130


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reportgen", description="Police and Crime Panel papers from the "
                                     "action register and partner returns.")
    parser.add_argument("--version", action="version", version=f"reportgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build a draft paper (DOCX, PDF, register, issues)",
                                description="Read, check and merge the returns, then write a new draft "
                                "folder; its path is the last line printed.")
    build_options(build)
    build.add_argument("--all", action="store_true", help="also show notes for information")
    build.set_defaults(run=run_build)

    validate = commands.add_parser("validate", help="run every check of a build; writes nothing",
                                   description="Run exactly the checks of `build` (carry-forward, unchanged "
                                   "returns, narrative, edition) and print the same summary and issues, "
                                   "grouped by file; nothing is written.")
    _workspace_args(validate)
    validate.add_argument("--edition", choices=("public", "restricted"), default="public",
                          help="the edition whose paper is checked (default: public)")
    validate.add_argument("--all", action="store_true", help="also show notes for information")
    validate.set_defaults(run=run_validate)

    returns = commands.add_parser("returns", help="write pre-filled return workbooks, one per lead partner",
                                  description="Write one pre-filled .xlsx return per lead partner (never "
                                  "overwriting); the folder is the last line printed.")
    returns_options(returns)
    returns.set_defaults(run=run_returns)

    diff = commands.add_parser("diff", help="compare two kept drafts (tracked-changes DOCX, summary, JSON)",
                               description="Compare two draft folders by action ref; write diff.docx (Word "
                               "tracked changes), diff.html, diff.pdf and diff.json into a new folder, whose "
                               "path is the last line printed.")
    diff_options(diff)
    diff.set_defaults(run=run_diff)

    _mail_commands(commands)

    template = commands.add_parser("template", help="write the default Word template into the workspace to restyle",
                                   description="Write reportgen's default paper.docx (with --all also "
                                   "paper.html.j2 and paper.css) into the workspace's templates/ folder, never "
                                   "replacing a file there; restyle it in Word and both the DOCX and the PDF "
                                   "follow. The folder is the last line printed.")
    template.add_argument("--workspace", type=Path, default=Path("."), help="workspace folder (default: .)")
    template.add_argument("--all", action="store_true",
                          help="also the PDF's HTML template and stylesheet (for CSS changes)")
    template.set_defaults(run=run_template)

    history = commands.add_parser("history", help="write every action's status in each period (xlsx, csv)",
                                  description="Read the newest kept draft of each period and write the action "
                                  "× period table of statuses as history.xlsx and history.csv; the folder is "
                                  "the last line printed.")
    history.add_argument("--workspace", type=Path, default=Path("."), help="workspace folder (default: .)")
    history.add_argument("--out", type=Path, help="folder to write to (default: outputs/history)")
    history.add_argument("--edition", choices=("public", "restricted"), default="public",
                         help="which kept drafts to read: public (default) or restricted")
    history.set_defaults(run=run_history)

    serve = commands.add_parser("serve", help="serve the monthly schedule with Prefect",
                                description="Serve the monthly deployment (cron from reportgen.toml).")
    serve.add_argument("--workspace", type=Path, default=Path("."), help="workspace folder (default: .)")
    serve.set_defaults(run=run_serve)
    return parser


def _mail_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    helps = {
        "send-returns": ("mail each lead partner its pre-filled return workbook",
                         "Mail each lead partner in [partners] its pre-filled workbook, the deadline and "
                         "instructions; never the same message twice (outputs/<period>/mail/sent.csv)."),
        "chase": ("remind partners with no return (or an untouched one)",
                  "Mail a reminder, listing its actions, to each lead that sent no return or sent its "
                  "workbook back unchanged; at most one a partner a day."),
        "collect": ("save the returns partners emailed, check and acknowledge them",
                    "Read the mailbox: save each partner's .xlsx/.csv attachment as its return, check it and "
                    "reply with what to correct; move each message out of the inbox."),
    }
    for name, (summary, description) in helps.items():
        command = commands.add_parser(name, help=summary, description=description + " Mail server in "
                                      "[mail]; login from REPORTGEN_MAIL_USER and REPORTGEN_MAIL_PASSWORD or "
                                      "REPORTGEN_MAIL_OAUTH_TOKEN.")
        mail_options(command, name)
        command.set_defaults(run=run_mail, step=name)


# The options of each command, shared with the flow scripts (`python flows/*.py`), which take the same.

def _workspace_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", type=Path, default=Path("."), help="workspace folder (default: .)")
    parser.add_argument("--period", help="YYYY-MM (default: the newest folder under inputs/returns)")


def edition_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--edition", choices=("public", "restricted"), default="public",
                        help="public (default) leaves exempt actions out; restricted includes them")


def build_options(parser: argparse.ArgumentParser, out: bool = True) -> None:
    _workspace_args(parser)
    if out:
        parser.add_argument("--out", type=Path, help="write the draft exactly here (must not exist or be empty)")
    edition_option(parser)


def returns_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", type=Path, default=Path("."), help="workspace folder (default: .)")
    parser.add_argument("--period", required=True, help="YYYY-MM: the period the returns are for")
    parser.add_argument("--out", type=Path, help="folder to write to (default: outputs/<period>/returns)")


def mail_options(parser: argparse.ArgumentParser, step: str) -> None:
    """send-returns, chase, collect (`step`), here and in flows/send_returns.py, chase.py, collect.py."""
    parser.add_argument("--workspace", type=Path, default=Path("."), help="workspace folder (default: .)")
    parser.add_argument("--period", required=True, help="YYYY-MM: the period the returns are for")
    parser.add_argument("--dry-run", action="store_true", help="write the messages as .eml files into "
                        "outputs/<period>/mail/outbox; send, save and move nothing")
    if step == "collect":
        parser.add_argument("--from-folder", type=Path, metavar="DIR",
                            help="read .eml files from this folder instead of the IMAP mailbox")


def diff_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", type=Path, metavar="OLD_DRAFT_DIR", help="the earlier draft folder")
    parser.add_argument("new", type=Path, metavar="NEW_DRAFT_DIR", help="the later draft folder")
    parser.add_argument("--out", type=Path, help="folder to write to (must not exist or be empty; default: "
                        "outputs/<period>/compare/<old>-to-<new>)")
    parser.add_argument("--allow-restricted", action="store_true",
                        help="compare a restricted draft with a public one (the comparison is marked restricted)")


def run_validate(args: argparse.Namespace) -> int:
    from reportgen.build import validate_draft
    from reportgen.report import print_build_summary

    out = Console(highlight=False, soft_wrap=True)
    checks = validate_draft(args.workspace, args.period, args.edition)
    print_build_summary(out, checks.paper, checks.issues, checks.chase, show_info=args.all)
    return BLOCKED if checks.blocking else OK


def run_build(args: argparse.Namespace) -> int:
    from reportgen.pdf_parallel import start_workers
    from reportgen.template_files import templates_folder

    # first: the PDF workers load WeasyPrint while this process imports the rest and reads the inputs
    with contextlib.ExitStack() as stack:
        workers = start_workers(templates_folder(args.workspace.resolve())) if args.workspace.is_dir() else None
        if workers is not None:
            stack.enter_context(workers)
        return _build(args, workers)


def _build(args: argparse.Namespace, workers: PdfWorkers | None) -> int:
    from reportgen.build import build_draft
    from reportgen.report import print_build_summary

    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False)
    with err.status("Building the paper…") as status:
        result = build_draft(args.workspace, args.period, args.out, args.edition,
                             on_stage=lambda name: status.update(f"Building the paper: {name}…"), workers=workers)
    print_build_summary(out, result.paper, result.issues, result.chase, show_info=args.all)
    print(result.folder)  # the last line: scripts read the draft folder from it
    return BLOCKED if result.blocking else OK


def run_returns(args: argparse.Namespace) -> int:
    from reportgen.report import print_returns
    from reportgen.return_workbooks import write_return_workbooks

    written, issues = write_return_workbooks(args.workspace, args.period, args.out)
    folder = written[0].parent if written else args.out or args.workspace / "outputs" / args.period / "returns"
    print_returns(Console(highlight=False, soft_wrap=True), written, issues)
    print(folder)  # the last line: scripts read the folder from it
    return BLOCKED if any(i.blocking for i in issues) else OK


def run_diff(args: argparse.Namespace) -> int:
    from reportgen.diff import human_text
    from reportgen.diff_render import compare_drafts

    result = compare_drafts(args.old, args.new, args.out, allow_restricted=args.allow_restricted)
    print(human_text(result.diff))  # plain print: its [-deleted-] marks are not rich markup
    print(result.folder)  # the last line: scripts read the folder from it
    return OK


def run_mail(args: argparse.Namespace) -> int:
    import os

    from reportgen.mail.credentials import credentials_from_env
    from reportgen.mail.steps import chase_partners, collect_returns, send_returns, summary_lines
    from reportgen.report import print_issues
    from reportgen.settings import load_settings

    out = Console(highlight=False, soft_wrap=True)
    settings = load_settings(args.workspace)
    reads_imap = args.step == "collect" and args.from_folder is None
    needs_login = reads_imap or not args.dry_run
    credentials = credentials_from_env(os.environ, settings.mail.auth) if needs_login else None
    if args.step == "send-returns":
        run = send_returns(args.workspace, args.period, credentials, args.dry_run)
    elif args.step == "chase":
        run = chase_partners(args.workspace, args.period, credentials, args.dry_run)
    else:
        run = collect_returns(args.workspace, args.period, credentials, args.dry_run, args.from_folder)
    for line in summary_lines(run):
        print(line)
    if run.issues:
        print_issues(out, run.issues)
    print(run.outbox or args.workspace / "outputs" / args.period / "mail")  # the last line: the folder
    return BLOCKED if run.needs_attention else OK


def run_template(args: argparse.Namespace) -> int:
    from reportgen.restyle import PDF_TEMPLATES, WORD_TEMPLATE, copy_templates

    names = WORD_TEMPLATE + (PDF_TEMPLATES if args.all else ())
    written, kept = copy_templates(args.workspace, names)
    for path in written:
        print(f"wrote {path}")
    for path in kept:
        print(f"kept {path} (already there: not replaced)")
    print(args.workspace / "templates")  # the last line: scripts read the folder from it
    return OK


def run_history(args: argparse.Namespace) -> int:
    from reportgen.history import export_history
    from reportgen.report import print_issues

    out = Console(highlight=False, soft_wrap=True)
    result = export_history(args.workspace, args.out, args.edition)
    if result.issues:
        print_issues(out, result.issues)
    out.print(f"{result.actions} actions over {len(result.periods)} period(s): {', '.join(result.periods)}")
    print(result.xlsx)
    print(result.csv)
    print(result.xlsx.parent)  # the last line: scripts read the folder from it
    return OK


def run_serve(args: argparse.Namespace) -> int:
    from reportgen.serve import serve_monthly

    serve_monthly(args.workspace.resolve(), lambda line: print(line, flush=True))
    return OK


if __name__ == "__main__":
    sys.exit(main())
