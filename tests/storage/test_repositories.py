"""The lookups every chat command makes: one page of actions with its total, people with their platform
accounts, and the names and recommendations a card shows."""

from __future__ import annotations

from bot.runtime import Runtime
from handlers.ports import ActionFilter
from tests.factories import OWNER, PRACTITIONER


async def test_a_page_of_actions_carries_the_total_of_the_whole_filter(runtime: Runtime):
    async with runtime.unit() as deps:
        pid = (await deps.programmes.all())[0].id
        everything = await deps.actions.find(pid, ActionFilter())
        first, total = await deps.actions.page(pid, ActionFilter(), limit=2)
        second, again = await deps.actions.page(pid, ActionFilter(), limit=2, offset=2)
        beyond, still = await deps.actions.page(pid, ActionFilter(), limit=2, offset=40)
    assert total == again == still == len(everything) == 4
    assert [a.code for a in first + second] == [a.code for a in everything]
    assert beyond == []


async def test_an_empty_filter_has_a_total_of_nought(runtime: Runtime):
    async with runtime.unit() as deps:
        pid = (await deps.programmes.all())[0].id
        shown, total = await deps.actions.page(pid, ActionFilter(owner_emails=["nobody@council.example"]), limit=5)
    assert (shown, total) == ([], 0)


async def test_owners_and_people_are_found_whatever_the_case_of_the_email(runtime: Runtime):
    async with runtime.unit() as deps:
        pid = (await deps.programmes.all())[0].id
        mine = await deps.actions.find(pid, ActionFilter(owner_emails=[OWNER.upper()]))
        person = await deps.participants.by_email(pid, OWNER.title())
        anywhere = await deps.participants.by_email_anywhere(PRACTITIONER.upper())
    assert {a.code for a in mine} == {"A07", "A09"}
    assert person is not None and person.email == OWNER
    assert [p.email for p in anywhere] == [PRACTITIONER]


async def test_a_person_comes_with_every_platform_account_and_none_is_lost_or_repeated(runtime: Runtime):
    async with runtime.unit() as deps:
        pid = (await deps.programmes.all())[0].id
        owner = await deps.participants.by_email(pid, OWNER)
        assert owner is not None
        await deps.participants.add_identity(owner.id, "slack", "T0OTHER01", "U0OWNER02")
        await deps.participants.add_identity(owner.id, "teams", "tenant-a", "aad-owner")
    async with runtime.unit() as deps:
        found = await deps.participants.by_platform("slack", "T0OTHER01", "U0OWNER02")
        everyone = await deps.participants.in_programme(pid)
    assert [p.email for p in found] == [OWNER]
    slack = [(i.workspace, i.user_id) for i in found[0].on("slack")]
    assert slack == [("T0TEST001", "U0OWNER01"), ("T0OTHER01", "U0OWNER02")]
    assert [(i.workspace, i.user_id) for i in found[0].on("teams")] == [("tenant-a", "aad-owner")]
    assert len(everyone) == len({p.email for p in everyone}) == 9
    assert [p.email for p in everyone] == sorted(p.email for p in everyone)
    nobody = [p for p in everyone if not p.accounts]
    assert nobody, "people without any platform account are still listed"


async def test_one_agency_team_and_recommendation_by_code(runtime: Runtime):
    async with runtime.unit() as deps:
        pid = (await deps.programmes.all())[0].id
        agency = await deps.programmes.agency(pid, "KPOL")
        team = await deps.programmes.team(pid, "T-MIS")
        missing = await deps.programmes.team(pid, "T-NONE")
        every = await deps.programmes.recommendations(pid)
        one = await deps.programmes.recommendation(pid, every[-1].code)
    assert agency is not None and agency.code == "KPOL"
    assert team is not None and team.name == "Missing and Exploitation Hub"
    assert missing is None
    assert one == every[-1]


async def test_an_action_in_context_is_what_the_separate_lookups_return(runtime: Runtime):
    async with runtime.unit() as deps:
        pid = (await deps.programmes.all())[0].id
        owner = await deps.participants.by_email(pid, OWNER)
        assert owner is not None
        await deps.participants.add_identity(owner.id, "teams", "tenant-a", "aad-owner")
    async with runtime.unit() as deps:
        for code in await deps.actions.codes(pid):
            found = await deps.actions.in_context(pid, code.lower())
            action = await deps.actions.get(pid, code)
            assert found is not None and action is not None
            assert found.action == action
            assert found.owner == await deps.participants.by_email(pid, action.owner_email)
            assert found.recommendation == await deps.programmes.recommendation(pid, action.recommendation)
            assert found.dependencies == await deps.actions.many(pid, action.depends_on)
            assert found.dependents == await deps.actions.dependents(pid, code)
        a07 = await deps.actions.in_context(pid, "A07")
        a09 = await deps.actions.in_context(pid, "A09")
        missing = await deps.actions.in_context(pid, "A99")
    assert a07 is not None and a07.dependents == ["A09"] and a07.owner is not None
    assert [(i.workspace, i.user_id) for i in a07.owner.on("teams")] == [("tenant-a", "aad-owner")]
    assert a09 is not None and [d.code for d in a09.dependencies] == ["A07"]
    assert missing is None


async def test_a_change_saves_the_action_its_history_and_its_audit_event_together(runtime: Runtime):
    """One statement on PostgreSQL, three on SQLite: the same three rows either way, and none for a missing action."""
    import datetime as dt

    import pytest

    from handlers.errors import NotFound
    from handlers.model import ActionUpdate, AuditEvent, Status, UpdateKind

    at = dt.datetime(2026, 6, 15, 11, 0, tzinfo=dt.UTC)
    update = ActionUpdate(action_code="A07", at=at, actor_email=OWNER, actor_name="Owner", kind=UpdateKind.STATUS,
                          old="not started", new="on track", note="started")  # fmt: skip
    event = AuditEvent(at=at, actor_email=OWNER, verb="action.status", target="A07", detail="not started -> on track")
    async with runtime.unit() as deps:
        pid = (await deps.programmes.all())[0].id
        action = await deps.actions.get(pid, "A07")
        assert action is not None
        await deps.actions.change(action.model_copy(update={"status": Status.ON_TRACK}), update, event)
    async with runtime.unit() as deps:
        changed = await deps.actions.get(pid, "A07")
        history = await deps.actions.history(pid, "A07")
        events = await deps.audit.recent(pid)
    assert changed is not None and changed.status is Status.ON_TRACK
    assert history[0] == update
    assert events[0] == event
    missing = action.model_copy(update={"code": "A99"})
    with pytest.raises(NotFound):
        async with runtime.unit() as deps:
            await deps.actions.change(missing, update.model_copy(update={"action_code": "A99"}), event)
    async with runtime.unit() as deps:
        assert len(await deps.audit.recent(pid)) == len(events)
        assert len(await deps.actions.history(pid, "A07")) == len(history)
