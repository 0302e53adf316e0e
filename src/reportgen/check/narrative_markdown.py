"""What of the narrative's Markdown the paper cannot show as written, each an issue at the officer's own line.

The paper has no images or tables, links only to the addresses `safe_href` keeps, and headings of three levels,
each at most one below the one before: `reportgen.read.richtext.read_markdown` prints an image's description, a
table's rows as lines, a refused link's words and a `####` heading at `###`'s level, a quotation as a paragraph,
a footnote and struck-through words as typed, no rule at all, and says where it did (and where a heading skips a
level). Here each becomes a warning with the line of narrative.md as the
officer wrote it (Jinja may have added or taken out lines before it) and what that line holds, so nothing is
left out of the paper unsaid; an HTML comment, left out as meant, is a note at its line, and one never closed (all
after it left out) an error at the line that opens it. It reads the Markdown
only; it must not change what the paper shows.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from reportgen.issues import Issue, issue
from reportgen.read.richtext import NotShown, read_markdown


def markdown_not_shown(source: str, markdown: str, display: str) -> list[Issue]:
    """An issue for each image, table, refused link and heading out of order of the filled-in narrative
    `markdown`, at its line of `source`."""
    found_all = read_markdown(markdown)[1]
    if not found_all:
        return []
    written = source.splitlines()
    line_of = _written_line(markdown.splitlines(), written)
    issues: dict[tuple[str, int | None, str], Issue] = {}
    for found in found_all:
        line = line_of(found.line)
        where = {"file": display, "row": line, "value": written[line - 1].strip() if line <= len(written) else ""}
        said = _issue(found, where)
        # a line a loop prints many times is one line written: said once
        issues.setdefault((said.code, said.row, said.message), said)
    return list(issues.values())


def _issue(found: NotShown, where: dict[str, object]) -> Issue:
    if found.what == "list-too-deep":
        return issue("narrative-list-too-deep", depth=found.level, **where)
    if found.what == "heading-too-deep":
        return issue("narrative-heading-too-deep", written="#" * found.level, **where)
    if found.what == "heading-skipped" and not found.before:
        return issue("narrative-heading-skipped", "first", written="#" * found.level, **where)
    if found.what == "heading-skipped":
        return issue("narrative-heading-skipped", written="#" * found.level, before="#" * found.before, **where)
    if found.what in ("quote", "rule", "footnote", "strikethrough"):
        return _markdown_issue(found, where)
    if found.what == "comment":
        return issue("narrative-comment-left-out", **where)
    if found.what == "joined-to-item":
        return issue("narrative-joined-to-item", **where)
    if found.what == "language-not-closed":
        return issue("narrative-language-not-closed", written=found.words, **where)
    if found.what == "comment-not-closed":
        return issue("narrative-comment-not-closed", **where)
    if found.what == "table":
        return issue("narrative-table-not-shown", **where)
    if found.what == "link":
        return issue("link-not-kept", "narrative", address=found.address, words=found.words, **where)
    if not found.words.strip():
        return issue("narrative-image-not-shown", "no-description", address=found.address, **where)
    return issue("narrative-image-not-shown", address=found.address, words=found.words, **where)


def _markdown_issue(found: NotShown, where: dict[str, object]) -> Issue:
    """A quotation, rule, footnote or struck-through words: Markdown the paper has no way to show."""
    if found.what == "footnote":
        return issue("narrative-markdown-not-shown", "footnote", written=found.words, **where)
    if found.what == "strikethrough":
        return issue("narrative-markdown-not-shown", "strikethrough", written=found.words, **where)
    if found.what == "rule":
        return issue("narrative-markdown-not-shown", "rule", **where)
    return issue("narrative-markdown-not-shown", **where)


def _written_line(filled: list[str], written: list[str]) -> Callable[[int], int]:
    """The line of the narrative as written that line `n` of it filled in comes from: the same line where Jinja
    left it as typed, else the written line in its place (a `{% if %}` taken out moves every line after it)."""
    # autojunk: lines that recur (blank lines, a row of pipes) are not matched one by one, so a long narrative is quick
    opcodes = difflib.SequenceMatcher(None, filled, written).get_opcodes()

    def line_of(number: int) -> int:
        index = number - 1
        for tag, start, end, written_start, written_end in opcodes:
            if start <= index < end and tag == "replace" and index < len(filled):
                return _likeliest(filled[index], written, written_start, written_end) + 1
            if start <= index < end:
                last = max(written_end - 1, written_start)
                return min(written_start + index - start, last) + 1
        return number

    return line_of


def _likeliest(line: str, written: list[str], start: int, end: int) -> int:
    """Which of the written lines `start` to `end` (0-based) the filled-in `line` was most likely made from: a
    line a `{% for %}` prints once an item reads most like the line in the loop, not like the `{% endfor %}` the
    lines after the first would be matched to by place."""
    ratios = [difflib.SequenceMatcher(None, line, written[at], autojunk=False).ratio() for at in range(start, end)]
    return start + ratios.index(max(ratios))
