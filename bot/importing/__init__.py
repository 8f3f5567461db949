"""Readers that turn a programme YAML or an action-plan spreadsheet into validated documents.

Nothing here touches the database. Every reader reports all the problems it finds at once, each with its line or
row and field, by raising :class:`ImportProblems`. The readers themselves live in ``yaml_reader`` and
``action_plan``; this module holds what they share: the exception and the plain-English wording of pydantic errors.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from handlers.programme_doc import Problem
from handlers.vocabulary import did_you_mean

__all__ = ["ImportProblems", "describe_error", "field_path", "fields_at"]


class ImportProblems(Exception):
    """A file could not be imported. ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"{len(problems)} {noun} found")

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def field_path(loc: Sequence[str | int]) -> str:
    """``('actions', 3, 'owner')`` → ``'actions[3].owner'``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


def describe_error(error: ErrorDetails, model: type[BaseModel] | None = None) -> str:
    """One short, kind sentence for a pydantic error. ``model`` lets unknown fields get a suggestion."""
    kind = error["type"]
    value = error.get("input")
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind == "extra_forbidden":
        name = str(error["loc"][-1]) if error["loc"] else "?"
        known = fields_at(model, error["loc"]) if model else []
        return f"there is no field '{name}' here.{did_you_mean(name, known)}".removesuffix(".")
    if kind == "missing":
        return "this is needed but missing"
    if kind == "string_pattern_mismatch":
        if "@" in str(ctx.get("pattern", "")):
            return f"{_shown(value)} is not an email address"
        return f"{_shown(value)} is not in the expected form (for example A07 or IND-01)"
    if kind == "enum":
        return f"{_shown(value)} is not one of {ctx.get('expected', 'the allowed words')}"
    if kind == "less_than_equal":
        return f"{_shown(value)} is too big; the most is {ctx.get('le')}"
    if kind == "greater_than_equal":
        return f"{_shown(value)} is too small; the least is {ctx.get('ge')}"
    return _TYPE_WORDS.get(kind, "") or _by_prefix(kind, value) or _plain(error["msg"])


_TYPE_WORDS = {
    "string_too_short": "this cannot be empty",
    "string_type": "this should be text",
    "list_type": "this should be a list",
    "tuple_type": "this should be a list",
    "dict_type": "this should be a set of 'name: value' entries",
    "model_type": "this should be a set of 'name: value' entries",
    "model_attributes_type": "this should be a set of 'name: value' entries",
    "bool_parsing": "this should be true or false",
    "bool_type": "this should be true or false",
}


def _by_prefix(kind: str, value: object) -> str:
    if kind.startswith(("date_", "datetime_")):
        return f"{_shown(value)} is not a date; write it as YYYY-MM-DD"
    if kind.startswith("time_"):
        return f"{_shown(value)} is not a time; write it as HH:MM"
    if kind.startswith("int_"):
        return f"{_shown(value)} is not a whole number"
    return ""


def _plain(message: str) -> str:
    """pydantic's own message, without its 'Value error, ' prefix and in lower case."""
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    message = message.replace("Input should be", "this should be")
    return message[:1].lower() + message[1:]


def _shown(value: object) -> str:
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names of the model that holds ``loc``'s last part, or [] if it cannot be found."""
    current: Any = model
    for part in loc[:-1]:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _step(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(part) if isinstance(part, str) else None
        return field.annotation if field else None
    args = get_args(annotation)
    origin = get_origin(annotation)
    if origin in (list, tuple) and isinstance(part, int) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``."""
    if get_origin(annotation) in (Union, types.UnionType):
        options = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(options) == 1:
            return options[0]
    return annotation
