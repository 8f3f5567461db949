"""How broadcasts look: the message people receive, the preview to confirm, and the facilitator's reports."""

from __future__ import annotations

import datetime as dt

from handlers.action_views import when
from handlers.broadcast_preview import Reach, agencies_line
from handlers.delivery_ports import BroadcastRecord, BroadcastState, DeliveryCounts, RecipientStatus
from handlers.library import Prompt
from handlers.model import Programme
from handlers.prompting import REFLECT_BUTTON
from handlers.reply import Block, Button, Command, Emphasis, Reply, plain_text, rich

ACK_BUTTON = "broadcast.acknowledge"  # value: the broadcast id, e.g. "B12"
CONFIRM_FORM = "broadcast.confirm"  # forms opened by earlier versions: state B12; field "confirm" is send|cancel
SEND_BUTTON = "broadcast.send"  # on a preview; value: the broadcast id, e.g. "B12"
DISCARD_BUTTON = "broadcast.discard"  # on a preview; value: the broadcast id
CONFIRM_FIELD = "confirm"
SEND, CANCEL = "send", "cancel"


def recipients(number: int) -> str:
    return f"{number:,} recipient{'' if number == 1 else 's'}"


def broadcast_message(record: BroadcastRecord, programme: Programme, prompt: Prompt | None) -> Reply:
    """What each recipient sees: who it is from, the words, and an Acknowledge button."""
    body = rich(record.text)
    if prompt is not None:
        body = rich(prompt.text, ("\n", Emphasis(prompt.follow_up)) if prompt.follow_up else ())
    source = f"From {record.created_by_name}, for '{programme.review_title}'"
    buttons = [Button(action_id=ACK_BUTTON, label="Acknowledge", value=record.label, style="primary")]
    if prompt is not None:
        buttons.append(Button(action_id=REFLECT_BUTTON, label="Reflect", value=prompt.id))
    blocks = (
        Block(kind="context", text=source),
        Block(kind="section", text=body),
        Block(kind="actions", buttons=tuple(buttons)),
    )
    text = (
        f"{source}\n{plain_text(body)}\nPlease press Acknowledge to let {record.created_by_name} know you have read it."
    )
    return Reply(text=text, blocks=blocks, ephemeral=False)


def preview(record: BroadcastRecord, message: Reply, found: Reach, zone: str, notes: tuple[str, ...] = ()) -> Reply:
    """The message as recipients will see it, who it reaches by agency, when it first arrives, and Send/Cancel."""
    total = sum(count for _code, count in found.by_agency) + found.channels
    header = f"Preview of {record.label}: nothing has been sent yet"
    shown = [b for b in message.blocks if b.kind != "actions"]
    buttons = [button.label for block in message.blocks for button in block.buttons]
    first = when(found.first, zone) if found.first else "no working hours within a year"
    timing = f"{first} ({zone})"
    if found.last is not None and found.first is not None and found.last > found.first:
        timing += f"; the last by {when(found.last, zone)}, each person in their own working hours"
    fields = (
        ("To", f"{', '.join(record.audience)}: {recipients(total)}"),
        ("By agency", agencies_line(found)),
        ("First delivery", timing),
    )
    how = rich(
        "Nothing is sent until you press Send. You can also type ",
        Command(f"broadcast confirm {record.label}"),
        ", or ",
        Command(f"broadcast cancel {record.label}"),
        ".",
    )
    blocks = (
        Block(kind="header", text=header),
        *(Block(kind="context", text=note) for note in notes),
        Block(kind="context", text="What each recipient will see:"),
        *shown,
        Block(kind="context", text=f"With the button{'s' if len(buttons) != 1 else ''}: {', '.join(buttons)}"),
        Block(kind="fields", fields=fields),
        Block(kind="actions", buttons=_confirm_buttons(record, total)),
        Block(kind="context", text=how),
    )
    seen = "\n".join(f"> {line}" for b in shown for line in plain_text(b.text).splitlines())
    lines = [header, *notes, "What each recipient will see:", seen, *(f"{k}: {v}" for k, v in fields), plain_text(how)]
    text = "\n".join(lines)
    return Reply(text=text, blocks=blocks)


