"""/broadcast: preview a message or library prompt to an audience, confirm it, and acknowledge it.

Every broadcast is first saved as a draft and shown as a preview (the message as recipients will see it, who it
reaches by agency, and when the first one arrives given working hours); nothing is written to the outbox until a
facilitator of the same programme confirms it (the Send button, ``/broadcast confirm B3``, or ``aftercare
broadcast --yes``). A preview older than ``PREVIEW_LIFETIME``, or whose scheduled time has passed, is refused
kindly. Confirmed, a broadcast is written to the outbox in the facilitator's own transaction, one message per
recipient, each keyed ``broadcast:ID:p<participant>`` (or ``:c<channel>``), so nothing important lives only in
memory. Every message waits for its recipient's working hours. Changing, moving and cancelling are in
handlers/broadcast_changes.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence

from handlers import broadcast_views as views
from handlers.action_views import when
from handlers.audiences import Resolution, address_of, resolve
from handlers.broadcast_preview import reach
from handlers.broadcast_time import PAST_GRACE, send_time
from handlers.delivery_ports import (
    BroadcastRecord,
    BroadcastState,
    MessageKind,
    NewBroadcast,
    OutboxMessage,
    recipient_key,
)
from handlers.errors import NotFound, UserFacingError
from handlers.free_text import screen_free_text
from handlers.grammar import Broadcast
from handlers.library import Prompt
from handlers.model import AuditEvent, Participant, Programme
from handlers.permissions import check_facilitator
from handlers.ports import Deps
from handlers.reply import Command, Reply

logger = logging.getLogger(__name__)

PREVIEW_LIFETIME = dt.timedelta(hours=1)


def accepted_text(text: str, never_store: Sequence[str] = ()) -> str:
    """The one place broadcast words are accepted, new or edited: the shared free-text screen (a length limit,
    identifiers replaced before anything is kept)."""
    words = text.strip()
    if not words:
        raise UserFacingError('Please write the message between quotation marks, e.g. "Please read the brief".')
    return screen_free_text(words, "broadcast", never_store).text


async def send_broadcast(cmd: Broadcast, actor: Participant, deps: Deps) -> Reply:
    """A new broadcast: saved as a draft and previewed; nothing goes until it is confirmed."""
    check_facilitator(actor, "send broadcasts")
    programme = await deps.programmes.get(actor.programme_id)
    prompt = prompt_of(deps, cmd.prompt_id)
    text = accepted_text(cmd.text, programme.governance.never_store) if not cmd.prompt_id else ""
    now = deps.clock.now()
    send_at = now if cmd.at is None else send_time(cmd.at, now, programme.timezone)
    audience = await audience_of(deps, cmd.audience, actor)
    if audience.size == 0:
        raise UserFacingError(f"That audience reaches nobody, so nothing was sent ({audience.reasons()}).")
    record = await deps.broadcasts.add(
        NewBroadcast(
            programme_id=programme.id,
            created_by=actor.id,
            created_by_name=actor.name,
            audience=cmd.audience,
            prompt_id=cmd.prompt_id,
            text=text,
            send_at=send_at,
            state=BroadcastState.DRAFT,
            recipients=audience.size,
            created_at=now,
        )
    )
    return preview_reply(deps, record, audience, programme, prompt)


def preview_reply(
    deps: Deps,
    record: BroadcastRecord,
    audience: Resolution,
    programme: Programme,
    prompt: Prompt | None,
    notes: tuple[str, ...] = (),
) -> Reply:
    found = reach(audience, record.send_at, deps.clock.now(), programme.timezone, programme.id, deps.calendar)
    if audience.empty:
        notes = (*notes, f"Matched nobody: {audience.reasons()}.")
    message = views.broadcast_message(record, programme, prompt)
    return views.preview(record, message, found, programme.timezone, notes)


async def confirm(label: str, actor: Participant, deps: Deps) -> Reply:
    """Send a previewed draft: the Send button, ``/broadcast confirm B3``, or the confirmation form."""
    check_facilitator(actor, "confirm broadcasts")
    record = await find_broadcast(deps, actor.programme_id, label)
    _still_a_draft(record)
    now = deps.clock.now()
    programme = await deps.programmes.get(actor.programme_id)
    _still_fresh(record, now, programme.timezone)
    prompt = prompt_of(deps, record.prompt_id) if record.prompt_id else None
    audience = await audience_of(deps, record.audience, actor)
    if audience.size == 0:
        raise UserFacingError(f"That audience now reaches nobody, so nothing was sent ({audience.reasons()}).")
    send_at = now if record.send_at <= record.created_at + PAST_GRACE else record.send_at
    if audience.size != record.recipients:
        await deps.broadcasts.revise(record.id, prompt_id=record.prompt_id, text=record.text, send_at=record.send_at,
                                  recipients=audience.size, previewed_at=now)  # fmt: skip
        fresh = record.model_copy(update={"recipients": audience.size, "created_at": now})
        note = f"The audience has changed since the preview (it was {views.recipients(record.recipients)})."
        return preview_reply(deps, fresh, audience, programme, prompt, (note + " Please check it again.",))
    if not await deps.broadcasts.claim(record.id, BroadcastState.DRAFT, BroadcastState.QUEUED):
        raise UserFacingError(
            (f"{record.label} was confirmed a moment ago; ", Command(f"broadcast status {record.label}"), " shows it.")
        )
    if send_at != record.send_at:
        await deps.broadcasts.revise(record.id, prompt_id=record.prompt_id, text=record.text, send_at=send_at,
                                  recipients=audience.size)  # fmt: skip
        record = record.model_copy(update={"send_at": send_at})
    return await _queue(deps, record, audience, programme, prompt, actor)


async def discard(label: str, actor: Participant, deps: Deps) -> Reply:
    """The Cancel button on a preview."""
    check_facilitator(actor, "cancel broadcasts")
    record = await find_broadcast(deps, actor.programme_id, label)
    _still_a_draft(record)
    await deps.broadcasts.set_state(record.id, BroadcastState.CANCELLED)
    return Reply(text=f"{record.label} is cancelled; nothing was sent.")


async def confirm_broadcast(state: str, values: dict[str, str], actor: Participant, deps: Deps) -> Reply:
    """The confirmation form's answer (a form opened by an earlier version): send the draft, or cancel it."""
    if values.get(views.CONFIRM_FIELD) != views.SEND:
        return await discard(state, actor, deps)
    return await confirm(state, actor, deps)


