"""Form state signed by the server: bound to the participant it was shown to, the form and an expiry.

A form's ``state`` (what the handler needs back: the prompt answered, the text kept while a distress choice is
asked) travels with the form: in a Slack modal's private_metadata, in a Teams card's data, at the console in memory.
A Teams client can change a card's data, so before a form leaves the pipeline its state is sealed with an HMAC under
a key derived from the server's secret, and a submission is handled only when the seal is intact, was made for this
participant and this form, and has not expired. Anything else is "That form has expired" and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from handlers.ports import Clock
from handlers.reply import Reply

PREFIX = "s1"
LIFETIME = dt.timedelta(hours=24)
KEY_LABEL = b"aftercare form state v1"


class FormSeal:
    def __init__(self, secret: bytes, clock: Clock, lifetime: dt.timedelta = LIFETIME) -> None:
        self._key = hmac.new(secret, KEY_LABEL, hashlib.sha256).digest()  # never the secret itself
        self.clock = clock
        self.lifetime = lifetime

    def _mac(self, participant_id: int | str, form_id: str, expires: int, state: str) -> str:
        message = f"{participant_id}\n{form_id}\n{expires}\n{state}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]

    def seal(self, participant_id: int | str, form_id: str, state: str) -> str:
        expires = int((self.clock.now() + self.lifetime).timestamp())
        return f"{PREFIX}.{expires}.{self._mac(participant_id, form_id, expires, state)}.{state}"

    def open(self, participant_id: int | str, form_id: str, sealed: str) -> str | None:
        """The state as the server sealed it, or None when it was changed, is someone else's, or has expired."""
        prefix, _, rest = sealed.partition(".")
        expires_text, _, rest = rest.partition(".")
        mac, _, state = rest.partition(".")
        if prefix != PREFIX or not expires_text.isdigit() or len(expires_text) > 12:
            return None
        expires = int(expires_text)
        if not hmac.compare_digest(mac, self._mac(participant_id, form_id, expires, state)):
            return None
        return state if self.clock.now().timestamp() <= expires else None

    def sealed(self, reply: Reply, participant_id: int) -> Reply:
        """The reply, with its form's state (if it has a form) sealed for this participant."""
        if reply.form is None:
            return reply
        state = self.seal(participant_id, reply.form.form_id, reply.form.state)
        return reply.model_copy(update={"form": reply.form.model_copy(update={"state": state})})
