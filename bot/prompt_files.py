"""Read the prompt, indicator and tag libraries from ``*.yaml`` files, checked once at start-up.

The library shipped with the package (``bot/prompts/``, found through importlib.resources, so it works from a
wheel as well as a checkout) is used unless AFTERCARE_PROMPTS_DIR names a partnership's own folder.

Each file may hold any of the top-level keys ``prompts``, ``indicators`` and ``tags``; prompts and tags from
several files are joined, and the indicators must come from exactly one file. Every problem, in every file, is
reported together by :class:`LibraryError`, with the file, line and field.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from bot.importing import ImportProblems, describe_error
from bot.importing.yaml_reader import Located, load_yaml
from handlers.library import Audience, Indicator, IndicatorSet, Library, Prompt, Stage, Tag
from handlers.programme_doc import Problem

logger = logging.getLogger(__name__)

Loc = tuple[str | int, ...]


def default_folder() -> Path:
    """The library shipped inside the package (``bot/prompts``)."""
    return package_path("prompts")


def package_path(name: str) -> Path:
    """A folder or file shipped inside the ``bot`` package, as a real path (wheels are installed unpacked)."""
    found = resources.files("bot") / name
    if not isinstance(found, Path):  # a zipped install: never produced by pip, but say so plainly
        raise LibraryError([Problem(where=name, field="package", message="the package must be installed unzipped")])
    return found


def library_folder(chosen: Path | None) -> Path:
    """AFTERCARE_PROMPTS_DIR when set, otherwise the shipped library."""
    return chosen if chosen is not None else default_folder()


class LibraryError(Exception):
    """The prompt library could not be loaded. ``problems`` lists every problem, with file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"the prompt library has {len(problems)} problem(s)")

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


@dataclass
class _Parts:
    """What has been read so far, and where each prompt and tag came from."""

    prompts: list[Prompt] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    indicators: IndicatorSet | None = None
    origins: dict[str, list[tuple[Located, str, int]]] = field(default_factory=lambda: {"prompts": [], "tags": []})
    indicators_from: tuple[Located, str] | None = None
    problems: list[Problem] = field(default_factory=list)

    def add(self, located: Located, name: str, part: Library) -> None:
        for index, prompt in enumerate(part.prompts):
            self.prompts.append(prompt)
            self.origins["prompts"].append((located, name, index))
        for index, tag in enumerate(part.tags):
            self.tags.append(tag)
            self.origins["tags"].append((located, name, index))
        if part.indicators is None:
            return
        if self.indicators_from is not None:
            message = f"the indicators are already given in {self.indicators_from[1]}"
            self.problems.append(_in(name, located.problem(("indicators",), message)))
            return
        self.indicators, self.indicators_from = part.indicators, (located, name)

    def place(self, loc: Loc, message: str, folder: Path) -> Problem:
        """Turn a place in the joined library back into a file, line and field."""
        section = str(loc[0])
        if section in self.origins and len(loc) > 1 and isinstance(loc[1], int):
            located, name, index = self.origins[section][loc[1]]
            return _in(name, located.problem((section, index, *loc[2:]), message))
        if section == "indicators" and self.indicators_from is not None:
            located, name = self.indicators_from
            return _in(name, located.problem(loc, message))
        return Problem(where=folder.name, field=section, message=message)


def load_library(folder: Path) -> Library:
    """Read and check every ``*.yaml`` file in ``folder``. Raises LibraryError listing every problem."""
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise LibraryError([Problem(where=str(folder), field="folder", message="there are no .yaml files here")])
    parts = _Parts()
    for path in files:
        _read_file(path, parts)
    library = Library(prompts=parts.prompts, indicators=parts.indicators, tags=parts.tags)
    parts.problems += [parts.place(loc, message, folder) for loc, message in library.check()]
    if parts.problems:
        raise LibraryError(parts.problems)
    logger.info("prompt library: %d prompts, %d tags", len(library.prompts), len(library.tags))
    return library


def _read_file(path: Path, parts: _Parts) -> None:
    try:
        located = load_yaml(path)
    except ImportProblems as error:
        parts.problems += [_in(path.name, problem) for problem in error.problems]
        return
    try:
        part = Library.model_validate(located.data)
    except ValidationError as error:
        for detail in error.errors():
            problem = located.problem(tuple(detail["loc"]), describe_error(detail, Library))
            parts.problems.append(_in(path.name, problem))
        return
    parts.problems += [_in(path.name, problem) for problem in located.repeated_problems()]
    parts.add(located, path.name, part)


def _in(name: str, problem: Problem) -> Problem:
    """Put the file name in front of the line: 'prompts.yaml line 12'."""
    where = problem.where if problem.where.startswith(name) else f"{name} {problem.where}"
    return Problem(where=where, field=problem.field, message=problem.message)


@dataclass(frozen=True)
class FilePromptLibrary:
    """The prompt library read from a folder at start-up; it does not change while the bot runs."""

    folder: Path
    library: Library

    @classmethod
    def load(cls, folder: Path | None = None) -> FilePromptLibrary:
        folder = folder or default_folder()
        return cls(folder=folder, library=load_library(folder))

    def prompt(self, prompt_id: str) -> Prompt | None:
        return self.library.prompt(prompt_id)

    def prompts_for(self, stage: Stage, audience: Audience | None = None) -> list[Prompt]:
        return self.library.prompts_for(stage, audience)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return self.library.indicator(indicator_id)

    def tag(self, tag_id: str) -> Tag | None:
        return self.library.tag(tag_id)
