"""A workspace's copy of one of reportgen's templates is told when reportgen's own has changed since it was copied.

An officer runs `reportgen template`, restyles the copy, and upgrades reportgen months later: its fixes to the
templates (accessibility, new columns, headings) never reached the copy, and nothing said so. These tests take the
journey through the CLI, with reportgen's templates changed in a folder of their own (as an upgrade would).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import docx
import pytest

from conftest import ROOT, make_workspace
from reportgen import __version__, template_files
from reportgen.run import template_copies
from reportgen.shells.cli import main

OURS = ROOT / "templates"
ACCESSIBILITY_FIX = "\n/* a later reportgen: focus outlines on links */\na:focus { outline: 2px solid; }\n"


def upgraded_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str = "paper.css") -> Path:
    """reportgen's own templates as a later version ships them: `name` changed, the rest as they are."""
    upgraded = tmp_path / "upgraded"
    shutil.copytree(OURS, upgraded)
    if name.endswith(".docx"):
        document = docx.Document(str(upgraded / name))
        document.core_properties.comments = "a later reportgen: headings marked for screen readers"
        document.save(str(upgraded / name))
    else:
        with (upgraded / name).open("a", encoding="utf-8") as stream:
            stream.write(ACCESSIBILITY_FIX)
    monkeypatch.setattr(template_files, "DEFAULT_TEMPLATES", upgraded)
    return upgraded


def said(capsys: pytest.CaptureFixture[str]) -> str:
    """What the command printed, its lines joined (the console wraps long ones)."""
    return " ".join(capsys.readouterr().out.split())


def restyle_css(workspace: Path) -> bytes:
    css = workspace / "templates" / "paper.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { color: #6a1b9a; }\n", encoding="utf-8")
    return css.read_bytes()


