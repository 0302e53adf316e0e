"""What every test shares: paths, the Prefect harness, the log check, and the factories.

- `make_workspace` and the spreadsheet writers: small workspaces made by code (no binary fixtures).
- `make_paper` / `make_row`: the one `Paper` factory, a realistic paper built by hand for the renderer,
  draft and diff tests; a test that needs something particular changes it with `dataclasses.replace`.
- `no_unexpected_logs` (autouse): a WARNING or worse from the `reportgen` or `weasyprint` loggers fails
  the test unless the test declares it with `@pytest.mark.expected_logs("regex", ...)`.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import shutil
import textwrap
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pikepdf
import pytest

from reportgen.model import (
    Block,
    CoverRow,
    Inline,
    Paper,
    PaperCell,
    PaperColumn,
    PaperRow,
    PaperSection,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = SHARED / "sample-2023"
REFERENCE = SHARED / "reference" / "panel-paper-2023-02.txt"

# Prefect state for the whole test session stays out of ~/.prefect
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect" / "tests"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)  # Prefect makes only the last level


@pytest.fixture(scope="session")
def harness():
    """Prefect on its embedded default, one for the whole session (test_flows, test_mail_flows)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


needs_sample = pytest.mark.skipif(not SAMPLE.is_dir(), reason="../shared/sample-2023 is not beside the repo")


# ---------------------------------------------------------------- unexpected logs fail the test

CHECKED_LOGGERS = ("reportgen", "weasyprint")
# this machine's WeasyPrint lacks libharfbuzz-subset0 and says so on every render: not about our input
MACHINE_NOTICES = (re.compile("HarfBuzz-Subset"),)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "expected_logs(*patterns): WARNING records (regexes) from reportgen/weasyprint this test expects")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_COLLECTOR = _Collector()


@pytest.fixture(scope="session", autouse=True)
def _log_collector() -> Iterator[_Collector]:
    """One handler for the session, so logs from module fixtures (set up before any function fixture)
    are caught too: they count against the first test that uses the fixture."""
    for name in CHECKED_LOGGERS:
        logging.getLogger(name).addHandler(_COLLECTOR)
    yield _COLLECTOR
    for name in CHECKED_LOGGERS:
        logging.getLogger(name).removeHandler(_COLLECTOR)


@pytest.fixture(autouse=True)
def no_unexpected_logs(request: pytest.FixtureRequest, _log_collector: _Collector) -> Iterator[None]:
    """Fail the test on a WARNING (or worse) from reportgen or WeasyPrint it did not declare with
    `@pytest.mark.expected_logs("regex", ...)` (WeasyPrint's own tests do this with `assert_no_logs`)."""
    yield
    records, _log_collector.records = _log_collector.records, []
    allowed = [re.compile(p) for marker in request.node.iter_markers("expected_logs") for p in marker.args]
    unexpected = [
        f"{record.name} {record.levelname}: {record.getMessage()}"
        for record in records
        if not any(p.search(record.getMessage()) for p in (*allowed, *MACHINE_NOTICES))
    ]
    if unexpected:
        pytest.fail("unexpected log records:\n" + "\n".join(unexpected), pytrace=False)


# ---------------------------------------------------------------- PDFs


def pdf_problems(path: Path) -> list[str]:
    """What QPDF's check (`qpdf --check`, pikepdf's `check_pdf_syntax`) finds wrong in a PDF's syntax,
    cross-reference and streams: [] for a well-formed file."""
    with pikepdf.open(path) as pdf:
        return [str(problem) for problem in pdf.check_pdf_syntax()]


# ---------------------------------------------------------------- workspaces and spreadsheets

REGISTER_HEADINGS = ("Plan priority", "Section", "Lead", "Action", "CSCJ Plan page")
RETURN_HEADINGS = ("Plan priority", "Action", "Status this reporting period",
                   "Explanation / Link to meeting papers", "Timeframe for delivery / Completion")

Row = Sequence[object]


