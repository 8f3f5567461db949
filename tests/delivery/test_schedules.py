"""Schedules fire into the outbox: prompt rotations, check-ins, action check-ins, drift, overdue, milestones."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.clock import SimulatedClock
from bot.runtime import Runtime
from handlers.action_views import ACTION_STATUS_BUTTON
from handlers.library import Audience, Stage
from handlers.schedule_messages import CHECKIN_BUTTON
from handlers.schedules import ScheduleKind, ScheduleSpec, default_specs, specs_for, stage_for
from storage.models import ActionRow
from tests.delivery.helpers import add_schedule, deliveries, firer, reply_of
from tests.factories import OWNER

MONDAY_10 = "weekly on MO at 10:00"


async def test_prompt_rotation_fires_once_per_occurrence_and_never_repeats(delivery: Runtime, clock):
    spec = ScheduleSpec(
        key="p",
        kind=ScheduleKind.PROMPTS,
        rule=MONDAY_10,
        audience=("role:practitioner",),
        prompt_audience=Audience.PRACTITIONER,
    )
    sid = await add_schedule(delivery, spec)
    first = await firer(delivery).fire(sid, "Europe/London")
    again = await firer(delivery).fire(sid, "Europe/London")
    assert first == 6 and again == 0  # six London practitioners; the second firing adds nothing
    clock.advance(dt.timedelta(days=7))
    assert await firer(delivery).fire(sid, "Europe/London") == 6
    rows = await deliveries(delivery)
    by_person: dict[int, list[str]] = {}
    for row in rows:
        assert row.key.startswith(f"schedule:{sid}:2026-06-")
        by_person.setdefault(row.participant_id or 0, []).append(row.payload_hash)
    assert all(len(set(hashes)) == 2 for hashes in by_person.values())  # a different prompt each week


async def test_each_zone_fires_at_its_own_local_time(delivery: Runtime, clock: SimulatedClock):
    spec = ScheduleSpec(key="p", kind=ScheduleKind.PROMPTS, rule=MONDAY_10, audience=("role:practitioner",))
    sid = await add_schedule(delivery, spec)
    clock.set(dt.datetime(2026, 6, 15, 9, 30, tzinfo=dt.UTC))  # 10:30 in London and Dublin (both UTC+1)
    assert await firer(delivery).fire(sid, "Europe/Dublin") == 1
    rows = await deliveries(delivery)
    assert rows[0].key == f"schedule:{sid}:2026-06-15T10:00:p{rows[0].participant_id}"


async def test_action_checkin_asks_the_owner_with_status_buttons(delivery: Runtime, clock: SimulatedClock):
    spec = ScheduleSpec(key="a", kind=ScheduleKind.ACTION_CHECKIN, rule=MONDAY_10, every_weeks=1)
    sid = await add_schedule(delivery, spec)
    assert await firer(delivery).fire(sid, "Europe/London") == 4  # A01, A02, A07 and A09 are all open
    texts = {row.key.split(":")[-1]: (await reply_of(delivery, row)).text for row in await deliveries(delivery)}
    assert texts["A07"].startswith("How is A07 going?")
    reply = await reply_of(delivery, (await deliveries(delivery))[0])
    assert any(b.action_id == ACTION_STATUS_BUTTON for block in reply.blocks for b in block.buttons)
    pressed = await delivery.press(OWNER, ACTION_STATUS_BUTTON, "A07:on_track")
    assert pressed.ok, pressed.text


async def test_drift_nudges_the_owner_then_tells_the_facilitators(delivery: Runtime, clock: SimulatedClock):
    async with delivery.sessions() as session, session.begin():
        await session.execute(
            update(ActionRow).where(ActionRow.code == "A07").values(last_update=clock.now() - dt.timedelta(days=30))
        )
        await session.execute(
            update(ActionRow).where(ActionRow.code == "A02").values(last_update=clock.now() - dt.timedelta(days=40))
        )
        await session.execute(
            update(ActionRow).where(ActionRow.code.in_(["A01", "A09"])).values(last_update=clock.now())
        )
    sid = await add_schedule(delivery, ScheduleSpec(key="d", kind=ScheduleKind.DRIFT, rule=MONDAY_10))
    assert await firer(delivery).fire(sid, "Europe/London") == 2
    rows = await deliveries(delivery)
    nudge = next(r for r in rows if r.kind == "nudge")
    digest = next(r for r in rows if r.kind == "digest")
    assert nudge.key.endswith(":A07")
    assert "no update for 30 days" in (await reply_of(delivery, nudge)).text
    assert "A02" in (await reply_of(delivery, digest)).text


async def test_overdue_digest_goes_to_facilitators(delivery: Runtime):
    spec = ScheduleSpec(key="o", kind=ScheduleKind.OVERDUE, rule=MONDAY_10, audience=("role:facilitator",))
    sid = await add_schedule(delivery, spec)
    assert await firer(delivery).fire(sid, "Europe/London") == 1
    row = (await deliveries(delivery))[0]
    text = (await reply_of(delivery, row)).text
    assert text.startswith("Overdue actions (2)") and "A01" in text and "A09" in text


async def test_milestone_trigger_fires_once_on_its_day(delivery: Runtime, clock: SimulatedClock):
    spec = ScheduleSpec(
        key="m",
        kind=ScheduleKind.MILESTONE,
        rule="offset +146 days from milestone published at 10:00",
        text="Five months on: thank you for everything you have changed.",
    )
    sid = await add_schedule(delivery, spec)  # 20 Jan + 146 days = 15 Jun 2026
    assert await firer(delivery).fire(sid, "Europe/London") == 8
    clock.advance(dt.timedelta(days=1))
    assert await firer(delivery).fire(sid, "Europe/London") == 0


def test_default_specs_cover_every_kind_but_checkins_which_come_from_cycles():
    kinds = {s.kind for s in default_specs()}
    assert kinds == set(ScheduleKind) - {ScheduleKind.CHECKIN, ScheduleKind.MILESTONE}


def test_stage_follows_the_milestones():
    from handlers.model import Governance, Milestone, Programme

    governance = Governance(confidentiality_statement="c")
    programme = Programme(
        id=1,
        code="X",
        name="X",
        partnership="P",
        review_title="R",
        governance=governance,
        milestones=(
            Milestone(key="published", date=dt.date(2026, 1, 20)),
            Milestone(key="action_plan_approved", date=dt.date(2026, 2, 24)),
            Milestone(key="checkin_3m", date=dt.date(2026, 5, 26)),
        ),
    )
    assert stage_for(programme, dt.date(2026, 2, 1)) is Stage.AFTER_PUBLICATION
    assert stage_for(programme, dt.date(2026, 4, 14)) is Stage.EMBEDDING
    assert stage_for(programme, dt.date(2026, 5, 20)) is Stage.CHECKIN_3M
    assert specs_for(programme, [])[0].key == "prompts-practitioner"


async def test_checkin_invitation_opens_the_checkin_from_its_button(delivery: Runtime, clock: SimulatedClock):
    clock.set(dt.datetime(2026, 9, 1, 9, 30, tzinfo=dt.UTC))  # 10:30 BST on the day cycle CI-3 opens
    rule = "offset +0 days from milestone checkin.CI-3 at 10:00"
    spec = ScheduleSpec(key="checkin.CI-3", kind=ScheduleKind.CHECKIN, cycle="CI-3", rule=rule)
    sid = await add_schedule(delivery, spec)
    assert await firer(delivery).fire(sid, "Europe/London") == 8
    reply = await reply_of(delivery, (await deliveries(delivery))[0])
    assert "check-in" in reply.text and "groups of 5 or more" in reply.text
    button = next(b for block in reply.blocks for b in block.buttons)
    assert button.action_id == CHECKIN_BUTTON and button.value == "CI-3"
    opened = await delivery.press(OWNER, CHECKIN_BUTTON, "CI-3")
    assert opened.form is not None  # the statement first, or the check-in itself
