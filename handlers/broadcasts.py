"""/broadcast: send or schedule a message or library prompt to an audience, confirm, list, report and cancel.

A broadcast is written to the outbox in the facilitator's own transaction, one message per recipient, each keyed
``broadcast:ID:p<participant>`` (or ``:c<channel>``), so nothing important lives only in memory. Every message
waits for its recipient's working hours. An audience that reaches nobody is refused with the reason; one larger
than ``CONFIRM_ABOVE`` is saved as a draft and asked about through a form (a Slack modal, a Teams dialog, a
question in the console; ``aftercare broadcast --yes`` confirms at a terminal).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from handlers import broadcast_views as views
from handlers.action_views import when
from handlers.audiences import Resolution, address_of, resolve
from handlers.delivery_ports import (
    BroadcastRecord,
    BroadcastState,
    DeliveryDeps,
    DeliveryStatus,
    MessageKind,
    NewBroadcast,
    OutboxMessage,
    delivery_deps,
    recipient_key,
)
from handlers.errors import NotFound, UserFacingError
from handlers.free_text import screen_free_text
from handlers.grammar import Broadcast, BroadcastAdmin
from handlers.library import Prompt
from handlers.model import AuditEvent, Participant, Programme
from handlers.permissions import check_facilitator
from handlers.ports import Deps
from handlers.reply import Reply
from handlers.windows import resolve_local, zone_for

logger = logging.getLogger(__name__)

CONFIRM_ABOVE = 200
PAST_GRACE = dt.timedelta(minutes=1)


async def send_broadcast(cmd: Broadcast, actor: Participant, deps: Deps) -> Reply:
    d = delivery_deps(deps)
    check_facilitator(actor, "send broadcasts")
    programme = await d.programmes.get(actor.programme_id)
    if cmd.text:  # the shared free-text screen: a length limit, identifiers replaced before anything is kept
        cmd = cmd.model_copy(
            update={"text": screen_free_text(cmd.text, "broadcast", programme.governance.never_store).text}
        )
    prompt = _prompt(d, cmd.prompt_id)
    now = d.clock.now()
    send_at = _send_at(cmd.at, programme, now)
    audience = await audience_of(d, cmd.audience, actor)
    if audience.size == 0:
        raise UserFacingError(f"That audience reaches nobody, so nothing was sent ({audience.reasons()}).")
    state = BroadcastState.DRAFT if audience.size > CONFIRM_ABOVE else BroadcastState.QUEUED
    record = await d.broadcasts.add(
        NewBroadcast(
            programme_id=programme.id,
            created_by=actor.id,
            created_by_name=actor.name,
            audience=cmd.audience,
            prompt_id=cmd.prompt_id,
            text=cmd.text,
            send_at=send_at,
            state=state,
            recipients=audience.size,
            created_at=now,
        )
    )
    if state is BroadcastState.DRAFT:
        return views.confirmation(record, audience.size, views.preview_of(record, prompt), audience.reasons())
    return await _queue(d, record, audience, programme, prompt, actor)


async def confirm_broadcast(state: str, values: dict[str, str], actor: Participant, deps: Deps) -> Reply:
    """The confirmation form's answer: send the draft, or cancel it."""
    d = delivery_deps(deps)
    check_facilitator(actor, "confirm broadcasts")
    record = await find_broadcast(d, actor.programme_id, state)
    if record.state is not BroadcastState.DRAFT:
        raise UserFacingError(f"{record.label} is already {record.state.value}, so there is nothing to confirm.")
    if values.get(views.CONFIRM_FIELD) != views.SEND:
        await d.broadcasts.set_state(record.id, BroadcastState.CANCELLED)
        return Reply(text=f"{record.label} is cancelled; nothing was sent.")
    programme = await d.programmes.get(actor.programme_id)
    audience = await audience_of(d, record.audience, actor)
    if audience.size == 0:
        raise UserFacingError(f"That audience now reaches nobody, so nothing was sent ({audience.reasons()}).")
    return await _queue(d, record, audience, programme, _prompt(d, record.prompt_id), actor)


async def admin(cmd: BroadcastAdmin, actor: Participant, deps: Deps) -> Reply:
    d = delivery_deps(deps)
    check_facilitator(actor, f"{'see' if cmd.verb != 'cancel' else 'cancel'} broadcasts")
    if cmd.verb == "list":
        return await list_broadcasts(d, actor)
    record = await find_broadcast(d, actor.programme_id, cmd.broadcast_id)
    if cmd.verb == "status":
        return await broadcast_status(d, record)
    return await cancel_broadcast(d, record, actor)


async def acknowledge(value: str, actor: Participant, deps: Deps) -> Reply:
    """The Acknowledge button on a broadcast (action id ``broadcast_views.ACK_BUTTON``, value ``B12``)."""
    d = delivery_deps(deps)
    record = await find_broadcast(d, actor.programme_id, value)
    if await d.broadcasts.acknowledge(record.id, actor.id, d.clock.now()):
        return Reply(text=f"Thank you, {actor.name.split()[0]}: {record.created_by_name} can see you have read it.")
    return Reply(text="You had already acknowledged this one; thank you.")


async def list_broadcasts(d: DeliveryDeps, actor: Participant) -> Reply:
    programme = await d.programmes.get(actor.programme_id)
    records = await d.broadcasts.recent(programme.id)
    if not records:
        return Reply(
            text='No broadcasts yet. Send one with /broadcast AUDIENCE PROMPT-ID or /broadcast AUDIENCE "text".'
        )
    now = d.clock.now().isoformat()
    lines = []
    for record in records:
        counts = await d.outbox.counts(broadcast_id=record.id)
        acked = await d.broadcasts.acknowledged(record.id)
        state = views.state_label(record, counts, now)
        lines.append(views.list_line(record, counts, acked, programme.timezone, state))
    text = "\n".join(["Recent broadcasts (newest first):", *lines, "Details: /broadcast status ID"])
    return Reply(text=text)


