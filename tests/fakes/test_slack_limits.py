"""The Block Kit limits the fake Slack API enforces: each limit passes at the boundary and fails one past it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.slack_limits import message_block_errors, view_errors


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(text: str = "Done", action_id: str = "actions.done", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id, **extra}


def modal(title: str = "Reflection", blocks: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": blocks or [], **extra}


def test_fifty_blocks_pass_and_fifty_one_fail() -> None:
    assert message_block_errors([section("x")] * 50) == []
    assert message_block_errors([section("x")] * 51) == ["[ERROR] no more than 50 items allowed [json-pointer:/blocks]"]


def test_section_text_limit_is_3000_characters() -> None:
    assert message_block_errors([section("x" * 3000)]) == []
    assert message_block_errors([section("x" * 3001)]) == [
        "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"
    ]


def test_header_text_limit_is_150_plain_text_characters() -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "h" * 150}}
    assert message_block_errors([header]) == []
    header["text"] = {"type": "plain_text", "text": "h" * 151}
    assert message_block_errors([header]) == [
        "[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]"
    ]
    header["text"] = {"type": "mrkdwn", "text": "*h*"}
    assert "must be a text object of type plain_text" in message_block_errors([header])[0]


@pytest.mark.parametrize(
    ("element", "pointer"),
    [
        (button(text="b" * 76), "/blocks/0/elements/0/text/text"),
        (button(action_id="a" * 256), "/blocks/0/elements/0/action_id"),
        (button(value="v" * 2001), "/blocks/0/elements/0/value"),
        (button(url="https://example.org/" + "u" * 3000), "/blocks/0/elements/0/url"),
    ],
)
def test_button_limits(element: dict[str, Any], pointer: str) -> None:
    errors = message_block_errors([{"type": "actions", "elements": [element]}])
    assert len(errors) == 1
    assert errors[0].endswith(f"[json-pointer:{pointer}]")


def test_button_at_its_limits_passes() -> None:
    element = button(text="b" * 75, action_id="a" * 255, value="v" * 2000)
    assert message_block_errors([{"type": "actions", "elements": [element]}]) == []


def test_duplicate_block_ids_and_action_ids_fail() -> None:
    blocks = [
        section("one", block_id="same"),
        section("two", block_id="same"),
        {"type": "actions", "elements": [button(action_id="a"), button(action_id="a")]},
    ]
    errors = message_block_errors(blocks)
    assert any("duplicate block_id: same" in error for error in errors)
    assert any("duplicate action_id: a" in error for error in errors)


def test_counts_of_fields_elements_and_options() -> None:
    fields = [{"type": "mrkdwn", "text": "f"}] * 11
    many_options = [{"text": {"type": "plain_text", "text": "o"}, "value": "o"}] * 11
    blocks = [
        {"type": "section", "fields": fields},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11},
        {"type": "actions", "elements": [button(action_id=f"b{i}") for i in range(26)]},
        {"type": "actions", "elements": [{"type": "checkboxes", "action_id": "c", "options": many_options}]},
    ]
    errors = message_block_errors(blocks)
    assert [error.split(" [json-pointer:")[1] for error in errors] == [
        "/blocks/0/fields]",
        "/blocks/1/elements]",
        "/blocks/2/elements]",
        "/blocks/3/elements/0/options]",
    ]


def test_unknown_block_type_and_empty_text_fail() -> None:
    assert message_block_errors([{"type": "spreadsheet"}]) == [
        "[ERROR] unsupported type: spreadsheet [json-pointer:/blocks/0/type]"
    ]
    assert message_block_errors([section("")]) == [
        "[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]"
    ]


def test_modal_title_limit_is_24_characters() -> None:
    assert view_errors(modal("t" * 24), "modal") == []
    assert view_errors(modal("t" * 25), "modal") == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]


def test_modal_submit_close_metadata_and_callback_limits() -> None:
    view = modal(
        submit={"type": "plain_text", "text": "s" * 25},
        close={"type": "plain_text", "text": "c" * 25},
        private_metadata="m" * 3001,
        callback_id="k" * 256,
    )
    pointers = sorted(error.split("[json-pointer:")[1] for error in view_errors(view, "modal"))
    assert pointers == [
        "/view/callback_id]",
        "/view/close/text]",
        "/view/private_metadata]",
        "/view/submit/text]",
    ]


def test_modal_with_input_needs_submit() -> None:
    field = {
        "type": "input",
        "label": {"type": "plain_text", "text": "What will you change?"},
        "element": {"type": "plain_text_input", "action_id": "reflection.text"},
    }
    assert view_errors(modal(blocks=[field]), "modal") == [
        "[ERROR] must provide submit when the view has input blocks [json-pointer:/view/submit]"
    ]
    assert view_errors(modal(blocks=[field], submit={"type": "plain_text", "text": "Save"}), "modal") == []


def test_views_hold_100_blocks() -> None:
    home = {"type": "home", "blocks": [section("x")] * 100}
    assert view_errors(home, "home") == []
    home["blocks"] = [section("x")] * 101
    assert view_errors(home, "home") == ["[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]"]


def test_view_of_the_wrong_type_fails() -> None:
    assert view_errors({"type": "home", "blocks": []}, "modal")[0].endswith("[json-pointer:/view/type]")
    assert view_errors("not a view", "home") == ["[ERROR] must be a view object [json-pointer:/view]"]
