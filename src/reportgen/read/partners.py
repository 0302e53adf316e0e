"""Which lead partner a return file belongs to, from its name: one rule for the build and for mail.

`match_partner` decides for one file name (the returns folder, and the email helper deciding where a
saved attachment goes); `assign_returns` applies it to a period's files: one return per partner,
the newest when a partner sent several versions. It reads file names and times only, never contents:
what a workbook says of itself (the period and the lead it was made for) comes from its callers.

Matching, in order: the name `reportgen returns` gave the lead's workbook (`workbook_names`: the names we
give are the names we match, so a workbook we made, or a CSV saved from it, is read as the return of the
partner we made it for even when two leads' names make one file name); then the `[partners."Lead"] files`
patterns of reportgen.toml (globs, case-insensitive); then, for leads without patterns, the name with case,
punctuation, possessives ("Council's"), copy marks ("(1)", "- Copy", and a synced folder's: "(Jo Bloggs's
conflicted copy)", "-DESKTOP-4F2K"), dates and words such as "return" ignored,
and plurals ("Councils") too when nothing fits the name as written. A name that fits several leads is
ambiguous: reported, never guessed (its issue names the workbook names that would tell them apart). A name
that fits none is read all the same; whose return it is then follows from the rows of it the merge uses
(`reportgen.check.checked.return_files`), never from its name.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.issues import Issue, issue
from reportgen.periods import period_label
from reportgen.settings import PartnerSettings
from reportgen.wording import composed

ENGLISH_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                  "october", "november", "december")
# a Welsh force's returns are named in Welsh too ("Tŷ Diogel – Rhagfyr.xlsx")
WELSH_MONTHS = ("ionawr", "chwefror", "mawrth", "ebrill", "mai", "mehefin", "gorffennaf", "awst", "medi", "hydref",
                "tachwedd", "rhagfyr")
MONTHS = (*ENGLISH_MONTHS, "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
          *WELSH_MONTHS)


def month_number(word: str) -> int | None:
    """1 to 12 for a month's name, English or Welsh, or its English abbreviation ('nov', 'rhagfyr'); else None."""
    if word in WELSH_MONTHS:
        return WELSH_MONTHS.index(word) + 1
    return next((number for number, name in enumerate(ENGLISH_MONTHS, 1)
                 if word in MONTHS and name.startswith(word[:3])), None)


# words partners add around their name in a file name: "CJB Return Oct 2026 FINAL v2 (1).xlsx",
# "OPCC return (late).xlsx", "Revised CJB submission.xlsx";
# "and" too: "Health & Wellbeing Board" is saved as health-wellbeing-board.xlsx (the & dropped)
NOISE_WORDS = frozenset({"return", "returns", "update", "updates", "final", "draft", "copy", "of", "for", "and",
                         "the", "delivery", "plan", "partner", "progress", "report", "v", *MONTHS,
                         "late", "revised", "amended", "corrected", "resubmitted", "resubmission", "submission",
                         "latest",
                         # a Welsh force's partners name them in Welsh too: "Ffurflen Cyngor Sir Powys - Hydref.csv"
                         # (return, form), "Diweddariad …" (update), "Ymateb …" (reply)
                         "ffurflen", "ffurflenni", "diweddariad", "diweddariadau", "ymateb", "ymatebion",
                         "xlsx", "xlsm", "xls", "csv"})  # a name saved with its extension twice: opcc.xlsx.xlsx
_COPY_MARK = re.compile(r"\(\d+\)|\bcopy\b|\bv\d+\b|\bversion\s*\d+\b")
_DATE = re.compile(r"\b\d{1,4}([-_. /]\d{1,2}){1,2}\b|\b\d{6,8}\b|\b(19|20)\d\d\b")
# a month run together with a day or year: "Return_Mar27", "oct2026", "27Oct", "1oct26"
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_DATE = re.compile(rf"\b\d{{0,2}}(?:{_MONTH})\d{{2,4}}\b|\b\d{{1,2}}(?:{_MONTH})\b")
_COPY_NUMBER = re.compile(r"\((\d+)\)")


MAX_NAME_CHARS = 100  # a file name fits every filesystem's 255 bytes even in a non-Latin script


