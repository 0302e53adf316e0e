"""Cell values to the types the register and returns need: refs, text, page ranges; and `clean_text`,
the cleaning every text cell gets (the paper's rich text applies the same rule).

Each parser returns a value or a reason, never raises: the caller turns a reason into an Issue.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata

from reportgen.periods import day_text
from reportgen.read.xlsx_values import DateCell, NumberCell
from reportgen.wording import INVISIBLE, quoted

MAX_CELL_CHARS = 32_767  # Excel's own limit: longer text is rejected, never truncated
# more than a landscape page of the plan's Explanation column holds (~40 lines of ~65 characters)
PAGE_OF_UPDATE_CHARS = 2_600
MAX_REF_DIGITS = 9  # refs are plan priority numbers; int() of thousands of digits is refused by Python
# a whole number in any script's decimal digits (\d: Unicode's Nd), with a ".0" Excel may add
_REF_TEXT = re.compile(r"(\d+)(?:[.\uff0e\u066b](\d+))?")
_OPENPYXL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# C0 controls XML forbids, C1 controls (invisible, and never meant in partner text), non-characters
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# a bulleted list copied from Word and pasted into a cell as text: each item starts with its bullet as
# Word's default list draws it, then a tab: the Symbol font's bullet (U+F0B7, private use: no font but
# Symbol draws it, so the PDF would show an empty box), Courier New's "o" (second level) or Wingdings'
# square (U+F0A7, third); or one of the Wingdings bullets Word's bullet library offers, the arrow (U+F0D8) or the
# tick (U+F0FC). Pasted where the Symbol or Wingdings font is lost, the Wingdings ones arrive as the Latin-1
# letter of their code's last byte, "§" (the square), "Ø" and "ü": read so only before a tab, as Word puts it
# ("Ødegaard" and "über" are words)
_PASTED_BULLET = re.compile("[^\\S\n]*(?:([\uf0b7\uf0d8\uf0fc])[^\\S\n]+|([Øü])\t[^\\S\n]*|(o)\t[^\\S\n]*"
                            "|(\uf0a7)[^\\S\n]+|(§)\t[^\\S\n]*)")
_PASTED_LEVELS = (1, 1, 2, 3, 3)  # by the pattern's group
# the HTML tags partner text may hold that the paper understands: a cell with one is read as HTML
KNOWN_TAG = re.compile(
    r"<(?P<end>/)?(?P<name>p|ul|ol|li|br|b|strong|i|em|u|a)(?P<attrs>[\s/][^<>]*)?>", re.IGNORECASE
)


def invisible_in(text: str) -> str:
    """The invisible characters `clean_text` removes from `text`, once each, as U+ code points."""
    return ", ".join(dict.fromkeys(f"U+{ord(match[0]):04X}" for match in INVISIBLE.finditer(text)))


def clean_text(value: str) -> tuple[str, list[str]]:
    """Text safe for XML and free of invisible characters, with the finding codes for what was removed."""
    findings: list[str] = []
    # openpyxl leaves Excel's _x000D_ escapes in cell text; decode them first so they get cleaned too
    text = _OPENPYXL_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)
    text = text.replace("\x0b", "\n")  # Word's line break (Shift+Enter), pasted into Excel: a line break, not nothing
    text, removed = XML_INVALID.subn("", text)
    if removed:
        findings.append("control-characters")
    text, removed = INVISIBLE.subn("", text)
    if removed:
        findings.append("invisible-characters")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return text, findings


def pasted_bullet(line: str) -> tuple[int, int] | None:
    """(list level, where the item's words start) when `line` starts with a bullet pasted from Word."""
    match = _PASTED_BULLET.match(line)
    if match is None:
        return None
    return next(level for level, marker in zip(_PASTED_LEVELS, match.groups(), strict=True) if marker), match.end()


# what `[words](address)` holds, as the paper reads it: words without a bracket or a bullet (either would end them
# early), an address without spaces or unpaired brackets; a line's list marker goes before the words
_LINK_WORDS = re.compile(r"[^\[\]\n•]+")
_LINK_ADDRESS = re.compile(r"(?:[^()\s]|\([^()\s]*\))*")
_LIST_MARKER = re.compile(r"[^\S\n]*(?:[-*·•][^\S\n]+)?")


def linked_text(text: str, url: str) -> str:
    """A cell's text with the link set on the whole cell (Insert > Link), written as the paper reads a link.

    A cell of HTML (`<p>…</p>`, `<ul><li>…`) is wrapped in one `<a>`, which the paper applies to every paragraph
    and item once the tags are read (Markdown written round the tags would be split by them and shown as text).
    Other text, as `[words](address)`: a line at a time, as the paper makes each line a paragraph (a link over
    several would show its brackets), after the line's list marker; a line whose words hold a bracket or a bullet
    is followed by the address, `words (address)`, which the paper shows linked."""
    if KNOWN_TAG.search(text):
        return f'<a href="{html.escape(url)}">{text}</a>'
    if not _LINK_ADDRESS.fullmatch(url):
        url = re.sub(r"[\s()]", lambda found: f"%{ord(found[0]):02X}", url)
    lines = []
    for line in text.split("\n"):
        pasted = pasted_bullet(line)
        marker = _LIST_MARKER.match(line)
        start = pasted[1] if pasted else marker.end() if marker else 0
        words = line[start:].strip()
        if not words:
            lines.append(line)
        elif _LINK_WORDS.fullmatch(words):
            lines.append(f"{line[:start]}[{words}]({url})")
        else:
            lines.append(f"{line.rstrip()} ({url})")
    return "\n".join(lines)


def without_pasted_bullets(text: str) -> str:
    """`text` with the bullets pasted from Word taken off its lines' starts, as the paper shows it."""
    return "\n".join(line[found[1]:] if (found := pasted_bullet(line)) else line for line in text.split("\n"))


def parse_ref(value: object) -> tuple[int | None, str]:
    """12, 12.0, ' 12 ', '１２', '١٢' -> 12; TRUE, 12.5, '12a', '1e1', '²', '①', '1١', 0 -> (None, why)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "empty"
    if isinstance(value, NumberCell):  # "007" under the format 000: action 7
        ref, why = parse_ref(value.value)
        if why == "not a whole number":  # 3.6 under the format 0 shows '4': say what the cell holds
            why += f" (the cell holds {cell_text(value.value)}, which its number format shows as {quoted(value.shown)})"
        return ref, why
    if isinstance(value, bool):
        return None, "a TRUE/FALSE value, not a number"
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None, "not a whole number"
        number = int(value)
    elif isinstance(value, str):
        # decimal digits as a keyboard types them: 0-9, full-width (East Asian), Arabic-Indic (Arabic,
        # Persian), Devanagari…, each with one value; never ² or ①, which are not decimal digits
        match = _REF_TEXT.fullmatch(value.strip())
        if not match or (match.group(2) and any(unicodedata.digit(d) for d in match.group(2))):
            return None, _why_not_a_ref(value.strip())
        digits = match.group(1)
        if len({ord(digit) - unicodedata.digit(digit) for digit in digits + (match.group(2) or "")}) > 1:
            return None, "written in the digits of two scripts (one might be read as another)"
        if len(digits) > MAX_REF_DIGITS:
            return None, f"a number of {len(digits):,} digits, too long for an action reference"
        number = int(digits)
    elif isinstance(value, DateCell):
        return None, "a date, not a number"
    else:
        return None, f"a {type(value).__name__}, not a number"
    if number <= 0:
        return None, "not a positive number"
    if number >= 10**MAX_REF_DIGITS:
        return None, "too large a number for an action reference"
    return number, ""


_SEVERAL_REFS = re.compile(r"[0-9]+(?:\s*(?:,|&|/|and|\+)\s*[0-9]+)+", re.IGNORECASE)
_SIGN_AFTER_REF = re.compile(r"(\(?)\s*([0-9]+)\s*[.):]")  # '12.' as a numbered list writes it, '12)', '(12)'
_WORDS_BEFORE_REF = re.compile(
    r"(?:action|priority|ref(?:erence)?|no\.?|number|item|pp|p|#)\s*[.:#-]?\s*([0-9]+)\s*[.):]?", re.IGNORECASE)


def _why_not_a_ref(text: str) -> str:
    """Why a text is not an action number, with what to write: "12, 13" is two actions (one row each), and
    "Action 12" the number with a word before it (12 is named, never taken as it: the partner confirms it)."""
    if _SEVERAL_REFS.fullmatch(text):
        return "several numbers: an update for two actions goes on two rows, one each"
    meant = meant_ref(text)
    if meant is not None:
        sign = _SIGN_AFTER_REF.fullmatch(text.strip())
        where = "before" if sign is None else "around" if sign[1] else "after"
        return f"not a whole number (a word or sign {where} the number: did you mean {meant}?)"
    return "not a whole number"


# a plan's own numbering: a number with letters, dashes or dots, no spaces ('1.1', '2.10', 'A-101', 'P1.2a', '7a')
_OWN_NUMBERING = re.compile(r"[^\W_]*\d[\w.\-\u2010-\u2013]*|[^\W\d_]+[.\-\u2010-\u2013]?\d[\w.\-\u2010-\u2013]*")


def own_numbering(text: str) -> bool:
    """Whether a reference that is not a whole number is a plan's own numbering ('1.1', 'A-101', 'P1.2a'): kept in
    a column of its own, not written over. Not a number with a word or sign around it ('Action 12', '12.'), which
    names the action meant, nor several numbers ('12, 13'), nor a number alone."""
    text = text.strip()
    return (bool(_OWN_NUMBERING.fullmatch(text)) and not text.isdigit() and meant_ref(text) is None
            and not _SEVERAL_REFS.fullmatch(text))


def meant_ref(text: str) -> int | None:
    """The number of a reference written with a word or sign around it ('Action 12', 'No. 12', '12.', '(12)'): the
    action the row is most likely for, named to the officer but never taken as its reference."""
    words = _WORDS_BEFORE_REF.fullmatch(text.strip())
    if words:
        return int(words[1])
    sign = _SIGN_AFTER_REF.fullmatch(text.strip())
    return int(sign[2]) if sign else None


# What a drop-down list or a Word-style form field shows before anyone chooses: "Please select", "-- Select --",
# "Select from the drop-down list", "Choose an item.", "Click or tap here to enter text." Not an answer.
_PROMPT = re.compile(
    r"(?:please\s+)?(?:select|choose|pick)(?:\s+(?:a|an|one|options?|status|rag|items?|values?|date|from|the|your|list"
    r"|menu|below|here|provided|following|drop\s*-?\s*down|dropdown))*"
    r"|(?:please\s+)?make\s+a\s+(?:selection|choice)"
    r"|click(?:\s+or\s+tap)?(?:\s+here)?\s+to\s+enter(?:\s+a)?\s+(?:text|date)")
_PROMPT_TRIM = " \t\n-–—_.…:;!()[]<>*▼▾⌄"
PROMPT_MAX_CHARS = 120  # the longest prompt is a few words: a longer cell (an explanation) is not looked at


def prompt_text(value: object) -> str:
    """The cell's text when it is only a drop-down's or form field's prompt ("Please select"), else ""."""
    if not isinstance(value, str) or len(value) > PROMPT_MAX_CHARS:
        return ""
    text = value.strip()
    words = " ".join(text.casefold().strip(_PROMPT_TRIM).split())
    return text if words and _PROMPT.fullmatch(words) else ""


def cell_text(value: object) -> str:
    """A cell as the text a person sees: 12.0 -> '12', a date as its format shows it ('March 2024',
    '31 March 2024'), a number as its format shows it ('£1,500'), None -> ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (DateCell, NumberCell)):
        return value.text()
    if isinstance(value, dt.datetime):
        return day_text(value) if value.time() == dt.time() else f"{day_text(value)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return day_text(value)
    return str(value)


_RANGE = re.compile(r"(\d+)\s*[-–—]\s*(\d+)")


def normalize_page(text: str) -> str:
    """'56- 57', '16 - 17', '18 -19' -> '56-57': the plan's page ranges written one way."""
    return _RANGE.sub(r"\1-\2", " ".join(text.split()))


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())
