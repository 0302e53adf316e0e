"""A realistic `Paper` built by hand, for renderer tests (DOCX, PDF, drafts) and benchmarks.

`make_paper(n_actions, sections)` gives: the February 2023 cover sheet; a narrative with a heading,
paragraphs, bullets and a link; the six default columns; a first section with heading "" (actions
with no section, no heading row) then named sections; explanation cells with paragraphs, bullets, an
http link and a mailto link; one row whose status is not recognised ("unknown", with a note).
"""

from __future__ import annotations

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
