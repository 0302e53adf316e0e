"""`reportgen history` over a year of papers, as an analyst runs it for a year-end report: where it may write, what
its cells say, and what it and `build` advise when a month is built again after later months."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_workspace
from reportgen.shells.cli import main


def test_history_refuses_an_out_folder_named_like_a_kept_draft(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """`reportgen history --out outputs/2026-10/draft-09` was accepted: the folder, holding no manifest.json, was then
    an unfinished draft to every build and history after it ("holds no manifest.json… not a finished draft"), and
    `diff` called it "not a draft folder". It is refused, as `build --out` refuses another period's draft name."""
    root = make_workspace(tmp_path / "ws")
    assert main(["build", "--workspace", str(root)]) == 0
    capsys.readouterr()
    for named in ("2026-10/draft-09", "2026-09/draft-01"):
        out = root / "outputs" / named
        assert main(["history", "--workspace", str(root), "--out", str(out)]) == 2
        err = " ".join(capsys.readouterr().err.split())
        assert f"--out {out} looks like a draft folder of {named[:7]}, but the history is not a draft" in err
        assert "choose a folder not named draft-NN" in err and not out.exists()
    assert main(["history", "--workspace", str(root), "--out", str(root / "outputs" / "year-end")]) == 0
    assert main(["build", "--workspace", str(root)]) == 0
    assert "no manifest.json" not in capsys.readouterr().out
