"""Hostile partner text through a whole build: shown literally, fetching and attaching nothing."""

from __future__ import annotations

import re

import docx
import pikepdf
import pypdf
import pytest
from weasyprint.urls import URLFetcher

import reportgen.render.pdf.fetch as pdf_fetch
from conftest import RETURN_HEADINGS, default_returns, make_workspace
from reportgen.run.build import build_draft

HOSTILE = [
    '<script>alert(1)</script>',
    '<link rel="attachment" href="file:///etc/hostname">',
    '<img src="http://127.0.0.1:9/x.png">',
    '[click](javascript:alert(1)) [data](data:text/html,hi) [local](file:///etc/passwd)',
    '{{ 7*7 }} {% for x in y %}loop{% endfor %}',
    '<w:p><w:r><w:t>injected</w:t></w:r></w:p> & < >',
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The build, with every URL it fetches recorded: through our fetcher, and through WeasyPrint's own
    (which a render without our fetcher would use). Recorded in files: the PDF workers are other processes."""
    folder = tmp_path_factory.mktemp("fetched")
    records = {"ours": folder / "ours.txt", "weasyprint": folder / "weasyprint.txt"}
    for record in records.values():
        record.touch()
    ours, default = pdf_fetch.TemplateFetcher.fetch, URLFetcher.fetch

    def recording(self, url, *args, **kwargs):  # type: ignore[no-untyped-def]
        with records["ours"].open("a", encoding="utf-8") as urls:
            urls.write(url + "\n")
        return ours(self, url, *args, **kwargs)

    def recording_default(self, url, *args, **kwargs):  # type: ignore[no-untyped-def]
        with records["weasyprint"].open("a", encoding="utf-8") as urls:
            urls.write(url + "\n")
        return default(self, url, *args, **kwargs)

    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "In progress", "\n".join(HOSTILE), "2027"),
                            (4, "", "Completed", "The last row, after the hostile one.", "2028"),
                            (6, "", "Completed", "See https://example.org/ok for more.", "")]
    root = make_workspace(tmp_path_factory.mktemp("hostile") / "ws", returns=returns)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_fetch.TemplateFetcher, "fetch", recording)
        patch.setattr(URLFetcher, "fetch", recording_default)
        result = build_draft(root)
    return result, {name: record.read_text(encoding="utf-8").split() for name, record in records.items()}


def test_docx_shows_it_literally_and_links_only_to_http(built) -> None:
    result, _ = built
    document = docx.Document(str(result.folder / "paper.docx"))
    rows = {int(r.cells[0].text): r.cells[3].text for r in document.tables[-1].rows[1:] if r.cells[0].text.isdigit()}
    for text in ("<script>alert(1)</script>", "{{ 7*7 }}", "{% for x in y %}", "<w:p><w:r><w:t>injected",
                 'href="file:///etc/hostname"', "& < >"):
        assert text in rows[2], text
    assert rows[4] == "The last row, after the hostile one."
    assert len(rows) == 6
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
    assert sorted(targets) == ["http://127.0.0.1:9/x.png", "https://example.org/ok"]


def test_pdf_has_no_attachments_no_bad_links_and_fetched_nothing(built) -> None:
    result, fetched = built
    pages = pypdf.PdfReader(result.folder / "paper.pdf").pages
    text = re.sub(r"\s+", " ", "".join(page.extract_text() or "" for page in pages))
    assert "<script>alert(1)</script>" in text and "{{ 7*7 }}" in text
    with pikepdf.open(result.folder / "paper.pdf") as pdf:
        assert not pdf.attachments and "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        uris = [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", []) if "/A" in a and "/URI" in a.A]
    assert uris and all(u.startswith(("https://", "http://", "mailto:")) for u in uris)
    assert not any(u.startswith(("javascript:", "data:", "file:")) for u in uris)
    # the recorder saw the render's one fetch (so it records), and nothing else was fetched by anyone
    assert {u.rsplit("/", 1)[-1] for u in fetched["ours"]} == {"paper.css"}
    assert all(u.startswith("file://") for u in fetched["ours"])
    assert fetched["weasyprint"] == []


def test_a_link_the_paper_does_not_keep_is_said_with_its_target(built) -> None:
    """Its words stay, its target goes: the officer is told, with where it was written."""
    import csv

    result, _ = built
    found = [i for i in result.issues if i.code == "link-not-kept"]
    assert [(i.file, i.sheet, i.row, i.ref, i.column, i.value, i.severity.value) for i in found] == [
        ("inputs/returns/2026-10/opcc.xlsx", "Return", 2, 2, "Explanation / Link to meeting papers", target,
         "warning") for target in ("javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd")]
    assert found[0].message == ("Action 2: the link to 'javascript:alert(1)' was not kept, so the paper shows its "
                                "words without a link (only web addresses starting http:// or https:// and mailto: "
                                "links are kept).")
    with (result.folder / "issues.csv").open(encoding="utf-8-sig", newline="") as rows:
        assert sum(1 for row in csv.DictReader(rows) if row["code"] == "link-not-kept") == 3


def test_the_console_prints_partner_text_as_written(tmp_path, capsys) -> None:
    """An issue quotes the partner's value: rich would turn `:smile:` into an emoji and `[bold]` into style."""
    from reportgen.shells.cli import main

    returns = default_returns()
    returns["opcc.xlsx"] = [RETURN_HEADINGS, (2, "", "Done :smile: [bold]soon[/bold] :thumbs_up:", "Update.", "2027")]
    root = make_workspace(tmp_path / "ws", returns=returns)
    assert main(["validate", "--workspace", str(root)]) == 1
    printed = " ".join(capsys.readouterr().out.split())  # lines may wrap
    assert "'Done :smile: [bold]soon[/bold] :thumbs_up:'" in printed
