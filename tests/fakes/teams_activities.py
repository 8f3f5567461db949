"""Inbound Teams activities, shaped like the Bot Framework JSON that Teams posts to a bot.

Shapes follow Microsoft's published examples (msteams-docs: "Full inbound schema example",
"conversation events", "install update event", Universal Actions `adaptiveCard/action`, and task modules):
`channelId` "msteams", `channelData.tenant.id`, `from.aadObjectId`, `conversation.tenantId`, `recipient`
"28:<bot app id>", `serviceUrl`, `id`, `timestamp`, `locale` and a `clientInfo` entity.
Every builder returns a fresh dict that a test may change before posting it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
import time
from typing import Any, Literal

logger = logging.getLogger(__name__)

FAKE_BOT_APP_ID = "6f1c2a9e-3b7d-4e58-9a0c-1d2e3f4a5b6c"
FAKE_TENANT_ID = "0d9b8c7a-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
BOT_NAME = "Aftercare"

_counter = itertools.count(1)


def teams_user_id(aad_object_id: str) -> str:
    """A stable, Teams-looking user id ("29:1…") for an Entra object id."""
    digest = hashlib.sha256(aad_object_id.encode()).hexdigest()
    return f"29:1{digest[:60]}"


def _timestamp(at: dt.datetime | None) -> str:
    moment = at or dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _message_id() -> str:
    # Teams message ids are epoch milliseconds; adding a counter keeps them unique within a run.
    return str(int(time.time() * 1000) + next(_counter))


def _event_id() -> str:
    return f"f:{int(time.time() * 1000)}{next(_counter):06d}"


def _base(
    activity_type: str,
    *,
    from_aad: str,
    tenant: str,
    conversation_id: str,
    service_url: str,
    bot_app_id: str,
    conversation_type: str,
    locale: str,
    timestamp: dt.datetime | None,
    user_name: str | None,
    activity_id: str,
) -> dict[str, Any]:
    sender: dict[str, Any] = {"id": teams_user_id(from_aad), "aadObjectId": from_aad}
    if user_name is not None:
        sender["name"] = user_name
    conversation: dict[str, Any] = {"conversationType": conversation_type, "tenantId": tenant, "id": conversation_id}
    if conversation_type != "personal":
        conversation["isGroup"] = True
    return {
        "type": activity_type,
        "id": activity_id,
        "timestamp": _timestamp(timestamp),
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": sender,
        "conversation": conversation,
        "recipient": {"id": f"28:{bot_app_id}", "name": BOT_NAME},
        "entities": [{"locale": locale, "country": locale[-2:], "platform": "Web", "type": "clientInfo"}],
        "channelData": {"tenant": {"id": tenant}},
        "locale": locale,
    }


def message_activity(
    text: str,
    from_aad: str,
    tenant: str,
    conversation_id: str,
    service_url: str,
    *,
    bot_app_id: str = FAKE_BOT_APP_ID,
    user_name: str | None = "Test User",
    conversation_type: str = "personal",
    locale: str = "en-GB",
    local_timezone: str = "Europe/London",
    timestamp: dt.datetime | None = None,
    reply_to_id: str | None = None,
) -> dict[str, Any]:
    """A user's message to the bot (personal chat unless `conversation_type` says otherwise)."""
    activity = _base(
        "message",
        from_aad=from_aad,
        tenant=tenant,
        conversation_id=conversation_id,
        service_url=service_url,
        bot_app_id=bot_app_id,
        conversation_type=conversation_type,
        locale=locale,
        timestamp=timestamp,
        user_name=user_name,
        activity_id=_message_id(),
    )
    activity["entities"][0]["timezone"] = local_timezone
    activity.update({"textFormat": "plain", "text": text, "localTimezone": local_timezone})
    if reply_to_id is not None:
        activity["replyToId"] = reply_to_id
    return activity


