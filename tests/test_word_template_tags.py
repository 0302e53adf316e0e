"""The Word template as an officer restyling it in Word meets it: a style renamed. The build and validate are run
as the officer runs them, and the Word paper read back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx

from conftest import copy_example
from reportgen.run.restyle import WORD_TEMPLATE, copy_templates


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
