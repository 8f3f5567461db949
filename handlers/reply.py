"""What the bot says back: a neutral message that each adapter renders (Block Kit, Adaptive Card, text).

Every Reply carries a plain-text ``text`` fallback, which the console prints as it is.
"""

from __future__ import annotations

import json
import re
from typing import Literal

from handlers.model import Frozen


class Button(Frozen):
    action_id: str  # "<feature>.<verb>", constants live with the feature
    label: str
    value: str = ""
    style: Literal["", "primary", "danger"] = ""


class Block(Frozen):
    kind: Literal["header", "section", "fields", "context", "actions", "divider"]
    text: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    buttons: tuple[Button, ...] = ()


class Option(Frozen):
    value: str
    label: str


class FormField(Frozen):
    key: str
    label: str
    kind: Literal["text", "choice", "multi_choice", "rating"]
    options: tuple[Option, ...] = ()
    required: bool = True
    initial: str = ""
    hint: str = ""
    max_items: int = 1
    multiline: bool = False


class Form(Frozen):
    """A modal (Slack), dialog or card (Teams), or a field-by-field exchange (console)."""

    form_id: str
    title: str
    intro: tuple[Block, ...] = ()
    fields: tuple[FormField, ...] = ()
    submit_label: str = "Submit"
    state: str = ""  # opaque to adapters; carried back on submission


class Attachment(Frozen):
    """A file posted with a message (a report): where the file is, its media type and a title to show."""

    path: str
    media_type: str
    title: str


class Reply(Frozen):
    """``ok`` is False when what was asked did not happen (exit 1 at the console); ``discard`` rolls back anything
    the command wrote, which every refusal does, so that a refused command changes nothing."""

    text: str
    ok: bool = True
    discard: bool = False
    blocks: tuple[Block, ...] = ()
    form: Form | None = None
    ephemeral: bool = True
    files: tuple[Attachment, ...] = ()  # posted with the message: Slack files, Teams attachments, console paths


LONGEST_ECHO = 40  # a refusal that quotes what was typed shows at most this much of any one word


def refusal(message: str) -> Reply:
    """A kind refusal. It may quote what was typed: no word of it longer than ``LONGEST_ECHO`` characters and no
    control characters, so that a hostile line never comes back as a wall of text."""
    tidy = "".join(c if c.isprintable() or c == "\n" else " " for c in message)
    tidy = re.sub(rf"\S{{{LONGEST_ECHO + 1},}}", lambda m: m[0][:LONGEST_ECHO] + "…", tidy)
    return Reply(text=tidy, ok=False, discard=True)


def read_state(state: str) -> dict[str, str]:
    """A form's state as the feature wrote it (a JSON object of strings); {} when it is anything else."""
    try:
        loaded = json.loads(state) if state else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