def write_xlsx(path: Path, rows: Sequence[Row], sheet: str = "Return",
               before: Sequence[tuple[str, Sequence[Row]]] = ()) -> Path:
    """An .xlsx with `rows` on sheet `sheet`, after any sheets in `before` (name, rows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, other_rows in before:
        other = book.create_sheet(name)
        for row in other_rows:
            other.append(list(row))
    data = book.create_sheet(sheet)
    for row in rows:
        data.append(list(row))
    book.save(path)
    return path


def edit_sheet_xml(path: Path, edit: Callable[[str], str]) -> Path:
    """`path` (an .xlsx) with its first worksheet's XML changed by `edit`: what Excel writes and openpyxl
    cannot (cached values, formulas filled down)."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    parts[sheet] = edit(parts[sheet].decode()).encode()
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def write_csv(path: Path, rows: Sequence[Row], encoding: str = "utf-8", delimiter: str = ",",
              prefix: str = "", errors: str = "strict") -> Path:
    """`rows` saved as a CSV in `encoding`; errors="replace" writes '?' for what it lacks, as Excel does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes((prefix + buffer.getvalue()).encode(encoding, errors))
    return path


ACTIONS: tuple[tuple[int, str, str, str, str], ...] = (
    (1, "", "Wessex Police", "Develop a prevention strategy.", "9-10"),
    (2, "", "OPCC", "Publish the commissioning plan.", "11"),
    (3, "Victims", "Wessex Police", "Review victim referrals.", "12"),
    (4, "Victims", "OPCC", "Fund an advocacy service.", "13- 14"),
    (5, "Justice", "Criminal Justice Board", "Measure file quality.", "15"),
    (6, "Justice", "OPCC", "Lobby for court capacity.", "16 - 17"),
)


# every row of the cover sheet filled in, as a published Panel paper has it
FULL_COVER = textwrap.dedent("""\
    [paper]
    meeting = "Police and Crime Panel"
    date = 2026-11-05
    title = "Test Delivery Plan"
    submitted_by = "Chief Executive, OPCC"
    purpose = "To update the Panel."
    decisions_required = "To note the report."
    financial_implications = "None"
    risk_implications = "None identified"
    legal_implications = "None identified"
    equalities_impacts = "None identified"
    foi_exemption = "Not Exempt"
    """)


def as_chmod_binds(command: Sequence[str]) -> list[str]:
    """`command` run as an account a read-only file or folder stops, as an officer's is: the tests run as root,
    whom `chmod` does not stop, so as root without the capabilities that pass over it (skipped where that
    cannot be done)."""
    if os.geteuid() != 0:
        return list(command)
    capsh = shutil.which("capsh")
    if capsh is None:
        pytest.skip("running as root, and capsh is not here to drop the capabilities that pass over chmod")
    return [capsh, "--drop=cap_dac_override,cap_dac_read_search,cap_fowner", "--", "-c", 'exec "$0" "$@"',
            *command]


def make_workspace(root: Path, period: str = "2026-10", toml: str = "", narrative: str | None = None,
                   returns: dict[str, Sequence[Row]] | None = None,
                   register: Sequence[Row] | None = None) -> Path:
    """A workspace: register of ACTIONS, one return per lead (all updated) unless `returns` is given."""
    register_rows = [REGISTER_HEADINGS, *ACTIONS] if register is None else register
    write_xlsx(root / "inputs" / "register.xlsx", register_rows, sheet="Register")
    if returns is None:
        returns = default_returns()
    for name, rows in returns.items():
        path = root / "inputs" / "returns" / period / name
        if name.endswith(".csv"):
            write_csv(path, rows)
        else:
            write_xlsx(path, rows)
    (root / "inputs" / "returns" / period).mkdir(parents=True, exist_ok=True)
    (root / "reportgen.toml").write_text(toml or FULL_COVER, encoding="utf-8")
    (root / "narrative.md").write_text(narrative if narrative is not None else (
        "# Delivery\n\nOf the {{ total }} actions, {{ counts['Completed'] }} are complete.\n"), encoding="utf-8")
    return root


def default_returns() -> dict[str, list[Row]]:
    statuses = {1: "Completed", 2: "In progress", 3: "Not started", 4: "In progress", 5: "On hold",
                6: "Completed"}
    by_lead: dict[str, list[Row]] = {}
    for ref, _section, lead, text, _page in ACTIONS:
        file = lead.lower().replace(" ", "-") + ".xlsx"
        by_lead.setdefault(file, [RETURN_HEADINGS]).append(
            (ref, text, statuses[ref], f"Update on action {ref}.", "Spring 2027"))
    return by_lead


def copy_example(target: Path) -> Path:
    """The repo's example workspace, copied so builds never write into the repo."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("reportgen.toml", "narrative.md"):
        shutil.copy(ROOT / name, target / name)
    shutil.copytree(ROOT / "inputs", target / "inputs")
    return target


