from __future__ import annotations

import pytest

from handlers import suppression
from handlers.count_table import TOTAL, CohortPath, CountTable, Hidden, IndicatorSummary, SafeTable, ScoreCounts
from handlers.disclosure_audit import Sum, determined, published_sums, small_combinations
from handlers.suppression import suppress
from tests.thresholds.linear_check import recoverable, small_group_leak


def _shown(safe: SafeTable, cohort: CohortPath, column: str) -> object:
    cell = safe.cell(cohort, column)
    return cell.value if cell.shown else None


def test_cells_at_or_above_k_are_shown_with_consistent_totals():
    table = CountTable.of_counts(["C1"], {("A", "T1"): [5], ("A", "T2"): [7], ("B",): [9]})
    safe = suppress(table, 5)
    assert [_shown(safe, c, "C1") for c in safe.cohorts] == [21, 12, 5, 7, 9]


def test_small_cell_is_hidden_as_fewer_than_k():
    table = CountTable.of_counts(["C1"], {("A", "T1"): [4], ("A", "T2"): [7], ("A", "T3"): [8]})
    safe = suppress(table, 5)
    assert safe.cell(("A", "T1"), "C1").hidden is Hidden.FEWER_THAN_K
    assert safe.cell(("A", "T1"), "C1").value is None
    assert safe.cell(("A", "T1"), "C1").n is None


def test_lone_hidden_cell_gets_its_smallest_sibling_hidden_too():
    table = CountTable.of_counts(["C1"], {("A", "T1"): [4], ("A", "T2"): [7], ("A", "T3"): [8]})
    safe = suppress(table, 5)
    assert safe.cell(("A", "T2"), "C1").hidden is Hidden.COMPLEMENTARY
    assert safe.cell(("A", "T3"), "C1").shown
    assert _shown(safe, ("A",), "C1") == 19


def test_zero_is_hidden_and_protected_like_any_small_figure():
    # Showing "0" would tell anyone who knows team T1 that none of its members took part.
    table = CountTable.of_counts(["C1"], {("A", "T1"): [0], ("A", "T2"): [6], ("A", "T3"): [9]})
    safe = suppress(table, 5)
    assert safe.cell(("A", "T1"), "C1").hidden is Hidden.FEWER_THAN_K
    assert safe.cell(("A", "T2"), "C1").hidden is Hidden.COMPLEMENTARY  # 15 - 9 would give 6, and so 0
    assert _shown(safe, ("A",), "C1") == 15


def test_hidden_cells_summing_below_k_pull_in_another():
    # T1 and T2 are both small; together they are 3, still fewer than k, so T3 is hidden as well.
    table = CountTable.of_counts(["C1"], {("A", "T1"): [1], ("A", "T2"): [2], ("A", "T3"): [6], ("A", "T4"): [9]})
    safe = suppress(table, 5)
    assert safe.cell(("A", "T3"), "C1").hidden is Hidden.COMPLEMENTARY
    assert safe.cell(("A", "T4"), "C1").shown


def test_only_child_is_hidden_with_its_parent():
    table = CountTable.of_counts(["C1"], {("A", "T1"): [3], ("B", "T1"): [8], ("C", "T1"): [9]})
    safe = suppress(table, 5)
    assert not safe.cell(("A",), "C1").shown
    assert not safe.cell(("A", "T1"), "C1").shown
    assert not safe.cell(("B",), "C1").shown  # otherwise A = total - B - C
    assert safe.cell((), "C1").shown


def test_row_totals_are_protected_across_columns():
    table = CountTable.of_counts(["C1", "C2", "C3"], {("A",): [3, 8, 9], ("B",): [7, 9, 9]}, row_totals=True)
    safe = suppress(table, 5)
    assert safe.cell(("A",), "C1").hidden is Hidden.FEWER_THAN_K
    assert not safe.cell(("A",), "C2").shown  # else A's total minus C2 and C3 gives C1
    assert not recoverable(table, safe)
    assert safe.cell(("A",), TOTAL).value == 20


def test_whole_table_below_k_is_hidden():
    table = CountTable.of_counts(["C1"], {("A", "T1"): [1], ("A", "T2"): [1]})
    safe = suppress(table, 5)
    assert not safe.shown_cells()


def test_indicator_cells_show_median_and_share_only_at_k():
    big = ScoreCounts(counts=(0, 1, 1, 2, 2))
    small = ScoreCounts(counts=(0, 0, 0, 0, 2))
    table = CountTable.of_scores(["IND-01"], {("A", "T1"): [big], ("A", "T2"): [small], ("B",): [big]})
    safe = suppress(table, 5)
    # 4 agree and 2 do not: the 2 are fewer than k, so the share is left out and the median shown
    assert safe.cell(("B",), "IND-01").value == IndicatorSummary(n=6, median=4.0, share_agree=None)
    assert not safe.cell(("A", "T2"), "IND-01").shown
    assert not safe.cell(("A", "T1"), "IND-01").shown
    assert safe.cell(("A",), "IND-01").value == IndicatorSummary(n=8, median=4.5, share_agree=None)
    wide = suppress(CountTable.of_scores(["IND-01"], {("B",): [ScoreCounts(counts=(2, 2, 1, 3, 2))]}), 5)
    assert wide.cell(("B",), "IND-01").value == IndicatorSummary(n=10, median=3.5, share_agree=0.5, agree=5)


