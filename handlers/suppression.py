"""Small-cell suppression: which figures of a table may be shown.

The rules, in plain words (quoted in docs/anonymity.md):

1. **Every figure shown stands for at least k people.** A cell with fewer than k people behind it is hidden
   ("fewer than k"). That includes a cell of **0**: printing "0" for a team tells anyone who knows the team that
   none of its members took part, and the design promises that nobody can tell who did or did not take part. So
   a zero is treated like any other small figure and is protected in the same way.
2. **A hidden figure must not be recoverable by subtraction.** A table publishes sums: each parent (agency, the
   whole programme) is the sum of its children, and with row totals each row is summed across columns. In every
   such sum, if exactly one member is hidden it could be worked out from the others, so the next-smallest member
   is hidden too ("hidden so that a smaller group cannot be worked out"). Where the total is shown, the hidden
   members together must also stand for at least k people, otherwise their combined (small) figure could be
   worked out. This is repeated until nothing changes.
3. **An exact check closes the gaps.** The rules above look at one sum at a time. Several sums together can still
   pin a figure down, so the hidden figures are then solved for exactly (rational arithmetic over every published
   sum); any figure that the equations determine causes one more neighbour to be hidden, and the whole process
   repeats. If the check ever cannot find a neighbour, everything is hidden rather than risk a disclosure.

What this does not cover: bounds a reader could infer from knowing how many people are in a team, conclusions
drawn from a median alongside its parts, and a figure equal to a team's size (which shows that everyone in the
team took part). Differences between separate reports are handled by ``handlers.thresholds.DisclosureLedger``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from handlers.count_table import (
    OTHER,
    TOTAL,
    Cell,
    CellKey,
    CohortPath,
    CountTable,
    Hidden,
    SafeCell,
    SafeTable,
    ScoreCounts,
    add_cells,
    display_order,
)

logger = logging.getLogger(__name__)


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


def suppress(table: CountTable, k: int, *, also_hide: Iterable[CellKey] = ()) -> SafeTable:
    """Apply the rules above and return the table a report may show.

    ``also_hide`` names cells that must be hidden for another reason (the disclosure ledger); they are protected
    by the same complementary rules as small cells.
    """
    cells = table.cells()
    hidden: dict[CellKey, Hidden] = {key: Hidden.FEWER_THAN_K for key, cell in cells.items() if cell.n < k}
    for key in also_hide:
        if key not in cells:
            raise KeyError(key)
        hidden.setdefault(key, Hidden.DIFFERENCE)
    sums = published_sums(table)
    while True:
        _close_sums(cells, sums, hidden, k)
        exposed = determined(sums, hidden)
        if not exposed:
            break
        if not _cover(exposed, cells, sums, hidden):
            logger.warning("Suppression could not protect a figure; hiding the whole table")
            hidden.update({key: Hidden.COMPLEMENTARY for key in cells if key not in hidden})
            break
    logger.debug("Suppressed %d of %d cells at k=%d", len(hidden), len(cells), k)
    return _safe_table(table, k, cells, hidden)


def _close_sums(cells: Mapping[CellKey, Cell], sums: list[Sum], hidden: dict[CellKey, Hidden], k: int) -> None:
    changed = True
    while changed:
        changed = False
        for relation in sums:
            pick = _complement(relation, cells, hidden, k)
            if pick is not None:
                hidden[pick] = Hidden.COMPLEMENTARY
                changed = True


def _complement(relation: Sum, cells: Mapping[CellKey, Cell], hidden: Mapping[CellKey, Hidden], k: int) -> CellKey | None:
    """The next cell to hide so this one sum gives nothing away, or None if it is already safe."""
    hidden_members = [key for key in relation.members if key in hidden]
    if not hidden_members:
        return None
    shown_parts = [key for key in relation.parts if key not in hidden]
    if len(hidden_members) == 1:
        return _smallest(shown_parts, cells) if shown_parts else relation.total
    if relation.total not in hidden and shown_parts:
        hidden_n = sum(cells[key].n for key in relation.parts if key in hidden)
        if hidden_n < k:
            return _smallest(shown_parts, cells)
    return None


def _smallest(keys: Iterable[CellKey], cells: Mapping[CellKey, Cell]) -> CellKey:
    return min(keys, key=lambda key: (cells[key].n, key))


def _cover(exposed: set[CellKey], cells: Mapping[CellKey, Cell], sums: list[Sum], hidden: dict[CellKey, Hidden]) -> bool:
    """Hide one more neighbour of each exposed cell; False if none of them has a shown neighbour."""
    covered = False
    for key in sorted(exposed):
        around = [relation for relation in sums if key in relation.members]
        shown = [m for relation in around for m in relation.parts if m not in hidden]
        shown = shown or [relation.total for relation in around if relation.total not in hidden]
        if shown:
            hidden[_smallest(shown, cells)] = Hidden.COMPLEMENTARY
            covered = True
    return covered


def determined(sums: Iterable[Sum], hidden: Iterable[CellKey]) -> set[CellKey]:
    """Hidden cells whose exact value follows from the shown cells and the published sums.

    Each sum becomes one linear equation in the hidden cells (shown cells are known numbers). A hidden cell is
    determined exactly when its unit vector lies in the row space of those equations, which reduced row echelon
    form over exact fractions tells us: its pivot row has no other entry.
    """
    hidden_set = set(hidden)
    unknowns = sorted(hidden_set)
    index = {key: i for i, key in enumerate(unknowns)}
    rows: list[dict[int, Fraction]] = []
    for relation in sums:
        row: dict[int, Fraction] = {}
        for sign, key in ((1, relation.total), *((-1, part) for part in relation.parts)):
            if key in hidden_set:
                row[index[key]] = row.get(index[key], Fraction(0)) + sign
        row = {col: value for col, value in row.items() if value}
        if row:
            rows.append(row)
    pivots = _reduce(rows)
    return {unknowns[col] for col, row in pivots.items() if len(row) == 1}


def _reduce(rows: list[dict[int, Fraction]]) -> dict[int, dict[int, Fraction]]:
    """Sparse reduced row echelon form: pivot column → row, each row zero in every other pivot column."""
    pivots: dict[int, dict[int, Fraction]] = {}
    for original in rows:
        row = dict(original)
        for col in [c for c in row if c in pivots]:
            _subtract(row, pivots[col], row[col])
        if not row:
            continue
        pivot = min(row)
        lead = row[pivot]
        row = {col: value / lead for col, value in row.items()}
        for other in pivots.values():
            if pivot in other:
                _subtract(other, row, other[pivot])
        pivots[pivot] = row
    return pivots


def _subtract(row: dict[int, Fraction], other: dict[int, Fraction], factor: Fraction) -> None:
    for col, value in other.items():
        result = row.get(col, Fraction(0)) - factor * value
        if result:
            row[col] = result
        else:
            row.pop(col, None)


def _safe_table(table: CountTable, k: int, cells: Mapping[CellKey, Cell], hidden: Mapping[CellKey, Hidden]) -> SafeTable:
    safe: dict[CellKey, SafeCell] = {}
    for key, cell in cells.items():
        cohort, column = key
        if key in hidden:
            safe[key] = SafeCell(cohort=cohort, column=column, hidden=hidden[key])
        else:
            value = cell.value.summary() if isinstance(cell.value, ScoreCounts) else cell.value
            safe[key] = SafeCell(cohort=cohort, column=column, n=cell.n, value=value)
    return SafeTable(k=k, columns=table.all_columns, cohorts=table.cohorts(), cells=safe, merged=dict(table.merged))


def roll_up(table: CountTable, k: int) -> CountTable:
    """Merge small cohorts into a bucket before suppressing, so fewer figures need hiding.

    Working from the deepest level up, a child is small when it has fewer than k people in a column where its
    parent has at least k. All small children of a parent are merged into one bucket ("other teams in KBC"),
    and the next-smallest siblings are added until the bucket holds at least two children and at least k people
    in every such column. If that takes every child, the children are folded into the parent itself. Totals do
    not change. ``suppress`` must still be applied afterwards: it is what guarantees the rules.
    """
    rows = dict(table.rows)
    merged = dict(table.merged)
    parents = {leaf[:i] for leaf in rows for i in range(len(leaf))}
    for parent in sorted(parents, key=len, reverse=True):
        current = table.model_copy(update={"rows": rows})
        children = current.children(parent)
        bucket = _bucket(current, parent, children, k) if len(children) > 1 else []
        if not bucket:
            continue
        into = parent if len(bucket) == len(children) else (*parent, OTHER)
        taken = [leaf for leaf in rows if any(leaf[: len(child)] == child for child in bucket)]
        originals = sorted(original for leaf in taken for original in merged.pop(leaf, (leaf,)))
        width = len(table.columns)
        rows[into] = tuple(add_cells(rows[leaf][i] for leaf in taken) for i in range(width))
        for leaf in taken:
            del rows[leaf]
        merged[into] = tuple(originals)
    result = CountTable(columns=table.columns, rows=rows, row_totals=table.row_totals, merged=merged)
    logger.debug("Rolled %d leaf cohorts up into %d", len(table.rows), len(result.rows))
    return result


def _bucket(table: CountTable, parent: CohortPath, children: tuple[CohortPath, ...], k: int) -> list[CohortPath]:
    cells = {key: cell for key, cell in table.cells().items() if key[0] == parent or key[0] in children}
    relevant = [col for col in table.columns if cells[(parent, col)].n >= k]

    def small(sizes: dict[str, int]) -> bool:
        return any(sizes[col] < k for col in relevant)

    def sizes_of(group: Iterable[CohortPath]) -> dict[str, int]:
        return {col: sum(cells[(child, col)].n for child in group) for col in relevant}

    bucket = [child for child in children if small(sizes_of([child]))]
    if not bucket:
        return []
    rest = sorted(
        (child for child in children if child not in bucket),
        key=lambda child: (sum(sizes_of([child]).values()), display_order(child)),
    )
    while rest and (len(bucket) < 2 or small(sizes_of(bucket))):
        bucket.append(rest.pop(0))
    return bucket


def protect(table: CountTable, k: int, *, roll_up_small: bool = False, also_hide: Iterable[CellKey] = ()) -> SafeTable:
    """Suppress a table, first rolling small cohorts up into buckets if the caller asks for that."""
    return suppress(roll_up(table, k) if roll_up_small else table, k, also_hide=also_hide)
