"""Partner text and narrative Markdown become Block values; nothing a partner writes becomes markup."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.model import Block, Inline, RichText
from reportgen.read.cells import clean_text
from reportgen.read.richtext import (
    NotShown,
    parse_explanation,
    read_markdown,
    render_markdown,
    safe_href,
    typed_again,
)

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def kinds(blocks: RichText) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in blocks]


def links(blocks: RichText) -> list[tuple[str, str | None]]:
    return [(inline.text, inline.href) for block in blocks for inline in block.inlines if inline.href]


def squash(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- clean_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain  text\t", ("plain  text\t", [])),
        ("a\x0bb\x00c", ("a\nbc", ["control-characters"])),  # Word's Shift+Enter (U+000B) is a line break
        ("Word_x000B_line", ("Word\nline", [])),
        ("line_x000D_\nnext", ("line\nnext", [])),
        ("one_x000D__x000A_two_x000a_three", ("one\ntwo\nthree", [])),
        ("bad_x0001_escape", ("badescape", ["control-characters"])),
        ("_x005F_x000D_", ("_x000D_", [])),  # openpyxl's escaped literal "_x000D_"
        ("a\r\nb\rc", ("a\nb\nc", [])),
        ("zero\u200bwidth\ufeff", ("zerowidth", ["invisible-characters"])),
        ("bidi\u202eevil\u2066x\u2069\u200f", ("bidievilx", ["invisible-characters"])),
        ("\x07\u200d", ("", ["control-characters", "invisible-characters"])),
        ("non\u00a0breaking", ("non breaking", [])),
        # joiners that join: an emoji sequence and a Persian word keep them; a stray one beside Latin goes
        ("\U0001f46e\u200d\u2640\ufe0f", ("\U0001f46e\u200d\u2640\ufe0f", [])),
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", [])),
        ("Comp\u200dleted", ("Completed", ["invisible-characters"])),
        ("lone \ud800 surrogate \uffff", ("lone  surrogate ", ["control-characters"])),
    ],
)
def test_clean_text(value: str, expected: tuple[str, list[str]]) -> None:
    assert clean_text(value) == expected


# ---------------------------------------------------------------- safe_href


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),
        ("  http://example.org \n", "http://example.org"),
        ("HTTPS://Example.org", "HTTPS://Example.org"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("\x01javascript:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("file:///etc/hostname", None),
        ("//evil.example/x", None),
        ("relative/path", None),
        ("https://", None),
        ("http:/no-host", None),
        ("https:\\\\evil.example", None),
        ("https://[::1", None),
        ("mailto:", None),
        ('https://a.example/"onmouseover=x', None),
        ("", None),
    ],
)
def test_safe_href(url: str, expected: str | None) -> None:
    assert safe_href(url) == expected


# ---------------------------------------------------------------- parse_explanation: sample data


def test_paragraphs() -> None:
    text = (
        "<p>The Constabulary has commissioned a detailed theory of change logic model.</p> "
        "<p>Work has been commissioned by the Constabulary to develop an evaluation framework.</p>"
    )
    assert kinds(parse_explanation(text)) == [
        ("paragraph", "The Constabulary has commissioned a detailed theory of change logic model."),
        ("paragraph", "Work has been commissioned by the Constabulary to develop an evaluation framework."),
    ]


def test_a_dash_line_indented_further_is_a_sub_point() -> None:
    """'  - sub point' under '- point', as a partner types a nested list in a cell, was drawn at the first level,
    its nesting lost; it is a second-level item, as a list pasted from Word is. Lines all indented alike (tab or
    spaces) stay first-level."""
    blocks = parse_explanation("Progress:\n- Training\n  - officers\n\t- staff\n- Audit")
    assert [(b.kind, b.level, b.text) for b in blocks] == [
        ("paragraph", 1, "Progress:"), ("bullet", 1, "Training"), ("bullet", 2, "officers"), ("bullet", 2, "staff"),
        ("bullet", 1, "Audit")]
    assert [b.level for b in parse_explanation("  - one\n  - two")] == [1, 1]


def test_text_before_first_paragraph_tag() -> None:
    """The text before the first `<p>` is a paragraph; here its sentence goes on in that `<p>` (the exporting
    system put one where the text crossed a page), so the two are one paragraph, as the partner wrote it."""
    text = (
        "An informal process has been in place to share information, including getting "
        "<p>messages out to drug users, hospitals and local healthcare providers.</p> "
        "<p>Treatment providers also ensure that Naloxone is available.</p>"
    )
    assert kinds(parse_explanation(text)) == [
        ("paragraph", "An informal process has been in place to share information, including getting messages out "
                      "to drug users, hospitals and local healthcare providers."),
        ("paragraph", "Treatment providers also ensure that Naloxone is available."),
    ]
    assert kinds(parse_explanation("<p>Informal process.</p> <p>Messages go out.</p>")) == [
        ("paragraph", "Informal process."), ("paragraph", "Messages go out.")]


@pytest.mark.parametrize(("text", "expected"), [
    # a <p> inside a sentence, before a word in lower case
    ("<p>A Fraud Triage Manager (FTM) has <p>been appointed. This aids analysis.</p> <p>The OPCC agreed.</p>",
     ["A Fraud Triage Manager (FTM) has been appointed. This aids analysis.", "The OPCC agreed."]),
    # a </p> after a comma, the sentence going on outside any paragraph
    ("<p>ISO accreditation requires an owner of processes,</p> documentation, governance etc. Debate goes on.",
     ["ISO accreditation requires an owner of processes, documentation, governance etc. Debate goes on."]),
    # a bracket straight after a word
    ("using data collected by the Complaints Resolution Team <p>(CRT) to ensure no officer is missed.</p>",
     ["using data collected by the Complaints Resolution Team (CRT) to ensure no officer is missed."]),
    # a bold word at the join keeps its look; the link its target
    ('<p>The <a href="https://example.org/r">report</a> was</p><p><b>approved</b> in May.</p>',
     ["The report was approved in May."]),
    # sentences, headings of a line, a colon before a paragraph, list items: each stays as it is
    ("<p>Done.</p><p>next year the panel meets again.</p>", ["Done.", "next year the panel meets again."]),
    ("<p>Next steps</p><p>The team will report in May.</p>", ["Next steps", "The team will report in May."]),
    ("<p>It includes:</p><p>training for all staff.</p>", ["It includes:", "training for all staff."]),
    ("<p>Awarded (see the ‘report’)</p><p>(and the annex).</p>", ["Awarded (see the ‘report’)", "(and the annex)."]),
    ("<ul><li>first point and</li><li>second point</li></ul>", ["first point and", "second point"]),
    # a line break the partner typed (<br>, Alt+Enter) is theirs
    ("<p>Funded by the grant<br>until 2025</p>", ["Funded by the grant", "until 2025"]),
    ("<p>Funded by the grant\nuntil 2025</p>", ["Funded by the grant", "until 2025"]),
])
def test_a_paragraph_tag_inside_a_sentence_does_not_split_it(text: str, expected: list[str]) -> None:
    """Some systems export a cell's HTML with a `<p>` where the text crossed a page: the paper showed one sentence
    as two paragraphs ("…has" / "been appointed."). A paragraph that starts in lower case (or with a bracket
    straight after a word) after one that ends no sentence goes on from it."""
    blocks = parse_explanation(text)
    assert [block.text for block in blocks] == expected


def test_bullet_characters_in_unclosed_list() -> None:
    text = (
        "<p>Earlier this year, Drug Testing on Arrest (DTOA) now includes:</p> "
        '<ul style="list-style-type: none"> • Drug testing Domestic Abuse offenders for powder cocaine '
        "• Drug testing VAWG offenders for class A drugs • Drug testing those arrested for acquisitive "
        "crimes which includes the night-time economy Those naïve to treatment"
    )
    assert kinds(parse_explanation(text)) == [
        ("paragraph", "Earlier this year, Drug Testing on Arrest (DTOA) now includes:"),
        ("bullet", "Drug testing Domestic Abuse offenders for powder cocaine"),
        ("bullet", "Drug testing VAWG offenders for class A drugs"),
        (
            "bullet",
            "Drug testing those arrested for acquisitive crimes which includes the night-time economy "
            "Those naïve to treatment",
        ),
    ]


def test_each_list_opening_without_item_is_an_item() -> None:
    text = (
        "<p>Recommendations for the Boards to action include:</p> "
        '<ul style="list-style-type: none"> To provide training for frontline staff about cuckooing. '
        '<ul style="list-style-type: none"> To develop an awareness campaign for the public'
    )
    blocks = parse_explanation(text)
    assert kinds(blocks) == [
        ("paragraph", "Recommendations for the Boards to action include:"),
        ("bullet", "To provide training for frontline staff about cuckooing."),
        ("bullet", "To develop an awareness campaign for the public"),
    ]
    assert [block.level for block in blocks] == [1, 1, 1]


# ---------------------------------------------------------------- parse_explanation: HTML


def test_lists_and_nesting() -> None:
    text = "<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul><ol><li>one</li><li>two</li></ol>after"
    blocks = parse_explanation(text)
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        ("bullet", "a", 1),
        ("bullet", "b", 1),
        ("bullet", "c", 2),
        ("number", "one", 1),
        ("number", "two", 1),
        ("paragraph", "after", 1),
    ]


def test_line_breaks_start_paragraphs() -> None:
    assert kinds(parse_explanation("one<br>two<br/>three<BR />four")) == [
        ("paragraph", "one"),
        ("paragraph", "two"),
        ("paragraph", "three"),
        ("paragraph", "four"),
    ]


def test_a_line_break_in_a_list_item_is_a_line_within_it() -> None:
    """A `<br>` inside an `<li>` is a line of the item (a "\n" in its text, the blanks around it and the breaks
    after it dropped), not an item of its own; outside an item it still starts a paragraph."""
    text = ("<ul><li>Ask the board. <br> <br/>Report <b>back</b>.<br></li><li><br>Close.</li></ul>"
            "After.<br>Done.<li>Bare<br>item</li>")
    assert [(b.kind, b.text) for b in parse_explanation(text)] == [
        ("bullet", "Ask the board.\nReport back."),
        ("bullet", "Close."),
        ("paragraph", "After."),
        ("paragraph", "Done."),
        ("bullet", "Bare\nitem"),
    ]
    assert parse_explanation("<ol><li>a<br>b</li></ol>")[0].inlines == (Inline("a\nb"),)
    assert kinds(parse_explanation("<li>a<ul><li>b</li></ul>c<br>d")) == [
        ("bullet", "a"), ("bullet", "b"), ("paragraph", "c"), ("paragraph", "d")]


def test_a_line_typed_or_a_paragraph_in_a_list_item_is_a_line_within_it() -> None:
    """A partner's Alt+Enter inside an `<li>` (Excel shows the item's next line) and a `<p>` within one were each
    made a bullet of their own; they are a line of the item, as a `<br>` is. The HTML's own layout (a line break
    between tags, or around an item's words) adds nothing."""
    text = "<ul>\n<li>\nFirst point\nits second line\n</li>\n<li><p>Other</p><p>more</p></li>\n</ul>\nAfter"
    assert kinds(parse_explanation(text)) == [
        ("bullet", "First point\nits second line"), ("bullet", "Other\nmore"), ("paragraph", "After")]
    assert kinds(parse_explanation("• One\ncontinued")) == [("bullet", "One"), ("paragraph", "continued")]


