"""Bolt listeners: slash commands, button presses, modal submissions and the App Home, each answered within 3 s.

Commands, presses and submissions run in a task with a deadline: a reply ready within ``ACK_DEADLINE`` rides on
the acknowledgement itself (an ephemeral reply, a modal's next step); otherwise the acknowledgement goes out empty
at the deadline and the reply follows through response_url (or views.update). Forms open as modals with the
interaction's trigger id as soon as the handler has chosen them, before anything else is sent. Events are
acknowledged at once and handled after. Every failure is logged once and answered with a generic apology;
nothing here logs a payload, a token or anything a person wrote.

``SlackPeople`` hands each request to the one pipeline (``Runtime.handle``) with the way to find its person: the
Slack account in *this* workspace, else its e-mail (users.info, scope users:read.email) matched only in programmes
that reach this workspace, or in single-workspace mode also programmes naming no workspace (bot/accounts.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping
from typing import Any, Literal

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import plan_uploads
from bot.accounts import Transaction, find_account
from bot.runtime import Find, Runtime, Work
from bot.slack import render
from bot.slack.inbound import Press, Submission, Who, command_of, event_key, press_of, submission_of, who_of
from bot.slack.oauth import BotTokens
from handlers.action_views import ACTION_STATUS_BUTTON
from handlers.broadcast_views import ACK_BUTTON
from handlers.home import HOME_BUTTONS
from handlers.model import Participant
from handlers.ports import Deps
from handlers.prompting import NOT_TODAY_BUTTON
from handlers.reply import Form, Reply, refusal
from handlers.requests import ButtonPress, CommandLine, FormSubmission, HomeOpened, Identity, Request

logger = logging.getLogger(__name__)

# Buttons that answer the message they are on: applied once however often pressed, then the row of buttons is
# replaced by the answer. Any other button (Reflect, the safeguarding routes) changes nothing and answers privately.
ANSWERS = frozenset({ACTION_STATUS_BUTTON, NOT_TODAY_BUTTON, ACK_BUTTON, *plan_uploads.BUTTONS})
ACK_DEADLINE = 2.0
VIEW_DEADLINE = 2.5
APOLOGY = "Sorry, something went wrong on our side; please try again in a minute."
ALREADY = "That was already done; nothing has changed."
TOO_LONG = "That is too long to carry on to the next step; please shorten it a little and try again."
NO_FORM = "The form could not open in time; please try again."
ERROR_TEXT = 300


PLATFORM: Literal["slack"] = "slack"
NOT_IN_PROGRAMME = "You're not in an Aftercare programme yet; please ask your facilitator to add you."


class SlackPeople:
    def __init__(self, runtime: Runtime, tokens: BotTokens) -> None:
        self.runtime = runtime
        self.tokens = tokens

    def finder(self, who: Who, client: AsyncWebClient) -> Find:
        account = Identity(platform=PLATFORM, workspace=who.team_id, user_id=who.user_id)

        async def emails() -> list[str]:
            email = await email_of(client, who)
            return [email] if email else []

        async def home() -> bool:
            return await self._is_home(who.team_id)

        async def find(deps: Deps, session: Transaction) -> Participant | None:
            return await find_account(deps, session, account, emails, home)

        return find

    async def handle(
        self, who: Who, client: AsyncWebClient, request: Request, *, once: str | None = None
    ) -> Reply | None:
        """A typed request (command line, button, form, Home) through the one pipeline; None when ``once`` was
        done."""
        if not who.team_id or not who.user_id:
            return refusal(NOT_IN_PROGRAMME)
        return await self.runtime.handle(self.finder(who, client), request, unknown=refusal(NOT_IN_PROGRAMME),
                                         once=once)  # fmt: skip

    async def run(
        self, who: Who, client: AsyncWebClient, work: Work, *, once: str | None = None, writes: bool = True
    ) -> Reply | None:
        """``work`` (a shared plan file) as the person, through the one pipeline; None when ``once`` was already
        done. ``writes=False`` says the work only reads (remembering ``once`` is a write)."""
        if not who.team_id or not who.user_id:
            return refusal(NOT_IN_PROGRAMME)
        finder = self.finder(who, client)
        return await self.runtime.run_as(finder, work, unknown=refusal(NOT_IN_PROGRAMME), writes=writes, once=once)

    async def _is_home(self, team_id: str) -> bool:
        try:
            return await self.tokens.is_home(team_id)
        except SlackApiError:
            return False


async def email_of(client: AsyncWebClient, who: Who) -> str | None:
    """The account's email, or None (no such user, a bot, a deactivated account, or the scope is missing)."""
    try:
        answer = await client.users_info(user=who.user_id)
    except SlackApiError as error:
        logger.warning("users.info failed: %s", error.response.get("error"))
        return None
    user: dict[str, Any] = answer.get("user") or {}
    if user.get("deleted") or user.get("is_bot") or str(user.get("team_id") or who.team_id) != who.team_id:
        return None
    email = (user.get("profile") or {}).get("email")
    return str(email).lower() if email else None


