"""The command table: every `reportgen` command and `flows/*.py` script, its options and help text, and
the one exit-code rule. `cli.py` runs a command with the library; `flow_cli.py` runs it as a Prefect flow.

A flow script takes the options of the command it runs (`flows/panel_paper.py` those of `reportgen
build`), so a command's options are written once, here. Imports only click and `terms`: `reportgen
validate` starts quickly, and each command imports its library code when it runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from reportgen.stops import Stopped, stopped
from reportgen.terms import EDITIONS

OK, BLOCKED, USAGE = 0, 1, 2


class GivenPath(click.Path):
    """A path option or argument that refuses an empty value: `Path("")` is the current folder, so a variable left
    empty (`--from-folder "$DROP"`) would read, or write, where the command happened to be run. A leading `~` is
    the home folder, as a shell would make it: quoted (a path with spaces, `"~/Police & Crime Panel"`) or after
    `=` (`--workspace=~/panel`) the shell leaves it, and a folder named `~` would be made in the current one."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value:
            self.fail("an empty path names no folder or file; give its path ('.' for the current folder)", param, ctx)
        if isinstance(value, str) and value.startswith("~"):
            value = os.path.expanduser(value)  # '~someone/…' of no such user is left as written
        return super().convert(value, param, ctx)


PATH = GivenPath(path_type=Path)


def exit_code(blocking: int) -> int:
    """The one rule, for `reportgen` and the flow scripts alike: 0 when done and nothing blocks
    publication; 1 when issues block it (the paper is still written), or nothing could be built (a
    library error); 2 for wrong usage, refused before any work (`click` or the library's UsageError)."""
    return BLOCKED if blocking else OK


Param = Callable[[], click.Parameter]  # a fresh click parameter each call: a command owns its own


def workspace() -> click.Parameter:
    return click.Option(["--workspace"], type=PATH, default=Path("."), metavar="DIR",
                        help="workspace folder (default: .)")


def period() -> click.Parameter:
    return click.Option(["--period"], metavar="YYYY-MM",
                        help="the month reported (default: the newest folder under inputs/returns)")


def period_required() -> click.Parameter:
    return click.Option(["--period"], required=True, metavar="YYYY-MM",
                        help="the month the returns are for")


def draft_out() -> click.Parameter:
    return click.Option(["--out"], type=PATH, metavar="DIR",
                        help="write the draft exactly here (must not exist or be empty)")


def returns_out() -> click.Parameter:
    return click.Option(["--out"], type=PATH, metavar="DIR",
                        help="folder to write to (default: outputs/<period>/returns)")


def edition() -> click.Parameter:
    return click.Option(["--edition"], type=click.Choice(EDITIONS), default="public",
                        help="public (default) leaves exempt actions out; restricted includes them")


def edition_checked() -> click.Parameter:
    return click.Option(["--edition"], type=click.Choice(EDITIONS), default="public",
                        help="the edition whose paper is checked (default: public)")


def todays_register() -> click.Parameter:
    return click.Option(["--todays-register"], is_flag=True,
                        help="read today's register for a period that a later period already has drafts of, "
                        "changing its plan (by default it keeps the register its last draft was built from)")


def revises() -> click.Parameter:
    return click.Option(["--revises"], type=PATH, metavar="DRAFT_DIR",
                        help="the kept draft of the period this paper corrects (the one recorded by `reportgen "
                        "publish`): the paper is marked revised on its cover and lists each status changed since "
                        "that draft")


def published_draft() -> click.Parameter:
    return click.Argument(["draft"], type=PATH, metavar="DRAFT_DIR",
                          help="the kept draft sent to the Panel (outputs/2026-09/draft-02)")


def show_info() -> click.Parameter:
    return click.Option(["--all", "show_info"], is_flag=True, help="also show notes for information")


def dry_run() -> click.Parameter:
    return click.Option(["--dry-run"], is_flag=True, help="write the messages as .eml files into "
                        "outputs/<period>/mail/outbox; send, save and move nothing")


def from_folder() -> click.Parameter:
    return click.Option(["--from-folder"], type=PATH, metavar="DIR",
                        help="read .eml files from this folder instead of the IMAP mailbox")


def diff_old() -> click.Parameter:
    return click.Argument(["old"], type=PATH, metavar="OLD_DRAFT_DIR", help="the earlier draft folder")


def diff_new() -> click.Parameter:
    return click.Argument(["new"], type=PATH, metavar="NEW_DRAFT_DIR", help="the later draft folder")


