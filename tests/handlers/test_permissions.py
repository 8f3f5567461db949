from __future__ import annotations

import pytest

from handlers.errors import Forbidden
from handlers.model import Action, Participant, Role, Status
from handlers.permissions import check_replan, check_update, is_manager_of


def someone(email: str, *roles: Role, team: str | None = "T1", manager: str | None = None) -> Participant:
    return Participant(
        id=hash(email) % 1000, programme_id=1, email=email, name=email, agency="KBC", team=team,
        roles=frozenset(roles or {Role.PRACTITIONER}), manager_email=manager,
    )  # fmt: skip


ACTION = Action(
    id=1, programme_id=1, code="A07", recommendation="R3", title="t", owner_email="o@x.example", agency="KBC"
)
OWNER = someone("o@x.example", manager="m@x.example", team="T1")


def test_named_manager_and_team_manager_count_as_manager():
    assert is_manager_of(someone("m@x.example", Role.MANAGER, team="T9"), OWNER)
    assert is_manager_of(someone("m2@x.example", Role.MANAGER, team="T1"), OWNER)
    assert not is_manager_of(someone("m3@x.example", Role.MANAGER, team="T2"), OWNER)
    assert not is_manager_of(someone("p@x.example", Role.PRACTITIONER, team="T1"), OWNER)


def test_update_rules():
    check_update(OWNER, ACTION, OWNER, Status.ON_TRACK)
    check_update(someone("f@x.example", Role.FACILITATOR, team=None), ACTION, OWNER, Status.ON_TRACK)
    with pytest.raises(Forbidden):
        check_update(someone("p@x.example"), ACTION, OWNER, Status.ON_TRACK)
    with pytest.raises(Forbidden):
        check_update(OWNER, ACTION, OWNER, Status.CLOSED)
    check_update(someone("l@x.example", Role.LEAD, team=None), ACTION, OWNER, Status.CLOSED)


def test_replan_rules():
    check_replan(someone("m@x.example", Role.MANAGER), ACTION, OWNER)
    with pytest.raises(Forbidden):
        check_replan(OWNER, ACTION, OWNER)
