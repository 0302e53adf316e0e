"""Write the example workspace: a fictional "Wessex" OPCC and its Safer Wessex Plan 2025–2030.

    python scripts/make_example.py [--out DIR]      (default: the repo root)

It writes `reportgen.toml`, `narrative.md`, `inputs/register.xlsx` and two periods of partner returns
(`inputs/returns/2026-09/`, `inputs/returns/2026-10/`). Every name, action and update is invented.

The output is byte-for-byte the same on every run: no randomness, fixed document properties and fixed
zip entry dates. Files are written to a temporary name and renamed into place. The two period folders
are emptied of spreadsheets first, so a return left over from an earlier run cannot linger.

The returns carry the everyday mistakes partners make, all of which reportgen resolves with a warning
(so a demo build has no blocking issue):

- status spellings: "Complete", "In Progress", "not started", "Completed." (2026-10);
- action references written as text "12.0" and " 14 ", and "16.0" in the CSV;
- wessex-police.xlsx has two title rows above its heading row;
- opcc.xlsx has an "Instructions" sheet before its data sheet;
- community-safety-partnership.csv is saved in Windows-1252, with "£" and "–" in the text;
- 2026-10: criminal-justice-board.xlsx also updates action 22, led by Wessex Police, which updates it
  too (duplicate-update; not-lead);
- 2026-10: opcc.xlsx words action 14 slightly differently from the register (action-text-changed);
- 2026-10: wessex-police.xlsx leaves out action 8 (carried forward from the 2026-09 returns or draft);
- 2026-10: Wessex County Council sends no return (missing-return; its actions carry their 2026-09 status).

`inputs/mail/2026-10/` holds that council's late reply by email, as a mail program saves it (.eml), with
one status it made up: `reportgen collect --period 2026-10 --dry-run --from-folder inputs/mail/2026-10`
shows what collecting it would save and answer, without saving anything.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from reportgen.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

PERIODS = ("2026-09", "2026-10")
_DEFAULTS = Settings()  # the headings reportgen expects when reportgen.toml says nothing
REGISTER_HEADINGS = tuple(_DEFAULTS.register.columns[key].heading
                          for key in ("ref", "section", "lead", "action", "page", "exempt"))
RETURN_HEADINGS = tuple(_DEFAULTS.returns.columns[key].heading
                        for key in ("ref", "action", "status", "explanation", "timeframe"))

POLICE = "Wessex Police"
OPCC = "OPCC"
CSP = "Community Safety Partnership"
CJB = "Criminal Justice Board"
WCC = "Wessex County Council"
LEADS = (POLICE, OPCC, CSP, CJB, WCC)

# fixed document dates: the register as agreed, and each period's returns as sent
REGISTER_DATE = dt.datetime(2025, 4, 1, 9, 0, 0)
RETURN_DATES = {
    "2026-09": dt.datetime(2026, 9, 28, 16, 30, 0),
    "2026-10": dt.datetime(2026, 10, 23, 15, 0, 0),
}
ZIP_DATE = (2026, 1, 1, 0, 0, 0)

PF = "Prevention First"
SV = "Supporting Victims"
CJ = "Criminal Justice"
PC = "Public Confidence"

SEB_LINK = "[Strategic Executive Board papers](https://www.wessex-pcc.example.gov.uk/seb)"
SCRUTINY_URL = "https://www.wessex-pcc.example.gov.uk/scrutiny"


@dataclass(frozen=True)
class PlanAction:
    ref: int
    section: str
    lead: str
    text: str
    page: str
    exempt: str = "No"  # "Yes", "No" or "" (blank), as secretariats write it


@dataclass(frozen=True)
class Progress:
    """What the lead partner said about one action in one period."""

    status: str  # as written in the return
    explanation: str
    timeframe: str = ""


# ---------------------------------------------------------------- the register

ACTIONS: tuple[PlanAction, ...] = (
    PlanAction(
        1,
        "",
        POLICE,
        "Ask the Chief Constable to publish a force-wide prevention strategy that sets out how "
        "neighbourhood, response and investigation teams share responsibility for reducing demand.",
        "6",
    ),
    PlanAction(
        2,
        "",
        OPCC,
        "Publish an annual statement showing how the policing precept has been spent against each "
        "priority of the Safer Wessex Plan.",
        "6-7",
        "",
    ),
    PlanAction(
        3,
        "",
        POLICE,
        "Ask the Chief Constable to report quarterly to the Strategic Executive Board on progress "
        "against the plan's outcome measures.",
        "7",
    ),
    # Prevention First
    PlanAction(
        4,
        PF,
        CSP,
        "Support each Community Safety Partnership to agree a shared problem-solving approach to "
        "anti-social behaviour hotspots, using joint police and council data.",
        "8",
    ),
    PlanAction(
        5,
        PF,
        POLICE,
        "Ask the Chief Constable to expand hot spots patrolling in the twelve neighbourhoods with the "
        "highest levels of serious violence.",
        "8-9",
    ),
    PlanAction(
        6,
        PF,
        OPCC,
        "Commission a youth diversion scheme for young people arrested for a first low-level offence, "
        "and evaluate its effect on reoffending.",
        "9",
        "",
    ),
    PlanAction(
        7,
        PF,
        WCC,
        "Work with Wessex County Council to extend the Safer Streets lighting and CCTV improvements "
        "to market towns with rising night-time economy crime.",
        "9-10",
    ),
    PlanAction(
        8,
        PF,
        POLICE,
        "Ask the Chief Constable to establish a dedicated rural crime team covering farm, wildlife "
        "and heritage crime across the county.",
        "10",
    ),
    PlanAction(
        9,
        PF,
        CSP,
        "Develop a county-wide approach to tackling county lines and cuckooing, including a protocol "
        "for closing properties used by exploiting groups.",
        "10-11",
    ),
    PlanAction(
        10,
        PF,
        OPCC,
        "Fund target-hardening support for repeat victims of burglary, prioritising older residents "
        "and people living alone.",
        "11",
    ),
    PlanAction(
        11,
        PF,
        WCC,
        "Embed violence reduction work in schools through a whole-school programme on knife crime, "
        "healthy relationships and online safety.",
        "12",
    ),
    PlanAction(
        12,
        PF,
        POLICE,
        "Ask the Chief Constable to review the force's response to retail crime and agree a joint "
        "plan with the Wessex Business Crime Partnership.",
        "12-13",
    ),
    # Supporting Victims
    PlanAction(
        13,
        SV,
        OPCC,
        "Recommission the Wessex Victim Care service so that every victim of crime is offered a needs "
        "assessment within two working days of reporting.",
        "14",
    ),
    PlanAction(
        14,
        SV,
        OPCC,
        "Increase the number of Independent Sexual Violence Advisers so that waiting times for "
        "support fall below four weeks.",
        "14- 15",
    ),
    PlanAction(
        15,
        SV,
        POLICE,
        "Ask the Chief Constable to improve compliance with the Victims' Code and report compliance "
        "rates to the Panel twice a year.",
        "15",
    ),
    PlanAction(
        16,
        SV,
        CSP,
        "Work with Community Safety Partnerships to make sure Domestic Homicide Reviews are completed "
        "on time and their learning is shared across agencies.",
        "15-16",
        "",
    ),
    PlanAction(
        17,
        SV,
        OPCC,
        "Establish a Victims' Voice panel so that people with lived experience can shape the services "
        "the Commissioner funds.",
        "16",
    ),
    PlanAction(
        18,
        SV,
        WCC,
        "Agree joint commissioning arrangements with Wessex County Council for domestic abuse safe "
        "accommodation and community-based support.",
        "16-17",
    ),
    PlanAction(
        19,
        SV,
        POLICE,
        "Ask the Chief Constable to increase evidence-led prosecutions in domestic abuse cases, "
        "making full use of body-worn video and 999 call recordings.",
        "17",
    ),
    PlanAction(
        20,
        SV,
        POLICE,
        "Review the arrangements for protecting witnesses at risk of serious intimidation, including "
        "the use of temporary relocation.",
        "17",
        "Yes",
    ),
    # Criminal Justice
    PlanAction(
        21,
        CJ,
        CJB,
        "Work with HM Courts and Tribunals Service to reduce the backlog of Crown Court trials and "
        "keep victims informed of listing changes.",
        "18",
    ),
    PlanAction(
        22,
        CJ,
        POLICE,
        "Ask the Chief Constable to improve the quality of case files sent to the Crown Prosecution "
        "Service, measured by the first-time acceptance rate.",
        "18-19",
    ),
    PlanAction(
        23,
        CJ,
        CJB,
        "Expand the use of out of court resolutions with conditions that address the causes of "
        "offending, such as drug and alcohol treatment.",
        "19",
    ),
    PlanAction(
        24,
        CJ,
        OPCC,
        "Commission a women's diversion service that offers support at the point of arrest as an "
        "alternative to prosecution where appropriate.",
        "19-20",
    ),
    PlanAction(
        25,
        CJ,
        CJB,
        "Pilot a text message reminder service for witnesses to reduce the number of trials that "
        "cannot go ahead because a witness does not attend.",
        "20",
    ),
    PlanAction(
        26,
        CJ,
        CSP,
        "Work with the Probation Service to reduce reoffending by prolific offenders through the "
        "Integrated Offender Management scheme.",
        "20",
    ),
    PlanAction(
        27,
        CJ,
        CJB,
        "Publish a Wessex Criminal Justice Board performance dashboard covering timeliness, victim "
        "attrition and outcomes by offence type.",
        "21",
    ),
    PlanAction(
        28,
        CJ,
        OPCC,
        "Explore the case for a restorative justice hub that can take referrals from police, "
        "probation, prisons and victims directly.",
        "21",
    ),
    # Public Confidence
    PlanAction(
        29,
        PC,
        OPCC,
        "Hold a public meeting with the Commissioner in each district of Wessex at least once a year, "
        "taking questions in person and online.",
        "22",
    ),
    PlanAction(
        30,
        PC,
        POLICE,
        "Ask the Chief Constable to cut the average time taken to answer 101 calls and offer online "
        "reporting for more types of crime.",
        "22-23",
    ),
    PlanAction(
        31,
        PC,
        OPCC,
        "Publish the findings of the Commissioner's scrutiny of stop and search, use of force and "
        "complaints handling every quarter.",
        "23",
    ),
    PlanAction(
        32,
        PC,
        POLICE,
        "Ask the Chief Constable to increase the diversity of the workforce so that it better "
        "reflects the communities of Wessex.",
        "23-24",
    ),
    PlanAction(
        33,
        PC,
        CSP,
        "Run an annual Wessex community safety survey and publish the results by district, with an "
        "action plan for the areas of lowest confidence.",
        "24",
    ),
    PlanAction(
        34,
        PC,
        WCC,
        "Work with parish and town councils to recruit and support Community Speedwatch volunteers in "
        "every district.",
        "24",
    ),
    PlanAction(
        35,
        PC,
        OPCC,
        "Strengthen the independent custody visiting scheme and publish an annual report of its findings.",
        "25",
    ),
    PlanAction(
        36,
        PC,
        CJB,
        "Give the public clear information about sentencing and court outcomes, working with the "
        "local media and the magistracy.",
        "25",
    ),
)

# ---------------------------------------------------------------- the updates, period by period

SEPTEMBER: dict[int, Progress] = {
    1: Progress(
        "In progress",
        "A draft prevention strategy has been written and is being tested with neighbourhood and "
        "response inspectors before it goes to the Chief Officer Group in October.",
        "December 2026",
    ),
    2: Progress(
        "Not started",
        "The first statement will cover the 2026/27 financial year and will be prepared once the "
        "year-end accounts are closed and audited.",
        "Summer 2027",
    ),
    3: Progress(
        "In progress",
        "The first two quarterly reports have been presented and are published with the "
        f"{SEB_LINK}. The outcome measures are still being refined with the Constabulary's analysts.",
        "Quarterly",
    ),
    4: Progress(
        "In progress",
        "Three of the five partnerships have adopted the shared problem-solving template. Joint data "
        "sharing agreements are in place in the remaining two, and training for 2026–27 is funded "
        "with £8,000 from the Commissioner's Community Safety Fund.",
        "Spring 2027",
    ),
    5: Progress(
        "In progress",
        "<p>Patrols began in eight of the twelve neighbourhoods in July, guided by the force's harm "
        "index.</p><p>The remaining four neighbourhoods will start once the summer abstractions "
        "end.</p>",
        "Autumn 2026",
    ),
    6: Progress(
        "In progress",
        "The scheme has been commissioned and took its first referrals in June. The evaluation will "
        "look at:<ul><li>reoffending at six and twelve months;</li><li>school attendance;</li>"
        "<li>the views of young people and their families.</li></ul>",
        "Evaluation due Summer 2027",
    ),
    7: Progress(
        "Not started",
        "Funding bids for the market towns will be submitted when the next Safer Streets round "
        "opens, which is expected in the new year.",
        "2027/28",
    ),
    8: Progress(
        "In progress",
        "A sergeant and four constables have been recruited to the rural crime team. Specialist "
        "training on wildlife and heritage crime is under way with partner agencies.",
        "January 2027",
    ),
    9: Progress(
        "In progress",
        "The closure protocol has been agreed by the district councils and the police. A joint "
        "training event for housing officers took place in August.",
        "Autumn 2026",
    ),
    10: Progress(
        "Completed",
        "Target-hardening support is now offered to every repeat victim of burglary. Over 300 homes "
        "have been visited since April, most of them older residents living alone.",
        "",
    ),
    11: Progress(
        "In progress",
        "Twenty-two secondary schools have signed up to the programme. Lesson plans have been "
        "agreed with head teachers and the first sessions begin in the autumn term.",
        "July 2027",
    ),
    12: Progress(
        "Not started",
        "The review will begin once the new Business Crime Partnership coordinator is in post, "
        "which is planned for the end of the year.",
        "Spring 2027",
    ),
    13: Progress(
        "In progress",
        "<p>The tender for the new Victim Care contract closed in August and bids are being "
        "evaluated.</p><p>The new service is due to start on 1 April 2027.</p>",
        "April 2027",
    ),
    14: Progress(
        "In progress",
        "Two additional Independent Sexual Violence Advisers have been funded through the Ministry "
        "of Justice grant. Average waiting times have fallen from nine weeks to six.",
        "March 2027",
    ),
    15: Progress(
        "In progress",
        "A new compliance audit has been built into the crime recording system. The first results "
        "will be reported to the Panel in February.\n"
        "Supervisors now check Victims' Code contact at thirty days.",
        "February 2027",
    ),
    16: Progress(
        "Not started",
        "A review of the Domestic Homicide Review process will be commissioned once the new "
        "statutory guidance has been published by the Home Office.",
        "2027",
    ),
    17: Progress(
        "Not started",
        "Terms of reference for the panel have been drafted with victim support charities and will "
        "be published for comment later this year.",
        "Spring 2027",
    ),
    18: Progress(
        "On hold",
        "Joint commissioning is paused until the County Council's review of its domestic abuse "
        "strategy is complete. Current contracts have been extended for one year.",
        "2027/28",
    ),
    19: Progress(
        "In progress",
        "The proportion of domestic abuse cases charged without victim support has risen for the "
        "third quarter running. Every response officer now carries body-worn video.",
        "Ongoing",
    ),
    20: Progress(
        "In progress",
        "Revised arrangements have been agreed with the relevant partners. Details are reported to "
        "the Panel in Part II because of the risk to the people involved.",
        "Ongoing",
    ),
    21: Progress(
        "In progress",
        "<p>The Crown Court backlog has fallen by 9% since January.</p><p>A joint protocol with "
        "Witness Care now makes sure victims are told of listing changes within one working "
        "day.</p>",
        "Summer 2027",
    ),
    22: Progress(
        "In progress",
        "The first-time acceptance rate for case files rose from 71% to 78% this year. A file "
        "quality team reviews rejected files weekly with the Crown Prosecution Service.",
        "Ongoing",
    ),
    23: Progress(
        "Not started",
        "Work will start once the national framework for out of court resolutions is confirmed. A "
        "working group has been identified.",
        "Spring 2027",
    ),
    24: Progress(
        "On hold",
        "The women's diversion service is on hold while the Ministry of Justice confirms whether "
        "its national funding for women's centres will continue beyond March.",
        "To be confirmed",
    ),
    25: Progress(
        "In progress",
        "The reminder pilot is running at Wessex Crown Court and two magistrates' courts. Early "
        "figures show fewer ineffective trials caused by witnesses not attending.",
        "October 2026",
    ),
    26: Progress(
        "In progress",
        "The refreshed Integrated Offender Management cohort now focuses on neighbourhood crime. "
        "Reoffending rates for the cohort are reported quarterly to the partnership board.",
        "Ongoing",
    ),
    27: Progress(
        "Completed",
        "The performance dashboard is live and is reviewed at every meeting of the Criminal Justice "
        "Board. Partners agreed the measures in March.",
        "",
    ),
    28: Progress(
        "Not started",
        "A scoping paper will be brought to the Commissioner's Strategic Executive Board once the "
        "recommissioning of victim services is complete next spring.",
        "Autumn 2027",
    ),
    29: Progress(
        "Completed",
        "Public meetings have been held in all six districts this year, with over 400 residents "
        "attending in person and many more watching online.",
        "",
    ),
    30: Progress(
        "In progress",
        "Average 101 answer times have fallen to four minutes. Progress so far:\n"
        "• online reporting added for fraud and road traffic incidents\n"
        "• a call-back service for non-urgent calls at busy times\n"
        "• new call handlers recruited for the evening shifts",
        "March 2027",
    ),
    31: Progress(
        "In progress",
        "Scrutiny reports for the first two quarters have been published. The third report, on use "
        "of force, is being drafted.",
        "Quarterly",
    ),
    32: Progress(
        "In progress",
        "The force has run positive action events in five towns. Applications from "
        "under-represented groups have risen by a fifth compared with last year.",
        "Ongoing",
    ),
    33: Progress(
        "Completed",
        "The 2026 survey received 3,100 responses. Results were published by district in July, with "
        "action plans agreed for the three areas of lowest confidence.",
        "",
    ),
    34: Progress(
        "In progress",
        "Forty new Community Speedwatch volunteers have been trained this year. Three districts "
        "still need a local coordinator before schemes can start.",
        "Spring 2027",
    ),
    35: Progress(
        "In progress",
        "Independent custody visitors completed all planned visits this quarter. The annual report "
        "is being written and will go to the Panel in the new year.",
        "January 2027",
    ),
    36: Progress(
        "Not started",
        "Discussions with the magistracy about a programme of court open days will begin after the "
        "autumn sitting schedule is settled.",
        "Spring 2027",
    ),
}

# October: what changed since September (anything not listed is reported again unchanged)
OCTOBER_CHANGES: dict[int, Progress] = {
    1: Progress(
        "In progress",
        "The Chief Officer Group approved the draft prevention strategy in October. It will be "
        "launched to all staff in December, with a briefing for neighbourhood teams first.",
        "December 2026",
    ),
    2: Progress(
        "In progress",
        "Work on the first precept statement has started with the Chief Finance Officer. It will set "
        "out spending for 2026/27 against each priority of the plan.",
        "Summer 2027",
    ),
    5: Progress(
        "Complete",
        "<p>Hot spots patrols now run in all twelve neighbourhoods.</p><p>Serious violence in the "
        "patrolled areas fell by 14% in the first three months, and the approach is now part of "
        "everyday neighbourhood policing.</p>",
        "",
    ),
    6: Progress(
        "In progress",
        "Forty-one young people have been referred to the scheme since June. The evaluation will "
        "look at:<ul><li>reoffending at six and twelve months;</li><li>school attendance;</li>"
        "<li>the views of young people and their families.</li></ul>",
        "Evaluation due Summer 2027",
    ),
    9: Progress(
        "Completed",
        "The county lines and cuckooing protocol is in use across all five districts. Eleven "
        "properties were closed under the protocol in its first quarter, with £12,500 of Home Office "
        "funding for follow-up support.",
        "",
    ),
    13: Progress(
        "In Progress",
        "<p>Bids for the new Victim Care contract have been evaluated and a preferred provider has "
        "been chosen.</p><p>The new service is due to start on 1 April 2027.</p>",
        "April 2027",
    ),
    14: Progress(
        "In progress",
        "Two additional Independent Sexual Violence Advisers are now in post. Average waiting times "
        "have fallen from nine weeks to five, and a third adviser post is being advertised.",
        "March 2027",
    ),
    16: Progress(
        "not started",
        "The Home Office has not yet published the new statutory guidance – work will be "
        "commissioned as soon as it is available.",
        "2027",
    ),
    17: Progress(
        "In Progress",
        "The Victims' Voice panel met for the first time in October with nine members. It will "
        "review the new Victim Care service specification at its next meeting.",
        "Spring 2027",
    ),
    23: Progress(
        "On hold",
        "Paused until the Ministry of Justice publishes the national framework for out of court "
        "resolutions, now expected in the spring.",
        "To be confirmed",
    ),
    25: Progress(
        "Completed.",
        "The reminder pilot ended in October. Trials that could not go ahead because a witness did "
        "not attend fell by a quarter, and the service will continue at all courts in Wessex.",
        "",
    ),
    26: Progress(
        "In progress",
        "The Integrated Offender Management cohort now focuses on neighbourhood crime. Reoffending "
        "for the cohort is 18% lower than for a matched group, and is reported to the board "
        "every quarter.",
        "Ongoing",
    ),
    31: Progress(
        "Completed",
        "All four quarterly scrutiny reports for this year have been published at "
        f"{SCRUTINY_URL}. Scrutiny continues as part of the Commissioner's business as usual.",
        "",
    ),
    35: Progress(
        "On hold",
        "Recruitment of new custody visitors is paused while the national guidance on vetting is "
        "revised. The annual report will be published once the review is finished.",
        "To be confirmed",
    ),
    36: Progress(
        "In progress",
        "The first court open day was held at Wessex Magistrates' Court in October. A quarterly "
        "media briefing on sentencing is being agreed with the local press.",
        "Spring 2027",
    ),
}

# The Criminal Justice Board's extra row in October: an update on an action it does not lead.
CJB_ON_ACTION_22 = Progress(
    "In progress",
    "The Board's case file quality subgroup reviews a sample of rejected files each month and shares the "
    "learning with the Constabulary and the Crown Prosecution Service.",
    "Ongoing",
)

ACTION_14_AS_OPCC_WROTE_IT = (
    "Increase the number of Independent Sexual Violence Advisors so that waiting times for support "
    "fall under four weeks."
)

OCTOBER_LEFT_OUT = {8}  # Wessex Police forgot action 8 in its October return
OCTOBER_NO_RETURN = {WCC}  # Wessex County Council sent no return in October


def october() -> dict[int, Progress]:
    return {
        ref: OCTOBER_CHANGES.get(ref, progress)
        for ref, progress in SEPTEMBER.items()
        if ref not in OCTOBER_LEFT_OUT
    }


# ---------------------------------------------------------------- settings and narrative

REPORTGEN_TOML = """\
# Example workspace: the (fictional) Wessex OPCC's Safer Wessex Plan 2025–2030.
# Written by scripts/make_example.py: change that script, then run `make example`.

