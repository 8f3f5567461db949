"""Property tests: the acceptance criteria for the anonymity rules, on random hierarchical tables."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.count_table import CohortPath, CountTable, SafeTable, ScoreCounts
from handlers.suppression import protect, roll_up
from handlers.thresholds import DisclosureLedger, PublishedGroup, ReportScope, publish, shown_groups
from tests.thresholds.linear_check import (
    equations,
    fewest_people,
    nested_pairs_too_close,
    recoverable,
    small_group_leak,
    true_values,
)

FAST = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def shapes(draw):
    """Leaf cohorts (agencies with 0–4 teams; an agency with none is a leaf itself) and 1–4 columns."""
    leaves: list[CohortPath] = []
    for a in range(draw(st.integers(1, 4))):
        teams = draw(st.integers(0, 4))
        leaves += [(f"A{a}",)] if teams == 0 else [(f"A{a}", f"T{t}") for t in range(teams)]
    return leaves, [f"C{i}" for i in range(draw(st.integers(1, 4)))]


@st.composite
def count_tables(draw):
    leaves, columns = draw(shapes())
    counts = st.lists(st.integers(0, 20), min_size=len(columns), max_size=len(columns))
    rows = {leaf: draw(counts) for leaf in leaves}
    return CountTable.of_counts(columns, rows, row_totals=draw(st.booleans()))


def assert_safe(table: CountTable, safe: SafeTable, k: int) -> None:
    # (a) every shown figure stands for at least k people, and is the true figure
    truth = true_values(table)
    for key, cell in safe.cells.items():
        if cell.shown:
            assert cell.n is not None
            assert cell.n >= k
            assert fewest_people(table, truth, [key]) >= k  # a row total needs k people in one column
            if isinstance(cell.value, int):
                assert cell.value == truth[key]
    # (b) no hidden figure can be solved for from the shown figures and the published sums
    assert recoverable(table, safe) == set()
    # ... nor, since nobody is counted below zero, can anything be said about fewer than k people
    assert not small_group_leak(table, safe, k)
    assert nested_pairs_too_close(safe, k) == []
    # ... and wherever a total is shown, the hidden parts under it stand for at least k people together
    for total, parts in equations(table):
        assert sum(not safe.cells[key].shown for key in [total, *parts]) != 1  # never a lone hidden member
        hidden_parts = [p for p in parts if not safe.cells[p].shown]
        if safe.cells[total].shown and hidden_parts:
            assert fewest_people(table, truth, hidden_parts) >= k


@FAST
@given(table=count_tables(), k=st.integers(3, 10))
def test_suppressed_tables_show_only_k_or_more_and_hide_recoverably_nothing(table, k):
    assert_safe(table, protect(table, k), k)


@FAST
@given(table=count_tables(), k=st.integers(3, 10))
def test_rolled_up_tables_are_safe_and_keep_their_totals(table, k):
    rolled = roll_up(table, k)
    assert_safe(rolled, protect(table, k, roll_up_small=True), k)
    assert {key: v for key, v in true_values(rolled).items() if key[0] == ()} == {
        key: v for key, v in true_values(table).items() if key[0] == ()
    }
    assert all(len(originals) >= 2 for originals in rolled.merged.values())


@settings(max_examples=60, deadline=None, database=None)
@given(shape=shapes(), k=st.integers(3, 10), data=st.data())
def test_indicator_tables_show_summaries_only_at_k(shape, k, data):
    leaves, columns = shape
    score = st.tuples(*[st.integers(0, 4)] * 5).map(lambda c: ScoreCounts(counts=c))
    rows = {leaf: [data.draw(score) for _ in columns] for leaf in leaves}
    table = CountTable.of_scores(columns, rows)
    safe = protect(table, k)
    cells = table.cells()
    for key, cell in safe.cells.items():
        if cell.shown:
            assert cell.n is not None
            assert cell.n >= k
            assert cell.value == cells[key].value.summary(k)  # type: ignore[union-attr]
    assert recoverable(table, safe) == set()


@st.composite
def report_pairs(draw):
    """A table, and the same table after a few respondents arrived or left (at most 3 per cell)."""
    first = draw(count_tables())
    changes = st.lists(
        st.tuples(st.sampled_from(sorted(first.rows)), st.integers(0, 3), st.integers(-3, 3)), max_size=4
    )
    rows = {leaf: [cell.n for cell in row] for leaf, row in first.rows.items()}
    for leaf, column, delta in draw(changes):
        column %= len(first.columns)
        rows[leaf][column] = max(0, rows[leaf][column] + delta)
    return first, CountTable.of_counts(first.columns, rows, row_totals=first.row_totals)


def nested(a: PublishedGroup, b: PublishedGroup) -> bool:
    inside = a.cohorts <= b.cohorts and a.cycles <= b.cycles and a.measures <= b.measures
    return inside or (b.cohorts <= a.cohorts and b.cycles <= a.cycles and b.measures <= a.measures)


@FAST
@given(pair=report_pairs(), k=st.integers(3, 10), roll=st.booleans())
def test_ledger_blocks_a_second_report_that_differs_by_fewer_than_k(pair, k, roll):
    first, second = pair
    scope = ReportScope(programme_id=7, measure="participation")
    safe1, ledger = publish(first, k, DisclosureLedger(k=k), scope, roll_up_small=roll)
    safe2, ledger2 = publish(second, k, ledger, scope, roll_up_small=roll)
    # (c) no new figure is within k of a nested figure already published, unless it is that same figure
    for new in shown_groups(safe2, scope).values():
        for old in ledger.groups:
            if new != old and nested(new, old):
                assert abs(new.n - old.n) >= k
    # a figure shown the first time that moved by 1..k-1 is never shown the second time
    for key, cell in safe1.cells.items():
        later = safe2.cells.get(key)
        same_group = later is not None and safe1.leaves_under(key[0]) == safe2.leaves_under(key[0])
        if cell.shown and later is not None and later.shown and same_group:
            assert cell.n == later.n or abs((cell.n or 0) - (later.n or 0)) >= k
    # the second report is still safe on its own terms, and the ledger only grows
    assert_safe(roll_up(second, k) if roll else second, safe2, k)
    assert ledger2.groups[: len(ledger.groups)] == ledger.groups


@FAST
@given(table=count_tables(), k=st.integers(3, 10), roll=st.booleans())
def test_one_report_never_contradicts_itself_and_republishing_changes_nothing(table, k, roll):
    scope = ReportScope(programme_id=7, measure="participation")
    safe, ledger = publish(table, k, DisclosureLedger(k=k), scope, roll_up_small=roll)
    assert safe == protect(table, k, roll_up_small=roll)  # an empty ledger holds nothing back
    groups = list(shown_groups(safe, scope).values())
    for i, a in enumerate(groups):
        for b in groups[i + 1 :]:
            if nested(a, b) and (a.cohorts, a.cycles) != (b.cohorts, b.cycles):
                assert abs(a.n - b.n) >= k
    again, ledger_again = publish(table, k, ledger, scope, roll_up_small=roll)
    assert again == safe
    assert ledger_again == ledger
