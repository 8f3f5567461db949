"""/broadcast end to end through DeliveryRuntime.say, on SQLite and PostgreSQL."""

from __future__ import annotations

from bot.delivery_runtime import DeliveryRuntime
from handlers.broadcast_views import ACK_BUTTON
from tests.delivery.helpers import deliveries
from tests.factories import FACILITATOR, OWNER, PRACTITIONER


async def test_broadcast_to_a_team_writes_one_outbox_row_per_person(delivery: DeliveryRuntime):
    reply = await delivery.say(FACILITATOR, '/broadcast team:T-ADO "Please read the new guidance"')
    assert reply.ok, reply.text
    assert "B1 will go to 3 recipients now" in reply.text
    rows = await deliveries(delivery)
    assert len(rows) == 3
    assert {r.key for r in rows} == {f"broadcast:1:p{r.participant_id}" for r in rows}
    status = await delivery.say(FACILITATOR, "/broadcast status B1")
    assert status.ok, status.text
    assert "Waiting: 3" in status.text


async def test_acknowledge_button(delivery: DeliveryRuntime):
    await delivery.say(FACILITATOR, '/broadcast all "Hello"')
    first = await delivery.press(PRACTITIONER, ACK_BUTTON, "B1")
    again = await delivery.press(PRACTITIONER, ACK_BUTTON, "B1")
    assert first.ok and "Thank you" in first.text
    assert "already" in again.text
    status = await delivery.say(FACILITATOR, "/broadcast status B1")
    assert "Acknowledged: 1 of 0 sent" in status.text


async def test_practitioner_cannot_broadcast(delivery: DeliveryRuntime):
    reply = await delivery.say(OWNER, '/broadcast all "Hello"')
    assert not reply.ok
    assert "Only facilitators" in reply.text
    assert await deliveries(delivery) == []