# Latin letters that are no letter and an accent, so dropping accents leaves them: each as a person writes it in
# plain letters ('Łódź' -> 'Lodz', 'Søren' -> 'Soren')
_PLAIN = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ı": "i",
                        "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe",
                        "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"})


def plain_letters(text: str, every_letter: bool = True) -> str:
    """`text` with each Latin letter as its plain letter ('Tŷ' -> 'Ty', 'Łódź' -> 'Lodz', 'Țara' -> 'Tara'),
    other scripts kept: the one way a lead's name is made a file name's, for its workbook and its mail alike.
    Not `every_letter`: accents dropped only ('Łódź' -> 'Łodz'), as workbooks were named before, to know them."""
    letters = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return letters.translate(_PLAIN) if every_letter else letters


def slug(text: str, every_letter: bool = True) -> str:
    """'Wessex Police' -> 'wessex-police'; each letter plain ('Société' -> 'societe', 'Łódź' -> 'lodz'), other
    scripts kept ('Полиция' -> 'полиция'): a file name a person can read, for any lead name. Not `every_letter`:
    the name workbooks were given before ł and its like were made plain (`plain_letters`)."""
    return re.sub(r"[\W_]+", "-", plain_letters(text, every_letter).casefold()).strip("-")


def workbook_names(leads: Sequence[str], every_letter: bool = True) -> tuple[dict[str, str], list[Issue]]:
    """A unique, readable file name per lead: its slug (`lead-N` when the name has no letters or digits);
    a second lead whose name makes the same file name gets `-2` and an issue saying how to match it.

    The one naming rule: `reportgen returns`, `send-returns` and `collect` name a lead's files by it, and
    `match_partner` reads a file so named as that lead's (given the register's leads in register order).
    Not `every_letter`: the names given before each letter was made plain (`slug`)."""
    names: dict[str, str] = {}
    issues: list[Issue] = []
    taken: dict[str, str] = {}
    for number, lead in enumerate(leads, start=1):
        stem = slug(lead, every_letter)[:MAX_NAME_CHARS].strip("-") or f"lead-{number}"
        first, suffix = stem, 2
        while stem in taken:
            stem, suffix = f"{first}-{suffix}", suffix + 1
        if stem != first:
            issues.append(issue("same-file-name", other=taken[first], first=first, stem=stem, value=lead))
        taken[stem] = lead
        names[lead] = f"{stem}.xlsx"
    return names, issues


# what a synced folder adds to a file's name when two people saved it at once, keeping both: Dropbox's
# "opcc (Jo Bloggs's conflicted copy).xlsx", "opcc (conflicted copy 2023-02-01).xlsx"; OneDrive's computer name
# ("opcc-DESKTOP-4F2K.xlsx", "opcc-WSX-LT042.xlsx": upper case from a letter, a digit in it or a Windows default
# name; never a lead's second file name, "fire-rescue-2.xlsx")
_CONFLICTED_COPY = re.compile(r"\s*\([^()]*\bconflicted copy\b[^()]*\)", re.IGNORECASE)
_MACHINE_NAME = re.compile(r"-(?:(?:DESKTOP|LAPTOP)(?:-[A-Z0-9]+)+|(?=[A-Z0-9-]*[A-Z])(?=[A-Z0-9-]*\d)"
                           r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)$")


def without_sync_marks(file_name: str) -> str:
    """`file_name` with what Dropbox or OneDrive add to the copy they keep of a file saved in two places at once
    taken out ("opcc (Jo Bloggs's conflicted copy).xlsx", "opcc-DESKTOP-4F2K.xlsx": opcc.xlsx), as "(1)" is: the
    copy is the lead's file saved again, not another partner's return."""
    path = Path(file_name)
    stem = _MACHINE_NAME.sub("", _CONFLICTED_COPY.sub("", path.stem)).strip()
    return f"{stem}{path.suffix}" if stem else file_name


# what is added to a workbook's own name when it is saved again: collect's later versions ("opcc.v2"), a mail
# client's or Windows' copy marks ("opcc (1)", "opcc - Copy")
_SAVED_AGAIN = re.compile(r"(?:\s*\(\d+\)|\s*-?\s*copy|\.v[1-9]\d{0,5})+$")


