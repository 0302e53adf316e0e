"""The monthly run as a Prefect flow: build, keep and compare the draft, list who has not returned.

`python flows/monthly_update.py [--workspace W] [--period P]` runs it once;
`python flows/monthly_update.py --serve [--workspace W]` serves it on its schedule (reportgen.toml [schedule]).
"""

from __future__ import annotations

import sys

from reportgen.shells.prefect_env import configure

configure()  # before Prefect is imported: its state folder and settings are read at import

from reportgen.shells.flow_cli import main  # noqa: E402
from reportgen.shells.prefect_flows import monthly_update  # noqa: E402,F401  (the deployment entrypoint)

if __name__ == "__main__":
    sys.exit(main("monthly_update", sys.argv[1:]))
