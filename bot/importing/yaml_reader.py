"""Read a programme YAML file into a validated :class:`ProgrammeFile`, reporting every problem with its line.

The loader remembers the line of every mapping key and sequence item, so a pydantic error at
``('programme', 'actions', 3, 'owner')`` becomes ``Problem(where="line 212", field="actions[3].owner", …)``.
"""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from holidays.countries.united_kingdom import UnitedKingdom
from pydantic import BaseModel, ValidationError

from bot.importing import ImportProblems, describe_error, field_path
from handlers.free_text import plan_text_issues
from handlers.library import Library
from handlers.programme_doc import (
    ActionDoc,
    AgencyDoc,
    ParticipantDoc,
    Problem,
    ProgrammeDoc,
    ProgrammeFile,
    RecommendationDoc,
    TeamDoc,
    check_references,
)

logger = logging.getLogger(__name__)

Loc = tuple[str | int, ...]
Issue = tuple[Loc, str]
REGIONS = tuple(UnitedKingdom.subdivisions)
SECTION_MODELS: dict[str, type[BaseModel]] = {
    "agencies": AgencyDoc, "teams": TeamDoc, "participants": ParticipantDoc,
    "recommendations": RecommendationDoc, "actions": ActionDoc,
}  # fmt: skip
PLACEHOLDERS = {"email": "-@-.-", "owner": "-@-.-", "id": "X0"}  # valid stand-ins for broken required fields
STAND_INS: dict[str, Any] = {
    "id": "-", "partnership": {"name": "-"}, "review": {"title": "-"}, "governance": {"confidentiality_statement": "-"},
}  # fmt: skip


class LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping key and sequence item, and repeated keys.

    Times such as ``17:00`` stay text: plain YAML 1.1 would read them as the number 1020 (base-60).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: dict[Loc, int] = {}
        self.repeated: list[Loc] = []

    def construct_document(self, node: yaml.Node) -> Any:
        self._record(node, (), frozenset())
        return super().construct_document(node)

    def _record(self, node: yaml.Node, loc: Loc, above: frozenset[int]) -> None:
        if id(node) in above:  # an alias that refers to itself
            return
        above = above | {id(node)}
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                child = (*loc, key)
                if key in seen:
                    self.repeated.append(child)
                seen.add(key)
                self.lines[child] = key_node.start_mark.line + 1
                self._record(value_node, child, above)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.lines[(*loc, index)] = item.start_mark.line + 1
                self._record(item, (*loc, index), above)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        if ":" in str(node.value):
            return self.construct_scalar(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        if ":" in str(node.value):
            return self.construct_scalar(node)
        return super().construct_yaml_float(node)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # e.g. 2026-13-01: leave the text for validation to report kindly
            return self.construct_scalar(node)


LineLoader.add_constructor("tag:yaml.org,2002:timestamp", LineLoader.construct_yaml_timestamp)
LineLoader.add_constructor("tag:yaml.org,2002:int", LineLoader.construct_yaml_int)
LineLoader.add_constructor("tag:yaml.org,2002:float", LineLoader.construct_yaml_float)


@dataclass(frozen=True)
class Located:
    """Parsed YAML data with the line of each place in it, and the keys given twice."""

    data: Any
    lines: dict[Loc, int]
    repeated: list[Loc]

    def line_of(self, loc: Loc) -> int:
        """The line of ``loc``, or of the nearest enclosing place that has one (line 1 for the whole file)."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def problem(self, loc: Loc, message: str, *, skip: int = 0) -> Problem:
        """A problem at ``loc``; ``skip`` leading parts are left out of the field name (e.g. 'programme')."""
        shown = loc[skip:] if len(loc) > skip else loc
        return Problem(where=f"line {self.line_of(loc)}", field=field_path(shown), message=message)

    def repeated_problems(self, skip: int = 0) -> list[Problem]:
        return [self.problem(loc, f"'{loc[-1]}' is given more than once here", skip=skip) for loc in self.repeated]


def load_yaml(path: Path) -> Located:
    """Read and parse a YAML file, remembering lines. Raises ImportProblems for unreadable or malformed files."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        logger.info("could not read %s: %s", path, type(error).__name__)
        raise ImportProblems([Problem(where=path.name, field="file", message="the file could not be read")]) from None
    loader = LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = error.problem or error.context or "it is not valid YAML"
        problem = Problem(where=f"line {line}", field="file", message=f"the YAML could not be read: {reason}")
        raise ImportProblems([problem]) from None
    except yaml.YAMLError:
        raise ImportProblems([Problem(where="line 1", field="file", message="the YAML could not be read")]) from None
    finally:
        loader.dispose()
    if data is None:
        raise ImportProblems([Problem(where="line 1", field="file", message="the file is empty")])
    return Located(data, loader.lines, loader.repeated)


def read_programme(path: Path, library: Library | None = None) -> ProgrammeFile:
    """Read and check a programme file. Raises ImportProblems listing every problem found.

    With ``library``, recommendation themes, check-in indicators and prompt stages are checked against it too.
    """
    located = load_yaml(path)
    problems = located.repeated_problems(skip=1)
    try:
        parsed = ProgrammeFile.model_validate(located.data)
    except ValidationError as error:
        for detail in error.errors():
            loc = tuple(detail["loc"])
            problems.append(located.problem(loc, describe_error(detail, ProgrammeFile), skip=1))
        issues = salvaged_issues(located.data, {tuple(d["loc"]) for d in error.errors()}, library)
    else:
        issues = _cross_checks(parsed.programme, library)
    problems += [located.problem(("programme", *loc), message, skip=1) for loc, message in issues]
    if problems:
        raise ImportProblems(_in_file_order(problems))
    logger.info("programme file %s read: %d actions", path.name, len(parsed.programme.actions))
    return parsed


def _cross_checks(doc: ProgrammeDoc, library: Library | None) -> list[Issue]:
    found = check_references(doc) + zone_problems(doc)
    for i, action in enumerate(doc.actions):
        found += [
            (("actions", i, *loc), message) for loc, message in plan_text_issues(action, doc.governance.never_store)
        ]
    if library is not None:
        found += library.programme_problems(doc)
    return found


def zone_problems(doc: ProgrammeDoc) -> list[Issue]:
    """Time zones must be real IANA names and regions must be UK bank-holiday regions."""
    found: list[Issue] = []
    if doc.timezone and not _is_zone(doc.timezone):
        found.append((("timezone",), f"'{doc.timezone}' is not a time zone we know, such as Europe/London"))
    for i, person in enumerate(doc.participants):
        if person.timezone and not _is_zone(person.timezone):
            message = f"'{person.timezone}' is not a time zone we know, such as Europe/London"
            found.append((("participants", i, "timezone"), message))
        if person.region not in REGIONS:
            message = f"'{person.region}' is not a region we know; use one of {', '.join(REGIONS)}"
            found.append((("participants", i, "region"), message))
    return found


def _is_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    def key(problem: Problem) -> int:
        number = problem.where.removeprefix("line ")
        return int(number) if number.isdigit() else 0

    return sorted(problems, key=key)


@dataclass
class Salvaged:
    """The usable part of a file that failed validation, so cross-references can still be checked."""

    doc: ProgrammeDoc
    origins: dict[str, list[int]]  # section → original index of each kept item
    mended: set[Loc]  # (section, original index, field) replaced or removed; already reported
    unknown: set[str]  # identifiers (ids, emails) of broken items; references to them are not news


def salvage(data: Any, bad: set[Loc]) -> Salvaged | None:
    """Mend broken fields (placeholders for required ones, defaults for the rest) and drop what cannot be mended."""
    programme = data.get("programme") if isinstance(data, dict) else None
    if not isinstance(programme, dict):
        return None
    kept, fields = dict(programme), dict[tuple[str, int], set[str]]()
    for loc in (loc for loc in bad if loc[:1] == ("programme",)):
        section = str(loc[1]) if len(loc) >= 2 else ""
        if section in SECTION_MODELS and len(loc) >= 3 and isinstance(loc[2], int):
            fields.setdefault((section, loc[2]), set()).add(str(loc[3]) if len(loc) >= 4 else "")
        elif section in STAND_INS:
            kept[section] = STAND_INS[section]
        elif section and section not in SECTION_MODELS:
            kept.pop(section, None)
        else:
            return None
    origins: dict[str, list[int]] = {}
    mended: set[Loc] = set()
    unknown: set[str] = set()
    for section, model in SECTION_MODELS.items():
        items, origins[section], kept[section] = kept.get(section, []), [], []
        for index, item in enumerate(items):
            broken = fields.get((section, index), set())
            fixed = _mend(item, broken, model) if broken else item
            if broken:  # references to a broken item may only be complaints about its placeholders
                unknown.add(_identity(item))
            if fixed is not None:
                kept[section].append(fixed)
                origins[section].append(index)
                mended |= {(section, index, name) for name in broken}
    try:
        return Salvaged(ProgrammeDoc.model_validate(kept), origins, mended, unknown)
    except ValidationError:
        return None


def _mend(item: Any, broken: set[str], model: type[BaseModel]) -> dict[str, Any] | None:
    if not isinstance(item, dict) or "" in broken:
        return None
    mended = dict(item)
    for name in broken:
        field = model.model_fields.get(name)
        if field is not None and field.is_required():
            mended[name] = PLACEHOLDERS.get(name, "-")
        else:
            mended.pop(name, None)
    try:
        model.model_validate(mended)
    except ValidationError:
        return None
    return mended


def _identity(item: Any) -> str:
    key = item.get("email", item.get("id")) if isinstance(item, dict) else None
    return str(key).lower() if key is not None else ""


def salvaged_issues(data: Any, bad: set[Loc], library: Library | None) -> list[Issue]:
    """Cross-reference issues among the usable parts of a file that failed validation, with original indexes."""
    rescued = salvage(data, bad)
    if rescued is None:
        return []
    found: list[Issue] = []
    for loc, message in _cross_checks(rescued.doc, library):
        value = _value_at(rescued.doc, loc)
        if len(loc) >= 2 and str(loc[0]) in rescued.origins and isinstance(loc[1], int):
            loc = (loc[0], rescued.origins[str(loc[0])][loc[1]], *loc[2:])
        if loc[:3] in rescued.mended or (isinstance(value, str) and value.lower() in rescued.unknown):
            continue  # about something already reported as broken
        found.append((loc, message))
    return found


def _value_at(doc: ProgrammeDoc, loc: Loc) -> Any:
    current: Any = doc
    for part in loc:
        current = current[part] if isinstance(part, int) else getattr(current, part, None)
        if current is None:
            return None
    return current
