"""A paper with blocking issues says so on every page and lists them at its front; one without, never."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import docx
import pdfplumber
import pikepdf
import pypdf
import pytest

from conftest import (
    RETURN_HEADINGS,
    ROOT,
    SAMPLE,
    copy_example,
    default_returns,
    make_workspace,
    needs_sample,
)
from reportgen.run.build import build_draft

MARK = "DRAFT – not for publication"


def header_texts(path: Path) -> list[str]:
    """The header text of every section of the document (what Word and LibreOffice print on each page)."""
    document = docx.Document(str(path))
    return ["\n".join(p.text for p in section.header.paragraphs) for section in document.sections]


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def assert_pdf_marked(path: Path, marking: str) -> None:
    """Page 1 and every landscape (plan) page carry the whole marking, a portrait page after the first
    its first word, "DRAFT": the whole line beside the running title does not fit on A4 portrait."""
    pages = pypdf.PdfReader(path).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages):
        text = " ".join((page.extract_text() or "").split())
        landscape = page.mediabox.width > page.mediabox.height
        assert (marking if number == 0 or landscape else marking.split()[0]) in text, (number, text[:300])


def blocked_workspace(root: Path, toml: str = "", narrative: str | None = None) -> Path:
    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "Ongoing-ish", "x", ""), (4, "", "", "y", ""),
                            (6, "", "Completed", "z", "")]
    return make_workspace(root, returns=returns, toml=toml, narrative=narrative)


def test_a_blocked_draft_is_marked_on_every_page_and_lists_its_issues(tmp_path: Path) -> None:
    result = build_draft(blocked_workspace(tmp_path / "ws"))
    assert len(result.blocking) == 2
    marking = f"{MARK}: 2 issues to resolve"
    assert result.paper.draft_marking == marking
    docx_path, pdf_path = result.folder / "paper.docx", result.folder / "paper.pdf"
    assert all(marking in text for text in header_texts(docx_path))
    assert_pdf_marked(pdf_path, marking)
    pages = pdf_pages(pdf_path)
    body = [p.text for p in docx.Document(str(docx_path)).paragraphs]
    front = body[: body.index("[[NARRATIVE]]")] if "[[NARRATIVE]]" in body else body[:12]
    listed = [text for text in front if "row " in text]
    assert len(listed) == 2
    assert any("Action 2: status 'Ongoing-ish' is not recognised" in text for text in listed)
    assert any("Action 4 has no status" in text for text in listed)
    advice = "Resolve these issues, then build the paper again; until then it must not be published."
    assert front[1:3] == ["Issues to resolve before publication", advice]  # after the title; as the PDF says
    first = " ".join(pages[0].split())
    assert "Issues to resolve before publication" in first and advice in first
    assert "Ongoing-ish" in first and "Action 4 has no status" in first
    web = web_text(result.folder / "paper.html")
    assert web.index(marking) < web.index("Issues to resolve before publication") < web.index(advice) \
        < web.index("Ongoing-ish") < web.index("Cover sheet")
    assert "Action 4 has no status" in web


@pytest.mark.parametrize("edition", ["public", "restricted"])
def test_a_blocked_drafts_files_say_draft_in_their_title(tmp_path: Path, edition: str) -> None:
    """Only the pages said DRAFT: the PDF's title (info and XMP), the DOCX's and the web page's were the paper's
    title alone, which a screen reader announces first and a browser tab or file list shows alone. Short and long
    papers alike (a long one's PDF is joined from parts: the sample's test); a restricted one is RESTRICTED first."""
    result = build_draft(blocked_workspace(tmp_path / "ws"), edition=edition)  # type: ignore[arg-type]
    lead = "RESTRICTED – DRAFT – " if edition == "restricted" else "DRAFT – "
    title = result.paper.title
    with pikepdf.open(result.folder / "paper.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == lead + title
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == lead + title
    assert docx.Document(str(result.folder / "paper.docx")).core_properties.title == lead + title
    page = (result.folder / "paper.html").read_text(encoding="utf-8")
    assert unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1]).strip() == lead + title  # type: ignore[index]
    clean = build_draft(copy_example(tmp_path / "clean"))
    with pikepdf.open(clean.folder / "paper.pdf") as pdf:
        assert not str(pdf.docinfo["/Title"]).startswith("DRAFT")


def web_text(path: Path) -> str:
    """The web edition's text in reading order (the tags dropped)."""
    html = path.read_text(encoding="utf-8")
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html[html.index("<body"):])).split())


def test_the_marking_is_settable(tmp_path: Path) -> None:
    toml = '[paper]\ntitle = "Plan"\ndraft_marking = "NOT FOR THE PANEL YET ({count} to fix)"\n'
    result = build_draft(blocked_workspace(tmp_path / "ws", toml))
    assert all("NOT FOR THE PANEL YET (2 to fix)" in text for text in header_texts(result.folder / "paper.docx"))
    assert_pdf_marked(result.folder / "paper.pdf", "NOT FOR THE PANEL YET (2 to fix)")