def _still_a_draft(record: BroadcastRecord) -> None:
    if record.state is BroadcastState.QUEUED:
        raise UserFacingError(
            (
                f"{record.label} was already confirmed, so nothing more was sent; ",
                Command(f"broadcast status {record.label}"),
                " shows how it is going.",
            )
        )
    if record.state is BroadcastState.CANCELLED:
        raise UserFacingError(f"{record.label} was cancelled, so it cannot be sent; please write it again.")


def _still_fresh(record: BroadcastRecord, now: dt.datetime, zone: str) -> None:
    if record.created_at + PREVIEW_LIFETIME < now:
        raise UserFacingError(
            f"The preview of {record.label} is more than an hour old, so nothing was sent; please write the "
            "broadcast again to see who it reaches now."
        )
    scheduled = record.send_at > record.created_at + PAST_GRACE
    if scheduled and record.send_at < now - PAST_GRACE:
        raise UserFacingError(
            (
                f"{record.label} was set for {when(record.send_at, zone)}, which has passed, so nothing was sent; "
                "choose a new time with ",
                Command(f"broadcast move {record.label} at tomorrow 10:00"),
                ", then confirm it.",
            )
        )


async def acknowledge(value: str, actor: Participant, deps: Deps) -> Reply:
    """The Acknowledge button on a broadcast (action id ``broadcast_views.ACK_BUTTON``, value ``B12``)."""
    record = await find_broadcast(deps, actor.programme_id, value)
    if not await deps.broadcasts.sent_to(record.id, actor.id):
        raise UserFacingError("That message wasn't sent to you, so there is nothing to acknowledge.")
    if await deps.broadcasts.acknowledge(record.id, actor.id, deps.clock.now()):
        return Reply(text=f"Thank you, {actor.name.split()[0]}: {record.created_by_name} can see you have read it.")
    return Reply(text="You had already acknowledged this one; thank you.")


async def find_broadcast(deps: Deps, programme_id: int, label: str) -> BroadcastRecord:
    match = re.fullmatch(r"B?0*(\d{1,9})", label.strip().upper())
    record = await deps.broadcasts.get(programme_id, int(match[1])) if match else None
    if record is None:
        raise NotFound((f"There is no broadcast {label}; ", Command("broadcast list"), " shows them."))
    return record


async def audience_of(deps: Deps, parts: tuple[str, ...], actor: Participant) -> Resolution:
    pid = actor.programme_id
    people = await deps.directory.members(pid)
    agencies, teams = await deps.programmes.agencies(pid), await deps.programmes.teams(pid)
    forums = await deps.broadcasts.forums(pid) if any(p.lower().startswith("forum:") for p in parts) else []
    return resolve(parts, people, agencies, teams, actor, forums)


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
    deps: Deps,
    record: BroadcastRecord,
    audience: Resolution,
    programme: Programme,
    prompt: Prompt | None,
    actor: Participant,
) -> Reply:
    reply = views.broadcast_message(record, programme, prompt)
    added = await deps.outbox.enqueue(broadcast_messages(record, audience, reply, prompt_id=record.prompt_id))
    await deps.broadcasts.set_state(record.id, BroadcastState.QUEUED, recipients=audience.size)
    await audit(deps, actor, "broadcast.send", record.label, f"{','.join(record.audience)}; {len(added)} recipients")
    now = deps.clock.now()
    timing = "now" if record.send_at <= now + PAST_GRACE else f"at {when(record.send_at, programme.timezone)}"
    skipped = f" Matched nobody: {audience.reasons()}." if audience.empty else ""
    return Reply(
        body=(
            f"Confirmed: {record.label} will go to {views.recipients(audience.size)} {timing}, each in their own "
            f"working hours.{skipped} Follow it with ",
            Command(f"broadcast status {record.label}"),
            ".",
        )
    )


def prompt_of(deps: Deps, prompt_id: str) -> Prompt | None:
    if not prompt_id:
        return None
    prompt = deps.library.prompt(prompt_id)
    if prompt is None:
        raise NotFound(f"There is no prompt {prompt_id} in the library.")
    return prompt


async def audit(deps: Deps, actor: Participant, verb: str, target: str, detail: str) -> None:
    event = AuditEvent(at=deps.clock.now(), actor_email=actor.email, verb=verb, target=target, detail=detail)
    await deps.audit.record(actor.programme_id, event)
