"""/broadcast list, status, confirm, edit, move and cancel (facilitators of the broadcast's own programme).

A scheduled broadcast can be edited (new words or a new prompt), moved or cancelled until it starts: until a
``START_MARGIN`` before its time, with none of its messages taken by a dispatcher yet. A draft (a preview not yet
confirmed) can be edited and moved too, and is shown again to confirm. After a broadcast starts, a change is
refused kindly; cancelling still stops every message that has not gone.
"""

from __future__ import annotations

import datetime as dt

from handlers import broadcast_views as views
from handlers.action_views import when
from handlers.broadcast_time import send_time
from handlers.broadcasts import accepted_text, audience_of, audit, confirm, find_broadcast, preview_reply, prompt_of
from handlers.delivery_ports import BroadcastRecord, BroadcastState, DeliveryStatus
from handlers.errors import UserFacingError
from handlers.grammar import BroadcastAdmin, BroadcastChange
from handlers.model import Participant, Programme
from handlers.permissions import check_facilitator
from handlers.ports import Deps
from handlers.reply import Command, Reply, rich

START_MARGIN = dt.timedelta(minutes=2)


async def admin(cmd: BroadcastAdmin, actor: Participant, deps: Deps) -> Reply:
    if cmd.verb == "confirm":
        return await confirm(cmd.broadcast_id, actor, deps)
    check_facilitator(actor, f"{'see' if cmd.verb != 'cancel' else 'cancel'} broadcasts")
    if cmd.verb == "list":
        return await list_broadcasts(deps, actor)
    record = await find_broadcast(deps, actor.programme_id, cmd.broadcast_id)
    if cmd.verb == "status":
        return await broadcast_status(deps, record)
    return await cancel_broadcast(deps, record, actor)


async def change(cmd: BroadcastChange, actor: Participant, deps: Deps) -> Reply:
    """``/broadcast edit B2 "new text"|PR-ID`` and ``/broadcast move B2 at WHEN``."""
    check_facilitator(actor, "change broadcasts")
    record = await find_broadcast(deps, actor.programme_id, cmd.broadcast_id)
    programme = await deps.programmes.get(actor.programme_id)
    await _not_started(deps, record, programme)
    now = deps.clock.now()
    if cmd.verb == "move":
        revised = record.model_copy(update={"send_at": send_time(cmd.at, now, programme.timezone)})
    else:
        prompt_of(deps, cmd.prompt_id)
        text = "" if cmd.prompt_id else accepted_text(cmd.text, programme.governance.never_store)
        revised = record.model_copy(update={"prompt_id": cmd.prompt_id, "text": text})
    if record.state is BroadcastState.DRAFT:
        revised = revised.model_copy(update={"created_at": now})
    await deps.broadcasts.revise(record.id, prompt_id=revised.prompt_id, text=revised.text, send_at=revised.send_at,
                              recipients=record.recipients, previewed_at=now if record.state is BroadcastState.DRAFT
                              else None)  # fmt: skip
    prompt = prompt_of(deps, revised.prompt_id)
    if record.state is BroadcastState.DRAFT:
        audience = await audience_of(deps, record.audience, actor)
        return preview_reply(deps, revised, audience, programme, prompt, (f"{record.label} is changed.",))
    message = views.broadcast_message(revised, programme, prompt)
    changed = await deps.outbox.revise(
        record.id, message, revised.send_at, prompt_id=revised.prompt_id, was_prompt_id=record.prompt_id
    )
    detail = f"{cmd.verb}: {changed} messages changed"
    await audit(deps, actor, f"broadcast.{cmd.verb}", record.label, detail)
    words = views.preview_of(revised, prompt)
    return Reply(
        text=f"{record.label} is changed: {words} will go to {views.recipients(changed)} at "
        f"{when(revised.send_at, programme.timezone)}, each in their own working hours."
    )


async def _not_started(deps: Deps, record: BroadcastRecord, programme: Programme) -> None:
    if record.state is BroadcastState.CANCELLED:
        raise UserFacingError(f"{record.label} was cancelled, so there is nothing to change; please write it again.")
    if record.state is BroadcastState.DRAFT:
        return
    counts = await deps.outbox.counts(broadcast_id=record.id)
    if record.send_at <= deps.clock.now() + START_MARGIN or counts.pending != counts.total:
        raise UserFacingError(
            (
                f"{record.label} started going out at {when(record.send_at, programme.timezone)}, so it can no "
                "longer be changed; ",
                Command(f"broadcast cancel {record.label}"),
                " stops any messages that have not gone yet.",
            )
        )


async def list_broadcasts(deps: Deps, actor: Participant) -> Reply:
    programme = await deps.programmes.get(actor.programme_id)
    records = await deps.broadcasts.recent(programme.id)
    if not records:
        return Reply(
            body=(
                "No broadcasts yet. Send one with ",
                Command("broadcast AUDIENCE PROMPT-ID"),
                " or ",
                Command('broadcast AUDIENCE "text"'),
                ".",
            )
        )
    now = deps.clock.now().isoformat()
    lines = []
    for record in records:
        counts = await deps.outbox.counts(broadcast_id=record.id)
        acked = await deps.broadcasts.acknowledged(record.id)
        state = views.state_label(record, counts, now)
        lines.append(views.list_line(record, counts, acked, programme.timezone, state))
    return Reply(
        body=rich("\n".join(["Recent broadcasts (newest first):", *lines, "Details: "]), Command("broadcast status ID"))
    )


async def broadcast_status(deps: Deps, record: BroadcastRecord) -> Reply:
    programme = await deps.programmes.get(record.programme_id)
    counts = await deps.outbox.counts(broadcast_id=record.id)
    failures = await deps.outbox.recipients(broadcast_id=record.id, statuses=[DeliveryStatus.DEAD], limit=20)
    return views.status_report(
        record,
        state=views.state_label(record, counts, deps.clock.now().isoformat()),
        counts=counts,
        acknowledged=await deps.broadcasts.acknowledged(record.id),
        failures=failures,
        preview=views.preview_of(record, prompt_of(deps, record.prompt_id)),
        zone=programme.timezone,
    )


async def cancel_broadcast(deps: Deps, record: BroadcastRecord, actor: Participant) -> Reply:
    if record.state is BroadcastState.CANCELLED:
        raise UserFacingError(f"{record.label} was already cancelled.")
    if record.state is BroadcastState.DRAFT:
        await deps.broadcasts.set_state(record.id, BroadcastState.CANCELLED)
        return Reply(text=f"{record.label} is cancelled; nothing was sent.")
    cancelled = await deps.outbox.cancel(record.id, record.prompt_id)
    sent = (await deps.outbox.counts(broadcast_id=record.id)).sent
    if cancelled == 0:
        raise UserFacingError(f"{record.label} has already gone to everyone, so there is nothing left to cancel.")
    await deps.broadcasts.set_state(record.id, BroadcastState.CANCELLED)
    await audit(deps, actor, "broadcast.cancel", record.label, f"{cancelled} not sent")
    gone = f"; {sent} had already gone" if sent else ""
    return Reply(text=f"Cancelled {record.label}: {cancelled} messages will not be sent{gone}.")