def test_nothing_blocking_means_no_marking(tmp_path: Path) -> None:
    result = build_draft(copy_example(tmp_path / "ws"))
    assert not result.blocking and result.paper.draft_marking == "" and result.paper.blocking == ()
    document = docx.Document(str(result.folder / "paper.docx"))
    texts = [*header_texts(result.folder / "paper.docx"), *(p.text for p in document.paragraphs)]
    assert not any("DRAFT" in text or "Issues to resolve" in text for text in texts)
    assert not any("DRAFT" in page or "Issues to resolve" in page for page in pdf_pages(result.folder / "paper.pdf"))
    web = web_text(result.folder / "paper.html")
    assert "DRAFT" not in web and "Issues to resolve" not in web


@needs_sample
def test_the_sample_with_two_blocking_issues_is_marked(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    result = build_draft(root)
    assert sorted(i.ref for i in result.blocking) == [24, 46]
    assert_pdf_marked(result.folder / "paper.pdf", f"{MARK}: 2 issues to resolve")
    # page 2 (portrait, the narrative): the running title on one line beside "DRAFT", neither wrapped
    second = pypdf.PdfReader(result.folder / "paper.pdf").pages[1]
    assert second.mediabox.width < second.mediabox.height
    lines = (second.extract_text() or "").splitlines()
    assert any(line.startswith(result.paper.title) for line in lines), lines
    assert MARK not in " ".join(lines)
    assert all(f"{MARK}: 2 issues to resolve" in text for text in header_texts(result.folder / "paper.docx"))
    with pikepdf.open(result.folder / "paper.pdf") as pdf:  # laid out in parts, joined: the title said DRAFT too
        assert str(pdf.docinfo["/Title"]) == f"DRAFT – {result.paper.title}"



def running_head_lines(path: Path) -> list[str]:
    """The first line of text of every page after the first (the running head), words joined by spaces."""
    lines = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[1:]:
            words = page.extract_words(use_text_flow=False, keep_blank_chars=False)
            top = min(words, key=lambda word: word["bottom"])["bottom"]
            lines.append(" ".join(word["text"] for word in words if abs(word["bottom"] - top) < 3))
    return lines


@pytest.mark.parametrize("edition", ["public", "restricted"])
def test_a_long_title_stays_on_one_line_beside_the_draft_marking(tmp_path: Path, edition: str) -> None:
    # 90 characters: beside a centred "DRAFT" the running title had under half the page and broke after
    # some sixty, both on the narrative's portrait pages and beside the whole line on the plan's pages
    title = "Annual Delivery Plan for Community Safety and Criminal Justice (March 2022 – February 2023)"
    narrative = "# Delivery\n\n" + "Of the {{ total }} actions, most are under way.\n\n" * 60  # onto page 2
    result = build_draft(blocked_workspace(tmp_path / "ws", f'[paper]\ntitle = "{title}"\n', narrative),
                         edition=edition)
    path = result.folder / "paper.pdf"
    assert_pdf_marked(path, f"{MARK}: 2 issues to resolve")
    marking = "RESTRICTED " if edition == "restricted" else ""
    pages = pypdf.PdfReader(path).pages[1:]
    heads = running_head_lines(path)
    assert any(page.mediabox.width < page.mediabox.height for page in pages)
    assert any(page.mediabox.width > page.mediabox.height for page in pages)
    for page, head in zip(pages, heads, strict=True):
        landscape = page.mediabox.width > page.mediabox.height
        assert head == f"{title} {marking}" + (f"{MARK}: 2 issues to resolve" if landscape else "DRAFT")

@pytest.mark.parametrize("edition", ["public", "restricted"])
def test_the_front_list_keeps_exempt_details_out_of_the_public_edition(tmp_path: Path, edition: str) -> None:
    register = [("Plan priority", "Section", "Lead", "Action", "CSCJ Plan page", "Exempt"),
                (1, "", "Wessex Police", "Develop a prevention strategy.", "9", "No"),
                (2, "", "OPCC", "Secret covert thing.", "11", "Yes")]
    returns = {"wessex-police.xlsx": [RETURN_HEADINGS, (1, "", "Completed", "Done.", "")],
               "opcc.xlsx": [RETURN_HEADINGS, (2, "", "Sort of", "Covert detail.", "")]}
    root = make_workspace(tmp_path / "ws", returns=returns, register=register)
    result = build_draft(root, edition=edition)  # type: ignore[arg-type]
    listed = " ".join(result.paper.blocking)
    assert ("Sort of" in listed) is (edition == "restricted")
    assert "The restricted edition lists them." in listed or edition == "restricted"


def _without_draft_places(source: Path, target: Path) -> None:
    """Our template as one restyled before it had places for the draft marking and the issue list."""
    document = docx.Document(str(source))
    header = document.sections[0].header
    for paragraph in list(header.paragraphs)[:3]:  # {%p if paper.draft_marking %} … {%p endif %}
        assert "draft_marking" in paragraph.text or "%p endif" in paragraph.text
        paragraph._p.getparent().remove(paragraph._p)
    body = document.paragraphs
    start = next(i for i, p in enumerate(body) if "paper.blocking" in p.text)
    end = next(i for i, p in enumerate(body) if i > start + 3 and p.text == "{%p endif %}")
    for paragraph in body[start:end + 1]:
        paragraph._p.getparent().remove(paragraph._p)
    document.save(str(target))


def test_a_template_without_places_for_the_marking_is_marked_anyway(tmp_path: Path) -> None:
    root = blocked_workspace(tmp_path / "ws")
    (root / "templates").mkdir()
    _without_draft_places(ROOT / "templates" / "paper.docx", root / "templates" / "paper.docx")
    result = build_draft(root)
    path = result.folder / "paper.docx"
    assert all(result.paper.draft_marking in text for text in header_texts(path))
    body = [p.text for p in docx.Document(str(path)).paragraphs]
    assert body[:2] == [result.paper.blocking_heading, result.paper.blocking_advice]
    assert [text.removeprefix("• ") for text in body[2:4]] == list(result.paper.blocking)


def test_an_html_template_without_a_place_for_the_marking_is_marked_anyway(tmp_path: Path) -> None:
    root = blocked_workspace(tmp_path / "ws")
    (root / "templates").mkdir()
    html = (ROOT / "templates" / "paper.html.j2").read_text(encoding="utf-8")
    unmarked = html.index("{% if not paper.marking and not paper.draft_marking %}")  # a later addition: not in it
    html = html[:unmarked] + html[html.index("{% endif %}", unmarked) + len("{% endif %}"):]
    start, end = html.index("{% if paper.draft_marking %}"), html.index("{% if paper.cover %}")
    older = html[:start] + html[html.index("{% endif %}", start) + len("{% endif %}"):]
    older = older.replace(html[html.index("{% if paper.blocking %}"):end], "")
    assert "draft_marking" not in older and "paper.blocking" not in older
    (root / "templates" / "paper.html.j2").write_text(older, encoding="utf-8")
    result = build_draft(root)
    pages = pdf_pages(result.folder / "paper.pdf")
    assert all(result.paper.draft_marking in page for page in pages)
    assert all(line.split(": ", 1)[1][:40] in pages[0].replace("\n", " ") for line in result.paper.blocking)


def test_a_web_template_without_a_place_for_the_marking_is_marked_anyway(tmp_path: Path) -> None:
    root = blocked_workspace(tmp_path / "ws")
    (root / "templates").mkdir()
    html = (ROOT / "templates" / "paper.web.html.j2").read_text(encoding="utf-8")
    start = html.index("{% if paper.draft_marking %}")
    older = html[:start] + html[html.index("{% endif %}", start) + len("{% endif %}"):]
    start = older.index("{% if paper.blocking %}")
    older = older[:start] + older[older.index("</section>\n{% endif %}", start) + len("</section>\n{% endif %}"):]
    assert "draft_marking" not in older and "paper.blocking" not in older
    (root / "templates" / "paper.web.html.j2").write_text(older, encoding="utf-8")
    result = build_draft(root)
    web = web_text(result.folder / "paper.html")
    assert web.index(result.paper.draft_marking) < web.index("Issues to resolve before publication") \
        < web.index("Cover sheet")
    assert all(line in web for line in result.paper.blocking)


def test_a_plan_put_in_portrait_in_the_template_says_draft_beside_its_running_title(tmp_path: Path) -> None:
    """An officer turns the plan's section of the Word template to portrait: the PDF's plan pages kept the
    landscape pages' whole draft line beside the running title, which on a portrait page wrapped the page
    header onto two lines, up against the page's top edge; they now say "DRAFT", as the other portrait pages."""
    from docx.enum.section import WD_ORIENT

    from reportgen.run.restyle import copy_templates

    root = blocked_workspace(tmp_path / "ws")
    template = copy_templates(root)[0][0]
    document = docx.Document(str(template))
    plan = document.sections[-1]
    width, height = plan.page_width, plan.page_height
    plan.orientation, plan.page_width, plan.page_height = WD_ORIENT.PORTRAIT, min(width, height), max(width, height)
    document.save(str(template))

    result = build_draft(root)
    marking = f"{MARK}: 2 issues to resolve"
    assert_pdf_marked(result.folder / "paper.pdf", marking)
    plan_pages = [page for page in pypdf.PdfReader(result.folder / "paper.pdf").pages
                  if "Explanation / Link to" in " ".join((page.extract_text() or "").split())]
    assert plan_pages and all(page.mediabox.width < page.mediabox.height for page in plan_pages)
    for page in plan_pages:
        lines = (page.extract_text() or "").splitlines()
        assert any(line.startswith(result.paper.title) and "DRAFT" in line for line in lines), lines
        assert MARK not in " ".join(lines)
    assert all(marking in text for text in header_texts(result.folder / "paper.docx"))