def test_a_marked_line_typed_in_a_list_item_is_still_an_item_of_its_own() -> None:
    """Inside an `<li>`, a line typed after Alt+Enter is the item's next line; but one the partner starts with a
    list marker (`- `, `* `, `· `, a bullet pasted from Word) is a point of its own, as it is anywhere else in the
    cell, and as a `•` there already is. Read as a line of the item, its marker showed as text ("- B")."""
    for marker in ("- ", "* ", "· ", "  - "):
        assert kinds(parse_explanation(f"<ul><li>A\n{marker}B\n{marker}C</li></ul>")) == [
            ("bullet", "A"), ("bullet", "B"), ("bullet", "C")], marker
    assert kinds(parse_explanation("<ul><li>A\n• B</li></ul>")) == [("bullet", "A"), ("bullet", "B")]
    assert kinds(parse_explanation("<ul><li>A\n-1 is a line</li></ul>")) == [("bullet", "A\n-1 is a line")]


def test_formatting_and_entities() -> None:
    text = "<p>A &amp; B <b>bold</b> <strong><i>both</i></strong> <u>under</u>&nbsp;end</p>"
    blocks = parse_explanation(text)
    assert blocks == (
        Block(
            "paragraph",
            (
                Inline("A & B "),
                Inline("bold", bold=True),
                Inline(" "),
                Inline("both", bold=True, italic=True),
                Inline(" "),
                Inline("under", underline=True),
                Inline(" end"),
            ),
        ),
    )


