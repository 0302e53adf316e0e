"""A `Theme` as CSS custom properties: the one place a stylesheet learns the Word template's look.

`theme_variables` gives the (name, value) pairs and `theme_stylesheet` the `:root { … }` block an HTML
template puts *before* its stylesheet, which uses each as `var(--name, its own default)`; a
workspace's paper.css that sets a property itself (or redefines a variable) therefore still wins.
Every HTML output (the PDF's, the web edition) should call these, so they cannot drift apart.

Values are built from checked pieces only (hex colours, numbers, font names reduced to safe
characters, a base64 data URI of a PNG/JPEG/GIF), so nothing from a template can end the <style>
element or add a rule.
"""

from __future__ import annotations

import base64
import re
from typing import get_args

from reportgen.look import Logo, PageSetup, Rule, RuleStyle, TextStyle, Theme

LOGO_TYPES = ("image/png", "image/jpeg", "image/gif")
LOGO_MAX_WIDTH = 60.0  # mm: a logo wider than this in Word is scaled down in the page header
LOGO_GAP = 3.0  # mm between the logo and the page area (the header's padding in paper.css)
LOGO_MIN_ROOM = 6.0  # mm: the smallest logo height drawn, however small the top margin

_HEX = re.compile(r"[0-9A-Fa-f]{6}")
_UNSAFE_FONT = re.compile(r"[^A-Za-z0-9 ._&+-]")


def theme_variables(theme: Theme | None) -> tuple[tuple[str, str], ...]:
    """The theme's CSS custom properties, in a fixed order; only those the template sets."""
    if theme is None:
        return ()
    found: list[tuple[str, str]] = []
    styles = (("body", theme.body), ("title", theme.title), ("subtitle", theme.subtitle),
              *((f"h{level}", style) for level, style in enumerate(theme.headings[:3], start=1)),
              ("plan", theme.table_text), ("plan-header", theme.table_header), ("section", theme.section))
    for prefix, style in styles:
        found.extend(_text_style(prefix, style, theme))
    for name, fill in (("plan-header-fill", theme.table_header_fill), ("section-fill", theme.section_fill),
                       ("subsection-fill", theme.subsection_fill), ("cover-label-fill", theme.cover_label_fill),
                       ("cover-label-colour", theme.cover_label_colour)):
        if fill and _HEX.fullmatch(fill):
            found.append((name, f"#{fill.lower()}"))
    for prefix, rule in (("plan-rule", theme.plan_rule), ("cover-rule", theme.cover_rule)):
        found.extend(_rule(prefix, rule))
    for prefix, page in (("cover-page", theme.cover_page), ("plan-page", theme.plan_page)):
        found.extend(_page(prefix, page))
    if theme.logo is not None and logo_data_uri(theme.logo):
        found.extend(_logo_size(theme))
    return tuple(found)


def theme_stylesheet(theme: Theme | None) -> str:
    """`:root { --name: value; … }` ("" without a theme): safe to place unescaped in a <style> element,
    as every value is built from checked pieces."""
    variables = theme_variables(theme)
    if not variables:
        return ""
    body = "\n".join(f"  --{name}: {value};" for name, value in variables)
    return f":root {{\n{body}\n}}"


def logo_data_uri(logo: Logo | None) -> str:
    """The logo as a data: URI (read by the PDF's URL fetcher without touching a file); "" if unusable."""
    if logo is None or logo.media_type not in LOGO_TYPES or not logo.data:
        return ""
    return f"data:{logo.media_type};base64,{base64.b64encode(logo.data).decode('ascii')}"


def css_font(name: str) -> str:
    """A font name as a quoted CSS family, with any character that could break out of the string removed."""
    return '"' + _UNSAFE_FONT.sub("", name).strip() + '"'


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text_style(prefix: str, style: TextStyle, theme: Theme) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if style.font and _UNSAFE_FONT.sub("", style.font).strip():
        family = theme.pdf_font(style.font)
        generic = "serif" if "serif" in family.casefold() and "sans" not in family.casefold() else "sans-serif"
        found.append((f"{prefix}-font", f"{css_font(family)}, {generic}"))
    if style.size and 1 <= style.size <= 200:
        found.append((f"{prefix}-size", f"{_number(style.size)}pt"))
    if style.colour and _HEX.fullmatch(style.colour):
        found.append((f"{prefix}-colour", f"#{style.colour.lower()}"))
    if style.bold is not None:
        found.append((f"{prefix}-weight", "bold" if style.bold else "normal"))
    if style.italic is not None:
        found.append((f"{prefix}-style", "italic" if style.italic else "normal"))
    return found


def _rule(prefix: str, rule: Rule | None) -> list[tuple[str, str]]:
    if rule is None or not _HEX.fullmatch(rule.colour) or rule.style not in get_args(RuleStyle):
        return []
    return [(f"{prefix}-colour", f"#{rule.colour.lower()}"), (f"{prefix}-width", f"{_number(rule.width)}pt"),
            (f"{prefix}-style", rule.style)]


def _page(prefix: str, page: PageSetup | None) -> list[tuple[str, str]]:
    if page is None or min(page.width, page.height) <= 0:
        return []
    margins = (page.top, page.right, page.bottom, page.left)
    if min(margins) < 0 or page.left + page.right >= page.width or page.top + page.bottom >= page.height:
        return []  # margins that leave no page: keep the stylesheet's
    return [(f"{prefix}-size", f"{_number(page.width)}mm {_number(page.height)}mm"),
            (f"{prefix}-margin", " ".join(f"{_number(m)}mm" for m in margins))]


def _logo_size(theme: Theme) -> list[tuple[str, str]]:
    """The logo's size in the page header: as in Word, scaled down to fit the smallest top margin."""
    assert theme.logo is not None
    logo = theme.logo
    tops = [page.top for page in (theme.cover_page, theme.plan_page) if page is not None] or [17.0]
    room = max(min(tops) - LOGO_GAP - 2, LOGO_MIN_ROOM)
    scale = min(1.0, room / logo.height, LOGO_MAX_WIDTH / logo.width)
    width, height = logo.width * scale, logo.height * scale
    return [("logo-width", f"{_number(width)}mm"), ("logo-height", f"{_number(height)}mm"),
            ("logo-top", f"{_number(-(height + LOGO_GAP))}mm")]
