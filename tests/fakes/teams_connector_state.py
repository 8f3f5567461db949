"""The fake connector's state and its `/v3/conversations` operations (callers hold the connector's lock)."""

from __future__ import annotations

import collections
import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.teams_activities import teams_user_id
from tests.fakes.teams_card_rules import ADAPTIVE_CARD_CONTENT_TYPE, CardRules, Rejection, check_activity
from tests.fakes.teams_throttle import Limits, SlidingWindows

logger = logging.getLogger(__name__)

FAILURES = {
    412: ("PreconditionFailed", "Precondition failed, please try again."),
    429: ("Throttled", "Too many requests."),
    500: ("ServiceError", "Internal server error."),
    502: ("ServiceError", "Service dependency issue."),
    503: ("ServiceUnavailable", "Service is unavailable."),
    504: ("GatewayTimeout", "Gateway Timeout."),
}
BLOCKED = Rejection(403, "ConversationBlockedByUser", "User blocked the conversation with the bot.")
NOT_IN_ROSTER = Rejection(403, "BotNotInConversationRoster", "The bot isn't part of the conversation roster.")
NOT_INSTALLED = Rejection(403, "ForbiddenOperationException", "Bot isn't installed in user's personal scope")
NOT_FOUND = Rejection(404, "ConversationNotFound", "Conversation not found.")
NO_ACTIVITY = Rejection(404, "ActivityNotFoundInConversation", "Conversation not found.")
NO_MEMBER = Rejection(404, "MemberNotFoundInConversation", "The member was not found in the conversation.")


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def _refuse(rejection: Rejection) -> Reply:
    return Reply(rejection.status, rejection.body())


def _bad(message: str) -> Reply:
    return _refuse(Rejection(400, "BadArgument", message))


@dataclass(frozen=True)
class RecordedActivity:
    """An activity the fake accepted: `operation` is "send", "reply", "update" or "delete"."""

    operation: str
    conversation_id: str
    activity_id: str
    body: dict[str, Any]
    tenant_id: str
    at: float
    reply_to_id: str | None = None

    @property
    def text(self) -> str | None:
        text = self.body.get("text")
        return text if isinstance(text, str) else None

    @property
    def cards(self) -> list[dict[str, Any]]:
        attachments = self.body.get("attachments") or []
        return [a["content"] for a in attachments if a.get("contentType") == ADAPTIVE_CARD_CONTENT_TYPE]


@dataclass
class Injected:
    status: int
    code: str
    message: str
    retry_after: int


@dataclass
class Conversation:
    tenant_id: str
    members: list[str]
    """AAD object ids of the people in it (the bot is implied)."""