def conversation_update_activity(
    from_aad: str,
    tenant: str,
    conversation_id: str,
    service_url: str,
    *,
    bot_app_id: str = FAKE_BOT_APP_ID,
    members_added: list[dict[str, Any]] | None = None,
    members_removed: list[dict[str, Any]] | None = None,
    conversation_type: str = "personal",
    locale: str = "en-GB",
    timestamp: dt.datetime | None = None,
) -> dict[str, Any]:
    """A `conversationUpdate`; by default the bot was just added to a personal chat with the user."""
    activity = _base(
        "conversationUpdate",
        from_aad=from_aad,
        tenant=tenant,
        conversation_id=conversation_id,
        service_url=service_url,
        bot_app_id=bot_app_id,
        conversation_type=conversation_type,
        locale=locale,
        timestamp=timestamp,
        user_name=None,
        activity_id=_event_id(),
    )
    if members_added is None and members_removed is None:
        members_added = [{"id": f"28:{bot_app_id}"}, {"id": teams_user_id(from_aad), "aadObjectId": from_aad}]
    if members_added is not None:
        activity["membersAdded"] = members_added
    if members_removed is not None:
        activity["membersRemoved"] = members_removed
    return activity


def installation_update_activity(
    from_aad: str,
    tenant: str,
    conversation_id: str,
    service_url: str,
    *,
    action: Literal["add", "remove", "add-upgrade", "remove-upgrade"] = "add",
    bot_app_id: str = FAKE_BOT_APP_ID,
    conversation_type: str = "personal",
    locale: str = "en-GB",
    timestamp: dt.datetime | None = None,
) -> dict[str, Any]:
    """An `installationUpdate` for the app being installed ("add") or removed ("remove")."""
    activity = _base(
        "installationUpdate",
        from_aad=from_aad,
        tenant=tenant,
        conversation_id=conversation_id,
        service_url=service_url,
        bot_app_id=bot_app_id,
        conversation_type=conversation_type,
        locale=locale,
        timestamp=timestamp,
        user_name=None,
        activity_id=_event_id(),
    )
    activity["action"] = action
    activity["channelData"]["source"] = {"name": "message"}
    return activity


def _invoke(name: str, value: dict[str, Any], base: dict[str, Any], reply_to_id: str | None) -> dict[str, Any]:
    base.update({"name": name, "value": value})
    if reply_to_id is not None:
        base["replyToId"] = reply_to_id
    return base


def invoke_adaptive_card_action(
    verb: str,
    data: dict[str, Any],
    from_aad: str,
    tenant: str,
    conversation_id: str,
    service_url: str,
    *,
    action_id: str | None = None,
    reply_to_id: str | None = None,
    bot_app_id: str = FAKE_BOT_APP_ID,
    locale: str = "en-GB",
) -> dict[str, Any]:
    """An `invoke` named `adaptiveCard/action`: the user pressed an `Action.Execute` button (Universal Actions)."""
    action: dict[str, Any] = {"type": "Action.Execute", "verb": verb, "data": data}
    if action_id is not None:
        action["id"] = action_id
    base = _base(
        "invoke",
        from_aad=from_aad,
        tenant=tenant,
        conversation_id=conversation_id,
        service_url=service_url,
        bot_app_id=bot_app_id,
        conversation_type="personal",
        locale=locale,
        timestamp=None,
        user_name="Test User",
        activity_id=_event_id(),
    )
    return _invoke("adaptiveCard/action", {"action": action, "trigger": "manual"}, base, reply_to_id)


def _task(name: str, data: dict[str, Any], ids: tuple[str, str, str, str], bot_app_id: str) -> dict[str, Any]:
    from_aad, tenant, conversation_id, service_url = ids
    base = _base(
        "invoke",
        from_aad=from_aad,
        tenant=tenant,
        conversation_id=conversation_id,
        service_url=service_url,
        bot_app_id=bot_app_id,
        conversation_type="personal",
        locale="en-GB",
        timestamp=None,
        user_name="Test User",
        activity_id=_event_id(),
    )
    value = {"type": name, "data": data, "context": {"theme": "default"}}
    return _invoke(name, value, base, None)


def task_fetch(
    data: dict[str, Any],
    from_aad: str,
    tenant: str,
    conversation_id: str,
    service_url: str,
    *,
    bot_app_id: str = FAKE_BOT_APP_ID,
) -> dict[str, Any]:
    """An `invoke` named `task/fetch`: a button asked the bot for a dialog (task module)."""
    return _task("task/fetch", data, (from_aad, tenant, conversation_id, service_url), bot_app_id)


def task_submit(
    data: dict[str, Any],
    from_aad: str,
    tenant: str,
    conversation_id: str,
    service_url: str,
    *,
    bot_app_id: str = FAKE_BOT_APP_ID,
) -> dict[str, Any]:
    """An `invoke` named `task/submit`: the user submitted a dialog; `data` holds the form's inputs."""
    return _task("task/submit", data, (from_aad, tenant, conversation_id, service_url), bot_app_id)