def diff_out() -> click.Parameter:
    return click.Option(["--out"], type=PATH, metavar="DIR", help="folder to write to (must not exist or be "
                        "empty; default: outputs/<period>/compare/<old>-to-<new>, or <new>-compare-<old> beside a "
                        "new draft built with --out)")


def allow_restricted() -> click.Parameter:
    return click.Option(["--allow-restricted"], is_flag=True, help="compare a restricted draft with a public "
                        "one (the comparison is marked restricted)")


def template_all() -> click.Parameter:
    return click.Option(["--all", "with_pdf"], is_flag=True,
                        help="also the PDF's HTML template and stylesheet (for CSS changes)")


def template_new() -> click.Parameter:
    return click.Option(["--new", "new_versions"], is_flag=True,
                        help="instead, write reportgen's own version of each workspace template it has changed "
                        "since the copy was taken beside it as <name>.new, to merge (the copy is not touched)")


def history_out() -> click.Parameter:
    return click.Option(["--out"], type=PATH, metavar="DIR", help="folder to write to (default: outputs/history, "
                        "or outputs/history-restricted for the restricted edition; never one holding the "
                        "other edition's history)")


def history_edition() -> click.Parameter:
    return click.Option(["--edition"], type=click.Choice(EDITIONS), default="public",
                        help="which kept drafts to read: public (default) or restricted")


def serve() -> click.Parameter:
    return click.Option(["--serve"], is_flag=True, help="serve the monthly deployment on the cron schedule of "
                        "reportgen.toml [schedule] until Ctrl-C, instead of running once (see `reportgen serve`)")


def deployment_name() -> click.Parameter:
    return click.Option(["--name"], default="monthly", show_default=True, metavar="NAME",
                        help="the deployment's name on the Prefect server: one per workspace served there")


def pool() -> click.Parameter:
    return click.Option(["--pool"], required=True, metavar="POOL",
                        help="the Prefect work pool whose workers run the flows (prefect work-pool create)")


def deploy_name() -> click.Parameter:
    return click.Option(["--name"], default="on-demand", show_default=True, metavar="NAME",
                        help="the deployments' name: panel-paper/NAME, monthly-update/NAME, …")


def deploy_workspace() -> click.Parameter:
    return click.Option(["--workspace"], type=PATH, default=None, metavar="DIR",
                        help="also deploy this workspace's monthly run to the pool, on the cron of its "
                        "reportgen.toml [schedule] (a full path the workers can read)")


def monthly_name() -> click.Parameter:
    return click.Option(["--monthly-name"], default="monthly", show_default=True, metavar="NAME",
                        help="with --workspace: the scheduled deployment's name, monthly-update/NAME (one per "
                        "workspace on the server)")


def crash_after() -> click.Parameter:
    return click.Option(["--crash-after"], type=click.IntRange(min=1), default=10, show_default=True,
                        metavar="MINUTES", help="mark a run Crashed when nothing is heard of it this long after "
                        "its last heartbeat (Prefect sends one every 3 minutes while a run's process lives); at least "
                        "twice the heartbeat: 6 minutes, less only with a shorter PREFECT_FLOWS_HEARTBEAT_FREQUENCY")


@dataclass(frozen=True)
class Command:
    """One command: its name, its line in `reportgen --help` (none for a flow script), the top of its own
    `--help`, and its options."""

    name: str
    summary: str
    description: str
    options: tuple[Param, ...]


MAIL_LOGIN = (" Mail server in [mail]; login from REPORTGEN_MAIL_USER and REPORTGEN_MAIL_PASSWORD or "
              "REPORTGEN_MAIL_OAUTH_TOKEN.")
BUILD_OPTIONS = (workspace, period, draft_out, edition, todays_register, revises, show_info)
EXITS = " Exit 0 done, 1 blocking issues found, 2 wrong usage."

