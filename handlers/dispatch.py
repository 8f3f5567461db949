"""From a typed command to a Reply. The single entry point every surface calls."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from handlers import (
    action_views,
    actions,
    broadcast_changes,
    broadcast_views,
    broadcasts,
    checkins,
    general,
    home,
    onboarding,
    plan_download,
    programme_admin,
    prompting,
    reflections,
    safeguarding,
    schedule_messages,
)
from handlers.errors import UserFacingError
from handlers.grammar import (
    AcceptPrivacy,
    AddText,
    Away,
    Back,
    Broadcast,
    BroadcastAdmin,
    BroadcastChange,
    Checkin,
    Help,
    ListActions,
    Parsed,
    Peers,
    PlanDownload,
    PostReport,
    Privacy,
    Reflect,
    ScheduleAdmin,
    SetDue,
    SetOwner,
    SetStatus,
    ShowAction,
    WhoAmI,
    parse,
)
from handlers.model import Participant
from handlers.ports import Deps
from handlers.reply import Command, Inline, Reply, refusal, rich
from handlers.reports.chat import post_report
from handlers.requests import HomeOpened

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
    Reflect: reflections.open_reflection,
    Checkin: checkins.open_checkin,
    AcceptPrivacy: _ignore_command(onboarding.accept_privacy),
    Broadcast: broadcasts.send_broadcast,
    BroadcastAdmin: broadcast_changes.admin,
    BroadcastChange: broadcast_changes.change,
    PostReport: post_report,
    ScheduleAdmin: programme_admin.schedule_admin,
    PlanDownload: plan_download.download_plan,
}


# Commands that only read. A surface may run these without waiting for a turn to write (bot/runtime.py).
READ_ONLY: frozenset[type[Any]] = frozenset({Help, Privacy, WhoAmI, ListActions, ShowAction})


@dataclass(frozen=True)
class Prepared:
    """A typed command line, parsed once at the edge: the command, or the kind refusal its text earned."""

    command: Parsed | None
    error: tuple[Inline, ...] = ()

    @property
    def writes(self) -> bool:
        """Whether running it may write (a line that does not parse changes nothing)."""
        return self.command is not None and type(self.command) not in READ_ONLY


def prepare(command: str, text: str) -> Prepared:
    try:
        return Prepared(parse(command, text))
    except UserFacingError as error:
        return Prepared(None, error.rich)


def reads_only(command: str, text: str) -> bool:
    """Whether this typed command can only read (a line that does not parse changes nothing either)."""
    return not prepare(command, text).writes


async def dispatch(cmd: Parsed, actor: Participant, deps: Deps) -> Reply:
    handler = HANDLERS.get(type(cmd))
    if handler is None:
        return refusal("That part of Aftercare is not switched on in this installation yet.")
    try:
        return await handler(cmd, actor, deps)
    except UserFacingError as error:
        return refusal(error.rich)


async def run_prepared(prepared: Prepared, actor: Participant, deps: Deps) -> Reply:
    if prepared.command is None:
        return refusal(prepared.error)
    return await dispatch(prepared.command, actor, deps)


async def run_text(command: str, text: str, actor: Participant, deps: Deps) -> Reply:
    """Parse and dispatch; a parse problem becomes a kind refusal."""
    return await run_prepared(prepare(command, text), actor, deps)


FormHandler = Callable[[str, dict[str, str], Participant, Deps], Awaitable[Reply]]


async def _after_acknowledgement(state: str, values: dict[str, str], actor: Participant, deps: Deps) -> Reply:
    if values.get("read") != "yes":
        return refusal("Please confirm that you have read the statement; nothing else has happened.")
    await onboarding.record_acknowledgement(actor, deps)
    then = reflections.parse_state(state)
    if then.get("then") == "reflect":
        return await reflections.open_reflection(
            Reflect(text=then.get("text", "")), actor, deps, then.get("prompt", "")
        )
    if then.get("then") == "checkin":
        return await checkins.open_checkin(Checkin(), actor, deps)
    return Reply(body=rich("Thank you for reading it. You can reflect any time with ", Command("reflect"), "."))


FORM_HANDLERS: dict[str, FormHandler] = {
    onboarding.ACK_FORM: _after_acknowledgement,
    reflections.REFLECT_FORM: reflections.submit_reflection,
    reflections.ASK_FORM: reflections.submit_ask,
    safeguarding.DISTRESS_FORM: reflections.submit_distress_choice,
    safeguarding.CHOICE_FORM: safeguarding.submit_choice,
    checkins.CHECKIN_FORM: checkins.submit_checkin,
    broadcast_views.CONFIRM_FORM: broadcasts.confirm_broadcast,
}


async def submit_form(form_id: str, state: str, values: dict[str, str], actor: Participant, deps: Deps) -> Reply:
    """A submitted form (modal, dialog or console exchange) goes to the feature that opened it."""
    handler = FORM_HANDLERS.get(form_id)
    if handler is None:
        return refusal("That form has expired; please start again.")
    try:
        return await handler(state, values, actor, deps)
    except UserFacingError as error:
        return refusal(error.rich)


async def open_home(opened: HomeOpened, actor: Participant, deps: Deps) -> Reply:
    """Home opened (the Slack App Home tab, the Teams personal chat)."""
    try:
        return await home.open_home(opened, actor, deps)
    except UserFacingError as error:
        return refusal(error.message)


ButtonHandler = Callable[[str, Participant, Deps], Awaitable[Reply]]


async def _reflect_on_prompt(value: str, actor: Participant, deps: Deps) -> Reply:
    return await reflections.open_reflection(Reflect(), actor, deps, prompt_id=value)


async def _not_today(_value: str, _actor: Participant, _deps: Deps) -> Reply:
    return Reply(
        body=rich("No problem. The prompt will still be here if you want it later: ", Command("reflect"), " any time.")
    )


async def _status_button(value: str, actor: Participant, deps: Deps) -> Reply:
    code, _, word = value.partition(":")
    return await run_text("actions", f"{code} {word}", actor, deps)


async def _concern_routes(_value: str, actor: Participant, deps: Deps) -> Reply:
    programme = await deps.programmes.get(actor.programme_id)
    return safeguarding.routes_reply(programme)


BUTTON_HANDLERS: dict[str, ButtonHandler] = {
    prompting.CONCERN_BUTTON: _concern_routes,
    prompting.REFLECT_BUTTON: _reflect_on_prompt,
    prompting.NOT_TODAY_BUTTON: _not_today,
    action_views.ACTION_STATUS_BUTTON: _status_button,
    broadcast_views.ACK_BUTTON: broadcasts.acknowledge,
    broadcast_views.SEND_BUTTON: broadcasts.confirm,
    broadcast_views.DISCARD_BUTTON: broadcasts.discard,
    schedule_messages.CHECKIN_BUTTON: schedule_messages.open_checkin,
    home.HOME_PAGE: home.turn_page,
    home.HOME_REFRESH: home.turn_page,
}
READ_ONLY_BUTTONS: frozenset[str] = frozenset(home.HOME_BUTTONS)  # a surface need not wait for a turn to write


async def press_button(action_id: str, value: str, actor: Participant, deps: Deps) -> Reply:
    """A button on a message or card (Slack block_actions, Teams Action.Execute / Action.Submit)."""
    handler = BUTTON_HANDLERS.get(action_id)
    if handler is None:
        return refusal("That button is no longer active; please try the command instead.")
    try:
        return await handler(value, actor, deps)
    except UserFacingError as error:
        return refusal(error.rich)
