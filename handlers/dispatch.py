"""From a typed command to a Reply. The single entry point every surface calls."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from handlers import actions, general
from handlers.errors import UserFacingError
from handlers.grammar import (
    AddText,
    Away,
    Back,
    Help,
    ListActions,
    Parsed,
    Peers,
    Privacy,
    SetDue,
    SetOwner,
    SetStatus,
    ShowAction,
    WhoAmI,
    parse,
)
from handlers.model import Participant
from handlers.ports import Deps
from handlers.reply import Reply, refusal

logger = logging.getLogger(__name__)

Handler = Callable[[Any, Participant, Deps], Awaitable[Reply]]


def _ignore_command(fn: Callable[[Participant, Deps], Awaitable[Reply]]) -> Handler:
    async def handler(_cmd: Any, actor: Participant, deps: Deps) -> Reply:
        return await fn(actor, deps)

    return handler


HANDLERS: dict[type[Any], Handler] = {
    Help: _ignore_command(general.show_help),
    Privacy: _ignore_command(general.show_privacy),
    WhoAmI: _ignore_command(general.whoami),
    Away: general.away,
    Back: _ignore_command(general.back),
    Peers: general.peers,
    ListActions: actions.list_actions,
    ShowAction: actions.show_action,
    SetStatus: actions.set_status,
    AddText: actions.add_text,
    SetDue: actions.set_due,
    SetOwner: actions.set_owner,
}


def register(command_type: type[Any], handler: Handler) -> None:
    """Features added by later modules (reflections, check-ins, broadcasts, reports) register here."""
    HANDLERS[command_type] = handler


async def dispatch(cmd: Parsed, actor: Participant, deps: Deps) -> Reply:
    handler = HANDLERS.get(type(cmd))
    if handler is None:
        return refusal("That part of Aftercare is not switched on in this installation yet.")
    try:
        return await handler(cmd, actor, deps)
    except UserFacingError as error:
        return refusal(error.message)


async def run_text(command: str, text: str, actor: Participant, deps: Deps) -> Reply:
    """Parse and dispatch; a parse problem becomes a kind refusal."""
    try:
        cmd = parse(command, text)
    except UserFacingError as error:
        return refusal(error.message)
    return await dispatch(cmd, actor, deps)


FormHandler = Callable[[str, dict[str, str], Participant, Deps], Awaitable[Reply]]
FORM_HANDLERS: dict[str, FormHandler] = {}


def register_form(form_id: str, handler: FormHandler) -> None:
    FORM_HANDLERS[form_id] = handler


async def submit_form(form_id: str, state: str, values: dict[str, str], actor: Participant, deps: Deps) -> Reply:
    """A submitted form (modal, dialog or console exchange) goes to the feature that opened it."""
    handler = FORM_HANDLERS.get(form_id)
    if handler is None:
        return refusal("That form has expired; please start again.")
    try:
        return await handler(state, values, actor, deps)
    except UserFacingError as error:
        return refusal(error.message)
