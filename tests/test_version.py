"""reportgen's version is written once, in pyproject.toml, and every place that gives it says the same: an
officer (or a support request) can tell one release from another by `reportgen --version`, a draft's manifest or
a template record, and CHANGELOG.md says what changed in it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT, make_workspace
from reportgen.shells.cli import main

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_every_place_that_gives_reportgen_s_version_gives_pyproject_s_and_the_changelog_has_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every release said `reportgen 0.1.0` (--version, the manifest, copied-templates.json), whatever had changed:
    the number was written in two places and never moved. Now it is pyproject's, and the changelog has a section
    for it saying how to upgrade from 0.1.0."""
    assert VERSION != "0.1.0"
    shown = subprocess.run([sys.executable, "-m", "reportgen", "--version"], capture_output=True, text=True,
                           check=True, timeout=120)
    assert shown.stdout == f"reportgen {VERSION}\n"
    workspace = make_workspace(tmp_path / "ws")
    assert main(["template", "--workspace", str(workspace)]) == 0
    record = json.loads((workspace / "templates" / "copied-templates.json").read_text(encoding="utf-8"))
    assert record["copies"]["paper.docx"]["reportgen"] == VERSION
    assert main(["build", "--workspace", str(workspace)]) == 0
    draft = Path(capsys.readouterr().out.split()[-1])
    manifest = json.loads((draft / "manifest.json").read_text(encoding="utf-8"))["manifest"]
    assert dict(manifest["versions"])["reportgen"] == VERSION
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {VERSION}\n" in changelog and "\n### Upgrading from 0.1.0\n" in changelog


def test_an_installed_reportgen_reads_its_version_from_the_package_metadata(tmp_path: Path) -> None:
    """Installed (not a source checkout), there is no pyproject.toml beside the package: the version is the
    installed distribution's, never a number written into the code that an install may not match."""
    site = tmp_path / "site"
    (site / "reportgen").mkdir(parents=True)
    shutil.copy(ROOT / "src" / "reportgen" / "__init__.py", site / "reportgen" / "__init__.py")
    info = site / "reportgen-9.9.9.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: reportgen\nVersion: 9.9.9\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "import reportgen; print(reportgen.__version__)"],
                          capture_output=True, text=True, check=True, timeout=120,
                          env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert done.stdout == "9.9.9\n"
