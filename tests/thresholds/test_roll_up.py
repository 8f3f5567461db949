from __future__ import annotations

from handlers.count_table import OTHER, CohortPath, CountTable, describe_cohort
from handlers.suppression import protect, roll_up, suppress


def test_small_teams_are_bucketed_as_other_teams_in_their_agency():
    table = CountTable.of_counts(
        ["C1"], {("KBC", "T1"): [2], ("KBC", "T2"): [4], ("KBC", "T3"): [9], ("KBC", "T4"): [11]}
    )
    rolled = roll_up(table, 5)
    assert set(rolled.rows) == {("KBC", "T3"), ("KBC", "T4"), ("KBC", OTHER)}
    assert rolled.rows[("KBC", OTHER)][0].n == 6
    assert rolled.merged[("KBC", OTHER)] == (("KBC", "T1"), ("KBC", "T2"))
    safe = suppress(rolled, 5)
    assert all(cell.shown for cell in safe.cells.values())
    assert describe_cohort(("KBC", OTHER)) == "other teams in KBC"


def test_one_small_team_is_never_a_bucket_on_its_own():
    table = CountTable.of_counts(["C1"], {("KBC", "T1"): [3], ("KBC", "T2"): [9], ("KBC", "T3"): [12]})
    rolled = roll_up(table, 5)
    assert rolled.merged[("KBC", OTHER)] == (("KBC", "T1"), ("KBC", "T2"))
    assert ("KBC", "T3") in rolled.rows


def test_bucket_grows_until_it_reaches_k():
    rows: dict[CohortPath, list[int]] = {
        ("KBC", "T1"): [1],
        ("KBC", "T2"): [1],
        ("KBC", "T3"): [2],
        ("KBC", "T4"): [6],
        ("KBC", "T5"): [20],
    }
    rolled = roll_up(CountTable.of_counts(["C1"], rows), 5)
    assert rolled.merged[("KBC", OTHER)] == (("KBC", "T1"), ("KBC", "T2"), ("KBC", "T3"), ("KBC", "T4"))
    assert rolled.rows[("KBC", OTHER)][0].n == 10
    assert suppress(rolled, 5).cell(("KBC", OTHER), "C1").value == 10


def test_agencies_are_not_folded_into_the_whole_programme():
    table = CountTable.of_counts(["C1"], {("A",): [1], ("B",): [2], ("C",): [3]})
    rolled = roll_up(table, 5)
    assert rolled.rows == table.rows
    assert [cell.value for cell in suppress(rolled, 5).shown_cells()] == [6]


def test_teams_fold_into_their_agency_when_every_team_is_needed():
    table = CountTable.of_counts(["C1"], {("KBC", "T1"): [3], ("KBC", "T2"): [4], ("KPOL", "P1"): [8]})
    rolled = roll_up(table, 5)
    assert ("KBC",) in rolled.rows
    assert rolled.merged[("KBC",)] == (("KBC", "T1"), ("KBC", "T2"))
    assert rolled.rows[("KBC",)][0].n == 7


def test_small_agencies_roll_up_to_other_agencies():
    table = CountTable.of_counts(["C1"], {("A",): [1], ("B",): [2], ("C", "T1"): [3], ("D",): [30]})
    rolled = roll_up(table, 5)
    assert rolled.merged[(OTHER,)] == (("A",), ("B",), ("C", "T1"))
    assert describe_cohort((OTHER,)) == "other agencies"


def test_columns_where_the_parent_is_small_do_not_force_a_roll_up():
    # C2 is a cycle nobody has answered yet; it should not merge teams that are fine in C1.
    table = CountTable.of_counts(["C1", "C2"], {("KBC", "T1"): [6, 0], ("KBC", "T2"): [7, 0]})
    assert roll_up(table, 5).rows == table.rows


def test_roll_up_keeps_totals():
    table = CountTable.of_counts(
        ["C1", "C2"],
        {("KBC", "T1"): [2, 8], ("KBC", "T2"): [9, 1], ("KBC", "T3"): [6, 6], ("KPOL", "P1"): [0, 3]},
        row_totals=True,
    )
    before, after = table.cells(), roll_up(table, 5).cells()
    for cohort in [(), ("KBC",), ("KPOL",)]:
        for column in table.all_columns:
            assert after[(cohort, column)] == before[(cohort, column)]


def test_protect_chooses_roll_up_only_when_asked():
    table = CountTable.of_counts(["C1"], {("KBC", "T1"): [2], ("KBC", "T2"): [4], ("KBC", "T3"): [9]})
    assert ("KBC", OTHER) in protect(table, 5, roll_up_small=True).cohorts
    assert ("KBC", OTHER) not in protect(table, 5).cohorts