async def broadcast_status(d: DeliveryDeps, record: BroadcastRecord) -> Reply:
    programme = await d.programmes.get(record.programme_id)
    counts = await d.outbox.counts(broadcast_id=record.id)
    failures = await d.outbox.recipients(broadcast_id=record.id, statuses=[DeliveryStatus.DEAD], limit=20)
    return views.status_report(
        record,
        state=views.state_label(record, counts, d.clock.now().isoformat()),
        counts=counts,
        acknowledged=await d.broadcasts.acknowledged(record.id),
        failures=failures,
        preview=views.preview_of(record, _prompt(d, record.prompt_id) if record.prompt_id else None),
        zone=programme.timezone,
    )


async def cancel_broadcast(d: DeliveryDeps, record: BroadcastRecord, actor: Participant) -> Reply:
    if record.state is BroadcastState.CANCELLED:
        raise UserFacingError(f"{record.label} was already cancelled.")
    cancelled = await d.outbox.cancel(record.id)
    sent = (await d.outbox.counts(broadcast_id=record.id)).sent
    if record.state is BroadcastState.QUEUED and cancelled == 0:
        raise UserFacingError(f"{record.label} has already gone to everyone, so there is nothing left to cancel.")
    await d.broadcasts.set_state(record.id, BroadcastState.CANCELLED)
    await _audit(d, actor, "broadcast.cancel", record.label, f"{cancelled} not sent")
    gone = f"; {sent} had already gone" if sent else ""
    return Reply(text=f"Cancelled {record.label}: {cancelled} messages will not be sent{gone}.")


async def find_broadcast(d: DeliveryDeps, programme_id: int, label: str) -> BroadcastRecord:
    match = re.fullmatch(r"B?(\d+)", label.strip().upper())
    record = await d.broadcasts.get(programme_id, int(match[1])) if match else None
    if record is None:
        raise NotFound(f"There is no broadcast {label}; /broadcast list shows them.")
    return record


async def audience_of(d: DeliveryDeps, parts: tuple[str, ...], actor: Participant) -> Resolution:
    pid = actor.programme_id
    people = await d.directory.members(pid)
    return resolve(parts, people, await d.programmes.agencies(pid), await d.programmes.teams(pid), actor)


def broadcast_messages(
    record: BroadcastRecord, audience: Resolution, reply: Reply, *, prompt_id: str = ""
) -> list[OutboxMessage]:
    """One outbox message per person and per channel, keyed so that queueing twice adds nothing."""
    messages = []
    for person in audience.people:
        platform, address = address_of(person)
        messages.append(_message(record, recipient_key("broadcast", record.id, f"p{person.id}"), person.id, platform,
                                 address, reply, prompt_id))  # fmt: skip
    for channel in audience.channels:
        key = recipient_key("broadcast", record.id, f"c{channel}")
        messages.append(_message(record, key, None, "slack", channel, reply, ""))
    return messages


def _message(
    record: BroadcastRecord,
    key: str,
    participant_id: int | None,
    platform: str,
    address: str,
    reply: Reply,
    prompt_id: str,
) -> OutboxMessage:
    return OutboxMessage(
        key=key,
        programme_id=record.programme_id,
        participant_id=participant_id,
        platform=platform,
        address=address,
        kind=MessageKind.BROADCAST,
        reply=reply,
        not_before=record.send_at,
        broadcast_id=record.id,
        prompt_id=prompt_id,
    )


async def _queue(
    d: DeliveryDeps,
    record: BroadcastRecord,
    audience: Resolution,
    programme: Programme,
    prompt: Prompt | None,
    actor: Participant,
) -> Reply:
    reply = views.broadcast_message(record, programme, prompt)
    added = await d.outbox.enqueue(broadcast_messages(record, audience, reply, prompt_id=record.prompt_id))
    await d.broadcasts.set_state(record.id, BroadcastState.QUEUED, recipients=audience.size)
    await _audit(d, actor, "broadcast.send", record.label, f"{','.join(record.audience)}; {len(added)} recipients")
    now = d.clock.now()
    timing = "now" if record.send_at <= now + PAST_GRACE else f"at {when(record.send_at, programme.timezone)}"
    skipped = f" Matched nobody: {audience.reasons()}." if audience.empty else ""
    return Reply(
        text=f"{record.label} will go to {views.recipients(audience.size)} {timing}, each in their own working hours."
        f"{skipped} Follow it with /broadcast status {record.label}."
    )


def _prompt(d: DeliveryDeps, prompt_id: str) -> Prompt | None:
    if not prompt_id:
        return None
    prompt = d.library.prompt(prompt_id)
    if prompt is None:
        raise NotFound(f"There is no prompt {prompt_id} in the library.")
    return prompt


def _send_at(at: dt.datetime | None, programme: Programme, now: dt.datetime) -> dt.datetime:
    if at is None:
        return now
    moment = resolve_local(at.date(), at.time(), zone_for(programme.timezone))
    if moment < now - PAST_GRACE:
        raise UserFacingError(f"{at:%Y-%m-%d %H:%M} has already passed; please give a time from now onwards.")
    return moment


async def _audit(d: DeliveryDeps, actor: Participant, verb: str, target: str, detail: str) -> None:
    event = AuditEvent(at=d.clock.now(), actor_email=actor.email, verb=verb, target=target, detail=detail)
    await d.audit.record(actor.programme_id, event)
