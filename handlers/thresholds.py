"""The one place that decides which figures a report may show.

Rules, in plain words (quoted in docs/anonymity.md):

- **k, the minimum group size,** is set per programme: 5 unless the programme raises it, and never below 3. A
  report or a sensitive question (psychological safety, challenge) may ask for a larger k; nothing can lower it.
- **Tables** go through ``publish``: small figures are hidden, neighbours are hidden so that a hidden figure cannot
  be worked out from totals (see ``handlers.suppression``), small teams can first be rolled up into "other teams
  in AGENCY", and the disclosure ledger stops a figure that could be subtracted from an earlier report.
- **A theme** appears only when at least 3 different people contributed to it and the group it describes has at
  least k people.
- **A response rate** appears only when the group has at least k people, at least k of them responded and at least
  k did not (a rate times a known team size gives both numbers away).
- **A share** (of people agreeing) appears only when at least k people are behind it and at least k are not
  (``ScoreCounts.summary``); otherwise the median and n are shown without it.
- **The rule of difference.** When a new figure and one already published are nested (one covers the other's
  teams, cycles and measures, and possibly more) in the same programme, their sizes must differ by at least k,
  unless it is the very same figure again. Otherwise subtracting one from the other would describe fewer than k
  people. This stops a report with a slightly different filter, or a re-run after a few late responses, from
  being compared with an earlier one. The ledger keys each figure on its value as well as its group, so the
  same group showing a different value (one person changed an answer) is a different figure and is refused too.
  A refused figure is hidden and suppression runs again around it.

Limits of the ledger (kept deliberately simple): it compares figures two at a time, so a difference built from
three or more earlier figures, or from two groups that overlap without one containing the other, is not caught;
it compares sizes and shown values, not who is in a group, so a group whose members changed but whose size and
shown value did not is treated as the same figure (nothing new can be learnt from it); it never forgets, so publish
a cycle's reports once the cycle has closed; and it compares each new figure with every earlier one in the
programme, which is fine for hundreds of reports but not millions.
"""

from __future__ import annotations

import logging
from typing import Self

from pydantic import Field, model_validator

from handlers.count_table import K_FLOOR, CellKey, CohortPath, CountTable, IndicatorSummary, SafeTable
from handlers.model import Frozen
from handlers.suppression import roll_up, suppress

logger = logging.getLogger(__name__)

DEFAULT_K = 5
MIN_THEME_CONTRIBUTORS = 3


def effective_k(programme_k: int, requested: int | None = None, sensitive: bool = False, sensitive_k: int = 10) -> int:
    """The k to use: the programme's k (at least 3), raised by a sensitive item or a request, never lowered."""
    k = max(K_FLOOR, programme_k)
    if sensitive:
        k = max(k, sensitive_k)
    if requested is not None:
        k = max(k, requested)
    return k


def theme_visible(distinct_contributors: int, group_size: int, min_contributors: int, k: int) -> bool:
    """True when a theme may appear: enough different people behind it, in a group of at least k."""
    needed = max(MIN_THEME_CONTRIBUTORS, min_contributors)
    return distinct_contributors >= needed and group_size >= max(K_FLOOR, k)


def response_rate(respondents: int, group_size: int, k: int) -> float | None:
    """The share of a group who responded, or None when the group, those responding or those not are below k."""
    k = max(K_FLOOR, k)
    if group_size < k or respondents < k or respondents > group_size or group_size - respondents < k:
        return None  # "90% of 10" is one person who did not answer; "100%" says that each person took part
    return respondents / group_size


class PublishedGroup(Frozen):
    """A figure that has been shown: the people it covers (as leaf cohorts), for which measures and cycles, and n."""

    programme_id: int
    measures: frozenset[str]
    cycles: frozenset[str]
    cohorts: frozenset[CohortPath]
    n: int = Field(ge=0)
    value: str = ""  # what was shown; "" in ledgers written before values were recorded (matches any value)

    def nested_with(self, other: PublishedGroup) -> bool:
        """True when one figure's cohorts, cycles and measures all lie inside the other's, in one programme."""
        if self.programme_id != other.programme_id:
            return False
        inside = self.cohorts <= other.cohorts and self.cycles <= other.cycles and self.measures <= other.measures
        outside = self.cohorts >= other.cohorts and self.cycles >= other.cycles and self.measures >= other.measures
        return inside or outside