def built_with(root: Path, appended: str) -> tuple[Path, str]:
    """The example workspace with `appended` at the end of its narrative, built: (draft folder, narrative)."""
    from reportgen.shells.cli import main

    copy_example(root)
    narrative = (root / "narrative.md").read_text(encoding="utf-8").rstrip("\n") + "\n" + appended
    (root / "narrative.md").write_text(narrative, encoding="utf-8")
    assert main(["build", "--workspace", str(root)]) == 0
    [folder] = (root / "outputs" / "2026-10").glob("draft-*")
    return folder, narrative

def benchmark_workspace(root: Path, actions: int) -> Path:
    """The benchmarks' generated workspace of `actions` actions (benchmarks/workspace.py), under `root`."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("bench_workspace", ROOT / "benchmarks" / "workspace.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    made: Path = module.write_workspace(root, actions)
    return made


def blocked_workspace(root: Path) -> Path:
    """A small workspace whose OPCC return has two statuses nobody can count: 2 blocking issues."""
    returns = default_returns()
    returns["opcc.xlsx"] = [(row[0], row[1], "Maybe later", *row[3:]) if row[0] in (2, 4) else row
                            for row in returns["opcc.xlsx"]]
    return make_workspace(root, returns=returns)


def keep_draft(root: Path, period: str) -> tuple[Path, Paper]:
    """A kept draft made by the build's own stages, without rendering DOCX or PDF."""
    from reportgen.drafts import folders as drafts
    from reportgen.run import build

    plan = build.prepare_build(root, period)
    checked = build.check_plan(plan)
    paper = build.make_paper(plan, checked)
    folder = drafts.start_draft(plan.inputs.outputs, period)
    build.write_records(paper, folder)
    result = build.finish_draft(plan, checked, paper, checked.issues, (), folder, None, {})
    return result.folder, paper



