"""Ports and domain types for delivery: the outbox, broadcasts and the directory (all in handlers/ports.Deps).

Every outbound message goes through the outbox: a handler or a scheduled job writes ``OutboxMessage`` rows in its
own transaction; dispatchers on every replica send them later (bot/delivery.py). Each message carries an
idempotency key, unique across the outbox, so writing the same message twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from handlers.forums import Forum
from handlers.model import Frozen, Participant
from handlers.reply import Reply


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its time (not_before)
    SENDING = "sending"  # claimed by a dispatcher
    SENT = "sent"
    FAILED = "failed"  # a try failed; tried again at not_before
    DEAD = "dead"  # will never succeed (user gone, bot blocked) or gave up; last_error says why
    CANCELLED = "cancelled"  # a broadcast cancelled before this message went


class MessageKind(StrEnum):
    BROADCAST = "broadcast"
    PROMPT = "prompt"
    CHECKIN = "checkin"
    CHECKIN_REMINDER = "checkin_reminder"  # sent only if the person has not answered, decided at sending time
    ACTION_CHECKIN = "action_checkin"
    NUDGE = "nudge"
    DIGEST = "digest"
    PEERS = "peers"
    NOTICE = "notice"  # anything else a feature needs to send (e.g. a safeguarding contact notification)


class Recipient(Frozen):
    """Where one message goes: a platform and an address on it, and who that is (None for a channel)."""

    key: str  # the idempotency key; channels may pass it to the platform to check later whether it arrived
    platform: str  # "slack", "teams" or "console"
    address: str  # slack "TEAM:USER" or "TEAM:#channel"; teams "TENANT:AAD-OBJECT-ID"; console an email
    participant_id: int | None = None
    programme_id: int = 0
    kind: MessageKind = MessageKind.NOTICE


class OutboxMessage(Frozen):
    key: str
    programme_id: int
    participant_id: int | None
    platform: str
    address: str
    kind: MessageKind
    reply: Reply
    not_before: dt.datetime  # aware; the dispatcher moves it on to the recipient's next working window
    broadcast_id: int | None = None
    schedule_id: int | None = None
    respect_window: bool = True  # False only for messages that must not wait for working hours
    prompt_id: str = ""  # a library prompt in this message, remembered so a rotation never repeats it


class DeliveryCounts(Frozen):
    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    dead: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.sending + self.sent + self.failed + self.dead + self.cancelled

    @property
    def waiting(self) -> int:
        """Not sent yet but still going to be tried."""
        return self.pending + self.sending + self.failed


class RecipientStatus(Frozen):
    """One recipient's delivery, for the delivery report."""

    participant_id: int | None
    name: str  # the person's name, or the channel address
    platform: str
    status: DeliveryStatus
    attempts: int
    last_error: str = ""
    sent_at: dt.datetime | None = None


class BroadcastState(StrEnum):
    DRAFT = "draft"  # awaiting the facilitator's confirmation
    QUEUED = "queued"  # written to the outbox
    CANCELLED = "cancelled"


class BroadcastRecord(Frozen):
    id: int
    programme_id: int
    created_by: int | None
    created_by_name: str
    audience: tuple[str, ...]
    prompt_id: str = ""
    text: str = ""
    send_at: dt.datetime
    state: BroadcastState
    recipients: int = 0
    created_at: dt.datetime

    @property
    def label(self) -> str:
        return f"B{self.id}"


class NewBroadcast(Frozen):
    programme_id: int
    created_by: int | None
    created_by_name: str
    audience: tuple[str, ...]
    prompt_id: str = ""
    text: str = ""
    send_at: dt.datetime
    state: BroadcastState
    recipients: int
    created_at: dt.datetime


