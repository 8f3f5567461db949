"""The prompt, indicator and tag libraries (``prompts/*.yaml``) as validated data, with pure cross-checks.

``bot/prompt_files.py`` reads the files; this module only knows their shape and what must agree between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import Field, model_validator

from handlers.model import Frozen, Role
from handlers.programme_doc import ProgrammeDoc

Loc = tuple[str | int, ...]
Issue = tuple[Loc, str]  # (place in the file, message), as check_references returns


class Audience(StrEnum):
    PRACTITIONER = "practitioner"
    MANAGER = "manager"
    LEAD = "lead"
    FORUM = "forum"  # a multi-agency forum or team discussion, sent to a channel rather than a person


class Stage(StrEnum):
    AFTER_PUBLICATION = "after_publication"
    EMBEDDING = "embedding"
    CHECKIN_3M = "checkin_3m"
    CHECKIN_6M = "checkin_6m"


AUDIENCE_ROLES: dict[Audience, frozenset[Role]] = {
    Audience.PRACTITIONER: frozenset({Role.PRACTITIONER}),
    Audience.MANAGER: frozenset({Role.MANAGER}),
    Audience.LEAD: frozenset({Role.LEAD}),
    Audience.FORUM: frozenset({Role.FACILITATOR}),  # facilitators take forum prompts into the room
}


def audiences_for(roles: Iterable[Role]) -> frozenset[Audience]:
    """The prompt audiences a person with these roles belongs to."""
    held = set(roles)
    return frozenset(audience for audience, wanted in AUDIENCE_ROLES.items() if held & wanted)


class Tag(Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    description: str = Field(min_length=1)


class Prompt(Frozen):
    id: str = Field(pattern=r"^PR-[0-9]{2,}$")
    theme: str = Field(min_length=1)
    audience: Audience
    stage: Stage
    text: str = Field(min_length=1)
    follow_up: str = ""

    def suits(self, roles: Iterable[Role]) -> bool:
        return self.audience in audiences_for(roles)


class IndicatorScale(Frozen):
    min: int = 1
    max: int = 5
    labels: list[str]
    allow_skip: bool = True
    skip_label: str = "Prefer not to say"

    @model_validator(mode="after")
    def _labels_fit(self) -> IndicatorScale:
        if self.max <= self.min:
            raise ValueError("max must be greater than min")
        if len(self.labels) != self.max - self.min + 1:
            raise ValueError(f"give one label for each point from {self.min} to {self.max}")
        return self

    def points(self) -> list[tuple[int, str]]:
        return list(zip(range(self.min, self.max + 1), self.labels, strict=True))


class Indicator(Frozen):
    id: str = Field(pattern=r"^IND-[0-9]{2,}$")
    measures: str = Field(min_length=1)  # what the item is about, e.g. psychological_safety
    text: str = Field(min_length=1)
    sensitive: bool = False  # reported only at the higher group size (governance.sensitive_item_min_group_size)


class IndicatorSet(Frozen):
    scale: IndicatorScale
    items: list[Indicator]


class Library(Frozen):
    """Everything in ``prompts/``: prompts, the indicator scale and items, and the tag set."""

    prompts: list[Prompt] = Field(default_factory=list)
    indicators: IndicatorSet | None = None
    tags: list[Tag] = Field(default_factory=list)

    def prompt(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id.upper()), None)

    def prompts_for(self, stage: Stage, audience: Audience | None = None) -> list[Prompt]:
        return [p for p in self.prompts if p.stage == stage and (audience is None or p.audience == audience)]

    def indicator(self, indicator_id: str) -> Indicator | None:
        items = self.indicators.items if self.indicators else []
        return next((i for i in items if i.id == indicator_id.upper()), None)

    def tag(self, tag_id: str) -> Tag | None:
        return next((t for t in self.tags if t.id == tag_id), None)

    def check(self) -> list[Issue]:
        """Problems pydantic cannot see: duplicate ids and themes that are not known tags."""
        found: list[Issue] = []
        found += _duplicates(("prompts",), [p.id for p in self.prompts])
        found += _duplicates(("tags",), [t.id for t in self.tags])
        items = self.indicators.items if self.indicators else []
        found += _duplicates(("indicators", "items"), [i.id for i in items])
        tags = {t.id for t in self.tags}
        for i, prompt in enumerate(self.prompts):
            if prompt.theme not in tags:
                found.append((("prompts", i, "theme"), f"there is no tag '{prompt.theme}'"))
        if self.indicators is None:
            found.append((("indicators",), "there are no indicators"))
        return found

    def programme_problems(self, doc: ProgrammeDoc) -> list[Issue]:
        """Where a programme names a theme, indicator or prompt stage this library does not have."""
        found: list[Issue] = []
        tags = {t.id for t in self.tags}
        for i, rec in enumerate(doc.recommendations):
            if rec.theme not in tags:
                found.append((("recommendations", i, "theme"), f"there is no tag '{rec.theme}'"))
        stages = {s.value for s in Stage}
        for i, cycle in enumerate(doc.checkins):
            for j, item in enumerate(cycle.pulse_items):
                if self.indicator(item) is None:
                    found.append((("checkins", i, "pulse_items", j), f"there is no indicator '{item}'"))
            if cycle.prompts_stage and cycle.prompts_stage not in stages:
                found.append((("checkins", i, "prompts_stage"), f"there is no prompt stage '{cycle.prompts_stage}'"))
        return found


def _duplicates(section: Loc, keys: list[str]) -> list[Issue]:
    seen: set[str] = set()
    found: list[Issue] = []
    for i, key in enumerate(keys):
        if key in seen:
            found.append(((*section, i, "id"), f"'{key}' appears more than once"))
        seen.add(key)
    return found
