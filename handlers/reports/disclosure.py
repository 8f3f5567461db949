"""One report run's use of the threshold module: tables go through ``publish`` in turn, carrying the ledger.

The ledger starts as the one stored after the last report (any kind) and, once the run has written its files, is
stored again, so that a later report cannot be subtracted from this one (``handlers.thresholds``).
"""

from __future__ import annotations

import logging

from handlers.count_table import CohortPath, CountTable, Hidden, IndicatorSummary, SafeCell, SafeTable
from handlers.reports.model import Cell
from handlers.thresholds import DisclosureLedger, PublishedGroup, ReportScope, publish

logger = logging.getLogger(__name__)

HIDDEN_WORDS = {
    Hidden.FEWER_THAN_K: "fewer than {k}",
    Hidden.COMPLEMENTARY: "hidden (protects a smaller group)",
    Hidden.DIFFERENCE: "hidden (an earlier report would give it away)",
}


class Disclosure:
    """Publishes the tables of one run through ``thresholds.publish`` and keeps the ledger to store afterwards.

    Each table is checked against the ledger as it stood before this run, as ``DisclosureLedger.record`` does for
    the figures of one report (within a run, suppression keeps figures from giving each other away). Only the
    earlier figures that could be nested with the table's are passed in: a figure whose measures do not overlap the
    table's can never be nested with one of its figures nor equal to it, so the decisions are exactly those of the
    whole ledger, at a cost that does not grow with every unrelated figure ever published.
    """

    def __init__(self, programme_id: int, ledger: DisclosureLedger) -> None:
        self.programme_id = programme_id
        self.before = ledger
        self.shown: dict[PublishedGroup, None] = {}
        self.published: list[SafeTable] = []

    @property
    def ledger(self) -> DisclosureLedger:
        """The ledger to store: the one before this run plus every new figure this run has shown."""
        new = tuple(group for group in self.shown if group not in self._known)
        return self.before.model_copy(update={"groups": (*self.before.groups, *new)}) if new else self.before

    @property
    def _known(self) -> set[PublishedGroup]:
        return set(self.before.groups)

    def by_cycle(self, table: CountTable, k: int, measure: str, *, roll_up_small: bool = True) -> SafeTable:
        """Columns are cycles of one measure (an indicator item, or taking part)."""
        scope = ReportScope(programme_id=self.programme_id, measure=measure)
        return self._publish(table, k, scope, frozenset({measure}), roll_up_small)

    def by_measure(self, table: CountTable, k: int, cycle: str, *, roll_up_small: bool = False) -> SafeTable:
        """Columns are measures (themes) over one period."""
        scope = ReportScope(programme_id=self.programme_id, cycle=cycle)
        return self._publish(table, k, scope, frozenset(table.columns), roll_up_small)

    def _publish(
        self, table: CountTable, k: int, scope: ReportScope, measures: frozenset[str], roll_up_small: bool
    ) -> SafeTable:
        relevant = self.before.model_copy(
            update={"groups": tuple(g for g in self.before.groups if g.measures & measures or not g.measures)}
        )
        safe, after = publish(table, k, relevant, scope, roll_up_small=roll_up_small)
        self.shown.update(dict.fromkeys(after.groups[len(relevant.groups) :]))
        self.published.append(safe)
        return safe


def hidden_text(safe_cell: SafeCell, k: int) -> str:
    reason = safe_cell.hidden or Hidden.FEWER_THAN_K
    return HIDDEN_WORDS[reason].format(k=k)


def count_cell(safe: SafeTable, cohort: CohortPath, column: str) -> Cell:
    """A head count as a cell: the number, or why it is hidden."""
    found = safe.cell(cohort, column)
    if not found.shown or not isinstance(found.value, int):
        return Cell(text=hidden_text(found, safe.k), hidden=True)
    return Cell(text=f"{found.value:,}", n=found.n)


def summary_cell(safe: SafeTable, cohort: CohortPath, column: str) -> Cell:
    """An indicator figure as a cell: median, share answering 4–5 and n, or why it is hidden."""
    found = safe.cell(cohort, column)
    if not found.shown or not isinstance(found.value, IndicatorSummary):
        return Cell(text=hidden_text(found, safe.k), hidden=True)
    value = found.value
    if value.share_agree is None:
        text = f"median {median_text(value.median)} (n={value.n}; {SHARE_HIDDEN.format(k=safe.k)})"
        return Cell(text=text, n=value.n)
    return Cell(text=f"median {median_text(value.median)}, {percent(value.share_agree)} agree (n={value.n})", n=value.n)


def median_text(median: float) -> str:
    return f"{median:g}"


SHARE_HIDDEN = "share agreeing not shown: fewer than {k} on one side"


def agree_text(value: IndicatorSummary) -> str:
    """ "62% agree", or why the share is not shown."""
    return "the share agreeing is not shown" if value.share_agree is None else f"{percent(value.share_agree)} agree"


def percent(share: float | None) -> str:
    """A share as a whole percentage; "not shown" when the count behind it, or the rest, is below k."""
    return "not shown" if share is None else f"{round(share * 100)}%"
