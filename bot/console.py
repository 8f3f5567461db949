"""The console transport: a real adapter over the same handlers, rendering replies as readable text.

Rich text is printed as its plain words (``handlers.reply.plain_text``): bold and italic as they are (a terminal may
not show either, and marks such as ``*`` read as noise), a command with its slash as it is typed here, a link as
"label (address)", a list as "• " lines.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from handlers.reply import Block, Form, FormField, Reply, plain_text

WIDTH = 100


def render_block(block: Block) -> list[str]:
    text = plain_text(block.text)
    if block.kind == "header":
        return [text, "─" * min(len(text), WIDTH)]
    if block.kind == "divider":
        return ["─" * 40]
    if block.kind == "fields":
        width = max((len(k) for k, _ in block.fields), default=0)
        return [f"{k.ljust(width)}  {plain_text(v)}" for k, v in block.fields]
    if block.kind == "actions":
        return ["  ".join(f"[{b.label}]" for b in block.buttons)]
    lines = text.splitlines()
    return [wrapped for line in lines for wrapped in (textwrap.wrap(line, WIDTH) or [""])]


def render_text(reply: Reply) -> str:
    """What the console prints: the blocks when there are some, otherwise the words of the reply."""
    if not reply.blocks:
        return plain_text(reply.said)
    lines: list[str] = []
    for block in reply.blocks:
        lines.extend(render_block(block))
    return "\n".join(lines)


def ask_form(form: Form, ask: Callable[[str], str], say: Callable[[str], None]) -> dict[str, str] | None:
    """Ask a form's fields one by one. Returns the answers, or None if the person typed 'cancel'."""
    say(form.title)
    for block in form.intro:
        say("\n".join(render_block(block)))
    answers: dict[str, str] = {}
    for field in form.fields:
        answer = ask_field(field, ask, say)
        if answer is None:
            say("Cancelled; nothing was stored.")
            return None
        answers[field.key] = answer
    return answers


def ask_field(field: FormField, ask: Callable[[str], str], say: Callable[[str], None]) -> str | None:
    if field.options:
        for number, option in enumerate(field.options, start=1):
            say(f"  {number}. {option.label}")
    hint = f" ({field.hint})" if field.hint else ""
    if len(hint) > 60:  # a reason, not a hint: on its own line, above the question
        say(textwrap.fill(field.hint[:1].upper() + field.hint[1:] + ".", WIDTH))
        hint = ""
    if field.kind == "text" and field.initial:
        say(f"{field.label}, as it stands:\n{field.initial}")
        hint = " (press Enter to save it as shown, or type a new version)"
    while True:
        try:
            raw = ask(f"{field.label}{hint}{'' if field.required else ' [optional]'}: ").strip()
        except EOFError:
            return None
        if raw.lower() == "cancel":
            return None
        if not raw and not field.required:
            return field.initial
        if not raw and field.initial:
            return field.initial
        value = _choice_value(field, raw) if field.options else raw
        if value:
            return value
        say(_refusal(field, raw))


def _refusal(field: FormField, raw: str) -> str:
    picks = [p for p in raw.replace(" ", ",").split(",") if p.strip()]
    if field.max_items > 1 and len(picks) > field.max_items:
        return f"Please choose up to {field.max_items}, by number, separated by commas; or type 'cancel'."
    if field.max_items > 1:
        return f"Please choose up to {field.max_items} from the numbers shown, or type 'cancel'."
    return "Please choose one of the numbers shown, or type 'cancel'."


def _choice_value(field: FormField, raw: str) -> str:
    """Numbers as listed, or an option's value or label; a lone option also takes 'yes'."""
    if len(field.options) == 1 and raw.lower() in ("y", "yes", "ok"):
        return field.options[0].value
    whole = _option(field, raw)
    if whole:
        return whole
    picks = [p.strip() for p in raw.replace(" ", ",").split(",") if p.strip()]
    values = [_option(field, pick) for pick in picks]
    if not values or not all(values):
        return ""
    if len(values) > field.max_items:
        return ""
    return ",".join(values)


def _option(field: FormField, pick: str) -> str:
    if pick.isdigit() and 1 <= int(pick) <= len(field.options):
        return field.options[int(pick) - 1].value
    for option in field.options:
        if pick.lower() in (option.value.lower(), option.label.lower()):
            return option.value
    return ""


def render_form(form: Form) -> str:
    """A form shown as text where it cannot be answered (``aftercare say``)."""
    lines = [form.title, *(line for block in form.intro for line in render_block(block))]
    for field in form.fields:
        labels = [o.label for o in field.options]
        choices = (
            f" ({', '.join(labels)})" if 0 < len(labels) <= 8 else f" (choose from {len(labels)})" if labels else ""
        )
        current = f": {field.initial}" if field.initial else ""
        lines.append(f"• {field.label}{choices}{current}")
    return "\n".join(lines)


def prefilled(form: Form) -> dict[str, str] | None:
    """The form's answers if every required field already has one (e.g. /reflect TEXT), else None."""
    if any(field.required and not field.initial for field in form.fields):
        return None
    return {field.key: field.initial for field in form.fields}
