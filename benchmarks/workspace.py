"""Benchmark workspaces: N actions in ~10 sections, updated by 50 partner returns (xlsx).

    write_workspace(root, n_actions)  ->  root/reportgen.toml, narrative.md, inputs/register.xlsx,
                                          inputs/returns/2026-10/<partner>.xlsx (50 files)

The text is made to look like real returns: actions of ~25 words, explanations of ~80 words in 2–3
`<p>` paragraphs with one link, timeframes and plan pages. Everything comes from a `random.Random`
with a fixed seed, so the same N always gives the same workspace (same cells; the xlsx zip bytes may
differ only by openpyxl's timestamps, which reportgen does not read).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from openpyxl import Workbook

from reportgen.settings import Settings

SEED = 20_260_501
PERIOD = "2026-10"
N_PARTNERS = 50
N_SECTIONS = 10
_DEFAULTS = Settings()  # the headings reportgen expects when reportgen.toml says nothing
REGISTER_HEADINGS = tuple(_DEFAULTS.register.columns[key].heading
                          for key in ("ref", "section", "lead", "action", "page"))
RETURN_HEADINGS = tuple(_DEFAULTS.returns.columns[key].heading
                        for key in ("ref", "action", "status", "explanation", "timeframe"))
STATUSES = ("Completed", "In progress", "In progress", "Not started", "On hold")
TIMEFRAMES = ("Ongoing", "Spring 2027", "Summer 2027", "Autumn 2027", "March 2028", "To be confirmed", "")

SECTIONS = (
    "Prevention First",
    "Supporting Victims and Witnesses",
    "Tackling Serious Violence",
    "Criminal Justice",
    "Public Confidence and Engagement",
    "Road Safety",
    "Rural and Wildlife Crime",
    "Fraud and Cyber Crime",
    "Violence Against Women and Girls",
    "Efficient and Effective Policing",
)
PLACES = ("Wessex", "Avonford", "Kingsbridge", "Marlow Vale", "Eastcombe", "Northmoor", "Stourton", "Westbury")
PARTNER_KINDS = (
    "Community Safety Partnership",
    "District Council",
    "Youth Offending Service",
    "Probation Delivery Unit",
    "Fire and Rescue Service",
    "Health and Wellbeing Board",
)

VERBS = ("Ask the Chief Constable to", "Work with partners to", "Commission", "Develop", "Review",
         "Publish", "Evaluate", "Expand", "Agree with the Board how to", "Fund")
OBJECTS = ("a prevention strategy", "the victim referral pathway", "hot spots patrolling",
           "a youth diversion scheme", "the case file quality standard", "neighbourhood problem solving",
           "the domestic abuse perpetrator programme", "the rural crime team", "a fraud awareness campaign",
           "the independent custody visiting scheme", "community speed watch", "restorative justice services")
PURPOSES = ("so that fewer people become victims of crime", "to reduce repeat offending across the county",
            "and report progress to the Strategic Executive Board each quarter",
            "using joint police and council data to target the highest harm",
            "and publish the results for residents on the Commissioner's website",
            "with clear outcome measures agreed with every lead partner")
SENTENCES = (
    "The steering group met in September and agreed the terms of reference and the outcome measures.",
    "A review of the first six months found that referrals rose by a fifth while waiting times fell.",
    "Funding for the next two years has been confirmed within the 2026/27 budget.",
    "The evaluation by the university is due in the spring and will be reported to the Panel.",
    "Partners share data monthly through the information sharing agreement signed last year.",
    "Training has been given to 240 officers and staff, with a further cohort booked for January.",
    "The Commissioner's scrutiny meeting examined progress and asked for a further update in six months.",
    "Performance is tracked against the plan's measures and published each quarter.",
    "A pilot in two districts will be extended county-wide if the results hold.",
    "Feedback from victims and residents has been used to redesign the service.",
    "The board agreed to align this work with the national strategy published in July.",
    "Recruitment to the two new coordinator posts was completed in October.",
)
LINK_TEXTS = ("Strategic Executive Board papers", "the quarterly performance report", "the evaluation summary",
              "the meeting papers", "the published strategy")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def partners() -> list[str]:
    """50 lead names: the police and the OPCC, then local partners across the places."""
    names = ["Wessex Police", "OPCC"]
    for kind in PARTNER_KINDS:
        for place in PLACES:
            names.append(f"{place} {kind}")
    return names[:N_PARTNERS]


def action_text(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PURPOSES)}, in each of the {rng.choice(PLACES)} " \
           f"districts, and {rng.choice(VERBS).lower()} {rng.choice(OBJECTS)} where it is needed."


def explanation(rng: random.Random, ref: int) -> str:
    """~80 words in 2–3 HTML paragraphs, one of them ending with a link."""
    paragraphs = []
    for _ in range(rng.choice((2, 3, 3))):
        paragraphs.append(" ".join(rng.sample(SENTENCES, 2)))
    slug_ = rng.choice(("seb", "scrutiny", "performance", "papers"))
    link = (f'See <a href="https://www.wessex-pcc.example.gov.uk/{slug_}/{ref}">'
            f"{rng.choice(LINK_TEXTS)}</a> for the detail.")
    paragraphs[-1] += " " + link
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def register_rows(n_actions: int, rng: random.Random) -> list[tuple[object, ...]]:
    leads = partners()
    rows: list[tuple[object, ...]] = []
    for ref in range(1, n_actions + 1):
        section = SECTIONS[(ref - 1) * N_SECTIONS // n_actions]
        page = 6 + (ref - 1) * 40 // n_actions
        pages = f"{page}-{page + 1}" if ref % 3 == 0 else str(page)
        rows.append((ref, section, leads[rng.randrange(len(leads))], action_text(rng), pages))
    return rows


def write_sheet(path: Path, title: str, headings: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """One workbook, one sheet: headings, then the rows ("" written as an empty cell)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(headings)
    for row in rows:
        sheet.append([value if value != "" else None for value in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def write_workspace(root: Path, n_actions: int, seed: int = SEED) -> Path:
    """A workspace of `n_actions` actions under `root` (created); every action gets an update."""
    rng = random.Random(seed + n_actions)
    register = register_rows(n_actions, rng)
    write_sheet(root / "inputs" / "register.xlsx", "Register", REGISTER_HEADINGS, register)

    by_lead: dict[str, list[tuple[object, ...]]] = {lead: [] for lead in partners()}
    for ref, _section, lead, text, _pages in register:
        status = rng.choice(STATUSES)
        by_lead[str(lead)].append((ref, text, status, explanation(rng, int(str(ref))), rng.choice(TIMEFRAMES)))
    folder = root / "inputs" / "returns" / PERIOD
    for lead, rows in by_lead.items():
        write_sheet(folder / f"{slug(lead)}.xlsx", "Return", RETURN_HEADINGS, rows)

    (root / "reportgen.toml").write_text(SETTINGS, encoding="utf-8")
    (root / "narrative.md").write_text(NARRATIVE, encoding="utf-8")
    return root


SETTINGS = """\
[paper]
meeting = "Police and Crime Panel"
date = 2026-11-05
title = "Benchmark Delivery Plan"
subtitle = "Report for the Police and Crime Panel, November 2026"
submitted_by = "Head of Strategy and Partnerships, OPCC"
purpose = "To update the Panel on the delivery of the actions in the plan."
decisions_required = "The Panel is asked to note the report."
financial_implications = "None"
risk_implications = "None identified"
legal_implications = "None identified"
equalities_impacts = "None identified"
foi_exemption = "Not Exempt"
narrative = "narrative.md"
"""

NARRATIVE = """\
# Delivery update

This paper updates the Panel on the {{ total }} actions in the
[plan](https://www.wessex-pcc.example.gov.uk/plan), using the lead partners' returns for {{ period }}.

- {{ counts["Completed"] }} actions are 'Completed'
- {{ counts["In progress"] }} actions are 'In progress'
- {{ counts["Not started"] }} actions have 'Not started'
- {{ counts["On hold"] }} actions are 'On hold'

The full delivery plan follows, grouped by section.
"""
