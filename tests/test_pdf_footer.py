"""The PDF's footer (the meeting and its date, the restricted marking, the page number), read back word by word
from every page, portrait and landscape."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from conftest import copy_example
from reportgen.shells.cli import main

FOOTER_DEPTH = 55  # points from the foot of the page: the bottom margin, where the footer is drawn
DATE = ["05", "November", "2026"]

Word = dict[str, object]


def built_with_meeting(tmp_path: Path, meeting: str, edition: str) -> Path:
    """The example workspace's paper of October 2026 in `edition`, its meeting named `meeting`."""
    root = copy_example(tmp_path / "ws")
    toml = (root / "reportgen.toml").read_text(encoding="utf-8")
    (root / "reportgen.toml").write_text(toml.replace('meeting = "Police and Crime Panel"', f'meeting = "{meeting}"'),
                                         encoding="utf-8")
    out = tmp_path / edition
    assert main(["build", "--workspace", str(root), "--period", "2026-10", "--edition", edition,
                 "--out", str(out)]) == 0
    return out / "paper.pdf"


def footers(path: Path) -> list[tuple[str, list[Word]]]:
    """Each page's orientation and the words drawn in its footer, in reading order."""
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            orientation = "portrait" if page.height > page.width else "landscape"
            found.append((orientation, [word for word in page.extract_words()
                                        if float(word["top"]) > float(page.height) - FOOTER_DEPTH]))
    return found


def lines(words: list[Word]) -> list[list[str]]:
    """The words as lines, top to bottom."""
    tops = sorted({round(float(str(word["top"]))) for word in words})
    return [[str(word["text"]) for word in words if round(float(str(word["top"]))) == top] for top in tops]


def meeting_words(words: list[Word]) -> list[Word]:
    """The footer's words but the marking and the page number ("Page 3 of 7"), which are in boxes of their own."""
    numbering = next(index for index, word in enumerate(words) if word["text"] == "Page")
    return [word for index, word in enumerate(words)
            if word["text"] != "RESTRICTED" and not numbering <= index < numbering + 4]


def test_a_long_meeting_name_takes_the_footers_width_and_keeps_its_date_whole(tmp_path: Path) -> None:
    """ "Wessex Police & Crime Panel – Extraordinary Meeting" wrapped at half a portrait page, and split its date
    ("… Meeting · 05" then "November 2026"): with no marking beside it, the footer takes the width the page
    number leaves, one line on every page."""
    meeting = "Wessex Police & Crime Panel – Extraordinary Meeting"
    pages = footers(built_with_meeting(tmp_path, meeting, "public"))
    assert {orientation for orientation, _ in pages} == {"portrait", "landscape"}
    for orientation, words in pages:
        assert [*meeting.split(), "·", *DATE] == [str(word["text"]) for word in meeting_words(words)], orientation
        assert len(lines(words)) == 1, (orientation, lines(words))


@pytest.mark.parametrize("meeting", [
    "Wessex Police & Crime Panel – Extraordinary Meeting",
    "Wessex Police & Crime Panel – Extraordinary Meeting of the Panel and its Complaints Committee",
])
def test_the_footer_never_runs_into_the_restricted_marking(tmp_path: Path, meeting: str) -> None:
    """In the restricted edition the marking is centred in the footer: a long meeting name ran into it
    ("…Meeting ofRESTRICTED"). The meeting wraps whole words beside it, with a gap, its date on one line, and
    the page number stays clear of it too, on portrait and landscape pages."""
    pages = footers(built_with_meeting(tmp_path, meeting, "restricted"))
    assert {orientation for orientation, _ in pages} == {"portrait", "landscape"}
    for orientation, words in pages:
        [marking] = [word for word in words if word["text"] == "RESTRICTED"]
        left = meeting_words(words)
        assert [*meeting.split(), "·", *DATE] == [str(word["text"]) for word in left], orientation
        assert max(float(str(word["x1"])) for word in left) < float(str(marking["x0"])) - 5, orientation
        numbering = [word for word in words if word not in left and word is not marking]
        assert min(float(str(word["x0"])) for word in numbering) > float(str(marking["x1"])) + 5, orientation
        date_lines = {round(float(str(word["top"]))) for word in left[-3:]}
        assert len(date_lines) == 1, (orientation, lines(left))


@pytest.mark.parametrize("meeting", [
    "Wessex Police and Crime Panel Meeting of the Panel and its Complaints Committee held in",
    "Wessex Police and Crime Panel Meeting of the Panel and its Complaints Committee held in public",
])
def test_the_meeting_under_the_title_wraps_before_its_date_not_inside_it(tmp_path: Path, meeting: str) -> None:
    """Page 1's line above the title, the meeting and its date, wrapped a long meeting name inside the date
    ("… held in · 05 November" then "2026"). It now wraps before "· 05 November 2026", kept whole on one line."""
    with pdfplumber.open(built_with_meeting(tmp_path, meeting, "public")) as pdf:
        top = [word for word in pdf.pages[0].extract_words() if float(word["top"]) < 150]
    above_title = lines(top)
    said = [word for line in above_title for word in line]
    assert said[:len(meeting.split()) + 4] == [*meeting.split(), "·", *DATE], above_title
    [date_line] = [line for line in above_title if "November" in line]
    assert date_line[-4:] == ["·", *DATE], above_title
