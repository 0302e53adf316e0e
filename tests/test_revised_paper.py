"""A paper corrected after it went to the Panel: `reportgen build --revises DRAFT` marks the new paper revised on
its cover sheet, naming the draft it corrects, and lists each status changed since that draft, not since whichever
draft was built last; the published draft is left as it was."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import docx
import pdfplumber
import pytest

from conftest import ROOT, default_returns, make_workspace, write_xlsx
from reportgen.paper.build_paper import revision_rows
from reportgen.shells.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """One command as the officer runs it: its exit code and what it printed (out and err)."""
    capsys.readouterr()
    code = main(list(args))
    printed = capsys.readouterr()
    return code, printed.out + printed.err


def published_then_corrected(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, bytes]:
    """September's paper built and published (draft-01, recorded by `reportgen publish`); Wessex Police's corrected
    workbook saved beside its first (action 3 Completed, where it said Not started) and a draft built to check it
    (draft-02). The published draft's files, by name, its record among them."""
    make_workspace(root, "2026-09")
    assert run(capsys, "build", "--workspace", str(root), "--period", "2026-09")[0] == 0
    published = root / "outputs" / "2026-09" / "draft-01"
    assert run(capsys, "publish", "--workspace", str(root), str(published))[0] == 0
    kept = {path.name: path.read_bytes() for path in published.iterdir()}
    rows = [row if row[0] != 3 else (3, row[1], "Completed", "Finished in August.", row[4])
            for row in default_returns()["wessex-police.xlsx"]]
    write_xlsx(root / "inputs" / "returns" / "2026-09" / "wessex-police v2.xlsx", rows)
    assert run(capsys, "build", "--workspace", str(root), "--period", "2026-09")[0] == 0
    return kept


