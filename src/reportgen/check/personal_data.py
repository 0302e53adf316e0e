"""What in the words a paper prints looks like personal data, before it is published (a return's, the register's,
the narrative's and the cover sheet's): a named officer or person
with a title ("DS Jane Smith"), a personal email address, a mobile or direct phone number, a victim's initials with
an age, an age with a place, a vehicle registration, a case or crime reference, a National Insurance number, a date
of birth, a house number and street, a full postcode.

Careful patterns, not a guess at every name: an organisation's inbox (enquiries@, opcc@, a team's), a freephone or
03 number, a landline said to be an organisation's ("the council's switchboard on 0161 …"), a councillor, a named
office holder ("Dr Amie Birkhamshaw, Assistant Chief Executive"), an organisation or campaign named after a person
("Dr Barnardo's", "the Mr Motivator campaign"), a year range ("2022/23"), a page range ("56- 57"), a date, money
or a statute ("section 31 of the Crime and Disorder Act 1998") is not said. A bare name with no title is found only
just before a personal email address or phone number ("contact Priya Shah on 07700 900123"), so it adds no warning
of its own; elsewhere ("Jane Smith will lead") it cannot be told from a team's or a place's name by its look. Reads
no files and writes none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from reportgen.issues import Issue, issue
from reportgen.model import MergedAction, MergedRegister, PartnerReturn, Register, Update, UpdateState
from reportgen.wording import listed, quoted


@dataclass(frozen=True)
class Finding:
    kind: str  # what it looks like, as a sentence names it: "an email address"
    text: str  # as written


_TAG = re.compile(r"<[^>]*>")
_WEB_ADDRESS = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)  # a link's digits are no phone number
_MAILTO = re.compile(r"mailto:([^\"'>\s?]+)", re.IGNORECASE)

_EMAIL = re.compile(r"(?<![\w.+'-])[A-Za-z0-9][\w.+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# an inbox named for what it is for, not whom: its local part holds one of these (as a word, or within it)
_ROLE_WORDS = frozenset({"pcc", "opcc", "hr", "foi", "it", "ccsu", "csp", "cjb", "lcjb", "asb", "ioc", "sar"})
_ROLE_STEMS = ("enquir", "info", "contact", "admin", "office", "team", "unit", "inbox", "mailbox", "service",
               "support", "help", "reception", "secretariat", "panel", "commission", "comms", "communication", "press",
               "media", "complaint", "feedback", "referral", "safeguard", "partnership", "board", "finance", "reply",
               "booking", "training", "governance", "democratic", "victim", "witness", "general", "customer",
               "department", "desk", "hub", "police", "council", "policy", "performance", "project", "programme",
               "return", "strategy", "prevention", "control", "clerk", "bounce", "fire", "post", "lead", "perfformiad",
               "biuro")

# a UK number: +44 or 0, then ten digits grouped as people write them ("(01707) 354 200", "07700-900123")
_PHONE = re.compile(r"(?<![\w/.,£$€:-])(?:\+44\s?(?:\(0\)\s?)?\(?|\(?0)\d[\d ()-]{7,14}\d(?![\w/-]|[.,]\d)")
# a number said to be an organisation's own line, in the words just before it or in brackets after it
_ORGANISATION_LINE = re.compile(r"\b(?:switchboard|main\s+(?:line|number|office)|reception|help\s?line|enquiries|"
                                r"customer\s+services?|contact\s+centre|council|constabulary|police|OPCC|office|"
                                r"headquarters|HQ)\b[^.;!?\d]{0,40}$", re.IGNORECASE)
_LINE_AFTER = re.compile(r"\s*\((?:switchboard|main\s+line|reception|helpline)\)", re.IGNORECASE)
# 03, 05 and 08 numbers are an organisation's, not a person's
_PHONE_KINDS = {"07": "a mobile number", "01": "a phone number", "02": "a phone number"}

# a councillor is a named public office holder, whom Panel papers name as a matter of course: not a title here
_TITLE = (r"(?:Det(?:ective)?\.?\s+(?:Chief\s+)?(?:Sergeant|Constable|Inspector|Superintendent)|Chief\s+Inspector|"
          r"DCI|DCS|DSI|DS|DC|DI|PCSO|PC|PS|Sgt|Insp|Inspector|Sergeant|Supt|Superintendent|Mrs|Mr|Ms|Miss|Mx|Dr)")
_NAME_WORD = r"(?:[A-Z]')?[A-Z][a-z]+(?:-[A-Z][a-z]+)*"  # "Smith", "O'Brien", "Lloyd-Jones"
_NAMED = re.compile(rf"\b{_TITLE}\.?\s+(?:\d{{2,5}}\s+)?({_NAME_WORD})(?:\s+({_NAME_WORD}))?\b")
# capitalised words after a title that name a role, a team or a sentence's next word, not a person
_NOT_NAMES = frozenset({"The", "And", "Of", "For", "To", "In", "On", "At", "With", "Please", "Team", "Teams", "Lead",
                        "Leads", "Unit", "Role", "Roles", "Post", "Posts", "Rank", "Ranks", "Network", "Programme",
                        "Training", "Course", "Officer", "Officers", "Level", "Grade", "Board", "Group", "Meeting",
                        "Development", "Promotion", "Process", "Exam", "Exams", "Report", "Review", "Service"})

# a title and a name that name an organisation, a campaign or a character, not a person the paper identifies
_NOT_PEOPLE = frozenset({"Dr Barnardo", "Mr Motivator", "Dr Foster", "Dr Martens", "Mr Men", "Dr Who"})
# what follows a title and a name that makes them a thing's name ("the Mr Motivator campaign", "Dr Barnardo's Homes")
_EPONYM = re.compile(r"(?:['’]s)?\s+(?:campaign|programme|scheme|initiative|principles|model|awards?|trust|foundation|"
                     r"fund|charity|homes?|project|lecture)\b", re.IGNORECASE)
# a name followed by the public office it holds ("Dr Amie Birkhamshaw, Assistant Chief Executive")
_OFFICE = re.compile(r",\s+(?:the\s+)?(?:(?:Deputy|Assistant|Temporary)\s+)?(?:Chief\s+Executive|Chief\s+Constable|"
                     r"(?:Police\s+(?:and|&)\s+Crime\s+)?Commissioner|PCC|Director|Chair|Mayor|Leader|Executive\s+Member|"
                     r"MP|Minister)\b")

_VEHICLE = re.compile(r"\b[A-Z]{2}[0-9]{2}\s?[A-Z]{3}\b"
                      r"|(?<=\b(?:VRM|reg|Reg)\s)[A-Z][0-9]{1,3}\s?[A-Z]{3}\b"
                      r"|(?i:\b(?:registration|vehicle|car|van)\s+(?:number\s+|no\.?\s+|plate\s+)?)[A-Z][0-9]{1,3}\s?[A-Z]{3}\b")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s?[0-9][ABD-HJLNP-UW-Z]{2}\b")
_STREETS = r"Road|Street|Avenue|Close|Lane|Drive|Gardens|Crescent|Grove|Terrace|Mews|Way"
_ADDRESS = re.compile(rf"(?<![\d,.£/-])\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][a-z']+\s+){{1,3}}(?:{_STREETS})\b")
_INITIALS_AGE = re.compile(r"(?<![=(,+*/-])\b[A-Z]{2,3}\s*\(\s*(?:aged\s*)?\d{1,2}\s*\)"
                           r"|\b[A-Z]\.?\s?[A-Z]\.?,?\s+(?:aged|age)\s+\d{1,2}\b"
                           r"|\binitials\s+[A-Z]\.?\s?[A-Z]\b\.?")
_AGE_PLACE = re.compile(r"(?<![\d-])\b(?:aged\s+\d{1,2}|\d{1,2}[- ]year[- ]old)(?![\w-])[^.;:]{0,40}?"
                        r"\b(?:from|of|in|living in|lives in)\s+[A-Z][a-z]+")
_CRIME_REF = re.compile(r"\b\d{2}/\d{4,6}/\d{2}\b|\b\d{2}[A-Z]{2}\d{7,9}\b|\bCAD\s*(?:no\.?\s*)?\d{3,}\b"
                        r"|(?i:\b(?:crime|case|incident|occurrence|CAD|URN|PNC|log)\s+(?:ref(?:erence)?|no|number)?"
                        r"\.?\s*(?:no\.?|number)?\s*:?\s*)(?=[A-Z0-9/-]*\d[A-Z0-9/-]*\d[A-Z0-9/-]*\d[A-Z0-9/-]*\d)"
                        r"(?!\d{4}(?:/\d{2}|-\d{2,4})?\b)[A-Z0-9][A-Z0-9/-]{4,}")
_NI_NUMBER = re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
_BIRTH = re.compile(r"(?i:\b(?:DOB|D\.O\.B\.?|date of birth|born(?: on)?)\b)[:\s]*\d{1,2}[/. -]\w{2,9}[/. -]\d{2,4}")

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a date of birth", _BIRTH),
    ("a National Insurance number", _NI_NUMBER),
    ("a case or crime reference", _CRIME_REF),
    ("a vehicle registration", _VEHICLE),
    ("a victim's initials or age", _INITIALS_AGE),
    ("an age and a place", _AGE_PLACE),
    ("a house number and street", _ADDRESS),
    ("a postcode", _POSTCODE),
)


def personal_data(text: str) -> list[Finding]:
    """What in `text` looks like personal data, in the order it is written, each once: findings that overlap are
    said as one ("JS, aged 34, of Hitchin"), as the first of them."""
    mailto = [found.group(1) for found in _MAILTO.finditer(text)]
    plain = _WEB_ADDRESS.sub(" ", _TAG.sub(" ", text)) + " " + " ".join(mailto)
    details = [*_emails(plain), *_phones(plain)]
    found = [*details, *_named(plain), *_named_beside(plain, details)]
    found += [(match.start(), match.end(), kind) for kind, pattern in _PATTERNS for match in pattern.finditer(plain)]
    spans: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(found):
        if spans and start < spans[-1][1]:
            first_start, first_end, first_kind = spans[-1]
            spans[-1] = (first_start, max(end, first_end), first_kind)
        else:
            spans.append((start, end, kind))
    said_once = dict.fromkeys(Finding(kind, " ".join(plain[start:end].split())) for start, end, kind in spans)
    return list(said_once)


Span = tuple[int, int, str]  # where in the text, and what it looks like


def _emails(text: str) -> Iterator[Span]:
    for match in _EMAIL.finditer(text):
        address = match.group().rstrip(".'")
        words = re.split(r"[._+'-]+", address.partition("@")[0].lower())
        if not any(word in _ROLE_WORDS or any(stem in word for stem in _ROLE_STEMS) for word in words):
            yield match.start(), match.start() + len(address), "an email address"


def _named(text: str) -> Iterator[Span]:
    for match in _NAMED.finditer(text):
        first, second = match.group(1), match.group(2)
        if first in _NOT_NAMES:
            continue
        end = match.end(1) if second is None or second in _NOT_NAMES else match.end(2)
        named = " ".join(text[match.start():end].split())
        if any(named.startswith(name) for name in _NOT_PEOPLE) or _EPONYM.match(text, end) or _OFFICE.match(text, end):
            continue
        yield match.start(), end, "a named person"


# a name with no title, said only where it is given with a person's own email address or phone number ("contact Priya
# Shah on 01707 354218", "Tom Reed (tom.reed@…)"): two or three capitalised words just before it
_BESIDE = re.compile(rf"((?:{_NAME_WORD}\s+){{1,3}}{_NAME_WORD})(?:\s+(?:on|at|via)|\s*[,(:-])?\s*$")
# words that begin a sentence or name a team, a place or an organisation, not a person, before a contact detail (and
# those that are no name after a title)
_NOT_BARE_NAMES = frozenset({"Contact", "Call", "Ring", "Phone", "Text", "Email", "Ask", "Speak", "Write", "Please",
                             "Or", "Mobile", "Tel", "Police", "Council", "Constabulary", "Team", "Unit", "Service",
                             "Services", "Office", "Hub", "Help", "Helpline", "Support", "Line", "Centre", "Trust",
                             "Desk", "Commissioner", "Board", "Partnership", "Care", "Victim", "Victims", "Herts",
                             "County", "District", "Borough", "City", "Safety", "Community", "Reception", "Main",
                             "University", "College", "School", "Hospital", "Foundation", "Charity", "Project",
                             "Programme", "Court", "Courts", "Prison", "Probation", "Health", "Fire", "Rescue"}) \
    | _NOT_NAMES


def _named_beside(text: str, details: Sequence[Span]) -> Iterator[Span]:
    for start, _end, _kind in details:
        match = _BESIDE.search(text, max(0, start - 60), start)
        if match is None:
            continue
        words = match.group(1).split()
        while words and words[0] in _NOT_BARE_NAMES:
            words.pop(0)
        if len(words) >= 2 and not any(word in _NOT_BARE_NAMES for word in words):
            name_start = match.end(1) - len(" ".join(words))
            if text[name_start:match.end(1)] == " ".join(words):  # single spaces: said as written
                yield name_start, match.end(1), "a named person"


def _phones(text: str) -> Iterator[Span]:
    for match in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        national = "0" + digits[2:].removeprefix("0") if digits.startswith("44") else digits
        kind = _PHONE_KINDS.get(national[:2])
        if not kind or len(national) not in (10, 11):
            continue
        if kind != "a mobile number" and (_ORGANISATION_LINE.search(text, max(0, match.start() - 60), match.start())
                                          or _LINE_AFTER.match(text, match.end())):
            continue  # a landline said to be an organisation's; a mobile is a person's wherever it is said
        number = match.group().rstrip()
        start = match.start() + (1 if number.startswith("(") and ")" not in number else 0)  # "(07712 345678)"
        yield start, match.start() + len(number), kind


def said(findings: Sequence[Finding]) -> str:
    """"a named person 'DS Jane Smith' and a mobile number '07700 900123'"."""
    return listed([f"{finding.kind} {quoted(finding.text)}" for finding in findings])


# the fields of a return's row the paper prints, by the column key its heading is read as
PRINTED = (("status", "status_as_written"), ("explanation", "explanation"), ("timeframe", "timeframe"))


def personal_data_issues(returns: Sequence[PartnerReturn], merged: MergedRegister,
                         default_headings: Mapping[str, str]) -> list[Issue]:
    """A warning for each cell of this period's returns that the paper publishes (a published action's update,
    used by the merge) holding what looks like personal data: the file, sheet, row, the heading as the partner wrote
    it, and what was found; and each carried forward from an earlier period, published again. An exempt action's is
    not published, so not said."""
    used = {(item.reported_file, item.reported_row) for item in merged.actions
            if item.state is UpdateState.UPDATED and not item.action.exempt}
    issues = []
    for partner_return in returns:
        for update in partner_return.updates:
            if (update.file, update.row) in used:
                issues += _update_issues(partner_return, update, default_headings)
    return issues + [found for item in merged.actions if item.state is UpdateState.CARRIED_FORWARD
                     and not item.action.exempt for found in _carried_issues(item)]


def _carried_issues(item: MergedAction) -> list[Issue]:
    """A carried-forward status or update holding personal data: the paper publishes it again this period, though
    no return of it says so. Where it was reported (the earlier return's file, sheet and row) when known, else the
    draft it was carried from; no column, as the heading the earlier return wrote is not kept (the message names the
    field)."""
    issues = []
    for key, attribute in PRINTED:
        text = str(getattr(item, attribute))
        findings = personal_data(text) if text else []
        if findings:
            issues.append(issue("personal-data", "carried", found=said(findings), field=key,
                                source=item.reported_file or item.carried_from, file=item.reported_file,
                                sheet=item.reported_sheet, row=item.reported_row or None, value=text, ref=item.ref))
    return issues


def _update_issues(partner_return: PartnerReturn, update: Update, default_headings: Mapping[str, str]) -> list[Issue]:
    issues = []
    for key, attribute in PRINTED:
        text = str(getattr(update, attribute))
        findings = personal_data(text) if text else []
        if findings:
            issues.append(issue("personal-data", found=said(findings), file=update.file, sheet=update.sheet,
                                row=update.row, column=partner_return.heading(key, default_headings.get(key, key)),
                                value=text, ref=update.ref))
    return issues


def register_personal_data(register: Register) -> list[Issue]:
    """A warning for each cell of the register that every paper prints (a published action's text, section, lead,
    plan page or extra column) holding what looks like personal data: the register's file, sheet, row and the
    heading as it writes it. An exempt action's is not published, so not said."""
    headings = dict(register.headings)
    issues = []
    for action in register.actions:
        if action.exempt or action.ref in register.exempt_refs:
            continue
        cells = [("action", action.text), ("section", action.section), ("lead", action.lead), ("page", action.page),
                 *action.extra]
        for key, text in cells:
            findings = personal_data(text) if text else []
            if findings:
                issues.append(issue("personal-data", "register", found=said(findings), file=register.path,
                                    sheet=register.sheet, row=action.row, column=headings.get(key, key), value=text,
                                    ref=action.ref))
    return issues


def narrative_personal_data(source: str, display: str) -> list[Issue]:
    """A warning for each line of the narrative, as written, holding what looks like personal data: every edition
    prints the narrative."""
    issues = []
    for number, line in enumerate(source.splitlines(), start=1):
        findings = personal_data(line)
        if findings:
            issues.append(issue("personal-data", "narrative", found=said(findings), file=display, row=number,
                                value=line.strip()))
    return issues


def cover_personal_data(rows: Sequence[tuple[str, str, str]], file: str, author: str = "") -> list[Issue]:
    """A warning for each cover-sheet row, as (key, heading, value) the paper prints it, holding what looks like
    personal data; the row `author` names (the paper's author: "Dr Amie Birkhamshaw, Assistant Chief Executive")
    is a person's name by design, so only what else it holds is said."""
    issues = []
    for key, heading, text in rows:
        findings = [finding for finding in personal_data(text)
                    if not (key == author and finding.kind == "a named person")]
        if findings:
            issues.append(issue("personal-data", "cover", found=said(findings), heading=quoted(heading), file=file,
                                column=key, value=text))
    return issues