def test_html_links() -> None:
    text = (
        '<p>See <a href="https://example.org/papers?a=1&amp;b=2">the papers</a>, '
        "<a href='javascript:alert(1)'>click</a>, <a href=\"file:///etc/hostname\">file</a> "
        '<a href="JaVaScRiPt:alert(1)">x</a> <a href="java&#x0A;script:alert(1)">y</a> <a>z</a></p>'
    )
    blocks = parse_explanation(text)
    assert blocks[0].text == "See the papers, click, file x y z"
    assert links(blocks) == [("the papers", "https://example.org/papers?a=1&b=2")]


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<link rel="attachment" href="file:///etc/hostname">',
        "<img src=http://127.0.0.1:9/>",
        "<w:p><w:r><w:t>x</w:t></w:r></w:p>",
        "<style>p { color: red }</style>",
        "<!-- a comment -->",
        "{{ 7*7 }}",
        "{% for x in y %}",
        "a < b & c > d",
        "<bold>not bold</bold>",
    ],
)
@pytest.mark.parametrize("wrapper", ["{}", "<p>before {} after</p>"])
def test_hostile_text_stays_literal(hostile: str, wrapper: str) -> None:
    blocks = parse_explanation(wrapper.format(hostile))
    assert hostile in "".join(block.text for block in blocks)
    # a URL written inside unknown markup may become a link, but only to what the text shows
    assert all(inline.text == inline.href for block in blocks for inline in block.inlines if inline.href)