def test_a_restyled_copy_whose_original_is_unchanged_gets_no_message(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    workspace = make_workspace(tmp_path / "ws")
    assert main(["template", "--workspace", str(workspace), "--all"]) == 0
    folder = workspace / "templates"
    assert (folder / "paper.docx").read_bytes() == (OURS / "paper.docx").read_bytes()  # the record is beside it
    record = json.loads((folder / "copied-templates.json").read_text(encoding="utf-8"))["copies"]
    assert sorted(record) == ["paper.css", "paper.docx", "paper.html.j2"]
    assert record["paper.css"]["sha256"] == hashlib.sha256((OURS / "paper.css").read_bytes()).hexdigest()
    restyle_css(workspace)
    capsys.readouterr()
    assert main(["validate", "--workspace", str(workspace), "--all"]) == 0
    out = said(capsys)
    assert "checked against" not in out and "has no record" not in out  # not even a note (--all shows notes)
    assert "0 errors, 0 warnings" in out


def test_validate_warns_when_reportgen_changed_a_template_after_it_was_copied(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = make_workspace(tmp_path / "ws")
    assert main(["template", "--workspace", str(workspace), "--all"]) == 0
    restyled = restyle_css(workspace)
    upgraded_templates(tmp_path, monkeypatch)
    capsys.readouterr()
    assert main(["validate", "--workspace", str(workspace)]) == 0  # a warning: nothing blocks publication
    out = said(capsys)
    assert "templates/paper.css is checked against reportgen's own paper.css as it was on" in out
    assert f"(reportgen {__version__}: copied)" in out
    assert "reportgen's has changed since" in out
    assert f"reportgen template --workspace {workspace} --new" in out
    assert "0 errors, 1 warning" in out
    assert "paper.docx" not in out and "paper.html.j2" not in out  # their originals are unchanged
    assert (workspace / "templates" / "paper.css").read_bytes() == restyled


def test_a_copy_never_restyled_is_told_to_be_deleted_rather_than_merged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = make_workspace(tmp_path / "ws")
    assert main(["template", "--workspace", str(workspace)]) == 0
    copied = (workspace / "templates" / "paper.docx").read_bytes()
    upgraded_templates(tmp_path, monkeypatch, "paper.docx")
    capsys.readouterr()
    assert main(["validate", "--workspace", str(workspace)]) == 0
    out = said(capsys)
    assert "templates/paper.docx is reportgen's own paper.docx as it was on" in out
    assert "Delete templates/paper.docx to use reportgen's own as it is now" in out
    assert (workspace / "templates" / "paper.docx").read_bytes() == copied


def test_template_new_writes_ours_beside_the_copy_and_the_warning_stops(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = make_workspace(tmp_path / "ws")
    assert main(["template", "--workspace", str(workspace), "--all"]) == 0
    restyled = restyle_css(workspace)
    upgraded = upgraded_templates(tmp_path, monkeypatch)
    capsys.readouterr()
    assert main(["template", "--workspace", str(workspace), "--new"]) == 0
    folder = workspace / "templates"
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == str(folder)
    assert out[0].startswith(f"wrote {folder / 'paper.css.new'}: reportgen's paper.css as it is now")
    assert len(out) == 2  # paper.docx and paper.html.j2 are as ours: nothing beside them
    assert (folder / "paper.css.new").read_bytes() == (upgraded / "paper.css").read_bytes()
    assert (folder / "paper.css").read_bytes() == restyled
    assert main(["validate", "--workspace", str(workspace), "--all"]) == 0
    assert "template-copy" not in said(capsys)
    assert main(["template", "--workspace", str(workspace), "--new"]) == 0  # a .new being merged is never replaced
    assert capsys.readouterr().out.splitlines() == [  # the restyled copy is not said to be ours
        f"{folder / 'paper.css'} differs from reportgen's own paper.css as it is now (your changes, or a merge of "
        "paper.css.new not finished); its record says reportgen's has not changed since",
        "no copy here is behind reportgen's own templates as they are now: nothing written", str(folder)]


def test_a_copy_made_by_hand_is_noted_once_and_then_checked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = make_workspace(tmp_path / "ws")
    folder = workspace / "templates"
    folder.mkdir()
    shutil.copy(OURS / "diff.css", folder / "diff.css")  # by hand, as an older reportgen's users did
    copied = (folder / "diff.css").read_bytes()
    assert main(["validate", "--workspace", str(workspace), "--all"]) == 0
    out = said(capsys)
    assert "templates/diff.css has no record of the version of reportgen's own diff.css it was copied from" in out
    assert not (folder / "copied-templates.json").exists()  # validate writes nothing

    assert main(["build", "--workspace", str(workspace), "--all"]) == 0
    out = said(capsys)
    assert "templates/diff.css has no record" in out
    draft = Path(out.split()[-1])
    assert "template-copy-unrecorded" in (draft / "issues.csv").read_text(encoding="utf-8-sig")
    record = json.loads((folder / "copied-templates.json").read_text(encoding="utf-8"))["copies"]
    assert list(record) == ["diff.css"] and record["diff.css"]["how"] == "first checked"

    assert main(["validate", "--workspace", str(workspace), "--all"]) == 0  # once: it is checked from now on
    assert "diff.css" not in said(capsys)
    upgraded_templates(tmp_path, monkeypatch, "diff.css")
    assert main(["validate", "--workspace", str(workspace)]) == 0
    assert "templates/diff.css is reportgen's own diff.css as it was on" in said(capsys)  # not restyled since
    assert (folder / "diff.css").read_bytes() == copied


OLDER = Path(__file__).parent / "fixtures" / "older-templates"  # as an earlier release of reportgen shipped them


def recorded(workspace: Path) -> dict[str, dict[str, str]]:
    copies: dict[str, dict[str, str]] = json.loads(
        (workspace / "templates" / "copied-templates.json").read_text(encoding="utf-8"))["copies"]
    return copies


def test_a_copy_an_earlier_release_shipped_is_told_to_be_out_of_date_and_never_recorded_as_ours(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An officer upgrading keeps the paper.css an earlier reportgen gave them, with no record (that release wrote
    none): the first build recorded today's paper.css as what it was copied from, so every change since was hidden
    and `template --new` said every template was ours. Now its bytes are recognised as that release's: validate
    and build say it is out of date, the record says so, and `template --new` writes ours beside it."""
    workspace = make_workspace(tmp_path / "ws")
    (workspace / "templates").mkdir()
    shutil.copy(OLDER / "paper.css", workspace / "templates" / "paper.css")
    assert main(["validate", "--workspace", str(workspace)]) == 0
    assert ("templates/paper.css is reportgen's own paper.css as it was on 2026-12-01 (reportgen 0.1.0), not changed "
            "since; reportgen's has changed since") in said(capsys)
    assert main(["build", "--workspace", str(workspace)]) == 0
    assert "templates/paper.css is reportgen's own paper.css as it was on 2026-12-01" in said(capsys)
    assert recorded(workspace)["paper.css"] == {
        "sha256": hashlib.sha256((OLDER / "paper.css").read_bytes()).hexdigest(), "reportgen": "0.1.0",
        "date": "2026-12-01", "how": "recognised as an earlier release's"}
    assert main(["validate", "--workspace", str(workspace)]) == 0  # told at every run, not once
    assert "templates/paper.css is reportgen's own paper.css as it was on 2026-12-01" in said(capsys)
    assert main(["template", "--workspace", str(workspace), "--new"]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {workspace / 'templates' / 'paper.css.new'}")
    assert (workspace / "templates" / "paper.css.new").read_bytes() == (OURS / "paper.css").read_bytes()


def test_a_copy_of_unknown_origin_is_said_to_be_until_ours_is_written_beside_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A copy with no record that is neither ours now nor an earlier release's (restyled after it was copied by
    hand) was recorded by the first build as taken from ours as it is now, and then never told. Now it is recorded
    as of unknown origin and a warning says so, until `template --new` writes ours beside it to merge."""
    workspace = make_workspace(tmp_path / "ws")
    (workspace / "templates").mkdir()
    shutil.copy(OURS / "paper.css", workspace / "templates" / "paper.css")
    restyle_css(workspace)
    unknown = ("templates/paper.css has no record of the version of reportgen's own paper.css it was copied from "
               "(copied by hand, or by an older reportgen) and differs from reportgen's as it is now")
    assert main(["validate", "--workspace", str(workspace)]) == 0
    assert unknown in said(capsys)
    assert main(["build", "--workspace", str(workspace)]) == 0
    draft = Path(said(capsys).split()[-1])
    assert "template-copy-unknown" in (draft / "issues.csv").read_text(encoding="utf-8-sig")
    assert recorded(workspace)["paper.css"]["how"] == "of unknown origin"
    assert recorded(workspace)["paper.css"]["sha256"] == ""
    assert main(["validate", "--workspace", str(workspace)]) == 0
    assert unknown in said(capsys)
    assert main(["template", "--workspace", str(workspace), "--new"]) == 0
    assert (workspace / "templates" / "paper.css.new").read_bytes() == (OURS / "paper.css").read_bytes()
    capsys.readouterr()
    assert main(["validate", "--workspace", str(workspace), "--all"]) == 0
    assert "templates/paper.css has no record" not in said(capsys)


def test_an_earlier_release_s_word_template_is_not_said_to_have_words_of_the_officer_s_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """An earlier release's paper.docx had words typed in it ("Ref") that today's prints from a tag: validate
    said the officer's template had content of its own, though nothing in it was theirs. Now it says only that
    the copy is an earlier release's, out of date."""
    workspace = make_workspace(tmp_path / "ws")
    (workspace / "templates").mkdir()
    earlier = workspace / "templates" / "paper.docx"
    document = docx.Document(str(OURS / "paper.docx"))
    document.add_paragraph("Ref")  # typed into the template, as an earlier release's was
    document.save(str(earlier))
    assert main(["validate", "--workspace", str(workspace)]) == 0
    assert "has content of its own that only the Word paper shows: 'Ref'" in said(capsys)  # not a release's
    sha256 = hashlib.sha256(earlier.read_bytes()).hexdigest()
    monkeypatch.setitem(template_copies.EARLIER_TEMPLATES, "paper.docx", {sha256: ("2026-11-23", "0.1.0")})
    assert main(["validate", "--workspace", str(workspace)]) == 0
    out = said(capsys)
    assert "content of its own" not in out
    assert "templates/paper.docx is reportgen's own paper.docx as it was on 2026-11-23 (reportgen 0.1.0)" in out


def test_the_list_of_earlier_templates_holds_every_version_the_history_holds() -> None:
    """A change to templates/ that was not followed by `scripts/list_earlier_templates.py` leaves the version it
    replaced out of the list: a copy of it made by the release before would be taken for one of unknown origin, not
    told to be out of date. The list is checked against the history it is made from (skipped outside a clone)."""
    import importlib.util
    import subprocess

    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--git-dir"], capture_output=True).returncode != 0:
        pytest.skip("not a git clone: the templates' history is not here")
    spec = importlib.util.spec_from_file_location("list_earlier_templates", ROOT / "scripts" /
                                                  "list_earlier_templates.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    written = (ROOT / "src" / "reportgen" / "earlier_templates.py").read_text(encoding="utf-8")
    assert written == script.module_text(), "run: python scripts/list_earlier_templates.py, and commit what it writes"