def form_request(sub: Submission) -> Request:
    return FormSubmission(form_id=sub.form_id, state=sub.state, values=sub.values)


async def guarded(work: Awaitable[Reply | None]) -> Reply | None:
    try:
        return await work
    except Exception:
        logger.exception("a Slack interaction failed")
        return Reply(text=APOLOGY, ok=False)


async def guarded_press(work: Awaitable[None]) -> None:
    try:
        await work
    except Exception:
        logger.exception("a Slack button press failed")


def response_type(reply: Reply) -> str:
    return "ephemeral" if reply.ephemeral or not reply.ok else "in_channel"


class Listeners:
    """Bolt runs these with process_before_response: the HTTP answer goes when the listener returns, so whatever
    must continue after the acknowledgement is handed to ``later``."""

    def __init__(self, people: SlackPeople) -> None:
        self.people = people
        self.background: set[asyncio.Task[Any]] = set()

    def later(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def command(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond) -> None:
        task = asyncio.ensure_future(self._command(body, client))
        done, _ = await asyncio.wait({task}, timeout=ACK_DEADLINE)
        if not done:
            await ack()
            self.later(self._follow_up(task, respond))
            return
        pages, kind = task.result()
        await ack(**({"response_type": kind, **pages[0]} if pages else {}))
        if pages[1:]:
            self.later(self._send(respond, kind, pages[1:]))

    async def _follow_up(self, task: asyncio.Future[tuple[list[dict[str, Any]], str]], respond: AsyncRespond) -> None:
        pages, kind = await task
        await self._send(respond, kind, pages)

    async def _send(self, respond: AsyncRespond, kind: str, pages: list[dict[str, Any]]) -> None:
        try:
            for page in pages:
                await respond(response_type=kind, **page)
        except Exception:
            logger.exception("a reply through response_url failed")

    async def _command(self, body: dict[str, Any], client: AsyncWebClient) -> tuple[list[dict[str, Any]], str]:
        """The messages to answer with (none when a modal opened) and their response_type."""
        word, text = command_of(body)
        reply = await guarded(self.people.handle(who_of(body), client, CommandLine(word=word, text=text)))
        reply = reply or Reply(text=APOLOGY, ok=False)
        if reply.form is not None:
            failed = await self.open_form(client, str(body.get("trigger_id") or ""), reply.form)
            if failed is None:
                return [], "ephemeral"
            reply = failed
        return render.messages(reply), response_type(reply)

    async def open_form(self, client: AsyncWebClient, trigger_id: str, form: Form, push: bool = False) -> Reply | None:
        """Open (or push) the form as a modal with the interaction's trigger id; a kind reply when it cannot."""
        try:
            view = render.modal(form)
        except render.StateTooLong:
            return Reply(text=TOO_LONG, ok=False)
        try:
            if push:
                await client.views_push(trigger_id=trigger_id, view=view)
            else:
                await client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as error:
            logger.warning("a modal did not open: %s", error.response.get("error"))
            return Reply(text=NO_FORM, ok=False)
        return None

    async def tell(self, respond: AsyncRespond | None, reply: Reply, *, replace: bool = False) -> None:
        """An ephemeral answer through response_url, when the interaction has one."""
        if respond is None or respond.response_url is None:
            return
        try:
            await respond(response_type="ephemeral", replace_original=replace, **render.messages(reply)[0])
        except Exception:
            logger.exception("an answer through response_url failed")

    async def button(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond) -> None:
        """Acknowledged as soon as the press is handled, and at the deadline at the latest."""
        task = asyncio.ensure_future(guarded_press(self._press(body, client, respond)))
        done, _ = await asyncio.wait({task}, timeout=ACK_DEADLINE)
        await ack()
        if not done:
            self.later(task)

    async def _press(self, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond) -> None:
        press, who = press_of(body), who_of(body)
        if press is None:
            return
        request = ButtonPress(action_id=press.action_id, value=press.value)
        answers = press.action_id in ANSWERS
        reply = await guarded(self.people.handle(who, client, request, once=press.key if answers else None))
        if reply is None:
            return
        if reply.form is not None:
            reply = await self.open_form(client, press.trigger_id, reply.form, push=press.container == "view")
            if reply is None:
                return
        if press.action_id in HOME_BUTTONS:  # Previous, Next, Refresh: answered with Home itself
            await self.publish(who, client, reply)
        elif press.container == "home":  # nowhere else on the App Home to answer: above Home, shown again
            await self.publish_home(who, client, HomeOpened(notice=reply.text))
        elif answers and reply.ok and not press.ephemeral and await self.update_message(client, press, reply):
            return
        else:
            await self.tell(respond, reply, replace=press.ephemeral and reply.ok)

    async def update_message(self, client: AsyncWebClient, press: Press, reply: Reply) -> bool:
        """The pressed message, changed in place: its row of buttons becomes the answer."""
        if press.container != "message" or not press.message_ts:
            return False
        try:
            await client.chat_update(
                channel=press.channel_id,
                ts=press.message_ts,
                text=render.fallback(reply.text),
                blocks=render.answered(press.message_blocks, press.block_id, reply),
            )
        except SlackApiError as error:
            logger.warning("chat.update failed: %s", error.response.get("error"))
            return False
        return True

    async def submission(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        sub = submission_of(body)
        run = self.people.handle(who_of(body), client, form_request(sub), once=sub.key)
        task = asyncio.ensure_future(guarded(run))
        done, _ = await asyncio.wait({task}, timeout=VIEW_DEADLINE)
        if done:
            await ack(**view_answer(task.result(), sub))
            return
        await ack(response_action="update", view=render.result_view(Reply(text="Saving…"), sub.title))
        self.later(self._slow_submission(task, sub, client))

    async def _slow_submission(
        self, task: asyncio.Future[Reply | None], sub: Submission, client: AsyncWebClient
    ) -> None:
        answer = view_answer(await task, sub)
        if answer.get("response_action") == "errors":
            answer = {"view": render.result_view(Reply(text=_first_error(answer)), sub.title)}
        try:
            await client.views_update(view_id=sub.view_id, view=answer["view"])
        except SlackApiError as error:
            logger.warning("views.update after a slow submission failed: %s", error.response.get("error"))

    async def home_opened(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        who = Who(str(body.get("team_id") or ""), str(event.get("user") or ""), who_of(body).enterprise_id)
        self.later(self.publish_home(who, client, HomeOpened(), once=event_key(body)))  # acknowledged at once

    async def publish_home(self, who: Who, client: AsyncWebClient, opened: HomeOpened, once: str | None = None) -> None:
        """Home (handlers/home.py) through the one pipeline, published as this person's App Home tab."""
        reply = await guarded(self.people.handle(who, client, opened, once=once))
        if reply is not None:
            await self.publish(who, client, reply)

    async def publish(self, who: Who, client: AsyncWebClient, reply: Reply) -> None:
        try:
            await client.views_publish(user_id=who.user_id, view=render.home_view(reply))
        except SlackApiError as error:
            logger.warning("views.publish failed: %s", error.response.get("error"))

    async def uninstalled(self, body: dict[str, Any]) -> None:
        logger.warning("Slack says the app was uninstalled or its tokens revoked in %s", body.get("team_id"))


def view_answer(reply: Reply | None, sub: Submission) -> dict[str, Any]:
    """The acknowledgement of a submission: the next form, errors beside the first field, or the result."""
    if reply is None:
        return {"response_action": "update", "view": render.result_view(Reply(text=ALREADY), sub.title)}
    if reply.form is not None:
        try:
            return {"response_action": "update", "view": render.modal(reply.form)}
        except render.StateTooLong:
            reply = Reply(text=TOO_LONG, ok=False)
    if not reply.ok and sub.first_input:
        return {"response_action": "errors", "errors": {sub.first_input: render.clip(reply.text, ERROR_TEXT)}}
    return {"response_action": "update", "view": render.result_view(reply, sub.title)}


def _first_error(answer: Mapping[str, Any]) -> str:
    return str(next(iter(answer.get("errors", {}).values()), APOLOGY))
