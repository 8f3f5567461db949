"""Tables of counts by cohort, and the safe tables that reports may show.

A cohort is a path in the programme's hierarchy: ``()`` is the whole programme, ``("KBC",)`` an agency and
``("KBC", "T-ADO")`` a team in that agency. A table is given for its *leaf* cohorts only, the smallest groups, and
each respondent belongs to exactly one leaf (someone with no team is counted in a leaf of their agency such as
``("KBC", "no team")``). Every parent's figures are worked out by adding up its children, so a total always agrees
with its parts and the rules in ``handlers.suppression`` can reason about exactly what a reader could subtract.

Each cell holds ``n``, the number of distinct people behind it, and a value that adds up across cohorts: a count
(for example reflections received) or, for an indicator, how many people gave each answer from 1 to 5.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from handlers.model import Frozen

logger = logging.getLogger(__name__)

CohortPath = tuple[str, ...]
CellKey = tuple[CohortPath, str]
Count = Annotated[int, Field(ge=0)]

K_FLOOR = 3
"""No figure is ever shown for fewer than 3 people, whatever a programme or caller asks for."""
TOTAL = "total"
"""Name of the row-total column added when a table asks for row totals."""
OTHER = "(other)"
"""Path element of a bucket made by ``roll_up`` from small cohorts, e.g. ``("KBC", OTHER)``."""
AGREE_FROM = 4
"""An answer of 4 or 5 on the 1–5 scale counts as agreeing."""


class IndicatorSummary(Frozen):
    """What a report shows for one indicator in one cell: how many answered, the median and the share answering 4–5.

    ``share_agree`` is None when fewer than k people are on either side (agreeing, or not): "20% (n=5)" is one
    person, and "0% (n=9)" says what every one of the nine answered. ``agree`` is the count behind the share.
    """

    n: int
    median: float
    share_agree: float | None
    agree: int | None = None

    def published(self) -> str:
        """The figure as far as a reader can tell it apart from another, for the disclosure ledger."""
        return f"median={self.median:g};agree={'-' if self.agree is None else self.agree};n={self.n}"


class ScoreCounts(Frozen):
    """How many people gave each answer from 1 to 5 to one indicator; never who gave which answer."""

    counts: tuple[Count, Count, Count, Count, Count] = (0, 0, 0, 0, 0)

    @classmethod
    def from_answers(cls, answers: Iterable[int]) -> ScoreCounts:
        counts = [0, 0, 0, 0, 0]
        for answer in answers:
            if answer not in range(1, 6):
                raise ValueError("An indicator answer must be a whole number from 1 to 5.")
            counts[answer - 1] += 1
        return cls(counts=(counts[0], counts[1], counts[2], counts[3], counts[4]))

    @property
    def n(self) -> int:
        return sum(self.counts)

    def __add__(self, other: ScoreCounts) -> ScoreCounts:
        a, b = self.counts, other.counts
        return ScoreCounts(counts=(a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4]))

    def summary(self, k: int = K_FLOOR) -> IndicatorSummary | None:
        """The median answer and the share answering 4 or 5, or None when nobody answered.

        The share is left out unless at least k people agreed and at least k did not (``IndicatorSummary``).
        """
        n = self.n
        if n == 0:
            return None
        middle = (self._answer_at((n - 1) // 2) + self._answer_at(n // 2)) / 2
        agree = sum(self.counts[AGREE_FROM - 1 :])
        if agree < k or n - agree < k:
            return IndicatorSummary(n=n, median=middle, share_agree=None)
        return IndicatorSummary(n=n, median=middle, share_agree=agree / n, agree=agree)

    def _answer_at(self, position: int) -> int:
        seen = 0
        for score, count in enumerate(self.counts, start=1):
            seen += count
            if position < seen:
                return score
        raise IndexError(position)


class Cell(Frozen):
    """One figure before any rule is applied: ``n`` distinct people and the value they add up to."""

    n: Count
    value: Count | ScoreCounts

    @model_validator(mode="after")
    def _scores_match_n(self) -> Self:
        if isinstance(self.value, ScoreCounts) and self.value.n != self.n:
            raise ValueError("An indicator cell's answers must add up to its number of people.")
        return self

    def __add__(self, other: Cell) -> Cell:
        if isinstance(self.value, ScoreCounts) and isinstance(other.value, ScoreCounts):
            return Cell(n=self.n + other.n, value=self.value + other.value)
        if isinstance(self.value, int) and isinstance(other.value, int):
            return Cell(n=self.n + other.n, value=self.value + other.value)
        raise TypeError("Counts and indicator answers cannot be added together.")


def add_cells(cells: Iterable[Cell]) -> Cell:
    """Add cells of one kind; an empty sum is an empty count cell."""
    total: Cell | None = None
    for cell in cells:
        total = cell if total is None else total + cell
    return total if total is not None else Cell(n=0, value=0)


def display_order(path: CohortPath) -> tuple[tuple[int, str], ...]:
    """Sort key: parents before their children, a roll-up bucket after its named siblings."""
    return tuple((1, part) if part == OTHER else (0, part) for part in path)


class CountTable(Frozen):
    """Figures for leaf cohorts (rows) by column (cycle or indicator), before any rule is applied.

    ``merged`` records which original leaves a roll-up bucket stands for; callers leave it empty.
    With ``row_totals`` a ``TOTAL`` column is added: its value is the sum of the row and its ``n`` the number of
    responses in the row (someone who answered in two columns counts twice). Because the same person may appear in
    several columns, the rules never assume more people behind a total than the largest column: see
    ``fewest_people``.
    """

    columns: tuple[str, ...]
    rows: dict[CohortPath, tuple[Cell, ...]]
    row_totals: bool = False
    merged: dict[CohortPath, tuple[CohortPath, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _well_formed(self) -> Self:
        if not self.columns or len(set(self.columns)) != len(self.columns):
            raise ValueError("A table needs at least one column and no repeated column names.")
        if self.row_totals and TOTAL in self.columns:
            raise ValueError(f"A table with row totals cannot have its own {TOTAL!r} column.")
        if not self.rows:
            raise ValueError("A table needs at least one row.")
        for path, row in self.rows.items():
            if not path or "" in path or len(row) != len(self.columns):
                raise ValueError("Every row needs a non-empty cohort path and one cell per column.")
        leaves = set(self.rows)
        if any(path[:i] in leaves for path in leaves for i in range(1, len(path))):
            raise ValueError("Figures are given for leaf cohorts only; parents are worked out by adding up.")
        if len({isinstance(cell.value, ScoreCounts) for row in self.rows.values() for cell in row}) > 1:
            raise ValueError("A table holds either counts or indicator answers, not both.")
        return self

    @classmethod
    def of_counts(
        cls, columns: Sequence[str], rows: Mapping[CohortPath, Sequence[int]], *, row_totals: bool = False
    ) -> CountTable:
        """A table of head counts, where each value is the number of people."""
        cells = {path: tuple(Cell(n=c, value=c) for c in row) for path, row in rows.items()}
        return cls(columns=tuple(columns), rows=cells, row_totals=row_totals)

    @classmethod
    def of_scores(
        cls, columns: Sequence[str], rows: Mapping[CohortPath, Sequence[ScoreCounts]], *, row_totals: bool = False
    ) -> CountTable:
        """A table of indicator answers, one ``ScoreCounts`` per cohort and column."""
        cells = {path: tuple(Cell(n=s.n, value=s) for s in row) for path, row in rows.items()}
        return cls(columns=tuple(columns), rows=cells, row_totals=row_totals)

    @property
    def all_columns(self) -> tuple[str, ...]:
        return (*self.columns, TOTAL) if self.row_totals else self.columns

    def cohorts(self) -> tuple[CohortPath, ...]:
        """Every cohort in the table, the whole programme ``()`` first, each parent before its children."""
        paths = {path[:i] for path in self.rows for i in range(len(path) + 1)}
        return tuple(sorted(paths, key=display_order))

    def children(self, parent: CohortPath) -> tuple[CohortPath, ...]:
        found = {
            path[: len(parent) + 1] for path in self.rows if len(path) > len(parent) and path[: len(parent)] == parent
        }
        return tuple(sorted(found, key=display_order))

    def cells(self) -> dict[CellKey, Cell]:
        """Every figure the table implies: leaves as given, parents added up, and row totals when asked for."""
        result: dict[CellKey, Cell] = {}
        for cohort in self.cohorts():
            under = [row for path, row in self.rows.items() if path[: len(cohort)] == cohort]
            row = tuple(add_cells(r[i] for r in under) for i in range(len(self.columns)))
            result.update({(cohort, column): cell for column, cell in zip(self.columns, row, strict=True)})
            if self.row_totals:
                result[(cohort, TOTAL)] = add_cells(row)
        return result

    def fewest_people(self, cells: Mapping[CellKey, Cell], keys: Iterable[CellKey]) -> int:
        """The fewest distinct people that must be behind these cells together.

        Cells of different cohorts in one column hold different people, so they add up. The same person may appear
        in several columns, so across columns only the largest figure is certain. A row total counts as its columns.
        """
        per_column: dict[str, int] = {}
        for cohort, column in keys:
            for col in self.columns if (self.row_totals and column == TOTAL) else (column,):
                per_column[col] = per_column.get(col, 0) + cells[(cohort, col)].n
        return max(per_column.values(), default=0)


class Hidden(StrEnum):
    """Why a figure is not shown. The wording is quoted to readers, with k filled in by the renderer."""

    FEWER_THAN_K = "fewer than k"
    COMPLEMENTARY = "hidden so that a smaller group cannot be worked out"
    DIFFERENCE = "hidden so that an earlier report cannot be used to work out a smaller group"


class SafeCell(Frozen):
    """One figure as a report may show it: either shown with its ``n``, or hidden with the reason."""

    cohort: CohortPath
    column: str
    n: int | None = None
    value: int | IndicatorSummary | None = None
    hidden: Hidden | None = None

    @property
    def shown(self) -> bool:
        return self.hidden is None


class SafeTable(Frozen):
    """The only table a report may render: every cell is either shown (n ≥ k) or hidden with a reason."""

    k: int
    columns: tuple[str, ...]
    cohorts: tuple[CohortPath, ...]
    cells: dict[CellKey, SafeCell]
    row_totals: bool = False
    merged: dict[CohortPath, tuple[CohortPath, ...]] = Field(default_factory=dict)

    def columns_behind(self, column: str) -> tuple[str, ...]:
        """The columns a figure covers: all of them for the row total, otherwise just its own."""
        if self.row_totals and column == TOTAL:
            return self.columns[:-1]
        return (column,)

    def cell(self, cohort: CohortPath, column: str) -> SafeCell:
        return self.cells[(cohort, column)]

    def shown_cells(self) -> tuple[SafeCell, ...]:
        return tuple(cell for cell in self.cells.values() if cell.shown)

    def leaves_under(self, cohort: CohortPath) -> frozenset[CohortPath]:
        """The original leaf cohorts a row stands for, looking through any roll-up buckets."""
        parents = {path[:-1] for path in self.cohorts if path}
        leaves = [p for p in self.cohorts if p[: len(cohort)] == cohort and p not in parents]
        return frozenset(original for leaf in leaves for original in self.merged.get(leaf, (leaf,)))


def describe_cohort(path: CohortPath) -> str:
    """A plain name for a cohort: "whole programme", the agency or team code, or "other teams in KBC"."""
    if not path:
        return "whole programme"
    if path[-1] != OTHER:
        return path[-1]
    if len(path) == 1:
        return "other agencies"
    if len(path) == 2:
        return f"other teams in {path[0]}"
    return f"other groups in {path[-2]}"
