"""Which page header and footer each page of a Word document shows, as Word decides it: each section's default
ones, its first page's when the section has "Different First Page" ticked, its even pages' when the document has
"Different Odd & Even Pages"; a section with none of its own of a kind shows the previous section's.

A tag in a header or footer no page shows marks no page, so whatever must be on every page (the protective
marking) is looked for here, page by page, and each page that lacks it is named as Word names its footer
("First Page Footer -Section 1-"), where the officer double-clicks to mend it.

What it must not do: change the document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

Element = Any  # lxml elements (python-docx oxml classes)

# Word's names of the kinds of page a section has, in the order Word lists them
_WORD_NAMES = {"first": "First Page ", "even": "Even Page ", "default": ""}


@dataclass(frozen=True)
class Pages:
    """The pages of one section that show one header and one footer: its first page, its even pages, or the rest
    (`kind` "first", "even" or "default", as Word's headerReference types say it)."""

    section: int  # 1-based, as Word's "Footer -Section 2-" counts
    kind: str
    header: Element | None  # the root of the header part they show; None: Word shows an empty one
    footer: Element | None

    @property
    def key(self) -> tuple[int, str]:
        """Which pages these are, the same in the template and in the paper filled in from it."""
        return self.section, self.kind


def footer_name(key: tuple[int, str]) -> str:
    """The footer of some pages (`Pages.key`) as Word labels it when the officer opens it: "Footer -Section 1-",
    "First Page Footer -Section 1-"."""
    section, kind = key
    return f"{_WORD_NAMES[kind]}Footer -Section {section}-"


def shown_pages(document: DocxDocument) -> Iterator[Pages]:
    """Each kind of page of each section of `document`, with the header and footer Word shows on it."""
    settings = document.settings.element
    odd_and_even = _on(settings.find(qn("w:evenAndOddHeaders")))
    in_force: dict[tuple[str, str], Element | None] = {}  # (header or footer, kind) → what the last section showed
    sections = document.element.body.xpath("./w:p/w:pPr/w:sectPr | ./w:sectPr")  # in the document's order
    for number, section in enumerate(sections, start=1):
        for part in ("header", "footer"):
            for reference in section.findall(qn(f"w:{part}Reference")):
                in_force[part, reference.get(qn("w:type"), "default")] = _target(document, reference)
        kinds = ["default", *(["first"] if _on(section.find(qn("w:titlePg"))) else []),
                 *(["even"] if odd_and_even else [])]
        for kind in kinds:
            yield Pages(number, kind, in_force.get(("header", kind)), in_force.get(("footer", kind)))


def _target(document: DocxDocument, reference: Element) -> Element | None:
    rel = document.part.rels.get(reference.get(qn("r:id")))
    return getattr(rel.target_part, "element", None) if rel is not None and not rel.is_external else None


def _on(flag: Element | None) -> bool:
    """Whether a Word on/off setting (`<w:titlePg/>`, `<w:titlePg w:val="0"/>`) is there and on."""
    return flag is not None and flag.get(qn("w:val"), "true").lower() not in ("0", "false", "off")