def test_a_revised_paper_says_so_on_its_cover_and_lists_what_it_corrects(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A paper built again for a correction looked like the one the Panel had: nothing said it was revised, and its
    changes (with `changes_section` on) were those since the last draft built, a check, which showed none."""
    published = published_then_corrected(tmp_path, capsys)
    code, out = run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09",
                    "--revises", str(tmp_path / "outputs" / "2026-09" / "draft-01"))
    assert code == 0, out
    revised = Path(out.splitlines()[-1])
    assert revised.name == "draft-03"
    said = ("This paper corrects the paper published for the Police and Crime Panel of 05 November 2026 (kept as draft "
            "2026-09/draft-01): the status of 1 action has been corrected, as listed under 'Corrections to the "
            "published paper'.")
    paper = docx.Document(str(revised / "paper.docx"))
    assert [cell.text for cell in paper.tables[0].rows[0].cells] == ["REVISED PAPER", said]
    changes = next(table for table in paper.tables if table.rows[0].cells[-1].text == "Corrected")
    assert [[cell.text for cell in row.cells] for row in changes.rows[1:]] == [
        ["3", "Review victim referrals.", "Not started", "Completed"]]
    with pdfplumber.open(revised / "paper.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert said in text
    assert ("Revised paper: compared with the paper published (kept as draft 2026-09/draft-01), each action whose "
            "status has changed since") in text
    assert said.replace("'", "&#39;") in (revised / "paper.html").read_text(encoding="utf-8")
    record = json.loads((revised / "draft.json").read_text(encoding="utf-8"))["paper"]
    assert record["revises"] == "2026-09/draft-01"
    folder = tmp_path / "outputs" / "2026-09" / "draft-01"
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == published


def headings_of(folder: Path) -> tuple[list[str], str, list[str]]:
    """The paper's Heading 1 paragraphs in the DOCX, the PDF's text, and the web edition's h2 headings."""
    paper = docx.Document(str(folder / "paper.docx"))
    in_docx = [p.text for p in paper.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    html = (folder / "paper.html").read_text(encoding="utf-8")
    return in_docx, text, re.findall(r"<h2[^>]*>([^<]*)</h2>", html)


def built_headings(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[Path, list[str], str, list[str]]:
    """`reportgen build` with `args`, which must succeed: its draft folder, then `headings_of` it."""
    code, out = run(capsys, "build", *args)
    assert code == 0, out
    folder = Path(out.splitlines()[-1])
    return (folder, *headings_of(folder))


def headed_as_corrections_to_draft_01(in_docx: list[str], text: str, in_html: list[str]) -> None:
    """The revised paper's changes headed, in every format, as the corrections to draft-01, the paper published."""
    assert "Corrections to the published paper" in in_docx
    assert "Corrections to the published paper" in in_html
    assert ("Corrections to the published paper Revised paper: compared with the paper published (kept as draft "
            "2026-09/draft-01)") in text


def test_a_revised_papers_changes_are_headed_as_the_corrections_to_the_published_paper(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The revised paper listed its corrections under "Changes since the last draft", a heading for a check between
    drafts, where its reader looks for what it corrects in the paper the Panel had."""
    published_then_corrected(tmp_path, capsys)
    (tmp_path / "reportgen.toml").write_text((tmp_path / "reportgen.toml").read_text(encoding="utf-8")
                                             .replace("[paper]", "[paper]\nchanges_section = true", 1),
                                             encoding="utf-8")
    code, out = run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")
    assert code == 0, out
    checked = Path(out.splitlines()[-1])  # a check between drafts: its changes are since the last draft
    assert "Changes since the last draft" in headings_of(checked)[0]
    _revised, in_docx, text, in_html = built_headings(capsys, "--workspace", str(tmp_path), "--period", "2026-09",
                                                      "--revises", str(tmp_path / "outputs" / "2026-09" / "draft-01"))
    headed_as_corrections_to_draft_01(in_docx, text, in_html)
    assert "Changes since the last draft" not in [*in_docx, *in_html, text]
    assert "since the last draft" not in text


def test_the_restricted_edition_of_a_revision_heads_its_corrections_the_same(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The restricted paper revised, with no status changed since the restricted draft it corrects: the heading
    written for a paper with nothing to list said "Changes since the last draft" too."""
    make_workspace(tmp_path, "2026-09")
    code, out = run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09", "--edition", "restricted")
    assert code == 0, out
    published = Path(out.splitlines()[-1])
    assert run(capsys, "publish", "--workspace", str(tmp_path), str(published))[0] == 0
    _revised, in_docx, text, in_html = built_headings(capsys, "--workspace", str(tmp_path), "--period", "2026-09",
                                                      "--edition", "restricted", "--revises", str(published))
    assert "Corrections to the published paper" in in_docx
    assert "Corrections to the published paper" in in_html
    assert ("Corrections to the published paper Revised paper: no action's status has changed since the paper "
            f"published (kept as draft 2026-09/{published.name})") in text
    assert "RESTRICTED" in text
    assert "since the last draft" not in text


def test_a_draft_of_another_period_is_refused_and_nothing_is_built(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A revised paper compared with another month's draft would list as corrected what never was."""
    published_then_corrected(tmp_path, capsys)
    write_xlsx(tmp_path / "inputs" / "returns" / "2026-10" / "opcc.xlsx", default_returns()["opcc.xlsx"])
    code, out = run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-10",
                    "--revises", str(tmp_path / "outputs" / "2026-09" / "draft-01"))
    assert code == 2
    assert ("not a kept draft of 2026-10 in the public edition, which the revised paper corrects (the public drafts "
            "of 2026-10: none is kept yet)") in " ".join(out.split())
    assert not (tmp_path / "outputs" / "2026-10").exists()


def test_the_panel_paper_flow_makes_the_revised_paper_as_the_command_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python flows/panel_paper.py --revises …`, on the temporary Prefect server: the same revised paper."""
    root = tmp_path / "ws"
    published_then_corrected(root, capsys)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    flowed = subprocess.run([sys.executable, str(ROOT / "flows" / "panel_paper.py"), "--workspace", str(root),
                             "--period", "2026-09", "--revises", str(root / "outputs" / "2026-09" / "draft-01")],
                            capture_output=True, text=True, env=env, timeout=300)
    assert flowed.returncode == 0, flowed.stdout + flowed.stderr
    revised = Path(flowed.stdout.splitlines()[-1])
    record = json.loads((revised / "draft.json").read_text(encoding="utf-8"))["paper"]
    assert (record["revises"], record["cover"][0]["label"]) == ("2026-09/draft-01", "REVISED PAPER")
    assert record["changes"] == [{"ref": 3, "action": "Review victim referrals.", "old": "Not started",
                                  "new": "Completed"}]


def test_validate_checks_a_revision_before_it_is_built_and_refuses_what_build_refuses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen validate --revises` was "no such option": an officer could not check a revision, nor the folder
    named, before building it."""
    root = tmp_path / "ws"
    published_then_corrected(root, capsys)
    kept = sorted(path.name for path in (root / "outputs" / "2026-09").iterdir())
    code, out = run(capsys, "validate", "--workspace", str(root), "--period", "2026-09",
                    "--revises", str(root / "outputs" / "2026-09" / "draft-01"))
    assert code == 0, out
    assert ("Revised paper, correcting draft 2026-09/draft-01: action 3 was 'Not started', now 'Completed'."
            in " ".join(out.split()))
    other = tmp_path / "other"  # another workspace's draft of the same period and name
    published_then_corrected(other, capsys)
    for wrong in (root / "inputs", other / "outputs" / "2026-09" / "draft-01"):
        code, out = run(capsys, "validate", "--workspace", str(root), "--period", "2026-09", "--revises", str(wrong))
        assert code == 2, out
        assert (f"--revises {wrong}: not a kept draft of 2026-09 in the public edition, which the revised paper "
                "corrects (the public drafts of 2026-09: outputs/2026-09/draft-01, outputs/2026-09/draft-02)"
                in " ".join(out.split()))
    assert sorted(path.name for path in (root / "outputs" / "2026-09").iterdir()) == kept


def flow(script: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python flows/<script> …` on its temporary Prefect server, as the IT person runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    return subprocess.run([sys.executable, str(ROOT / "flows" / script), *args], capture_output=True, text=True,
                          env=env, timeout=300)


def test_the_check_and_monthly_flows_take_revises_as_the_commands_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """flows/check_paper.py and flows/monthly_update.py refused --revises ("No such option"): the revision could be
    checked and built only at the command line."""
    root = tmp_path / "ws"
    published_then_corrected(root, capsys)
    published = root / "outputs" / "2026-09" / "draft-01"
    checked = flow("check_paper.py", tmp_path, "--workspace", str(root), "--period", "2026-09",
                   "--revises", str(published))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Revised paper, correcting draft 2026-09/draft-01: action 3 was 'Not started'" in checked.stdout
    refused = flow("check_paper.py", tmp_path, "--workspace", str(root), "--period", "2026-09",
                   "--revises", str(root / "inputs"))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "not a kept draft of 2026-09" in " ".join((refused.stdout + refused.stderr).split())
    monthly = flow("monthly_update.py", tmp_path, "--workspace", str(root), "--period", "2026-09",
                   "--revises", str(published))
    assert monthly.returncode == 0, monthly.stdout + monthly.stderr
    revised = Path(monthly.stdout.splitlines()[-1])
    assert revised.name == "draft-03"
    record = json.loads((revised / "draft.json").read_text(encoding="utf-8"))["paper"]
    assert (record["revises"], record["cover"][0]["label"]) == ("2026-09/draft-01", "REVISED PAPER")
    compared = json.loads((root / "outputs" / "2026-09" / "compare" / "draft-01-to-draft-03"
                           / "diff.json").read_text(encoding="utf-8"))
    assert "Completed" in json.dumps(compared)
    served = flow("monthly_update.py", tmp_path, "--workspace", str(root), "--serve", "--revises", str(published))
    assert served.returncode == 2, served.stdout + served.stderr
    assert "a revised paper is built once, by hand" in " ".join(served.stderr.split())


def test_a_draft_named_as_the_refusal_names_it_is_taken_from_outside_the_workspace(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Run with --workspace from another folder, `--revises outputs/2026-09/draft-01` was refused, though the refusal
    listed the period's drafts by exactly that name: the officer typed what they were told, and was refused again."""
    root = tmp_path / "ws"
    published_then_corrected(root, capsys)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out = run(capsys, "build", "--workspace", str(root), "--period", "2026-09",
                    "--revises", "outputs/2026-09/draft-01")
    assert code == 0, out
    record = json.loads((Path(out.splitlines()[-1]) / "draft.json").read_text(encoding="utf-8"))["paper"]
    assert record["revises"] == "2026-09/draft-01"
    code, out = run(capsys, "validate", "--workspace", str(root), "--period", "2026-09",
                    "--revises", "outputs/2026-09/draft-07")
    assert code == 2
    assert "--revises outputs/2026-09/draft-07: not a kept draft of 2026-09" in " ".join(out.split())


def blocked_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """September's draft, blocked from publication by a status not recognised ('Finished-ish', action 3)."""
    make_workspace(tmp_path, "2026-09")
    rows = [row if row[0] != 3 else (3, row[1], "Finished-ish", row[3], row[4])
            for row in default_returns()["wessex-police.xlsx"]]
    write_xlsx(tmp_path / "inputs" / "returns" / "2026-09" / "wessex-police.xlsx", rows)
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 1
    return tmp_path / "outputs" / "2026-09" / "draft-01"


def test_a_draft_blocked_from_publication_is_refused_as_the_paper_revised(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A draft marked not for publication (a status not recognised) was taken as the paper revised: the revision's
    cover said it corrected a paper the Panel never had."""
    blocked = blocked_draft(tmp_path, capsys)
    for command in ("validate", "build"):
        code, out = run(capsys, command, "--workspace", str(tmp_path), "--period", "2026-09", "--revises", str(blocked))
        assert code == 2, out
        said = " ".join(out.split())
        assert f"--revises {blocked}: 1 issue blocked that draft's publication (its pages are marked 'DRAFT" in said
        assert ("so it is not the paper published, which a revised paper corrects (the public drafts of 2026-09 with "
                "nothing blocking publication: none)") in said
    assert sorted(path.name for path in (tmp_path / "outputs" / "2026-09").glob("draft-*")) == ["draft-01"]


def test_a_revision_of_a_revision_names_each_paper_it_follows_back_to(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Draft 4 revised draft 3, which had revised draft 1: the cover named draft 3 alone, and a Panel member could not
    tell that it too was a correction, nor of which paper."""
    published_then_corrected(tmp_path, capsys)
    first = tmp_path / "outputs" / "2026-09" / "draft-01"
    code, out = run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09", "--revises", str(first))
    assert code == 0, out
    revision = Path(out.splitlines()[-1])
    assert run(capsys, "publish", "--workspace", str(tmp_path), str(revision))[0] == 0
    rows = [row if row[0] != 5 else (5, row[1], "In progress", "Restarted.", row[4])
            for row in default_returns()["criminal-justice-board.xlsx"]]
    write_xlsx(tmp_path / "inputs" / "returns" / "2026-09" / "criminal-justice-board v2.xlsx", rows)
    code, out = run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09", "--revises", str(revision))
    assert code == 0, out
    second = Path(out.splitlines()[-1])
    said = ("This paper corrects the paper published for the Police and Crime Panel of 05 November 2026 (kept as "
            f"draft 2026-09/{revision.name}, itself a revised paper correcting draft 2026-09/draft-01): the status of "
            "1 action has been corrected, as listed under 'Corrections to the published paper'.")
    paper = docx.Document(str(second / "paper.docx"))
    assert [cell.text for cell in paper.tables[0].rows[0].cells] == ["REVISED PAPER", said]
    changes = next(table for table in paper.tables if table.rows[0].cells[-1].text == "Corrected")
    assert [[cell.text for cell in row.cells] for row in changes.rows[1:]] == [
        ["5", "Measure file quality.", "On hold", "In progress"]]  # action 3, corrected by draft 3, is not again
    with pdfplumber.open(second / "paper.pdf") as pdf:
        assert said in " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    record = json.loads((second / "draft.json").read_text(encoding="utf-8"))["paper"]
    assert record["revises"] == f"2026-09/{revision.name}"


def changes_table_headings(folder: Path) -> tuple[list[str], list[str], list[str]]:
    """The header row of the table of changes in the DOCX, the PDF (as drawn) and the web edition."""
    paper = docx.Document(str(folder / "paper.docx"))
    table = next(table for table in paper.tables if table.rows[0].cells[-1].text.strip() in {"Now", "Corrected"})
    in_docx = [cell.text.strip() for cell in table.rows[0].cells]
    with pdfplumber.open(folder / "paper.pdf") as pdf:
        drawn = [table for page in pdf.pages for table in page.extract_tables()
                 if table and (table[0][-1] or "").strip() in {"Now", "Corrected"}]
    in_pdf = [" ".join((cell or "").split()) for cell in drawn[0][0]]
    html = (folder / "paper.html").read_text(encoding="utf-8")
    changes = html[html.index('<table class="changes"'):]
    in_html = re.findall(r"<th scope=\"col\">([^<]*)</th>", changes[:changes.index("</thead>")])
    return in_docx, in_pdf, in_html


def test_a_revised_papers_corrections_table_heads_its_columns_published_and_corrected(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The corrections' columns were headed "Was" and "Now", as for the changes since the last draft: a Panel member
    read "Was" as a check's draft, not the paper the Panel had."""
    published_then_corrected(tmp_path, capsys)
    code, out = run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09",
                    "--revises", str(tmp_path / "outputs" / "2026-09" / "draft-01"))
    assert code == 0, out
    expected = ["Plan priority", "Action", "Published", "Corrected"]
    assert changes_table_headings(Path(out.splitlines()[-1])) == (expected, expected, expected)


def test_template_copies_made_before_revised_papers_head_the_corrections_rightly(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A workspace's own paper.html.j2 and paper.web.html.j2, copied when the heading was written in them as words
    ("Changes since the last draft"), kept that heading in a revised paper's PDF and web edition."""
    published_then_corrected(tmp_path, capsys)
    templates = tmp_path / "templates"
    templates.mkdir()
    for name in ("paper.html.j2", "paper.web.html.j2", "paper.docx"):
        text = (ROOT / "templates" / name).read_bytes()
        if name.endswith(".j2"):  # as the copies were written before the paper gave the heading
            text = (text.decode("utf-8").replace("{{ paper.changes_heading }}", "Changes since the last draft")
                    .replace("{{ paper.changes_label }}", "Status changes since the last draft").encode("utf-8"))
            assert b"Changes since the last draft" in text
        (templates / name).write_bytes(text)
    revised, in_docx, text, in_html = built_headings(capsys, "--workspace", str(tmp_path), "--period", "2026-09",
                                                     "--revises", str(tmp_path / "outputs" / "2026-09" / "draft-01"))
    headed_as_corrections_to_draft_01(in_docx, text, in_html)
    assert "since the last draft" not in " ".join([*in_docx, *in_html, text])
    html = (revised / "paper.html").read_text(encoding="utf-8")
    assert 'aria-label="Status corrections to the published paper"' in html


def test_a_revision_corrects_only_the_draft_recorded_as_published(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing recorded which draft went to the Panel: `--revises` took a check's draft built after it (or before it),
    and the revised paper listed as corrections what the Panel never read."""
    make_workspace(tmp_path, "2026-09")
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 0
    first = tmp_path / "outputs" / "2026-09" / "draft-01"
    for command in ("validate", "build"):  # none recorded yet: the officer is told how to record it
        code, out = run(capsys, command, "--workspace", str(tmp_path), "--period", "2026-09", "--revises", str(first))
        assert code == 2, out
        assert (f"--revises {first}: no public draft of 2026-09 is recorded as the paper published, so nothing says "
                "it went to the Panel; record the one that did with `reportgen publish outputs/2026-09/draft-01`"
                in " ".join(out.split()))
    assert [path.name for path in (tmp_path / "outputs" / "2026-09").glob("draft-*")] == ["draft-01"]
    published = published_then_corrected(tmp_path / "again", capsys)
    root = tmp_path / "again"
    check = root / "outputs" / "2026-09" / "draft-02"  # built after the paper went to the Panel, to check the return
    for command in ("validate", "build"):
        code, out = run(capsys, command, "--workspace", str(root), "--period", "2026-09", "--revises", str(check))
        assert code == 2, out
        assert (f"--revises {check}: not the paper published; the newest public paper published for 2026-09 is "
                "outputs/2026-09/draft-01 (recorded in its published.json): revise that one") in " ".join(out.split())
    assert sorted(path.name for path in (root / "outputs" / "2026-09").glob("draft-*")) == ["draft-01", "draft-02"]
    assert {path.name: path.read_bytes() for path in (root / "outputs" / "2026-09" / "draft-01").iterdir()} == published


def test_publish_records_the_draft_beside_its_files_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen publish`: the record names the draft and the files sent, by the hashes its manifest kept; the
    draft's own files are left as they were; a second paper of the period is recorded only as a revision of it."""
    make_workspace(tmp_path, "2026-09")
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 0
    folder = tmp_path / "outputs" / "2026-09" / "draft-01"
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    code, out = run(capsys, "publish", "--workspace", str(tmp_path), "outputs/2026-09/draft-01")
    assert code == 0, out
    assert out.splitlines()[-1] == str(folder.resolve())
    assert {path.name: path.read_bytes() for path in folder.iterdir() if path.name != "published.json"} == before
    record = json.loads((folder / "published.json").read_text(encoding="utf-8"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["manifest"]
    assert (record["draft"], record["period"], record["edition"]) == ("2026-09/draft-01", "2026-09", "public")
    assert record["files"]["paper.pdf"] == next(f["sha256"] for f in manifest["outputs"] if f["path"] == "paper.pdf")
    marked = (folder / "published.json").read_bytes()
    code, out = run(capsys, "publish", "--workspace", str(tmp_path), str(folder))
    assert code == 0, out
    assert "was already recorded as the public paper published for 2026-09" in out
    assert (folder / "published.json").read_bytes() == marked
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 0
    code, out = run(capsys, "publish", "--workspace", str(tmp_path), "outputs/2026-09/draft-02")
    assert code == 2, out
    assert ("outputs/2026-09/draft-01 is already the public paper published for 2026-09; a paper correcting it is "
            "built with `reportgen build --period 2026-09 --revises outputs/2026-09/draft-01`") in " ".join(out.split())
    assert not (tmp_path / "outputs" / "2026-09" / "draft-02" / "published.json").exists()
    code, out = run(capsys, "publish", "--workspace", str(tmp_path), "outputs/2026-09/draft-09")
    assert code == 2, out
    assert "publish outputs/2026-09/draft-09: not a kept draft of this workspace" in " ".join(out.split())


def test_a_draft_blocked_from_publication_cannot_be_recorded_as_published(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocked = blocked_draft(tmp_path, capsys)
    code, out = run(capsys, "publish", "--workspace", str(tmp_path), str(blocked))
    assert code == 2, out
    assert f"publish {blocked}: 1 issue blocked its publication (its pages are marked 'DRAFT" in " ".join(out.split())
    assert not (blocked / "published.json").exists()


def test_a_period_built_again_after_its_paper_was_published_says_it_is_not_the_revision(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Once the paper was published, a plain build of its period made a draft that looked like any other: sent in its
    place, it corrected the Panel's paper without saying so."""
    published_then_corrected(tmp_path, capsys)
    code, out = run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")
    assert code == 0, out  # a warning: checking a corrected return first is what the officer should do
    said = " ".join(out.split())
    assert ("outputs/2026-09/draft-01 is the public paper published for 2026-09 (recorded by reportgen publish); this "
            "draft does not say it corrects it") in said
    assert "reportgen build --period 2026-09 --revises outputs/2026-09/draft-01" in said
    with (Path(out.splitlines()[-1]) / "issues.csv").open(encoding="utf-8-sig", newline="") as file:
        assert [row["file"] for row in csv.DictReader(file) if row["code"] == "published-not-revised"] == [
            "outputs/2026-09/draft-01"]
    code, out = run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09",
                    "--revises", str(tmp_path / "outputs" / "2026-09" / "draft-01"))
    assert code == 0, out
    assert "published-not-revised" not in (Path(out.splitlines()[-1]) / "issues.csv").read_text(encoding="utf-8-sig")


def test_a_revision_correcting_only_updates_names_the_actions_corrected(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A revised paper correcting a misreported figure in an update, its status as published, said on its cover
    that no action's status changed and listed nothing: the Panel could not tell what it corrected. Its cover and
    its corrections section now name the actions whose update (explanation or timeframe) it corrects."""
    make_workspace(tmp_path, "2026-09")
    assert run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09")[0] == 0
    published = tmp_path / "outputs" / "2026-09" / "draft-01"
    assert run(capsys, "publish", "--workspace", str(tmp_path), str(published))[0] == 0
    rows = [row if row[0] != 3 else (*row[:3], "Corrected: update on action 3.", row[4])
            for row in default_returns()["wessex-police.xlsx"]]
    rows = [row if row[0] != 1 else (*row[:4], "Summer 2027") for row in rows]  # its timeframe corrected
    write_xlsx(tmp_path / "inputs" / "returns" / "2026-09" / "wessex-police v2.xlsx", rows)
    code, out = run(capsys, "build", "--workspace", str(tmp_path), "--period", "2026-09", "--revises", str(published))
    assert code == 0, out
    revised = Path(out.splitlines()[-1])
    said = ("This paper corrects the paper published for the Police and Crime Panel of 05 November 2026 (kept as draft "
            "2026-09/draft-01): no action's status has changed; the explanations or timeframes of actions 1 and 3 "
            "have been corrected, as listed under 'Corrections to the published paper'.")
    note = ("The explanations or timeframes of actions 1 and 3 have been corrected; their statuses are unchanged. The "
            "corrected text is in the plan's table.")
    paper = docx.Document(str(revised / "paper.docx"))
    assert [cell.text for cell in paper.tables[0].rows[0].cells] == ["REVISED PAPER", said]
    assert any(note in paragraph.text for paragraph in paper.paragraphs)
    with pdfplumber.open(revised / "paper.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert said in text and note in text and "Corrected: update on action 3." in text


@pytest.mark.parametrize(("meeting", "date", "paper"), [
    ("Police and Crime Panel", "5 November 2026",
     "the paper published for the Police and Crime Panel of 5 November 2026"),
    ("The Police and Crime Panel", "5 November 2026",
     "the paper published for the Police and Crime Panel of 5 November 2026"),
    ("", "5 November 2026", "the paper published for the meeting of 5 November 2026"),
    ("Police and Crime Panel", "", "the paper published for the Police and Crime Panel"),
    ("", "", "the paper published"),
])
def test_the_revised_cover_names_the_paper_as_the_panel_knew_it(meeting: str, date: str, paper: str) -> None:
    """The cover named the paper corrected only as the secretariat keeps it ("draft 2026-09/draft-01"), which no
    Panel member was ever shown: it names the meeting and date that paper was for, as its own cover did, first."""
    (row,) = revision_rows("2026-09/draft-01", (), "", meeting, date)
    assert row.value == (f"This paper corrects {paper} (kept as draft 2026-09/draft-01): no action's status has "
                         "changed, and none has left the plan.")


def test_the_revised_cover_counts_statuses_then_names_updates_corrected() -> None:
    """With statuses corrected too, the cover counts them, then names the other actions whose update it corrects."""
    from reportgen.model import StatusMove

    (row,) = revision_rows("2026-09/draft-01", (StatusMove(2, "Publish the plan.", "Not started", "Completed"),),
                           "", "Police and Crime Panel", "5 November 2026", (4,))
    assert row.value == ("This paper corrects the paper published for the Police and Crime Panel of 5 November 2026 "
                         "(kept as draft 2026-09/draft-01): the status of 1 action and the explanation or timeframe of "
                         "action 4 have been corrected, as listed under 'Corrections to the published paper'.")


@pytest.mark.parametrize(("moved", "withdrawn", "updated", "said"), [
    ((), (9,), (), "no action's status has changed; 1 action has left the plan"),
    ((2, 3), (), (4, 5, 6), "the statuses of 2 actions and the explanations or timeframes of actions 4, 5 and 6 have "
                            "been corrected"),
    ((2,), (8, 9), (), "the status of 1 action has been corrected; 2 actions have left the plan"),
])
def test_the_revised_cover_says_each_kind_of_correction_in_one_sentence(
        moved: tuple[int, ...], withdrawn: tuple[int, ...], updated: tuple[int, ...], said: str) -> None:
    """An action withdrawn since the paper published is listed under the corrections: the cover said "no action's
    status has changed" over it."""
    from reportgen.model import StatusMove
    from reportgen.paper.build_paper import NO_LONGER_IN_PLAN

    moves = (*(StatusMove(ref, "a", "Not started", "Completed") for ref in moved),
             *(StatusMove(ref, "a", "Not started", NO_LONGER_IN_PLAN) for ref in withdrawn))
    (row,) = revision_rows("2026-09/draft-01", moves, "", "Police and Crime Panel", "5 November 2026", updated)
    assert row.value.endswith(f"(kept as draft 2026-09/draft-01): {said}, as listed under 'Corrections to the "
                              "published paper'.")
