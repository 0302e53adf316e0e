"""Remind partners with no return (or an untouched one), as a Prefect flow:

    python flows/chase.py --period P [--dry-run]
"""

from __future__ import annotations

import sys

from reportgen.shells.prefect_env import configure

configure()  # before Prefect is imported: its state folder and settings are read at import

from reportgen.shells.flow_cli import main  # noqa: E402
from reportgen.shells.mail_flows import chase_flow  # noqa: E402,F401  (the deployment entrypoint)

if __name__ == "__main__":
    sys.exit(main("chase", sys.argv[1:]))