def _confirm_buttons(record: BroadcastRecord, total: int) -> tuple[Button, ...]:
    return (
        Button(action_id=SEND_BUTTON, label=f"Send to {recipients(total)}", value=record.label, style="primary"),
        Button(action_id=DISCARD_BUTTON, label="Cancel", value=record.label, style="danger"),
    )


def preview_label(reply: Reply) -> str | None:
    """The broadcast a preview asks to confirm (its Send button's value), or None when the reply is no preview."""
    found = [b.value for block in reply.blocks for b in block.buttons if b.action_id == SEND_BUTTON]
    return found[0] if reply.ok and found else None


def preview_of(record: BroadcastRecord, prompt: Prompt | None) -> str:
    words = prompt.text if prompt is not None else record.text
    short = words if len(words) <= 80 else words[:79].rstrip() + "…"
    return f"{record.prompt_id + ': ' if record.prompt_id else ''}“{short}”"


def state_label(
    record: BroadcastRecord, counts: DeliveryCounts, now_utc_iso: str, lifetime: dt.timedelta = dt.timedelta(hours=1)
) -> str:
    if record.state is BroadcastState.DRAFT:
        expired = record.created_at + lifetime < dt.datetime.fromisoformat(now_utc_iso)
        return "preview expired, not sent" if expired else "awaiting confirmation"
    if record.state is BroadcastState.CANCELLED:
        return "cancelled"
    if counts.waiting == 0:
        return "finished"
    if record.send_at.isoformat() > now_utc_iso:
        return "scheduled"
    return "sending"


def counts_line(counts: DeliveryCounts, acknowledged: int) -> str:
    parts = [f"sent {counts.sent}", f"waiting {counts.waiting}", f"failed {counts.dead}"]
    if counts.cancelled:
        parts.append(f"cancelled {counts.cancelled}")
    parts.append(f"acknowledged {acknowledged}")
    return ", ".join(parts)


def list_line(record: BroadcastRecord, counts: DeliveryCounts, acknowledged: int, zone: str, state: str) -> str:
    audience = ",".join(record.audience)
    return (
        f"{record.label} · {when(record.send_at, zone)} · {audience} · {recipients(record.recipients)} · {state} · "
        f"{counts_line(counts, acknowledged)}"
    )


def status_report(
    record: BroadcastRecord,
    *,
    state: str,
    counts: DeliveryCounts,
    acknowledged: int,
    failures: list[RecipientStatus],
    preview: str,
    zone: str,
) -> Reply:
    header = f"{record.label}: {state}"
    fields = (
        ("From", record.created_by_name),
        ("To", f"{', '.join(record.audience)} ({recipients(record.recipients)})"),
        ("Send at", f"{when(record.send_at, zone)} ({zone}); each person in their own working hours"),
        ("Message", preview),
        ("Sent", str(counts.sent)),
        ("Waiting", f"{counts.waiting} (for working hours, leave or a retry)"),
        ("Failed", str(counts.dead)),
        ("Acknowledged", f"{acknowledged} of {counts.sent} sent"),
    )
    lines = [f"{f.name}: {f.last_error or 'no reason given'}" for f in failures]
    blocks = [Block(kind="header", text=header), Block(kind="fields", fields=fields)]
    if counts.cancelled:
        blocks.append(Block(kind="context", text=f"{counts.cancelled} were cancelled before they went."))
    if lines:
        blocks.append(Block(kind="section", text="Could not be delivered:\n" + "\n".join(lines)))
    text = "\n".join(
        [header, *(f"{k}: {v}" for k, v in fields), *(["Could not be delivered:", *lines] if lines else [])]
    )
    return Reply(text=text, blocks=tuple(blocks))