class LedgerDecision(Frozen):
    allowed: bool
    clash: PublishedGroup | None = None


class DisclosureLedger(Frozen):
    """What has already been published, so a new figure cannot be subtracted from an old one.

    Pure and in memory: ``record`` returns a new ledger and the caller stores it (it round-trips through JSON).
    """

    k: int = Field(default=DEFAULT_K, ge=K_FLOOR)
    groups: tuple[PublishedGroup, ...] = ()

    def check(self, group: PublishedGroup, k: int | None = None) -> LedgerDecision:
        """Refuse a figure within k of a nested figure already published, unless it is that very figure again."""
        if group in self.groups or group.model_copy(update={"value": ""}) in self.groups:
            return LedgerDecision(allowed=True)
        limit = max(self.k, k or 0)
        for earlier in self.groups:
            if earlier.nested_with(group) and abs(earlier.n - group.n) < limit:
                return LedgerDecision(allowed=False, clash=earlier)
        return LedgerDecision(allowed=True)

    def record(self, *groups: PublishedGroup, k: int | None = None) -> DisclosureLedger:
        """A new ledger with the figures of one report added; raises ValueError if any is refused.

        Figures of the same report are checked against earlier reports only: within one report, suppression
        already keeps them from giving each other away.
        """
        if any(not self.check(group, k).allowed for group in groups):
            raise ValueError("This figure differs from an earlier one by fewer than k people.")
        new = tuple(dict.fromkeys(group for group in groups if group not in self.groups))
        return self.model_copy(update={"groups": (*self.groups, *new)})


class ReportScope(Frozen):
    """What a table's columns mean to the ledger: either cycles of one measure, or measures in one cycle."""

    programme_id: int
    measure: str | None = None
    cycle: str | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Self:
        if (self.measure is None) == (self.cycle is None):
            raise ValueError("Say either the measure (columns are cycles) or the cycle (columns are measures).")
        return self

    def group(
        self, columns: tuple[str, ...], cohorts: frozenset[CohortPath], n: int, value: str = ""
    ) -> PublishedGroup:
        """The ledger entry for a figure over these columns (one column, or every column for a row total)."""
        if self.measure is not None:
            measures, cycles = frozenset({self.measure}), frozenset(columns)
        else:
            measures, cycles = frozenset(columns), frozenset({self.cycle or ""})
        return PublishedGroup(programme_id=self.programme_id, measures=measures, cycles=cycles, cohorts=cohorts, n=n,
                              value=value)  # fmt: skip


def shown_groups(safe: SafeTable, scope: ReportScope) -> dict[CellKey, PublishedGroup]:
    """The ledger entry for every shown cell; a row total's n counts the responses in its columns."""
    return {
        (cell.cohort, cell.column): scope.group(
            safe.columns_behind(cell.column), safe.leaves_under(cell.cohort), cell.n, published_value(cell.value)
        )
        for cell in safe.shown_cells()
        if cell.n is not None
    }


def published_value(value: int | IndicatorSummary | None) -> str:
    """A shown figure's value as the ledger keys it: the same group showing another value is another figure."""
    return value.published() if isinstance(value, IndicatorSummary) else str(value)


def publish(
    table: CountTable, k: int, ledger: DisclosureLedger, scope: ReportScope, *, roll_up_small: bool = False
) -> tuple[SafeTable, DisclosureLedger]:
    """The safe table to show and the ledger to store afterwards.

    Small cells are suppressed (after an optional roll-up). Any shown figure the ledger refuses is hidden too,
    suppression runs again so that it cannot be worked out either, and this repeats until the ledger accepts every
    shown figure. Only then are the shown figures recorded.
    """
    base = roll_up(table, k) if roll_up_small else table
    blocked: set[CellKey] = set()
    while True:
        safe = suppress(base, k, also_hide=blocked)
        groups = shown_groups(safe, scope)
        refused = {key for key, group in groups.items() if not ledger.check(group, k).allowed}
        if not refused:
            break
        blocked |= refused
    logger.debug("Ledger held back %d figures", len(blocked))
    return safe, ledger.record(*(groups[key] for key in sorted(groups)), k=k)
