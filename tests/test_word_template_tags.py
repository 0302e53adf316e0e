"""The Word template as an officer restyling it in Word meets it: a style renamed, a block tag's end deleted. The
build and validate are run as the officer runs them, and the Word paper read back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest

from conftest import copy_example
from reportgen.run.restyle import WORD_TEMPLATE, copy_templates
from reportgen.shells.cli import main


def example_with_template(root: Path) -> tuple[Path, Path]:
    """The example workspace with reportgen's Word template in its templates folder, to restyle."""
    workspace = copy_example(root)
    copy_templates(workspace, WORD_TEMPLATE)
    return workspace, workspace / "templates" / "paper.docx"


def test_a_renamed_title_style_prints_no_python_warning_and_still_styles_the_title(tmp_path: Path) -> None:
    """An officer renames the Title style 'Report Title' in Word: build and validate printed python-docx's
    'UserWarning: style lookup by style_id is deprecated' on the console. The style is found by its id, quietly,
    and the title keeps it."""
    workspace, template = example_with_template(tmp_path / "ws")
    document = docx.Document(str(template))
    document.styles["Title"].name = "Report Title"
    document.save(str(template))

    for command in (["validate", "--workspace", str(workspace)],
                    ["build", "--workspace", str(workspace), "--out", str(tmp_path / "draft")]):
        done = subprocess.run([sys.executable, "-m", "reportgen.shells.cli", *command],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Warning" not in done.stderr and "deprecated" not in done.stderr, done.stderr
    first = docx.Document(str(tmp_path / "draft" / "paper.docx")).paragraphs[0]
    assert (first.style.name, first.text) == ("Report Title", "Safer Wessex Plan: Delivery Update (October 2026)")


def _without_cover_endfor(template: Path) -> None:
    document = docx.Document(str(template))
    row = next(row for row in document.tables[0].rows if row.cells[0].text == "{%tr endfor %}")
    row._tr.getparent().remove(row._tr)
    document.save(str(template))


def _without_marking_endif(template: Path) -> None:
    header = (document := docx.Document(str(template))).sections[0].header.paragraphs
    texts = [p.text for p in header]
    end = header[texts.index("{{ paper.marking }}") + 1]
    assert end.text == "{%p endif %}"
    end._p.getparent().remove(end._p)
    document.save(str(template))


@pytest.mark.parametrize(("break_it", "said"), [
    (_without_cover_endfor, "is broken: the `{%tr for row in paper.cover %}` in the cover sheet table in the body is "
                            "never closed: its `{%tr endfor %}` is missing. Type `{%tr endfor %}` back where the "
                            "block ends, in a table row of its own"),
    (_without_marking_endif, "is broken: the `{%p if paper.marking %}` in the page header is never closed: its "
                             "`{%p endif %}` is missing. Type `{%p endif %}` back where the block ends, on a line of "
                             "its own"),
], ids=["cover-endfor", "header-endif"])
def test_a_block_left_open_in_the_template_is_named_where_word_shows_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], break_it, said: str) -> None:  # type: ignore[no-untyped-def]
    """An officer deletes the cover table's `{%tr endfor %}` row, or the page header's `{%p endif %}` after the
    marking: the error named the text of another line ('{{ paper.exempt_note }}', '{{ paper.title }}') and a line
    of the body's XML, though the fault was in the cover table, or in the page header. It now names the part and
    the tag left open, and what to type back."""
    workspace, template = example_with_template(tmp_path / "ws")
    break_it(template)
    capsys.readouterr()

    for command in ("validate", "build"):
        assert main([command, "--workspace", str(workspace)]) == 1
        err = " ".join(capsys.readouterr().err.split())  # the console wraps long lines
        assert f"DOCX template {template} {said}" in err, err
        assert "document.xml" not in err and "paper.title" not in err and "exempt_note" not in err
