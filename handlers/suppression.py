"""Small-cell suppression: which figures of a table may be shown.

The rules, in plain words (quoted in docs/anonymity.md):

1. **Every figure shown stands for at least k people.** A cell with fewer than k people behind it is hidden
   ("fewer than k"). That includes a cell of **0**: printing "0" for a team tells anyone who knows the team that
   none of its members took part, and the design promises that nobody can tell who did or did not take part. So
   a zero is treated like any other small figure and is protected in the same way. A row total counts only the
   people we can be sure of: as one person may answer in several columns, that is its largest column.
2. **A hidden figure must not be recoverable by subtraction.** A table publishes sums: each parent (agency, the
   whole programme) is the sum of its children, and with row totals each row is summed across columns. In every
   such sum, if exactly one member is hidden it could be worked out from the others, so the next-smallest member
   is hidden too ("hidden so that a smaller group cannot be worked out"). Where the total is shown, the hidden
   members together must also stand for at least k people, otherwise their combined (small) figure could be
   worked out. This is repeated until nothing changes.
3. **Exact checks close the gaps** (``handlers.disclosure_audit``). The rules above look at one sum at a time.
   Several sums together can still pin a figure down, so the hidden figures are then solved for exactly over every
   published sum, and any figure that can be solved for gets one more neighbour hidden. Then, because nobody is
   counted below zero, shown figures can also give away small groups without pinning any single cell: a programme
   total of 3 next to one team of 3 says everyone else had nobody. Any combination of shown figures that describes
   only groups of fewer than k people gets its smallest, most specific figure hidden. The rounds repeat until
   both checks pass. If a neighbour can ever not be found, everything is hidden rather than risk a disclosure.

What this does not cover: bounds a reader could infer from knowing how many people are in a team, conclusions
drawn from a median alongside its parts, and a figure equal to a team's size (which shows that everyone in the
team took part). Differences between separate reports are handled by ``handlers.thresholds.DisclosureLedger``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from handlers.count_table import (
    K_FLOOR,
    OTHER,
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
from handlers.disclosure_audit import Sum, determined, published_sums, small_combinations

logger = logging.getLogger(__name__)


def suppress(table: CountTable, k: int, *, also_hide: Iterable[CellKey] = ()) -> SafeTable:
    """Apply the rules above and return the table a report may show.

    ``also_hide`` names cells that must be hidden for another reason (the disclosure ledger); they are protected
    by the same complementary rules as small cells.
    """
    if k < K_FLOOR:
        raise ValueError(f"k must be at least {K_FLOOR}.")
    cells = table.cells()
    hidden = {key: Hidden.FEWER_THAN_K for key in cells if table.fewest_people(cells, [key]) < k}
    for key in also_hide:
        if key not in cells:
            raise KeyError(key)
        hidden.setdefault(key, Hidden.DIFFERENCE)
    sums = published_sums(table)
    while _one_more_round(table, cells, sums, hidden, k):
        pass
    logger.debug("Suppressed %d of %d cells at k=%d", len(hidden), len(cells), k)
    return _safe_table(table, k, cells, hidden)


def _one_more_round(
    table: CountTable, cells: Mapping[CellKey, Cell], sums: list[Sum], hidden: dict[CellKey, Hidden], k: int
) -> bool:
    """Apply rule 2, then the exact checks; True if the checks hid something and another round is needed."""
    _close_sums(table, cells, sums, hidden, k)
    exposed = determined(sums, hidden)
    if exposed:
        if _cover(exposed, cells, sums, hidden):
            return True
        logger.warning("Suppression could not protect a figure; hiding the whole table")
        hidden.update({key: Hidden.COMPLEMENTARY for key in cells if key not in hidden})
        return False
    problems = small_combinations(table, cells, [key for key in cells if key not in hidden], k)
    for combination in problems:
        if not any(key in hidden for key in combination):
            hidden[min(combination, key=lambda key: (cells[key].n, -len(key[0]), key))] = Hidden.COMPLEMENTARY
    return bool(problems)


def _close_sums(
    table: CountTable, cells: Mapping[CellKey, Cell], sums: list[Sum], hidden: dict[CellKey, Hidden], k: int
) -> None:
    changed = True
    while changed:
        changed = False
        for relation in sums:
            pick = _complement(table, relation, cells, hidden, k)
            if pick is not None:
                hidden[pick] = Hidden.COMPLEMENTARY
                changed = True


def _complement(
    table: CountTable, relation: Sum, cells: Mapping[CellKey, Cell], hidden: Mapping[CellKey, Hidden], k: int
) -> CellKey | None:
    """The next cell to hide so this one sum gives nothing away, or None if it is already safe."""
    hidden_members = [key for key in relation.members if key in hidden]
    if not hidden_members:
        return None
    shown_parts = [key for key in relation.parts if key not in hidden]
    if len(hidden_members) == 1:
        return _smallest(shown_parts, cells) if shown_parts else relation.total
    hidden_parts = [key for key in relation.parts if key in hidden]
    if relation.total not in hidden and shown_parts and table.fewest_people(cells, hidden_parts) < k:
        return _smallest(shown_parts, cells)
    return None


def _smallest(keys: Iterable[CellKey], cells: Mapping[CellKey, Cell]) -> CellKey:
    return min(keys, key=lambda key: (cells[key].n, key))


def _cover(
    exposed: set[CellKey], cells: Mapping[CellKey, Cell], sums: list[Sum], hidden: dict[CellKey, Hidden]
) -> bool:
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


def _safe_table(
    table: CountTable, k: int, cells: Mapping[CellKey, Cell], hidden: Mapping[CellKey, Hidden]
) -> SafeTable:
    safe: dict[CellKey, SafeCell] = {}
    for key, cell in cells.items():
        cohort, column = key
        if key in hidden:
            safe[key] = SafeCell(cohort=cohort, column=column, hidden=hidden[key])
        else:
            value = cell.value.summary(k) if isinstance(cell.value, ScoreCounts) else cell.value
            safe[key] = SafeCell(cohort=cohort, column=column, n=cell.n, value=value)
    return SafeTable(
        k=k,
        columns=table.all_columns,
        row_totals=table.row_totals,
        cohorts=table.cohorts(),
        cells=safe,
        merged=dict(table.merged),
    )


def roll_up(table: CountTable, k: int) -> CountTable:
    """Merge small cohorts into a bucket before suppressing, so fewer figures need hiding.

    Working from the deepest level up, a child is small when it has fewer than k people in a column where its
    parent has at least k. All small children of a parent are merged into one bucket ("other teams in KBC"),
    and the next-smallest siblings are added until the bucket holds at least two children and at least k people
    in every such column. If that takes every child, the children are folded into the parent itself (except at the
    top, where nothing is merged and suppression does the work). Totals do
    not change. ``suppress`` must still be applied afterwards: it is what guarantees the rules.
    """
    rows = dict(table.rows)
    merged = dict(table.merged)
    parents = {leaf[:i] for leaf in rows for i in range(len(leaf))}
    for parent in sorted(parents, key=len, reverse=True):
        current = table.model_copy(update={"rows": rows})
        children = current.children(parent)
        bucket = _bucket(current, parent, children, k) if len(children) > 1 else []
        if not bucket or (not parent and len(bucket) == len(children)):
            continue  # folding every agency into the whole programme would leave no table
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
