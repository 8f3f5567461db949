"""Every broadcast is previewed and confirmed by a facilitator of its programme; scheduled ones can be changed.

Through Runtime (the console's and ``aftercare say``'s path), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from bot.clock import SimulatedClock
from bot.runtime import Runtime
from handlers.broadcast_views import DISCARD_BUTTON, SEND_BUTTON, preview_label
from handlers.programme_doc import ProgrammeDoc
from storage.delivery_models import BroadcastRow
from storage.models import ParticipantRow
from storage.programme_store import store_programme
from storage.repositories import SqlProgrammeRepository
from storage.repositories.report_delivery import SqlDeliveryFacts
from tests.delivery.helpers import deliveries, reply_of
from tests.factories import FACILITATOR, MANAGER, OTHER_MANAGER, PRACTITIONER, make_programme_dict


async def states(delivery: Runtime) -> list[str]:
    async with delivery.sessions() as session:
        rows = (await session.execute(BroadcastRow.__table__.select().order_by(BroadcastRow.id))).all()
    return [row.status for row in rows]


async def test_a_broadcast_is_previewed_and_nothing_goes_until_it_is_confirmed(delivery: Runtime):
    preview = await delivery.say(FACILITATOR, '/broadcast team:T-ADO,agency:KPOL "Please read the new guidance"')
    assert preview.ok, preview.text
    assert preview_label(preview) == "B1"
    assert "Preview of B1: nothing has been sent yet" in preview.text
    assert "> Please read the new guidance" in preview.text  # the message as recipients will see it
    assert "> From Fay Facilitator, for 'Review: Child Q'" in preview.text
    assert "By agency: KBC 3, KPOL 2" in preview.text
    assert "First delivery: 15 Jun 2026 11:00 (Europe/London)" in preview.text  # Monday 11:00, in working hours
    assert "/broadcast confirm B1" in preview.text
    buttons = {b.action_id: b for block in preview.blocks for b in block.buttons}
    assert set(buttons) == {SEND_BUTTON, DISCARD_BUTTON}  # the recipients' Acknowledge is not pressable here
    assert await deliveries(delivery) == []
    assert await states(delivery) == ["draft"]
    sent = await delivery.say(FACILITATOR, "/broadcast confirm b1")
    assert sent.ok and "B1 will go to 5 recipients now" in sent.text
    assert len(await deliveries(delivery)) == 5


async def test_first_delivery_waits_for_working_hours(delivery: Runtime):
    preview = await delivery.say(FACILITATOR, '/broadcast all "Weekend news" at saturday 10:00')
    assert preview.ok, preview.text
    assert "First delivery: 22 Jun 2026 09:00 (Europe/London)" in preview.text  # Monday morning, not Saturday


async def test_only_a_facilitator_of_the_programme_can_confirm(delivery: Runtime, clock: SimulatedClock):
    # The attack: someone else presses the preview's Send button, or types the confirm command.
    await delivery.say(FACILITATOR, '/broadcast all "Hello"')
    pressed = await delivery.press(PRACTITIONER, SEND_BUTTON, "B1")
    typed = await delivery.say(MANAGER, "/broadcast confirm B1")
    assert not pressed.ok and pressed.text == "Only facilitators can confirm broadcasts."
    assert not typed.ok and typed.text == "Only facilitators can confirm broadcasts."
    discarded = await delivery.press(PRACTITIONER, DISCARD_BUTTON, "B1")
    assert not discarded.ok
    # A facilitator of another programme cannot reach this programme's broadcast either.
    other = make_programme_dict() | {"id": "TEST-2"}
    async with delivery.sessions() as session, session.begin():
        await store_programme(session, ProgrammeDoc.model_validate(other), clock.now(), "Europe/London")
    elsewhere = await delivery.press(FACILITATOR, SEND_BUTTON, "B1", "TEST-2")
    assert not elsewhere.ok and elsewhere.text == "There is no broadcast B1; /broadcast list shows them."
    assert await deliveries(delivery) == []
    assert await states(delivery) == ["draft"]


async def test_stale_and_unknown_previews_are_refused_kindly(delivery: Runtime, clock: SimulatedClock):
    unknown = await delivery.press(FACILITATOR, SEND_BUTTON, "B9")
    assert not unknown.ok and unknown.text == "There is no broadcast B9; /broadcast list shows them."
    await delivery.say(FACILITATOR, '/broadcast all "Hello"')
    clock.advance(dt.timedelta(hours=2))
    old = await delivery.press(FACILITATOR, SEND_BUTTON, "B1")
    assert not old.ok and "more than an hour old, so nothing was sent" in old.text
    listed = await delivery.say(FACILITATOR, "/broadcast list")
    assert "preview expired, not sent" in listed.text
    await delivery.say(FACILITATOR, '/broadcast all "Hello" at today 13:05')
    clock.advance(dt.timedelta(minutes=50))  # 13:50 in London: its time has passed before anyone confirmed
    late = await delivery.press(FACILITATOR, SEND_BUTTON, "B2")
    assert not late.ok and "which has passed, so nothing was sent" in late.text
    assert "/broadcast move B2 at tomorrow 10:00" in late.text
    await delivery.say(FACILITATOR, '/broadcast all "Hello"')
    assert (await delivery.press(FACILITATOR, SEND_BUTTON, "B3")).ok
    again = await delivery.press(FACILITATOR, SEND_BUTTON, "B3")
    assert not again.ok and "B3 was already confirmed, so nothing more was sent" in again.text
    await delivery.say(FACILITATOR, '/broadcast all "Hello"')
    assert (await delivery.press(FACILITATOR, DISCARD_BUTTON, "B4")).text == "B4 is cancelled; nothing was sent."
    cancelled = await delivery.press(FACILITATOR, SEND_BUTTON, "B4")
    assert not cancelled.ok and "B4 was cancelled, so it cannot be sent" in cancelled.text
    assert len(await deliveries(delivery)) == 9  # only B3 went


async def test_a_forum_from_the_programme_file_is_an_audience(delivery: Runtime):
    preview = await delivery.say(FACILITATOR, '/broadcast forum:F-MA "Agenda for Thursday"')
    assert preview.ok, preview.text
    assert "By agency: KBC 1, KPOL 1" in preview.text
    await delivery.press(FACILITATOR, SEND_BUTTON, "B1")
    rows = await deliveries(delivery)
    async with delivery.unit() as deps:
        programme = (await deps.programmes.all())[0]
        managers = {await deps.participants.by_email(programme.id, e) for e in (MANAGER, OTHER_MANAGER)}
    assert {r.participant_id for r in rows} == {p.id for p in managers if p is not None}
    nope = await delivery.say(FACILITATOR, '/broadcast forum:F-NOPE "Hello"')
    assert not nope.ok and "there is no forum F-NOPE (forums: F-MA)" in nope.text


async def test_a_scheduled_broadcast_can_be_edited_moved_and_cancelled_until_it_starts(
    delivery: Runtime, clock: SimulatedClock
):
    await delivery.say(FACILITATOR, '/broadcast team:T-ADO "First words" at tomorrow 10:00')
    assert (await delivery.press(FACILITATOR, SEND_BUTTON, "B1")).ok
    edited = await delivery.say(FACILITATOR, '/broadcast edit B1 "Better words"')
    assert edited.ok and edited.text.startswith("B1 is changed: “Better words” will go to 3 recipients")
    moved = await delivery.say(FACILITATOR, "/broadcast move B1 at wednesday 14:00")
    assert moved.ok and "at 17 Jun 2026 14:00" in moved.text
    rows = await deliveries(delivery)
    assert {r.not_before.replace(tzinfo=dt.UTC) for r in rows} == {dt.datetime(2026, 6, 17, 13, 0, tzinfo=dt.UTC)}
    for row in rows:
        assert "Better words" in (await reply_of(delivery, row)).text
    prompt = await delivery.say(FACILITATOR, "/broadcast edit B1 PR-01")
    assert prompt.ok, prompt.text
    clock.advance(dt.timedelta(days=2, hours=3))  # Wednesday 14:00 in London: it has started
    late = await delivery.say(FACILITATOR, '/broadcast edit B1 "Too late"')
    assert not late.ok and late.text == (
        "B1 started going out at 17 Jun 2026 14:00, so it can no longer be changed; "
        "/broadcast cancel B1 stops any messages that have not gone yet."
    )
    assert not (await delivery.say(FACILITATOR, "/broadcast move B1 at friday 10:00")).ok
    assert (await delivery.say(FACILITATOR, "/broadcast cancel B1")).ok


async def test_a_draft_can_be_edited_and_is_shown_again(delivery: Runtime):
    await delivery.say(FACILITATOR, '/broadcast all "Draft words"')
    again = await delivery.say(FACILITATOR, '/broadcast edit B1 "Final words"')
    assert again.ok and preview_label(again) == "B1" and "> Final words" in again.text
    assert await deliveries(delivery) == []
    assert (await delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    assert not (await delivery.say(PRACTITIONER, '/broadcast edit B1 "Mine now"')).ok


async def test_time_errors_are_kind_and_name_a_future_example(delivery: Runtime):
    vague = await delivery.say(FACILITATOR, '/broadcast all "Hello" at tomorrow')
    assert not vague.ok and vague.text == "Please add a time after 'tomorrow', e.g. at tomorrow 10:00."
    past = await delivery.say(FACILITATOR, '/broadcast all "Hello" at 2026-06-01 10:00')
    assert past.text == (
        "2026-06-01 10:00 has already passed; please give a time from now onwards, "
        "e.g. at 2026-06-16 10:00 or at tomorrow 10:00."
    )
    assert await states(delivery) == []


async def test_a_preview_dropped_unsent_is_not_in_the_delivery_report(delivery: Runtime):
    await delivery.say(FACILITATOR, '/broadcast all "Never sent"')
    await delivery.press(FACILITATOR, DISCARD_BUTTON, "B1")
    await delivery.say(FACILITATOR, '/broadcast all "Sent, then cancelled" at tomorrow 10:00')
    await delivery.say(FACILITATOR, "/broadcast confirm B2")
    await delivery.say(FACILITATOR, "/broadcast cancel B2")
    async with delivery.sessions() as session:
        lines = await SqlDeliveryFacts(session).lines(1)
    assert [line.ref for line in lines if line.kind == "broadcast"] == ["B2"]


async def test_an_audience_that_changed_since_the_preview_is_shown_again(delivery: Runtime, clock):
    await delivery.say(FACILITATOR, '/broadcast agency:KPOL "Hello"')
    async with delivery.sessions() as session, session.begin():
        programme = (await SqlProgrammeRepository(session).all())[0]
        session.add(ParticipantRow(programme_id=programme.id, email="new@police.example", name="New Officer",
                                   agency="KPOL", roles=["practitioner"], timezone="Europe/London",
                                   working_pattern={}))  # fmt: skip
    again = await delivery.press(FACILITATOR, SEND_BUTTON, "B1")
    assert again.ok and preview_label(again) == "B1"
    assert "The audience has changed since the preview (it was 2 recipients). Please check it again." in again.text
    assert await deliveries(delivery) == []
    sent = await delivery.press(FACILITATOR, SEND_BUTTON, "B1")
    assert "B1 will go to 3 recipients now" in sent.text