def test_entities_left_alone_in_plain_text() -> None:
    assert kinds(parse_explanation("R&amp;D &lt;b&gt;")) == [("paragraph", "R&amp;D &lt;b&gt;")]
    assert kinds(parse_explanation("<p>&lt;b&gt;x&lt;/b&gt;</p>")) == [("paragraph", "<b>x</b>")]


# ---------------------------------------------------------------- parse_explanation: plain text


def test_plain_lines() -> None:
    text = "First paragraph\nsecond line\n\n\nThird  \t spaced\n• bullet one\n- dash\n* star\n· dot\n-5 °C"
    assert kinds(parse_explanation(text)) == [
        ("paragraph", "First paragraph"),
        ("paragraph", "second line"),
        ("paragraph", "Third spaced"),
        ("bullet", "bullet one"),
        ("bullet", "dash"),
        ("bullet", "star"),
        ("bullet", "dot"),
        ("paragraph", "-5 °C"),
    ]


def test_markdown_style_links() -> None:
    blocks = parse_explanation(
        "Read [the minutes](https://example.org/m) not [this](javascript:alert(1)) or [that](data:x)"
    )
    assert blocks[0].text == "Read the minutes not this or that"
    assert links(blocks) == [("the minutes", "https://example.org/m")]


def test_bare_links() -> None:
    blocks = parse_explanation(
        "See https://example.org/a. Or www.herts.police.uk, write to pcc@herts.pcc.police.uk; "
        "mailto:x@example.org (https://en.wikipedia.org/wiki/Foo_(bar)) javascript:alert(1) http://"
    )
    assert blocks[0].text == (
        "See https://example.org/a. Or www.herts.police.uk, write to pcc@herts.pcc.police.uk; "
        "mailto:x@example.org (https://en.wikipedia.org/wiki/Foo_(bar)) javascript:alert(1) http://"
    )
    assert links(blocks) == [
        ("https://example.org/a", "https://example.org/a"),
        ("www.herts.police.uk", "https://www.herts.police.uk"),
        ("pcc@herts.pcc.police.uk", "mailto:pcc@herts.pcc.police.uk"),
        ("mailto:x@example.org", "mailto:x@example.org"),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ]


