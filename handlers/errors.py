"""The one small error hierarchy of the domain.

::

    BotError
     ├── UserFacingError     a kind, one-sentence answer to the person who asked; nothing was changed
     │    ├── NotFound       the thing named does not exist (an action code, a participant)
     │    └── Forbidden      the person may not do this
     └── DeliveryError       raised by adapters when a platform refuses or fails a send
          └── PermanentDeliveryError   will never succeed (user gone, bot blocked); dead-letter it

Every other exception is a bug: it is caught once in ``bot/``, logged, and answered with a generic apology.
"""

from __future__ import annotations

from handlers.reply import Inline, plain_text


class BotError(Exception):
    """Base of every error the domain raises on purpose."""


class UserFacingError(BotError):
    """An answer for the person who asked, shown to them as it is: plain words, or rich text (handlers/reply.py)
    when it names a command; ``message`` is its plain text."""

    def __init__(self, message: str | tuple[Inline, ...]) -> None:
        self.rich: tuple[Inline, ...] = (message,) if isinstance(message, str) else message
        self.message = plain_text(self.rich)
        super().__init__(self.message)


class NotFound(UserFacingError):
    pass


class Forbidden(UserFacingError):
    pass


class DeliveryError(BotError):
    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    pass
