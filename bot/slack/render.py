"""Reply → Block Kit, through slack_sdk's block models, inside every limit Slack sets (tech-stack §5.1).

Pure functions, no I/O. Rich text (handlers/reply.py) becomes mrkdwn here and only here: bold ``*…*``, italic
``_…_``, a command as ``/actions A07``, a link as ``<url|label>``, a list as "• " lines. Every word is escaped (&, <,
>), so nobody can slip ``<!channel>``, a mention or a link into a message. Long text is split into several sections;
a message holds at most 50 blocks and about 12,000 characters (``messages`` returns pages), a modal or Home tab at
most 100 blocks; modal titles, submit and close labels are cut to 24 characters. Repeated action ids in one surface
get a ``~n`` suffix, which ``base_action_id`` removes again.
"""

from __future__ import annotations

import base64
import binascii
import logging
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.blocks import Block as SlackBlock
from slack_sdk.models.views import View

from bot.slack.forms import form_inputs
from handlers.reply import Block, Bullets, Command, Emphasis, Form, Inline, Link, Reply, Span, Strong, hug, plain_text

logger = logging.getLogger(__name__)

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_CHARS = 12_000  # the undocumented aggregate limit seen at about 13 k (tech-stack §5.1)
SECTION_TEXT = 3000
FIELD_TEXT = 2000
HEADER_TEXT = 150
BUTTON_TEXT = 75
ACTIONS_ELEMENTS = 25
SECTION_FIELDS = 10
CONTEXT_ELEMENTS = 10
TITLE = 24
PRIVATE_METADATA = 3000
FALLBACK_TEXT = 3000
SUFFIX = "~"
PACKED = "z1:"


class StateTooLong(ValueError):
    """A form's state does not fit in private_metadata even compressed."""


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _marked(mark: str, words: str) -> str:
    """``*bold*`` or ``_italic_``: the marks hug the words; spaces stay outside."""
    return hug(mark, words, escape)


def _span(span: Span) -> str:
    if isinstance(span, str):
        return escape(span)
    if isinstance(span, Strong):
        return _marked("*", span.text)
    if isinstance(span, Emphasis):
        return _marked("_", span.text)
    if isinstance(span, Command):
        return escape("/" + span.line)
    if isinstance(span, Link):  # a handler's address; a "|" would end it early
        return f"<{escape(span.url).replace('|', '%7C')}|{escape(span.label)}>"
    raise TypeError(span)


def mrkdwn(text: tuple[Inline, ...]) -> str:
    """Rich text as Slack mrkdwn, every word escaped."""
    return "".join(
        "\n".join("• " + "".join(_span(s) for s in item) for item in inline.items)
        if isinstance(inline, Bullets)
        else _span(inline)
        for inline in text
    )


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chunks(text: str, limit: int) -> list[str]:
    """Split escaped text at line ends (or, for one long line, anywhere but inside an &entity;)."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(line) > limit:
            cut = limit
            amp = line.rfind("&", limit - 5, limit)
            if amp != -1 and ";" not in line[amp:limit]:
                cut = amp
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    if current.strip():
        pieces.append(current)
    return pieces


def base_action_id(action_id: str) -> str:
    return action_id.split(SUFFIX, 1)[0]


class _ActionIds:
    """Gives repeated action ids within one surface a ``~n`` suffix (Slack refuses duplicates)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, action_id: str) -> str:
        count = self.seen.get(action_id, 0)
        self.seen[action_id] = count + 1
        return action_id if count == 0 else f"{action_id}{SUFFIX}{count}"


def _section_blocks(text: tuple[Inline, ...]) -> Iterator[SlackBlock]:
    for piece in chunks(mrkdwn(text), SECTION_TEXT):
        yield SectionBlock(text=MarkdownTextObject(text=piece))


def _context_blocks(text: tuple[Inline, ...]) -> Iterator[SlackBlock]:
    pieces = chunks(mrkdwn(text), SECTION_TEXT)
    for start in range(0, len(pieces), CONTEXT_ELEMENTS):
        yield ContextBlock(elements=[MarkdownTextObject(text=p) for p in pieces[start : start + CONTEXT_ELEMENTS]])


def _field_blocks(fields: Sequence[tuple[str, tuple[Inline, ...]]]) -> Iterator[SlackBlock]:
    texts = [clip(f"{_marked('*', name)}\n{mrkdwn(value) or '—'}", FIELD_TEXT) for name, value in fields]
    for start in range(0, len(texts), SECTION_FIELDS):
        yield SectionBlock(fields=[MarkdownTextObject(text=t) for t in texts[start : start + SECTION_FIELDS]])


def _action_blocks(block: Block, ids: _ActionIds) -> Iterator[SlackBlock]:
    buttons = [
        ButtonElement(
            text=clip(b.label, BUTTON_TEXT),
            action_id=ids(b.action_id),
            value=b.value or None,
            style=b.style or None,
        )
        for b in block.buttons
    ]
    for start in range(0, len(buttons), ACTIONS_ELEMENTS):
        yield ActionsBlock(elements=buttons[start : start + ACTIONS_ELEMENTS])