def rewrite_kept_record(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """A kept draft's draft.json changed by `change` (e.g. into the shape an older reportgen kept it in), and its
    manifest's record of draft.json made to match, so that the draft is read as kept, not as damaged."""
    import hashlib
    import json

    record = json.loads((folder / "draft.json").read_text(encoding="utf-8"))
    change(record)
    data = (json.dumps(record, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    (folder / "draft.json").write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for output in manifest["manifest"]["outputs"]:
        if output["path"] == "draft.json":
            output.update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")

# ---------------------------------------------------------------- the Paper factory

COLUMNS = (
    PaperColumn("ref", "Plan priority", 0.06),
    PaperColumn("action", "Action", 0.26),
    PaperColumn("status", "Status this reporting period", 0.11),
    PaperColumn("explanation", "Explanation / Link to meeting papers", 0.35),
    PaperColumn("timeframe", "Timeframe for delivery / Completion", 0.13),
    PaperColumn("page", "CSCJ Plan page", 0.09),
)
SECTION_NAMES = ("Criminal Justice", "Victims", "Serious Violence", "Public Confidence",
                 "Fraud and Cybercrime")
STATUSES = (("Completed", "completed"), ("In progress", "in-progress"), ("Not started", "not-started"))
STATUS_COLOURS = (
    ("completed", "C6EFCE"),
    ("in-progress", "FFEB9C"),
    ("not-started", "F2F2F2"),
    ("on-hold", "DDEBF7"),
    ("unknown", "FFC7CE"),
)
LINK = "https://www.hertscommissioner.org/decision-making-meetings"
MAILTO = "mailto:commissioner@herts.pcc.police.uk"
UNKNOWN_REF = 3  # the row whose status is not recognised

COVER = (
    CoverRow("MEETING", "Police and Crime Panel"),
    CoverRow("DATE", "02 February 2023"),
    CoverRow("TITLE OF REPORT", "Annual Delivery Plan (March 2022 – February 2023)"),
    CoverRow("SUBMITTED BY", "Dr Amie Birkhamshaw, Assistant Chief Executive, OPCC"),
    CoverRow("PURPOSE OF REPORT", "To provide the Police and Crime Panel with a progress report."),
    CoverRow("DECISION(S) REQUIRED", "To note the content of the report."),
    CoverRow("FREEDOM OF INFORMATION EXEMPTION SECTION IF APPLICABLE", "Not Exempt"),
)

NARRATIVE = (
    Block("heading", (Inline("Annual Delivery Plan (March 2022 – February 2023)"),), level=1),
    Block("paragraph", (
        Inline("The Delivery Plan links to the papers of the PCC's "),
        Inline("Decision-Making Meetings", href=LINK),
        Inline(" and shows "),
        Inline("progress", bold=True),
        Inline(" against each action."),
    )),
    Block("bullet", (Inline("33 actions are 'Complete'"),)),
    Block("bullet", (Inline("87 actions are 'In Progress'"),)),
    Block("heading", (Inline("Next steps"),), level=2),
    Block("number", (Inline("Partners return updates."),)),
    Block("number", (Inline("The Panel notes the report."),)),
    Block("paragraph", (Inline("Some actions are ", italic=True), Inline("ongoing", underline=True),
                        Inline("."))),
)


def explanation_blocks(ref: int) -> tuple[Block, ...]:
    return (
        Block("paragraph", (Inline(f"Progress on action {ref} was reported to the Executive Board."),)),
        Block("bullet", (Inline("Drug testing on arrest now covers both custody suites"),)),
        Block("bullet", (Inline("See the "), Inline("board papers", href=LINK), Inline(" for detail"))),
        Block("paragraph", (Inline("Questions to "), Inline("the OPCC", href=MAILTO), Inline("."))),
    )


def make_row(ref: int, section: str) -> PaperRow:
    action = f"Action {ref}: ask the Chief Constable to develop a Prevention First Strategy."
    timeframe, page = ("Autumn 2023", f"{9 + ref % 20}")
    if ref == UNKNOWN_REF:
        status, label, css, note = None, "Ongoing-ish", "unknown", "Status not recognised"
    else:
        label, css = STATUSES[ref % len(STATUSES)]
        status, note = label, ""
    rich = explanation_blocks(ref)
    explanation_text = "\n".join(block.text for block in rich)
    cells = (
        PaperCell("ref", str(ref)),
        PaperCell("action", action),
        PaperCell("status", label),
        PaperCell("explanation", explanation_text, rich),
        PaperCell("timeframe", timeframe),
        PaperCell("page", page),
    )
    return PaperRow(
        ref=ref, cells=cells, status=status, status_label=label, status_class=css, note=note,
        section=section, lead="OPCC", action=action, explanation=explanation_text, timeframe=timeframe,
        page=page,
    )


def make_paper(n_actions: int = 6, sections: int = 2) -> Paper:
    """`n_actions` rows over `sections` sections, the first one with heading "" (no heading row)."""
    sections = max(1, sections)
    headings = ("", *(SECTION_NAMES[i % len(SECTION_NAMES)] + ("" if i < len(SECTION_NAMES) else f" {i}")
                      for i in range(sections - 1)))
    per_section = -(-n_actions // sections) if n_actions else 0
    built = []
    ref = 1
    for heading in headings:
        rows = []
        while ref <= n_actions and len(rows) < per_section:
            rows.append(make_row(ref, heading))
            ref += 1
        built.append(PaperSection(heading, 1, tuple(rows)))
    counts = {label: 0 for label, _ in STATUSES}
    for section in built:
        for row in section.rows:
            if row.status is not None:
                counts[row.status] += 1
    return Paper(
        title="Annual Delivery Plan (March 2022 – February 2023)",
        subtitle="Report for the Hertfordshire Police and Crime Panel, February 2023",
        meeting="Police and Crime Panel",
        date="02 February 2023",
        period="2023-02",
        language="en-GB",
        author="Dr Amie Birkhamshaw",
        edition="public",
        marking="",
        cover=COVER,
        narrative=NARRATIVE,
        columns=COLUMNS,
        sections=tuple(built),
        counts=tuple(counts.items()),
        total=n_actions,
        unrecognised=1 if n_actions >= UNKNOWN_REF else 0,
        status_colours=STATUS_COLOURS,
    )


# Chromium for the browser tests (fixture `browser`), and the real mail servers the mail tests start on 127.0.0.1
# (aiosmtpd, Dovecot): fixtures `smtp`, `dovecot`
from browser import browser  # noqa: E402,F401
from mailservers import dovecot, smtp  # noqa: E402,F401


def untagged_furniture(path: Path) -> list[tuple[int, str]]:
    """(page, text) of every tagged run outside the structure tree, and of the page margins' text that
    is not an artifact: PDF/UA wants page furniture marked as artifacts, and nothing tagged left out."""
    found = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            in_tree: set[int] = set()
            stack = list(page.structure_tree)
            while stack:
                element = stack.pop()
                in_tree.update(element.get("mcids") or ())
                stack.extend(element.get("children", ()))
            for char in page.chars:
                in_margin = char["top"] < 45 or char["bottom"] > page.height - 40
                if char["mcid"] is not None and (in_margin or char["mcid"] not in in_tree):
                    found.append((number, char["text"]))
    return found


def marked_content_problems(path: Path) -> list[str]:
    """What is wrong in how a tagged PDF's content and structure tree refer to each other: every marked run
    of a page (but artifacts) must be named, by its MCID, in the parent tree's entry for that page, by the
    element of the tree that holds it; no entry may name an element that does not; and every element's
    /P must be the element whose /K holds it."""
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        owners: dict[tuple[tuple[int, int], int], tuple[int, int]] = {}  # (page, MCID) -> its element
        stack = [(kid, None) for kid in _tree_kids(root)]
        while stack:
            element, parent = stack.pop()
            if parent is not None and element.get("/P", pikepdf.Dictionary()).objgen != parent.objgen:
                problems.append(f"{element.S} {element.objgen}: /P is not its parent")
            for kid in _tree_kids(element, elements_only=False):
                if isinstance(kid, int):
                    owners[(element.Pg.objgen, kid)] = element.objgen
                elif "/S" in kid:
                    stack.append((kid, element))
                elif kid.get("/Type") == "/MCR":
                    owners[(kid.get("/Pg", element.get("/Pg")).objgen, int(kid.MCID))] = element.objgen
        nums = root.ParentTree.Nums
        parents = {int(nums[at]): nums[at + 1] for at in range(0, len(nums), 2)}
        for number, page in enumerate(pdf.pages, start=1):
            entry = parents[int(page.obj.StructParents)]
            for mcid, element in enumerate(entry):
                if element is not None and owners.get((page.obj.objgen, mcid)) != element.objgen:
                    problems.append(f"page {number}: MCID {mcid}'s parent tree entry is not its element")
            open_tags: list[str] = []
            for command in pikepdf.parse_content_stream(page):
                operator = str(command.operator)
                if operator == "EMC":
                    open_tags.pop()
                elif operator in ("BMC", "BDC"):
                    open_tags.append(str(command.operands[0]))
                    properties = command.operands[-1]
                    if operator == "BDC" and isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                        mcid = int(properties.MCID)
                        named = entry[mcid] if mcid < len(entry) else None
                        if "/Artifact" in open_tags:
                            problems.append(f"page {number}: MCID {mcid} inside an artifact")
                        elif named is None or owners.get((page.obj.objgen, mcid)) != named.objgen:
                            problems.append(f"page {number}: MCID {mcid} is not reachable from the parent tree")
    return problems


def _tree_kids(node: pikepdf.Object, elements_only: bool = True) -> list[object]:
    kids = node.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [kid for kid in items if (isinstance(kid, pikepdf.Dictionary) and ("/S" in kid or not elements_only))
            or (not elements_only and isinstance(kid, int))]


def tagged_tables(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """The Table elements of the PDF's structure tree, in its order."""
    tables: list[pikepdf.Object] = []
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if node.get("/S") == "/Table":
            tables.append(node)
        else:
            stack.extend(reversed(_tree_kids(node)))
    return tables


def tagged_text(path: Path) -> dict[tuple[int, int], str]:
    """(page from 0, MCID) -> the text of that marked run."""
    texts: dict[tuple[int, int], str] = {}
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            for char in page.chars:
                if char["mcid"] is not None:
                    texts[(number, char["mcid"])] = texts.get((number, char["mcid"]), "") + char["text"]
    return texts


def element_text(element: pikepdf.Object, texts: dict[tuple[int, int], str], pages: dict[object, int]) -> str:
    """The text a tagged element holds (`texts`: `tagged_text`'s, by page and marked-content id; `pages`: each page
    object's number, from 0), its kids' in order."""
    kids = element.get("/K")
    return "".join(texts.get((pages[element.Pg.objgen], kid), "") if isinstance(kid, int)
                   else element_text(kid, texts, pages)
                   for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
                   if isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and "/S" in kid))


def marked_pages(element: pikepdf.Object, pages: dict[object, int]) -> list[int]:
    """The pages (from 0) of the marked content under a tagged element, each once, in order."""
    found: list[int] = []
    stack = [element]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in items:
            if isinstance(kid, int) and "/Pg" in node:
                found.append(pages[node.Pg.objgen])
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                stack.append(kid)
            elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
                found.append(pages[(kid.Pg if "/Pg" in kid else node.Pg).objgen])
    return sorted(set(found))


def _plan_rows(pdf: pikepdf.Pdf, columns: int) -> tuple[int, list[pikepdf.Object]]:
    """How many tables have a head of the plan's width, and the first one's body rows."""
    heads = [(table, table_parts(table)[0]) for table in tagged_tables(pdf)]
    plans = [table for table, head in heads if head.S == "/THead" and len(_tree_kids(_tree_kids(head)[0])) == columns]
    assert [str(part.S) for part in table_parts(plans[0])] == ["/THead", "/TBody"]
    return len(plans), _tree_kids(table_parts(plans[0])[1])


def table_parts(table: pikepdf.Object) -> list[pikepdf.Object]:
    """A tagged table's THead and TBody (or rows): its kids but the Caption that names it, first."""
    kids = _tree_kids(table)
    return kids[1:] if kids and kids[0].S == "/Caption" else kids


def plan_row_labels(path: Path, columns: int) -> tuple[int, list[str], list[list[int]]]:
    """How many tables have a head of the plan's width; the one's body rows as their first cell's text
    (an action's number, a section's heading), and the pages (from 0) each row is on."""
    texts = tagged_text(path)
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        plans, rows = _plan_rows(pdf, columns)
        return (plans, [element_text(_tree_kids(row)[0], texts, pages) for row in rows],
                [marked_pages(row, pages) for row in rows])


def plan_cell_texts(path: Path, columns: int) -> dict[str, list[str]]:
    """The plan table's body rows as tagged: each row's first cell's text -> its cells' texts."""
    texts = tagged_text(path)
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        _, rows = _plan_rows(pdf, columns)
        cells = [[element_text(cell, texts, pages) for cell in _tree_kids(row)] for row in rows]
        return {row[0]: row for row in cells}


