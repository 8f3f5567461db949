"""Reply → Block Kit: escaping, splitting, paging and every limit, checked with the fake Slack's own validators."""

from __future__ import annotations

import json
import random

import pytest

from bot.slack import render
from bot.slack.forms import submitted_values
from handlers.action_views import ACTION_STATUS_BUTTON, status_buttons
from handlers.reply import (
    Block,
    Bullets,
    Button,
    Command,
    Emphasis,
    Form,
    FormField,
    Link,
    Option,
    Reply,
    Strong,
)
from tests.fakes.slack_limits import message_block_errors, view_errors
from tests.slack.payloads import state_values


def test_user_text_cannot_mention_everyone_or_link():
    reply = Reply(text="<!channel> & <@U123|x> <https://evil.example|click>")

    page = render.messages(reply)[0]

    assert page["text"] == "&lt;!channel&gt; &amp; &lt;@U123|x&gt; &lt;https://evil.example|click&gt;"
    assert page["blocks"][0]["text"]["text"] == page["text"]
    assert "<" not in json.dumps(page)


def test_rich_text_becomes_mrkdwn():
    said = (
        Strong("Commands open to you"),
        "\n",
        Bullets(("see one: ", Command("actions A07")), ("a ", Emphasis("kind"), " word")),
        "\nMore: ",
        Link("https://example.org/a?b=1|2", "the guide"),
    )

    assert render.mrkdwn(said) == (
        "*Commands open to you*\n• see one: /actions A07\n• a _kind_ word\n"
        "More: <https://example.org/a?b=1%7C2|the guide>"
    )
    assert render.mrkdwn((Strong("Anonymity receipt "), "then")) == "*Anonymity receipt* then"  # marks hug the words


def test_words_inside_marks_are_escaped_too():
    said = (Strong("<!here>"), " ", Command("actions <@U1>"), " ", Link("https://ok.example", "<!channel> & co"))

    shown = render.mrkdwn(said)

    assert shown == "*&lt;!here&gt;* /actions &lt;@U1&gt; <https://ok.example|&lt;!channel&gt; &amp; co>"


def test_a_fields_value_is_rich_and_escaped():
    block = Block(kind="fields", fields=(("Owner <b>", ("<!channel> ", Strong("x"))),))

    [section] = render.slack_blocks((block,))

    assert section["fields"][0]["text"] == "*Owner &lt;b&gt;*\n&lt;!channel&gt; *x*"


def test_a_long_section_is_split_at_line_ends_within_3000_characters():
    lines = [f"line {n}: " + "x" * 90 for n in range(100)]

    blocks = render.messages(Reply(text="\n".join(lines)))[0]["blocks"]

    assert len(blocks) == 4
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks)
    assert "\n".join(b["text"]["text"] for b in blocks) == "\n".join(lines)
    assert message_block_errors(blocks) == []


def test_one_enormous_line_is_cut_but_never_inside_an_entity():
    text = ("a" * 2998) + "&&&&" + ("b" * 3000)

    blocks = render.messages(Reply(text=text))[0]["blocks"]

    joined = "".join(b["text"]["text"] for b in blocks)
    assert joined == render.escape(text)
    assert all(not b["text"]["text"].endswith(("&", "&a", "&am", "&amp")) for b in blocks)
    assert message_block_errors(blocks) == []


def test_more_than_50_blocks_become_several_messages():
    reply = Reply(text="many", blocks=tuple(Block(kind="section", text=f"item {n}") for n in range(120)))

    pages = render.messages(reply)

    assert [len(p["blocks"]) for p in pages] == [50, 50, 20]
    assert all(message_block_errors(p["blocks"]) == [] for p in pages)
    assert pages[1]["text"] == "(continued)"


def test_the_aggregate_size_of_a_message_is_kept_under_about_12000_characters():
    reply = Reply(text="big", blocks=tuple(Block(kind="section", text="y" * 2900) for _ in range(10)))

    pages = render.messages(reply)

    assert len(pages) > 1
    assert all(sum(len(b["text"]["text"]) for b in p["blocks"]) <= render.MESSAGE_CHARS for p in pages)


def test_repeated_action_ids_get_a_suffix_that_is_removed_again():
    blocks = render.slack_blocks((status_buttons("A07"), status_buttons("A09")))

    ids = [e["action_id"] for b in blocks for e in b["elements"]]

    assert len(set(ids)) == 8
    assert {render.base_action_id(i) for i in ids} == {ACTION_STATUS_BUTTON}
    assert message_block_errors(blocks) == []


