from __future__ import annotations

import pytest
from pydantic import ValidationError

from handlers.count_table import OTHER, TOTAL, Cell, CohortPath, CountTable, ScoreCounts, describe_cohort


def test_score_counts_summary_odd_and_even():
    odd = ScoreCounts.from_answers([1, 4, 5]).summary(k=1)
    assert odd is not None
    assert odd.median == 4
    assert odd.share_agree == pytest.approx(2 / 3)
    even = ScoreCounts.from_answers([2, 3, 4, 5]).summary()
    assert even is not None
    assert even.median == 3.5
    assert even.n == 4


def test_score_counts_empty_has_no_summary():
    assert ScoreCounts().summary() is None


def test_score_counts_rejects_answers_off_the_scale():
    with pytest.raises(ValueError, match="1 to 5"):
        ScoreCounts.from_answers([0])


def test_cell_answers_must_match_n():
    with pytest.raises(ValidationError):
        Cell(n=2, value=ScoreCounts.from_answers([3]))


def test_cells_add_up_parents_and_row_totals():
    table = CountTable.of_counts(
        ["C1", "C2"], {("A", "T1"): [1, 2], ("A", "T2"): [3, 4], ("B",): [5, 0]}, row_totals=True
    )
    cells = table.cells()
    assert cells[(("A",), "C1")].n == 4
    assert cells[((), "C2")].n == 6
    assert cells[(("A",), TOTAL)].value == 10
    # a row total's n counts responses; only its largest column is certain to be different people
    assert cells[(("A",), TOTAL)].n == 10
    assert table.fewest_people(cells, [(("A",), TOTAL)]) == 6
    assert table.fewest_people(cells, [(("A", "T1"), "C1"), (("A", "T2"), "C1")]) == 4
    assert table.fewest_people(cells, [(("A", "T1"), "C1"), (("A", "T1"), "C2")]) == 2


def test_score_table_parents_add_answers():
    row: dict[CohortPath, list[ScoreCounts]] = {
        ("A", "T1"): [ScoreCounts.from_answers([5, 5])],
        ("A", "T2"): [ScoreCounts.from_answers([1])],
    }
    cells = CountTable.of_scores(["IND-01"], row).cells()
    assert cells[(("A",), "IND-01")].value == ScoreCounts.from_answers([1, 5, 5])


@pytest.mark.parametrize(
    "rows",
    [
        {("A",): [1], ("A", "T1"): [2]},  # a parent given alongside its child
        {("A",): [1, 2]},  # wrong number of cells
        {(): [1]},  # the whole programme cannot be a leaf
    ],
)
def test_count_table_rejects_malformed_rows(rows):
    with pytest.raises(ValidationError):
        CountTable.of_counts(["C1"], rows)


def test_count_table_rejects_mixed_kinds():
    with pytest.raises(ValidationError):
        CountTable(
            columns=("C1",),
            rows={("A",): (Cell(n=1, value=1),), ("B",): (Cell(n=1, value=ScoreCounts.from_answers([2])),)},
        )


def test_count_table_rejects_total_column_clash():
    with pytest.raises(ValidationError):
        CountTable.of_counts([TOTAL], {("A",): [1]}, row_totals=True)


def test_cohorts_in_display_order():
    table = CountTable.of_counts(["C"], {("B",): [1], ("A", OTHER): [1], ("A", "T9"): [1]})
    assert table.cohorts() == ((), ("A",), ("A", "T9"), ("A", OTHER), ("B",))


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ((), "whole programme"),
        (("KBC",), "KBC"),
        (("KBC", "T-ADO"), "T-ADO"),
        (("KBC", OTHER), "other teams in KBC"),
        ((OTHER,), "other agencies"),
        (("KBC", "T1", OTHER), "other groups in T1"),
    ],
)
def test_describe_cohort(path, name):
    assert describe_cohort(path) == name


def test_counts_and_answers_do_not_add():
    with pytest.raises(TypeError):
        _ = Cell(n=1, value=1) + Cell(n=1, value=ScoreCounts.from_answers([2]))


@pytest.mark.parametrize(("columns", "rows"), [([], {("A",): []}), (["C", "C"], {("A",): [1, 1]}), (["C"], {})])
def test_count_table_rejects_missing_or_repeated_columns_and_no_rows(columns, rows):
    with pytest.raises(ValidationError):
        CountTable.of_counts(columns, rows)
