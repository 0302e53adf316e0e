"""Pre-filled partner return workbooks as a Prefect flow: `python flows/partner_returns.py --period P`."""

from __future__ import annotations

import sys

from reportgen.shells.prefect_env import configure

configure()  # before Prefect is imported: its state folder and settings are read at import

from reportgen.shells.flow_cli import main  # noqa: E402
from reportgen.shells.prefect_flows import partner_returns  # noqa: E402,F401  (the deployment entrypoint)

if __name__ == "__main__":
    sys.exit(main("partner_returns", sys.argv[1:]))
