"""The action plan (handlers/actions.py) against the in-memory ports: what each role may do, what is written, and
what a refusal leaves alone. Storage keeps its own tests (tests/storage, tests/test_action_plan.py)."""

from __future__ import annotations

import pytest

from handlers.dispatch import run_text
from handlers.model import Status, UpdateKind
from handlers.ports import Deps
from tests.factories import FACILITATOR, LEAD, MANAGER, OTHER_MANAGER, OWNER, PRACTITIONER
from tests.handlers.conftest import person
from tests.handlers.memory import World


async def say(world: World, deps: Deps, email: str, line: str):
    return await run_text("/actions", line, person(world, email), deps)


def status(world: World, code: str) -> Status:
    return world.actions[(1, code)].status


async def test_an_action_card_shows_owner_dependencies_dependents_and_history(world: World, deps: Deps):
    assert (await say(world, deps, OWNER, "A07 on track Weekly huddles started")).ok
    card = await say(world, deps, PRACTITIONER, "a09")
    a07 = await say(world, deps, PRACTITIONER, "A07")
    assert card.ok and "Olu Owner, Principal Social Worker (KBC)" in card.text
    assert "Depends on: A07 (On track)" in card.text and "Young people's views shape plans." in card.text
    assert "Needed by: A09" in a07.text and "Not started → On track: Weekly huddles started" in a07.text


async def test_an_unknown_code_is_refused_with_a_suggestion(world: World, deps: Deps):
    reply = await say(world, deps, OWNER, "A7")
    assert not reply.ok and "There is no action A7" in reply.text and "A07" in reply.text


async def test_the_owner_changes_the_status_and_it_is_recorded_once(world: World, deps: Deps):
    reply = await say(world, deps, OWNER, "A07 at risk Waiting for IT")
    assert reply.ok and "A07 is now 'At risk'" in reply.text
    assert status(world, "A07") is Status.AT_RISK
    assert [(u.kind, u.old, u.new, u.note, u.actor_email) for _, u in world.updates] == [
        (UpdateKind.STATUS, "not_started", "at_risk", "Waiting for IT", OWNER)
    ]
    assert [(e.verb, e.target) for _, e in world.audit] == [("action.status", "A07")]


@pytest.mark.parametrize("who", [PRACTITIONER, OTHER_MANAGER])
async def test_someone_who_neither_owns_nor_manages_is_refused_and_nothing_is_written(
    world: World, deps: Deps, who: str
):
    reply = await say(world, deps, who, "A07 on track Done it")
    assert not reply.ok and "Only A07's owner, their line manager" in reply.text
    assert status(world, "A07") is Status.NOT_STARTED and world.updates == [] and world.audit == []


@pytest.mark.parametrize("who", [MANAGER, LEAD, FACILITATOR])
async def test_the_owners_manager_a_lead_of_the_agency_and_a_facilitator_may_update(world: World, deps: Deps, who: str):
    assert (await say(world, deps, who, "A07 on track")).ok
    assert status(world, "A07") is Status.ON_TRACK


async def test_closing_needs_evidence_of_impact_and_a_lead_or_facilitator(world: World, deps: Deps):
    assert (await say(world, deps, OWNER, "A09 done Guidance published")).ok
    by_owner = await say(world, deps, OWNER, "A09 closed")
    no_impact = await say(world, deps, LEAD, "A09 closed")
    assert not by_owner.ok and "lead for KBC or a facilitator" in by_owner.text
    assert not no_impact.ok and "evidence of impact" in no_impact.text
    assert status(world, "A09") is Status.COMPLETE
    assert (await say(world, deps, OWNER, "A09 impact Audit: 9 of 10 plans")).ok
    assert (await say(world, deps, LEAD, "A09 closed")).ok
    action = world.actions[(1, "A09")]
    assert action.status is Status.CLOSED
    assert (action.evidence_of_completion, action.evidence_of_impact) == ("Guidance published", "Audit: 9 of 10 plans")


async def test_a_status_change_warns_about_an_unfinished_dependency(world: World, deps: Deps):
    reply = await say(world, deps, OWNER, "A09 on track")
    assert reply.ok and "A09 depends on A07, which is not finished yet (Not started)" in reply.text


async def test_an_unchanged_status_with_a_note_is_refused_so_the_note_is_not_lost(world: World, deps: Deps):
    reply = await say(world, deps, OWNER, "A07 not started Still planning")
    assert not reply.ok and "/actions A07 note Still planning" in reply.text
    assert world.updates == []


async def test_notes_and_evidence_are_saved_and_identifiers_are_not(world: World, deps: Deps):
    note = await say(world, deps, MANAGER, "A07 note Met the panel")
    evidence = await say(world, deps, OWNER, "A07 evidence Spoke to Jo on 07700 900123")
    assert note.ok and evidence.ok
    assert [u.kind for _, u in world.updates] == [UpdateKind.NOTE, UpdateKind.EVIDENCE]
    kept = world.actions[(1, "A07")].evidence_of_completion
    assert kept and "07700 900123" not in kept and "07700 900123" not in world.updates[1][1].note


async def test_a_practitioner_cannot_add_a_note_to_someone_elses_action(world: World, deps: Deps):
    reply = await say(world, deps, PRACTITIONER, "A07 note I helped")
    assert not reply.ok and world.updates == []


async def test_only_a_manager_lead_or_facilitator_replans(world: World, deps: Deps):
    by_owner = await say(world, deps, OWNER, "A07 due 2026-07-31")
    by_manager = await say(world, deps, MANAGER, "A07 due 2026-07-31")
    assert not by_owner.ok and by_manager.ok, (by_owner.text, by_manager.text)
    assert str(world.actions[(1, "A07")].due) == "2026-07-31"


async def test_lists_are_paged_in_code_order(world: World, deps: Deps):
    mine = await say(world, deps, OWNER, "")
    everything = await say(world, deps, PRACTITIONER, "all")
    assert mine.ok and mine.text.startswith("Your open actions (2)")
    assert [line.split()[1] for line in everything.text.splitlines()[1:]] == ["A01", "A02", "A07", "A09"]
