"""`draw_charts`: the progress charts of a paper as SVG (PDF and web edition) and PNG (DOCX).

Drawn with matplotlib's object API (no pyplot: no global figure state, safe beside other threads)
from `Paper.progress` only, so every format shows the same numbers. The same paper gives the same
bytes: SVG ids come from a fixed hash salt, and neither format records a date or the software's
version. Statuses are told apart by hatching and by the legend's words as well as by colour.
"""

from __future__ import annotations

import base64
import functools
import io
import itertools
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportgen.model import Chart, Paper
from reportgen.terms import NO_RECOGNISED_STATUS, NO_UPDATE_YET, STATUS_CLASSES, STATUS_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
    from matplotlib.text import Annotation

# darker companions of the pale status fills, so bars keep a visible edge on white
EDGES = {"completed": "#2e7d32", "in-progress": "#8a6d00", "not-started": "#595959", "on-hold": "#1f5f99"}
HATCHES = {"completed": "", "in-progress": "//", "not-started": "..", "on-hold": "xx"}
FONT = ["Liberation Sans", "DejaVu Sans"]
PNG_DPI = 150


@dataclass(frozen=True)
class DrawnChart:
    key: str
    title: str
    alt: str
    svg: bytes
    png: bytes
    width_in: float  # drawn size, inches: the DOCX picture keeps it
    height_in: float


def draw_charts(paper: Paper) -> tuple[DrawnChart, ...]:
    """Every chart of the paper's progress; none when the paper has no history."""
    if paper.progress is None:
        return ()
    return tuple(drawn(chart) for chart in paper.progress.charts if chart.rows)


_DRAW_LOCK = threading.Lock()


@functools.lru_cache(maxsize=16)
def drawn(chart: Chart) -> DrawnChart:
    """`draw`, once per chart per process: the DOCX, PDF and HTML renderers run in parallel threads
    and ask for the same charts; matplotlib's settings are process-wide, so one draws at a time."""
    with _DRAW_LOCK:
        return draw(chart)


def chart_src(chart: Chart) -> str:
    """The chart's SVG as a data: URL, for an <img> whose alt is the chart's alt text: the web edition
    stays one file, and WeasyPrint tags the picture as a Figure with that Alt."""
    return "data:image/svg+xml;base64," + base64.b64encode(drawn(chart).svg).decode("ascii")


@contextmanager
def _settings() -> Iterator[None]:
    import matplotlib  # ~0.4 s to import: only papers with a history pay it

    with matplotlib.rc_context({"svg.hashsalt": "reportgen", "svg.fonttype": "none", "font.family": "sans-serif",
                                "font.sans-serif": FONT, "font.size": 9, "hatch.linewidth": 0.6}):
        yield


OTHER = NO_RECOGNISED_STATUS
OTHER_STYLE = {"color": "#f2f2f2", "edgecolor": "#595959", "hatch": "\\\\"}  # pale grey, a pattern of its own
NO_UPDATE_STYLE = {"color": "#ffffff", "edgecolor": "#595959", "hatch": ""}  # white, outlined: nothing reported


def _series(chart: Chart) -> Iterator[tuple[str, list[int], dict[str, Any]]]:
    """Each status's counts and look, then the actions with no update yet and those with no recognised status,
    each when there are any: the bars add up to the totals the table below them gives."""
    for status, status_class in STATUS_CLASSES.items():
        yield status, [dict(row.counts).get(status, 0) for row in chart.rows], {
            "color": "#" + STATUS_COLOURS[status_class], "edgecolor": EDGES[status_class],
            "hatch": HATCHES[status_class], "linewidth": 0.8, "label": status}
    no_update = [row.no_update for row in chart.rows]
    if any(no_update):
        yield NO_UPDATE_YET, no_update, {**NO_UPDATE_STYLE, "linewidth": 0.8, "label": NO_UPDATE_YET}
    others = [row.other for row in chart.rows]
    if any(others):
        yield OTHER, others, {**OTHER_STYLE, "linewidth": 0.8, "label": OTHER}


def _drop_numbers_without_room(figure: Figure, numbered: list[tuple[Rectangle, Annotation]],
                               horizontal: bool, laid_out: bool = False) -> None:
    """Take out each number whose white box does not fit in its segment along the bar, a point to spare at each
    end: a segment of 1 beside one of 1 or 2 in a tall bar put its number over its neighbour's, and neither could
    be read. Such a segment is left bare; the table beside the chart gives its number. Measured once the figure
    is laid out as it is saved (both formats are drawn at the same size in points), unless it is already
    (`laid_out`: laying it out again moves the bars by a fraction of a pixel, so the same chart drew other bytes)."""
    if not laid_out:
        figure.draw_without_rendering()
    spare = 2 * figure.dpi / 72  # a point at each end, in pixels
    for bar, number in numbered:
        patch = number.get_bbox_patch()
        if patch is None:  # every number is drawn in a box: none to measure, none to take out
            continue
        room, box = bar.get_window_extent(), patch.get_window_extent()
        if (box.width if horizontal else box.height) + spare > (room.width if horizontal else room.height):
            number.remove()


