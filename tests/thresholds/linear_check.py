"""An independent check of what a reader could work out from a safe table.

It rebuilds the published sums from the raw table (not from handlers.suppression) and tests, with exact integer
elimination, whether each hidden cell's unit vector lies in the span of those sums.
"""

from __future__ import annotations

from math import gcd

from handlers.count_table import TOTAL, CellKey, CohortPath, CountTable, SafeCell, SafeTable

Equation = tuple[CellKey, list[CellKey]]


def equations(table: CountTable) -> list[Equation]:
    cohorts: set[CohortPath] = {leaf[:i] for leaf in table.rows for i in range(len(leaf) + 1)}
    columns = [*table.columns, TOTAL] if table.row_totals else list(table.columns)
    result: list[Equation] = []
    for cohort in cohorts:
        kids = [c for c in cohorts if len(c) == len(cohort) + 1 and c[: len(cohort)] == cohort]
        if kids:
            result += [((cohort, col), [(kid, col) for kid in kids]) for col in columns]
        if table.row_totals:
            result.append(((cohort, TOTAL), [(cohort, col) for col in table.columns]))
    return result


def true_values(table: CountTable) -> dict[CellKey, int]:
    """The real head count behind every cell, added up here from the leaves."""
    cohorts = {leaf[:i] for leaf in table.rows for i in range(len(leaf) + 1)}
    values: dict[CellKey, int] = {}
    for cohort in cohorts:
        under = [row for path, row in table.rows.items() if path[: len(cohort)] == cohort]
        for i, col in enumerate(table.columns):
            values[(cohort, col)] = sum(row[i].n for row in under)
        if table.row_totals:
            values[(cohort, TOTAL)] = sum(values[(cohort, col)] for col in table.columns)
    return values


def fewest_people(table: CountTable, truth: dict[CellKey, int], keys: list[CellKey]) -> int:
    """People certainly behind these cells: cohorts add up within a column; across columns only the largest counts."""
    per_column = {col: 0 for col in table.columns}
    for cohort, column in keys:
        for col in table.columns if (table.row_totals and column == TOTAL) else [column]:
            per_column[col] += truth[(cohort, col)]
    return max(per_column.values())


def _echelon(rows: list[dict[int, int]]) -> dict[int, dict[int, int]]:
    """Integer row echelon form keyed by leading column (fraction-free elimination)."""
    basis: dict[int, dict[int, int]] = {}
    for row in rows:
        reduced = _reduce(dict(row), basis)
        if reduced:
            basis[min(reduced)] = reduced
    return basis


def _reduce(row: dict[int, int], basis: dict[int, dict[int, int]]) -> dict[int, int]:
    while row:
        lead = min(row)
        if lead not in basis:
            return row
        pivot = basis[lead]
        a, b = pivot[lead], row[lead]
        merged = {c: a * row.get(c, 0) - b * pivot.get(c, 0) for c in set(row) | set(pivot)}
        merged = {c: v for c, v in merged.items() if v}
        common = 0
        for v in merged.values():
            common = gcd(common, v)
        row = {c: v // common for c, v in merged.items()} if common else {}
    return row


def recoverable(table: CountTable, safe: SafeTable) -> set[CellKey]:
    """Hidden cells whose exact value follows from the shown cells and every published sum."""
    hidden = sorted(key for key, cell in safe.cells.items() if not cell.shown)
    index = {key: i for i, key in enumerate(hidden)}
    rows: list[dict[int, int]] = []
    for total, parts in equations(table):
        row: dict[int, int] = {}
        for sign, key in [(1, total), *[(-1, p) for p in parts]]:
            if key in index:
                row[index[key]] = row.get(index[key], 0) + sign
        row = {c: v for c, v in row.items() if v}
        if row:
            rows.append(row)
    basis = _echelon(rows)
    return {key for key, i in index.items() if not _reduce({i: 1}, basis)}


def small_group_leak(table: CountTable, safe: SafeTable, k: int) -> bool:
    """True if shown figures combine into a statement about fewer than k people, counting nobody below zero.

    Slots (leaf, column) are split into pieces by which shown figures cover them. The shown figures leak something
    about small pieces exactly when the small pieces add rank to the shown figures' incidence matrix.
    """
    shown = [key for key, cell in safe.cells.items() if cell.shown]
    covers: dict[tuple[CohortPath, str], frozenset[CellKey]] = {}
    for key in shown:
        cohort, column = key
        cols = table.columns if (table.row_totals and column == TOTAL) else (column,)
        for leaf in table.rows:
            if leaf[: len(cohort)] == cohort:
                for col in cols:
                    covers[(leaf, col)] = covers.get((leaf, col), frozenset()) | {key}
    people: dict[frozenset[CellKey], dict[str, int]] = {}
    for (leaf, col), signature in covers.items():
        by_column = people.setdefault(signature, {})
        by_column[col] = by_column.get(col, 0) + table.rows[leaf][table.columns.index(col)].n
    pieces = sorted(people, key=sorted)
    big = [i for i, piece in enumerate(pieces) if max(people[piece].values()) >= k]
    full = [{i: 1 for i, piece in enumerate(pieces) if key in piece} for key in shown]
    only_big = [{i: v for i, v in row.items() if i in big} for row in full]
    return len(_echelon(full)) > len(_echelon([row for row in only_big if row]))


def nested_pairs_too_close(safe: SafeTable, k: int) -> list[tuple[CellKey, CellKey]]:
    """Shown figures where one covers the other and the difference, of fewer than k, describes someone else."""
    shown = [cell for cell in safe.cells.values() if cell.shown]

    def slots(cell: SafeCell) -> set[tuple[CohortPath, str]]:
        return {(leaf, col) for leaf in safe.leaves_under(cell.cohort) for col in safe.columns_behind(cell.column)}

    close = []
    for outer in shown:
        for inner in shown:
            outer_slots, inner_slots = slots(outer), slots(inner)
            if inner_slots < outer_slots and abs((outer.n or 0) - (inner.n or 0)) < k:
                close.append(((outer.cohort, outer.column), (inner.cohort, inner.column)))
    return close