def test_cleaning_applies() -> None:
    assert kinds(parse_explanation("a\x0bb\x00c_x000D_next\u200b line")) == [  # U+000B: Word's Shift+Enter
        ("paragraph", "a"),
        ("paragraph", "bc"),
        ("paragraph", "next line"),
    ]


@pytest.mark.parametrize("empty", ["", "   ", "\n\n", "<p></p>", "<ul><li> </li></ul>", "\u200b"])
def test_empty(empty: str) -> None:
    assert parse_explanation(empty) == ()


# ---------------------------------------------------------------- parse_explanation: properties


def all_hrefs(blocks: RichText) -> list[str]:
    return [inline.href for block in blocks for inline in block.inlines if inline.href is not None]


@given(st.text())
def test_any_text_is_safe(text: str) -> None:
    blocks = parse_explanation(text)
    for block in blocks:
        assert not XML_INVALID.search(block.text)
        assert block.text == block.text.strip() and block.text
    assert all(safe_href(href) == href for href in all_hrefs(blocks))


HTMLISH = st.lists(
    st.sampled_from(
        [
            *["<p>", "</p>", "<ul>", "</ul>", "<li>", "</li>", "<ol>", "<br/>", "<b>", "</b>", "</a>"],
            *["•", "\n"],
            *['<a href="javascript:x">', '<a href="https://ok.example">', "[t](https://x.example)", "&amp;"],
            *["www.a.b", "x@y.org", "- ", "word", " ", "<script>", "\x00", "_x000D_"],
        ]
    )
    | st.text(max_size=5)
).map("".join)


@given(HTMLISH)
def test_any_htmlish_text_is_safe(text: str) -> None:
    blocks = parse_explanation(text)
    assert all(not XML_INVALID.search(block.text) for block in blocks)
    assert all(safe_href(href) == href for href in all_hrefs(blocks))
    assert all(block.level in (1, 2) for block in blocks)
    # a line break within a block only inside a list item, never at its ends or beside a blank
    assert all(block.kind in ("bullet", "number") for block in blocks if "\n" in block.text)
    assert all(block.text == block.text.strip() and not re.search(r" \n|\n\s", block.text) for block in blocks)


@given(HTMLISH)
def test_typed_again_reads_back_as_written(text: str) -> None:
    """A pre-filled workbook's explanation (`typed_again`) gives the paper the partner's own blocks back."""
    typed = typed_again(text)
    assert parse_explanation(typed) == parse_explanation(text)
    assert typed == text or not re.search(r"<(p|ul|li|br|a)\b", typed, re.IGNORECASE)


@pytest.mark.parametrize(("written", "typed"), [
    ('<p>Funded: <a href="https://example.org/r">the report</a>.</p><ul><li>One</li><li>Two</li></ul>',
     "Funded: [the report](https://example.org/r).\n• One\n• Two"),
    ("<p>See www.example.org or x@y.org.</p> <p>Next.</p>", "See www.example.org or x@y.org.\nNext."),
    ("<p>A <b>bold</b> word</p>", "<p>A <b>bold</b> word</p>"),  # typing cannot say it: as written
    ("<ol><li>First</li></ol>", "<ol><li>First</li></ol>"),
    ("No tags:\n\n- a list", "No tags:\n\n- a list"),
])
def test_typed_again(written: str, typed: str) -> None:
    assert typed_again(written) == typed


PLAIN = st.text().filter(lambda text: not re.search(r"[<\[•*\-·]|https?:|www\.|mailto:|@", text))