def test_fields_headers_and_buttons_are_cut_to_their_limits():
    reply = Reply(
        text="x",
        blocks=(
            Block(kind="header", text="H" * 400),
            Block(kind="fields", fields=tuple((f"k{n}", "v" * 2500) for n in range(3))),
            Block(kind="fields", fields=tuple((f"k{n}", "w") for n in range(12))),
            Block(kind="actions", buttons=(Button(action_id="a.b", label="L" * 100, value="v"),)),
            Block(kind="context", text=""),
        ),
    )

    blocks = render.messages(reply)[0]["blocks"]

    assert [b["type"] for b in blocks] == ["header", "section", "section", "section", "actions"]
    assert [len(b.get("fields", [])) for b in blocks] == [0, 3, 10, 2, 0]
    assert message_block_errors(blocks) == []


FORM = Form(
    form_id="reflect",
    title="A title much longer than twenty-four characters",
    intro=(Block(kind="section", text="Please <b>read</b>"),),
    fields=(
        FormField(key="text", label="Your reflection", kind="text", multiline=True, initial="start", hint="no names"),
        FormField(
            key="tags",
            label="Themes",
            kind="multi_choice",
            options=tuple(Option(value=f"T{n}", label=f"Theme {n}") for n in range(14)),
            required=False,
            max_items=3,
            initial="T1,T2",
        ),
        FormField(key="read", label="Confirm", kind="choice", options=(Option(value="yes", label="I have read it"),)),
        FormField(
            key="pick",
            label="Pick",
            kind="choice",
            options=tuple(Option(value=str(n), label=str(n)) for n in range(12)),
        ),
        FormField(key="none", label="Nothing to choose", kind="choice"),
    ),
    submit_label="Check and save everything now",
    state=json.dumps({"prompt": "PR-01"}),
)


def test_a_form_becomes_a_modal_within_limits():
    view = render.modal(FORM)

    assert view_errors(view, "modal") == []
    assert view["callback_id"] == "reflect"
    assert len(view["title"]["text"]) <= 24 and len(view["submit"]["text"]) <= 24
    assert view["private_metadata"] == FORM.state
    elements = {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}
    assert elements == {"text": "plain_text_input", "tags": "multi_static_select", "read": "radio_buttons",
                        "pick": "static_select"}  # fmt: skip
    assert "&lt;b&gt;" in view["blocks"][0]["text"]["text"]


def test_submitted_values_come_back_as_the_console_gives_them():
    view = render.modal(FORM)

    values = submitted_values(state_values(view, {"text": "hello", "tags": "T3,T5", "read": "yes", "pick": "11"}))

    assert values == {"text": "hello", "tags": "T3,T5", "read": "yes", "pick": "11"}


def test_long_state_is_compressed_and_too_long_state_is_refused():
    long = json.dumps({"text": "é" * 2500})
    packed = render.pack_state(long)

    assert len(packed) <= 3000
    assert render.unpack_state(packed) == long
    with pytest.raises(render.StateTooLong):
        render.pack_state(random.Random(7).randbytes(4000).hex())
    assert render.unpack_state("z1:not-base64!!") == ""


def test_a_modal_of_many_blocks_keeps_the_fields():
    form = FORM.model_copy(update={"intro": tuple(Block(kind="section", text=str(n)) for n in range(150))})

    view = render.modal(form)

    assert len(view["blocks"]) == 100
    assert view["blocks"][-1]["type"] == "input"
    assert view_errors(view, "modal") == []


def test_a_pressed_row_of_buttons_becomes_the_answer():
    message = [
        {"type": "section", "block_id": "q", "text": {"type": "mrkdwn", "text": "How is A07 going?"}},
        {**render.slack_blocks((status_buttons("A07"),))[0], "block_id": "row"},
    ]

    after = render.answered(message, "row", Reply(text="A07 is now 'On track'."))

    assert [b["type"] for b in after] == ["section", "context"]
    assert message_block_errors(after) == []


def test_home_and_result_views_are_within_limits():
    reply = Reply(text="x", blocks=tuple(Block(kind="section", text=f"{n}") for n in range(130)))

    assert view_errors(render.home_view(reply), "home") == []
    assert view_errors(render.result_view(reply, "Thank you for reflecting today"), "modal") == []
