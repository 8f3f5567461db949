"""Teams activity → what the person asked for: a command line, a button press, a dialog to open, a form submitted.

Pure translation, no I/O: also the conversation reference an activity gives (stored through the ConversationRefs
port) and a file a person sent with a message. The data keys written by bot/teams/render.py on buttons and dialogs
are read back here.
Typed text follows the one grammar (handlers/grammar.py): "actions A07 on track" is the command word "actions" and
its text; a leading slash and an @mention of the bot are ignored; "help", "privacy" and the other /aftercare words
may be typed on their own.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from handlers.delivery_ports import ConversationRef
from handlers.grammar import AFTERCARE_WORDS, COMMANDS
from handlers.reply import Form

logger = logging.getLogger(__name__)

KIND = "aftercare"  # data key: what a button or dialog action is (see the *_KIND values below)
FORM_KIND = "form"  # a task/fetch carrying a whole form to open as a dialog
BUTTON_KIND = "button"  # a task/fetch for a button whose answer is a form (e.g. "Reflect" on a prompt)
COMMAND_KIND = "command"  # a task/fetch running a command line (a command button whose answer is a form)
SUBMIT_KIND = "submit"  # a dialog's submit button
FIELD_PREFIX = "field."  # input ids in a dialog, so that they never collide with our own keys
COMMAND_BUTTON = "teams.command"  # a button that runs a command line (its value)
FILE_INFO = "application/vnd.microsoft.teams.file.download.info"  # a file sent in a 1:1 chat (plan_files.py)
HOME_WORDS = frozenset({"home", "hi", "hello", "start", "menu"})

_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class CommandLine:
    command: str
    text: str


@dataclass(frozen=True)
class ShowHome:
    """Home typed ("home", "hi" or nothing): handlers/home.py, as on the Slack App Home."""


@dataclass(frozen=True)
class Press:
    action_id: str
    value: str


@dataclass(frozen=True)
class DialogRequest:
    kind: Literal["form", "button", "command"]
    form: Form | None = None
    press: Press | None = None
    line: CommandLine | None = None


@dataclass(frozen=True)
class Submission:
    form_id: str
    state: str
    values: dict[str, str]
    form: Form | None  # the form as it was shown, to show again (with the answers) after a refusal


@dataclass(frozen=True)
class Turn:
    """Who is speaking, where, and how to answer them."""

    tenant_id: str
    aad_object_id: str
    user_id: str
    conversation_id: str
    conversation_type: str
    service_url: str
    activity_id: str | None
    reply_to_id: str | None

    @property
    def personal(self) -> bool:
        return self.conversation_type == "personal"


def clean_text(raw: str | None) -> str:
    """The words typed: no @mention of the bot, no HTML entities, no non-breaking spaces."""
    text = _MENTION.sub(" ", raw or "")
    return html.unescape(text).replace("\xa0", " ").strip()


def read_line(raw: str | None) -> CommandLine | ShowHome:
    text = clean_text(raw)
    word, _, rest = text.partition(" ")
    name = word.lstrip("/").lower()
    if not name or (name in HOME_WORDS and not rest.strip()):
        return ShowHome()
    if name in COMMANDS:
        return CommandLine(name, rest.strip())
    if name in AFTERCARE_WORDS:
        return CommandLine("aftercare", text.lstrip("/"))
    return CommandLine(name, rest.strip())  # the grammar answers kindly, with a suggestion


def split_line(line: str) -> CommandLine:
    word, _, rest = line.strip().partition(" ")
    return CommandLine(word.lstrip("/").lower(), rest.strip())


def card_press(verb: str | None, data: Any) -> Press:
    """An Action.Execute: the verb is the button's action id; its value rides in the data."""
    value = data.get("value", "") if isinstance(data, dict) else ""
    return Press(action_id=verb or "", value=str(value))


def dialog_request(data: Any) -> DialogRequest | None:
    if not isinstance(data, dict):
        return None
    kind = data.get(KIND)
    if kind == FORM_KIND:
        form = _form(data.get("form"))
        return DialogRequest(kind="form", form=form) if form is not None else None
    if kind == BUTTON_KIND:
        press = Press(action_id=str(data.get("action_id", "")), value=str(data.get("value", "")))
        return DialogRequest(kind="button", press=press)
    if kind == COMMAND_KIND:
        return DialogRequest(kind="command", line=split_line(str(data.get("line", ""))))
    return None


def submission(data: Any) -> Submission | None:
    if not isinstance(data, dict) or data.get(KIND) != SUBMIT_KIND or not isinstance(data.get("form_id"), str):
        return None
    values = {
        key.removeprefix(FIELD_PREFIX): _as_text(value)
        for key, value in data.items()
        if isinstance(key, str) and key.startswith(FIELD_PREFIX)
    }
    return Submission(
        form_id=data["form_id"], state=str(data.get("state", "")), values=values, form=_form(data.get("form"))
    )


def turn_of(activity: Any) -> Turn | None:
    """The speaker and conversation, or None when the tenant or the person cannot be told for certain."""
    tenant = tenant_of(activity)
    sender = activity.from_
    aad = getattr(sender, "aad_object_id", None)
    service_url = activity.service_url
    if tenant is None or not aad or not service_url:
        return None
    conversation = activity.conversation
    return Turn(
        tenant_id=tenant,
        aad_object_id=aad,
        user_id=sender.id,
        conversation_id=conversation.id,
        conversation_type=str(conversation.conversation_type or "personal"),
        service_url=service_url,
        activity_id=activity.id,
        reply_to_id=getattr(activity, "reply_to_id", None),
    )


def tenant_of(activity: Any) -> str | None:
    """The activity's tenant; None if it is missing or the two places Teams puts it disagree."""
    channel_data = getattr(activity, "channel_data", None)
    tenant = getattr(channel_data, "tenant", None) if channel_data is not None else None
    from_channel = getattr(tenant, "id", None)
    from_conversation = getattr(activity.conversation, "tenant_id", None)
    if from_channel and from_conversation and from_channel != from_conversation:
        logger.warning("activity with two different tenants ignored")
        return None
    found = from_channel or from_conversation
    return str(found) if found else None


def ref_of(turn: Turn) -> ConversationRef:
    return ConversationRef(
        tenant_id=turn.tenant_id,
        conversation_id=turn.conversation_id,
        service_url=turn.service_url,
        conversation_type=turn.conversation_type,
        aad_object_id=turn.aad_object_id if turn.personal else None,
    )


def ref_from_activity(activity: Any) -> ConversationRef | None:
    """The reference an activity gives, even one without a person (a channel's conversationUpdate)."""
    tenant = tenant_of(activity)
    if tenant is None or not activity.service_url:
        return None
    kind = str(activity.conversation.conversation_type or "personal")
    aad = getattr(activity.from_, "aad_object_id", None) if kind == "personal" else None
    return ConversationRef(tenant, activity.conversation.id, activity.service_url, kind, aad)


def shared_file(activity: Any) -> tuple[str, str] | None:
    """(file name, download URL) of the first file a person sent with this message, if any."""
    for attachment in getattr(activity, "attachments", None) or []:
        content = attachment.content if isinstance(attachment.content, dict) else {}
        if attachment.content_type == FILE_INFO and content.get("downloadUrl"):
            return str(attachment.name or "file"), str(content["downloadUrl"])
    return None


def _form(raw: Any) -> Form | None:
    if not isinstance(raw, dict):
        return None
    try:
        return Form.model_validate(raw)
    except ValidationError:
        logger.info("a dialog carried a form that does not validate")
        return None


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)
