"""What the fake Bot Connector refuses in an outgoing activity, with the error Teams documents for it.

- An activity must be a JSON object with a string `type` (400 `BadArgument`).
- An Adaptive Card attachment must be an `AdaptiveCard` whose `version` is at most 1.5, the highest Teams supports
  (400 `BadArgument`).
- A card whose compact UTF-8 JSON is larger than 28 KB is refused as 413 `MessageSizeTooBig`, the documented
  code for an oversized message (see shared docs/tech-stack.md §5.2 for the 28 KB figure).
- Optionally, each card is validated against the Adaptive Card 1.5 JSON schema (400 `BadArgument`). Teams' own
  top-level `msteams` property is not part of that schema, so it is left out of the check.
"""

from __future__ import annotations

import copy
import importlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MAX_CARD_VERSION = (1, 5)
MAX_CARD_BYTES = 28 * 1024
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "adaptive-card-1.5.schema.json"
_VERSION = re.compile(r"^(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Rejection:
    status: int
    code: str
    message: str

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


@dataclass(frozen=True)
class CardRules:
    max_version: tuple[int, int] = MAX_CARD_VERSION
    max_bytes: int = MAX_CARD_BYTES
    schema_validator: Any = None
    """A `jsonschema` validator for Adaptive Card 1.5, or None to skip the schema check."""


def load_schema_validator(path: Path = SCHEMA_PATH) -> Any:
    """A Draft-06 validator for the Adaptive Card schema; needs the optional `jsonschema` package."""
    try:
        jsonschema = importlib.import_module("jsonschema")
    except ImportError as error:
        raise RuntimeError("schema validation needs the jsonschema package (jsonschema==4.26.0)") from error
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.Draft6Validator(schema)


def _bad(message: str) -> Rejection:
    return Rejection(400, "BadArgument", message)


def check_activity(activity: Any, rules: CardRules) -> Rejection | None:
    """None when Teams would accept the activity, otherwise the refusal."""
    if not isinstance(activity, dict) or not isinstance(activity.get("type"), str):
        return _bad("Activity must be a JSON object with a type.")
    attachments = activity.get("attachments") or []
    if not isinstance(attachments, list):
        return _bad("Attachments must be a list.")
    for index, attachment in enumerate(attachments):
        if isinstance(attachment, dict) and attachment.get("contentType") == ADAPTIVE_CARD_CONTENT_TYPE:
            rejection = check_card(attachment.get("content"), rules)
            if rejection is not None:
                return Rejection(rejection.status, rejection.code, f"Attachment {index}: {rejection.message}")
    return None


def check_card(card: Any, rules: CardRules) -> Rejection | None:
    if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
        return _bad("Adaptive Card content must be an object of type AdaptiveCard.")
    version = card.get("version")
    match = _VERSION.match(version) if isinstance(version, str) else None
    if match is None:
        return _bad("Adaptive Card version is missing or malformed.")
    if (int(match[1]), int(match[2])) > rules.max_version:
        highest = ".".join(map(str, rules.max_version))
        return _bad(f"Adaptive Card version {version} is not supported; the highest is {highest}.")
    size = len(json.dumps(card, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    if size > rules.max_bytes:
        return Rejection(413, "MessageSizeTooBig", f"Message size too large ({size} bytes > {rules.max_bytes}).")
    if rules.schema_validator is not None:
        return _schema_error(card, rules.schema_validator)
    return None


def _schema_error(card: dict[str, Any], validator: Any) -> Rejection | None:
    checked = copy.copy(card)
    checked.pop("msteams", None)
    best_match = importlib.import_module("jsonschema.exceptions").best_match
    error = best_match(validator.iter_errors(checked))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "card"
    return _bad(f"Adaptive Card does not match schema 1.5 at {where}: {error.message[:300]}")
