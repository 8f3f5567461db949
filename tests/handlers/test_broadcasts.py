"""Broadcasts (handlers/broadcasts.py) against the in-memory ports: the audience, preview before anything is
queued, confirmation once, and acknowledgement only by someone the message was sent to."""

from __future__ import annotations

from handlers.broadcast_views import ACK_BUTTON, DISCARD_BUTTON, SEND_BUTTON, preview_label
from handlers.delivery_ports import BroadcastState, DeliveryStatus
from handlers.dispatch import press_button, run_text
from handlers.ports import Deps
from handlers.reply import Reply
from tests.factories import FACILITATOR, MANAGER, OTHER_MANAGER, OWNER, PRACTITIONER
from tests.handlers.conftest import person
from tests.handlers.memory import World


async def write(world: World, deps: Deps, text: str, email: str = FACILITATOR) -> Reply:
    return await run_text("/broadcast", text, person(world, email), deps)


async def press(world: World, deps: Deps, email: str, button: str, value: str) -> Reply:
    return await press_button(button, value, person(world, email), deps)


async def sent(world: World, deps: Deps, text: str) -> str:
    """Write a broadcast, press Send on its preview, and let the dispatcher deliver it; returns its label."""
    label = preview_label(await write(world, deps, text))
    assert label is not None
    assert (await press(world, deps, FACILITATOR, SEND_BUTTON, label)).ok
    world.mark_sent(broadcast_id=int(label[1:]))
    return label


async def test_a_preview_names_the_audience_and_queues_nothing(world: World, deps: Deps):
    preview = await write(world, deps, 'team:T-ADO "Please read the new guidance"')
    assert preview.ok and preview_label(preview) == "B1"
    assert "3 recipients" in preview.text
    assert world.outbox == {} and world.broadcasts[1].state is BroadcastState.DRAFT


async def test_send_queues_one_message_per_person_in_the_audience_once(world: World, deps: Deps):
    await write(world, deps, 'team:T-ADO "Please read the new guidance"')
    first = await press(world, deps, FACILITATOR, SEND_BUTTON, "B1")
    again = await press(world, deps, FACILITATOR, SEND_BUTTON, "B1")
    team = {p.id for p in world.people.values() if p.team == "T-ADO"}
    assert first.ok and "B1 will go to 3 recipients now" in first.text
    assert not again.ok and "already confirmed" in again.text
    assert {m.participant_id for m, _ in world.outbox.values()} == team and len(world.outbox) == 3


async def test_cancel_on_a_preview_sends_nothing(world: World, deps: Deps):
    await write(world, deps, 'all "Hello"')
    cancelled = await press(world, deps, FACILITATOR, DISCARD_BUTTON, "B1")
    late = await press(world, deps, FACILITATOR, SEND_BUTTON, "B1")
    assert cancelled.ok and not late.ok and world.outbox == {}


async def test_only_a_facilitator_writes_or_sends_a_broadcast(world: World, deps: Deps):
    await write(world, deps, 'all "Hello"')
    by_manager = await write(world, deps, 'all "Hello"', MANAGER)
    send_by_owner = await press(world, deps, OWNER, SEND_BUTTON, "B1")
    assert not by_manager.ok and not send_by_owner.ok
    assert len(world.broadcasts) == 1 and world.outbox == {}


async def test_an_audience_that_reaches_nobody_is_refused(world: World, deps: Deps):
    reply = await write(world, deps, 'team:T-NONE "Hello"')
    assert not reply.ok and "reaches nobody" in reply.text and world.broadcasts == {}


async def test_a_recipient_acknowledges_once(world: World, deps: Deps):
    label = await sent(world, deps, 'all "Hello"')
    first = await press(world, deps, PRACTITIONER, ACK_BUTTON, label)
    again = await press(world, deps, PRACTITIONER, ACK_BUTTON, label)
    assert first.ok and "Thank you, Pat" in first.text
    assert "already" in again.text and len(world.acknowledgements) == 1


async def test_only_someone_it_was_sent_to_can_acknowledge(world: World, deps: Deps):
    label = preview_label(await write(world, deps, 'team:T-ADO "Please read"'))
    assert label is not None and (await press(world, deps, FACILITATOR, SEND_BUTTON, label)).ok
    early = await press(world, deps, PRACTITIONER, ACK_BUTTON, label)  # in the audience, not delivered yet
    world.mark_sent(broadcast_id=1)
    outsider = await press(world, deps, OTHER_MANAGER, ACK_BUTTON, label)
    unknown = await press(world, deps, PRACTITIONER, ACK_BUTTON, "B99999999999999999999")
    assert not early.ok and not outsider.ok and not unknown.ok
    assert "wasn't sent to you" in outsider.text
    assert world.acknowledgements == set()


async def test_a_broadcast_of_another_programme_is_not_found(world: World, deps: Deps):
    label = await sent(world, deps, 'all "Hello"')
    world.broadcasts[1] = world.broadcasts[1].model_copy(update={"programme_id": 2})
    reply = await press(world, deps, PRACTITIONER, ACK_BUTTON, label)
    assert not reply.ok and "There is no broadcast B1" in reply.text and world.acknowledgements == set()


async def test_status_counts_what_the_outbox_holds(world: World, deps: Deps):
    label = await sent(world, deps, 'team:T-ADO "Please read"')
    await press(world, deps, PRACTITIONER, ACK_BUTTON, label)
    status = await write(world, deps, f"status {label}")
    assert status.ok and "Acknowledged: 1 of" in status.text
    assert {s for _, s in world.outbox.values()} == {DeliveryStatus.SENT}
