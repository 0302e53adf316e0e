"""The officer's narrative (Markdown + Jinja): read and filled in with bounded work, every problem an issue.

The file is read only from inside the workspace, in any encoding a partner CSV may be in. Jinja runs
sandboxed, and a sandbox alone still lets `range(100000)` nest, `"x" * 10**9` allocate, `9**9**9`
compute and macros recurse: here loops and expressions stop after MAX_STEPS template lines, text
repeats and powers are bounded, the output stops at MAX_OUTPUT_CHARS, and whatever goes wrong
(syntax, a missing value, division by zero, an include) is one issue with the narrative's line.
It renders text only; `reportgen.paper.build_paper` turns the Markdown into the paper's blocks.
"""

from __future__ import annotations

import difflib
import functools
import operator
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from reportgen.check.narrative_markdown import markdown_not_shown
from reportgen.check.narrative_values import named_context, plain_undefined
from reportgen.check.personal_data import narrative_personal_data
from reportgen.glyphs import code_points, missing_glyphs
from reportgen.issues import Issue, issue
from reportgen.model import MergedRegister, UpdateState
from reportgen.periods import display_date, fill_in, first_meeting_after, period_label
from reportgen.read.cells import without_pasted_bullets
from reportgen.read.workspace import Inputs
from reportgen.settings import CANONICAL_STATUSES, Edition, Settings
from reportgen.wording import INVISIBLE, composed, counted, plural, quoted, words_around

MAX_SOURCE_BYTES = 1024 * 1024
MAX_OUTPUT_CHARS = 200_000  # a narrative is a page or two; the Feb 2023 paper's is ~2,500 characters
MAX_STEPS = 200_000  # template lines executed, loops included
MAX_RANGE = 10_000
MAX_REPEAT = 100_000  # characters or items made by `*`
MAX_POWER_BITS = 4_096
# str methods that can make a huge string in one step (the replace and join filters are bounded instead)
_WIDE_METHODS = {"format", "format_map", "center", "ljust", "rjust", "zfill", "expandtabs", "replace", "join"}


class WorkLimit(Exception):
    """The narrative asked for more work or output than a narrative can need."""