def file_name_for(lead: str, partners: Mapping[str, PartnerSettings] | None = None,
                  leads: Sequence[str] = ()) -> str:
    """A name a return file of `lead` can have (to suggest one): for a lead with `files` patterns, the first
    pattern without its wildcards when that fits it (else the pattern); else its workbook's, as `reportgen
    returns` names it among the register's `leads` (`workbook_names`: fire-rescue-2.xlsx for the second of two
    leads whose names make one file name)."""
    patterns = (partners or {}).get(lead, PartnerSettings()).files
    for pattern in patterns:
        plain = re.sub(r"\[[^\]]*\]|[*?]", "", pattern)
        for name in (plain,) if Path(plain).suffix else (f"{plain}.xlsx", plain):
            if match_partner(name, [lead], partners).lead == lead:
                return name
    if patterns:
        return patterns[0]
    return workbook_names(leads if lead in leads else [lead])[0].get(lead) or f"{slug(lead) or 'lead'}.xlsx"


def workbook_lead(file_name: str, leads: Sequence[str]) -> str | None:
    """The lead whose workbook `reportgen returns` names as `file_name` is (`workbook_names`), with its
    extension (.xlsx, or .csv when saved from it) and what saving again adds ignored; None for any other name.
    A workbook sent before each letter of a name was made plain ("fundacja-łodz.xlsx") is still its lead's."""
    stem = _SAVED_AGAIN.sub("", Path(file_name).stem.casefold().strip())
    if not stem:
        return None
    for every_letter in (True, False):
        names, _issues = workbook_names(leads, every_letter)
        found = next((lead for lead, name in names.items() if name.removesuffix(".xlsx") == stem), None)
        if found is not None:
            return found
    return None


def workbook_names_text(which: Sequence[str], leads: Sequence[str]) -> str:
    """'fire-rescue.xlsx for Fire & Rescue, fire-rescue-2.xlsx for Fire Rescue': how a file of each lead of
    `which` is named to be read as its return (`workbook_names` of the register's `leads`)."""
    names, _issues = workbook_names(leads)
    return ", ".join(f"{names[lead]} for {lead}" for lead in which if lead in names)


@dataclass(frozen=True)
class PartnerMatch:
    name: str  # the file name looked at
    leads: tuple[str, ...]  # every lead it fits: one is a match, none unknown, several ambiguous

    @property
    def lead(self) -> str | None:
        return self.leads[0] if len(self.leads) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.leads) > 1


def words(text: str) -> tuple[str, ...]:
    """Lower-case words of a name, with copy marks and dates taken out; accents dropped and other scripts
    kept, as in the names collect and the workbooks give files ('Ynys Môn' is ynys-mon.xlsx)."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _COPY_MARK.sub(" ", text.casefold().replace("_", " "))  # "Police_Return_v2": words apart
    text = _MONTH_DATE.sub(" ", _DATE.sub(" ", text))
    return tuple(re.findall(r"[^\W_]+", text))


def name_words(text: str) -> frozenset[str]:
    """The words of a name that can tell one lead from another ("Fire & Rescue return (1)": fire, rescue)."""
    return frozenset(word for word in words(text) if word not in NOISE_WORDS)


def key(text: str) -> str:
    """A name with everything a partner adds by habit taken out ("Wessex Police Return (1)" -> "wessexpolice")."""
    kept = [word for word in words(text) if word not in NOISE_WORDS]
    return "".join(kept) or "".join(words(text))


def file_key(text: str, singular: bool = False) -> str:
    """`key` as a file name is matched to a lead, a possessive's s taken out: "Wessex County Council's return",
    "Council’s" and "children-s-services" (the apostrophe a dash) are wessexcountycouncil and childrenservices,
    "s'" being punctuation already. `singular`: each word's plural s too ("Councils" is council, "Services"
    service, "Business" stays), for a name that fits no lead as written."""
    said = [word for word in words(text) if word != "s"]  # the apostrophe split it from its word
    kept = [word for word in said if word not in NOISE_WORDS] or said
    return "".join(_singular(word) if singular else word for word in kept)


def _singular(word: str) -> str:
    """'councils' -> 'council'; a short word or one ending in 'ss' kept ('bus', 'business')."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


