"""Invokes: buttons on cards (`adaptiveCard/action`) and dialogs (`task/fetch`, `task/submit`).

- A button (Action.Execute) runs `handlers.dispatch.press_button`. On success the card is updated in place: the
  message is replaced through the Bot Connector (so everyone sees it, and it stays so) and the invoke answers with
  the same card. A refusal leaves the card alone and shows a short message.
- A command button (``teams.command``) runs a command line and posts the answer as a new message; Home's Previous,
  Next and Refresh are buttons like any other, answered with Home itself in place of the card.
- A file offered with a report (bot/teams/files.py) is uploaded when the person accepts it.
- A dialog opens with a form carried by the button, or with the form a button or command answers with. Its
  submission goes to `handlers.dispatch.submit_form`; the answer is shown in the dialog, never in the chat.
"""

from __future__ import annotations

import logging
from typing import Any

from microsoft_teams.api.activities.invoke import AdaptiveCardInvokeActivity, TaskFetchInvokeActivity
from microsoft_teams.api.activities.invoke.file_consent import FileConsentInvokeActivity
from microsoft_teams.api.activities.invoke.task import TaskSubmitInvokeActivity

from bot.teams import dialogs, render
from bot.teams.files import FileUploads
from bot.teams.inbound import COMMAND_BUTTON, Turn, card_press, dialog_request, split_line, submission, turn_of
from bot.teams.turns import APOLOGY, Context, Turns, log_failure
from handlers.errors import DeliveryError
from handlers.reply import Reply
from handlers.requests import ButtonPress, CommandLine, FormSubmission

logger = logging.getLogger(__name__)

EXPIRED = "That button is no longer active; please try the command instead."
FORM_EXPIRED = "That form has expired; please start again."
NO_PERSON = "Sorry, I couldn't tell who you are in Teams; please try again from your chat with Aftercare."


class Invokes:
    def __init__(self, turns: Turns, files: FileUploads) -> None:
        self.turns = turns
        self.people = turns.people
        self.connector = turns.connector
        self.files = files

    def register(self, router: Any) -> None:
        router.add_handler(lambda a: isinstance(a, AdaptiveCardInvokeActivity), self.on_card_action)
        router.add_handler(lambda a: isinstance(a, TaskFetchInvokeActivity), self.on_dialog_open)
        router.add_handler(lambda a: isinstance(a, TaskSubmitInvokeActivity), self.on_dialog_submit)
        router.add_handler(lambda a: isinstance(a, FileConsentInvokeActivity), self.on_file_consent)

    async def on_file_consent(self, ctx: Context) -> dict[str, Any]:
        """The person accepted (or declined) a file offered with a report."""
        turn = turn_of(ctx.activity) if self.people.admitted(ctx.activity) else None
        if turn is None:
            return {"status": 200}
        try:
            return await self.files.answer(turn, ctx.activity.value)
        except Exception as error:
            log_failure("file consent", error)
            return {"status": 200}

    # ----- buttons -----
    async def on_card_action(self, ctx: Context) -> dict[str, Any]:
        turn = turn_of(ctx.activity) if self.people.admitted(ctx.activity) else None
        if turn is None:
            return render.toast_response(NO_PERSON)
        try:
            action = ctx.activity.value.action
            press = card_press(action.verb, action.data)
            if press.action_id == COMMAND_BUTTON:
                line = split_line(press.value)
                reply = await self.people.handle(turn, CommandLine(word=line.command, text=line.text))
                await self.turns.respond(turn, reply)
                return render.toast_response(render.teams_plain(render.said(reply, first=True)).split("\n", 1)[0][:200])
            reply = await self.people.handle(turn, ButtonPress(action_id=press.action_id, value=press.value))
            if not reply.ok and reply.form is None:
                return render.toast_response(reply.said)
            return await self.replace_card(turn, reply)
        except DeliveryError as error:  # Teams would not take the answer below the card (throttled, gone)
            logger.warning("a Teams answer could not be sent: %s", error.reason)
            return render.toast_response(APOLOGY)
        except Exception as error:
            log_failure("button", error)
            return render.toast_response(APOLOGY)

    async def replace_card(self, turn: Turn, reply: Reply) -> dict[str, Any]:
        content = render.launcher_card(reply, reply.form) if reply.form is not None else render.reply_card(reply)
        if turn.reply_to_id:
            activity = {"type": "message", "attachments": [render.attachment(content)]}
            try:
                await self.connector.update(turn.service_url, turn.conversation_id, turn.reply_to_id, activity)
            except DeliveryError as error:
                logger.info("card not updated in place: %s", error.reason)
        return render.card_response(content)

    # ----- dialogs -----
    async def on_dialog_open(self, ctx: Context) -> dict[str, Any]:
        turn = turn_of(ctx.activity) if self.people.admitted(ctx.activity) else None
        request = dialog_request(ctx.activity.value.data if ctx.activity.value else None)
        if turn is None:
            return dialogs.message_response(NO_PERSON)
        if request is None:
            return dialogs.message_response(EXPIRED)
        try:
            if request.form is not None:
                return dialogs.open_form(request.form)
            if request.press is not None:
                press = request.press
                reply = await self.people.handle(turn, ButtonPress(action_id=press.action_id, value=press.value))
                return dialogs.answer(reply)
            line = request.line
            if line is None:
                return dialogs.message_response(EXPIRED)
            reply = await self.people.handle(turn, CommandLine(word=line.command, text=line.text))
            return dialogs.answer(reply)
        except Exception as error:
            log_failure("dialog", error)
            return dialogs.message_response(APOLOGY)

    async def on_dialog_submit(self, ctx: Context) -> dict[str, Any]:
        turn = turn_of(ctx.activity) if self.people.admitted(ctx.activity) else None
        submitted = submission(ctx.activity.value.data if ctx.activity.value else None)
        if turn is None:
            return dialogs.message_response(NO_PERSON)
        if submitted is None:
            return dialogs.message_response(FORM_EXPIRED)
        try:
            form = FormSubmission(form_id=submitted.form_id, state=submitted.state, values=submitted.values)
            reply = await self.people.handle(turn, form)
            if not reply.ok and reply.form is None and submitted.form is not None:
                return dialogs.show_again(submitted.form, submitted.values, reply.said)
            return dialogs.answer(reply)
        except Exception as error:
            log_failure("dialog submission", error)
            return dialogs.message_response(APOLOGY)
