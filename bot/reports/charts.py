"""Charts as PNG with matplotlib (the Agg renderer, no display): plain titles, labelled axes, colour-blind-safe colours.

Figures are made with ``matplotlib.figure.Figure`` directly (no pyplot state), so building charts in a thread or a
server is safe. The PNG carries the chart's title and text alternative in its metadata.
"""

from __future__ import annotations

import io
import logging
import math
import textwrap
from functools import lru_cache

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from handlers.reports.model import PALETTE, Chart, Panel

logger = logging.getLogger(__name__)

DPI = 130
NOTHING = "Nothing to show yet: too few answers, or no data."
# Each series of stacked bars also has its own pattern and each line its own marker, so that the RAG colours can be
# told apart without seeing colour (in the legend too), and in a black-and-white print.
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


@lru_cache(maxsize=8)
def render_png(chart: Chart) -> bytes:
    """The chart as PNG bytes (the last few are cached: HTML and DOCX embed the same picture)."""
    figure = figure_for(chart)
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Title": chart.title, "Description": chart.alt[:1000]})
    return buffer.getvalue()


def figure_for(chart: Chart) -> Figure:
    """The matplotlib figure for a chart; its suptitle is the chart's title."""
    if chart.kind == "lines":
        figure = _lines(chart)
    elif chart.kind == "bars":
        figure = _bars(chart)
    else:
        figure = _quadrant(chart)
    figure.suptitle(chart.title, fontsize=14, fontweight="bold", x=0.01, ha="left")
    return figure


def _empty(ax: Axes) -> None:
    ax.text(0.5, 0.5, NOTHING, ha="center", va="center", fontsize=11, wrap=True, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _lines(chart: Chart) -> Figure:
    panels = chart.panels or (Panel(title="", categories=(), series=()),)
    columns = 1 if len(panels) == 1 else 2
    rows = math.ceil(len(panels) / columns)
    height = 1.2 + 2.9 * rows
    figure = Figure(figsize=(11, height))
    figure.subplots_adjust(left=0.07, right=0.98, top=1 - 0.85 / height, bottom=0.75 / height, hspace=0.75, wspace=0.18)
    axes = figure.subplots(rows, columns, squeeze=False)
    for ax, panel in zip(axes.flat, panels, strict=False):
        _line_panel(ax, panel, chart)
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_visible(False)
    return figure


def _line_panel(ax: Axes, panel: Panel, chart: Chart) -> None:
    ax.set_title(textwrap.shorten(panel.title, 60, placeholder=" …"), loc="left", fontsize=10)
    shown = [s for s in panel.series if any(v is not None for v in s.values)]
    if not shown:
        _empty(ax)
        return
    positions = list(range(len(panel.categories)))
    for number, series in enumerate(shown):
        values = [math.nan if v is None else v for v in series.values]
        marker = MARKERS[number % len(MARKERS)]
        ax.plot(positions, values, marker=marker, linewidth=2, color=PALETTE[series.colour], label=series.label)
        for x, v in zip(positions, series.values, strict=True):
            if v is not None:
                ax.annotate(f"{v:.0f}%", (x, v), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8)
    ax.set_xticks(positions, [textwrap.fill(c, 14) for c in panel.categories], fontsize=8)
    ax.set_xlim(-0.5, len(positions) - 0.5)
    ax.set_ylim(0, (chart.y_max or 100) * 1.12)
    ax.set_ylabel(chart.y_label, fontsize=8)
    ax.set_xlabel(chart.x_label, fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)


def _bars(chart: Chart) -> Figure:
    """Stacked horizontal bars. Margins are worked out from the labels (no layout engine: it is slow with many
    bars); segments are labelled with their numbers when there are few bars, and each bar with its total."""
    panel = chart.panels[0] if chart.panels else Panel(title="", categories=(), series=())
    labels = [textwrap.shorten(c, 45, placeholder=" …") for c in panel.categories]
    rows = max(len(labels), 3)
    legend = len(panel.series) > 1
    width, height = 11.0, 1.6 + 0.3 * rows + (0.75 if legend else 0)
    figure = Figure(figsize=(width, height))
    left = min(4.0, 0.8 + 0.062 * max((len(label) for label in labels), default=0))
    figure.subplots_adjust(
        left=left / width, right=0.97, top=1 - 0.75 / height, bottom=(1.45 if legend else 0.7) / height
    )
    ax = figure.add_subplot()
    if not panel.categories or not any(v for s in panel.series for v in s.values if v is not None):
        _empty(ax)
        return figure
    positions = list(range(len(panel.categories)))
    start = [0.0] * len(positions)
    for number, series in enumerate(panel.series):
        values = [v or 0.0 for v in series.values]
        bars = ax.barh(
            positions, values, left=start, color=PALETTE[series.colour], label=series.label, height=0.7,
            hatch=HATCHES[number % len(HATCHES)] if legend else None, edgecolor="white", linewidth=0.6,
        )  # fmt: skip
        if len(positions) <= 12 and legend:  # a single series needs only the total at the end
            texts = [f"{v:g}" if v else "" for v in values]
            ax.bar_label(
                bars, labels=texts, label_type="center", fontsize=9, color="black",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9},
            )  # fmt: skip
        start = [a + b for a, b in zip(start, values, strict=True)]
    for y, total in zip(positions, start, strict=True):
        ax.annotate(f"{total:g}", (total, y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(positions, labels, fontsize=9)
    ax.set_ylim(len(positions) - 0.5, -0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(chart.x_label)
    ax.set_ylabel(chart.y_label)
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if legend:
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 0.02), bbox_transform=figure.transFigure, ncol=4,
                  frameon=False, fontsize=9)  # fmt: skip
    return figure


def _quadrant(chart: Chart) -> Figure:
    figure = Figure(figsize=(10, 8.5))
    figure.subplots_adjust(left=0.09, right=0.97, top=0.91, bottom=0.08)
    ax = figure.subplots()
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.axvline(3.5, color="#555555", linewidth=1)
    ax.axhline(3.5, color="#555555", linewidth=1)
    corners = (
        (0.6, 5.4, "left", "top"),
        (5.4, 5.4, "right", "top"),
        (0.6, 0.6, "left", "bottom"),
        (5.4, 0.6, "right", "bottom"),
    )
    for (x, y, ha, va), text in zip(corners, chart.quadrants, strict=True):
        ax.text(x, y, textwrap.fill(text, 26), ha=ha, va=va, fontsize=9, color="#333333", style="italic")
    if not chart.marks:
        ax.text(3, 3, NOTHING, ha="center", va="center")
    for mark in chart.marks:
        area = 90 + 45 * mark.size
        ax.scatter([mark.x], [mark.y], s=area, color=PALETTE[mark.colour], edgecolor="black", zorder=3)
        offset = math.sqrt(area) / 2 + 3
        ax.annotate(
            mark.label, (mark.x, mark.y), textcoords="offset points", xytext=(offset, 0), ha="left", va="center",
            fontsize=9, fontweight="bold", zorder=4,
        )  # fmt: skip
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.set_xlabel(chart.x_label)
    ax.set_ylabel(chart.y_label)
    ax.set_aspect("equal")
    return figure