[paper]
meeting = "Police and Crime Panel"
# the Panel's meetings: a paper goes to the first one after its period ({date} below)
meetings = [2026-09-03, 2026-11-05, 2027-01-14, 2027-03-11]
# {period:…} and {date:…} follow the period and its meeting (strftime codes)
title = "Safer Wessex Plan: Delivery Update ({period:%B %Y})"
subtitle = "Report for the Wessex Police and Crime Panel, {date:%B %Y}"
submitted_by = "Jo Harding, Head of Strategy and Partnerships, Wessex OPCC"
purpose = "To update the Police and Crime Panel on the delivery of the actions in the \
Police and Crime Commissioner's Safer Wessex Plan 2025–2030."
decisions_required = "The Panel is asked to note the report."
financial_implications = "None arising from this report; the actions are funded within the 2026/27 budget."
risk_implications = "Actions that are on hold or not started are reviewed monthly by the OPCC's \
Strategic Executive Board."
legal_implications = "None identified"
equalities_impacts = "None identified from this report; equality impacts are assessed \
for each action as it is delivered."
foi_exemption = "Not Exempt"
restricted_foi_exemption = "Exempt: Schedule 12A to the Local Government Act 1972, paragraph 7 (Part II)"
narrative = "narrative.md"

[returns]
# returns are due 12 days before the meeting their period's paper goes to (October: 24 October 2026)
days_before_meeting = 12

