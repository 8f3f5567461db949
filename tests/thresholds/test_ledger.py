from __future__ import annotations

import pytest
from pydantic import ValidationError

from handlers.count_table import CohortPath, CountTable, Hidden, IndicatorSummary, ScoreCounts
from handlers.thresholds import DisclosureLedger, PublishedGroup, ReportScope, effective_k, publish, shown_groups

T1: CohortPath = ("KBC", "T1")
T2: CohortPath = ("KBC", "T2")
T3: CohortPath = ("KBC", "T3")


def _group(
    cohorts: list[CohortPath], n: int, *, cycle: str = "C1", measure: str = "participation", programme: int = 1
) -> PublishedGroup:
    return PublishedGroup(
        programme_id=programme,
        measures=frozenset({measure}),
        cycles=frozenset({cycle}),
        cohorts=frozenset(cohorts),
        n=n,
    )


def test_ledger_refuses_a_nested_group_within_k():
    ledger = DisclosureLedger(k=5).record(_group([T1, T2, T3], 15))
    decision = ledger.check(_group([T1, T2], 12))
    assert not decision.allowed
    assert decision.clash == _group([T1, T2, T3], 15)


def test_ledger_allows_a_nested_group_k_or_more_apart():
    ledger = DisclosureLedger(k=5).record(_group([T1, T2, T3], 15))
    assert ledger.check(_group([T1, T2], 10)).allowed


def test_ledger_refuses_a_rerun_with_a_few_late_responses():
    ledger = DisclosureLedger(k=5).record(_group([T1, T2], 12))
    assert not ledger.check(_group([T1, T2], 14)).allowed
    assert ledger.check(_group([T1, T2], 12)).allowed  # the same figure again is fine
    assert ledger.check(_group([T1, T2], 17)).allowed


def test_ledger_refuses_a_different_group_of_the_same_size():
    # T3 would be shown to have nobody in it
    ledger = DisclosureLedger(k=5).record(_group([T1, T2, T3], 12))
    assert not ledger.check(_group([T1, T2], 12)).allowed


@pytest.mark.parametrize(
    "other",
    [
        _group([T3], 13),  # no people in common
        _group([T1, T2], 13, cycle="C2"),  # another cycle
        _group([T1, T2], 13, measure="IND-01"),  # another measure
        _group([T1, T2], 13, programme=2),  # another programme
        _group([T2, T3], 13),  # overlapping, but 13 - 12 is not the size of any group
    ],
)
def test_ledger_ignores_groups_that_are_not_nested(other):
    ledger = DisclosureLedger(k=5).record(_group([T1, T2], 12))
    assert ledger.check(other).allowed


def test_ledger_uses_the_larger_of_its_k_and_the_report_k():
    ledger = DisclosureLedger(k=5).record(_group([T1, T2, T3], 20))
    assert ledger.check(_group([T1], 14)).allowed
    assert not ledger.check(_group([T1], 14), k=10).allowed


def test_record_refuses_and_does_not_change_the_ledger():
    ledger = DisclosureLedger(k=5).record(_group([T1, T2], 12))
    with pytest.raises(ValueError, match="fewer than k"):
        ledger.record(_group([T1], 11))
    assert len(ledger.groups) == 1


def test_ledger_compares_a_total_across_cycles_with_each_cycle():
    total = PublishedGroup(
        programme_id=1,
        measures=frozenset({"participation"}),
        cycles=frozenset({"C1", "C2"}),
        cohorts=frozenset({T1}),
        n=9,
    )
    ledger = DisclosureLedger(k=5).record(_group([T1], 6))
    assert not ledger.check(total).allowed  # 9 - 6 would give the responses in C2
    assert ledger.check(total.model_copy(update={"n": 11})).allowed


def test_record_does_not_repeat_a_figure_published_again():
    ledger = DisclosureLedger(k=5).record(_group([T1, T2], 12))
    assert ledger.record(_group([T1, T2], 12)).groups == ledger.groups


def test_ledger_round_trips_for_the_caller_to_store():
    ledger = DisclosureLedger(k=6).record(_group([T1, T2], 12))
    assert DisclosureLedger.model_validate_json(ledger.model_dump_json()) == ledger


def test_report_scope_needs_exactly_one_of_measure_or_cycle():
    with pytest.raises(ValidationError):
        ReportScope(programme_id=1)
    with pytest.raises(ValidationError):
        ReportScope(programme_id=1, measure="m", cycle="c")


def test_publish_then_rerun_hides_figures_that_moved_by_fewer_than_k():
    scope = ReportScope(programme_id=1, measure="participation")
    first = CountTable.of_counts(["C1"], {T1: [6], T2: [7], ("KPOL", "P1"): [9]})
    safe1, ledger = publish(first, 5, DisclosureLedger(k=5), scope)
    assert all(cell.shown for cell in safe1.cells.values())
    late = CountTable.of_counts(["C1"], {T1: [6], T2: [8], ("KPOL", "P1"): [9]})
    safe2, ledger2 = publish(late, 5, ledger, scope)
    assert safe2.cell(T2, "C1").hidden is Hidden.DIFFERENCE
    assert safe2.cell(("KBC",), "C1").hidden is Hidden.DIFFERENCE
    assert safe2.cell((), "C1").hidden is Hidden.DIFFERENCE
    assert safe2.cell(T1, "C1").value == 6  # unchanged, and KBC's two hidden figures still cover each other
    assert safe2.cell(("KPOL", "P1"), "C1").value == 9
    assert ledger2.groups == ledger.groups  # nothing new was shown


def test_shown_groups_look_through_roll_up_buckets():
    scope = ReportScope(programme_id=1, cycle="C1")
    table = CountTable.of_counts(["IND-01"], {T1: [2], T2: [4], T3: [9], ("KBC", "T4"): [11]})
    safe, _ = publish(table, 5, DisclosureLedger(), scope, roll_up_small=True)
    groups = shown_groups(safe, scope)
    bucket = next(g for (cohort, _), g in groups.items() if cohort == ("KBC", "(other)"))
    assert bucket.cohorts == frozenset({T1, T2})
    assert bucket.measures == frozenset({"IND-01"})
    assert bucket.cycles == frozenset({"C1"})


def test_publish_indicator_table_with_measures_as_columns():
    scope = ReportScope(programme_id=1, cycle="C1")
    answers = {T1: [ScoreCounts(counts=(1, 1, 2, 2, 4))], T2: [ScoreCounts(counts=(0, 2, 2, 3, 3))]}
    table = CountTable.of_scores(["IND-02"], answers)
    k = effective_k(5, sensitive=True)
    safe, ledger = publish(table, k, DisclosureLedger(k=5), scope)
    # 6 agree and 4 do not: the share stands for fewer than k = 10 on one side, so only the median is shown
    assert safe.cell(T1, "IND-02").value == IndicatorSummary(n=10, median=4.0, share_agree=None)
    assert {group.measures for group in ledger.groups} == {frozenset({"IND-02"})}
    one_more = {T1: [ScoreCounts(counts=(1, 1, 2, 2, 5))], T2: answers[T2]}
    again, _ = publish(CountTable.of_scores(["IND-02"], one_more), k, ledger, scope)
    assert again.cell(T1, "IND-02").hidden is Hidden.DIFFERENCE
    assert again.cell(("KBC",), "IND-02").hidden is Hidden.DIFFERENCE
    assert again.cell(T2, "IND-02").shown  # unchanged, already published
