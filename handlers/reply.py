"""What the bot says back: a neutral message that each adapter renders (Block Kit, Adaptive Card, text).

Words are written once, here in ``handlers/``, as rich text: a tuple whose items are plain strings and a few marks,

- ``Strong`` and ``Emphasis`` (bold and italic),
- ``Command`` (a command the person can type: ``Command("actions A07")`` is ``/actions A07`` in Slack and at the
  console, ``actions A07`` in Teams, which has no slash commands),
- ``Link`` (a label and an http(s) or mailto address),
- ``Bullets`` (a list, one item a line; put a line break before and after it as around any line).

Every string in it is literal text: no adapter reads markup in it, and each escapes what it renders, so words that
came from a person (a note, a reflection, a broadcast) can never become a link, a mention or formatting. A field
typed ``RichText`` also accepts one plain string. ``plain_text`` gives the fallback: every Reply carries a
plain-text ``text`` (a notification, a summary, a log of the demo), made from its ``body`` when not given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Discriminator, Tag, TypeAdapter, field_validator, model_validator

from handlers.model import Frozen


class Strong(Frozen):
    kind: Literal["strong"] = "strong"
    text: str

    def __init__(self, text: str, **data: Any) -> None:
        super().__init__(**{"text": text, **data})


class Emphasis(Frozen):
    kind: Literal["emphasis"] = "emphasis"
    text: str

    def __init__(self, text: str, **data: Any) -> None:
        super().__init__(**{"text": text, **data})


class Command(Frozen):
    """A command as the person would type it, without the slash: ``Command("actions A07 done")``."""

    kind: Literal["command"] = "command"
    line: str

    def __init__(self, line: str, **data: Any) -> None:
        super().__init__(**{"line": line, **data})


LINK_SCHEMES = ("https://", "http://", "mailto:")


class Link(Frozen):
    kind: Literal["link"] = "link"
    url: str
    label: str

    def __init__(self, url: str, label: str = "", **data: Any) -> None:
        super().__init__(**{"url": url, "label": label or url, **data})

    @field_validator("url")
    @classmethod
    def _web_or_mail(cls, url: str) -> str:
        if not url.lower().startswith(LINK_SCHEMES) or any(c.isspace() for c in url):
            raise ValueError("a link is an http(s) or mailto address without spaces")
        return url


def _kind(value: Any) -> str:
    """Which kind of inline a value is (a plain string, or a mark by its ``kind``), so that validation tries one."""
    if isinstance(value, str):
        return "plain"
    return str(value.get("kind", "") if isinstance(value, dict) else getattr(value, "kind", ""))


_SPANS = (
    Annotated[str, Tag("plain")]
    | Annotated[Strong, Tag("strong")]
    | Annotated[Emphasis, Tag("emphasis")]
    | Annotated[Command, Tag("command")]
    | Annotated[Link, Tag("link")]
)
Span = Annotated[_SPANS, Discriminator(_kind)]
Line = tuple[Span, ...]


def _as_line(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


class Bullets(Frozen):
    """A list: ``Bullets("first", ("second with ", Command("reflect")))``, each item on its own line."""

    kind: Literal["bullets"] = "bullets"
    items: tuple[Annotated[Line, BeforeValidator(_as_line)], ...]

    def __init__(self, *items: str | Line, **data: Any) -> None:
        super().__init__(**{"items": items, **data})


Inline = Annotated[_SPANS | Annotated[Bullets, Tag("bullets")], Discriminator(_kind)]
RichText = Annotated[tuple[Inline, ...], BeforeValidator(_as_line)]
"""Rich text: plain strings and marks in reading order; one plain string is accepted where it is expected."""

_RICH: TypeAdapter[tuple[Inline, ...]] = TypeAdapter(RichText)


def rich(*parts: str | Inline | Iterable[str | Inline]) -> tuple[Inline, ...]:
    """Parts (strings, marks, or other rich texts) as one rich text, adjacent strings joined."""
    out: list[Inline] = []
    for part in parts:
        for item in (part,) if isinstance(part, str | Frozen) else part:
            if not isinstance(item, str):
                out.append(item)
            elif out and isinstance(out[-1], str):
                out[-1] = out[-1] + item
            elif item:
                out.append(item)
    return tuple(out)


def join(separator: str, texts: Iterable[str | Inline | tuple[Inline, ...]]) -> tuple[Inline, ...]:
    """Rich texts with ``separator`` between them, as ``str.join`` does for strings."""
    parts: list[str | Inline | tuple[Inline, ...]] = []
    for n, text in enumerate(texts):
        parts += [separator, text] if n else [text]
    return rich(*parts)


def _span_text(span: Span) -> str:
    if isinstance(span, str):
        return span
    if isinstance(span, Command):
        return "/" + span.line
    if isinstance(span, Link):
        return span.label if span.label == span.url else f"{span.label} ({span.url})"
    return span.text


def plain_text(text: tuple[Inline, ...] | str) -> str:
    """The words without marks: commands with their slash, a link as "label (address)", a list as "• " lines."""
    if isinstance(text, str):
        return text
    return "".join(
        "\n".join("• " + "".join(_span_text(s) for s in item) for item in inline.items)
        if isinstance(inline, Bullets)
        else _span_text(inline)
        for inline in text
    )


class Button(Frozen):
    action_id: str  # "<feature>.<verb>", constants live with the feature
    label: str
    value: str = ""
    style: Literal["", "primary", "danger"] = ""


class Block(Frozen):
    """``text`` for a header (shown as plain text), section or context; ``fields`` are (label, value) pairs."""

    kind: Literal["header", "section", "fields", "context", "actions", "divider"]
    text: RichText = ()
    fields: tuple[tuple[str, RichText], ...] = ()
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
    """``body`` is what the message says when it has no blocks; ``text`` its plain-text fallback (made from the body
    when not given; the body is the text when only the text is given). ``ok`` is False when what was asked did not
    happen (exit 1 at the console); ``discard`` rolls back anything the command wrote, which every refusal does, so
    that a refused command changes nothing."""

    text: str = ""
    body: RichText = ()
    ok: bool = True
    discard: bool = False
    blocks: tuple[Block, ...] = ()
    form: Form | None = None
    ephemeral: bool = True
    files: tuple[Attachment, ...] = ()  # posted with the message: Slack files, Teams attachments, console paths

    @model_validator(mode="before")
    @classmethod
    def _text_from_body(cls, data: Any) -> Any:
        """The fallback from the body when not given; a body of plain words only is kept as the text alone."""
        if isinstance(data, dict) and not data.get("text") and data.get("body"):
            body = _RICH.validate_python(data["body"])
            marked = any(not isinstance(part, str) for part in body)
            return {**data, "text": plain_text(body), "body": body if marked else ()}
        return data

    @property
    def said(self) -> tuple[Inline, ...]:
        """The message as rich text: the body, or the plain text when no body was given."""
        return self.body or ((self.text,) if self.text else ())


LONGEST_ECHO = 40  # a refusal that quotes what was typed shows at most this much of any one word


def _tidy(words: str) -> str:
    tidy = "".join(c if c.isprintable() or c == "\n" else " " for c in words)
    return re.sub(rf"\S{{{LONGEST_ECHO + 1},}}", lambda m: m[0][:LONGEST_ECHO] + "…", tidy)


def refusal(message: str | tuple[Inline, ...]) -> Reply:
    """A kind refusal. It may quote what was typed: no word of it longer than ``LONGEST_ECHO`` characters and no
    control characters, so that a hostile line never comes back as a wall of text."""
    parts = (message,) if isinstance(message, str) else message
    tidy = rich(*(_tidy(p) if isinstance(p, str) else Command(_tidy(p.line)) if isinstance(p, Command) else p
                  for p in parts))  # fmt: skip
    return Reply(body=tidy, ok=False, discard=True)


def read_state(state: str) -> dict[str, str]:
    """A form's state as the feature wrote it (a JSON object of strings); {} when it is anything else."""
    try:
        loaded = json.loads(state) if state else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def hug(mark: str, words: str, escape: Callable[[str], str]) -> str:
    """``words`` between two ``mark``s that hug them (Slack and Teams ignore ``* bold *``); spaces stay outside and
    the words are escaped for the platform."""
    inner = words.strip()
    if not inner:
        return escape(words)
    lead, tail = words[: len(words) - len(words.lstrip())], words[len(words.rstrip()) :]
    return f"{lead}{mark}{escape(inner)}{mark}{tail}"