@given(PLAIN)
def test_plain_text_loses_nothing(text: str) -> None:
    cleaned, _ = clean_text(text)
    assert squash(" ".join(block.text for block in parse_explanation(text))) == squash(cleaned)


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_words_survive(text: str) -> None:
    cleaned, _ = clean_text(text)
    output = " ".join(block.text for block in parse_explanation(text))
    consumed = re.sub(r"<[^<>]*>|\]\([^)]*\)|&\w+;|[•\[\]]", " ", cleaned)
    for word in re.findall(r"\w+", consumed):
        assert word in output


# ---------------------------------------------------------------- render_markdown


def test_markdown_structure() -> None:
    source = (
        "# Title\n\n## Section\n\n### Sub\n\nPara with **bold**, *italic*, `code` and\nsoft break.\n\n"
        "- one\n- two\n  - nested\n\n1. first\n2. second\n"
    )
    assert [(b.kind, b.text, b.level) for b in render_markdown(source)] == [
        ("heading", "Title", 1),
        ("heading", "Section", 2),
        ("heading", "Sub", 3),
        ("paragraph", "Para with bold, italic, code and soft break.", 1),
        ("bullet", "one", 1),
        ("bullet", "two", 1),
        ("bullet", "nested", 2),
        ("number", "first", 1),
        ("number", "second", 1),
    ]


def test_markdown_formatting() -> None:
    assert render_markdown("a **b** *c*") == (
        Block("paragraph", (Inline("a "), Inline("b", bold=True), Inline(" "), Inline("c", italic=True))),
    )


def test_markdown_links() -> None:
    blocks = render_markdown(
        "[ok](https://example.org) [js](javascript:alert(1)) [file](file:///etc/hostname) "
        "[rel](papers/x.pdf) <https://auto.example> ![alt text](http://127.0.0.1:9/x.png)"
    )
    assert blocks[0].text == "ok js file rel https://auto.example alt text"
    assert links(blocks) == [("ok", "https://example.org"), ("https://auto.example", "https://auto.example")]


def test_markdown_raw_html_is_text() -> None:
    blocks = render_markdown(
        '<script>alert(1)</script>\n\nText <b>not bold</b> <link rel="attachment" href="file:///etc/x">'
    )
    assert kinds(blocks) == [
        ("paragraph", "<script>alert(1)</script>"),
        ("paragraph", 'Text <b>not bold</b> <link rel="attachment" href="file:///etc/x">'),
    ]
    assert links(blocks) == []


def test_markdown_cleans_and_hardbreaks() -> None:
    assert kinds(render_markdown("a\x0bb\u200b  \nnext\\\nlast")) == [
        ("paragraph", "a b"),  # U+000B, Word's Shift+Enter, a line break: in Markdown, as a space
        ("paragraph", "next"),
        ("paragraph", "last"),
    ]


def test_markdown_reads_a_list_pasted_from_word_as_partner_text_does() -> None:
    """Word's bullets pasted as text (its symbol bullets for the first and second levels, a "•" or "· " typed),
    each line an item, as `parse_explanation` reads them; a bullet inside a sentence is the sentence's."""
    pasted = "Points:\n\uf0b7 first\no\tunder it\n\uf0b7 second\n\n• typed\n· dotted\n\nA • in a sentence"
    assert [(b.kind, b.text, b.level) for b in render_markdown(pasted)] == [
        ("paragraph", "Points:", 1),
        ("bullet", "first", 1),
        ("bullet", "under it", 2),
        ("bullet", "second", 1),
        ("bullet", "typed", 1),
        ("bullet", "dotted", 1),
        ("paragraph", "A • in a sentence", 1),
    ]
    assert [(b.kind, b.level) for b in parse_explanation("\uf0b7 first\no\tunder it")] == [("bullet", 1), ("bullet", 2)]
    heading_and_table = render_markdown("# • Title\n\n| • A | B |\n|---|---|")
    assert kinds(heading_and_table) == [("heading", "• Title"), ("paragraph", "• A | B")]