# Who each lead partner is by email (names as in the register; example.org addresses reach nobody).
[partners."Wessex Police"]
emails = ["performance@wessex-police.example.org"]

[partners."OPCC"]
emails = ["strategy@wessex-pcc.example.org"]

[partners."Community Safety Partnership"]
emails = ["csp.coordinator@wessex-council.example.org"]

[partners."Criminal Justice Board"]
emails = ["lcjb@wessex-cjb.example.org", "lcjb.deputy@wessex-cjb.example.org"]

[partners."Wessex County Council"]
emails = ["community.safety@wessex-council.example.org"]

# The mail round trip: `reportgen send-returns|chase|collect --period 2026-10 --dry-run` writes the
# messages to outputs/2026-10/mail/outbox/ without a server. The login comes from the environment
# (REPORTGEN_MAIL_USER, REPORTGEN_MAIL_PASSWORD or REPORTGEN_MAIL_OAUTH_TOKEN), never from this file.
[mail]
from_address = "returns@wessex-pcc.example.org"
from_name = "Wessex OPCC Strategy and Partnerships"
smtp = { host = "smtp.wessex-pcc.example.org", tls = "starttls" }
imap = { host = "imap.wessex-pcc.example.org", tls = "tls" }
"""

NARRATIVE_MD = """\
# Safer Wessex Plan: Delivery Update

