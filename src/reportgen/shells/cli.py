"""The `reportgen` command: the command table (`reportgen.shells.commands`) run with the library, never Prefect.

Each command calls one library function, prints what it did (the folder written is the last line)
and returns its exit code by the one rule of `commands.exit_code`: 0 done, 1 issues block
publication or nothing could be built, 2 wrong usage. Library errors become one clear line here;
nothing below this module prints. The flow scripts (`flow_cli.py`) print with the same `show_*`.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.util
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.markup import escape

from reportgen import __version__
from reportgen.errors import NOTHING_PUBLISHED, ReportgenError, UsageError, describe_os_error
from reportgen.shells.commands import (
    BLOCKED,
    COMMANDS,
    CONTEXT,
    OK,
    USAGE,
    Command,
    InOrder,
    click_command,
    exit_code,
    parse,
)
from reportgen.stops import command_begun, last_line_said, stopped
from reportgen.wording import counted

if TYPE_CHECKING:
    from reportgen.diff.render import DiffResult
    from reportgen.issues import Issue
    from reportgen.mail.steps import MailOutcome
    from reportgen.render.pdf.parallel import PdfWorkers
    from reportgen.run.build import BuildResult, Checks
    from reportgen.run.history import HistoryExport
    from reportgen.run.publish import Published
    from reportgen.terms import Edition

__all__ = ["BLOCKED", "OK", "USAGE", "guarded", "main", "make_parser"]


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    handlers = list(logging.getLogger().handlers)  # a caller's too (pytest's): the filter is taken off after
    for handler in handlers:
        handler.addFilter(reported_as_issues)
    try:
        return parse(make_parser(), None if argv is None else list(argv), "reportgen")
    finally:
        for handler in handlers:
            handler.removeFilter(reported_as_issues)


def reported_as_issues(record: logging.LogRecord) -> bool:
    """False for WeasyPrint's line about a character drawn as an empty box: the build reports each such
    character as a `no-font-for` issue at the cell that holds it (`reportgen.glyphs`), before the PDF."""
    return not (record.name.startswith("weasyprint") and record.getMessage().startswith(".notdef glyph rendered"))


def make_parser() -> click.Group:
    """`reportgen` and its commands, from the command table."""
    group = InOrder("reportgen", help="Police and Crime Panel papers from the action register and partner returns.",
                    context_settings=CONTEXT)
    click.version_option(__version__, "--version", prog_name="reportgen", message="%(prog)s %(version)s")(group)
    for name, run in RUNS.items():
        group.add_command(click_command(COMMANDS[name], edge(run, UNDONE.get(name, ""), *write_failed(COMMANDS[name]))))
    return group


# What a command stopped before it ended has not done (Ctrl-C, SIGTERM, SIGHUP): the rest of its one line
UNDONE = {
    "build": "no draft was published",
    "validate": "validate writes nothing, so nothing was changed",
    "diff": "no comparison was written",
    "returns": "no workbook was written",  # written together, or none of them
    "history": "each history file written is whole, but they may not all be from this run; run it again",
}


# What a command had done when it could not write (no permission, disk full): the end of its one line. A mail
# command has mailed, saved or moved messages before it, which stand: never "nothing was published"
SENT_BEFORE = ("each message sent before it is recorded in sent.csv and is not sent again; run it again once it "
               "can write there")
WRITE_FAILED = {
    "send-returns": SENT_BEFORE,
    "chase": SENT_BEFORE,
    "collect": ("the messages dealt with before it stand: each moved out of the inbox is recorded in received.csv, "
                "and a return already saved is not saved twice; run collect again once it can write there"),
}


def write_failed(command: Command) -> tuple[bool, str]:
    """What a command's write failure says: whether it has --out to choose another folder with, and what it had
    done (`WRITE_FAILED`, by command or flow script name; else nothing was published)."""
    has_out = any(option().name == "out" for option in command.options)
    return has_out, WRITE_FAILED.get(command.name.replace("_", "-"), NOTHING_PUBLISHED)


def edge(run: Callable[..., int], undone: str = "", out: bool = True,
         done: str = NOTHING_PUBLISHED) -> Callable[..., int]:
    """A command's callback: its library call, with errors turned into one line and an exit code; `undone`
    says what a stop before it ended leaves undone; `out` and `done` what a write failure says (`write_failed`)."""
    return lambda **options: guarded(lambda: run(**options), undone, out, done)


def guarded(run: Callable[[], int], undone: str = "", out: bool = True, done: str = NOTHING_PUBLISHED) -> int:
    """The edge of `reportgen` and of the flow scripts: a library error becomes one line and an exit code, as
    does a stop (Ctrl-C, SIGTERM, SIGHUP: 128 + its number), saying what was done, or `undone`."""
    err = console(stderr=True)
    command_begun()
    try:
        code = run()
        last_line_said()  # done and said: a stop from here on is ignored
        return code
    except UsageError as exc:
        err.print(f"[bold red]reportgen: error:[/] {escape(str(exc))}")
        return USAGE
    except ReportgenError as exc:
        err.print(f"[bold red]reportgen: error:[/] {escape(str(exc))}")
        return BLOCKED
    except BrokenPipeError:  # the reader of its output stopped (`| head`): what was done stands; say nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own flush at exit would fail too
        return BLOCKED
    except OSError as exc:  # the machine, not the inputs: disk full, read-only folder
        err.print(f"[bold red]reportgen: error:[/] {escape(describe_os_error(exc, out, done))}")
        return BLOCKED
    except KeyboardInterrupt as exc:
        stop = stopped(exc)
        said = f" after {stop.after}" if stop.after else f"; {undone}" if undone else ""
        err.print(f"reportgen: {stop.how}{escape(said)}.")
        return stop.exit_code


def console(stderr: bool = False, soft_wrap: bool = True) -> Console:
    """Where a command prints: what it is given, as written. Partner text in an issue may look like
    rich's emoji codes (`:smile:`, `:thumbs_up:`), which rich would otherwise replace; markup is
    escaped where it is printed. Soft wrap: a line stays one line, however narrow the terminal."""
    return Console(stderr=stderr, highlight=False, emoji=False, soft_wrap=soft_wrap)


# What each command prints, and its exit code: the same for `reportgen` and the flow scripts.

def show_build(result: BuildResult, show_info: bool = False, comparison: DiffResult | None = None) -> int:
    from reportgen.shells.console import print_build_summary

    print_build_summary(console(), result.paper, result.issues, result.chase, comparison, show_info=show_info)
    # the last line: scripts read the draft folder from it. Out (flushed) while a stop still says the draft is kept
    print(result.folder, flush=True)
    last_line_said()
    return exit_code(len(result.blocking))


def show_returns(written: Sequence[Path], issues: Sequence[Issue], folder: Path) -> int:
    from reportgen.shells.console import print_returns

    print_returns(console(), written, issues)
    if folder.is_dir():  # refused before writing (a register not read whole), there is no folder to name
        print(folder, flush=True)  # the last line: scripts read the folder from it (flushed: as `show_build`)
    last_line_said()
    return exit_code(sum(1 for i in issues if i.blocking))


def show_diff(result: DiffResult) -> int:
    from reportgen.diff.changes import PLAIN_MARKS, TERMINAL_MARKS, human_text

    # plain print: its [-deleted-] marks are not rich markup; coloured as well on a terminal that takes colour
    coloured = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    print(human_text(result.diff, TERMINAL_MARKS if coloured else PLAIN_MARKS))
    print(result.folder, flush=True)  # the last line: scripts read the folder from it (flushed: as `show_build`)
    last_line_said()
    return exit_code(0)  # a comparison blocks nothing


def show_mail(mailed: MailOutcome) -> int:
    from reportgen.shells.console import print_issues

    for line in mailed.lines:
        print(line)
    if mailed.issues:
        print_issues(console(), mailed.issues, show_info=True)  # no issues.csv, no --all: every note
    print(mailed.folder)  # the last line: scripts read the folder from it
    return exit_code(mailed.blocking)


# The commands, run with the library.

@contextlib.contextmanager
def openpyxl_without_numpy() -> Iterator[None]:
    """While in this block, the first import of openpyxl runs as if numpy were not installed (~0.05-0.12 s less
    where a command imports it: `build` writes register.xlsx, and with an earlier draft `build` and
    `validate` compare returns with the workbooks it sent; reading .xlsx inputs never imports openpyxl).

    openpyxl imports numpy whenever it can, only to accept numpy numbers as cell values; reportgen
    reads workbooks with its own reader and writes text cells, never numpy values, and numpy (with
    pandas) is otherwise needed only by a build with history, which imports it as usual. Used by the
    commands only: hiding a module from `import` is not safe beside threads that might import it, so
    library callers (the flows, the tests) get openpyxl as it comes.
    """
    finder = _OpenpyxlWithoutNumpy()
    if "openpyxl" not in sys.modules and "numpy" not in sys.modules:
        sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(finder)


class _OpenpyxlWithoutNumpy(importlib.abc.MetaPathFinder):
    """Finds openpyxl once, with a loader that hides numpy while openpyxl's package runs.

    It stays in `sys.meta_path` until the block ends: removing it while a build's render threads import
    (matplotlib in one, openpyxl in another) shifted the list under the other thread's walk of the
    finders, which could skip the one that finds matplotlib ("No module named 'matplotlib'")."""

    def __init__(self) -> None:
        self.used = False

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        if name != "openpyxl" or self.used:
            return None
        self.used = True  # before find_spec below, which asks every finder again, this one included
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _NumpyHidden(spec.loader)
        return spec


class _NumpyHidden(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        if "numpy" in sys.modules:
            self.loader.exec_module(module)
            return
        sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError
        try:
            self.loader.exec_module(module)
        finally:
            del sys.modules["numpy"]


def run_build(workspace: Path, period: str | None, out: Path | None, edition: Edition, show_info: bool,
              todays_register: bool = False, revises: Path | None = None) -> int:
    from reportgen.render.pdf.parallel import start_workers
    from reportgen.template_files import templates_folder

    kept: list[Path] = []  # the draft, once published: a stop after that says it is there, and whole
    # first: the PDF workers load WeasyPrint while this process imports the rest and reads the inputs
    with said_after(kept, lambda draft: f"{draft.name} was kept (it is complete): {draft}"), \
            contextlib.ExitStack() as stack:
        stack.enter_context(openpyxl_without_numpy())  # the workers never import openpyxl
        workers = start_workers(templates_folder(workspace.resolve())) if workspace.is_dir() else None
        if workers is not None:
            stack.enter_context(workers)
        return _build(workspace, period, out, edition, show_info, workers, kept.append, todays_register, revises)


@contextlib.contextmanager
def said_after(done: list[Path], after: Callable[[Path], str]) -> Iterator[None]:
    """A stop in this block, once `done` holds the folder the command published, says it is there and whole
    (`after` of it), not the command's `UNDONE`: the command's edge (`guarded`) prints it."""
    try:
        yield
    except KeyboardInterrupt as exc:
        if not done:
            raise
        stop = stopped(exc)
        stop.after = after(done[0])
        raise stop from None


def _build(workspace: Path, period: str | None, out: Path | None, edition: Edition, show_info: bool,
           workers: PdfWorkers | None, on_kept: Callable[[Path], None], todays_register: bool = False,
           revises: Path | None = None) -> int:
    from reportgen.run.build import build_draft

    with console(stderr=True, soft_wrap=False).status("Building the paper…") as status:
        result = build_draft(workspace, period, out, edition, workers=workers, on_kept=on_kept,
                             todays_register=todays_register, revises=revises,
                             on_stage=lambda name: status.update(f"Building the paper: {name}…"))
    return show_build(result, show_info)


def run_init(workspace: Path) -> int:
    from reportgen.run.starter import start_workspace

    started = start_workspace(workspace)
    for path in started.written:
        print(f"{'made' if path.is_dir() else 'wrote'} {path}")
    if started.register_note:
        print(started.register_note)
    for line in started.next_steps:
        print(line)
    print(started.folder)  # the last line: scripts read the folder from it
    return OK


def run_validate(workspace: Path, period: str | None, edition: Edition, show_info: bool,
                 todays_register: bool = False, revises: Path | None = None) -> int:
    with openpyxl_without_numpy():
        from reportgen.run.unfinished import unfinished_issues

        unfinished = unfinished_issues(workspace, period)
        if unfinished:  # a workspace still being set up: what it lacks, not the first thing that stops a build
            return show_unfinished(unfinished)
        from reportgen.run.build import validate_draft

        checks = validate_draft(workspace, period, edition, todays_register, revises)
    return show_checks(checks, show_info)


def show_unfinished(issues: Sequence[Issue]) -> int:
    """What `validate` prints for a workspace still being set up: every issue (the notes too: each is a cover
    row still to fill in), then the verdict."""
    from reportgen.shells.console import print_issues, summary_line

    out = console()
    out.print("The workspace is not ready to check returns yet; still to fill in:")
    print_issues(out, issues, show_info=True)
    out.print(summary_line(issues))
    return exit_code(sum(1 for i in issues if i.blocking))


def show_checks(checks: Checks, show_info: bool) -> int:
    """What `validate` (and flows/check_paper.py) prints, and its exit code."""
    from reportgen.shells.console import print_build_summary

    print_build_summary(console(), checks.paper, checks.issues, checks.chase, show_info=show_info, in_csv=False)
    return exit_code(len(checks.blocking))


def run_publish(workspace: Path, draft: Path) -> int:
    from reportgen.run.publish import mark_published

    return show_published(mark_published(workspace.resolve(), draft))


def show_published(published: Published) -> int:
    """What `publish` (and flows/publish_paper.py) prints, and its exit code."""
    when = published.mark.marked
    if published.already:
        print(f"{published.mark.draft} was already recorded as the {published.mark.edition} paper published for "
              f"{published.mark.period} ({when}): nothing written")
    else:
        print(f"recorded {published.mark.draft} as the {published.mark.edition} paper published for "
              f"{published.mark.period}: {published.folder.name}/published.json (its files are as they were)")
    print(published.folder.resolve())  # the last line: scripts read the folder from it
    return OK


def run_returns(workspace: Path, period: str, out: Path | None, todays_register: bool = False) -> int:
    from reportgen.run.returns import write_return_workbooks

    placed: list[Path] = []  # the folder, once the whole set is in it
    with said_after(placed, lambda folder: f"the return workbooks were written (the set is complete): {folder}"):
        written, issues = write_return_workbooks(workspace, period, out, on_written=placed.append,
                                                 todays_register=todays_register)
        folder = written[0].parent if written else out or workspace / "outputs" / period / "returns"
        return show_returns(written, issues, folder)


def run_diff(old: Path, new: Path, out: Path | None, allow_restricted: bool) -> int:
    from reportgen.diff.render import compare_drafts

    written: list[Path] = []  # the comparison's folder, once published: a stop after that says it is there
    with said_after(written, lambda folder: f"the comparison was written (it is complete): {folder}"):
        return show_diff(compare_drafts(old, new, out, allow_restricted=allow_restricted, on_written=written.append))


def run_mail(step: str) -> Callable[..., int]:
    """send-returns, chase, collect: the login from the environment, unless nothing is sent or read."""

    def run(workspace: Path, period: str, dry_run: bool, from_folder: Path | None = None) -> int:
        import os

        from reportgen.mail.credentials import credentials_from_env
        from reportgen.mail.steps import chase_partners, collect_returns, mail_outcome, send_returns
        from reportgen.settings import load_settings

        reads_imap = step == "collect" and from_folder is None
        auth = load_settings(workspace).mail.auth
        credentials = credentials_from_env(os.environ, auth) if reads_imap or not dry_run else None
        if step == "send-returns":
            mailed = send_returns(workspace, period, credentials, dry_run)
        elif step == "chase":
            mailed = chase_partners(workspace, period, credentials, dry_run)
        else:
            mailed = collect_returns(workspace, period, credentials, dry_run, from_folder)
        return show_mail(mail_outcome(mailed, workspace))

    return run


def run_template(workspace: Path, with_pdf: bool, new_versions: bool = False) -> int:
    from reportgen.run.restyle import PDF_TEMPLATES, WORD_TEMPLATE, copy_templates, write_new_templates

    workspace = workspace.resolve()  # printed whole, as every command prints its folder
    if new_versions:
        return show_new_templates(workspace, *write_new_templates(workspace))
    written, kept = copy_templates(workspace, WORD_TEMPLATE + (PDF_TEMPLATES if with_pdf else ()))
    for path in written:
        print(f"wrote {path}")
    for path in kept:
        print(f"kept {path} (already there: not replaced)")
    print(workspace / "templates")  # the last line: scripts read the folder from it
    return OK


def show_new_templates(workspace: Path, written: Sequence[Path], kept: Sequence[Path],
                       differing: Sequence[Path] = ()) -> int:
    """What `template --new` prints: each .new file written, with what to do with it; each copy that differs from
    ours though taken from ours as it is now (restyled, or a merge under way), so "nothing written" is never read as
    "every copy is ours"."""
    for path in written:
        print(f"wrote {path}: reportgen's {path.stem} as it is now; carry your changes into it (or its changes into "
              f"yours), put the result in place of {path.stem} and delete {path.name}")
    for path in kept:
        print(f"kept {path} (already there: not replaced; merge it, delete it and run this again)")
    for path in differing:
        print(f"{path} differs from reportgen's own {path.name} as it is now (your changes, or a merge of "
              f"{path.name}.new not finished); its record says reportgen's has not changed since")
    if not written and not kept:
        print("no copy here is behind reportgen's own templates as they are now: nothing written"
              if differing else "every template here is reportgen's own as it is now: nothing written")
    print(workspace / "templates")  # the last line: scripts read the folder from it
    return OK


def run_history(workspace: Path, out: Path | None, edition: Edition) -> int:
    from reportgen.run.history import export_history

    return show_history(export_history(workspace, out, edition))


def show_history(result: HistoryExport) -> int:
    """What `history` (and flows/status_history.py) prints, and its exit code."""
    from reportgen.shells.console import print_issues

    out_console = console()
    if result.issues:
        print_issues(out_console, result.issues, show_info=True)
    out_console.print(f"{counted(result.actions, 'action')} over {counted(len(result.periods), 'period')}: "
                      f"{', '.join(result.periods)}")
    print(result.xlsx.resolve())  # printed whole, as every command prints its folder
    print(result.csv.resolve())
    print(result.carried.resolve())
    if result.corrected is not None:
        print(result.corrected.resolve())
    print(result.xlsx.parent.resolve())  # the last line: scripts read the folder from it
    return OK


def run_serve(workspace: Path, name: str = "monthly") -> int:
    from reportgen.shells.serve import serve_monthly

    serve_monthly(workspace.resolve(), lambda line: print(line, flush=True), name)
    return OK


def run_deploy(pool: str, name: str = "on-demand", crash_after: int = 10, workspace: Path | None = None,
               monthly_name: str = "monthly") -> int:
    from reportgen.shells.serve import deploy

    deploy(pool, name, crash_after, lambda line: print(line, flush=True), workspace, monthly_name)
    return OK


RUNS: dict[str, Callable[..., Any]] = {
    "init": run_init, "build": run_build, "validate": run_validate, "publish": run_publish, "returns": run_returns,
    "diff": run_diff,
    "send-returns": run_mail("send-returns"), "chase": run_mail("chase"), "collect": run_mail("collect"),
    "template": run_template, "history": run_history, "serve": run_serve,
    "deploy": run_deploy,
}

if __name__ == "__main__":
    sys.exit(main())
