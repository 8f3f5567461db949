"""Charts keep the RAG colours apart without colour: a pattern per stacked series, a marker per line, numbers."""

from __future__ import annotations

from matplotlib.container import BarContainer

from bot.reports.charts import figure_for
from handlers.reports.model import Chart, Panel, Series

RAG = (("On track", "green"), ("At risk", "amber"), ("Off track or blocked", "red"), ("Closed", "blue"))


def test_each_stacked_series_has_its_own_pattern_and_its_numbers():
    series = tuple(Series(label=name, values=(1.0, 2.0, 3.0), colour=colour) for name, colour in RAG)
    chart = Chart(
        kind="bars",
        title="t",
        x_label="x",
        y_label="y",
        panels=(Panel(title="", categories=("R1", "R2", "R3"), series=series),),
    )
    ax = figure_for(chart).axes[0]
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    hatches = [bar.patches[0].get_hatch() or "" for bar in bars]
    assert len(bars) == len(RAG) and len(set(hatches)) == len(RAG), hatches
    legend = ax.get_legend()
    assert legend is not None and [t.get_text() for t in legend.get_texts()] == [name for name, _ in RAG]
    assert {h.get_hatch() or "" for h in legend.legend_handles} == set(hatches)  # type: ignore[union-attr]
    labelled = {t.get_text() for t in ax.texts}
    assert {"1", "2", "3"} <= labelled


def test_each_line_has_its_own_marker():
    series = tuple(Series(label=name, values=(10.0, 20.0), colour=colour) for name, colour in RAG)
    chart = Chart(
        kind="lines",
        title="t",
        x_label="x",
        y_label="y",
        panels=(Panel(title="p", categories=("C0", "C3"), series=series),),
    )
    ax = figure_for(chart).axes[0]
    markers = [line.get_marker() for line in ax.get_lines()]
    assert len(markers) == len(RAG) and len(set(markers)) == len(RAG)