COMMANDS: dict[str, Command] = {c.name: c for c in (
    Command("init", "start a new workspace: settings, narrative, an empty register",
            "Write a starter workspace into the folder (made when missing): reportgen.toml (every setting "
            "explained), narrative.md, inputs/register.xlsx (the headings reportgen reads, no actions) and "
            "inputs/returns/. A folder that already holds reportgen.toml or a register in inputs/ is refused and "
            "nothing is written; an inputs/ folder with no register is kept and the workspace started around it. "
            "The folder is the last line printed.",
            (workspace,)),
    Command("build", "build a draft paper (DOCX, PDF, register, issues)",
            "Read, check and merge the returns, then write a new draft folder; its path is the last line printed."
            + EXITS,
            BUILD_OPTIONS),
    Command("validate", "run every check of a build; writes nothing",
            "Run exactly the checks of `build` (carry-forward, unchanged returns, narrative, edition) and print "
            "the same summary and issues, grouped by file; nothing is written." + EXITS,
            (workspace, period, edition_checked, todays_register, revises, show_info)),
    Command("publish", "record a kept draft as the paper sent to the Panel",
            "Record DRAFT_DIR, a kept draft with nothing blocking its publication, as the paper published (sent "
            "to the Panel, put on the website): published.json in its folder, beside its files, which are not "
            "touched. A corrected paper, `build --revises`, corrects only the newest draft so recorded, and "
            "`history` names it. A second paper of a period and edition is recorded only when it revises the "
            "first. The draft folder is the last line printed. Exit 0 done (or already recorded), 2 refused.",
            (workspace, published_draft)),
    Command("returns", "write pre-filled return workbooks, one per lead partner",
            "Write one pre-filled .xlsx return per lead partner (never overwriting); the folder is the last "
            "line printed.",
            (workspace, period_required, returns_out, todays_register)),
    Command("diff", "compare two kept drafts (tracked-changes DOCX, summary, JSON)",
            "Compare two draft folders by action ref; write diff.docx (Word tracked changes), diff.html, "
            "diff.pdf and diff.json into a new folder, whose path is the last line printed.",
            (diff_old, diff_new, diff_out, allow_restricted)),
    Command("send-returns", "mail each lead partner its pre-filled return workbook",
            "Mail each lead partner in [partners] its pre-filled workbook, the deadline and instructions; never "
            "the same message twice (outputs/<period>/mail/sent.csv)." + MAIL_LOGIN,
            (workspace, period_required, dry_run)),
    Command("chase", "remind partners with no return (or an untouched one)",
            "Mail a reminder, listing its actions, to each lead that sent no return or sent its workbook back "
            "unchanged; at most one a partner a day." + MAIL_LOGIN,
            (workspace, period_required, dry_run)),
    Command("collect", "save the returns partners emailed, check and acknowledge them",
            "Read the mailbox: save each partner's .xlsx/.csv attachment as its return, check it and reply with "
            "what to correct; move each message out of the inbox." + MAIL_LOGIN,
            (workspace, period_required, dry_run, from_folder)),
    Command("template", "write the default Word template into the workspace to restyle",
            "Write reportgen's default paper.docx (with --all also paper.html.j2 and paper.css) into the "
            "workspace's templates/ folder, never replacing a file there; restyle it in Word and both the DOCX "
            "and the PDF follow. Each copy is recorded in templates/copied-templates.json, so validate and build "
            "say when reportgen's own has changed since; --new then writes ours beside the copy as <name>.new to "
            "merge. The folder is the last line printed.",
            (workspace, template_all, template_new)),
    Command("history", "write every action's status in each period (xlsx, csv)",
            "Read the newest kept draft of each period and write the action × period table of statuses as "
            "history.xlsx and history.csv (history-restricted.xlsx and .csv, marked, for the restricted "
            "edition), with the statuses carried forward for a partner that sent no update shaded in the workbook "
            "and listed in a csv of their own, history-carried-forward.csv, and the statuses corrected since an "
            "earlier draft of their period listed in history-corrected.csv; the folder is the last line printed.",
            (workspace, history_out, history_edition)),
    Command("serve", "serve the monthly schedule with Prefect",
            "Serve the monthly deployment on the cron of reportgen.toml [schedule] until Ctrl-C; stopping leaves "
            "the schedule active. Without PREFECT_API_URL it starts a Prefect server of its own on 127.0.0.1 for as "
            "long as it serves, and prints the address of its UI.", (workspace, deployment_name)),
    Command("deploy", "deploy the flows to a Prefect work pool",
            "Deploy every flow (panel-paper, monthly-update, compare-drafts, partner-returns, check-paper, "
            "status-history, send-returns, collect, chase) to a process work pool on the Prefect server at "
            "PREFECT_API_URL, and set the automation that marks a run Crashed when the process running it stops "
            "mid-run (a worker stopped, a machine down), which Prefect would otherwise show as Running for ever. "
            "With --workspace, also the workspace's monthly run, monthly-update/monthly, on the cron of its "
            "reportgen.toml, run by the pool's workers. Several Panels on one server: deploy each workspace with its "
            "own --monthly-name; the other deployments are shared. Deploying again updates them (a workspace's "
            "changed cron replaces its old one).",
            (pool, deploy_name, deploy_workspace, monthly_name, crash_after)),
)}

