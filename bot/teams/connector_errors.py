"""What a failed Bot Connector call means (bot/teams/edge.py makes the calls, through our own retrying path).

Every failure becomes a `DeliveryError` with a reason: `PermanentDeliveryError` when it will never succeed (the
person blocked the bot, the app was removed, the conversation is gone, Teams refused the message), otherwise a
retryable one carrying `retry_after` (429 with its Retry-After; 412, 502, 504 and other transient failures, which
Microsoft asks bots to retry with backoff and jitter). `Connector` retries those a few times itself when asked to
(replies while a person waits); the delivery worker gets the error and reschedules (proactive messages).
"""

from __future__ import annotations

import httpx

from handlers.errors import DeliveryError, PermanentDeliveryError

PERMANENT_REASONS = {
    "ConversationBlockedByUser": "the person blocked the bot",
    "BotNotInConversationRoster": "the app was removed from this conversation",
    "ForbiddenOperationException": "the app is not installed for this person",
    "ConversationNotFound": "the conversation no longer exists",
    "MemberNotFoundInConversation": "the person is not in this conversation",
    "MessageSizeTooBig": "the message is too large for Teams",
}
RETRYABLE_STATUSES = frozenset({412, 429, 500, 502, 503, 504})


def error_code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    return str(error.get("code", "")) if isinstance(error, dict) else ""


def retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(raw)) if raw else None
    except ValueError:
        return None


def delivery_error(error: Exception) -> DeliveryError:
    """A Bot Connector failure as the domain's delivery error, with the reason a person can read."""
    if isinstance(error, httpx.HTTPStatusError):
        status, code = error.response.status_code, error_code(error.response)
        label = f"Teams answered {status}{' ' + code if code else ''}"
        if status in RETRYABLE_STATUSES or status == 401:
            return DeliveryError(label, retry_after=retry_after(error.response))
        reason = PERMANENT_REASONS.get(code, "Teams refused the message")
        return PermanentDeliveryError(f"{label}: {reason}")
    if isinstance(error, httpx.TransportError):
        return DeliveryError(f"Teams could not be reached ({type(error).__name__})")
    raise error
