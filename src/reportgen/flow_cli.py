"""The command line of `flows/*.py`: the same options, output and exit codes as `reportgen`, run as flows.

Called only after `prefect_env.configure()`. A request that cannot be met (no workspace, a period like
2023-13) is refused with one line and exit 2 before Prefect starts; a flow run is read back from its
final state: Completed (0), Completed named "Blocked" (1), Failed with a reportgen error (its line).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from rich.console import Console

from reportgen import cli
from reportgen.errors import ReportgenError

DESCRIPTIONS = {
    "panel_paper": "Build one draft Panel paper as a Prefect flow, like `reportgen build`: a new draft "
                   "folder (paper.docx, paper.pdf, register.xlsx, issues.csv, chase.csv), whose path is "
                   "the last line printed. Exit 0 done, 1 blocking issues found, 2 wrong usage.",
    "monthly_update": "The secretariat's monthly run as a Prefect flow: build and keep the draft, compare "
                      "it with the last draft, list who to chase; or, with --serve, serve it on the "
                      "schedule in reportgen.toml. Exit 0 done, 1 blocking issues found, 2 wrong usage.",
    "compare_drafts": "Compare two kept drafts as a Prefect flow, like `reportgen diff`: diff.docx (Word "
                      "tracked changes), diff.html, diff.pdf and diff.json in a new folder, whose path is "
                      "the last line printed.",
    "partner_returns": "Write one pre-filled return workbook per lead partner as a Prefect flow, like "
                       "`reportgen returns`; the folder is the last line printed.",
}


def make_parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"flows/{name}.py", description=DESCRIPTIONS[name])
    if name == "compare_drafts":
        cli.diff_options(parser)
    elif name == "partner_returns":
        cli.returns_options(parser)
    else:
        cli.build_options(parser, out=name == "panel_paper")
    if name == "monthly_update":
        parser.add_argument("--serve", action="store_true",
                            help="serve the monthly deployment on the cron schedule of reportgen.toml "
                                 "[schedule] until Ctrl-C, instead of running once (see `reportgen serve`)")
    return parser


def main(name: str, argv: Sequence[str]) -> int:
    args = make_parser(name).parse_args(argv)
    return cli.guarded(lambda: run(name, args))


def run(name: str, args: argparse.Namespace) -> int:
    if name == "monthly_update" and args.serve:
        from reportgen.serve import serve_monthly

        serve_monthly(args.workspace.resolve(), lambda line: print(line, flush=True))
        return cli.OK
    if name != "compare_drafts":
        from reportgen.workspace import find_inputs

        # refuse a wrong request before Prefect starts; workbooks go out before any return comes in
        find_inputs(args.workspace, args.period, need_returns=name != "partner_returns")
    from reportgen.prefect_flows import BLOCKED

    state = _run_flow(name, args)
    if state.is_failed():
        reason = state.result(raise_on_failure=False)
        if isinstance(reason, ReportgenError):
            raise reason
        raise ReportgenError(f"the flow run ended {state.name}: {state.message}")
    _print(name, state.result())
    return cli.BLOCKED if state.name == BLOCKED else cli.OK


def _run_flow(name: str, args: argparse.Namespace) -> Any:
    from reportgen import prefect_flows

    out = str(args.out) if getattr(args, "out", None) else None
    if name == "compare_drafts":
        return prefect_flows.compare_drafts_flow(str(args.old), str(args.new), out, return_state=True)
    workspace = str(args.workspace.resolve())
    if name == "partner_returns":
        return prefect_flows.partner_returns(workspace, args.period, out, return_state=True)
    if name == "monthly_update":
        return prefect_flows.monthly_update(workspace, args.period, args.edition, return_state=True)
    return prefect_flows.panel_paper(workspace, args.period, out, args.edition, return_state=True)


def _print(name: str, outcome: Any) -> None:
    """What `reportgen` prints for the same command; the folder written is the last line."""
    from reportgen.diff import human_text
    from reportgen.report import print_build_summary, print_returns

    out = Console(highlight=False, soft_wrap=True)
    if name == "compare_drafts":
        print(human_text(outcome.diff))  # plain print: its [-deleted-] marks are not rich markup
        print(outcome.folder)
    elif name == "partner_returns":
        print_returns(out, outcome.files, outcome.issues)
        print(outcome.folder)
    elif name == "monthly_update":
        print_build_summary(out, outcome.build.paper, outcome.build.issues, outcome.build.chase,
                            outcome.comparison)
        print(outcome.build.folder)
    else:
        print_build_summary(out, outcome.paper, outcome.issues, outcome.chase)
        print(outcome.folder)