class _BoundedConcat(CodeGenerator):
    """`a ~ b` through the environment, so that text doubled in a loop is stopped like any value."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat_bounded((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _as_the_paper_writes_it(value: object) -> object:
    """A whole number a `{{ }}` prints, grouped in thousands as the rest of the paper writes counts ("1,500
    actions"): `{{ total }}` printed "1500" beside `{{ total | plural("action") }}`'s "1,500 actions"."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value


class NarrativeEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, with bounded repeats, powers, ranges and values, and no width-padding methods.

    Every value a filter, call, `+` or `~` makes is at most MAX_OUTPUT_CHARS long; `replace` and
    `join`, which could make a huge one in a single step, check their result's size before making it.
    """

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _BoundedConcat

    def __init__(self, undefined: type[jinja2.Undefined] = jinja2.StrictUndefined) -> None:
        super().__init__(undefined=undefined, autoescape=False, finalize=_as_the_paper_writes_it)
        self.globals["range"] = _range
        self.globals.pop("lipsum", None)  # up to any length of generated text; nothing a paper needs
        for name in ("center", "indent", "wordwrap", "format", "random"):  # widths and chance
            self.filters.pop(name, None)
        self.filters["replace"] = _replace
        self.filters["join"] = _join
        self.filters["plural"] = _plural
        self.filters = {name: _bounded(function) for name, function in self.filters.items()}

    def concat_bounded(self, values: tuple[object, ...]) -> str:
        return _checked("".join(str(value) for value in values))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        return _checked(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        if super().wrap_str_format(value) is None:
            return None

        def refuse(*args: object, **kwargs: object) -> str:  # a width of 10**9 would be built before any check
            raise SecurityError("str.format is not available in the narrative; write {{ value }}")

        return refuse

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr in _WIDE_METHODS:
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def call_binop(self, context: jinja2.runtime.Context, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "%" and isinstance(left, str):
            raise SecurityError("text formatting with % is not available in the narrative; write {{ value }}")
        if (operator_ == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1
                and abs(left).bit_length() * right > MAX_POWER_BITS):
            raise WorkLimit(f"{left} ** {right} is too large a number for a narrative")
        if operator_ == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_REPEAT:
                    raise WorkLimit(f"repeating {len(seq):,} characters or items {times:,} times is too much")
        table = {"*": operator.mul, "**": operator.pow, "%": operator.mod, "+": operator.add}
        return _checked(table[operator_](left, right))


def _checked(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_OUTPUT_CHARS:
        raise WorkLimit(f"a value of {len(value):,} characters or items (the limit is {MAX_OUTPUT_CHARS:,})")
    return value


def _bounded(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        return _checked(function(*args, **kwargs))

    return bounded


def _replace(value: object, old: str, new: str, count: int | None = None) -> str:
    text = str(value)
    times = text.count(old) if count is None else min(count, text.count(old))
    _checked_size(len(text) + times * (len(new) - len(old)))
    return text.replace(old, new, -1 if count is None else count)


# the verbs a count is written with ("1 action is", "2 actions were"): a phrase holding one has no plural to guess
_VERBS = frozenset({"is", "are", "was", "were", "has", "have", "had", "does", "do", "did", "be", "been", "remains",
                    "remain", "needs", "need"})


class PluralError(TypeError):
    """`plural` given too little to write its count right: said as the officer can mend it."""


def _plural(value: object, one: str | None = None, many: str | None = None) -> str:
    """`{{ counts["On hold"] | plural("action is", "actions are") }}`: "1 action is", "3 actions are"
    (`many`, for a word or a name, is its plural as the paper makes one, from its last word:
    `{{ total | plural("priority") }}`, "2 priorities"; `plural("exempt action")`, "2 exempt actions"). A phrase
    with a verb in it cannot be made plural so ("action was" is not "action wass"), nor two forms written without the
    comma between them (one phrase to Jinja, "action isactions are"): both are refused, with how to write them."""
    if isinstance(value, jinja2.Undefined):  # a status or value mistyped: said as without the filter
        str(value)  # a strict Undefined raises its own message ("counts has no status 'Complete' …")
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"plural counts a number of things, not {value!r}")
    if one is None:
        raise PluralError('plural needs the word it counts, in quotes: write {{ total | plural("action") }}, or '
                          '{{ total | plural("action is", "actions are") }}')
    if many is None and _VERBS.intersection(str(one).casefold().split()):
        raise PluralError(f"plural({_quoted(one)}) has one form of a phrase, whose plural cannot be guessed: give "
                          f"both, a comma between them, as plural(\"action is\", \"actions are\")")
    return counted(value, str(one), plural(str(one)) if many is None else str(many))


def _quoted(text: object) -> str:
    return '"' + str(text) + '"'


def _join(value: Any, d: str = "", attribute: str | int | None = None) -> str:
    items = [str(item if attribute is None else item[attribute]) for item in value]
    _checked_size(sum(map(len, items)) + len(d) * max(len(items) - 1, 0))
    return d.join(items)


def _checked_size(size: int) -> None:
    if size > MAX_OUTPUT_CHARS:
        raise WorkLimit(f"a value of {size:,} characters (the limit is {MAX_OUTPUT_CHARS:,})")


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise WorkLimit(f"range of {len(numbers):,} numbers (the limit is {MAX_RANGE:,})")
    return numbers


def read_narrative(path: Path, display: str) -> tuple[str | None, list[Issue]]:
    """The narrative's text in UTF-8 (BOM or not), UTF-16 with BOM or Windows-1252, as partner CSVs; a line
    with characters no installed font has is a warning (`reportgen.glyphs`). A bullet pasted from Word at a line's
    start is not looked up: the paper draws it as the list's own bullet, as in partner text, never as printed."""
    from reportgen.read.sheets import decode_csv

    if path.stat().st_size > MAX_SOURCE_BYTES:
        return None, [issue("narrative-error", "too-big", limit_kib=MAX_SOURCE_BYTES // 1024, file=display)]
    data = path.read_bytes()
    if kind := _document_kind(path, data):
        return None, [issue("narrative-error", "not-text", kind=kind, file=display)]
    text, problem = decode_csv(data, display)
    if problem is not None:
        # the decoder's own message and advice, under the narrative's code (both block publication)
        return None, [replace(problem, code="narrative-error")]
    text = composed(text or "")  # one Unicode form, as the register's cells: 'â' pasted from a Mac is 'â'
    if not text.strip():  # a cloud file not yet downloaded is 0 bytes: never a paper silently without it
        return None, [issue("narrative-error", "empty", file=display)]
    lines = list(enumerate(text.splitlines(), start=1))
    return text, [*(issue("no-font-for", "narrative", characters=missing, points=code_points(missing), file=display,
                          row=number, value=line[:80])
                    for number, line in lines if (missing := missing_glyphs(without_pasted_bullets(line)))),
                  *_invisible_issues(lines, display)]


def _invisible_issues(lines: list[tuple[int, str]], display: str) -> list[Issue]:
    """The zero-width and text-direction characters the paper leaves out of the narrative's lines, said where, as
    reportgen.toml's are: a warning a line (inside a placeholder they are an error of their own)."""
    found = [(number, line, INVISIBLE.search(line)) for number, line in lines]
    return [issue("invisible-characters", "around", points=", ".join(dict.fromkeys(
        f"U+{ord(each[0]):04X}" for each in INVISIBLE.finditer(line))), around=words_around(line, match.start()),
        file=display, row=number, value=line[:80]) for number, line, match in found if match]


# a word processor's or a PDF's file, by its name or by its first bytes (a .docx renamed .md is still one)
_DOCUMENT_SUFFIXES = {".docx": "Word", ".doc": "Word", ".docm": "Word", ".dotx": "Word", ".odt": "OpenDocument",
                      ".rtf": "Rich Text", ".pdf": "PDF", ".pages": "Pages"}
_DOCUMENT_STARTS = {b"PK\x03\x04": "Word", b"\xd0\xcf\x11\xe0": "Word", b"{\\rtf": "Rich Text", b"%PDF": "PDF"}


def _document_kind(path: Path, data: bytes) -> str:
    """"Word", "PDF", … for a narrative that is a document, not text: decoded as text, a .docx was said to mix two
    encodings, with advice to save it from Excel as CSV; "" for text."""
    kind = _DOCUMENT_SUFFIXES.get(path.suffix.lower(), "")
    if kind:
        return kind
    if data.startswith(b"PK\x03\x04") and b"opendocument" in data[:200]:
        return "OpenDocument"
    return next((name for start, name in _DOCUMENT_STARTS.items() if data.startswith(start)), "")


def fill_narrative(source: str, context: dict[str, object], display: str = "narrative.md"
                   ) -> tuple[str | None, list[Issue]]:
    """The narrative's Markdown with the values filled in, or None and one issue saying where and why (a
    missing value in plain words, with what there is: `reportgen.check.narrative_values`)."""
    env = NarrativeEnvironment(undefined=plain_undefined(list(context)))
    steps = _bounded_steps()
    template: jinja2.Template | None = None
    try:
        template = env.from_string(source)
        with steps:
            return _collect(template.generate(**named_context(context))), []
    except jinja2.TemplateSyntaxError as exc:
        line, why = exc.lineno, plain_syntax_error(exc.message or str(exc), source)
    except RecursionError:
        line, why = None, "a macro calls itself without end"
    except Exception as exc:  # any error of the officer's template is an issue, never a traceback
        line, why = _template_line(exc), str(exc) or type(exc).__name__
        if line is None and template is not None and steps.python_line:
            line = template.get_corresponding_lineno(steps.python_line)  # stopped outside the template's code
        if isinstance(exc, ZeroDivisionError):
            why = "division by zero"
        elif isinstance(exc, TypeError) and "no loader" in why:  # {% include %}, {% import %}, {% extends %}
            why = "the narrative cannot include, import or extend another file: write the text in it"
    return None, [issue("narrative-error", why=why.rstrip("."), file=display, row=line, value=_line(source, line))]


_UNEXPECTED_CHAR = re.compile(r"unexpected char '(.+)' at (\d+)$")
_NOT_CLOSED = re.compile(r"expected token 'end of (print statement|statement block)', got '(.*)'$")
_CURLY_QUOTES = frozenset("\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb")
_CLOSING = {"print statement": ("placeholder", "}}"), "statement block": ("tag", "%}")}


def plain_syntax_error(message: str, source: str) -> str:
    """Jinja's syntax error in the words of the officer who pasted the narrative from Word: "unexpected char '“'
    at 17" (an offset in the whole file) is a curly quote at a column of its line, to type straight; an invisible
    character is named by its code, to delete with the placeholder it hides in; "expected token 'end of print
    statement', got 'actions'" is a placeholder left open. Any other message is Jinja's own."""
    if found := _UNEXPECTED_CHAR.match(message):
        character, offset = found.group(1).encode("ascii", "backslashreplace").decode("unicode_escape"), int(
            found.group(2))
        text = "\n".join(re.split(r"\r\n|\r|\n", source))  # as Jinja counts the offset
        column = offset - text.rfind("\n", 0, offset)
        if character in _CURLY_QUOTES:
            return (f"the curly quote {character} at column {column} is inside a placeholder, where only straight "
                    "quotes work (as Word pastes them, quotes are curly): use straight quotes (\" or ') there")
        if not character.isprintable() or character.isspace():
            return (f"the invisible character U+{ord(character):04X} at column {column} is inside a placeholder "
                    "(pasted with it): delete and retype the placeholder")
        return f"the character {character} at column {column} cannot be inside a placeholder"
    if found := _NOT_CLOSED.match(message):
        kind, closing = _CLOSING[found.group(1)]
        return f"a {kind} is not closed before {quoted(found.group(2))}: close it with {closing} right after the value"
    if message.startswith("unexpected end of template, expected 'end of"):
        kind, closing = _CLOSING["print statement" if "print statement" in message else "statement block"]
        return f"a {kind} is not closed by the end of the narrative: close it with {closing}"
    return message


def _collect(chunks: Iterator[str]) -> str:
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise WorkLimit(f"the narrative would be over {MAX_OUTPUT_CHARS:,} characters long")
        out.append(chunk)
    return "".join(out)


class _bounded_steps:
    """Count the template's lines as they run (loops included) and stop it past MAX_STEPS."""

    python_line = 0  # the compiled template's line last run

    def __enter__(self) -> None:
        self.steps = 0
        self.previous = sys.gettrace()
        sys.settrace(self._global)

    def __exit__(self, *exc: object) -> None:
        sys.settrace(self.previous)

    def _global(self, frame: FrameType, event: str, arg: object) -> Callable[..., Any] | None:
        # only the narrative's compiled code is traced line by line: the rest runs at full speed
        return self._local if frame.f_code.co_filename == "<template>" else None

    def _local(self, frame: FrameType, event: str, arg: object) -> Callable[..., Any] | None:
        if event == "line":
            self.python_line = frame.f_lineno
            self.steps += 1
            if self.steps > MAX_STEPS:
                raise WorkLimit(f"the narrative's loops ran over {MAX_STEPS:,} steps")
        return self._local


def _template_line(exc: BaseException) -> int | None:
    """The narrative line Jinja maps the failing frame to."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno if frames else None


def _line(source: str, line: int | None) -> str:
    lines = source.splitlines()
    return lines[line - 1].strip() if line and 0 < line <= len(lines) else ""


def narrative_context(merged: MergedRegister, settings: Settings, edition: Edition) -> dict[str, object]:
    """The values a narrative may use: the edition's counts, the period and the cover values. The
    paper's counts always account for every action: sum(counts) + no_status + not_recognised == total."""
    included = tuple(a for a in merged.actions if edition == "restricted" or not a.action.exempt)
    counts = {status: 0 for status in CANONICAL_STATUSES}
    for item in included:
        if item.status is not None:
            counts[item.status] += 1
    no_status = sum(1 for a in included if a.status is None and a.state is UpdateState.NO_UPDATE)
    unrecognised = sum(1 for a in included if a.status is None)
    return {
        "total": len(included),
        "counts": counts,
        "counted": sum(counts.values()),  # actions with a recognised status
        "no_status": no_status,  # no update this period and nothing to carry forward
        "not_recognised": unrecognised - no_status,  # a status given but empty or not recognised
        "unrecognised": unrecognised,  # no_status + not_recognised: every action not in `counts`
        "no_update": sum(1 for a in included if a.state is not UpdateState.UPDATED),  # incl. carried forward
        "carried_forward": sum(1 for a in included if a.state is UpdateState.CARRIED_FORWARD),
        "period": period_label(merged.period),
        "period_code": merged.period,
        "paper": _paper_values(settings, merged.period),
        "exempt": len(merged.actions) - len(included),  # exempt actions this edition leaves out (public)
        "exempt_shown": sum(1 for a in included if a.action.exempt),  # …it holds and marks (restricted)
        "edition": edition,
    }


def _paper_values(settings: Settings, period: str) -> dict[str, object]:
    """[paper] of reportgen.toml as the cover sheet shows it: {period…} and {date…} filled in, and `date` the
    meeting the paper goes to (from `meetings` when listed), written as the cover writes it."""
    day = first_meeting_after(period, settings.paper.meetings, settings.paper.date)
    values = settings.paper.model_dump(mode="json")
    filled = {key: fill_in(value, period, day) if isinstance(value, str) else value for key, value in values.items()}
    return {**filled, "date": display_date(day)}


def check_narrative(inputs: Inputs, merged: MergedRegister) -> list[Issue]:
    """Read and fill in the workspace's narrative once (public edition): every problem as an issue."""
    if inputs.narrative is None:
        return []
    display = inputs.display(inputs.narrative)
    source, issues = read_narrative(inputs.narrative, display)
    if source is None:
        return issues
    context = narrative_context(merged, inputs.settings, "public")
    markdown, found = fill_narrative(source, context, display)
    not_shown = markdown_not_shown(source, markdown, display) if markdown else []
    personal = narrative_personal_data(source, display)
    return issues + single_braces(source, context, display) + found + not_shown + personal


# '{period:%B %Y}' or '{ total }', as reportgen.toml writes its fields, or '{ total }}' with one brace lost (Jinja
# prints it as typed too, where '{{ total }' is its own syntax error): not '{{ … }}', '{% … %}' nor '{# … #}'
_SINGLE_BRACES = re.compile(r"(?<!\{)\{(?![{%#])[ \t]*([A-Za-z_]\w*)((?:\.\w+|\[[^\]\n]*\])*)[ \t]*"
                            r"(?::[^{}\n]*)?\}\}?(?!\})")
# what Jinja does not print as typed, or a reader would not take for a value: its tags ({% raw %} blocks whole),
# Markdown code (fenced or inline) and link targets
_NOT_TEXT = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"
                       r"|^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1|`[^`\n]+`|\]\([^)\n]*\)", re.DOTALL | re.MULTILINE)


def single_braces(source: str, context: Mapping[str, object], display: str) -> list[Issue]:
    """A value written in single braces, as reportgen.toml's [paper] fields are ('{period:%B %Y}'), which the
    narrative (Jinja) prints as typed: an error when it names one of the narrative's values (or nearly: '{perod}'),
    with the double-braced value meant; a warning for other words in braces ('{sic}'), which may be meant."""
    skipped = [found.span() for found in _NOT_TEXT.finditer(source)]
    issues = []
    for match in _SINGLE_BRACES.finditer(source):
        if any(start <= match.start() < end for start, end in skipped):
            continue
        name, rest = match.group(1), match.group(2)
        meant = name if name in context else next(iter(difflib.get_close_matches(name, list(context), 1)), "")
        line = source.count("\n", 0, match.start()) + 1  # as Jinja counts lines
        typed = source.split("\n")[line - 1].strip()[:80]
        if meant:
            issues.append(issue("narrative-placeholder", placeholder=match.group(0),
                                suggestion=f"{{{{ {meant}{rest} }}}}", file=display, row=line, value=typed))
        else:
            issues.append(issue("narrative-braces", placeholder=match.group(0), names=", ".join(sorted(context)),
                                file=display, row=line, value=typed))
    return issues
