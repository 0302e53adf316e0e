"""One-off Panel paper as a Prefect flow: `python flows/panel_paper.py [--workspace W] [--period P] [--out D]`.

Same parameters and exit codes as `reportgen build`; the draft folder is the last line printed.
"""

from __future__ import annotations

import sys

from reportgen.shells.prefect_env import configure

configure()  # before Prefect is imported: its state folder and settings are read at import

from reportgen.shells.flow_cli import main  # noqa: E402
from reportgen.shells.prefect_flows import panel_paper  # noqa: E402,F401  (the deployment entrypoint)

if __name__ == "__main__":
    sys.exit(main("panel_paper", sys.argv[1:]))