# an apostrophe or a quote mark as another keyboard or program writes it: Word turns a typed ' into ’ in some
# cells and not others, a Mac types ‘ ’, a web page may have ʼ or ′; each is the same mark
_SAME_MARK = str.maketrans({**dict.fromkeys("’‘‛ʼ`´′", "'"), **dict.fromkeys("“”„‟″", '"')})


def same_name(lead: str) -> str:
    """A lead's name as the register's rows are compared for one partner: case, spacing and the way an apostrophe or
    quote mark is written aside ('Wessex Police', 'wessex police '; "Swyddfa’r Comisiynydd", "Swyddfa'r
    Comisiynydd"). Not other punctuation or words: 'Fire & Rescue' and 'Fire Rescue' may be two partners."""
    return " ".join(lead.translate(_SAME_MARK).casefold().split())


def match_partner(file_name: str, leads: Sequence[str],
                  partners: Mapping[str, PartnerSettings] | None = None) -> PartnerMatch:
    """The lead(s) a file name fits: the lead whose workbook is so named (`workbook_lead`: `leads` are the
    register's, in its order); else by the lead's `files` patterns when it has some, else by `key`."""
    partners = partners or {}
    name = composed(Path(file_name).name)  # a Mac names files 'Tŷ' as 'y' and a circumflex: the lead's 'Tŷ'
    stem = Path(name).stem
    ours = workbook_lead(name, leads)
    if ours is not None:
        return PartnerMatch(name, (ours,))
    by_pattern = {lead for lead in leads if any(fnmatch.fnmatch(name.casefold(), pattern.casefold())
                                                for pattern in partners.get(lead, PartnerSettings()).files)}
    unpatterned = [lead for lead in leads if not partners.get(lead, PartnerSettings()).files]
    fits = by_pattern | _fitting_names(stem, unpatterned, singular=False)
    if not fits:  # "Councils return": a plural is looked past only when nothing fits the name as written
        fits = _fitting_names(stem, unpatterned, singular=True)
    if not fits and (copied := without_sync_marks(name)) != name:  # a synced folder's copy of a lead's file
        return PartnerMatch(name, match_partner(copied, leads, partners).leads)
    return PartnerMatch(name, tuple(lead for lead in leads if lead in fits))


def _fitting_names(stem: str, leads: Sequence[str], singular: bool) -> set[str]:
    """The leads whose name the file name `stem` is (`file_key`; `singular`: plurals ignored, which `match_partner`
    does only when nothing fits as written: of 'Wessex County Council' and 'Wessex County Councils', 'Councils
    return' is the second's)."""
    wanted = file_key(stem, singular)
    return {lead for lead in leads if (written := file_key(lead, singular)) and written == wanted}


@dataclass(frozen=True)
class Assignment:
    """A period's return files sorted out: the one to read per lead, and the files matching no lead."""

    by_lead: Mapping[str, Path]
    unmatched: tuple[Path, ...]  # no lead fits (read as a return of an unknown partner)
    issues: tuple[Issue, ...]
    # each lead's files not read, beside the one read (`by_lead`): (lead, a file set aside), in folder order
    set_aside: tuple[tuple[str, Path], ...] = ()
    # each file not read because its name fits several leads (`ambiguous-partner`), with those leads
    ambiguous: tuple[tuple[Path, tuple[str, ...]], ...] = ()

    def lead_of(self, path: Path) -> str | None:
        return next((lead for lead, chosen in self.by_lead.items() if chosen == path), None)


