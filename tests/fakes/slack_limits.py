"""Block Kit limits the fake Slack Web API enforces, so that renderer regressions fail in tests.

The numbers come from Slack's Block Kit reference (docs.slack.dev/reference/block-kit) and are summarised in
shared/docs/tech-stack.md §5.1. Each check returns Slack-style messages such as
``[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]``, which the fake puts in
``response_metadata.messages`` of an ``invalid_blocks`` (messages) or ``invalid_arguments`` (views) error.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

logger = logging.getLogger(__name__)

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40_000
ATTACHMENTS = 100
SECTION_TEXT = 3000
SECTION_FIELDS = 10
SECTION_FIELD_TEXT = 2000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
URL = 3000
ACTION_ID = 255
BLOCK_ID = 255
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
INPUT_LABEL = 2000
INPUT_HINT = 2000
PLACEHOLDER = 150
OPTION_TEXT = 75
OPTION_VALUE = 150
SELECT_OPTIONS = 100
CHOICE_OPTIONS = 10
OVERFLOW_OPTIONS = 5
MARKDOWN_TEXT = 12_000
IMAGE_ALT_TEXT = 2000
VIEW_TITLE = 24
PRIVATE_METADATA = 3000
CALLBACK_ID = 255
EXTERNAL_ID = 255

KNOWN_BLOCKS = frozenset(
    {"actions", "context", "divider", "file", "header", "image", "input", "markdown", "rich_text", "section", "video"}
)
SELECTS = frozenset(
    {
        "static_select",
        "multi_static_select",
        "external_select",
        "multi_external_select",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
    }
)
Surface = Literal["modal", "home"]


class _Checker:
    """Collects Slack-style error messages while walking one surface."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.block_ids: set[str] = set()

    def fail(self, message: str, pointer: str) -> None:
        self.errors.append(f"[ERROR] {message} [json-pointer:{pointer}]")

    def max_len(self, value: object, limit: int, pointer: str) -> None:
        if value is not None and not isinstance(value, str):
            self.fail("must be a string", pointer)
        elif isinstance(value, str) and len(value) > limit:
            self.fail(f"must be less than {limit + 1} characters", pointer)

    def max_items(self, items: object, limit: int, pointer: str) -> list[Any]:
        if not isinstance(items, list):
            self.fail("must be an array", pointer)
            return []
        if len(items) > limit:
            self.fail(f"no more than {limit} items allowed", pointer)
        return items

    def text(self, obj: object, limit: int, pointer: str, *, plain: bool = False, required: bool = True) -> None:
        if obj is None:
            if required:
                self.fail("missing required field", pointer)
            return
        allowed = ("plain_text",) if plain else ("plain_text", "mrkdwn")
        if not isinstance(obj, dict) or obj.get("type") not in allowed:
            self.fail(f"must be a text object of type {' or '.join(allowed)}", pointer)
            return
        if not obj.get("text"):
            self.fail("must be more than 0 characters", f"{pointer}/text")
        self.max_len(obj.get("text"), limit, f"{pointer}/text")

    def option(self, obj: object, pointer: str) -> None:
        if not isinstance(obj, dict):
            self.fail("must be an option object", pointer)
            return
        self.text(obj.get("text"), OPTION_TEXT, f"{pointer}/text")
        self.max_len(obj.get("value"), OPTION_VALUE, f"{pointer}/value")
        self.text(obj.get("description"), OPTION_TEXT, f"{pointer}/description", required=False)

    def element(self, obj: object, pointer: str, action_ids: set[str]) -> None:
        if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
            self.fail("must be a block element", pointer)
            return
        kind = obj["type"]
        action_id = obj.get("action_id")
        self.max_len(action_id, ACTION_ID, f"{pointer}/action_id")
        if isinstance(action_id, str):
            if action_id in action_ids:
                self.fail(f"duplicate action_id: {action_id}", f"{pointer}/action_id")
            action_ids.add(action_id)
        self.text(obj.get("placeholder"), PLACEHOLDER, f"{pointer}/placeholder", plain=True, required=False)
        if kind == "button":
            self.text(obj.get("text"), BUTTON_TEXT, f"{pointer}/text", plain=True)
            self.max_len(obj.get("value"), BUTTON_VALUE, f"{pointer}/value")
            self.max_len(obj.get("url"), URL, f"{pointer}/url")
        elif kind in SELECTS or kind in {"checkboxes", "radio_buttons", "overflow"}:
            limit = {"checkboxes": CHOICE_OPTIONS, "radio_buttons": CHOICE_OPTIONS, "overflow": OVERFLOW_OPTIONS}
            if "options" in obj:
                options = self.max_items(obj["options"], limit.get(kind, SELECT_OPTIONS), f"{pointer}/options")
                for index, option in enumerate(options):
                    self.option(option, f"{pointer}/options/{index}")
        elif kind == "image":
            self.max_len(obj.get("alt_text"), IMAGE_ALT_TEXT, f"{pointer}/alt_text")

    def block(self, obj: object, pointer: str) -> None:
        if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
            self.fail("must be a block object", pointer)
            return
        kind = obj["type"]
        if kind not in KNOWN_BLOCKS:
            self.fail(f"unsupported type: {kind}", f"{pointer}/type")
            return
        block_id = obj.get("block_id")
        self.max_len(block_id, BLOCK_ID, f"{pointer}/block_id")
        if isinstance(block_id, str):
            if block_id in self.block_ids:
                self.fail(f"duplicate block_id: {block_id}", f"{pointer}/block_id")
            self.block_ids.add(block_id)
        action_ids: set[str] = set()
        if kind == "section":
            self._section(obj, pointer, action_ids)
        elif kind == "header":
            self.text(obj.get("text"), HEADER_TEXT, f"{pointer}/text", plain=True)
        elif kind == "context":
            for index, item in enumerate(self.max_items(obj.get("elements"), CONTEXT_ELEMENTS, f"{pointer}/elements")):
                if isinstance(item, dict) and item.get("type") == "image":
                    self.element(item, f"{pointer}/elements/{index}", action_ids)
                else:
                    self.text(item, SECTION_TEXT, f"{pointer}/elements/{index}")
        elif kind == "actions":
            for index, item in enumerate(self.max_items(obj.get("elements"), ACTIONS_ELEMENTS, f"{pointer}/elements")):
                self.element(item, f"{pointer}/elements/{index}", action_ids)
        elif kind == "input":
            self.text(obj.get("label"), INPUT_LABEL, f"{pointer}/label", plain=True)
            self.text(obj.get("hint"), INPUT_HINT, f"{pointer}/hint", plain=True, required=False)
            self.element(obj.get("element"), f"{pointer}/element", action_ids)
        elif kind == "markdown":
            self.max_len(obj.get("text"), MARKDOWN_TEXT, f"{pointer}/text")
        elif kind == "image":
            self.max_len(obj.get("image_url"), URL, f"{pointer}/image_url")
            self.max_len(obj.get("alt_text"), IMAGE_ALT_TEXT, f"{pointer}/alt_text")

    def _section(self, obj: dict[str, Any], pointer: str, action_ids: set[str]) -> None:
        if obj.get("text") is None and obj.get("fields") is None:
            self.fail("must provide text or fields", pointer)
        self.text(obj.get("text"), SECTION_TEXT, f"{pointer}/text", required=False)
        if obj.get("fields") is not None:
            fields = self.max_items(obj["fields"], SECTION_FIELDS, f"{pointer}/fields")
            for index, field in enumerate(fields):
                self.text(field, SECTION_FIELD_TEXT, f"{pointer}/fields/{index}")
        if obj.get("accessory") is not None:
            self.element(obj["accessory"], f"{pointer}/accessory", action_ids)

    def blocks(self, blocks: object, limit: int, pointer: str) -> None:
        for index, block in enumerate(self.max_items(blocks, limit, pointer)):
            self.block(block, f"{pointer}/{index}")


