"""What a person asks for, as every adapter hands it over: one typed request, built once at the edge.

Slack, Teams and the console translate their payloads into one of these and an ``Identity``; ``bot/runtime.py``
(``Runtime.handle``) finds the participant and runs it in one transaction. A command line is parsed once, here's
``prepare``; a form's state is opened (checked) before its feature sees it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

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


Request = CommandLine | ButtonPress | FormSubmission
