"""A tagged PDF's Figure elements given their place on the page in the PDF's own units.

WeasyPrint (70) gives each Figure (a chart, a logo) a layout attribute `/A << /O /Layout /BBox [...] >>`, the box
a checker or an assistive tool uses to find the picture on the page; but it writes the box in CSS pixels measured
down from the top of the page, where PDF (ISO 32000, 14.8.5.4.3) measures in points up from the bottom. A chart
half-way down an A4 page was given a box reaching past its top edge (`[68 593 726 934]` on an 842-point page).
Here each such box is turned into points, up from the foot of its page: nothing drawn changes.

Called, as `reportgen.render.pdf.spoken` is, on a one-document PDF (`reportgen.render.pdf.artifacts`) and on each
part of a long paper before it is joined (`reportgen.render.pdf.join`): once on each PDF WeasyPrint wrote.
"""

from __future__ import annotations

import pikepdf

from reportgen.render.pdf.continued_tables import subtree

PX = 0.75  # points in a CSS pixel, at WeasyPrint's zoom of 1


def figure_boxes_in_points(pdf: pikepdf.Pdf) -> bool:
    """Each Figure's layout box (WeasyPrint's, in CSS pixels from the top of its page) in points from the foot of
    the page; whether there was any."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return False
    heights = {page.obj.objgen: float(page.mediabox[3]) for page in pdf.pages}
    changed = False
    for element in subtree(root):
        attributes = element.get("/A")
        if element.get("/S") != "/Figure" or not isinstance(attributes, pikepdf.Dictionary):
            continue
        box, page = attributes.get("/BBox"), element.get("/Pg")
        if not isinstance(box, pikepdf.Array) or len(box) != 4 or not isinstance(page, pikepdf.Dictionary):
            continue
        height = heights.get(page.objgen)
        if height is None:
            continue
        left, top, right, bottom = (float(value) * PX for value in box)
        attributes.BBox = pikepdf.Array([round(left, 3), round(height - bottom, 3), round(right, 3),
                                         round(height - top, 3)])
        changed = True
    return changed

