"""/broadcast end to end through Runtime.say, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from bot.runtime import Runtime
from handlers.broadcast_views import ACK_BUTTON, CONFIRM_FIELD, CONFIRM_FORM, SEND_BUTTON, preview_label
from handlers.reply import Form, Reply
from storage.delivery_models import BroadcastAckRow, DeliveryRow, PromptHistoryRow
from tests.delivery.helpers import deliveries
from tests.factories import FACILITATOR, OTHER_MANAGER, OWNER, PRACTITIONER


async def send(delivery: Runtime, line: str, email: str = FACILITATOR) -> Reply:
    """Write a broadcast and press Send on its preview, as a facilitator does."""
    preview = await delivery.say(email, line)
    label = preview_label(preview)
    assert label is not None, preview.text
    return await delivery.press(email, SEND_BUTTON, label)


async def test_broadcast_to_a_team_writes_one_outbox_row_per_person(delivery: Runtime):
    reply = await send(delivery, '/broadcast team:T-ADO "Please read the new guidance"')
    assert reply.ok, reply.text
    assert "B1 will go to 3 recipients now" in reply.text
    rows = await deliveries(delivery)
    assert len(rows) == 3
    assert {r.key for r in rows} == {f"broadcast:1:p{r.participant_id}" for r in rows}
    status = await delivery.say(FACILITATOR, "/broadcast status B1")
    assert status.ok, status.text
    assert "Waiting: 3" in status.text


async def mark_sent(runtime: Runtime) -> None:
    """As if the dispatcher had delivered every message of the outbox."""
    async with runtime.sessions() as session, session.begin():
        await session.execute(update(DeliveryRow).values(status="sent"))


async def test_acknowledge_button(delivery: Runtime):
    await send(delivery, '/broadcast all "Hello"')
    await mark_sent(delivery)
    first = await delivery.press(PRACTITIONER, ACK_BUTTON, "B1")
    again = await delivery.press(PRACTITIONER, ACK_BUTTON, "B1")
    assert first.ok and "Thank you" in first.text
    assert "already" in again.text
    status = await delivery.say(FACILITATOR, "/broadcast status B1")
    assert "Acknowledged: 1 of" in status.text


async def test_only_a_recipient_can_acknowledge_a_broadcast(delivery: Runtime):
    """OTHER_MANAGER is not in team T-ADO; nobody may acknowledge a message not yet sent to them."""
    await send(delivery, '/broadcast team:T-ADO "Please read the new guidance"')
    early = await delivery.press(PRACTITIONER, ACK_BUTTON, "B1")  # in the audience, but not sent yet
    await mark_sent(delivery)
    outsider = await delivery.press(OTHER_MANAGER, ACK_BUTTON, "B1")
    huge = await delivery.press(OTHER_MANAGER, ACK_BUTTON, "B99999999999999999999")
    assert not early.ok and not outsider.ok and not huge.ok
    assert "wasn't sent to you" in outsider.text
    async with delivery.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(BroadcastAckRow))).scalar_one() == 0


async def test_practitioner_cannot_broadcast(delivery: Runtime):
    reply = await delivery.say(OWNER, '/broadcast all "Hello"')
    assert not reply.ok
    assert "Only facilitators" in reply.text
    assert await deliveries(delivery) == []


async def test_audience_that_reaches_nobody_is_refused_with_the_reason(delivery: Runtime):
    reply = await delivery.say(FACILITATOR, '/broadcast team:T-NOPE,role:chief "Hello"')
    assert not reply.ok
    assert reply.text == (
        "That audience reaches nobody, so nothing was sent (team:T-NOPE: there is no team T-NOPE; "
        "role:chief: chief is not a role; roles are practitioner, manager, lead, facilitator)."
    )
    assert await deliveries(delivery) == []


async def test_a_slack_channel_gets_one_message(delivery: Runtime):
    reply = await send(delivery, '/broadcast #learning,role:lead "Forum on Thursday"')
    assert reply.ok, reply.text
    rows = await deliveries(delivery)
    assert sorted((r.platform, r.address) for r in rows)[-1] == ("slack", "T0TEST001:#learning")
    assert len(rows) == 2


async def test_scheduled_broadcast_can_be_cancelled_before_it_goes(delivery: Runtime):
    past = await delivery.say(FACILITATOR, '/broadcast all "Hello" at 2026-06-01 10:00')
    assert not past.ok and "has already passed" in past.text
    later = await send(delivery, "/broadcast all PR-01 at 2026-06-22 10:00")
    assert later.ok and "at 22 Jun 2026 10:00" in later.text
    listed = await delivery.say(FACILITATOR, "/broadcast list")
    assert "B1 · 22 Jun 2026 10:00 · all · 9 recipients · scheduled" in listed.text
    cancelled = await delivery.say(FACILITATOR, "/broadcast cancel B1")
    assert cancelled.text == "Cancelled B1: 9 messages will not be sent."
    again = await delivery.say(FACILITATOR, "/broadcast cancel b1")
    assert not again.ok and "already cancelled" in again.text
    assert {r.status for r in await deliveries(delivery)} == {"cancelled"}


async def test_a_forged_confirmation_form_sends_nothing(delivery: Runtime):
    """The old confirmation form's id, submitted without a form the bot opened (unsealed), is refused."""
    await delivery.say(FACILITATOR, '/broadcast all "Hello everyone"')
    form = Form(form_id=CONFIRM_FORM, title="Confirm broadcast", state="B1")
    forged = await delivery.submit_form(FACILITATOR, form, {CONFIRM_FIELD: "send"})
    assert not forged.ok and forged.text == "That form has expired; please start again."
    assert await deliveries(delivery) == []
    assert (await delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
    assert len(await deliveries(delivery)) == 9


async def test_safeguarding_notice_goes_through_the_outbox_without_waiting(delivery: Runtime):
    async with delivery.unit() as deps:
        programme = (await deps.programmes.all())[0]
        author = await deps.participants.by_email(programme.id, OWNER)
        assert author is not None
        flag = await deps.anonymity.flags.raise_flag(programme.id, author.id, deps.clock.now(), True, False)
        await deps.anonymity.notifier.notify_contact(programme, flag, author)
    (row,) = await deliveries(delivery)
    assert row.key == f"safeguarding:{flag.id}:p{row.participant_id}"
    assert row.respect_window is False and row.kind == "notice"


async def history(delivery: Runtime) -> set[tuple[int, str, str]]:
    async with delivery.sessions() as session:
        rows = (await session.execute(select(PromptHistoryRow))).scalars()
        return {(r.participant_id, r.prompt_id, r.sent_on.isoformat()) for r in rows}


async def test_editing_or_cancelling_a_scheduled_prompt_leaves_history_showing_what_was_sent(
    delivery: Runtime,
):
    assert (await send(delivery, "/broadcast all PR-01 at 2026-06-22 10:00")).ok
    people = {pid for pid, _, _ in await history(delivery)}
    assert len(people) == 9 and {(p, "PR-01", "2026-06-22") for p in people} == await history(delivery)
    assert (await delivery.say(FACILITATOR, "/broadcast edit B1 PR-02")).ok
    assert await history(delivery) == {(p, "PR-02", "2026-06-22") for p in people}  # PR-01 never went
    assert (await delivery.say(FACILITATOR, "/broadcast move B1 at 2026-06-24 10:00")).ok
    assert await history(delivery) == {(p, "PR-02", "2026-06-24") for p in people}
    assert (await delivery.say(FACILITATOR, '/broadcast edit B1 "Please read the brief"')).ok
    assert await history(delivery) == set()  # words, not a prompt: a rotation may still send PR-02
    assert (await delivery.say(FACILITATOR, "/broadcast edit B1 PR-03")).ok
    assert (await delivery.say(FACILITATOR, "/broadcast cancel B1")).ok
    assert await history(delivery) == set()  # nothing went


async def test_cancelling_keeps_a_prompt_sent_before_and_those_already_sent(delivery: Runtime):
    assert (await send(delivery, "/broadcast all PR-01 at 2026-06-22 10:00")).ok
    async with delivery.sessions() as session, session.begin():
        first = (await session.execute(select(DeliveryRow).order_by(DeliveryRow.id))).scalars().first()
        assert first is not None
        await session.execute(update(DeliveryRow).where(DeliveryRow.id == first.id).values(status="sent"))
        earlier = PromptHistoryRow(participant_id=first.participant_id, prompt_id="PR-04", sent_on=dt.date(2026, 5, 1))
        session.add(earlier)
    assert (await send(delivery, "/broadcast all PR-04 at 2026-06-23 10:00")).ok
    assert (await delivery.say(FACILITATOR, "/broadcast cancel B1")).ok
    assert (await delivery.say(FACILITATOR, "/broadcast cancel B2")).ok
    assert await history(delivery) == {
        (first.participant_id, "PR-01", "2026-06-22"),  # it had gone to this person before the cancel
        (first.participant_id, "PR-04", "2026-05-01"),  # sent long before, not by B2
    }
