"""The fast path that builds a programme's members for audiences gives exactly the people the validated path does."""

from __future__ import annotations

from bot.runtime import Runtime
from handlers.model import Account, Participant, Role
from storage.repositories.directory import SqlDirectory, built


async def test_members_are_the_same_people_as_the_validated_repository_gives(runtime: Runtime):
    async with runtime.unit() as deps, runtime.sessions() as session:
        validated = {p.id: p for p in await deps.participants.in_programme(1)}
        fast = {p.id: p for p in await SqlDirectory(session).members(1)}
    assert fast == validated and len(fast) == 9
    for pid, person in fast.items():
        assert person.model_dump() == validated[pid].model_dump()
        assert Participant.model_validate(person.model_dump()) == person  # nothing the model would refuse
    assert any(p.on("slack") for p in fast.values()) and all(isinstance(p.roles, frozenset) for p in fast.values())


def test_built_is_what_model_construct_and_model_validate_make():
    values = {"platform": "slack", "workspace": "T0TEST001", "user_id": "U0OWNER01"}
    made = built(Account, dict(values))
    assert (
        made
        == Account.model_construct(platform="slack", workspace="T0TEST001", user_id="U0OWNER01")
        == Account.model_validate(values)
    )
    assert made.model_fields_set == set(values) and made.model_dump() == values
    person = {"id": 1, "programme_id": 1, "email": "a@b.example", "name": "A", "agency": "KBC", "team": None,
              "roles": frozenset({Role.LEAD}), "job_title": "", "manager_email": None, "timezone": "Europe/London",
              "region": "ENG", "working_pattern": Participant.model_fields["working_pattern"].default, "accounts": (),
              "away_until": None, "peers_opt_in": False}  # fmt: skip
    assert built(Participant, dict(person)) == Participant.model_validate(person)
    assert built(Participant, dict(person)).has(Role.LEAD)