LABEL_GAP = 4  # points between two periods' names under their bars


def _labels_crowded(figure: Figure, axes: Axes) -> bool:
    """Whether any period's name under its bar runs into, or within LABEL_GAP of, the next one's."""
    figure.draw_without_rendering()
    spare = LABEL_GAP * figure.dpi / 72
    extents = [label.get_window_extent() for label in axes.get_xticklabels()]
    return any(left.x1 + spare > right.x0 for left, right in itertools.pairwise(extents))


def _labels_height(figure: Figure, axes: Axes) -> float:
    """The height of the tallest period name under the bars, in points."""
    figure.draw_without_rendering()
    return max((label.get_window_extent().height for label in axes.get_xticklabels()), default=0) * 72 / figure.dpi


def _fit_period_labels(figure: Figure, axes: Axes, labels: list[str]) -> float:
    """Periods' names that fit under their bars: on one line while they fit ("October 2026"), else a word a line
    ("October" over "2026"), else slanted; how much lower (points) the legend goes to stay clear of them.

    Twelve periods, the default, ran their names into one another ("October 2025November 2025December…").
    """
    if not _labels_crowded(figure, axes):
        return 0.0
    one_line = _labels_height(figure, axes)
    axes.set_xticks(range(len(labels)), [label.replace(" ", "\n") for label in labels])
    if _labels_crowded(figure, axes):
        axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right", rotation_mode="anchor")
    return _labels_height(figure, axes) - one_line


def draw(chart: Chart) -> DrawnChart:
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator
    from matplotlib.transforms import ScaledTranslation

    horizontal = chart.key == "sections"
    labels = [textwrap.fill(row.label, 28) for row in chart.rows]
    width = 8.0
    height = max(2.6, 0.55 * len(labels) + 1.4) if horizontal else 3.6
    with _settings():
        figure = Figure(figsize=(width, height))
        axes = figure.add_subplot()
        offsets = [0] * len(labels)
        numbered: list[tuple[Rectangle, Annotation]] = []  # each segment and the number in it
        keys = []  # the legend's swatches, drawn from the style (a bar of 0 has no outline)
        for status, values, style in _series(chart):
            positions = list(range(len(labels)))
            bars = (axes.barh(positions, values, left=offsets, height=0.6, **style) if horizontal
                    else axes.bar(positions, values, bottom=offsets, width=0.6, **style))
            for bar, value in zip(bars, values):
                if not value:  # an empty segment: no outline (it drew a stray line across the bar)
                    bar.set_linewidth(0)
            keys.append(Patch(facecolor=style["color"], edgecolor=style["edgecolor"], hatch=style["hatch"],
                              linewidth=style["linewidth"], label=status))
            # the number in each segment, so the reader need not measure the bar (taken out where it has no room)
            numbers = axes.bar_label(bars, labels=[str(v) if v else "" for v in values], label_type="center",
                                     fontsize=8, color="#1a1a1a",
                                     bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "edgecolor": "none"})
            numbered.extend((bar, number) for bar, number, value in zip(bars, numbers, values) if value)
            offsets = [o + v for o, v in zip(offsets, values)]
        (axes.xaxis if horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
        # room beyond the longest bar: its last segment keeps its outline, not drawn along the chart's edge
        (axes.set_xlim if horizontal else axes.set_ylim)(0, max(offsets, default=0) * 1.04 + 0.5)
        if horizontal:
            axes.set_yticks(range(len(labels)), labels)
            axes.invert_yaxis()
            axes.set_xlabel("Number of actions")
        else:
            axes.set_xticks(range(len(labels)), labels)
            axes.set_ylabel("Number of actions")
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_title(chart.title, loc="left", fontsize=11, fontweight="bold")
        # six swatches in one line are wider than the chart: two lines of three
        anchor = (0.5, -0.12 if not horizontal else -0.18 / height * 3)
        legend = axes.legend(handles=keys, ncols=len(keys) if len(keys) <= 5 else 3, loc="upper center",
                             bbox_to_anchor=anchor, frameon=False)
        figure.set_layout_engine("tight")
        lower = 0.0 if horizontal else _fit_period_labels(figure, axes, labels)
        if lower:  # below the periods' names, which now take more room
            lowered = axes.transAxes + ScaledTranslation(0, -lower / 72, figure.dpi_scale_trans)
            legend.set_bbox_to_anchor(anchor, lowered)
        _drop_numbers_without_room(figure, numbered, horizontal, laid_out=not horizontal and not lower)
        svg, png = io.BytesIO(), io.BytesIO()
        figure.savefig(svg, format="svg", metadata={"Date": None, "Creator": None, "Title": chart.title})
        figure.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None, "Title": chart.title})
    return DrawnChart(chart.key, chart.title, chart.alt, svg.getvalue(), png.getvalue(), width, height)
