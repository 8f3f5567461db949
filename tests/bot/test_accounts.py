"""bot/accounts.py over in-memory ports: an e-mail matches only within the programmes that reach the workspace."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import Any, cast

from bot.accounts import claimable, match_by_email, reachable
from handlers.model import Account, Governance, Participant, Programme
from handlers.ports import Deps
from handlers.requests import Identity


def programme(pid: int) -> Programme:
    return Programme(id=pid, code=f"P{pid}", name="p", partnership="p", review_title="r",
                     governance=Governance(confidentiality_statement="c"))  # fmt: skip


@dataclasses.dataclass
class MemoryProgrammes:
    reach: dict[str, dict[int, set[str]]]
    ids: tuple[int, ...] = (1, 2, 3)

    async def workspaces(self, platform: str) -> dict[int, set[str]]:
        return self.reach.get(platform, {})

    async def all(self) -> list[Programme]:
        return [programme(pid) for pid in self.ids]


@dataclasses.dataclass
class MemoryParticipants:
    people: list[Participant]
    added: list[tuple[int, str, str, str]] = dataclasses.field(default_factory=list)

    async def by_email_within(self, email: str, programme_ids: Collection[int]) -> list[Participant]:
        return [p for p in self.people if p.email == email.lower() and p.programme_id in programme_ids]

    async def add_identity(self, participant_id: int, platform: str, workspace: str, user_id: str) -> None:
        self.added.append((participant_id, platform, workspace, user_id))


def deps(reach: dict[str, dict[int, set[str]]], people: list[Participant]) -> Deps:
    fake: Any = dataclasses.make_dataclass("FakeDeps", ["programmes", "participants"])
    return cast(Deps, fake(MemoryProgrammes(reach), MemoryParticipants(people)))


def teams(tenant: str, aad: str) -> Identity:
    return Identity(platform="teams", workspace=tenant, user_id=aad)


FAC_A = Participant(id=10, programme_id=1, email="fac@a.example", name="F", agency="A")
FAC_B = Participant(id=20, programme_id=2, email="fac@a.example", name="F", agency="A")
REACH = {"teams": {1: {"tenant-a"}, 2: {"tenant-b"}}, "slack": {1: {"T0A"}}}


async def test_a_tenant_reaches_only_the_programmes_that_list_it():
    found = deps(REACH, [FAC_A, FAC_B])
    assert await reachable(found, "teams", "tenant-a") == {1}
    assert await reachable(found, "teams", "tenant-x") == set()
    assert await reachable(found, "slack", "T0Z", home=True) == {2, 3}  # home: only programmes naming no workspace


async def test_an_email_match_stays_inside_the_tenant_and_is_remembered():
    found = deps(REACH, [FAC_A, FAC_B])
    matched = await match_by_email(found, teams("tenant-b", "aad-1"), ["FAC@a.example"], {2})
    assert matched == [FAC_B]
    assert found.participants.added == [(20, "teams", "tenant-b", "aad-1")]  # type: ignore[attr-defined]
    assert await match_by_email(found, teams("tenant-x", "aad-2"), ["fac@a.example"], set()) == []


def test_an_account_is_not_claimable_when_the_workspace_has_another_for_that_person():
    accounts = (Account(platform="teams", workspace="tenant-a", user_id="aad-1"),
                Account(platform="slack", workspace="T0A", user_id="U1"))  # fmt: skip
    known = FAC_A.model_copy(update={"accounts": accounts})
    assert claimable(known, teams("tenant-a", "aad-1"))
    assert not claimable(known, teams("tenant-a", "aad-2"))
    assert claimable(known, teams("tenant-b", "aad-2"))
    assert not claimable(known, Identity(platform="slack", workspace="T0A", user_id="U2"))