def test_markdown_reads_each_line_word_pasted_as_a_paragraph_of_its_own_but_joins_lines_typed_by_hand() -> None:
    """Word pastes one paragraph a line, its bullet or number then a tab: the line after a pasted item is never
    more of its words (a lettered line a line of the item, as Word indents it under; an unmarked line after the
    list a paragraph), while a `- item` or `1. item` typed by hand takes in its next line, as Markdown does."""
    pasted = "\uf0b7\tOne\n•\tTwo\nNext steps:\nwrapped\n\n1)\tOne\n2)\tTwo\na.\tSub\n3)\tThree\nAfter"
    assert kinds(render_markdown(pasted)) == [
        ("bullet", "One"), ("bullet", "Two"), ("paragraph", "Next steps: wrapped"),
        ("number", "One"), ("number", "Two\na. Sub"), ("number", "Three"), ("paragraph", "After")]
    typed = "- one\nmore of one\n- two\n\n1. first\nmore of first"
    assert kinds(render_markdown(typed)) == [("bullet", "one more of one"), ("bullet", "two"),
                                             ("number", "first more of first")]


def test_markdown_links_a_bare_address_as_partner_text_does_but_not_in_code() -> None:
    text = "See https://a.example/panel, www.b.example or clerk@c.example.gov.uk. `https://d.example`"
    assert links(render_markdown(text)) == links(parse_explanation(text.replace("`https://d.example`", ""))) == [
        ("https://a.example/panel", "https://a.example/panel"), ("www.b.example", "https://www.b.example"),
        ("clerk@c.example.gov.uk", "mailto:clerk@c.example.gov.uk")]
    assert links(render_markdown("[javascript:x](javascript:x) and see javascript:alert(1)")) == []


def test_markdown_says_where_an_image_a_table_or_a_refused_link_is_printed_otherwise() -> None:
    blocks, not_shown = read_markdown("Intro\n\n| A | B |\n|---|:-:|\n| 1 | [two](https://x.example) |\n\n"
                                      "Text and\n![Chart](c.png) ![](d.png)\n\n[the *plan*\nof 2025](plan.pdf)")
    assert kinds(blocks) == [("paragraph", "Intro"), ("paragraph", "A | B"), ("paragraph", "1 | two"),
                             ("paragraph", "Text and Chart"), ("paragraph", "the plan of 2025")]
    assert links(blocks) == [("two", "https://x.example")]
    assert not_shown == (NotShown("table", 3), NotShown("image", 8, "Chart", "c.png"),
                         NotShown("image", 8, "", "d.png"), NotShown("link", 10, "the plan of 2025", "plan.pdf"))


@given(st.text())
def test_markdown_any_text_is_safe(text: str) -> None:
    blocks = render_markdown(text)
    assert all(not XML_INVALID.search(block.text) for block in blocks)
    assert all(safe_href(href) == href for href in all_hrefs(blocks))


def test_a_line_of_its_own_after_the_last_bullet_of_a_list_left_open_is_a_paragraph_after_it() -> None:
    """A list the cell never closes ends at words typed on a line of their own after its last bullet (after an
    `<li>`, whose next typed line is its own, after an empty line), as the `list-not-closed` advice says; words
    running on in the last item, a line before another bullet, and a list closed after the line stay as they were."""
    assert kinds(parse_explanation("<ul> • a • b\nThose.")) == [
        ("bullet", "a"), ("bullet", "b"), ("paragraph", "Those.")]
    assert kinds(parse_explanation("<ul><li>a<li>b\n\n<i>Those</i>.")) == [
        ("bullet", "a"), ("bullet", "b"), ("paragraph", "Those.")]
    assert kinds(parse_explanation("<ul><li>a<li>b\nits next line")) == [
        ("bullet", "a"), ("bullet", "b\nits next line")]
    assert kinds(parse_explanation("<ul> • a • b Those.")) == [("bullet", "a"), ("bullet", "b Those.")]
    assert kinds(parse_explanation("<ul> • a\nb\n• c")) == [("bullet", "a"), ("bullet", "b"), ("bullet", "c")]
    assert kinds(parse_explanation("<ul><li>a<li>b\n\nc</ul>")) == [("bullet", "a"), ("bullet", "b\nc")]
