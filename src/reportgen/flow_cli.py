"""The command line of `flows/*.py`: the same parameters and exit codes as `reportgen`, run as flows.

Called only after `prefect_env.configure()`; it imports Prefect.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from reportgen import drafts
from reportgen.cli import BLOCKED, OK
from reportgen.errors import ReportgenError


def _parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"flows/{name}.py")
    if name == "compare_drafts":
        parser.add_argument("old", type=Path)
        parser.add_argument("new", type=Path)
        parser.add_argument("--out", type=Path)
        return parser
    parser.add_argument("--workspace", type=Path, default=Path("."))
    if name == "history":
        parser.add_argument("--out", type=Path)
        parser.add_argument("--edition", choices=("public", "restricted"), default="public")
        return parser
    parser.add_argument("--period", required=name == "partner_returns")
    if name == "panel_paper":
        parser.add_argument("--out", type=Path)
    if name in ("panel_paper", "monthly_update"):
        parser.add_argument("--edition", choices=("public", "restricted"), default="public")
    if name == "monthly_update":
        parser.add_argument("--serve", action="store_true", help="serve on the schedule in reportgen.toml")
    if name == "partner_returns":
        parser.add_argument("--out", type=Path)
    return parser


def main(name: str, argv: Sequence[str]) -> int:
    args = _parser(name).parse_args(argv)
    try:
        folder = _run(name, args)
    except ReportgenError as exc:
        print(f"reportgen: error: {exc}")
        return BLOCKED
    if folder is None:
        return OK
    print(folder)  # the last line: scripts read the folder from it
    return BLOCKED if _blocked(folder) else OK


def _run(name: str, args: argparse.Namespace) -> Path | None:
    from reportgen import prefect_flows

    workspace = str(args.workspace.resolve()) if hasattr(args, "workspace") else ""
    if name == "panel_paper":
        return Path(prefect_flows.panel_paper(workspace, args.period, str(args.out) if args.out else None,
                                              args.edition))
    if name == "monthly_update":
        if args.serve:
            from reportgen.serve import serve_monthly

            serve_monthly(Path(workspace))
            return None
        return Path(prefect_flows.monthly_update(workspace, args.period, args.edition))
    if name == "compare_drafts":
        return Path(prefect_flows.compare_drafts_flow(str(args.old), str(args.new),
                                                      str(args.out) if args.out else None))
    if name == "history":
        return Path(prefect_flows.history(workspace, str(args.out) if args.out else None, args.edition))
    return Path(prefect_flows.partner_returns(workspace, args.period, str(args.out) if args.out else None))


def _blocked(folder: Path) -> bool:
    if not (folder / drafts.MANIFEST_JSON).exists():
        return False
    manifest = drafts.load_manifest(folder)
    return dict(manifest.issue_counts).get("error", 0) > 0
