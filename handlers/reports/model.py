"""The neutral report model every renderer reads: sections of paragraphs, lists, tables and one chart.

Nothing here decides what may be shown: builders only ever put figures in that have passed ``handlers.thresholds``.
A cell about people carries ``n``, the number of people behind it, so tests can check every such figure.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from handlers.model import Frozen

Colour = Literal["green", "amber", "red", "blue", "grey", "sky", ""]
# Okabe–Ito colours, distinguishable with the common kinds of colour blindness; text always says the same thing.
PALETTE: dict[str, str] = {
    "green": "#009E73",
    "amber": "#E69F00",
    "red": "#D55E00",
    "blue": "#0072B2",
    "grey": "#8C8C8C",
    "sky": "#56B4E9",
    "": "#0072B2",
}
RAG_WORDS: dict[str, str] = {
    "green": "Green",
    "amber": "Amber",
    "red": "Red",
    "blue": "Blue",
    "grey": "Grey",
    "sky": "Green",
}


class Cell(Frozen):
    """One table cell: its text, a RAG colour for status cells, and ``n`` when the figure is about people."""

    text: str
    colour: Colour = ""
    n: int | None = None
    hidden: bool = False  # a figure held back by the thresholds; its text says why


def cell(value: object, colour: Colour = "", n: int | None = None) -> Cell:
    return Cell(text=str(value), colour=colour, n=n)


class Table(Frozen):
    """A table. Narrative formats show at most ``show_at_most`` rows and say how many more the CSV holds."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...] = ()
    show_at_most: int | None = None
    note: str = ""
    explain: tuple[tuple[str, str], ...] = ()  # (column, what it means in one line), shown under the table
    empty: str = "Nothing to show."
    overflow: str = "in the CSV version of this report"  # where the rows not shown can be found

    def explanation(self) -> str:
        """One line saying what the columns mean, or "" when no column needs it."""
        return " ".join(f"{name}: {meaning}" for name, meaning in self.explain)

    def shown_rows(self) -> tuple[tuple[Cell, ...], ...]:
        return self.rows if self.show_at_most is None else self.rows[: self.show_at_most]

    @property
    def more(self) -> int:
        return len(self.rows) - len(self.shown_rows())

    def more_text(self) -> str:
        """What to say about rows left out of a narrative format, or "" when every row is shown."""
        if not self.more:
            return ""
        if not self.shown_rows():
            return f"All {len(self.rows):,} rows are {self.overflow}."
        return f"{self.more:,} more rows are {self.overflow}."


class Series(Frozen):
    """One line or one stack of bars: a value per category, or None where nothing may be shown."""

    label: str
    values: tuple[float | None, ...]
    colour: Colour = ""


class Panel(Frozen):
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]


class Mark(Frozen):
    """A point on the prioritisation map."""

    label: str
    x: float
    y: float
    size: int = 1
    colour: Colour = ""


class Chart(Frozen):
    """The report's picture. ``lines``: trends per panel; ``bars``: stacked horizontal bars; ``quadrant``: a 2×2."""

    kind: Literal["lines", "bars", "quadrant"]
    title: str
    x_label: str
    y_label: str
    panels: tuple[Panel, ...] = ()
    marks: tuple[Mark, ...] = ()
    quadrants: tuple[str, str, str, str] = ("", "", "", "")  # top-left, top-right, bottom-left, bottom-right
    y_max: float | None = None
    alt: str = ""  # a text alternative for screen readers

    @property
    def empty(self) -> bool:
        if self.kind == "quadrant":
            return not self.marks
        return not any(v is not None for p in self.panels for s in p.series for v in s.values)


class Section(Frozen):
    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()


class Report(Frozen):
    kind: str
    title: str
    subtitle: str
    as_of: dt.date
    k: int
    summary: str  # two or three sentences: the chat message, and the top of every format
    sections: tuple[Section, ...]
    chart: Chart | None = None
    csv_table: str = ""  # the key of the table the CSV holds
    data: tuple[Table, ...] = ()  # tables only the CSV holds (one row per figure), never shown in the document
    footnote: str = ""
    partnership: str = ""  # the author of every document
    marking: str = ""  # the protective marking printed on every page, e.g. OFFICIAL-SENSITIVE

    def tables(self) -> tuple[Table, ...]:
        """The tables the document shows, in order."""
        return tuple(table for section in self.sections for table in section.tables)

    def table(self, key: str) -> Table | None:
        return next((t for t in (*self.tables(), *self.data) if t.key == key), None)

    def cover(self) -> str:
        """The line under the title: who, which review, and the date the figures describe."""
        return f"{self.subtitle} · position on {self.as_of:%-d %B %Y}"


def natural(code: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts R2 before R10."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", code) if part)


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def listing(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def threshold_note(k: int, sensitive_k: int | None = None) -> str:
    extra = (
        f" Questions about feeling safe to speak up or challenge need at least {sensitive_k} people."
        if sensitive_k is not None and sensitive_k > k
        else ""
    )
    return (
        f"Figures about people are shown only for groups of at least {k}; smaller groups are hidden, and so are any "
        "figures that would let a smaller group be worked out from the others." + extra + " Nothing anyone wrote "
        f"is quoted: themes are described by their tags and by short phrases at least {k} different people used."
    )
