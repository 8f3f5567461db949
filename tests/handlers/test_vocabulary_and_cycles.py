from __future__ import annotations

import datetime as dt

import pytest

from handlers.cycles import COMBINED, cohort_of, current_cycle, cycle_closes, week_start
from handlers.model import CheckinCycle, Governance, Participant, Programme
from handlers.vocabulary import closest, edit_distance, parse_status


@pytest.mark.parametrize(
    ("word", "expected"),
    [("A70", "A07"), ("a7", "A07"), ("A01", "A01"), ("B99", None), ("hlep", "help"), ("overdeu", "overdue")],
)
def test_closest_prefers_typing_slips(word, expected):
    choices = ["A01", "A02", "A07", "A09", "A10", "help", "overdue", "all"]
    assert closest(word, choices) == expected


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("a70", "a07") == 1
    assert edit_distance("a70", "a09") == 2
    assert edit_distance("", "abc") == 3


def test_status_words_are_forgiving_but_not_loose():
    assert parse_status("On Track") == parse_status("on-track") == parse_status("green")
    assert parse_status("finished") is None


PROGRAMME = Programme(
    id=1, code="P", name="P", partnership="P", review_title="R",
    governance=Governance(confidentiality_statement="s"),
    checkins=(
        CheckinCycle(code="CI-0", date=dt.date(2026, 2, 24), kind="baseline", items=("IND-01",)),
        CheckinCycle(code="CI-3", date=dt.date(2026, 5, 26), kind="checkin_3m", items=("IND-01",)),
    ),
)  # fmt: skip


def test_cycles_start_on_their_date_and_close_when_the_next_begins():
    assert current_cycle(PROGRAMME, dt.date(2026, 1, 1)).code == "CI-0"  # type: ignore[union-attr]
    assert current_cycle(PROGRAMME, dt.date(2026, 5, 25)).code == "CI-0"  # type: ignore[union-attr]
    assert current_cycle(PROGRAMME, dt.date(2026, 5, 26)).code == "CI-3"  # type: ignore[union-attr]
    assert cycle_closes(PROGRAMME, "CI-0") == dt.date(2026, 5, 26)
    assert cycle_closes(PROGRAMME, "CI-3") is None


def test_small_agencies_are_combined_and_weeks_start_on_monday():
    person = Participant(id=1, programme_id=1, email="a@b.example", name="A", agency="KDA")
    assert cohort_of(person, {"KDA": 4}, 5) == COMBINED
    assert cohort_of(person, {"KDA": 5}, 5) == "KDA"
    assert week_start(dt.date(2026, 11, 29)) == dt.date(2026, 11, 23)
