"""Progress over time across three periods: counts, movements and stalled actions in every format,
charts identical from build to build, and `reportgen history`."""

from __future__ import annotations

import base64
import csv
import html as html_text
import itertools
import logging
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pikepdf
import pypdf
import pytest

from canary import CANARY
from conftest import ACTIONS, REGISTER_HEADINGS, RETURN_HEADINGS, ROOT, make_workspace, write_xlsx
from reportgen.run.build import BuildResult, build_draft
from reportgen.shells.cli import main

PERIODS = ("2026-08", "2026-09", "2026-10")
# ref -> status in each period; ref 4's update changes every period, the others' never
PLAN = {
    1: ("Not started", "In progress", "Completed"),
    2: ("In progress", "In progress", "In progress"),
    3: ("Completed", "Completed", "In progress"),
    4: ("In progress", "In progress", "In progress"),
    5: ("On hold", "On hold", "On hold"),
    6: ("In progress", "Completed", "Completed"),
}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TOML = '[paper]\ntitle = "Test Delivery Plan"\ndate = 2026-11-05\n[history]\nstalled_after = {n}\n'


def _returns(n: int, plan: dict[int, tuple[str, ...]] = PLAN) -> dict[str, list[tuple[object, ...]]]:
    by_lead: dict[str, list[tuple[object, ...]]] = {}
    for ref, _section, lead, text, _page in ACTIONS:
        update = f"Update {n} on {ref}." if ref == 4 else f"Same update on {ref}."
        if ref == 6:  # links, one named in words: their relationships must not take a chart picture's in the DOCX
            update += ' See the <a href="https://example.org/plan">Safer Wessex Plan</a> and https://example.org/papers.'
        by_lead.setdefault(lead.lower().replace(" ", "-") + ".xlsx", [RETURN_HEADINGS]).append(
            (ref, text, plan[ref][n], update, "2027"))
    return by_lead


def three_periods(root: Path, stalled_after: int = 2) -> list[BuildResult]:
    results = []
    for n, period in enumerate(PERIODS):
        if n == 0:
            make_workspace(root, period=period, returns=_returns(0), toml=TOML.format(n=stalled_after))
        for name, rows in _returns(n).items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        results.append(build_draft(root, period=period))
    return results


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> list[BuildResult]:
    return three_periods(tmp_path_factory.mktemp("progress") / "ws")


def test_the_first_period_has_no_progress_section(built: list[BuildResult]) -> None:
    assert built[0].paper.progress is None
    assert "Progress over time" not in (built[0].folder / "paper.html").read_text(encoding="utf-8")


def test_counts_movements_and_stalled_in_the_model(built: list[BuildResult]) -> None:
    paper = built[-1].paper
    progress = paper.progress
    assert progress is not None and progress.previous == "2026-09"
    periods = progress.chart("periods")
    assert periods is not None
    assert [(row.key, dict(row.counts), row.total) for row in periods.rows] == [
        ("2026-08", {"Completed": 1, "In progress": 3, "Not started": 1, "On hold": 1}, 6),
        ("2026-09", {"Completed": 2, "In progress": 3, "Not started": 0, "On hold": 1}, 6),
        ("2026-10", {"Completed": 2, "In progress": 3, "Not started": 0, "On hold": 1}, 6),
    ]
    sections = progress.chart("sections")
    assert sections is not None
    assert [(row.label, row.total) for row in sections.rows] == [("No section", 2), ("Victims", 2), ("Justice", 2)]
    assert {row.ref: row.movement for row in paper.rows} == {
        1: "↑ from In progress (2026-09)", 2: "", 3: "↓ from Completed (2026-09)", 4: "", 5: "", 6: ""}
    assert (progress.moved_up, progress.moved_down, progress.moved_across, progress.new) == (1, 1, 0, 0)
    assert progress.summary.startswith("Since the September 2026 update, 2 actions changed status: 1 moved forward")
    # 2 and 5 never changed; 4's update changes; 6 is completed: not stalled
    assert [(s.ref, s.status, s.since) for s in progress.stalled] == [(2, "In progress", "2026-08"),
                                                                       (5, "On hold", "2026-08")]


def test_stalled_after_is_a_setting(tmp_path: Path) -> None:
    results = three_periods(tmp_path / "ws", stalled_after=3)
    progress = results[-1].paper.progress
    assert progress is not None and progress.stalled == ()  # only three periods kept: not yet
    assert progress.stalled_note.startswith("No action can be called stalled yet") \
        and progress.stalled_note.endswith("only 2 earlier periods are kept.")


def test_the_html_shows_chart_numbers_movements_and_stalled(built: list[BuildResult]) -> None:
    html = (built[-1].folder / "paper.html").read_text(encoding="utf-8")
    assert "Progress over time" in html
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', html)
    assert len(images) == 2 and all(alt.startswith(("Stacked", "Horizontal")) for _svg, alt in images)
    # the numbers table follows its chart, in every format
    assert all(alt.endswith("The table below the chart gives every number.") for _svg, alt in images)
    assert all(base64.b64decode(svg).lstrip().startswith(b"<?xml") for svg, _alt in images)
    # the arrow is hidden from a screen reader, which reads words instead
    assert ('<span aria-hidden="true">↑</span><span class="visually-hidden">Moved up</span> from In progress (2026-09)'
            in html)
    assert '<span aria-hidden="true">↓</span><span class="visually-hidden">Moved down</span> from Completed' in html
    assert re.search(r"<th scope=\"row\">September 2026</th><td>2</td><td>3</td><td>0</td><td>1</td><td>6</td>", html)
    assert '<a href="#action-2">2</a></th><td>Publish the commissioning plan.</td>' in html


def test_the_pdf_has_the_chart_as_a_tagged_figure_and_the_numbers(built: list[BuildResult]) -> None:
    path = built[-1].folder / "paper.pdf"
    text = " ".join(" ".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages).split())
    assert "Progress over time" in text and "Stalled actions" in text
    assert "↑ from In progress (2026-09)" in text
    assert re.search(r"September 2026\s+2\s+3\s+0\s+1\s+6", text)
    with pikepdf.open(path) as pdf:
        figures = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                   and obj.get("/Type") == "/StructElem" and obj.get("/S") == "/Figure"]
        alts = sorted(str(f.get("/Alt")) for f in figures)
        assert len(figures) == 2 and alts[0].startswith("Horizontal stacked") and alts[1].startswith("Stacked bar")
        assert pdf.Root.MarkInfo.Marked


def test_each_pdf_chart_figure_says_where_it_is_on_its_page_in_points(built: list[BuildResult]) -> None:
    """A checker or an assistive tool finds a Figure on its page by its layout box (/A /BBox). WeasyPrint wrote it in
    CSS pixels from the top of the page, so a chart half-way down the page had a box past the top of it
    ([68 593 726 934] on an 842-point page). Each box is now in points from the foot of the page, around the bars
    the chart draws."""
    path = built[-1].folder / "paper.pdf"
    with pikepdf.open(path) as pdf:
        numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        boxes = []
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure":
                page = pdf.pages[numbers[obj.Pg.objgen]]
                left, bottom, right, top = (float(value) for value in obj.A.BBox)
                width, height = float(page.mediabox[2]), float(page.mediabox[3])
                assert 0 <= left < right <= width and 0 <= bottom < top <= height, (list(obj.A.BBox), height)
                boxes.append((numbers[obj.Pg.objgen], left, height - top, right, height - bottom))
    assert len(boxes) == 2
    with pdfplumber.open(path) as pdf:
        for number, left, top, right, bottom in boxes:
            bars = [rect for rect in pdf.pages[number].rects if rect["fill"]
                    and left - 1 <= rect["x0"] and rect["x1"] <= right + 1
                    and top - 1 <= rect["top"] and rect["bottom"] <= bottom + 1]
            assert len(bars) >= 3, (number, left, top, right, bottom)


def _spoken_elements(path: Path) -> list[tuple[str, str]]:
    """(type, /ActualText) of each structure element with an /ActualText."""
    with pikepdf.open(path) as pdf:
        return [(str(obj.S), str(obj.ActualText)) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                and obj.get("/Type") == "/StructElem" and "/ActualText" in obj]


def test_a_screen_reader_hears_the_pdf_movements_in_words_and_links_by_their_text(
        built: list[BuildResult]) -> None:
    """Each movement's arrow is its own run whose structure element has words as /ActualText, the summary's
    legend ("1 moved forward (↑)") is read in words with its paragraph, and a link annotation's /Contents is
    the link's text, not its URL; what the pages show is what they showed."""
    path = built[-1].folder / "paper.pdf"
    progress = built[-1].paper.progress
    assert progress is not None
    spoken = _spoken_elements(path)
    with pikepdf.open(path) as pdf:
        contents = [(str(annot.Contents), str(annot.A.URI)) for page in pdf.pages
                    for annot in page.obj.get("/Annots", []) if "/A" in annot]
    text = " ".join(" ".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages).split())
    words = {"↑": "Moved up", "↓": "Moved down", "→": "Moved across"}
    arrows = [said for kind, said in spoken if kind == "/Span"]
    assert sorted(arrows) == sorted(words[arrow] for arrow in re.findall(r"([↑↓→]) from", text))
    assert "Moved up" in arrows and "Moved down" in arrows  # the plan moves one action up and one down
    assert "moved forward (↑), 1 moved back (↓)" in text  # shown as it was; read as words
    assert [said for kind, said in spoken if kind != "/Span"] == [
        "".join(words.get(char, char) for char in progress.summary)]
    assert any("1 moved forward (Moved up), 1 moved back (Moved down)" in said for _kind, said in spoken)
    # the address breaks after "https://": both its annotations say all of it, with no space where it broke
    assert contents == [("Safer Wessex Plan", "https://example.org/plan"),
                        *[("https://example.org/papers", "https://example.org/papers")] * 2]
    with pdfplumber.open(path) as plumbed:  # each link described by the words it covers on its pages
        boxes = [(page, (annot["x0"], annot["top"], annot["x1"], annot["bottom"]))
                 for page in plumbed.pages for annot in page.annots]
        drawn = [" ".join((page.crop(box).extract_text() or "").split()).rstrip(".") for page, box in boxes]
    assert drawn[0] == "Safer Wessex Plan" and "".join(drawn[1:]) == "https://example.org/papers"


def test_a_pdf_template_copied_before_the_arrows_had_spans_is_still_heard_in_words(
        built: list[BuildResult], tmp_path: Path) -> None:
    """A workspace keeps the paper.html.j2 `reportgen template --all` wrote before a movement's arrow had a span
    of its own. Nothing breaks and nothing needs saying: each movement is read in words whole ("Moved up from In
    progress (2026-09)"), the summary too, and the pages are those reportgen's own template draws."""
    import pypdfium2

    ours = (ROOT / "templates" / "paper.html.j2").read_text(encoding="utf-8")
    older = ours.replace("{{ spoken(note) }}", "{{ note.text }}")
    assert older != ours and "spoken(" not in older.split("{%- endmacro -%}")[-1]
    (tmp_path / "ws" / "templates").mkdir(parents=True)
    (tmp_path / "ws" / "templates" / "paper.html.j2").write_text(older, encoding="utf-8")
    result = three_periods(tmp_path / "ws")[-1]
    # made here, this copy is none a release shipped: a copy of unknown origin, said so, and nothing else
    assert [i.code for i in result.issues if "template" in i.code or "stylesheet" in i.code] == [
        "template-copy-unknown"]
    spoken = _spoken_elements(result.folder / "paper.pdf")
    assert sorted(said for kind, said in spoken if kind == "/Span") == [
        "Moved down from Completed (2026-09)", "Moved up from In progress (2026-09)"]
    assert [said for kind, said in spoken if kind == "/P"] == [
        said for kind, said in _spoken_elements(built[-1].folder / "paper.pdf") if kind == "/P"]
    copied = pypdfium2.PdfDocument(result.folder / "paper.pdf")
    own = pypdfium2.PdfDocument(built[-1].folder / "paper.pdf")
    assert len(copied) == len(own)
    for number in range(len(own)):
        drawn = [pages[number].render(scale=0.5).to_pil().tobytes() for pages in (copied, own)]
        assert drawn[0] == drawn[1], f"page {number + 1}"


