"""Every card the Teams app renders is a valid Adaptive Card 1.5 (Microsoft's schema) and under Teams' size limit."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.runtime import Runtime
from bot.teams import dialogs, render
from handlers import safeguarding
from handlers.action_views import status_buttons
from handlers.reply import Block, Bullets, Button, Command, Emphasis, Form, FormField, Link, Option, Reply, Strong
from tests.factories import FACILITATOR, LEAD, OWNER, PRACTITIONER
from tests.fakes.teams_card_rules import MAX_CARD_BYTES, CardRules, check_card, load_schema_validator

RULES = CardRules(schema_validator=load_schema_validator())


def valid(card: dict[str, Any]) -> dict[str, Any]:
    rejection = check_card(card, RULES)
    assert rejection is None, rejection
    assert render.card_size(card) <= MAX_CARD_BYTES
    return card


def cards_in(activity: dict[str, Any]) -> list[dict[str, Any]]:
    return [a["content"] for a in activity.get("attachments", [])]


EVERY_FIELD = (
    FormField(key="text", label="Your reflection", kind="text", multiline=True, hint="no names", initial="Draft"),
    FormField(key="tags", label="Themes", kind="multi_choice", options=(Option(value="a", label="A"),), required=False),
    FormField(key="choice", label="Which?", kind="choice", options=(Option(value="y", label="Yes"),), initial="y"),
    FormField(key="score", label="How far?", kind="rating"),
)
FORM = Form(form_id="f", title="A form", intro=(Block(kind="section", text="Why"),), fields=EVERY_FIELD, state="{}")
EVERY_BLOCK = (
    Block(kind="header", text="A07: 'My week' tool"),
    Block(kind="fields", fields=(("Status", "On track"), ("Owner", "Olu Owner"))),
    Block(kind="divider"),
    Block(kind="context", text="R3: *outcome* sought"),
    Block(kind="section", text="Line one\nLine two with /actions A07 impact TEXT"),
    status_buttons("A07"),
    Block(
        kind="actions",
        buttons=(
            Button(action_id="prompt.reflect", label="Reflect", value="PR-1", style="primary"),
            Button(action_id="prompt.not_today", label="Not today", value="PR-1", style="danger"),
        ),
    ),
)


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(Reply(text="Plain text only."), id="text"),
        pytest.param(Reply(text="No.", ok=False), id="refusal"),
        pytest.param(Reply(text="Everything", blocks=EVERY_BLOCK), id="every block and button"),
        pytest.param(Reply(text="Open the form", form=FORM), id="form"),
        pytest.param(
            Reply(text="Read first", ok=False, form=FORM, blocks=(Block(kind="section", text="x"),)), id="ack"
        ),
        pytest.param(Reply(text="", blocks=(Block(kind="divider"), Block(kind="actions"))), id="nearly empty"),
    ],
)
def test_every_kind_of_reply_renders_to_a_valid_card(reply: Reply):
    message = render.message(reply)
    for card in cards_in(message):
        valid(card)
    valid(render.reply_card(reply))
    if reply.form is not None:
        valid(dialogs.form_card(reply.form))
        valid(dialogs.show_again(reply.form, {"text": "Kept"}, "Please choose up to 3 themes.")["body"]["task"]
              ["value"]["card"]["content"])  # fmt: skip


def test_buttons_update_in_place_or_open_dialogs():
    card = valid(render.reply_card(Reply(text="x", blocks=EVERY_BLOCK)))
    actions = [a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]]
    execute = [a for a in actions if a["type"] == "Action.Execute"]
    assert next(a["data"]["value"] for a in execute if a["verb"] == "actions.set_status") == "A07:on_track"
    [reflect] = [a for a in actions if a["title"] == "Reflect"]
    assert reflect["type"] == "Action.Submit"
    assert reflect["data"]["msteams"] == {"type": "task/fetch"}
    assert reflect["style"] == "positive"


def test_an_oversized_reply_is_shortened_to_fit():
    lines = [f"🟢 A{n:03d} On track · due 30 Jun 2026 · {'a long title ' * 8}" for n in range(400)]
    reply = Reply(text="\n".join(lines), blocks=(Block(kind="section", text="\n".join(lines)), status_buttons("A07")))
    card = valid(render.reply_card(reply))
    assert card["body"][-1]["text"].endswith(render.SHORTENED)
    assert card["body"][-1]["text"].startswith("🟢 A000")


def test_rich_text_becomes_textblock_markdown():
    said = (
        Strong("Anonymity receipt"),
        "\nStored:\n",
        Bullets(("see it: ", Command("actions A07")), ("a ", Emphasis("kind"), " word")),
        "\nTry ",
        Command("aftercare help"),
        " or ",
        Link("https://example.org/guide_(2)", "the guide"),
    )

    assert render.teams_text(said) == (
        "**Anonymity receipt**\n\nStored:\n\n- see it: actions A07\r- a _kind_ word\n\nTry aftercare help or "
        "[the guide](https://example.org/guide_%282%29)"
    )
    assert render.teams_plain(said) == (
        "Anonymity receipt\nStored:\n• see it: actions A07\n• a kind word\nTry aftercare help or "
        "the guide (https://example.org/guide_(2))"
    )


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        ("[click](https://evil.example)", "\\[click\\](https://evil.example)"),
        ("**loud** and _soft_ and `code` ~gone~", "\\*\\*loud\\*\\* and \\_soft\\_ and \\`code\\` \\~gone\\~"),
        ("<https://evil.example> <at>Everyone</at>", "\\<https://evil.example\\> \\<at\\>Everyone\\</at\\>"),
        (
            "- not a list\n# not a heading\n12. not numbered",
            "\\- not a list\n\n\\# not a heading\n\n12\\. not numbered",
        ),
        ("2 * 3 - 1 = 5.", "2 \\* 3 - 1 = 5."),
    ],
)
def test_words_a_person_wrote_are_escaped(words: str, shown: str):
    assert render.teams_text(words) == shown
    assert render.teams_text(("A07: ", Emphasis(words))) == f"A07: _{shown}_"  # inside a mark too


def test_a_fact_title_and_value_are_escaped():
    [facts] = render.block_elements(Block(kind="fields", fields=(("Note [x](y)", ("[click](https://evil)",)),)))
    assert facts["facts"] == [{"title": "Note \\[x\\](y)", "value": "\\[click\\](https://evil)"}]


def test_dialog_responses_have_the_task_module_shape():
    opened = dialogs.open_form(FORM)["body"]["task"]
    assert opened["type"] == "continue"
    assert opened["value"]["title"] == "A form"
    content = valid(opened["value"]["card"]["content"])
    [submit] = content["actions"]
    assert submit["data"]["aftercare"] == "submit"
    assert submit["data"]["form_id"] == "f"
    ids = [e["id"] for e in content["body"] if e["type"].startswith("Input.")]
    assert ids == ["field.text", "field.tags", "field.choice", "field.score"]
    assert dialogs.answer(Reply(text="Saved."))["body"]["task"] == {"type": "message", "value": "Saved."}


@pytest.mark.parametrize(
    ("email", "line"),
    [
        (OWNER, "/aftercare help"),
        (FACILITATOR, "/aftercare help"),
        (OWNER, "/aftercare privacy"),
        (OWNER, "/aftercare whoami"),
        (OWNER, "/actions"),
        (OWNER, "/actions all"),
        (OWNER, "/actions A07"),
        (OWNER, "/actions A09 on track"),
        (OWNER, "/actions A99"),
        (PRACTITIONER, "/reflect"),
        (PRACTITIONER, "/checkin"),
        (LEAD, "/aftercare report assurance"),
        (FACILITATOR, '/broadcast team:T-ADO "Please read the brief"'),
        (FACILITATOR, "/broadcast list"),
    ],
)
async def test_real_answers_render_to_valid_cards(teams_runtime: Runtime, email: str, line: str):
    reply = await teams_runtime.say(email, line)
    message = render.message(reply)
    assert json.dumps(message)  # serialisable as it is
    for card in cards_in(message):
        valid(card)
    if reply.form is not None:
        valid(dialogs.form_card(reply.form))


async def test_safeguarding_and_receipt_forms_render_to_valid_dialogs(teams_runtime: Runtime):
    programme = (await teams_runtime.programmes())[0]
    distress = safeguarding.distress_form(programme, {"prompt": "", "text": "words", "tags": ""})
    assert distress.form is not None
    valid(dialogs.form_card(distress.form))
    await teams_runtime.say(PRACTITIONER, "/aftercare privacy accept")
    opened = await teams_runtime.say(PRACTITIONER, "/reflect")
    assert opened.form is not None
    live = await teams_runtime.submit_form(
        PRACTITIONER, opened.form, {"text": "I'm worried the boy is still living with the stepdad who hit him."}
    )
    assert live.form is not None
    valid(dialogs.form_card(live.form))
    receipt = await teams_runtime.submit_form(
        PRACTITIONER, opened.form, {"text": "We should ask to see a feed on first visits."}
    )
    assert receipt.ok
    valid(dialogs.answer(receipt)["body"]["task"]["value"]["card"]["content"])
