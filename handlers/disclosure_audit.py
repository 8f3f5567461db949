"""Exact checks of what a reader could work out from the figures a table shows.

Two questions are asked of a proposed table, both with exact arithmetic (whole numbers, never floating point):

- **Can a hidden figure be solved for?** Every published sum (parent = sum of its children, row total = sum of
  its columns) is a linear equation; shown figures are known numbers. A hidden figure is exposed when the
  equations pin it down, however many of them have to be combined.
- **Can a figure about fewer than k people be worked out, using the fact that nobody is counted below zero?**
  Showing a programme total of 3 and one team of 3 tells a reader that every other group had nobody, although no
  single hidden cell is "solved for". Each shown figure counts the people in some set of (team, column) slots.
  The slots fall into pieces that every shown figure either covers whole or not at all; a piece with fewer than
  k people (including none) is small. A reader can work out something about small pieces alone exactly when
  some combination of shown figures adds up to nothing outside them, which a rank comparison detects.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from math import gcd

from handlers.count_table import TOTAL, Cell, CellKey, CohortPath, CountTable

logger = logging.getLogger(__name__)

Row = dict[int, int]
Slot = tuple[CohortPath, str]


@dataclass(frozen=True)
class Sum:
    """One published relation: ``total`` is the sum of ``parts``."""

    total: CellKey
    parts: tuple[CellKey, ...]

    @property
    def members(self) -> tuple[CellKey, ...]:
        return (self.total, *self.parts)


def published_sums(table: CountTable) -> list[Sum]:
    """Every relation a reader could use: parent = sum of children per column, and row totals if present."""
    sums: list[Sum] = []
    for cohort in table.cohorts():
        children = table.children(cohort)
        if children:
            sums += [Sum((cohort, col), tuple((child, col) for child in children)) for col in table.all_columns]
        if table.row_totals:
            sums.append(Sum((cohort, TOTAL), tuple((cohort, col) for col in table.columns)))
    return sums


def determined(sums: Iterable[Sum], hidden: Iterable[CellKey]) -> set[CellKey]:
    """Hidden cells whose exact value follows from the shown cells and the published sums.

    Each sum becomes one linear equation in the hidden cells (shown cells are known numbers). A hidden cell is
    determined exactly when its unit vector lies in the row space of those equations, which the reduced row
    echelon form tells us: its pivot row has no other entry. Arithmetic is on whole numbers, so it is exact.
    """
    hidden_set = set(hidden)
    unknowns = sorted(hidden_set)
    index = {key: i for i, key in enumerate(unknowns)}
    rows: list[Row] = []
    for relation in sums:
        row: Row = {}
        for sign, key in ((1, relation.total), *((-1, part) for part in relation.parts)):
            if key in hidden_set:
                row[index[key]] = row.get(index[key], 0) + sign
        row = {col: value for col, value in row.items() if value}
        if row:
            rows.append(row)
    pivots = _reduce(rows)
    return {unknowns[col] for col, row in pivots.items() if len(row) == 1}


def _reduce(rows: list[Row]) -> dict[int, Row]:
    """Sparse reduced row echelon form: pivot column → row, each row zero in every other pivot column."""
    pivots: dict[int, Row] = {}
    for original in rows:
        row = dict(original)
        for col in [c for c in row if c in pivots]:
            row = _lowest_terms(_combine(pivots[col][col], row, row[col], pivots[col]))[0]
        if not row:
            continue
        pivot = min(row)
        for col, other in pivots.items():
            if pivot in other:
                pivots[col] = _lowest_terms(_combine(row[pivot], other, other[pivot], row))[0]
        pivots[pivot] = row
    return pivots


def _combine(a: int, row: Row, b: int, other: Row) -> Row:
    """a·row − b·other, leaving out zeros."""
    result = {col: a * value for col, value in row.items()}
    for col, value in other.items():
        entry = result.get(col, 0) - b * value
        if entry:
            result[col] = entry
        else:
            result.pop(col, None)
    return result


def _lowest_terms(*rows: Row) -> tuple[Row, ...]:
    """Divide rows that belong together by their common factor, so numbers stay small."""
    common = 0
    for row in rows:
        for value in row.values():
            common = gcd(common, value)
    if common <= 1:
        return rows
    return tuple({col: value // common for col, value in row.items()} for row in rows)


def small_combinations(
    table: CountTable, cells: Mapping[CellKey, Cell], shown: Iterable[CellKey], k: int
) -> list[frozenset[CellKey]]:
    """Sets of shown figures that combine into a statement about small pieces only (see the module docstring)."""
    pieces = _pieces(table, shown)
    small = {signature for signature, slots in pieces.items() if _fewest_people(table, cells, slots) < k}
    order = sorted(pieces, key=lambda signature: (signature in small, sorted(signature)))
    column = {signature: i for i, signature in enumerate(order)}
    first_small = len(pieces) - len(small)
    rows: list[tuple[Row, Row]] = []
    keys = sorted({key for signature in pieces for key in signature})
    for i, key in enumerate(keys):
        row = {column[signature]: 1 for signature in pieces if key in signature}
        rows.append((row, {i: 1}))
    problems = _rows_beyond(rows, first_small)
    return [frozenset(keys[i] for i in tag) for tag in problems]


def _pieces(table: CountTable, shown: Iterable[CellKey]) -> dict[frozenset[CellKey], list[Slot]]:
    """Group the (leaf, column) slots by the set of shown figures that cover them."""
    covering: dict[Slot, set[CellKey]] = {}
    for key in shown:
        cohort, column = key
        columns = table.columns if (table.row_totals and column == TOTAL) else (column,)
        for leaf in table.rows:
            if leaf[: len(cohort)] == cohort:
                for col in columns:
                    covering.setdefault((leaf, col), set()).add(key)
    pieces: dict[frozenset[CellKey], list[Slot]] = {}
    for slot, keys in covering.items():
        pieces.setdefault(frozenset(keys), []).append(slot)
    return pieces


def _fewest_people(table: CountTable, cells: Mapping[CellKey, Cell], slots: list[Slot]) -> int:
    per_column: dict[str, int] = {}
    for leaf, column in slots:
        per_column[column] = per_column.get(column, 0) + cells[(leaf, column)].n
    return max(per_column.values(), default=0)


def _rows_beyond(rows: list[tuple[Row, Row]], first_small: int) -> list[Row]:
    """Echelon form with large pieces first; return the tags of rows left with small pieces only."""
    pivots: dict[int, tuple[Row, Row]] = {}
    problems: list[Row] = []
    for original, original_tag in rows:
        row, tag = dict(original), dict(original_tag)
        while row and min(row) in pivots:
            lead = min(row)
            pivot_row, pivot_tag = pivots[lead]
            a, b = pivot_row[lead], row[lead]
            row, tag = _lowest_terms(_combine(a, row, b, pivot_row), _combine(a, tag, b, pivot_tag))
        if not row:
            continue
        pivots[min(row)] = (row, tag)
        if min(row) >= first_small:
            problems.append(tag)
    return problems