# flows/<script>.py: the same options as the command it runs, as a Prefect flow
FLOWS: dict[str, Command] = {c.name: c for c in (
    Command("panel_paper", "",
            "Build one draft Panel paper as a Prefect flow, like `reportgen build`: a new draft folder "
            "(paper.docx, paper.pdf, paper.html, register.xlsx, issues.csv, chase.csv), whose path is the last "
            "line printed." + EXITS, COMMANDS["build"].options),
    Command("monthly_update", "",
            "The secretariat's monthly run as a Prefect flow: build and keep the draft, compare it with the "
            "last draft, list who to chase; or, with --serve, serve it on the schedule in reportgen.toml." + EXITS,
            (workspace, period, edition, revises, show_info, serve, deployment_name)),
    Command("compare_drafts", "",
            "Compare two kept drafts as a Prefect flow, like `reportgen diff`: diff.docx (Word tracked "
            "changes), diff.html, diff.pdf and diff.json in a new folder, whose path is the last line printed.",
            COMMANDS["diff"].options),
    Command("partner_returns", "",
            "Write one pre-filled return workbook per lead partner as a Prefect flow, like `reportgen returns`; "
            "the folder is the last line printed.", COMMANDS["returns"].options),
    Command("check_paper", "",
            "Run every check of a build as a Prefect flow, like `reportgen validate`, writing nothing; the issues "
            "and the chase list are the run's artifacts." + EXITS, COMMANDS["validate"].options),
    Command("status_history", "",
            "Write every action's status in each period as a Prefect flow, like `reportgen history`; the folder "
            "is the last line printed.", COMMANDS["history"].options),
    Command("publish_paper", "",
            "Record a kept draft as the paper published as a Prefect flow, like `reportgen publish`; the draft "
            "folder is the last line printed.", COMMANDS["publish"].options),
    Command("send_returns", "",
            "Mail each lead partner its pre-filled workbook as a Prefect flow, like `reportgen send-returns`; "
            "the mail folder (or the dry run's outbox) is the last line printed.", COMMANDS["send-returns"].options),
    Command("chase", "", "Remind each lead with no return (or an untouched one) as a Prefect flow, like "
            "`reportgen chase`.", COMMANDS["chase"].options),
    Command("collect", "", "Save, check and acknowledge the returns in the mailbox as a Prefect flow, "
            "like `reportgen collect`.", COMMANDS["collect"].options),
)}


CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def click_command(command: Command, run: Callable[..., int]) -> click.Command:
    """The click command of a table entry; `run` takes its options as keyword arguments."""
    return OwnHelp(command.name, callback=run, params=[make() for make in command.options],
                   help=command.description, short_help=command.summary or None, context_settings=CONTEXT)


class OwnHelp(click.Command):
    """A command whose wrong usage points at its own `--help`: click's parser raises some errors (an option given
    no value, `build --workspace`) with no command attached, which `parse` would otherwise send to `reportgen
    --help`, where the option is not described."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            exc.ctx = exc.ctx or ctx
            raise


class InOrder(click.Group):
    """`reportgen --help` lists the commands in the table's order (init, then build), not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


def sentence(message: str) -> str:
    """click's message ended by one full stop, or by its own question mark ("Did you mean 'build'?")."""
    message = message.rstrip()
    return message if message.endswith(("?", "!")) else message.rstrip(".") + "."


def parse(command: click.Command, argv: list[str] | None, prog: str) -> int:
    """Parse `argv` and run `command`; wrong usage is one line on stderr and exit 2 (`SystemExit`, like
    argparse); `--help` prints the help and exits 0."""
    try:
        return int(command.main(args=argv, prog_name=prog, standalone_mode=False) or 0)
    except click.exceptions.NoArgsIsHelpError as exc:  # `reportgen` alone: the help is the answer
        click.echo(exc.ctx.get_help(), err=True)
        raise SystemExit(USAGE) from None
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else prog
        click.echo(f"reportgen: error: {sentence(exc.format_message())} See `{where} --help`.", err=True)
        raise SystemExit(USAGE) from None
    except click.Abort as exc:  # a stop while click read the options (it makes a KeyboardInterrupt an Abort)
        stop = stopped(exc.__cause__) if isinstance(exc.__cause__, KeyboardInterrupt) else Stopped()
        click.echo(f"reportgen: {stop.how}; nothing was done.", err=True)
        raise SystemExit(stop.exit_code) from None
