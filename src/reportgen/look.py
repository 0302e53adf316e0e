"""The paper's look, read once from the Word template (`reportgen.render.theme`) and carried on the Paper:
text styles, page set-up, the logo and the fonts the PDF uses. Plain frozen values every renderer draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class TextStyle:
    """A Word style's character look, resolved through its base styles; None: the template does not say."""

    font: str | None = None  # as named in Word (see Theme.pdf_fonts for the font the PDF uses)
    size: float | None = None  # points
    colour: str | None = None  # RRGGBB
    bold: bool | None = None
    italic: bool | None = None


@dataclass(frozen=True)
class PageSetup:
    """A Word section's page: size and margins in millimetres."""

    width: float
    height: float
    top: float
    right: float
    bottom: float
    left: float

    @property
    def orientation(self) -> Literal["portrait", "landscape"]:
        return "landscape" if self.width > self.height else "portrait"


@dataclass(frozen=True)
class Logo:
    """The picture in the template's header: its bytes, type, alt text and size in Word (mm), and whether Word
    marks it as decorative (page furniture a screen reader passes over: then its alt text is "")."""

    data: bytes
    media_type: str  # image/png, image/jpeg or image/gif
    alt: str
    width: float
    height: float
    decorative: bool = False


RuleStyle = Literal["solid", "double", "dotted", "dashed", "none"]  # CSS border styles a Word line is drawn with


@dataclass(frozen=True)
class Rule:
    """A table's lines as the Word template draws them: colour RRGGBB (black for Word's "auto", as Word shows it),
    width in points, and the CSS border style of Word's line ("none" when the template took the lines off)."""

    colour: str
    width: float
    style: RuleStyle


@dataclass(frozen=True)
class FontWidths:
    """A font's advance widths, in ems, of the characters '!' (33) to '~' (126): regular and bold.
    What the plan table's column widths are measured with (`reportgen.paper.column_widths`)."""

    regular: tuple[float, ...]
    bold: tuple[float, ...]


@dataclass(frozen=True)
class Theme:
    """The paper's look, read once from the Word template (`reportgen.render.theme`) and drawn by every renderer.

    Styles are Word's by name: body = Normal; title = Title; headings = Heading 1-3. The plan table's
    look comes from the template's prototype rows: its first row (header), the [[SECTION]] and
    [[SUBSECTION]] rows and the [[CELL]] row. Colours are RRGGBB; None means the template does not say.
    """

    body: TextStyle = TextStyle()
    title: TextStyle = TextStyle()
    subtitle: TextStyle = TextStyle()
    headings: tuple[TextStyle, ...] = ()  # Heading 1, 2, 3
    table_text: TextStyle = TextStyle()  # the plan table's action cells
    table_header: TextStyle = TextStyle()
    table_header_fill: str | None = None
    section: TextStyle = TextStyle()
    section_fill: str | None = None
    subsection_fill: str | None = None
    cover_label_fill: str | None = None
    cover_label_colour: str | None = None  # the labels' text (white on a dark fill): their font and size are the PDF's
    plan_rule: Rule | None = None  # the lines between the plan table's rows and cells
    cover_rule: Rule | None = None  # the cover sheet table's
    status_fills: tuple[tuple[str, str], ...] = ()  # status class -> RRGGBB, from the "Status …" styles
    cover_page: PageSetup | None = None
    plan_page: PageSetup | None = None
    logo: Logo | None = None
    pdf_fonts: tuple[tuple[str, str], ...] = ()  # font named in Word -> installed family the PDF uses
    # the widths of the fonts the PDF sets the plan table's text and header in (None: not measured, Arial's)
    table_text_widths: FontWidths | None = None
    table_header_widths: FontWidths | None = None
    # (column key, heading) of the plan header cells the template words otherwise than ours: the paper heads its
    # columns from the register and reportgen.toml, so a build says where to name such a heading
    renamed_headings: tuple[tuple[str, str], ...] = ()
    # (column key, share of the table) of the plan's columns as the officer dragged them in the template; () when
    # they are as in ours (the paper's own widths then)
    column_shares: tuple[tuple[str, float], ...] = ()
    # column keys whose column the officer deleted from the template's plan table (the paper still prints them)
    missing_columns: tuple[str, ...] = ()
    # cells in the template's plan header row (0: no plan table): fewer than ours with none of `missing_columns`
    # told, a column was deleted and others reworded
    template_columns: int = 0

    @property
    def fonts(self) -> tuple[str, ...]:
        """Every font the template names, once each, body first."""
        styles = (self.body, self.title, self.subtitle, *self.headings, self.table_text, self.table_header,
                  self.section)
        return tuple(dict.fromkeys(style.font for style in styles if style.font))

    def pdf_font(self, name: str) -> str:
        return dict(self.pdf_fonts).get(name, name)