def test_a_summary_broken_over_pages_is_heard_in_words_on_each_page(built: list[BuildResult],
                                                                    tmp_path: Path) -> None:
    """A restyled paper.css sets the progress summary so large that page breaks fall inside it: each page's part
    of it (WeasyPrint tags one element a page) is read in its own words, arrows and all, and the parts read
    together are the summary in words, as the summary on one page is."""
    import shutil

    from reportgen.paper_rules import spoken_text
    from reportgen.render.pdf import writer as pdf_writer

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    with (templates / "paper.css").open("a", encoding="utf-8") as css:
        css.write("\np.summary { font-size: 90pt; }\n")
    paper = built[-1].paper
    assert paper.progress is not None
    pdf_writer.write_pdf(paper, templates, tmp_path / "paper.pdf")
    with pdfplumber.open(tmp_path / "paper.pdf") as plumbed:
        pages = ["".join((page.extract_text() or "").split()) for page in plumbed.pages]
    starts = next(number for number, text in enumerate(pages) if "Sincethe" in text)
    # broken: its first words on one page, its arrows on the pages after it
    assert "(↑)" not in pages[starts] and "(↓)" in pages[starts + 1] + pages[starts + 2]
    with pikepdf.open(tmp_path / "paper.pdf") as pdf:
        parts = [(pdf.pages.index(pikepdf.Page(obj.Pg)), str(obj.ActualText)) for obj in pdf.objects
                 if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem"
                 and obj.get("/S") == "/P" and "/ActualText" in obj]
    assert len(parts) > 1 and [number for number, _said in parts] == list(range(starts, starts + len(parts)))
    assert " ".join(said for _number, said in parts) == spoken_text(paper.progress.summary)
    assert not any(re.search("[↑↓→]", said) for _number, said in parts)


def test_a_pdf_with_no_movement_and_no_link_has_no_page_read_for_words(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A first month's paper shows no arrow: giving its PDF's arrows and links words reads the text of only the
    pages with a link, not every page's for arrows (the sample's 35 pages took ~90 ms); with no link either,
    none. A paper with movements still has every page read."""
    from conftest import make_paper
    from reportgen.render.pdf import spoken
    from reportgen.render.pdf import writer as pdf_writer

    read: list[object] = []
    original = spoken.PageTexts._read
    monkeypatch.setattr(spoken.PageTexts, "_read", lambda texts, page: read.append(page) or original(texts, page))
    paper = make_paper(6, sections=2)
    assert not paper.spoken_sentences
    pdf_writer.write_pdf(paper, ROOT / "templates", tmp_path / "paper.pdf")
    assert read and _spoken_elements(tmp_path / "paper.pdf") == []  # its pages with links, described
    with pikepdf.open(tmp_path / "paper.pdf") as pdf:
        for page in pdf.pages:
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
        read.clear()
        assert not spoken.give_words(pdf, paper.spoken_sentences) and read == []
        spoken.give_words(pdf, (("↑ from In progress (2026-09)", "Moved up from In progress (2026-09)"),))
        assert len(read) == len(pdf.pages)


def test_two_links_to_one_address_side_by_side_are_each_heard_by_their_own_words(tmp_path: Path) -> None:
    """A partner's explanation links two phrases to one address with nothing between them, then a mail address:
    in the built PDF each link's annotation says its own words, not both links' run together."""
    returns = _returns(0)
    returns["opcc.xlsx"] = [row if row[0] != 6 else (*row[:3], (
        'See <a href="https://example.org/p">the papers</a><a href="https://example.org/p">, minutes</a> and '
        '<a href="mailto:jo@example.org">write to Jo</a>.'), row[4]) for row in returns["opcc.xlsx"]]
    root = make_workspace(tmp_path / "ws", period=PERIODS[0], returns=returns, toml=TOML.format(n=2))
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    path = Path(done.stdout.splitlines()[-1]) / "paper.pdf"
    with pikepdf.open(path) as pdf:
        contents = [(str(annot.Contents), str(annot.A.URI)) for page in pdf.pages
                    for annot in page.obj.get("/Annots", []) if "/A" in annot]
    assert contents == [("the papers", "https://example.org/p"), (", minutes", "https://example.org/p"),
                        ("write to Jo", "mailto:jo@example.org")]
    with pdfplumber.open(path) as plumbed:  # the words each covers on its page: one link each, side by side
        drawn = [" ".join((page.within_bbox((annot["x0"], annot["top"], annot["x1"], annot["bottom"])).extract_text()
                           or "").split()) for page in plumbed.pages for annot in page.annots]
    assert drawn == ["the papers", "minutes", "write to Jo"]  # a comma's box reaches past its link's edge


@pytest.mark.parametrize("actions", [6, 60])  # one document; a long paper laid out in parts and joined
def test_a_link_broken_over_lines_is_one_link_element_holding_every_line(tmp_path: Path, actions: int) -> None:
    """A partner's address too long for its column is drawn over several lines, an annotation a line: in the built
    PDF a screen reader meets one Link element holding every line's text and annotation (not a link a line, each
    a Tab stop read apart), and the parent tree names that element for each line's text and annotation."""
    address = "https://www.example.gov.uk/committee-papers/" + "-".join(["police-and-crime-panel"] * 6) + ".pdf"
    register = [REGISTER_HEADINGS, *[(ref, "", "OPCC", f"Action number {ref}.", "9") for ref in range(1, actions + 1)]]
    updates = {ref: f"Minutes at {address} for the Panel." if ref == 5 else f"Update on {ref}."
               for ref in range(1, actions + 1)}
    returns = {"opcc.xlsx": [RETURN_HEADINGS, *[(ref, f"Action number {ref}.", "In progress", update, "2027")
                                                for ref, update in updates.items()]]}
    root = make_workspace(tmp_path / "ws", period=PERIODS[0], returns=returns, register=register,
                          toml=TOML.format(n=2))
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    path = Path(done.stdout.splitlines()[-1]) / "paper.pdf"
    with pdfplumber.open(path) as plumbed:
        drawn = {(number, char["mcid"]): "" for number, page in enumerate(plumbed.pages) for char in page.chars
                 if char.get("mcid") is not None}
        for number, page in enumerate(plumbed.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    drawn[number, char["mcid"]] += char["text"]
    with pikepdf.open(path) as pdf:
        numbers = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        links = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Link"
                 and "/P" in obj and any(kid.objgen == obj.objgen for kid in obj.P.K
                                         if isinstance(kid, pikepdf.Dictionary))]
        annotations = [(page, annot) for page in pdf.pages for annot in page.obj.get("/Annots", [])
                       if str(annot.get("/A", {}).get("/URI", "")) == address]
        assert len(annotations) >= 2  # drawn over lines
        assert [link for link in (obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                                  and obj.get("/S") == "/Link") if link not in links] == []  # none left loose
        [link] = [link for link in links if any(isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid
                                                and str(kid.Obj.A.URI) == address for kid in link.K)]
        held = [kid.Obj.objgen for kid in link.K if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid]
        assert held == [annot.objgen for _page, annot in annotations]
        runs = [(numbers[link.Pg.objgen], int(kid)) if isinstance(kid, int) else (numbers[kid.Pg.objgen], int(kid.MCID))
                for kid in link.K if isinstance(kid, int) or kid.get("/Type") == "/MCR"]
        assert "".join(drawn[run] for run in runs).replace(" ", "") == address
        parents = pdf.Root.StructTreeRoot.ParentTree
        entries: dict[int, pikepdf.Object] = {}
        stack = [parents]
        while stack:
            node = stack.pop()
            nums = node.get("/Nums", [])
            entries.update({int(nums[at]): nums[at + 1] for at in range(0, len(nums), 2)})
            stack.extend(node.get("/Kids", []))
        assert all(entries[int(annot.StructParent)].objgen == link.objgen for _page, annot in annotations)
        for number, mcid in runs:
            assert entries[int(pdf.pages[number].obj.StructParents)][mcid].objgen == link.objgen
        assert all(str(annot.Contents) == address for _page, annot in annotations)


