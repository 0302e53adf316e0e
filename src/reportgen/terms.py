"""The fixed words every stage shares: the canonical statuses and the editions of a paper.

Plain values with no imports, so the command line can offer them (`--edition public|restricted`)
without loading the settings model. `reportgen.settings` re-exports both.
"""

from __future__ import annotations

from typing import Literal, get_args

# every status a paper counts, in the order the paper lists them; partners' wording maps onto these
CANONICAL_STATUSES: tuple[str, ...] = ("Completed", "In progress", "Not started", "On hold")

Edition = Literal["public", "restricted"]  # public leaves exempt actions out; restricted includes them
EDITIONS: tuple[Edition, ...] = get_args(Edition)
