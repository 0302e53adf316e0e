"""Every action's status in each period as a Prefect flow: `python flows/history.py [--workspace DIR] [--out DIR]`."""

from __future__ import annotations

import sys

from reportgen.prefect_env import configure

configure()  # before Prefect is imported: its state folder and settings are read at import

from reportgen.flow_cli import main  # noqa: E402
from reportgen.prefect_flows import history  # noqa: E402,F401  (the deployment entrypoint)

if __name__ == "__main__":
    sys.exit(main("history", sys.argv[1:]))
