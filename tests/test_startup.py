"""A command imports only what it needs: a fresh process pays for every import (WeasyPrint ~0.8 s,
openpyxl ~0.2 s), so `reportgen validate` must never import WeasyPrint, reading inputs never needs
openpyxl, and a build's own process leaves WeasyPrint to its PDF workers. Not timed: the imports are
checked."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ACTIONS, REGISTER_HEADINGS, SAMPLE, default_returns, make_workspace, needs_sample, write_csv


def _modules_after(code: str) -> set[str]:
    """The top-level packages imported by a fresh Python process running `code`."""
    report = "import json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    script = textwrap.dedent(code) + "\n" + report
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300)
    return set(json.loads(done.stdout.splitlines()[-1]))


def _csv_workspace(root: Path) -> Path:
    make_workspace(root)
    (root / "inputs" / "register.xlsx").unlink()
    write_csv(root / "inputs" / "register.csv", [REGISTER_HEADINGS, *ACTIONS])
    folder = root / "inputs" / "returns" / "2026-10"
    for name, rows in default_returns().items():
        (folder / name).unlink()
        write_csv(folder / name.replace(".xlsx", ".csv"), rows)
    return root


def test_validate_never_imports_weasyprint(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    modules = _modules_after(f"""
        from reportgen.shells.cli import main
        assert main(["validate", "--workspace", {str(root)!r}]) == 0
    """)
    assert "lxml" in modules  # it did read the .xlsx inputs (with reportgen's own reader)
    assert "docx" in modules  # it did read the Word template's look (theme issues are the build's)
    assert not modules & {"weasyprint", "pikepdf", "docxtpl", "matplotlib", "prefect", "numpy", "pandas",
                          "openpyxl", "PIL"}


def test_validate_of_csv_inputs_never_imports_openpyxl(tmp_path: Path) -> None:
    root = _csv_workspace(tmp_path / "ws")
    modules = _modules_after(f"""
        from reportgen.shells.cli import main
        assert main(["validate", "--workspace", {str(root)!r}]) == 0
    """)
    assert "openpyxl" not in modules
    assert "weasyprint" not in modules


def test_a_build_leaves_weasyprint_to_its_pdf_workers(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    out = tmp_path / "draft"
    modules = _modules_after(f"""
        from pathlib import Path
        from reportgen.render.pdf import parallel as pdf_parallel
        pdf_parallel.usable_cores = lambda: 2  # workers even on a one-core machine
        from reportgen.run.build import build_draft
        result = build_draft(Path({str(root)!r}), out=Path({str(out)!r}))
    """)
    assert (out / "paper.pdf").read_bytes().startswith(b"%PDF")
    assert "weasyprint" not in modules


@needs_sample
def test_a_build_compiles_the_paper_template_once_for_all_its_pdf_workers(tmp_path: Path) -> None:
    """The first PDF worker compiles paper.html.j2 as it warms up, before it forks the other: both render the
    sample's parts from that one compilation, where each compiled its own (the first at the head of the chain of
    layouts). The command as an officer runs it, every compilation and render logged with its process."""
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root)
    out, log = tmp_path / "draft", tmp_path / "templates.log"
    _modules_after(f"""
        import os
        import jinja2
        compile_, render = jinja2.Environment.compile, jinja2.Template.render

        def logged(event, name):
            with open({str(log)!r}, "a") as file:
                file.write(f"{{event}} {{os.getpid()}} {{name}}\\n")

        def compile_logged(self, source, name=None, *args, **kwargs):
            logged("compile", name)
            return compile_(self, source, name, *args, **kwargs)

        def render_logged(self, *args, **kwargs):
            logged("render", self.name)
            return render(self, *args, **kwargs)

        jinja2.Environment.compile, jinja2.Template.render = compile_logged, render_logged
        from reportgen.render.pdf import parallel as pdf_parallel
        pdf_parallel.usable_cores = lambda: 2  # two workers even on a one-core machine
        from reportgen.shells.cli import main
        main(["build", "--workspace", {str(root)!r}, "--out", {str(out)!r}])
    """)
    assert (out / "paper.pdf").read_bytes().startswith(b"%PDF")
    events = [line.split() for line in log.read_text().splitlines()]
    compiled = [pid for event, pid, name in events if event == "compile" and name == "paper.html.j2"]
    rendered = {pid for event, pid, name in events if event == "render" and name == "paper.html.j2"}
    # the build's own process (it renders the front to see whether the template has parts) and both PDF workers
    assert len(rendered) == 3, events
    assert len(compiled) == 2 and set(compiled) < rendered, events  # the build's own, and the first worker's


def test_openpyxl_without_numpy_still_writes_what_numpy_makes(tmp_path: Path) -> None:
    """The commands import openpyxl with numpy hidden (`cli.openpyxl_without_numpy`); numpy imported
    afterwards (pandas, for a history) works, and so do the workbooks written from its values."""
    root = make_workspace(tmp_path / "ws")
    out = tmp_path / "history"
    modules = _modules_after(f"""
        import sys
        from pathlib import Path
        from reportgen.shells.cli import main
        assert main(["build", "--workspace", {str(root)!r}, "--out", {str(tmp_path / "draft")!r}]) == 0
        assert "openpyxl" in sys.modules and "numpy" not in sys.modules
        assert not any(type(finder).__name__ == "_OpenpyxlWithoutNumpy" for finder in sys.meta_path)
        import numpy
        import pandas as pd
        from reportgen.run.history import write_history
        table = pd.DataFrame({{"Ref": numpy.array([1, 2]), "Section": ["A", "B"], "Lead": ["x", "y"],
                              "Action": ["a", "b"], "2026-10": [numpy.float64(0.5), numpy.int64(3)]}})
        write_history(table, Path({str(out)!r}))
    """)
    assert "numpy" in modules
    from openpyxl import load_workbook

    sheet = load_workbook(out / "history.xlsx").active
    assert sheet is not None
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Ref", "Section", "Lead", "Action", "2026-10"], [1, "A", "x", "a", "0.5"], [2, "B", "y", "b", "3.0"]]


def test_openpyxl_imported_while_another_import_walks_the_finders_skips_none() -> None:
    """A build imports openpyxl in one render thread while another imports matplotlib (a paper with
    progress over time): the other import's walk over `sys.meta_path` must still ask every finder.
    The finder that hides numpy left the list mid-walk, and the build stopped at random with
    "No module named 'matplotlib'"."""
    _modules_after("""
        import sys
        from reportgen.shells.cli import openpyxl_without_numpy
        with openpyxl_without_numpy():
            finders = list(sys.meta_path)
            asked = []
            for finder in sys.meta_path:  # as another thread's import asks them, one after another
                asked.append(finder)
                if len(asked) == 3:
                    import openpyxl  # noqa: F401  (this thread's import, meanwhile)
            assert asked == finders, (asked, finders)
            assert "numpy" not in sys.modules
        assert not any(type(finder).__name__ == "_OpenpyxlWithoutNumpy" for finder in sys.meta_path)
    """)
