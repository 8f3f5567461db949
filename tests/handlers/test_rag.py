"""RAG by the programme's rag_definitions: overdue counts (as red in the example), never greener than the status."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers.model import Action, Status
from handlers.rag import overdue_colour, rag_of

TODAY = dt.date(2026, 7, 6)
EXAMPLE = {"grey": "not started", "green": "on track", "amber": "at risk", "red": "off track or overdue; Executive"}


def action(status: Status, due: dt.date | None) -> Action:
    return Action(id=1, programme_id=1, code="A01", recommendation="R1", title="t", owner_email="o@x.example",
                  agency="KBC", status=status, due=due)  # fmt: skip


@pytest.mark.parametrize(
    ("status", "due", "definitions", "colour"),
    [
        (Status.ON_TRACK, dt.date(2026, 6, 30), EXAMPLE, "red"),  # overdue counts as red
        (Status.NOT_STARTED, dt.date(2026, 6, 30), None, "red"),  # the default says the same
        (Status.ON_TRACK, dt.date(2026, 7, 31), EXAMPLE, "green"),
        (Status.ON_TRACK, TODAY, EXAMPLE, "green"),  # due today is not overdue
        (Status.COMPLETE, dt.date(2026, 6, 30), EXAMPLE, "green"),  # finished is never overdue
        (Status.CLOSED, dt.date(2026, 6, 30), EXAMPLE, "blue"),
        (Status.ON_TRACK, dt.date(2026, 6, 30), {"amber": "at risk or overdue"}, "amber"),
        (Status.OFF_TRACK, dt.date(2026, 6, 30), {"amber": "at risk or overdue"}, "red"),  # never greener
    ],
)
def test_rag(status: Status, due: dt.date, definitions: dict[str, str] | None, colour: str):
    assert rag_of(action(status, due), TODAY, definitions) == colour


def test_overdue_colour_comes_from_the_definitions():
    assert overdue_colour(EXAMPLE) == "red"
    assert overdue_colour({"green": "fine"}) == "red"