def test_also_hide_marks_difference_and_is_protected():
    table = CountTable.of_counts(["C1"], {("A", "T1"): [6], ("A", "T2"): [7], ("A", "T3"): [8]})
    safe = suppress(table, 5, also_hide=[(("A", "T3"), "C1")])
    assert safe.cell(("A", "T3"), "C1").hidden is Hidden.DIFFERENCE
    assert safe.cell(("A", "T1"), "C1").hidden is Hidden.COMPLEMENTARY


def test_also_hide_rejects_unknown_cell():
    table = CountTable.of_counts(["C1"], {("A",): [6]})
    with pytest.raises(KeyError):
        suppress(table, 5, also_hide=[(("Z",), "C1")])


def test_determined_finds_a_cell_pinned_by_several_sums_together():
    x, y, z = (("X",), "c"), (("Y",), "c"), (("Z",), "c")
    shown = [(("S1",), "c"), (("S2",), "c"), (("S3",), "c")]
    sums = [Sum(shown[0], (x, y)), Sum(shown[1], (x, z)), Sum(shown[2], (y, z))]
    # every sum has two hidden members, yet x, y and z can all be solved for
    assert determined(sums, {x, y, z}) == {x, y, z}
    # a four-cycle leaves each of them open
    w = (("W",), "c")
    cycle = [Sum(shown[0], (x, y)), Sum(shown[1], (y, z)), Sum(shown[2], (z, w)), Sum((("S4",), "c"), (w, x))]
    assert determined(cycle, {x, y, z, w}) == set()


def test_exact_check_catches_what_the_one_sum_rules_miss():
    # Found by random search: the one-sum-at-a-time rules alone leave A0/T1 in C0 solvable.
    rows: dict[CohortPath, list[int]] = {
        ("A0", "T0"): [7, 17, 20, 6],
        ("A0", "T1"): [0, 8, 4, 12],
        ("A0", "T2"): [17, 6, 18, 13],
        ("A1", "T0"): [11, 13, 14, 4],
    }
    table = CountTable.of_counts(["C0", "C1", "C2", "C3"], rows, row_totals=True)
    cells, sums = table.cells(), published_sums(table)
    hidden = {key: Hidden.FEWER_THAN_K for key, cell in cells.items() if cell.n < 5}
    suppression._close_sums(table, cells, sums, hidden, 5)
    assert determined(sums, hidden) == {(("A0", "T1"), "C0")}
    safe = suppress(table, 5)
    assert not recoverable(table, safe)
    assert not safe.cell(("A0", "T1"), "C0").shown


def test_nobody_below_zero_check_stops_a_total_giving_away_empty_groups():
    # Found by the property test: the whole programme (3) and team T1 (3) together say A0 and T0 had nobody.
    table = CountTable.of_counts(["C0"], {("A0",): [0], ("A1", "T0"): [0], ("A1", "T1"): [3]})
    cells = table.cells()
    shown = [((), "C0"), (("A1", "T1"), "C0")]
    assert small_combinations(table, cells, shown, 3) == [frozenset(shown)]
    safe = suppress(table, 3)
    assert not small_group_leak(table, safe, 3)
    assert safe.cell((), "C0").value == 3  # the more specific figure is the one hidden
    assert not safe.cell(("A1", "T1"), "C0").shown


def test_small_combinations_passes_figures_that_only_split_large_groups():
    table = CountTable.of_counts(["C0"], {("A",): [6], ("B", "T1"): [7], ("B", "T2"): [8]})
    cells = table.cells()
    assert small_combinations(table, cells, list(cells), 5) == []


@pytest.mark.parametrize("k", [0, 1, 2])
def test_suppress_refuses_k_below_three(k):
    table = CountTable.of_counts(["C1"], {("A",): [6]})
    with pytest.raises(ValueError, match="at least 3"):
        suppress(table, k)


def test_suppress_hides_everything_if_it_cannot_find_a_cover(monkeypatch):
    monkeypatch.setattr(suppression, "_cover", lambda *args: False)
    rows: dict[CohortPath, list[int]] = {
        ("A0", "T0"): [7, 17, 20, 6],
        ("A0", "T1"): [0, 8, 4, 12],
        ("A0", "T2"): [17, 6, 18, 13],
        ("A1", "T0"): [11, 13, 14, 4],
    }
    safe = suppress(CountTable.of_counts(["C0", "C1", "C2", "C3"], rows, row_totals=True), 5)
    assert not safe.shown_cells()
