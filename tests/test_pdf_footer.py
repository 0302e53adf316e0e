"""The PDF's footer (the meeting and its date, the restricted marking, the page number), read back word by word
from every page, portrait and landscape."""

from __future__ import annotations

import csv
from pathlib import Path

import pdfplumber
import pytest

from conftest import benchmark_workspace, copy_example
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


def overlap(one: Word, other: Word) -> bool:
    """Whether two words' boxes on a page touch or cross."""
    return not (float(str(one["x1"])) <= float(str(other["x0"])) or float(str(other["x1"])) <= float(str(one["x0"]))
                or float(str(one["bottom"])) <= float(str(other["top"]))
                or float(str(other["bottom"])) <= float(str(one["top"])))


def footer_problems(path: Path, meeting: str, marking: str = "") -> list[str]:
    """What is wrong with each page's footer: a word of the meeting or its date missing or off the page, a word
    on or touching the marking, the marking not centred, the date split over two lines."""
    problems = []
    with pdfplumber.open(path) as pdf:
        size = [(float(page.width), float(page.height)) for page in pdf.pages]
    for number, ((orientation, words), (width, height)) in enumerate(zip(footers(path), size, strict=True), 1):
        where = f"page {number} ({orientation})"
        left = meeting_words(words)
        if [str(word["text"]) for word in left] != [*meeting.split(), "·", *DATE]:
            problems.append(f"{where}: the footer says {lines(left)}")
        problems += [f"{where}: {word['text']!r} is off the page" for word in words
                     if float(str(word["x0"])) < 0 or float(str(word["x1"])) > width
                     or float(str(word["bottom"])) > height]
        if len({round(float(str(word["top"]))) for word in left[-3:]}) != 1:
            problems.append(f"{where}: the date is split, {lines(left)}")
        marked = [word for word in words if word["text"] == marking]
        if len(marked) != (1 if marking else 0):
            problems.append(f"{where}: the marking is printed {len(marked)} times")
        for mark in marked:
            problems += [f"{where}: {word['text']!r} runs into the marking" for word in words
                         if word is not mark and overlap(word, mark)]
            if abs((float(str(mark["x0"])) + float(str(mark["x1"]))) / 2 - width / 2) > 2:
                problems.append(f"{where}: the marking is not centred on the page")
    return problems


LONG_MEETING = ("Wessex Police, Fire and Crime Panel (Joint Scrutiny Committee of the Wessex County Council, Wessex "
                "Unitary Authorities and the Independent Co-opted Members) – Extraordinary Meeting")


def test_every_word_of_the_meeting_and_its_date_is_on_the_page_clear_of_the_marking(tmp_path: Path) -> None:
    """In the restricted edition the marking had a centred box of its own beside the meeting: a long meeting
    name wrapped in the narrow column left of it, four lines deep on a portrait page, and ran off its foot, the
    date not printed at all. The meeting now takes the width the page number leaves, the marking centred under
    it: every word and the date are on every page, portrait and landscape, clear of the marking, whether the
    name is short or long, in either edition."""
    meetings = ("Police and Crime Panel",
                "Wessex Police & Crime Panel – Extraordinary Meeting of the Panel and its Complaints Committee",
                LONG_MEETING)
    for number, meeting in enumerate(meetings):
        for edition, marking in (("restricted", "RESTRICTED"), ("public", "")):
            path = built_with_meeting(tmp_path / f"{number}-{edition}", meeting, edition)
            assert {orientation for orientation, _ in footers(path)} == {"portrait", "landscape"}
            assert footer_problems(path, meeting, marking) == [], (meeting, edition)


@pytest.mark.slow  # lays out a paper of 300 actions
def test_a_long_paper_built_in_parts_prints_a_long_meeting_and_its_date_on_every_page(tmp_path: Path) -> None:
    """A paper long enough to be laid out in parts draws its footers apart, over the joined pages: the meeting,
    its date and the marking are there too, whole, on every page."""
    root = benchmark_workspace(tmp_path / "ws", 300)
    toml = (root / "reportgen.toml").read_text(encoding="utf-8")
    (root / "reportgen.toml").write_text(toml.replace('meeting = "Police and Crime Panel"',
                                                      f'meeting = "{LONG_MEETING}"'), encoding="utf-8")
    out = tmp_path / "restricted"
    assert main(["build", "--workspace", str(root), "--period", "2026-10", "--edition", "restricted",
                 "--out", str(out)]) == 0
    assert footer_problems(out / "paper.pdf", LONG_MEETING, "RESTRICTED") == []


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


def test_a_comparisons_pdf_prints_a_long_meeting_and_its_date_whole_over_its_marking(tmp_path: Path) -> None:
    """diff.pdf is laid out with the paper's stylesheet: comparing two restricted drafts of a long-named meeting,
    its footer wrapped the meeting beside the centred marking and lost the date at the foot of the page, as the
    paper's did. It has the paper's footer: every word and the date, the marking centred under them."""
    first = built_with_meeting(tmp_path / "first", LONG_MEETING, "restricted").parent
    second = built_with_meeting(tmp_path / "second", LONG_MEETING, "restricted").parent
    assert main(["diff", str(first), str(second), "--out", str(tmp_path / "compare")]) == 0
    assert footer_problems(tmp_path / "compare" / "diff.pdf", LONG_MEETING, "RESTRICTED") == []


def test_a_meeting_name_longer_than_the_footer_holds_is_a_warning_naming_it(tmp_path: Path) -> None:
    """The footer's bottom margin cannot grow: a meeting name of some 250 characters would not fit on two lines
    above the marking, and the marking or the date would be cut off at the foot of a portrait page. The build
    says so, naming reportgen.toml's meeting, in the edition whose footer it overflows; the long name of the
    test above builds without it."""
    longer = LONG_MEETING.replace("Members)", "Members, sitting with the Complaints Sub-Committee and the Community "
                                  "Safety Partnership Boards)")
    for meeting, edition, warned in ((longer, "restricted", True), (longer, "public", False),
                                     (LONG_MEETING, "restricted", False)):
        path = built_with_meeting(tmp_path / f"{edition}-{warned}", meeting, edition)
        with (path.parent / "issues.csv").open(encoding="utf-8-sig", newline="") as issues:
            found = [row for row in csv.DictReader(issues) if row["code"] == "meeting-too-long"]
        assert len(found) == warned, (meeting, edition)
        for row in found:
            assert (row["severity"], row["file"], row["column"]) == ("warning", "reportgen.toml", "meeting")
            assert "the PDF's footer holds about 200 in the restricted edition" in row["message"]
