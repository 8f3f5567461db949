"""Reply → Adaptive Card 1.5 (the highest Teams supports), pure functions.

- Blocks become TextBlocks, FactSets and ActionSets. Buttons become ``Action.Execute`` (the verb is the button's
  action id), so that pressing one is an invoke the bot answers by updating the card in place. A button whose answer
  is a form opens a dialog instead (``Action.Submit`` with ``msteams.type = task/fetch``).
- A Reply with a form becomes a short card with one button that opens the form as a dialog (bot/teams/dialogs.py);
  submissions are invokes, never chat messages.
- Rich text (handlers/reply.py) becomes the markdown a TextBlock and a Fact show: ``**bold**``, ``_italic_``,
  ``[label](url)``, "- " lists; a command is written as it is typed to the bot, without a slash (Teams has no slash
  commands). Every word is escaped (``\\*``, ``\\_``, ``\\[`` …, and a "-", "+", "#" or "1." that would start
  a line), so words a person wrote can never become a link or formatting. Toasts, dialog messages and summaries
  are plain text, commands again without a slash.
- A card never exceeds the size Teams accepts: an oversized body is replaced by the shortened text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from bot.teams.inbound import BUTTON_KIND, COMMAND_BUTTON, COMMAND_KIND, FORM_KIND, KIND
from handlers import prompting, schedule_messages
from handlers.reply import Block, Bullets, Button, Command, Emphasis, Form, Inline, Link, Reply, Span, Strong, hug, join

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
MAX_CARD_BYTES = 28 * 1024 - 512  # Teams refuses about 28 KB; keep a margin for the activity around the card
# Buttons whose answer is a form: they open a dialog straight away.
DIALOG_BUTTONS = frozenset({prompting.REFLECT_BUTTON, schedule_messages.CHECKIN_BUTTON})
DIALOG_COMMANDS = frozenset({"reflect", "checkin"})
SHORTENED = "… (shortened: the full answer is too long for one Teams message)"

_STYLES = {"primary": "positive", "danger": "destructive"}
_MARKS = "\\*_[]`~<>"  # the backslash first, so that the escapes added after it are kept
_LINE_STARTS = ("-", "+", "#")
Words = str | tuple[Inline, ...]


def escape(words: str) -> str:
    """Literal words as markdown: every mark escaped, and nothing that would start a list or a heading."""
    escaped = words
    for mark in _MARKS:
        if mark in escaped:
            escaped = escaped.replace(mark, "\\" + mark)
    if "\n" not in escaped:
        return _line_start(escaped)
    return "\n".join(_line_start(line) for line in escaped.split("\n"))


def _line_start(line: str) -> str:
    body = line.lstrip(" ")
    if not body or not (body.startswith(_LINE_STARTS) or body[0].isdigit()):
        return line
    lead = line[: len(line) - len(body)]
    digits = len(body) - len(body.lstrip("0123456789"))
    if not digits:
        return f"{lead}\\{body}"
    if body[digits : digits + 1] in (".", ")"):
        return f"{lead}{body[:digits]}\\{body[digits:]}"
    return line


def _marked(mark: str, words: str) -> str:
    """``**bold**`` or ``_italic_``: the marks hug the words; spaces stay outside."""
    return hug(mark, words, escape)


def _span(span: Span) -> str:
    if isinstance(span, str):
        return escape(span)
    if isinstance(span, Strong):
        return _marked("**", span.text)
    if isinstance(span, Emphasis):
        return _marked("_", span.text)
    if isinstance(span, Command):
        return escape(span.line)
    if isinstance(span, Link):
        url = span.url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
        return f"[{escape(span.label)}]({url})"
    raise TypeError(span)


def _rich(text: Words) -> tuple[Inline, ...]:
    return (text,) if isinstance(text, str) else text


def teams_text(text: Words) -> str:
    """Rich text as TextBlock markdown: a paragraph per line (a TextBlock needs a blank line to break one), a list as
    "- " items (Microsoft's form: items apart by a carriage return)."""
    out: list[str] = []
    for inline in _rich(text):
        if isinstance(inline, Bullets):
            out.append("\r".join("- " + "".join(_span(s) for s in item).replace("\n", " ") for item in inline.items))
        else:
            out.append(_span(inline).replace("\n", "\n\n"))
    return "".join(out)


def _plain_span(span: Span) -> str:
    if isinstance(span, str):
        return span
    if isinstance(span, Command):
        return span.line
    if isinstance(span, Link):
        return span.label if span.label == span.url else f"{span.label} ({span.url})"
    return span.text


def teams_plain(text: Words) -> str:
    """Rich text as plain words for Teams (a toast, a dialog's closing message, a summary): commands without a
    slash, a list as "• " lines."""
    return "".join(
        "\n".join("• " + "".join(_plain_span(s) for s in item) for item in inline.items)
        if isinstance(inline, Bullets)
        else _plain_span(inline)
        for inline in _rich(text)
    )


def words_of(blocks: Sequence[Block]) -> tuple[Inline, ...]:
    """What some blocks say, as one rich text (to shorten an oversized card, or to sum it up)."""
    parts: list[tuple[Inline, ...]] = []
    for block in blocks:
        parts += [block.text] if block.text else []
        parts += [(f"{title}: ", *value) for title, value in block.fields]
    return join("\n", parts)


def said(reply: Reply, *, first: bool = False) -> tuple[Inline, ...]:
    """What a reply says (its blocks' words, or its body); ``first``: only the first block with words, enough for a
    one-line summary."""
    if not reply.blocks:
        return reply.said
    blocks = [b for b in reply.blocks if b.text or b.fields]
    return words_of(blocks[:1] if first else blocks)


def card_size(card: dict[str, Any]) -> int:
    return len(json.dumps(card, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"type": "AdaptiveCard", "version": CARD_VERSION, "body": body}
    if actions:
        content["actions"] = actions
    content["msteams"] = {"width": "Full"}
    return content


def text_block(text: Words, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": teams_text(text), "wrap": True, **style}


def block_elements(block: Block) -> list[dict[str, Any]]:
    if block.kind == "header":
        return [text_block(block.text, size="Large", weight="Bolder", style="heading")] if block.text else []
    if block.kind == "section":
        return [text_block(block.text)] if block.text else []
    if block.kind == "context":
        return [text_block(block.text, size="Small", isSubtle=True)] if block.text else []
    if block.kind == "fields":
        facts = [{"title": escape(title), "value": teams_text(value)} for title, value in block.fields]
        return [{"type": "FactSet", "facts": facts}] if facts else []
    if block.kind == "actions":
        actions = [button_action(button) for button in block.buttons]
        return [{"type": "ActionSet", "actions": actions}] if actions else []
    return []  # a divider marks the next element instead


def body_of(blocks: tuple[Block, ...]) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = []
    separate = False
    for block in blocks:
        if block.kind == "divider":
            separate = bool(body)
            continue
        for element in block_elements(block):
            if separate:
                element["separator"] = True
                separate = False
            body.append(element)
    return body


def button_action(button: Button) -> dict[str, Any]:
    title = button.label[:100] or "Open"
    if button.action_id in DIALOG_BUTTONS:
        data = {KIND: BUTTON_KIND, "action_id": button.action_id, "value": button.value}
        action = task_fetch(title, data)
    elif button.action_id == COMMAND_BUTTON and button.value.split(" ", 1)[0] in DIALOG_COMMANDS:
        action = task_fetch(title, {KIND: COMMAND_KIND, "line": button.value})
    else:
        action = {"type": "Action.Execute", "title": title, "verb": button.action_id, "data": {"value": button.value}}
    if button.style in _STYLES:
        action["style"] = _STYLES[button.style]
    return action


def task_fetch(title: str, data: dict[str, Any]) -> dict[str, Any]:
    """A button that asks the bot for a dialog: Teams sends `task/fetch` with this data."""
    return {"type": "Action.Submit", "title": title, "data": {"msteams": {"type": "task/fetch"}, **data}}


def reply_card(reply: Reply) -> dict[str, Any]:
    """The card for a Reply with blocks (or a plain-text Reply, when a card is needed anyway)."""
    body = body_of(reply.blocks) if reply.blocks else [text_block(reply.said)]
    if not reply.ok:
        body[0] = {**body[0], "color": "Attention"} if body[0]["type"] == "TextBlock" else body[0]
    return fit(card(body), lambda: said(reply))


def launcher_card(reply: Reply, form: Form) -> dict[str, Any]:
    """A message that opens `form` as a dialog: what it is about, and one button."""
    body = body_of(reply.blocks) if reply.blocks else [text_block(reply.said)]
    opener = task_fetch(form.title[:80] or "Open", {KIND: FORM_KIND, "form": form.model_dump(mode="json")})
    opener["style"] = "positive"
    return fit(card(body, [opener]), lambda: said(reply))


def fit(content: dict[str, Any], text: Callable[[], tuple[Inline, ...]]) -> dict[str, Any]:
    """The card as it is when small enough; otherwise its text (asked for only then), shortened to fit, with the
    same buttons."""
    if card_size(content) <= MAX_CARD_BYTES:
        return content
    slim = {**content, "body": [text_block("")]}
    room = MAX_CARD_BYTES - card_size(slim) - len(SHORTENED.encode("utf-8")) * 2
    shortened = teams_text(text())
    while len(json.dumps(shortened, ensure_ascii=False).encode("utf-8")) > room and shortened:
        shortened = shortened[: max(0, len(shortened) - max(64, len(shortened) // 8))]
    shortened = shortened.rstrip("\\")  # not half of an escape
    slim["body"] = [{"type": "TextBlock", "text": shortened + SHORTENED, "wrap": True}]
    if card_size(slim) > MAX_CARD_BYTES:  # the buttons alone are too big: keep the text only
        slim.pop("actions", None)
    return slim


def attachment(content: dict[str, Any]) -> dict[str, Any]:
    return {"contentType": CARD_CONTENT_TYPE, "content": content}


def message(reply: Reply) -> dict[str, Any]:
    """The message activity for a Reply: text when it is only text, otherwise one Adaptive Card."""
    summary = teams_plain(said(reply, first=True)).split("\n", 1)[0][:200]
    if reply.form is not None:
        return {"type": "message", "summary": summary, "attachments": [attachment(launcher_card(reply, reply.form))]}
    if reply.blocks:
        return {"type": "message", "summary": summary, "attachments": [attachment(reply_card(reply))]}
    return {"type": "message", "text": teams_text(reply.said), "textFormat": "markdown"}


def card_response(content: dict[str, Any]) -> dict[str, Any]:
    """Invoke response to an Action.Execute: show this card in place of the one pressed."""
    return {"status": 200, "body": {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": content}}


def toast_response(text: Words) -> dict[str, Any]:
    """Invoke response to an Action.Execute: leave the card as it is and show a short message."""
    value = teams_plain(text).replace("\n", " ")
    return {"status": 200, "body": {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                                    "value": value}}  # fmt: skip
