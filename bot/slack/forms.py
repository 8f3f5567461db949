"""Form fields as modal inputs, and a submitted modal's ``state.values`` back as the plain values handlers expect.

Each field is one input block whose block_id and action_id are the field's key. Text → plain_text_input; a choice
of up to 10 options → radio buttons, more → a static select; several choices → a multi-select (values joined
with commas, as the console joins them); a rating → radio buttons.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    InputInteractiveElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticMultiSelectElement,
    StaticSelectElement,
)

from handlers.reply import FormField

logger = logging.getLogger(__name__)

LABEL = 2000
OPTION_TEXT = 75
OPTION_VALUE = 150
RADIO_OPTIONS = 10
SELECT_OPTIONS = 100
INPUT_TEXT = 3000
PLACEHOLDER = "Choose"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _options(field: FormField) -> list[Option]:
    return [
        Option(value=o.value[:OPTION_VALUE], label=_clip(o.label, OPTION_TEXT)) for o in field.options[:SELECT_OPTIONS]
    ]


def _element(field: FormField) -> InputInteractiveElement | None:
    if field.kind == "text":
        return PlainTextInputElement(
            action_id=field.key,
            multiline=field.multiline,
            initial_value=field.initial[:INPUT_TEXT] or None,
            max_length=INPUT_TEXT,
        )
    options = _options(field)
    if not options:
        return None
    chosen = {part.strip() for part in field.initial.split(",") if part.strip()}
    initial = [o for o in options if o.value in chosen]
    if field.kind == "multi_choice":
        return StaticMultiSelectElement(
            action_id=field.key,
            options=options,
            initial_options=initial or None,
            max_selected_items=max(1, field.max_items),
            placeholder=PLACEHOLDER,
        )
    first = initial[0] if initial else None
    if len(options) <= RADIO_OPTIONS:
        return RadioButtonsElement(action_id=field.key, options=options, initial_option=first)
    return StaticSelectElement(action_id=field.key, options=options, initial_option=first, placeholder=PLACEHOLDER)


def form_inputs(fields: Sequence[FormField]) -> list[dict[str, Any]]:
    """One input block per field; a choice with no options is left out (Slack refuses an empty list)."""
    blocks: list[dict[str, Any]] = []
    for field in fields:
        element = _element(field)
        if element is None:
            logger.warning("form field %s has no options and was left out", field.key)
            continue
        block = InputBlock(
            block_id=field.key,
            label=_clip(field.label, LABEL),
            element=element,
            hint=_clip(field.hint, LABEL) or None,
            optional=not field.required,
        )
        blocks.append(block.to_dict())
    return blocks


def _value(element: Mapping[str, Any]) -> str:
    kind = element.get("type")
    if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        return str(element.get("value") or "")
    if kind in ("multi_static_select", "checkboxes"):
        return ",".join(str(o.get("value", "")) for o in element.get("selected_options") or [])
    selected = element.get("selected_option")
    return str(selected.get("value", "")) if isinstance(selected, Mapping) else ""


def submitted_values(state: Mapping[str, Any]) -> dict[str, str]:
    """``view.state`` → {field key: value}; a field left empty comes back as ""."""
    values: dict[str, str] = {}
    for block in (state.get("values") or {}).values():
        if not isinstance(block, Mapping):
            continue
        for action_id, element in block.items():
            if isinstance(element, Mapping):
                values[str(action_id)] = _value(element)
    return values