def _body_tenant(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    for holder in (body.get("conversation"), body):
        if isinstance(holder, dict) and isinstance(holder.get("tenantId"), str):
            return str(holder["tenantId"])
    tenant = (body.get("channelData") or {}).get("tenant") or {}
    return tenant.get("id") if isinstance(tenant.get("id"), str) else None


class ConnectorState:
    def __init__(
        self, *, app_id: str, clock: Callable[[], float], limits: Limits, card_rules: CardRules, strict: bool
    ) -> None:
        self.app_id, self.clock, self.limits, self.card_rules, self.strict = app_id, clock, limits, card_rules, strict
        self.throttling = True
        self.windows = SlidingWindows(clock)
        self.on_record: Callable[[], None] = lambda: None
        self.reset()

    def reset(self) -> None:
        self.activities: list[RecordedActivity] = []
        self.injected: dict[str, collections.deque[Injected]] = {}
        self.conversation_errors: dict[str, Rejection] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.conversations: dict[str, Conversation] = {}
        self.messages: dict[str, dict[str, dict[str, Any]]] = {}
        self.windows.reset()
        self._last_id = 0

    # ----- people and conversations -----
    def add_user(self, aad_object_id: str, *, tenant_id: str, user_id: str | None = None, **extra: Any) -> Any:
        given, surname = extra.get("given_name", "Test"), extra.get("surname", "User")
        email = extra.get("email") or f"{given}.{surname}.{aad_object_id[:8]}@example.org".lower()
        account = {
            "id": user_id or teams_user_id(aad_object_id),
            "name": extra.get("name") or f"{given} {surname}",
            "aadObjectId": aad_object_id,
            "givenName": given,
            "surname": surname,
            "email": email,
            "userPrincipalName": extra.get("upn") or email,
            "tenantId": tenant_id,
            "userRole": "user",
        }
        self.users[aad_object_id] = account
        return dict(account)

    def find_user(self, member_id: str) -> dict[str, Any] | None:
        found = self.users.get(member_id)
        return found or next((u for u in self.users.values() if u["id"] == member_id), None)

    def personal_conversation_id(self, member_id: str, tenant_id: str) -> str:
        user = self.find_user(member_id)
        key = user["aadObjectId"] if user else member_id
        digest = hashlib.sha256(f"{tenant_id}|{key}|{self.app_id}".encode()).hexdigest()
        return f"a:1{digest[:48]}"

    def visible_messages(self, conversation_id: str) -> list[dict[str, Any]]:
        return [dict(body, id=aid) for aid, body in self.messages.get(conversation_id, {}).items()]

    def tenant_of(self, conversation_id: str, body: Any = None) -> str:
        known = self.conversations.get(conversation_id)
        return known.tenant_id if known else (_body_tenant(body) or "unknown")

    # ----- the gate every conversation call passes -----
    def gate(self, conversation_id: str, tenant_id: str, path: str, *, kind: str) -> Reply | None:
        """Conversation state, throttling and injected failures, in that order; None lets the request through.

        `kind` is "send" (also update and delete), "create" or "read": each has its own per-conversation bucket.
        """
        if self.strict and conversation_id not in self.conversations:
            return _refuse(NOT_FOUND)
        error = self.conversation_errors.get(conversation_id)
        if error is not None:
            return _refuse(error)
        if self.throttling:
            per_conversation = (
                self.limits.read_per_conversation if kind == "read" else self.limits.send_per_conversation
            )
            buckets = [
                (f"{kind}:{conversation_id}", per_conversation),
                (f"tenant:{tenant_id}", self.limits.per_tenant),
            ]
            retry_after = self.windows.admit(buckets, path)
            if retry_after is not None:
                return throttled(retry_after)
        queue = self.injected.get(conversation_id) if kind != "read" else None
        if queue:
            failure = queue.popleft()
            if failure.status == 429:
                self.windows.not_before[f"{kind}:{conversation_id}"] = self.clock() + failure.retry_after
                return throttled(failure.retry_after)
            return _refuse(Rejection(failure.status, failure.code, failure.message))
        return None

    def _new_id(self) -> str:
        self._last_id = max(self._last_id + 1, int(time.time() * 1000))
        return str(self._last_id)

    def _record(self, operation: str, conversation_id: str, activity_id: str, body: Any, **extra: Any) -> None:
        tenant = self.tenant_of(conversation_id, body)
        stored = body if isinstance(body, dict) else {}
        self.activities.append(
            RecordedActivity(operation, conversation_id, activity_id, stored, tenant, self.clock(), **extra)
        )
        self.on_record()

    # ----- operations -----
    def op_create(self, body: Any, path: str) -> Reply:
        if not isinstance(body, dict):
            return _bad("Request body must be a JSON object.")
        members = body.get("members")
        if body.get("isGroup") or not isinstance(members, list) or len(members) != 1:
            return _bad("Only a one-to-one conversation with one member and isGroup false can be created.")
        member_id = members[0].get("id") if isinstance(members[0], dict) else None
        tenant_id = _body_tenant(body)
        if not isinstance(member_id, str) or not tenant_id:
            return _bad("A member id and a tenantId are required to create a conversation.")
        user = self.find_user(member_id)
        if user is None:
            if self.strict:
                return _refuse(NOT_INSTALLED)
            is_teams_id = member_id.startswith("29:")
            aad = str(uuid.uuid5(uuid.NAMESPACE_URL, member_id)) if is_teams_id else member_id
            user = self.add_user(aad, tenant_id=tenant_id, user_id=member_id if is_teams_id else None)
        conversation_id = self.personal_conversation_id(user["aadObjectId"], tenant_id)
        error = self.conversation_errors.get(conversation_id)
        if error is NOT_IN_ROSTER:
            return _refuse(NOT_INSTALLED)
        if error is NOT_FOUND:
            del self.conversation_errors[conversation_id]
        existed = conversation_id in self.conversations
        self.conversations.setdefault(conversation_id, Conversation(tenant_id, [user["aadObjectId"]]))
        gated = self.gate(conversation_id, tenant_id, path, kind="create")
        if gated is not None:
            if not existed:
                del self.conversations[conversation_id]
            return gated
        result: dict[str, Any] = {"id": conversation_id}
        if isinstance(body.get("activity"), dict):
            sent = self._store_send(conversation_id, body["activity"], None)
            if sent.status >= 400:
                return sent
            result["activityId"] = sent.body.get("id")
        return Reply(200 if existed else 201, result)

    def op_send(self, conversation_id: str, body: Any, path: str, reply_to_id: str | None = None) -> Reply:
        gated = self.gate(conversation_id, self.tenant_of(conversation_id, body), path, kind="send")
        return gated or self._store_send(conversation_id, body, reply_to_id)

    def _store_send(self, conversation_id: str, body: Any, reply_to_id: str | None) -> Reply:
        rejection = check_activity(body, self.card_rules)
        if rejection is not None:
            return _refuse(rejection)
        activity_id = self._new_id()
        replying_to = reply_to_id or body.get("replyToId")
        operation = "reply" if reply_to_id else "send"
        self._record(operation, conversation_id, activity_id, body, reply_to_id=replying_to)
        if body["type"] == "typing":
            return Reply(200, {})
        self.messages.setdefault(conversation_id, {})[activity_id] = body
        return Reply(201, {"id": activity_id})

    def op_update(self, conversation_id: str, activity_id: str, body: Any, path: str) -> Reply:
        gated = self.gate(conversation_id, self.tenant_of(conversation_id, body), path, kind="send")
        if gated is not None:
            return gated
        if activity_id not in self.messages.get(conversation_id, {}):
            return _refuse(NO_ACTIVITY)
        rejection = check_activity(body, self.card_rules)
        if rejection is not None:
            return _refuse(rejection)
        self.messages[conversation_id][activity_id] = body
        self._record("update", conversation_id, activity_id, body)
        return Reply(200, {"id": activity_id})

    def op_delete(self, conversation_id: str, activity_id: str, path: str) -> Reply:
        gated = self.gate(conversation_id, self.tenant_of(conversation_id), path, kind="send")
        if gated is not None:
            return gated
        if self.messages.get(conversation_id, {}).pop(activity_id, None) is None:
            return _refuse(NO_ACTIVITY)
        self._record("delete", conversation_id, activity_id, {})
        return Reply(200)

    def _members_of(self, conversation_id: str) -> list[dict[str, Any]]:
        known = self.conversations.get(conversation_id)
        members = known.members if known else []
        return [dict(self.users[aad]) for aad in members if aad in self.users]

    def op_members(self, conversation_id: str, path: str) -> Reply:
        gated = self.gate(conversation_id, self.tenant_of(conversation_id), path, kind="read")
        return gated or Reply(200, self._members_of(conversation_id))

    def op_paged_members(self, conversation_id: str, path: str, page_size: int, token: str | None) -> Reply:
        gated = self.gate(conversation_id, self.tenant_of(conversation_id), path, kind="read")
        if gated is not None:
            return gated
        members = self._members_of(conversation_id)
        start = int(token) if token and token.isdigit() else 0
        page: dict[str, Any] = {"members": members[start : start + page_size]}
        if start + page_size < len(members):
            page["continuationToken"] = str(start + page_size)
        return Reply(200, page)

    def op_member(self, conversation_id: str, member_id: str, path: str) -> Reply:
        gated = self.gate(conversation_id, self.tenant_of(conversation_id), path, kind="read")
        if gated is not None:
            return gated
        user = self.find_user(member_id)
        known = self.conversations.get(conversation_id)
        if user is None or (known is not None and user["aadObjectId"] not in known.members):
            return _refuse(NO_MEMBER)
        return Reply(200, dict(user))


def throttled(retry_after: int) -> Reply:
    body = Rejection(429, "Throttled", "Too many requests.").body()
    return Reply(429, body, {"Retry-After": str(retry_after)})