def assign_returns(paths: Sequence[Path], leads: Sequence[str], partners: Mapping[str, PartnerSettings],
                   shown: Mapping[Path, str] | None = None, made_for: Callable[[Path], str] | None = None,
                   period: str = "", made_for_lead: Callable[[Path], str] | None = None) -> Assignment:
    """One file per lead: the newest of its versions (later ones saved beside the earlier ones). With
    `made_for` (the period a return workbook was made for, "" when it does not say), the newest of those
    not made for another period than `period`: last month's workbook sent again after this month's does not
    set this month's aside. With `made_for_lead` (the lead a return workbook was made for, "" when it does not
    say), a workbook of ours renamed so that its name fits several leads is its own lead's, when that is one
    of them, and one renamed to fit none is its own lead's (said: `renamed-return`): the workbook's own record
    settles what its name cannot."""
    shown = shown or {}
    candidates: dict[str, list[Path]] = {}
    unmatched: list[Path] = []
    ambiguous: list[tuple[Path, tuple[str, ...]]] = []
    issues: list[Issue] = []
    for path in paths:
        found = match_partner(path.name, leads, partners)
        display = shown.get(path, path.name)
        if found.ambiguous and made_for_lead is not None and (recorded := made_for_lead(path)) in found.leads:
            found = PartnerMatch(found.name, (recorded,))
        elif not found.leads and made_for_lead is not None and (recorded := made_for_lead(path)) in leads:
            # a workbook of ours renamed to fit no lead ("Our return for November.xlsx"): its own record says whose
            found = PartnerMatch(found.name, (recorded,))
            issues.append(issue("renamed-return", file=display, value=recorded,
                                example=file_name_for(recorded, partners, leads)))
        if found.ambiguous:
            one_lead = len({key(lead) for lead in found.leads}) == 1  # spelled two ways in the register
            issues.append(issue("ambiguous-partner", "one-lead" if one_lead else "", leads=", ".join(found.leads),
                                names=workbook_names_text(found.leads, leads), file=display, value=path.name))
            ambiguous.append((path, found.leads))
        elif found.lead is None:
            unmatched.append(path)
        else:
            candidates.setdefault(found.lead, []).append(path)
    by_lead: dict[str, Path] = {}
    set_aside: list[tuple[str, Path]] = []
    for lead in leads:
        files = candidates.get(lead, [])
        if not files:
            continue
        # only a lead with several files has one to choose (a single file is checked when it is read)
        other = {path: made for path in files
                 if made_for is not None and len(files) > 1 and (made := made_for(path)) not in ("", period)}
        newest = max([path for path in files if path not in other] or files, key=_age_key)
        by_lead[lead] = newest
        for older in sorted(set(files) - {newest}):
            set_aside.append((lead, older))
            if older in other and newest not in other:  # last month's workbook, beside this month's return
                issues.append(issue("superseded-return", "other-period", made_for=period_label(other[older]),
                                    newest=shown.get(newest, newest.name), file=shown.get(older, older.name),
                                    value=lead))
                continue
            versions = _version_key(older) == _version_key(newest)
            where = {"newest": shown.get(newest, newest.name), "file": shown.get(older, older.name), "value": lead}
            if version_number(older.stem) > version_number(newest.stem):  # its name says it is the later one
                issues.append(issue("several-return-files", "version-order", marked=_version_mark(older.stem),
                                    read=_version_mark(newest.stem), **where))
            else:  # versions of one name are expected; differently named files of one lead may be a mistake
                issues.append(issue("superseded-return" if versions else "several-return-files", **where))
    return Assignment(by_lead, tuple(unmatched), tuple(issues), tuple(set_aside), tuple(ambiguous))


def _version_key(path: Path) -> str:
    """What two versions of one return's file name share: "opcc (1)" and a synced folder's "opcc-DESKTOP-4F2K" are
    versions of opcc, not differently named files."""
    return file_key(Path(without_sync_marks(path.name)).stem, singular=True)


_VERSION = re.compile(r"\bv(?:ersion)?\s*(\d+)\b|\((\d+)\)")


def version_number(stem: str) -> int:
    """The version a file's name says it is: 'v3', 'version 3', '.v3' (collect's later returns), '(3)' (a
    copy's number); 0 when it says none."""
    found = [int(a or b) for a, b in _VERSION.findall(stem.casefold())]
    return found[-1] if found else 0


def _version_mark(stem: str) -> str:
    number = version_number(stem)
    return f"version {number}" if number else "no version"


def _age_key(path: Path) -> tuple[int, int, str]:
    """Newest last: modification time, then the copy number a mail client or Windows adds, then name."""
    copy = _COPY_NUMBER.findall(path.stem)
    return path.stat().st_mtime_ns, int(copy[-1]) if copy else 0, path.name
