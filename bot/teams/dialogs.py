"""Forms as Teams dialogs (task modules): the form card, and what task/fetch and task/submit run and answer.

A dialog's answers come back as a `task/submit` invoke, never as a chat message, and whatever the bot shows next
(the next form, a receipt, a kind refusal) is the invoke response: it is shown in the dialog and never posted into
the chat. The submit button carries the form itself, so that after a refusal the same form can be shown again with
the person's answers still in it.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.teams.inbound import FIELD_PREFIX, KIND, SUBMIT_KIND, dialog_request, submission, turn_of
from bot.teams.listeners import APOLOGY, NO_PERSON, Context, People, log_failure
from bot.teams.render import Words, attachment, body_of, card, fit, reply_card, teams_plain, text_block, words_of
from handlers.reply import Block, Form, FormField, Reply
from handlers.requests import ButtonPress, CommandLine, FormSubmission

logger = logging.getLogger(__name__)

DIALOG_TITLE = "Aftercare"
EXPIRED = "That button is no longer active; please try the command instead."
FORM_EXPIRED = "That form has expired; please start again."

RATING_POINTS = tuple(str(n) for n in range(1, 6))


def form_card(form: Form) -> dict[str, Any]:
    body = body_of(form.intro) + [element for field in form.fields for element in field_elements(field)]
    data = {KIND: SUBMIT_KIND, "form_id": form.form_id, "state": form.state, "form": form.model_dump(mode="json")}
    submit = {"type": "Action.Submit", "title": form.submit_label[:100] or "Submit", "style": "positive", "data": data}
    return fit(card(body, [submit]), lambda: words_of(form.intro))


def field_elements(field: FormField) -> list[dict[str, Any]]:
    common: dict[str, Any] = {"id": FIELD_PREFIX + field.key, "label": field.label}  # a label is plain text
    if field.required:
        common |= {"isRequired": True, "errorMessage": "Please answer this one."}
    if field.kind == "text":
        element = {"type": "Input.Text", **common, "isMultiline": field.multiline, "value": field.initial}
        if field.hint:
            element["placeholder"] = field.hint
        return [element]
    options = [(o.value, o.label) for o in field.options] or [(p, p) for p in RATING_POINTS]
    element = {
        "type": "Input.ChoiceSet",
        **common,
        "style": "expanded",
        "choices": [{"title": label, "value": value} for value, label in options],
    }
    if field.kind == "multi_choice":
        element["isMultiSelect"] = True
    if field.initial:
        element["value"] = field.initial
    hint = [text_block(field.hint, size="Small", isSubtle=True)] if field.hint else []
    return [element, *hint]


def continue_response(title: str, content: dict[str, Any]) -> dict[str, Any]:
    """Show (or keep showing) a dialog with this card."""
    value = {"title": title[:60] or DIALOG_TITLE, "card": attachment(content)}
    return {"status": 200, "body": {"task": {"type": "continue", "value": value}}}


def message_response(text: Words) -> dict[str, Any]:
    """Close the dialog with a short message (plain text)."""
    return {"status": 200, "body": {"task": {"type": "message", "value": teams_plain(text)}}}


def open_form(form: Form) -> dict[str, Any]:
    return continue_response(form.title, form_card(form))


def answer(reply: Reply) -> dict[str, Any]:
    """What a dialog shows after a submission or a button: the next form, a card, or a message."""
    if reply.form is not None:
        return open_form(reply.form)
    if reply.blocks:
        return continue_response(DIALOG_TITLE, reply_card(reply))
    return message_response(reply.said)


def show_again(form: Form, values: dict[str, str], refusal: Words) -> dict[str, Any]:
    """After a refusal: the same form, the person's answers kept, and what to change at the top."""
    kept = tuple(field.model_copy(update={"initial": values.get(field.key, field.initial)}) for field in form.fields)
    notice = Block(kind="section", text=refusal)
    return open_form(form.model_copy(update={"fields": kept, "intro": (notice, *form.intro)}))


class DialogInvokes:
    """task/fetch opens a dialog with the form a button carries, or with the form a button or command answers with;
    task/submit goes to ``handlers.dispatch.submit_form``. The answer is shown in the dialog, never in the chat."""

    def __init__(self, people: People) -> None:
        self.people = people

    async def on_open(self, ctx: Context) -> dict[str, Any]:
        turn = turn_of(ctx.activity)
        request = dialog_request(ctx.activity.value.data if ctx.activity.value else None)
        if turn is None:
            return message_response(NO_PERSON)
        if request is None:
            return message_response(EXPIRED)
        try:
            if request.form is not None:
                return open_form(request.form)
            if request.press is not None:
                press = request.press
                reply = await self.people.handle(turn, ButtonPress(action_id=press.action_id, value=press.value))
                return answer(reply)
            line = request.line
            if line is None:
                return message_response(EXPIRED)
            reply = await self.people.handle(turn, CommandLine(word=line.command, text=line.text))
            return answer(reply)
        except Exception as error:
            log_failure("dialog", error)
            return message_response(APOLOGY)

    async def on_submit(self, ctx: Context) -> dict[str, Any]:
        turn = turn_of(ctx.activity)
        submitted = submission(ctx.activity.value.data if ctx.activity.value else None)
        if turn is None:
            return message_response(NO_PERSON)
        if submitted is None:
            return message_response(FORM_EXPIRED)
        try:
            form = FormSubmission(form_id=submitted.form_id, state=submitted.state, values=submitted.values)
            reply = await self.people.handle(turn, form)
            if not reply.ok and reply.form is None and submitted.form is not None:
                return show_again(submitted.form, submitted.values, reply.said)
            return answer(reply)
        except Exception as error:
            log_failure("dialog submission", error)
            return message_response(APOLOGY)
