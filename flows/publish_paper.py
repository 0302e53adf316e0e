"""Record a kept draft as the paper published, as a Prefect flow: `python flows/publish_paper.py DRAFT_DIR`."""

from __future__ import annotations

import sys

from reportgen.shells.prefect_env import configure

configure()  # before Prefect is imported: its state folder and settings are read at import

from reportgen.shells.flow_cli import main  # noqa: E402
from reportgen.shells.prefect_flows import publish_paper  # noqa: E402,F401  (the deployment entrypoint)

if __name__ == "__main__":
    sys.exit(main("publish_paper", sys.argv[1:]))
