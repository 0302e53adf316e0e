"""Every check of a build, writing nothing, as a Prefect flow: `python flows/check_paper.py [--period P]`."""

from __future__ import annotations

import sys

from reportgen.shells.prefect_env import configure

configure()  # before Prefect is imported: its state folder and settings are read at import

from reportgen.shells.flow_cli import main  # noqa: E402
from reportgen.shells.prefect_flows import check_paper  # noqa: E402,F401  (the deployment entrypoint)

if __name__ == "__main__":
    sys.exit(main("check_paper", sys.argv[1:]))