def slack_blocks(blocks: Sequence[Block], ids: _ActionIds | None = None) -> list[dict[str, Any]]:
    """Each neutral block as one or more Block Kit blocks (a long section becomes several)."""
    ids = ids or _ActionIds()
    out: list[SlackBlock] = []
    for block in blocks:
        if block.kind == "header" and plain_text(block.text).strip():
            out.append(HeaderBlock(text=clip(plain_text(block.text), HEADER_TEXT)))
        elif block.kind == "section":
            out.extend(_section_blocks(block.text))
        elif block.kind == "fields" and block.fields:
            out.extend(_field_blocks(block.fields))
        elif block.kind == "context" and plain_text(block.text).strip():
            out.extend(_context_blocks(block.text))
        elif block.kind == "actions" and block.buttons:
            out.extend(_action_blocks(block, ids))
        elif block.kind == "divider":
            out.append(DividerBlock())
    return [b.to_dict() for b in out]


def reply_blocks(reply: Reply, ids: _ActionIds | None = None) -> list[dict[str, Any]]:
    return slack_blocks(reply.blocks or (Block(kind="section", text=reply.said),), ids)


def fallback(text: str) -> str:
    """The notification text (top-level ``text``): escaped and short."""
    return clip(escape(text), FALLBACK_TEXT) or " "


def _size(block: dict[str, Any]) -> int:
    return len(str(block))


def paginate(blocks: list[dict[str, Any]], max_blocks: int, max_chars: int) -> list[list[dict[str, Any]]]:
    pages: list[list[dict[str, Any]]] = [[]]
    used = 0
    for block in blocks:
        size = _size(block)
        if pages[-1] and (len(pages[-1]) >= max_blocks or used + size > max_chars):
            pages.append([])
            used = 0
        pages[-1].append(block)
        used += size
    return pages


def messages(reply: Reply) -> list[dict[str, Any]]:
    """One or more messages (``text`` + ``blocks``), each inside Slack's per-message limits."""
    pages = paginate(reply_blocks(reply), MESSAGE_BLOCKS, MESSAGE_CHARS)
    text = fallback(reply.text)
    return [{"text": text if n == 0 else "(continued)", "blocks": page} for n, page in enumerate(pages)]


def answered(message_blocks: Sequence[dict[str, Any]], block_id: str, reply: Reply) -> list[dict[str, Any]]:
    """A message after one of its buttons was pressed: that row of buttons becomes the answer."""
    answer = [b.to_dict() for b in _context_blocks(reply.said)]
    kept: list[dict[str, Any]] = []
    for block in message_blocks:
        if block.get("type") == "actions" and block.get("block_id") == block_id:
            kept.extend(answer)
        else:
            kept.append(block)
    if kept == list(message_blocks):
        kept.extend(answer)
    return paginate(kept, MESSAGE_BLOCKS, MESSAGE_CHARS)[0]


def pack_state(state: str) -> str:
    """Form state for private_metadata: as it is when it fits, else compressed; StateTooLong when neither fits."""
    if len(state) <= PRIVATE_METADATA and not state.startswith(PACKED):
        return state
    packed = PACKED + base64.urlsafe_b64encode(zlib.compress(state.encode("utf-8"), 9)).decode("ascii")
    if len(packed) > PRIVATE_METADATA:
        raise StateTooLong("form state too long for private_metadata")
    return packed


def unpack_state(metadata: str) -> str:
    if not metadata.startswith(PACKED):
        return metadata
    try:
        return zlib.decompress(base64.urlsafe_b64decode(metadata[len(PACKED) :])).decode("utf-8")
    except (binascii.Error, zlib.error, UnicodeDecodeError):
        logger.warning("a modal came back with unreadable state")
        return ""


def modal(form: Form) -> dict[str, Any]:
    """A form as a modal: intro blocks, then one input per field; callback_id is the form id."""
    inputs = form_inputs(form.fields)
    intro = slack_blocks(form.intro)[: VIEW_BLOCKS - len(inputs)]
    view = View(
        type="modal",
        callback_id=form.form_id,
        title=clip(form.title, TITLE),
        submit=clip(form.submit_label, TITLE),
        close="Cancel",
        private_metadata=pack_state(form.state),
        blocks=[*intro, *inputs],
    )
    return view.to_dict()


def result_view(reply: Reply, title: str) -> dict[str, Any]:
    """What a modal shows after it was submitted: the answer (a receipt, a thank-you), with only a Close button."""
    view = View(type="modal", title=clip(title, TITLE), close="Close", blocks=reply_blocks(reply)[:VIEW_BLOCKS])
    return view.to_dict()


def home_view(reply: Reply) -> dict[str, Any]:
    return View(type="home", blocks=reply_blocks(reply)[:VIEW_BLOCKS]).to_dict()
