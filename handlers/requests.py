"""What a person asks for, as every adapter hands it over: one typed request, built once at the edge.

Slack, Teams and the console translate their payloads into one of these (a command line, a button press, a form
submitted, Home opened) and an ``Identity``; ``bot/runtime.py`` (``Runtime.handle``) finds the participant and runs
it in one transaction. A command line is parsed once (``handlers.dispatch.prepare``); a form's state is opened
(checked) before its feature sees it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from handlers.grammar import MAX_PAGE
from handlers.model import Frozen


class Identity(Frozen):
    """Who is asking, on which platform: a Slack workspace or Teams tenant and the account id there (the console
    names the person by e-mail). Accounts are looked up only within that workspace or tenant."""

    platform: Literal["slack", "teams", "console"]
    workspace: str = ""
    user_id: str = ""
    email: str | None = None


class CommandLine(Frozen):
    kind: Literal["command"] = "command"
    word: str
    text: str = ""


class ButtonPress(Frozen):
    kind: Literal["button"] = "button"
    action_id: str
    value: str = ""


class FormSubmission(Frozen):
    kind: Literal["form"] = "form"
    form_id: str
    state: str = ""
    values: dict[str, str] = Field(default_factory=dict)


class HomeOpened(Frozen):
    """Someone opened Home: the Slack App Home tab, or the Teams personal chat (installed, started, "home").
    ``page`` is the page of "your open actions" to show; ``notice`` a line the adapter shows above it (the answer
    to a button pressed on Home, where there is nowhere else to show it)."""

    kind: Literal["home"] = "home"
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    notice: str = Field(default="", max_length=3000)


Request = CommandLine | ButtonPress | FormSubmission | HomeOpened