def test_a_link_with_a_bold_or_italic_word_is_one_link_in_the_pdf_and_the_web_edition(tmp_path: Path) -> None:
    """A partner's link with a bold word in it ("the <b>board</b> papers") was drawn as one <a> per run: a screen
    reader announced three links, and the PDF had a Link structure element for each, the bold word's described by
    its URL. It is one <a> in the web edition and in the PDF's HTML, the formatting inside it; in the PDF one Link
    element and one annotation, described by all its words; two links to one address side by side stay two."""
    import lxml.html

    returns = _returns(0)
    returns["opcc.xlsx"] = [row if row[0] != 6 else (*row[:3], (
        'See <a href="https://example.org/p">the <b>board</b> papers</a>, <a href="https://example.org/q"><i>all</i>'
        ' minutes</a> and <a href="https://example.org/r">the papers</a><a href="https://example.org/r">, agenda</a>.'
    ), row[4]) for row in returns["opcc.xlsx"]]
    root = make_workspace(tmp_path / "ws", period=PERIODS[0], returns=returns, toml=TOML.format(n=2))
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    folder = Path(done.stdout.splitlines()[-1])
    web = lxml.html.fromstring((folder / "paper.html").read_text(encoding="utf-8"))
    assert [(a.get("href"), a.text_content(), [child.tag for child in a]) for a in web.iter("a")
            if "example.org" in (a.get("href") or "")] == [
        ("https://example.org/p", "the board papers", ["strong"]), ("https://example.org/q", "all minutes", ["em"]),
        ("https://example.org/r", "the papers", []), ("https://example.org/r", ", agenda", [])]
    with pikepdf.open(folder / "paper.pdf") as pdf:
        contents = [(str(annot.Contents), str(annot.A.URI)) for page in pdf.pages
                    for annot in page.obj.get("/Annots", []) if "/A" in annot]
        links = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                 and obj.get("/Type") == "/StructElem" and obj.get("/S") == "/Link"]
        annotated = [kid for link in links for kid in link.K
                     if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"]
    assert contents == [("the board papers", "https://example.org/p"), ("all minutes", "https://example.org/q"),
                        ("the papers", "https://example.org/r"), (", agenda", "https://example.org/r")]
    assert len(links) == len(annotated) == 4  # each annotation in its Link element, one each
    with pdfplumber.open(folder / "paper.pdf") as plumbed:  # the words each covers on its page
        drawn = [" ".join((page.within_bbox((annot["x0"], annot["top"], annot["x1"], annot["bottom"])).extract_text()
                           or "").split()) for page in plumbed.pages for annot in page.annots]
    assert drawn[:2] == ["the board papers", "all minutes"]


def test_a_link_written_in_two_tags_of_one_look_is_one_link_in_the_pdf_and_the_web_edition(tmp_path: Path) -> None:
    """A rich-text editor writes a bold link's words in tags of their own (`<b>Board</b><b> papers</b>`), or leaves
    a stray closing tag in it; a link in a list item may hold a line break: the reader kept each run as an inline of
    its own (the break outside the link), and as neighbours of one look in one link are drawn as two links, one `<a>`
    came out as two links to a screen reader and in the PDF. Two `<a>` side by side stay two."""
    import lxml.html

    returns = _returns(0)
    returns["opcc.xlsx"] = [row if row[0] != 6 else (*row[:3], (
        'See <a href="https://example.org/p"><b>Board</b><b> papers</b></a>, <a href="https://example.org/q">the '
        '</b>minutes</a> and <a href="https://example.org/r">the papers</a><a href="https://example.org/r">, agenda'
        '</a>.<ul><li><a href="https://example.org/s">the board<br>agenda</a></li></ul>'), row[4])
        for row in returns["opcc.xlsx"]]
    root = make_workspace(tmp_path / "ws", period=PERIODS[0], returns=returns, toml=TOML.format(n=2))
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    folder = Path(done.stdout.splitlines()[-1])
    web = lxml.html.fromstring((folder / "paper.html").read_text(encoding="utf-8"))
    assert [(a.get("href"), a.text_content()) for a in web.iter("a") if "example.org" in (a.get("href") or "")] == [
        ("https://example.org/p", "Board papers"), ("https://example.org/q", "the minutes"),
        ("https://example.org/r", "the papers"), ("https://example.org/r", ", agenda"),
        ("https://example.org/s", "the boardagenda")]  # a <br> between its lines
    with pikepdf.open(folder / "paper.pdf") as pdf:
        contents = [(str(annot.Contents), str(annot.A.URI)) for page in pdf.pages
                    for annot in page.obj.get("/Annots", []) if "/A" in annot]
    assert contents == [("Board papers", "https://example.org/p"), ("the minutes", "https://example.org/q"),
                        ("the papers", "https://example.org/r"), (", agenda", "https://example.org/r"),
                        *[("the board agenda", "https://example.org/s")] * 2]  # one a line, each heard whole


def test_a_screen_reader_hears_the_web_movements_in_words(built: list[BuildResult]) -> None:
    """Chromium's accessibility tree (as a screen reader gets it) has the words, not the arrows, in the
    status cells and in the summary of the movements."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto((built[-1].folder / "paper.html").as_uri())
            tree = page.locator("body").aria_snapshot()
            summary = page.locator("p.summary").aria_snapshot()
        finally:
            browser.close()
    assert "Moved up from In progress (2026-09)" in tree and "Moved down from Completed" in tree
    assert not re.search("[↑↓→]", tree), [line for line in tree.splitlines() if re.search("[↑↓→]", line)]
    assert re.search(r"moved forward \(\s*Moved up\s*\), 1 moved back \(\s*Moved down\s*\)", summary), summary


def test_the_docx_has_pictures_with_descriptions_and_tables(built: list[BuildResult]) -> None:
    document = docx.Document(str(built[-1].folder / "paper.docx"))
    body = document.element.body
    described = [p.get("descr") for p in body.iter(f"{{{WP}}}docPr")]
    assert len(described) == 2 and described[0].startswith("Stacked bar chart") and "2026" in described[0]
    embedded = [blip.get(f"{{{R}}}embed") for blip in body.iter(f"{{{A}}}blip")]
    pictures = [document.part.related_parts[rel_id] for rel_id in embedded]
    assert len(pictures) == 2 and all(part.content_type == "image/png" and part.blob.startswith(b"\x89PNG")
                                      for part in pictures)
    assert "https://example.org/plan" in [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
    texts = [p.text for p in document.paragraphs]
    assert "Progress over time" in texts and "Stalled actions" in texts
    captions = [(t._tbl.tblPr.find(f"{{{W}}}tblCaption"), t) for t in document.tables]
    tables = {caption.get(f"{{{W}}}val"): t for caption, t in captions if caption is not None}
    numbers = next(t for caption, t in tables.items() if caption.startswith("Actions by status, period"))
    assert [c.text for c in numbers.rows[2].cells] == ["September 2026", "2", "3", "0", "1", "6"]
    assert [c.text for c in tables["Stalled actions"].rows[1].cells] == ["2", "Publish the commissioning plan.",
                                                                        "In progress", "2026-08"]
    plan = document.tables[-1]
    status_cells = [row.cells[2].text for row in plan.rows]
    assert any("↑ Moved up from In progress (2026-09)" in text for text in status_cells)


def test_the_section_charts_alt_text_counts_the_plans_sections_and_says_the_actions_with_none_apart(
        built: list[BuildResult]) -> None:
    """The plan has two sections and two actions before any; the alt text said "each of the 3 sections of the
    plan", counting its bar "No section" as one. In every format it now counts the sections and says the actions
    with no section apart."""
    alt = ("Horizontal stacked bar chart of the number of actions by status in each of the 2 sections of the plan "
           "in October 2026, and of the 2 actions with no section (a bar of their own); the largest section is "
           "Victims with 2 actions. The table below the chart gives every number.")
    html = (built[-1].folder / "paper.html").read_text(encoding="utf-8")
    assert f'alt="{alt}"' in html
    body = docx.Document(str(built[-1].folder / "paper.docx")).element.body
    assert alt in [picture.get("descr") for picture in body.iter(f"{{{WP}}}docPr")]
    with pikepdf.open(built[-1].folder / "paper.pdf") as pdf:
        assert alt in [str(obj.get("/Alt")) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                       and obj.get("/Type") == "/StructElem" and obj.get("/S") == "/Figure"]


def test_a_screen_reader_hears_the_word_papers_movements_in_words(built: list[BuildResult]) -> None:
    """Word has nothing to give an arrow words read in its place (alt text is a picture's; hidden text is not
    read): each movement in the plan writes its arrow's words beside it, in the status note's style as the rest of
    the movement, so a screen reader and a sighted reader meet the same words. No arrow in the plan is bare; the
    summary's legend keeps its arrows, each after the words it stands for."""
    document = docx.Document(str(built[-1].folder / "paper.docx"))
    words = {"↑": "Moved up", "↓": "Moved down", "→": "Moved across"}
    plan = document.tables[-1]
    movements = [(paragraph.text, {run.style.name for run in paragraph.runs}) for row in plan.rows
                 for paragraph in row.cells[2].paragraphs if re.search("[↑↓→]", paragraph.text)]
    assert sorted(movements) == [("↑ Moved up from In progress (2026-09)", {"Status Note"}),
                                 ("↓ Moved down from Completed (2026-09)", {"Status Note"})]
    # the period is never broken at its hyphen in the narrow column: "(2026-" then "09)" (Word's non-breaking hyphen)
    notes = [paragraph for row in plan.rows for paragraph in row.cells[2].paragraphs if "Moved" in paragraph.text]
    assert all(len(paragraph._p.xpath(".//w:noBreakHyphen")) == 1 and "-" not in "".join(
        paragraph._p.xpath(".//w:t/text()")) for paragraph in notes), [paragraph._p.xml for paragraph in notes]
    texts = [cell.text for row in plan.rows for cell in row.cells]
    bare = [text for text in texts for arrow in re.findall("[↑↓→]", text) if f"{arrow} {words[arrow]}" not in text]
    assert bare == []
    progress = built[-1].paper.progress
    assert progress is not None and progress.summary in [p.text for p in document.paragraphs]
    assert "1 moved forward (↑), 1 moved back (↓)" in progress.summary


def test_the_word_papers_progress_part_has_no_empty_paragraph_a_screen_reader_would_call_blank(
        tmp_path: Path) -> None:
    """Built from the command line for two periods, the Word paper's "Progress over time" holds no empty
    paragraph: each chart's picture is parted from the table of numbers above it by the picture's own space
    above, not by a paragraph a screen reader announces as "blank"."""
    root = tmp_path / "ws"
    for n, period in enumerate(PERIODS[:2]):
        if n == 0:
            make_workspace(root, period=period, returns=_returns(0), toml=TOML.format(n=2))
        for name, rows in _returns(n).items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        assert main(["build", "--workspace", str(root), "--period", period]) == 0
    folder = sorted((root / "outputs" / PERIODS[1]).glob("draft-*"))[-1]
    body = docx.Document(str(folder / "paper.docx")).element.body
    children = list(body.iterchildren())
    texts = ["".join(element.xpath(".//w:t/text()")) for element in children]
    start, end = texts.index("Progress over time"), texts.index("Stalled actions")
    part = children[start:end]
    kinds = ["picture" if element.find(f".//{{{W}}}drawing") is not None else element.tag.split("}")[1]
             for element in part]
    assert kinds == ["p", "p", "picture", "tbl", "picture", "tbl"], kinds
    empty = [element for element in part if element.tag == f"{{{W}}}p" and not "".join(
        element.xpath(".//w:t/text()")).strip() and element.find(f".//{{{W}}}drawing") is None]
    assert empty == []
    spaced = [element.find(f"{{{W}}}pPr/{{{W}}}spacing") for element in part if element.find(f".//{{{W}}}drawing")
              is not None]
    assert all(spacing is not None and int(spacing.get(f"{{{W}}}before", "0")) > 0 for spacing in spaced)


def test_charts_and_papers_are_identical_across_two_builds(built: list[BuildResult],
                                                          caplog: pytest.LogCaptureFixture) -> None:
    root = built[-1].folder.parents[2]
    with caplog.at_level(logging.WARNING):
        again = build_draft(root, period="2026-10")
    assert [r.getMessage() for r in caplog.records if r.name.startswith(("weasyprint", "reportgen"))] == []
    assert again.folder != built[-1].folder
    for name in ("paper.html", "paper.pdf", "paper.docx"):
        assert (again.folder / name).read_bytes() == (built[-1].folder / name).read_bytes(), name
    with zipfile.ZipFile(again.folder / "paper.docx") as package:
        assert len([n for n in package.namelist() if n.startswith("word/media/")]) == 2


def test_history_command_writes_the_action_by_period_table(built: list[BuildResult], tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    root = built[-1].folder.parents[2]
    assert main(["history", "--workspace", str(root), "--out", str(tmp_path / "h")]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(tmp_path / "h")
    with (tmp_path / "h" / "history.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["Ref", "Section", "Lead", "Action", *PERIODS]
    assert rows[1] == ["1", "", "Wessex Police", "Develop a prevention strategy.", *PLAN[1]]
    assert len(rows) == 7
    sheet = openpyxl.load_workbook(tmp_path / "h" / "history.xlsx").active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[3][4:] == list(PLAN[3])


def _history_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`reportgen history ARGS` as an analyst runs it, in a process of its own."""
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "history", *args], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return done


def test_the_history_workbook_sorts_filters_and_says_what_its_columns_and_blanks_mean(
        built: list[BuildResult], tmp_path: Path) -> None:
    """history.xlsx held each ref as text (Excel sorted 1, 10, 2 and flagged every one), had no filters, let the
    refs scroll away behind the periods, and said nowhere what a blank status meant or which draft each period's
    column was read from; its csv had no byte order mark, so Excel opened it as its own code page."""
    import pandas as pd

    root = built[-1].folder.parents[2]
    out = tmp_path / "h"
    _history_cli("--workspace", str(root), "--out", str(out))
    book = openpyxl.load_workbook(out / "history.xlsx")
    assert book.sheetnames == ["History", "Notes"]
    sheet = book["History"]
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("B2", "A1:G7")  # every row, every column
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[0] for row in values] == ["Ref", 1, 2, 3, 4, 5, 6]
    notes = dict(book["Notes"].iter_rows(min_row=2, values_only=True))
    assert set(values[0]) <= set(notes)  # every heading explained
    for period in PERIODS:  # the newest kept draft of each (the tests before this one may have kept another)
        newest = max((root / "outputs" / period).glob("draft-*"), key=lambda folder: int(folder.name[6:]))
        assert f"outputs/{period}/{newest.name} (public edition)" in notes[period]
    assert notes["2026-08"].startswith("August 2026:")
    assert notes["A blank status"].startswith("The action was not in that period's paper: not yet in the plan, "
                                              "or withdrawn")
    data = (out / "history.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfRef,")
    table = pd.read_csv(out / "history.csv")
    assert list(table.columns) == ["Ref", "Section", "Lead", "Action", *PERIODS]
    assert table["Ref"].dtype == "int64" and list(table["2026-10"]) == [PLAN[ref][2] for ref in sorted(PLAN)]


def test_a_period_whose_draft_cannot_be_read_is_named_in_the_history_notes(built: list[BuildResult],
                                                                          tmp_path: Path) -> None:
    """A damaged draft left its period out of the history, said only on the console: the workbook, read later,
    went from one period to the one after next without a word."""
    root = tmp_path / "ws"
    shutil.copytree(built[-1].folder.parents[2], root)
    damaged = root / "outputs" / PERIODS[1] / built[1].folder.name
    (damaged / "draft.json").write_text('{"broken', encoding="utf-8")
    done = _history_cli("--workspace", str(root))
    assert "could not be read for the history" in done.stdout
    book = openpyxl.load_workbook(root / "outputs" / "history" / "history.xlsx")
    assert [cell.value for cell in book["History"][1]] == ["Ref", "Section", "Lead", "Action", "2026-08", "2026-10"]
    [not_read] = [text for heading, text in book["Notes"].iter_rows(min_row=2, values_only=True)
                  if heading == "Not read"]
    assert f" {damaged.relative_to(root).as_posix()}/draft.json" in not_read and not_read.endswith(
        "so this history has no column for 2026-09 (September 2026).")


def _build_cli(root: Path, period: str) -> None:
    done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "build", "--workspace", str(root),
                           "--period", period], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr


def test_the_history_sets_apart_the_statuses_carried_forward_for_a_partner_that_sent_no_return(
        tmp_path: Path) -> None:
    """OPCC (actions 2, 4 and 6) sent no return for September: its paper carried August's statuses forward and
    said so in each status cell, but history.xlsx and history.csv showed them as statuses reported in September,
    so an analyst counting progress counted them as fresh. The workbook now shades them with the paper's note as a
    comment and says so in its Notes; history.csv keeps one plain status per cell, and
    history-carried-forward.csv lists the carried ones by ref and period, to join on."""
    import pandas as pd

    root = tmp_path / "ws"
    for n, period in enumerate(PERIODS):
        returns = _returns(n)
        # the Board's action 5 reworded each month: a return the same as last month's is set apart too (the next test)
        returns["criminal-justice-board.xlsx"][1:] = [(*row[:3], f"Update {n} on 5.", row[4])
                                                      for row in returns["criminal-justice-board.xlsx"][1:]]
        if n == 0:
            make_workspace(root, period=period, returns=returns, toml=TOML.format(n=2))
        if n == 1:
            del returns["opcc.xlsx"]
        for name, rows in returns.items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        _build_cli(root, period)
    out = tmp_path / "h"
    printed = _history_cli("--workspace", str(root), "--out", str(out)).stdout.splitlines()
    assert printed[-3:] == [str(out / "history-carried-forward.csv"), str(out / "history-corrected.csv"), str(out)]
    carried = {(ref, "2026-09"): PLAN[ref][0] for ref in (2, 4, 6)}  # August's, repeated

    book = openpyxl.load_workbook(out / "history.xlsx")
    sheet = book["History"]
    headings = [cell.value for cell in sheet[1]]
    cells = {(row[0].value, headings[cell.column - 1]): cell for row in sheet.iter_rows(min_row=2) for cell in row[4:]}
    assert {key: cell.value for key, cell in cells.items() if cell.comment} == carried
    for key, cell in cells.items():
        apart = key in carried
        assert (bool(cell.font.i), cell.fill.fill_type == "solid") == (apart, apart), key
    assert cells[(2, "2026-09")].comment.text == ("No update received this period: status as last reported "
                                                  "(August 2026)")
    notes = dict(book["Notes"].iter_rows(min_row=2, values_only=True))
    assert notes["2026-09"].endswith("3 statuses carried forward from an earlier period, not reported: actions 2, "
                                     "4 and 6.")
    assert "carried forward" not in notes["2026-08"] + notes["2026-10"]
    assert notes["Carried forward"].startswith("A status shaded grey and in italics, with a comment, was carried "
                                               "forward, not reported that period")
    assert notes["Carried forward"].endswith("history-carried-forward.csv lists each by Ref and Period, with the "
                                             "period it was reported in; 3 statuses in all.")

    history = pd.read_csv(out / "history.csv")  # one row per action, one plain status per period, as before
    assert list(history.columns) == ["Ref", "Section", "Lead", "Action", *PERIODS]
    assert list(history["2026-09"]) == [PLAN[ref][0 if ref in (2, 4, 6) else 1] for ref in sorted(PLAN)]
    data = (out / "history-carried-forward.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfRef,Period,Status,Reported in,Note\r\n")
    listed = pd.read_csv(out / "history-carried-forward.csv", dtype={"Period": str, "Reported in": str})
    assert listed["Ref"].dtype == "int64"
    assert [tuple(row) for row in listed[["Ref", "Period", "Status", "Reported in"]].itertuples(index=False)] == [
        (ref, "2026-09", PLAN[ref][0], "2026-08") for ref in (2, 4, 6)]
    # as an analyst counts: the statuses reported in each period, the carried ones left out
    long = history.melt(id_vars=["Ref"], value_vars=list(PERIODS), var_name="Period", value_name="Status")
    joined = long.merge(listed[["Ref", "Period"]].assign(carried=True), on=["Ref", "Period"], how="left")
    reported = joined[joined["carried"].isna()].groupby("Period").size().to_dict()
    assert reported == {"2026-08": 6, "2026-09": 3, "2026-10": 6}

    _history_cli("--workspace", str(root), "--out", str(tmp_path / "r"), "--edition", "restricted")
    with (tmp_path / "r" / "history-restricted-carried-forward.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Ref", "Period", "Status", "Reported in", "Note", "Marking"]
    assert [row[:2] for row in rows[1:]] == [["2", "2026-09"], ["4", "2026-09"], ["6", "2026-09"]]
    assert {row[-1] for row in rows[1:]} == {"RESTRICTED"}


def test_the_history_sets_apart_a_status_sent_back_exactly_as_it_was_pre_filled(tmp_path: Path) -> None:
    """The Criminal Justice Board (action 5) sent its September and October workbooks back exactly as they were
    pre-filled: each paper said "Return unchanged: status and update as last reported (August 2026)", but the
    history showed the status as one reported that month, so an analyst counted it as fresh (and October's paper
    said "as last reported (September 2026)", the month that repeated it). It is now set apart like a status
    carried forward, the paper's note as its comment, and listed as reported in August, as both papers say."""
    import pandas as pd

    root = tmp_path / "ws"
    for n, period in enumerate(PERIODS):
        returns = _returns(n)
        if n == 0:
            make_workspace(root, period=period, returns=returns, toml=TOML.format(n=2))
        folder = root / "inputs" / "returns" / period
        for name, rows in returns.items():
            if n and name == "criminal-justice-board.xlsx":  # its workbook, sent back untouched
                made = tmp_path / f"made-{period}"
                done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "returns", "--workspace",
                                       str(root), "--period", period, "--out", str(made)], capture_output=True,
                                      text=True, timeout=300)
                assert done.returncode == 0, done.stdout + done.stderr
                shutil.copy(made / name, folder / name)
            else:
                write_xlsx(folder / name, rows)
        _build_cli(root, period)
    out = tmp_path / "h"
    _history_cli("--workspace", str(root), "--out", str(out))
    note = "Return unchanged: status and update as last reported (August 2026)"
    sheet = openpyxl.load_workbook(out / "history.xlsx")["History"]
    headings = [cell.value for cell in sheet[1]]
    cells = {(row[0].value, headings[cell.column - 1]): cell for row in sheet.iter_rows(min_row=2) for cell in row[4:]}
    assert {key: cell.comment.text for key, cell in cells.items() if cell.comment} == {
        (5, "2026-09"): note, (5, "2026-10"): note}
    assert all(cells[(5, period)].font.i and cells[(5, period)].fill.fill_type == "solid" for period in PERIODS[1:])
    listed = pd.read_csv(out / "history-carried-forward.csv", dtype={"Period": str, "Reported in": str})
    assert [tuple(row) for row in listed.itertuples(index=False)] == [
        (5, "2026-09", "On hold", "2026-08", note), (5, "2026-10", "On hold", "2026-08", note)]


def test_history_prints_whole_paths_for_a_relative_workspace(built: list[BuildResult], monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen history --workspace ws` printed "ws/outputs/history" where every other command prints its folder
    whole (`build`'s draft folder), which a script run from elsewhere could not use."""
    root = built[-1].folder.parents[2]
    monkeypatch.chdir(root.parent)
    assert main(["history", "--workspace", root.name]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-5:] == [str(root / "outputs" / "history" / name) for name in
                          ("history.xlsx", "history.csv", "history-carried-forward.csv", "history-corrected.csv", "")]


def test_history_without_drafts_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_workspace(tmp_path / "ws")
    assert main(["history", "--workspace", str(root)]) == 1
    assert "no kept public drafts" in capsys.readouterr().err


def test_history_says_why_there_is_none_when_drafts_are_kept(tmp_path: Path) -> None:
    """With drafts kept, `reportgen history` said "no kept public drafts …: build a paper first" both when the only
    draft could not be read (its warning never printed) and when every kept draft was restricted."""
    root = make_workspace(tmp_path / "ws")
    restricted = build_draft(root, edition="restricted").folder

    def refused() -> str:
        done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", "history", "--workspace", str(root)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stdout + done.stderr
        assert not (root / "outputs" / "history").exists()
        return " ".join(done.stderr.split())

    told = refused()
    assert "only restricted ones" in told and "reportgen history --edition restricted" in told
    public = build_draft(root).folder
    (public / "draft.json").write_text("{", encoding="utf-8")
    told = refused()
    assert f"no kept public draft under {root / 'outputs'} could be read ({public / 'draft.json'}: not valid JSON" \
        in told and "build a paper first" not in told and restricted.exists()


def test_history_into_the_inputs_is_refused_in_its_own_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    """`reportgen history --out inputs/hist` was refused with "…write drafts elsewhere", though it writes none."""
    root = make_workspace(tmp_path / "ws")
    build_draft(root)
    capsys.readouterr()
    assert main(["history", "--workspace", str(root), "--out", str(root / "inputs" / "hist")]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "is inside the workspace's inputs folder, which reportgen only reads: choose a folder outside it" in err
    assert "draft" not in err and not (root / "inputs" / "hist").exists()


def test_exempt_actions_stay_out_of_history_and_progress(tmp_path: Path) -> None:
    register = [(*REGISTER_HEADINGS, "Exempt"), *[(*a, "No") for a in ACTIONS],
                (7, f"{CANARY} section", "OPCC", f"{CANARY} action", "1", "Yes")]
    plan = {**PLAN, 7: ("Not started", "In progress", "Completed")}
    root = tmp_path / "ws"
    for n, period in enumerate(PERIODS):
        returns = _returns(n, plan)
        returns["opcc.xlsx"].append((7, "", plan[7][n], f"{CANARY} update", f"{CANARY}"))
        if n == 0:
            make_workspace(root, period=period, register=register, returns=returns)
        for name, rows in returns.items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        build_draft(root, period=period, edition="restricted")  # restricted drafts hold the canary…
        result = build_draft(root, period=period)
    assert result.paper.progress is not None
    assert all(row.total == 6 for row in result.paper.progress.charts[0].rows)  # …the public ones never
    assert main(["history", "--workspace", str(root), "--out", str(tmp_path / "h")]) == 0
    for path in [*(tmp_path / "h").iterdir(), result.folder / "paper.html"]:
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as package:
                data = b"".join(package.read(n) for n in package.namelist())
        data += b"".join(base64.b64decode(m) for m in re.findall(rb"base64,([A-Za-z0-9+/=]+)", data))
        assert CANARY.encode() not in data, path.name
    # a restricted history may hold exempt actions: written apart and marked, the public one untouched
    assert main(["history", "--workspace", str(root)]) == 0
    public = root / "outputs" / "history"
    before = {path.name: path.read_bytes() for path in public.iterdir()}
    assert sorted(before) == ["history-carried-forward.csv", "history-corrected.csv", "history.csv", "history.xlsx"]
    assert main(["history", "--workspace", str(root), "--edition", "restricted"]) == 0
    assert {path.name: path.read_bytes() for path in public.iterdir()} == before
    restricted = root / "outputs" / "history-restricted"
    assert sorted(path.name for path in restricted.iterdir()) == [
        "history-restricted-carried-forward.csv", "history-restricted-corrected.csv", "history-restricted.csv",
        "history-restricted.xlsx"]
    sheets = openpyxl.load_workbook(restricted / "history-restricted.xlsx").worksheets
    assert [sheet.title for sheet in sheets] == ["History RESTRICTED", "Notes RESTRICTED"]  # and every printed page
    assert all((sheet.oddHeader.center.text, sheet.oddFooter.center.text) == ("RESTRICTED", "RESTRICTED")
               for sheet in sheets)
    # …from each period's restricted draft, though a public one was built after it
    with (restricted / "history-restricted.csv").open(encoding="utf-8-sig", newline="") as stream:
        headings, *rows = list(csv.reader(stream))
    exempt = [row for row in rows if row[0] == "7"]
    assert exempt and exempt[0][3] == f"{CANARY} action" and exempt[0][5:-1] == list(plan[7])
    # …and says which of its actions are exempt, so that its reader keeps them out of the public part of a meeting
    assert headings[4] == "Exempt (Part II)" and [row[4] for row in rows] == ["", "", "", "", "", "", "Yes"]
    sheet = openpyxl.load_workbook(restricted / "history-restricted.xlsx").worksheets[0]
    assert [cell.value for cell in sheet[1]][4] == "Exempt (Part II)"
    assert [str(row[4] or "") for row in sheet.iter_rows(min_row=2, values_only=True)] == [""] * 6 + ["Yes"]
    # the csv, opened on its own (no sheet title, no printed page), says on every row that it is restricted
    assert headings[-1] == "Marking" and rows and all(row[-1] == "RESTRICTED" for row in rows)
    with (public / "history.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert {"Marking", "Exempt (Part II)"}.isdisjoint(next(csv.reader(stream)))


def test_history_is_never_written_into_the_inputs_or_a_draft(built: list[BuildResult], tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = built[-1].folder.parents[2]
    for out in (built[0].folder, built[0].folder / "sub", root / "inputs" / "x"):
        before = sorted(p.name for p in built[0].folder.iterdir())
        assert main(["history", "--workspace", str(root), "--out", str(out)]) == 2
        assert "never writing into a draft" in capsys.readouterr().err or out.is_relative_to(root / "inputs")
        assert sorted(p.name for p in built[0].folder.iterdir()) == before and not (root / "inputs" / "x").exists()
    # a folder of histories made before is written again, as the default folder is
    for _run in range(2):
        assert main(["history", "--workspace", str(root), "--out", str(tmp_path / "h")]) == 0


def test_new_actions_and_moves_between_not_started_and_on_hold(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    first = {**{ref: ("In progress",) * 3 for ref in PLAN}, 3: ("Not started",) * 3}
    make_workspace(root, period="2026-09", returns=_returns(0, first))
    build_draft(root)
    register = [REGISTER_HEADINGS, *ACTIONS, (7, "Justice", "OPCC", "A new action.", "18")]
    second = {**first, 3: ("On hold",) * 3, 7: ("Not started",) * 3}
    returns = _returns(0, second)
    returns["opcc.xlsx"].append((7, "A new action.", "Not started", "Starting.", "2027"))
    make_workspace(root, period="2026-10", returns=returns, register=register)
    paper = build_draft(root).paper
    moves = {row.ref: (row.movement, row.movement_direction) for row in paper.rows if row.movement}
    assert moves == {3: ("→ from Not started (2026-09)", "across"), 7: ("New since 2026-09", "new")}
    assert paper.progress is not None and (paper.progress.moved_across, paper.progress.new) == (1, 1)
    assert paper.progress.summary.endswith("1 action is new.")
    # November: action 5 withdrawn from the register; the sentence says so, and the counts add up
    make_workspace(root, period="2026-11", returns=returns, register=[r for r in register if r[0] != 5])
    later = build_draft(root).paper
    assert later.progress is not None and later.total == paper.total - 1
    assert later.progress.summary.endswith("0 actions are new and 1 is no longer in the plan.")
    assert later.progress.withdrawn_note == "No longer in the plan: 5 Measure file quality."
    # December: action 5 back in the register: it was in October's paper, not November's; it read
    # "New since 2026-11", as if the Panel had never seen it
    make_workspace(root, period="2026-12", returns=returns, register=register)
    back = build_draft(root)
    moves = {row.ref: (row.movement, row.movement_direction) for row in back.paper.rows if row.movement}
    assert moves == {5: ("Not in the 2026-11 paper; was In progress (2026-10)", "back")}
    assert back.paper.progress is not None and back.paper.progress.new == 0
    assert back.paper.progress.summary.endswith("0 actions are new and 1 is in the paper again.")
    shown = [cell.text for table in docx.Document(str(back.folder / "paper.docx")).tables
             for row in table.rows for cell in row.cells]
    assert any("Not in the 2026-11 paper; was In progress (2026-10)" in text for text in shown)
    assert not any("New since" in text for text in shown)
    assert "0 actions are new and 1 is in the paper again." in " ".join(
        (page.extract_text() or "").replace("\n", " ") for page in pypdf.PdfReader(back.folder / "paper.pdf").pages)


def test_an_action_withdrawn_is_named_in_every_format_and_one_made_exempt_never_in_the_public_edition(
        tmp_path: Path) -> None:
    """September's paper had actions 5 and 6; by October 5 is withdrawn from the register and 6 made exempt.
    "Progress over time" said "1 is no longer in the paper" with no number or name, and "Changes since the last
    draft" did not list it: only `reportgen diff` named it. The paper now names the withdrawn action, in the PDF,
    the Word paper and the web edition, and lists it as "No longer in the plan"; the public edition counts the
    action made exempt apart and names it nowhere."""
    register = [(*REGISTER_HEADINGS, "Exempt"), *[(*a, "No") for a in ACTIONS[:5]],
                (6, "Justice", "OPCC", f"{CANARY} court capacity.", "16", "No")]
    toml = TOML.format(n=2).replace("[history]", "changes_section = true\n[history]")
    root = tmp_path / "ws"
    make_workspace(root, period="2026-09", register=register, returns=_returns(0), toml=toml)
    build_draft(root, period="2026-09")
    october = [*register[:5], (6, "Justice", "OPCC", f"{CANARY} court capacity.", "16", "Yes")]
    returns = {name: [row for row in rows if row[0] != 5] for name, rows in _returns(1).items()}
    make_workspace(root, period="2026-10", register=october, returns=returns, toml=toml)
    result = build_draft(root, period="2026-10")

    progress = result.paper.progress
    assert progress is not None
    assert progress.summary.endswith("0 actions are new, 1 is no longer in the plan and 1 is no longer in the paper.")
    note = "No longer in the plan: 5 Measure file quality."
    assert progress.withdrawn_note == note
    assert [(m.ref, m.old, m.new) for m in result.paper.changes][-1] == (5, "On hold", "No longer in the plan")
    assert 6 not in [m.ref for m in result.paper.changes]

    with pdfplumber.open(result.folder / "paper.pdf") as pdf:
        pdf_text = _flat(" ".join(page.extract_text() or "" for page in pdf.pages))
    assert note in pdf_text and "5 Measure file quality. On hold No longer in the plan" in pdf_text
    document = docx.Document(str(result.folder / "paper.docx"))
    assert note in [paragraph.text for paragraph in document.paragraphs]
    changes = next(t for t in document.tables
                   if [c.text for c in t.rows[0].cells] == ["Plan priority", "Action", "Was", "Now"])
    assert [c.text for c in changes.rows[-1].cells] == ["5", "Measure file quality.", "On hold",
                                                        "No longer in the plan"]
    html = (result.folder / "paper.html").read_text(encoding="utf-8")
    assert f'<p class="withdrawn-note">{note}</p>' in html
    # the withdrawn action has no row in the plan to link to
    assert '<tr><th scope="row">5</th><td>Measure file quality.</td>' in html and 'href="#action-5"' not in html
    for name in ("draft.json", "paper.html", "paper.docx", "paper.pdf"):
        data = (result.folder / name).read_bytes()
        if name == "paper.docx":
            with zipfile.ZipFile(result.folder / name) as package:
                data = b"".join(package.read(n) for n in package.namelist())
        assert CANARY.encode() not in data and CANARY not in pdf_text, name


def test_stalled_since_is_the_start_of_the_unchanged_run(tmp_path: Path) -> None:
    progress = three_periods(tmp_path / "ws", stalled_after=1)[-1].paper.progress
    assert progress is not None
    # the window is the last two periods, but 2 and 5 have not changed since the first
    assert [(s.ref, s.since) for s in progress.stalled] == [(2, "2026-08"), (5, "2026-08")]


def test_an_empty_segment_draws_no_outline_and_the_legend_keeps_every_swatch() -> None:
    """A status with no action in a row drew its outline as a stray line across the bar; the legend,
    drawn from the style, keeps each status's outlined swatch."""
    from reportgen.model import Chart, CountRow
    from reportgen.render.charts import drawn

    rows = (CountRow("A", (("Completed", 0), ("In progress", 3), ("Not started", 0), ("On hold", 0)), 3),
            CountRow("B", (("Completed", 2), ("In progress", 1), ("Not started", 1), ("On hold", 1)), 5))
    svg = drawn(Chart("sections", "Actions by status and section", "Alt", rows)).svg.decode()
    body, legend = svg.split('<g id="legend_1">')
    bars = re.findall(r'<g id="patch_\d+">\s*<path[^>]*style="([^"]*)"', body)[2:10]  # after the backgrounds
    assert ["stroke:" in style for style in bars] == [False, True, True, True, False, True, False, True]
    swatches = re.findall(r'<g id="patch_\d+">\s*<path[^>]*style="([^"]*)"', legend)
    assert len(swatches) == 4 and all("stroke-width: 0.8" in style for style in swatches)


def _bar_numbers(svg: str) -> list[tuple[float, float, str]]:
    """(x, y, number) of each number drawn in a bar segment (8 px text; the axes' ticks are 9 px)."""
    return [(float(x), float(y), text) for x, y, text in
            re.findall(r'<text style="font-size: 8px;[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg)]


def test_a_segment_too_small_for_its_number_has_none_and_no_two_numbers_overlap() -> None:
    """Four periods of 34 actions, 1 on hold and 1 not started: the two 1s were drawn over each other at the top
    of every bar, in the PDF, the web edition (SVG) and the Word paper (PNG of the same figure), and could not be
    read. A segment too small for its number is now left bare (the table beside the chart gives it); the same in
    the chart by section, whose bars run across."""
    from reportgen.model import Chart, CountRow
    from reportgen.render.charts import drawn

    def row(label: str, completed: int, in_progress: int, not_started: int, on_hold: int) -> CountRow:
        counts = (("Completed", completed), ("In progress", in_progress), ("Not started", not_started),
                  ("On hold", on_hold))
        return CountRow(label, counts, completed + in_progress + not_started + on_hold)

    periods = tuple(row(f"{month} 2026", 2, 30, 1, 1) for month in ("August", "September", "October", "November"))
    numbers = _bar_numbers(drawn(Chart("periods", "Actions by status, period by period", "Alt", periods)).svg.decode())
    assert [number for _x, _y, number in numbers] == ["30"] * 4
    sections = (row("Victims", 80, 1, 1, 1), row("Justice", 10, 20, 30, 20))
    numbers = _bar_numbers(drawn(Chart("sections", "Actions by status and section", "Alt", sections)).svg.decode())
    assert [number for _x, _y, number in numbers] == ["80", "10", "20", "30", "20"]  # wide segments keep theirs
    roomy = tuple(row(f"{month} 2026", 6, 6, 6, 6) for month in ("August", "September"))
    numbers = _bar_numbers(drawn(Chart("periods", "Actions by status, period by period", "Alt", roomy)).svg.decode())
    assert len(numbers) == 8
    for (x1, y1, _a), (x2, y2, _b) in itertools.pairwise(numbers):
        assert x1 != x2 or abs(y1 - y2) >= 11  # a number's white box is ~11 px high at 8 px


_MONTHS = ("October", "November", "December", "January", "February", "March", "April", "May", "June", "July",
           "August", "September")


def _period_name_boxes(svg: str) -> list[list[tuple[float, float, float, float]]]:
    """Each period's name under its bar, as the boxes (left, top, right, bottom, in px) of its lines, measured
    in the font the chart names and turned back by the angle it is slanted at (the same for every period), so
    that two boxes that do not meet there do not meet on the page."""
    import math

    from matplotlib.font_manager import FontProperties, findfont
    from PIL import ImageFont

    from reportgen.render.charts import FONT

    font = ImageFont.truetype(findfont(FontProperties(family=FONT)), 90)  # 10x the 9 px drawn: whole-pixel metrics
    ascent, descent = (value / 10 for value in font.getmetrics())
    names = []
    for tick in svg.split('<g id="matplotlib.axis_2">')[0].split('<g id="xtick_')[1:]:
        lines = []
        for attributes, text in re.findall(r"<text ([^>]*)>([^<]*)</text>", tick):
            width = font.getlength(html_text.unescape(text)) / 10
            anchor = re.search(r"text-anchor: (\w+)", attributes)
            shift = {"middle": width / 2, "end": width}.get(anchor.group(1) if anchor else "start", 0.0)
            place = re.search(r'x="([\d.-]+)" y="([\d.-]+)"', attributes) or re.search(
                r"translate\(([\d.-]+) ([\d.-]+)\)", attributes)
            assert place is not None, attributes
            x, y = float(place.group(1)), float(place.group(2))
            turn = re.search(r"rotate\((-?[\d.]+)", attributes)
            angle = math.radians(float(turn.group(1))) if turn else 0.0
            u, v = x * math.cos(angle) + y * math.sin(angle), -x * math.sin(angle) + y * math.cos(angle)
            lines.append((u - shift, v - ascent, u - shift + width, v + descent))
        names.append(lines)
    return names


@pytest.mark.parametrize("periods", [9, 12])
def test_the_periods_names_under_their_bars_never_run_into_one_another(periods: int) -> None:
    """Twelve periods, as many as the chart shows unless reportgen.toml says otherwise, wrote their names into
    one another under the bars ("October 2025November 2025December…"), and nine ran "August 2026September 2026"
    together, in the PDF, the web edition and the Word paper alike. Names that do not fit side by side now go a
    word a line, and slant when even that is too wide; the legend stays clear of them."""
    from reportgen.model import Chart, CountRow
    from reportgen.render.charts import drawn

    def row(label: str, n: int) -> CountRow:
        counts = (("Completed", 10 + n), ("In progress", 60 - n), ("Not started", 20), ("On hold", 5))
        return CountRow(label, counts, 95)

    rows = tuple(row(f"{month} {2025 if n < 3 else 2026}", n) for n, month in enumerate(_MONTHS[-periods:]))
    svg = drawn(Chart("periods", "Actions by status, period by period", "Alt", rows)).svg.decode()
    names, space = _period_name_boxes(svg), 2.5  # px: a space between two words, at 9 px
    assert len(names) == periods
    for left_name, right_name in itertools.pairwise(names):  # wider apart than two words of one name
        for _left, top, right, bottom in left_name:
            for other_left, other_top, _other_right, other_bottom in right_name:
                apart = right + 1.2 * space < other_left or bottom + 1 < other_top or other_bottom + 1 < top
                assert apart, (left_name, right_name)
    legend_top = min(float(y) for y in re.findall(r'y="([\d.]+)"', svg.split('<g id="legend_1">')[1]))
    lowest_name = max(bottom for lines in names for *_rest, bottom in lines)
    if not re.search(r"rotate\(-?[1-9]", svg.split('<g id="legend_1">')[0]):  # slanted: the box is turned
        assert lowest_name < legend_top


def test_actions_with_no_recognised_status_have_their_own_segment_so_bars_reach_the_totals() -> None:
    from reportgen.model import Chart, CountRow
    from reportgen.render.charts import OTHER, drawn

    rows = (CountRow("A", (("Completed", 1), ("In progress", 3), ("Not started", 0), ("On hold", 0)), 6),
            CountRow("B", (("Completed", 2), ("In progress", 1), ("Not started", 1), ("On hold", 1)), 5))
    svg = drawn(Chart("periods", "Actions by status", "Alt", rows)).svg.decode()
    legend = svg.split('<g id="legend_1">')[1]
    assert OTHER in legend and len(re.findall(r'<g id="patch_\d+">', legend)) == 5
    plain = (CountRow("A", (("Completed", 1), ("In progress", 3), ("Not started", 0), ("On hold", 0)), 4),)
    assert OTHER not in drawn(Chart("periods", "Actions by status", "Alt", plain)).svg.decode()


def test_no_arrow_where_either_status_is_missing_or_not_recognised() -> None:
    """A status not recognised, or none given, has no place on the way to Completed: the earlier status
    is shown without an arrow, and the move is not counted (a "↓ from Not started" was shown for none)."""
    import dataclasses

    from conftest import make_row
    from reportgen.paper.progress import movement, summary

    def row(status: str | None, label: str) -> object:
        return dataclasses.replace(make_row(1, "Justice"), status=status, status_label=label)

    moves = [movement(row(new, new_label), row(old, old_label), "2023-02")  # type: ignore[arg-type]
             for (old, old_label), (new, new_label) in [
                 (("In progress", "In progress"), (None, "on track")),
                 (("Not started", "Not started"), (None, "No status given")),
                 ((None, "Not started yet – phase 2"), ("On hold", "On hold")),
                 (("Not started", "Not started"), ("In progress", "In progress"))]]
    assert [(m.movement, m.movement_direction) for m in moves] == [
        ("was In progress (2023-02)", ""), ("was Not started (2023-02)", ""),
        ("was Not started yet – phase 2 (2023-02)", ""), ("↑ from Not started (2023-02)", "up")]
    assert summary([m.movement_direction for m in moves], "2023-02").startswith(
        "Since the February 2023 update, 1 action changed status: 1 moved forward (↑)")
    unranked = sum(1 for m in moves if m.movement and not m.movement_direction)
    assert summary([m.movement_direction for m in moves], "2023-02", unranked=unranked) == (
        "Since the February 2023 update, 4 actions changed status: 1 moved forward (↑), 0 moved back (↓), "
        "0 moved between Not started and On hold (→) and 3 changed to or from a status not given or not "
        "recognised; 0 actions are new.")
    # our own words for no status are not shown as if a partner had written them ("was No status given")
    for label in ("No status given", "No update"):
        was = movement(row("In progress", "In progress"), row(None, label), "2023-02")  # type: ignore[arg-type]
        assert was.movement == "was without a status (2023-02)"


def test_an_update_typed_as_html_then_returned_as_the_prefilled_text_has_not_changed() -> None:
    """The pre-filled workbook gives back a partner's HTML update as text, links as [text](address):
    the same update, as the draft comparison sees it, so the action can still be stalled."""
    from dataclasses import replace

    from conftest import make_paper
    from reportgen.paper.progress import history_frame, shown_update, stalled_actions

    html = '<p>Same <a href="https://example.org/r">report</a>.</p><p>Second part.</p>'
    typed = "Same [report](https://example.org/r).\nSecond part."
    assert shown_update(html) == shown_update(typed) != shown_update("Same report.\nSecond part.")
    first = make_paper(3, sections=1)
    papers = []
    for period, text in (("2026-08", html), ("2026-09", typed), ("2026-10", typed)):
        rows = tuple(replace(row, explanation=text, status="In progress", status_label="In progress")
                     for row in first.sections[0].rows)
        papers.append(replace(first, period=period, sections=(replace(first.sections[0], rows=rows),)))
    stalled = stalled_actions(history_frame(papers), papers[-1], after=2)
    assert [(action.ref, action.since) for action in stalled] == [(1, "2026-08"), (2, "2026-08"), (3, "2026-08")]


def _with_a_status_not_recognised(tmp_path: Path) -> Path:
    """Two periods' drafts, action 2's status "Maybe" in the second: that draft's folder."""
    plan = {**PLAN, 2: ("In progress", "Maybe", "In progress")}
    root = tmp_path / "ws"
    make_workspace(root, period=PERIODS[0], returns=_returns(0, plan), toml=TOML.format(n=2))
    build_draft(root, period=PERIODS[0])
    for name, rows in _returns(1, plan).items():
        write_xlsx(root / "inputs" / "returns" / PERIODS[1] / name, rows)
    return build_draft(root, period=PERIODS[1]).folder


def test_the_docx_numbers_table_with_unrecognised_statuses_fits_the_page(tmp_path: Path) -> None:
    """With a "No recognised status" column the numbers table was 6.8 inches on a 6.3-inch text width, and
    LibreOffice broke "recognised" inside the word (and "Completed", had the columns only been narrowed)."""
    document = docx.Document(str(_with_a_status_not_recognised(tmp_path) / "paper.docx"))
    [numbers] = [t for t in document.tables if t.rows[0].cells[-2].text == "No recognised status"
                 and t.rows[0].cells[0].text == "Period"]
    widths = [column.width.inches for column in numbers.columns]
    assert sum(widths) <= 6.3 + 1e-6 and widths[-2] >= 1.0 and min(widths[1:5]) >= 0.95  # "Completed" whole
    assert [c.text for c in numbers.rows[2].cells][-2:] == ["1", "6"]


def test_the_periods_charts_alt_text_counts_the_actions_with_no_recognised_status(tmp_path: Path) -> None:
    """The chart draws a series of the actions with no recognised status and its table has a column of them; the
    alt text said the moves of the four statuses only, adding up to fewer actions than the chart shows. It says
    that series' move too, in every format."""
    folder = _with_a_status_not_recognised(tmp_path)
    html = (folder / "paper.html").read_text(encoding="utf-8")
    [alt] = [html_text.unescape(found) for found in re.findall(r'alt="(Stacked bar chart[^"]*)"', html)]
    assert "; No recognised status 0 then 1." in alt
    moves = re.findall(r"(?:^|; |: )([A-Z][a-z ]+) (\d+) then (\d+)", alt)
    assert sum(int(last) for _status, _first, last in moves) == 6  # every action of the latest period
    body = docx.Document(str(folder / "paper.docx")).element.body
    assert alt in [picture.get("descr") for picture in body.iter(f"{{{WP}}}docPr")]
    with pikepdf.open(folder / "paper.pdf") as pdf:
        assert alt in [str(obj.get("/Alt")) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)
                       and obj.get("/Type") == "/StructElem" and obj.get("/S") == "/Figure"]


def test_progress_over_time_stays_on_portrait_pages_and_each_table_of_numbers_on_one(tmp_path: Path) -> None:
    """The README's order (September's draft, then October's): in the example's PDF (one document, a short
    paper) "Progress over time" ran over onto a landscape page, as the plan's, and its table by section
    broke two rows then three over the two pages."""
    import pdfplumber

    from conftest import copy_example

    root = copy_example(tmp_path / "ws")
    build_draft(root, period="2026-09")
    folder = build_draft(root, period="2026-10").folder
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
        plan = next(number for number, text in enumerate(texts) if "Delivery plan" in text.splitlines()[1:3])
        progress = next(number for number, text in enumerate(texts) if "Progress over time" in text)
        assert progress < plan
        assert all(page.width < page.height for page in pdf.pages[:plan])  # the front matter: portrait
        assert all(page.width > page.height for page in pdf.pages[plan:])  # the plan: landscape
    sections = ["No section", "Prevention First", "Supporting Victims", "Criminal Justice", "Public Confidence"]
    holding = [number for number, text in enumerate(texts[:plan])
               if re.search(r"(?m)^Section Completed In progress", text)]
    assert len(holding) == 1
    rows = [line.split(" ")[0] for line in texts[holding[0]].splitlines()]
    assert all(any(section.startswith(first) for first in rows) for section in sections)


def test_the_chart_names_the_group_with_no_value_after_the_grouping_column(tmp_path: Path) -> None:
    """A plan grouped by its page column, the first actions with no page: the progress chart of the web
    edition and the paper labelled their bar "No section", a group the paper does not have; it is now
    named as the paper's table would name it after another group, after the register's own heading "Plan
    page" ("No plan page", not "No CSCJ Plan page" of our default heading)."""
    register = [(*REGISTER_HEADINGS[:4], "Plan page"), *((ref, section, lead, text, "" if ref <= 2 else page)
                                     for ref, section, lead, text, page in ACTIONS)]
    result = _two_periods(tmp_path / "ws", register, '["page"]')
    progress = result.paper.progress
    assert progress is not None
    chart = progress.chart("sections")
    assert chart is not None
    assert [row.label for row in chart.rows] == ["No plan page", "12", "13-14", "15", "16-17"]
    html = (result.folder / "paper.html").read_text(encoding="utf-8")
    assert "No plan page" in html  # the chart's table


def _two_periods_grouped(root: Path, section_heading: str, group_by: str) -> BuildResult:
    """Two periods of ACTIONS, the register heading its sections `section_heading`, grouped by `group_by`."""
    return _two_periods(root, [(REGISTER_HEADINGS[0], section_heading, *REGISTER_HEADINGS[2:]), *ACTIONS], group_by)


def _two_periods(root: Path, register: list[tuple[object, ...]], group_by: str) -> BuildResult:
    """Two periods' drafts of `register`, the plan grouped by `group_by` (TOML): the second's build."""
    toml = TOML.format(n=2).replace("[paper]\n", f"[paper]\ngroup_by = {group_by}\n")
    for n, period in enumerate(PERIODS[:2]):
        if n == 0:
            make_workspace(root, period=period, returns=_returns(0), toml=toml, register=register)
        for name, rows in _returns(n).items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        result = build_draft(root, period=period)
    return result


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


@pytest.mark.parametrize(("section_heading", "group_by", "heading", "title"), [
    ("Theme", '["section"]', "Theme", "Actions by status and theme, September 2026"),
    ("Theme", '["section", "lead"]', "Theme", "Actions by status and theme, September 2026"),
    ("Section", '["lead"]', "Lead", "Actions by status and lead, September 2026"),
])
def test_the_chart_and_the_filters_name_the_grouping_as_the_paper_heads_it(
        tmp_path: Path, section_heading: str, group_by: str, heading: str, title: str) -> None:
    """A register heading its sections "Theme", or a plan grouped by lead: the chart by group was titled
    "Actions by status and section" and its table headed "Section" in all three formats, and the web
    edition's filter was labelled "Section" ("All sections", "No section") over a register's themes; each
    now says the heading the paper itself uses."""
    from lxml import html as lxml_html

    result = _two_periods_grouped(tmp_path / "ws", section_heading, group_by)
    progress = result.paper.progress
    assert progress is not None
    chart = progress.chart("sections")
    assert chart is not None and (chart.title, chart.heading) == (title, heading)
    assert f"{'themes' if heading == 'Theme' else 'leads'} of the plan" in chart.alt
    page = lxml_html.fromstring((result.folder / "paper.html").read_bytes())
    figure = page.get_element_by_id("chart-sections")
    assert figure.findtext("figcaption").startswith(title)
    tables = page.xpath("//table[@class='numbers']")
    assert [table.xpath("string(thead/tr/th[1])") for table in tables] == ["Period", heading]
    if heading == "Lead":  # grouped by lead: the lead filter is the group filter, not a second one
        assert not page.xpath("//select[@id='filter-section']") and page.xpath("//select[@id='filter-lead']")
    else:
        assert page.xpath("string(//label[@for='filter-section'])") == section_heading
        options = page.xpath("//select[@id='filter-section']/option/text()")
        assert (options[0], options[-1]) == (f"All {section_heading.lower()}s", f"No {section_heading.lower()}")
    pdf = _pdf_text(result.folder / "paper.pdf")
    assert title in pdf and re.search(rf"(?m)^{heading} Completed In progress", pdf)
    assert "by status and section" not in pdf and not re.search(r"(?m)^Section Completed", pdf)
    word = docx.Document(str(result.folder / "paper.docx"))
    assert [table.rows[0].cells[0].text for table in word.tables[1:3]] == ["Period", heading]


def test_a_plan_grouped_by_two_columns_names_the_first_actions_group_in_its_chart(tmp_path: Path) -> None:
    """`group_by = ["section", "lead"]`, the first actions with no section: the chart by section drew
    their bar with no label at all, and its table had a row with an empty heading, in every format; the
    group is now "No section", as the chart names it when grouped by section alone."""
    result = _two_periods_grouped(tmp_path / "ws", "Section", '["section", "lead"]')
    assert [section.heading for section in result.paper.sections][:3] == ["Wessex Police", "OPCC", "Victims"]
    progress = result.paper.progress
    assert progress is not None
    chart = progress.chart("sections")
    assert chart is not None
    assert [(row.label, row.total) for row in chart.rows] == [("No section", 2), ("Victims", 2), ("Justice", 2)]
    pdf = _pdf_text(result.folder / "paper.pdf")
    assert re.search(r"(?m)^No section 0 ", pdf)
    word = docx.Document(str(result.folder / "paper.docx"))
    assert [row.cells[0].text for row in word.tables[2].rows] == ["Section", "No section", "Victims", "Justice"]


def test_a_plan_not_grouped_has_no_chart_by_section(tmp_path: Path) -> None:
    """`group_by = []`: the plan has no groups, yet the progress part drew a chart "by status and
    section" of one bar, "No section", holding every action; it now draws only the chart by period."""
    result = _two_periods_grouped(tmp_path / "ws", "Section", "[]")
    progress = result.paper.progress
    assert progress is not None and [chart.key for chart in progress.charts] == ["periods"]
    for text in ((result.folder / "paper.html").read_text(encoding="utf-8"), _pdf_text(result.folder / "paper.pdf")):
        assert "Actions by status, period by period" in text and "Actions by status and" not in text
        assert "largest is No section" not in text
    word = docx.Document(str(result.folder / "paper.docx"))
    assert [table.rows[0].cells[0].text for table in word.tables[1:]][:2] == ["Period", "Plan priority"]


def test_the_restricted_edition_marks_an_exempt_action_where_stalled_actions_and_changes_list_it(
        tmp_path: Path) -> None:
    """Actions 1 and 2 are exempt: 1 moves to Completed in the third period, 2 has stalled. The restricted edition's
    plan marked each "Exempt (Part II)", but "Stalled actions" and "Changes since the last draft", which a Panel
    member scrutinises too, listed them like any other: they now carry the same marking under their status, in the
    PDF, the Word paper and the web edition. The public edition lists neither."""
    from reportgen.terms import EXEMPT_ROW_NOTE

    register = [(*REGISTER_HEADINGS, "Exempt"), *[(*a, "Yes" if a[0] in (1, 2) else "No") for a in ACTIONS]]
    root = tmp_path / "ws"
    for n, period in enumerate(PERIODS):
        if n == 0:
            make_workspace(root, period=period, register=register, returns=_returns(0),
                           toml=TOML.format(n=2).replace("[history]", "changes_section = true\n[history]"))
        for name, rows in _returns(n).items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        result = build_draft(root, period=period, edition="restricted")
    assert result.paper.progress is not None
    paper = result.paper
    assert [(s.ref, paper.marked_exempt(s.ref)) for s in result.paper.progress.stalled] == [(2, True), (5, False)]
    assert [(m.ref, paper.marked_exempt(m.ref)) for m in result.paper.changes] == [(1, True), (3, False)]

    for name in ("paper.html", "paper.pdf"):  # the web edition, and the HTML the PDF is laid out from
        if name == "paper.pdf":
            text = " ".join(" ".join(p.extract_text() or "" for p in pypdf.PdfReader(result.folder / name).pages)
                            .split())
            assert f"In progress {EXEMPT_ROW_NOTE} 2026-08 5" in text  # action 2's stalled status, then 5's row
            assert f"In progress Completed {EXEMPT_ROW_NOTE} 3" in text  # action 1's move, then 3's row
            continue
        page = (result.folder / name).read_text(encoding="utf-8")
        for table in ("stalled", "changes"):
            found = re.search(rf'<table class="{table}".*?</table>', page, re.S)
            assert found is not None
            rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", found.group(0))
            assert [EXEMPT_ROW_NOTE in row for row in rows] == [True, False], table
    tables = docx.Document(str(result.folder / "paper.docx")).tables
    stalled = next(t for t in tables if [c.text for c in t.rows[0].cells][-1] == "Unchanged since")
    assert [row.cells[2].text for row in stalled.rows[1:]] == [f"In progress\n{EXEMPT_ROW_NOTE}", "On hold"]
    changes = next(t for t in tables if [c.text for c in t.rows[0].cells] == ["Plan priority", "Action", "Was", "Now"])
    assert [row.cells[3].text for row in changes.rows[1:]] == [f"Completed\n{EXEMPT_ROW_NOTE}", "In progress"]

    public = build_draft(root, period=PERIODS[-1])  # leaves actions 1 and 2 out, and has no marking
    assert {1, 2}.isdisjoint(row.ref for row in public.paper.rows)
    assert EXEMPT_ROW_NOTE not in (public.folder / "paper.html").read_text(encoding="utf-8")


def test_a_restricted_history_says_in_which_periods_an_action_was_exempt(built: list[BuildResult]) -> None:
    """An action exempt in some periods only is listed with those periods; a draft kept before exempt actions were
    recorded is said to be unknown for its period, never counted as published."""
    from dataclasses import replace

    from reportgen.run.history import exempt_periods

    first, second, third = (result.paper for result in built)
    said = exempt_periods([replace(first, exempt_refs=None), replace(second, exempt_refs=(2,)),
                           replace(third, exempt_refs=(2, 3))])
    assert said[2] == "2026-09, 2026-10; not recorded for 2026-08"
    assert said[3] == "2026-10; not recorded for 2026-08"
    assert said[1] == "not recorded for 2026-08"
    assert exempt_periods([replace(second, exempt_refs=(2,)), replace(third, exempt_refs=(2,))])[2] == "Yes"
    assert exempt_periods([replace(second, exempt_refs=()), replace(third, exempt_refs=())])[2] == ""


def _exempt_seven(root: Path, editions: dict[str, tuple[str, ...]], seven_in: tuple[str, ...] = PERIODS
                  ) -> dict[str, BuildResult]:
    """ACTIONS and action 7, exempt (the canary in its words and updates), built period by period in `editions`
    (period -> the editions built, in order); OPCC's return updates action 7 in the periods `seven_in`. The
    last build of each period."""
    register = [(*REGISTER_HEADINGS, "Exempt"), *[(*a, "No") for a in ACTIONS],
                (7, f"{CANARY} section", "OPCC", f"{CANARY} action", "1", "Yes")]
    plan = {**PLAN, 7: ("Not started", "In progress", "Completed")}
    built: dict[str, BuildResult] = {}
    for n, period in enumerate(editions):
        returns = _returns(n, plan)
        if period in seven_in:
            returns["opcc.xlsx"].append((7, "", plan[7][n], f"{CANARY} update {n}", f"{CANARY}"))
        if n == 0:
            make_workspace(root, period=period, register=register, returns=returns)
        for name, rows in returns.items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        for edition in editions[period]:
            built[period] = build_draft(root, period=period, edition=edition)  # type: ignore[arg-type]
    return built


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_restricted_paper_after_a_public_only_month_says_whose_figures_they_are(tmp_path: Path) -> None:
    """August was built in the public edition only, September in the restricted one. Its "Progress over time"
    counted 6 actions for August and 7 for September, said "0 actions are new", and gave exempt action 7 no
    movement: the Part II reader saw the total rise with no action added. Now the section, the chart's alt text
    (PDF, web edition, Word) and the action's status cell say August's figures are the public edition's."""
    september = _exempt_seven(tmp_path / "ws", {"2026-08": ("public",), "2026-09": ("restricted",)})["2026-09"]
    progress = september.paper.progress
    assert progress is not None
    note = "August 2026's figures are from the public edition: 1 exempt action is not counted there."
    assert progress.sources_note == note
    periods = progress.chart("periods")
    assert periods is not None and [row.total for row in periods.rows] == [6, 7] and note in periods.alt
    assert progress.new == 0 and progress.summary.endswith(
        "0 actions are new and 1 exempt action was not in the August 2026 public edition, so its movement is "
        "not known.")
    seven = next(row for row in september.paper.rows if row.ref == 7)
    assert (seven.movement, seven.movement_direction) == ("Not in the 2026-08 public edition", "left-out")

    pdf = _flat(_pdf_text(september.folder / "paper.pdf"))
    assert note in pdf and "Not in the 2026-08 public edition" in pdf
    page = (september.folder / "paper.html").read_text(encoding="utf-8")
    assert f'<p class="sources-note">{note.replace(chr(39), "&#39;")}</p>' in page
    assert "Not in the 2026-08 public edition" in page
    document = docx.Document(str(september.folder / "paper.docx"))
    assert note in [paragraph.text for paragraph in document.paragraphs]
    descriptions = [element.get("descr") for element in document.element.body.iter(f"{{{WP}}}docPr")]
    assert any(note in (description or "") for description in descriptions)


def test_a_restricted_paper_after_a_restricted_month_compares_with_it(tmp_path: Path) -> None:
    """August's restricted draft is read, though a public one was built after it: its figures count the exempt
    action, there is nothing to say about the public edition, and action 7 moved up from August's status."""
    september = _exempt_seven(tmp_path / "ws", {"2026-08": ("restricted", "public"),
                                                "2026-09": ("restricted",)})["2026-09"]
    progress = september.paper.progress
    assert progress is not None and progress.sources_note == ""
    periods = progress.chart("periods")
    assert periods is not None and [row.total for row in periods.rows] == [7, 7]
    assert "public edition" not in periods.alt + progress.summary
    seven = next(row for row in september.paper.rows if row.ref == 7)
    assert (seven.movement, seven.movement_direction) == ("↑ from Not started (2026-08)", "up")
    pdf = _flat(_pdf_text(september.folder / "paper.pdf"))
    assert "figures are from the public edition" not in pdf and "↑ from Not started (2026-08)" in pdf
    assert 'class="sources-note"' not in (september.folder / "paper.html").read_text(encoding="utf-8")


def test_a_public_paper_after_a_restricted_draft_carries_and_compares_nothing_exempt(tmp_path: Path) -> None:
    """September was built in the restricted edition only; October's public paper carries action 5 (no return)
    from it, the newest kept draft. Nothing of exempt action 7 reaches any public output, its progress compares
    with August's public draft only, and the draft it carried from is named as the restricted edition's."""
    from canary import canary_leaks

    register = {"2026-08": ("public",), "2026-09": ("restricted",), "2026-10": ("public",)}
    root = tmp_path / "ws"
    _exempt_seven(root, {period: register[period] for period in PERIODS[:2]}, seven_in=PERIODS[:2])
    (root / "inputs" / "returns" / "2026-10").mkdir(parents=True)
    for name, rows in _returns(2).items():
        if name != "criminal-justice-board.xlsx":  # action 5 is carried forward
            write_xlsx(root / "inputs" / "returns" / "2026-10" / name, rows)
    october = build_draft(root, period="2026-10")
    assert october.paper.edition == "public" and 7 not in [row.ref for row in october.paper.rows]
    five = next(row for row in october.paper.rows if row.ref == 5)
    assert (five.state, five.status_label) == ("carried-forward", "On hold")
    assert october.paper.carried_from == "draft 2026-09/draft-01 (restricted edition)"
    progress = october.paper.progress
    assert progress is not None and progress.previous == "2026-08" and progress.sources_note == ""
    periods = progress.chart("periods")
    assert periods is not None and [row.total for row in periods.rows] == [6, 6]

    assert canary_leaks(october.folder) == []
    with (october.folder / "issues.csv").open(encoding="utf-8-sig", newline="") as stream:
        issues = list(csv.DictReader(stream))
    about_five = next(row for row in issues if row["ref"] == "5")
    assert about_five["message"].endswith("carried forward from 2026-09/draft-01 (restricted edition).")
    # an exempt action's issue is counted, not listed: its code and ref would say which action is exempt
    assert [row["ref"] for row in issues if row["ref"] == "7"] == []
    assert [row["code"] for row in issues if row["code"].startswith("exempt-")] == ["exempt-notes"]
    with (october.folder / "chase.csv").open(encoding="utf-8-sig", newline="") as stream:
        chase = list(csv.DictReader(stream))
    opcc = next(row for row in chase if row["Partner"] == "OPCC")
    assert opcc["Actions led"] == "3"  # 2, 4 and 6: not action 7
    assert not any("7" in re.findall(r"\d+", cell) for row in chase for heading, cell in row.items()
                   if heading.endswith("(refs)"))
    page = (october.folder / "paper.html").read_text(encoding="utf-8")
    assert 'id="action-7"' not in page and "Not in the 2026-" not in page
    kept = (october.folder / "draft.json").read_text(encoding="utf-8")
    assert '"ref": 7' not in kept and '"exempt_refs": []' in kept


def test_the_public_edition_note_names_each_period_and_an_older_status() -> None:
    from reportgen.model import PaperRow
    from reportgen.paper.progress import left_out, sources_note

    assert sources_note([]) == ""
    assert sources_note([("2026-08", 2)]) == ("August 2026's figures are from the public edition: 2 exempt actions "
                                               "are not counted there.")
    assert sources_note([("2026-07", 1), ("2026-08", 2)]) == (
        "The figures for July 2026 and August 2026 are from the public edition: exempt actions are not counted "
        "there (1 in July 2026, 2 in August 2026).")
    row = PaperRow(7, (), "Completed", "Completed", "completed")
    older = PaperRow(7, (), "On hold", "On hold", "on-hold")
    assert (left_out(row, "2026-08", (older, "2026-07")).movement
            == "Not in the 2026-08 public edition; was On hold (2026-07)")


def test_a_new_action_with_no_update_is_counted_as_no_update_yet_not_as_a_status_not_recognised(
        tmp_path: Path) -> None:
    """Action 7 joined the register in September and nobody updated it: the numbers tables, the chart's legend and
    its alt text counted it under "No recognised status", which a Panel reader takes for a status the partner wrote
    wrong. It is counted as "No update yet", apart from action 2's "Maybe", a status written but not recognised."""
    plan = {**PLAN, 2: ("In progress", "Maybe", "In progress")}
    root = tmp_path / "ws"
    make_workspace(root, period=PERIODS[0], returns=_returns(0, plan), toml=TOML.format(n=2))
    assert main(["build", "--workspace", str(root), "--period", PERIODS[0]]) in (0, 1)  # "Maybe": an error
    write_xlsx(root / "inputs" / "register.xlsx",
               [REGISTER_HEADINGS, *ACTIONS, (7, "Justice", "OPCC", "Open a new custody suite.", "18")],
               sheet="Register")
    for name, rows in _returns(1, plan).items():
        write_xlsx(root / "inputs" / "returns" / PERIODS[1] / name, rows)
    assert main(["build", "--workspace", str(root), "--period", PERIODS[1]]) in (0, 1)
    [folder] = (root / "outputs" / PERIODS[1]).glob("draft-*")
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        [table] = [[[" ".join((cell or "").split()) for cell in row] for row in found] for page in pdf.pages
                   for found in page.extract_tables() if found and found[0][0] == "Period"]
    assert table == [["Period", "Completed", "In progress", "Not started", "On hold", "No update yet",
                      "No recognised status", "Total"],
                     ["August 2026", "1", "3", "1", "1", "0", "0", "6"],
                     ["September 2026", "2", "2", "0", "1", "1", "1", "7"]]
    document = docx.Document(str(folder / "paper.docx"))
    [numbers] = [table for table in document.tables if table.rows[0].cells[0].text == "Period"]
    assert [cell.text for cell in numbers.rows[0].cells][-3:] == ["No update yet", "No recognised status", "Total"]
    assert [cell.text for cell in numbers.rows[2].cells][-3:] == ["1", "1", "7"]
    assert sum(column.width.inches for column in numbers.columns) <= 6.3 + 1e-6
    html = (folder / "paper.html").read_text(encoding="utf-8")
    [alt] = [html_text.unescape(found) for found in re.findall(r'alt="(Stacked bar chart[^"]*)"', html)]
    assert "; No update yet 0 then 1; No recognised status 0 then 1." in alt
    assert alt in [picture.get("descr") for picture in document.element.body.iter(f"{{{WP}}}docPr")]
    [svg] = [base64.b64decode(found).decode("utf-8")
             for found in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"[^>]*alt="Stacked', html)]
    assert "No update yet" in svg and "No recognised status" in svg


def test_progress_follows_a_narrative_spilling_onto_a_second_page_rather_than_leave_that_page_to_its_last_lines(
        tmp_path: Path) -> None:
    """Progress over time began a page of its own: a narrative a few lines longer than the cover page left the
    next page holding those lines alone, and the paper a page longer. It now follows them on that page, its
    heading and opening sentence kept with the first chart."""
    root = tmp_path / "ws"
    closing = "The Commissioner thanks every partner for this month's returns."
    paragraphs = "\n\n".join(f"Paragraph {n} of the narrative, one line long." for n in range(1, 31))
    make_workspace(root, period=PERIODS[0], returns=_returns(0), toml=TOML.format(n=2),
                   narrative=f"# Delivery\n\n{paragraphs}\n\n{closing}\n")
    for n, period in enumerate(PERIODS[:2]):
        for name, rows in _returns(n).items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        assert main(["build", "--workspace", str(root), "--period", period]) == 0
    with pdfplumber.open(root / "outputs" / PERIODS[1] / "draft-01" / "paper.pdf") as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    ending = next(n for n, text in enumerate(pages) if closing in text)
    assert ending > 0, "the narrative is to spill past the cover page"
    assert "Progress over time" in pages[ending]
    assert pages[ending].index(closing) < pages[ending].index("Progress over time")


def test_a_sections_long_word_is_never_split_in_the_pdfs_table_of_numbers(tmp_path: Path) -> None:
    """The table under the chart by section gave each of its seven columns a seventh of the page, and a section
    named "Justice and Rehabilitation" was printed "Justice and / Rehabilitati / on" (here a longer word, for
    the six columns of this plan)."""
    root = tmp_path / "ws"
    register = [REGISTER_HEADINGS, *((ref, "Intergenerational Justice" if section == "Justice" else section, lead,
                                      text, page) for ref, section, lead, text, page in ACTIONS)]
    make_workspace(root, period=PERIODS[0], returns=_returns(0), toml=TOML.format(n=2), register=register)
    for n, period in enumerate(PERIODS[:2]):
        for name, rows in _returns(n).items():
            write_xlsx(root / "inputs" / "returns" / period / name, rows)
        assert main(["build", "--workspace", str(root), "--period", period]) in (0, 1)
    with pdfplumber.open(root / "outputs" / PERIODS[1] / "draft-01" / "paper.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    words = text.split()
    cut = [word for word in words if len(word) > 3 and "Intergenerational".startswith(word)
           and word != "Intergenerational"]
    assert "Intergenerational" in words and not cut