def message_block_errors(blocks: object) -> list[str]:
    """Problems with a message's ``blocks`` array (``chat.postMessage``, ``chat.update``, ``chat.postEphemeral``)."""
    checker = _Checker()
    checker.blocks(blocks, MESSAGE_BLOCKS, "/blocks")
    return checker.errors


def view_errors(view: object, surface: Surface) -> list[str]:
    """Problems with a modal or Home tab view (``views.open/push/update`` or ``views.publish``)."""
    checker = _Checker()
    if not isinstance(view, dict):
        checker.fail("must be a view object", "/view")
        return checker.errors
    if view.get("type") != surface:
        checker.fail(f"must be of type {surface}", "/view/type")
    checker.blocks(view.get("blocks"), VIEW_BLOCKS, "/view/blocks")
    checker.max_len(view.get("private_metadata"), PRIVATE_METADATA, "/view/private_metadata")
    checker.max_len(view.get("callback_id"), CALLBACK_ID, "/view/callback_id")
    checker.max_len(view.get("external_id"), EXTERNAL_ID, "/view/external_id")
    if surface == "modal":
        checker.text(view.get("title"), VIEW_TITLE, "/view/title", plain=True)
        checker.text(view.get("submit"), VIEW_TITLE, "/view/submit", plain=True, required=False)
        checker.text(view.get("close"), VIEW_TITLE, "/view/close", plain=True, required=False)
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or [])
        if has_input and view.get("submit") is None:
            checker.fail("must provide submit when the view has input blocks", "/view/submit")
    return checker.errors