This paper updates the Panel on the {{ total | plural("action") }} in the Police and Crime Commissioner's
[Safer Wessex Plan 2025–2030](https://www.wessex-pcc.example.gov.uk/plan), using the lead partners'
returns for the reporting period {{ period }}.

Of the {{ total | plural("action") }} in the plan:

- {{ counts["Completed"] | plural("action is", "actions are") }} 'Completed'
- {{ counts["In progress"] | plural("action is", "actions are") }} 'In progress'
- {{ counts["Not started"] | plural("action has", "actions have") }} 'Not started'
- {{ counts["On hold"] | plural("action is", "actions are") }} 'On hold'
{%- if no_status %}
- {{ no_status | plural("action has", "actions have") }} no update this period
{%- endif %}
{%- if not_recognised %}
- {{ not_recognised | plural("action has", "actions have") }} a status left empty or not recognised
{%- endif %}
{% if carried_forward %}
Of these, {{ carried_forward | plural("action") }} had no update this period: the paper shows the status last reported.
{% endif %}
Actions that are on hold are reviewed each month at the Commissioner's Strategic Executive Board, which
agrees with the lead partner when work can restart.

The full delivery plan follows, grouped by the four sections of the plan.
"""


# ---------------------------------------------------------------- writers


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def workbook_bytes(wb: Workbook, when: dt.datetime) -> bytes:
    """The workbook as .xlsx bytes that depend only on its content: fixed dates inside and in the zip."""
    wb.properties.creator = "Wessex OPCC (example)"
    wb.properties.lastModifiedBy = "Wessex OPCC (example)"
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    wb.save(raw)  # openpyxl stamps "modified" with the time of saving: put ours back below
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def style_table(ws: Worksheet, heading_row: int, widths: Sequence[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[chr(ord("A") + col - 1)].width = width
        ws.cell(row=heading_row, column=col).font = Font(bold=True)
    for row in ws.iter_rows(min_row=heading_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(row=heading_row + 1, column=1)


def register_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Register"
    ws.append(REGISTER_HEADINGS)
    for a in ACTIONS:
        ws.append([a.ref, a.section or None, a.lead, a.text, a.page, a.exempt or None])
    style_table(ws, 1, (10, 20, 28, 80, 12, 9))
    return wb


def return_rows(lead: str, updates: dict[int, Progress], period: str) -> list[list[object]]:
    """The rows a lead partner sends: its own actions, with this period's quirks."""
    rows: list[list[object]] = []
    for a in ACTIONS:
        if a.lead != lead or a.ref not in updates:
            continue
        p = updates[a.ref]
        ref: object = a.ref
        text = a.text
        if lead == POLICE and a.ref == 12:
            ref = "12.0"  # exported from the force's tracker as text
        if lead == OPCC and a.ref == 14:
            ref = " 14 "  # typed with spaces
            if period == "2026-10":
                text = ACTION_14_AS_OPCC_WROTE_IT
        if lead == CSP and a.ref == 16:
            ref = "16.0"
        rows.append([ref, text, p.status, p.explanation, p.timeframe])
    if lead == CJB and period == "2026-10":
        by_ref = {a.ref: a for a in ACTIONS}
        p = CJB_ON_ACTION_22
        rows.append([22, by_ref[22].text, p.status, p.explanation, p.timeframe])
    return rows


def xlsx_return(lead: str, rows: Iterable[list[object]], period: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    month = dt.date.fromisoformat(period + "-01").strftime("%B %Y")
    heading_row = 1
    if lead == OPCC:
        ws.title = "Instructions"
        for line in (
            "Safer Wessex Plan 2025–2030: partner return",
            f"Please complete the 'Return' sheet for {month} and send it to the OPCC by the deadline.",
            "Choose one status for each action: Completed, In progress, Not started or On hold.",
            "Explain what has happened this period, and link to meeting papers where you can.",
        ):
            ws.append([line])
        ws.column_dimensions["A"].width = 100
        ws = wb.create_sheet("Return")
    else:
        ws.title = "Return"
    if lead == POLICE:
        ws.append([f"{lead}: Safer Wessex Plan return"])
        ws.append([f"Reporting period: {month}"])
        ws["A1"].font = Font(bold=True, size=14)
        heading_row = 3
    ws.append(RETURN_HEADINGS)
    for row in rows:
        ws.append([value if value != "" else None for value in row])
    style_table(ws, heading_row, (10, 60, 18, 80, 22))
    return workbook_bytes(wb, RETURN_DATES[period])


def csv_return(rows: Iterable[list[object]]) -> bytes:
    """As Excel on Windows saves "CSV": Windows-1252, CRLF line ends."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(RETURN_HEADINGS)
    for row in rows:
        writer.writerow(row)
    return text.getvalue().encode("cp1252")


def write_workspace(out: Path) -> list[Path]:
    written: list[Path] = []

    def put(rel: str, data: bytes) -> None:
        write_atomic(out / rel, data)
        written.append(out / rel)

    put("reportgen.toml", REPORTGEN_TOML.encode("utf-8"))
    put("narrative.md", NARRATIVE_MD.encode("utf-8"))
    put("inputs/register.xlsx", workbook_bytes(register_workbook(), REGISTER_DATE))

    for period, updates in (("2026-09", SEPTEMBER), ("2026-10", october())):
        folder = out / "inputs" / "returns" / period
        folder.mkdir(parents=True, exist_ok=True)
        for old in sorted(folder.iterdir()):
            if old.is_file() and old.suffix.lower() in (".xlsx", ".csv"):
                old.unlink()
        for lead in LEADS:
            if period == "2026-10" and lead in OCTOBER_NO_RETURN:
                continue
            rows = return_rows(lead, updates, period)
            rel = f"inputs/returns/{period}/{slug(lead)}"
            if lead == CSP:
                put(rel + ".csv", csv_return(rows))
            else:
                put(rel + ".xlsx", xlsx_return(lead, rows, period))
    put(f"inputs/mail/2026-10/{slug(WCC)}-reply.eml", late_reply())
    return written


def late_reply() -> bytes:
    """Wessex County Council's October return, emailed after the deadline with one status the partner
    made up ("Nearly there"), as a mail program saves it: for `reportgen collect --dry-run --from-folder`."""
    rows = return_rows(WCC, SEPTEMBER, "2026-10")
    rows[0][2] = "Nearly there"
    message = EmailMessage(policy=email_policy.default.clone(max_line_length=998))
    # topmost, as our mail server writes it: when the return reached us (what decides whether it is late)
    message["Received"] = ("from mail.wessex-council.example.org by mx.wessex-pcc.example.org; "
                           "Tue, 27 Oct 2026 16:41:07 +0000")
    message["From"] = "Wessex County Council Community Safety <community.safety@wessex-council.example.org>"
    message["To"] = "returns@wessex-pcc.example.org"
    message["Subject"] = "RE: Return for October 2026: please reply by 24 October 2026 [reportgen 2026-10]"
    message["Date"] = "Tue, 27 Oct 2026 16:40:00 +0000"
    message["Message-ID"] = "<wcc-october-return@wessex-council.example.org>"
    message.set_content("Hello,\n\nApologies for the delay: our return is attached.\n\nCommunity Safety Team\n")
    message.add_attachment(xlsx_return(WCC, rows, "2026-10"), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           filename="WCC return October 2026.xlsx")
    message.set_boundary("=_reportgen-example-reply")  # the same bytes on every run
    return bytes(message).replace(b"\n", b"\r\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT, help="workspace folder (default: the repo root)")
    args = parser.parse_args(argv)
    out: Path = args.out
    for path in write_workspace(out):
        print(path.relative_to(out) if path.is_relative_to(out) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