class Outbox(Protocol):
    async def enqueue(self, messages: Sequence[OutboxMessage]) -> list[str]:
        """Write the messages; a key already present is left alone. Returns the keys actually added."""
        ...

    async def counts(self, *, broadcast_id: int | None = None, schedule_id: int | None = None) -> DeliveryCounts: ...

    async def recipients(
        self, *, broadcast_id: int, statuses: Sequence[DeliveryStatus] | None = None, limit: int = 50
    ) -> list[RecipientStatus]: ...

    async def cancel(self, broadcast_id: int, prompt_id: str = "") -> int:
        """Cancel every message of a broadcast that has not gone yet; returns how many were cancelled. The prompt
        they carried (``prompt_id``) is taken out of those people's prompt history: it was never sent to them."""
        ...

    async def revise(
        self, broadcast_id: int, reply: Reply, not_before: dt.datetime, *, prompt_id: str = "", was_prompt_id: str = ""
    ) -> int:
        """Give every still-pending message of a broadcast new words and a new time; returns how many changed. The
        prompt history of those people then holds the prompt that will go (``prompt_id``) on its new day, not the
        one that was to go (``was_prompt_id``)."""
        ...


class BroadcastRepository(Protocol):
    async def add(self, broadcast: NewBroadcast) -> BroadcastRecord: ...

    async def get(self, programme_id: int, broadcast_id: int) -> BroadcastRecord | None: ...

    async def recent(self, programme_id: int, limit: int = 10) -> list[BroadcastRecord]: ...

    async def set_state(self, broadcast_id: int, state: BroadcastState, *, recipients: int | None = None) -> None: ...

    async def claim(self, broadcast_id: int, was: BroadcastState, now: BroadcastState) -> bool:
        """Move the broadcast from ``was`` to ``now``; False when it was no longer ``was`` (someone got there first)."""
        ...

    async def revise(self, broadcast_id: int, *, prompt_id: str, text: str, send_at: dt.datetime, recipients: int,
                     previewed_at: dt.datetime | None = None) -> None:  # fmt: skip
        """New words, time or audience size; ``previewed_at`` restarts a draft's preview (kept in created_at)."""
        ...

    async def forums(self, programme_id: int) -> list[Forum]:
        """The forums of the programme's last imported file."""
        ...

    async def acknowledge(self, broadcast_id: int, participant_id: int, at: dt.datetime) -> bool:
        """Record an acknowledgement; False when this person had already acknowledged."""
        ...

    async def sent_to(self, broadcast_id: int, participant_id: int) -> bool:
        """Whether this person received the broadcast: a message to them was sent, or it was posted in a channel
        (whose members the bot cannot list, so anyone of the programme may acknowledge it)."""
        ...

    async def acknowledged(self, broadcast_id: int) -> int: ...


class Directory(Protocol):
    async def members(self, programme_id: int) -> list[Participant]:
        """Everyone in the programme, with roles, agency, team and platform accounts: enough to resolve an audience
        and address a message (a light read, for audiences of many thousands)."""
        ...


def recipient_key(prefix: str, *parts: object) -> str:
    """An idempotency key such as ``schedule:4:2026-03-02T10:00:p17``; at most 200 characters."""
    key = ":".join([prefix, *(str(part) for part in parts)])
    if len(key) > 200:
        raise ValueError("An idempotency key is limited to 200 characters.")
    return key


@dataclass(frozen=True)
class ConversationRef:
    """Where the bot can reach a conversation on a chat platform that needs one (Teams): the tenant, the
    conversation, the regional service address, its kind, and for a personal chat the person's account id."""

    tenant_id: str
    conversation_id: str
    service_url: str
    conversation_type: str = "personal"
    aad_object_id: str | None = None  # the person, for a personal chat


class ConversationRefs(Protocol):
    """The stored conversation references, always looked up within one tenant (storage/repositories/conversations)."""

    async def remember(self, ref: ConversationRef) -> None: ...

    async def forget(self, tenant_id: str, conversation_id: str) -> None:
        """The app was removed from this conversation: it can no longer be used."""

    async def personal(self, tenant_id: str, aad_object_id: str) -> ConversationRef | None:
        """The person's 1:1 chat with the bot in this tenant, if the app is installed there."""

    async def service_url(self, tenant_id: str) -> str | None:
        """The most recent service address seen in this tenant."""
