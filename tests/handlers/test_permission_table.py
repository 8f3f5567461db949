"""The permission table in docs/commands.md is the rule: every row, every column, checked against handlers.permissions.

The table is read from the docs, so the docs and the code cannot drift apart unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.errors import Forbidden
from handlers.model import Action, Participant, Role, Status
from handlers.permissions import check_replan, check_update

DOC = Path(__file__).resolve().parents[2] / "docs" / "commands.md"
PARTNERSHIP_LEADS = ("pl@police.example",)


def person(email: str, *roles: Role, agency: str = "KBC", team: str | None = None) -> Participant:
    return Participant(
        id=abs(hash(email)) % 10_000, programme_id=1, email=email, name=email, agency=agency, team=team,
        roles=frozenset(roles), manager_email="named.manager@kbc.example" if email == "owner@kbc.example" else None,
    )  # fmt: skip


OWNER = person("owner@kbc.example", Role.PRACTITIONER, team="T-FD")
PEOPLE = {
    "owner": OWNER,
    # named in the file as the owner's manager, with only the practitioner label, in another team
    "owner's line manager": person("named.manager@kbc.example", Role.PRACTITIONER, team="T-QA"),
    "lead, same agency": person("lead@kbc.example", Role.LEAD, team="T-QA"),
    "lead, other agency": person("lead@police.example", Role.LEAD, agency="KPOL", team="T-PPU"),
    "partnership lead": person("pl@police.example", Role.LEAD, agency="KPOL"),
    "facilitator": person("facilitator@icb.example", Role.FACILITATOR, agency="KICB"),
    "anyone else": person("someone@kbc.example", Role.PRACTITIONER, Role.MANAGER, team="T-QA"),
}


def table() -> tuple[list[str], list[list[str]]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("### Who may change an action", 1)[1]
    body = section[section.index("\n|") + 1 :]
    lines = body[: body.index("\n\n")].splitlines()
    split = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    header, rows = split[0], split[2:]
    return header, rows


HEADER, ROWS = table()


def attempt(change: str, actor: Participant) -> bool:
    open_action = Action(
        id=1, programme_id=1, code="A02", recommendation="R1", title="t", owner_email=OWNER.email, agency="KBC",
        status=Status.COMPLETE, evidence_of_impact="Audit: 9 of 10",
    )  # fmt: skip
    closed = open_action.model_copy(update={"status": Status.CLOSED})
    try:
        if change.startswith("update"):
            check_update(actor, open_action, OWNER, Status.ON_TRACK, PARTNERSHIP_LEADS)
            check_update(actor, open_action, OWNER, None, PARTNERSHIP_LEADS)  # note, evidence, impact
        elif change.startswith("re-plan"):
            check_replan(actor, open_action, OWNER, PARTNERSHIP_LEADS)
        elif change.startswith("close"):
            check_update(actor, open_action, OWNER, Status.CLOSED, PARTNERSHIP_LEADS)
        elif change.startswith("reopen"):
            check_update(actor, closed, OWNER, Status.ON_TRACK, PARTNERSHIP_LEADS)
        else:
            raise AssertionError(f"unknown row {change!r}")
    except Forbidden:
        return False
    return True


def test_the_table_names_every_persona():
    assert HEADER[1:] == list(PEOPLE)
    assert len(ROWS) == 4


@pytest.mark.parametrize("row", ROWS, ids=[row[0].split(":")[0].split(" (")[0] for row in ROWS])
def test_row(row: list[str]):
    change, answers = row[0], row[1:]
    got = {who: "yes" if attempt(change, PEOPLE[who]) else "no" for who in PEOPLE}
    assert got == dict(zip(PEOPLE, answers, strict=True))
