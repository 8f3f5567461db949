"""The plain facts report builders take, as storage (and the theme clustering in bot/) produce them.

None of these hold a person's identity: counts, codes, keyed-hash counts and dates only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from handlers.library import Tag
from handlers.model import Action, Agency, Programme, Recommendation, Team


@dataclass(frozen=True, slots=True)
class ScoreCount:
    """How many people gave ``score`` to ``item`` in one cycle and cohort (answers only, never "prefer not")."""

    item: str
    cycle: str
    cohort: str
    score: int
    people: int


@dataclass(frozen=True, slots=True)
class Participation:
    """How many people took part (``kind`` is "reflection" or "checkin") in one cycle and cohort."""

    kind: str
    cycle: str
    cohort: str
    people: int


@dataclass(frozen=True, slots=True)
class TermSupport:
    """A word or phrase from a group of reflections and the fewest different people who used it."""

    term: str
    people: int


@dataclass(frozen=True)
class ThemeCandidate:
    """A possible theme: all reflections with a tag, or a group of reflections with similar wording.

    ``per_cycle`` counts distinct contributor hashes in each cycle. Hashes change between cycles, so the number of
    different people we can be sure of is the largest of these, never their sum.
    """

    key: str
    kind: str  # "tag" or "wording"
    per_cycle: dict[str, int]
    cohorts: frozenset[str]
    tag: str = ""
    tags: tuple[tuple[str, int], ...] = ()  # for wording: the tags its reflections carry, most common first
    terms: tuple[TermSupport, ...] = ()  # for wording: its most characteristic terms, most characteristic first
    phrases: tuple[TermSupport, ...] = ()  # for wording: phrases of 2 to 5 words enough people used, best first

    @property
    def people(self) -> int:
        return max(self.per_cycle.values(), default=0)


@dataclass(frozen=True)
class StatusChange:
    code: str
    old: str
    new: str
    on: dt.date


@dataclass(frozen=True)
class ActionState:
    status: str
    overdue: bool
    due: str = ""


@dataclass(frozen=True)
class Snapshot:
    """The action plan as the last assurance report saw it (stored by storage/repositories/report_state.py)."""

    taken_on: dt.date
    actions: dict[str, ActionState]


@dataclass(frozen=True)
class DeliveryLine:
    """One broadcast or schedule: its messages by outbox status, why some failed, and acknowledgements."""

    kind: str  # "broadcast" or "schedule"
    ref: str  # "B12" or the schedule's key
    label: str  # what was sent: a prompt id, the first words of a broadcast, or the schedule's kind
    audience: str
    when: dt.datetime | None
    counts: dict[str, int]
    reasons: tuple[tuple[str, int], ...] = ()
    acknowledged: int | None = None  # broadcasts only
    audience_parts: tuple[str, ...] = ()  # the audience as written: all, role:ROLE, agency:ID, team:ID, #channel
    schedule_kind: str = ""  # schedules: prompts, checkin, action_checkin, ...
    rule: str = ""  # schedules: the recurrence rule
    cycle: str = ""  # check-in schedules: the cycle code
    prompt_audience: str | None = None  # prompt schedules: whose prompts
    prompt_id: str = ""  # broadcasts of a library prompt
    active: bool = True
    last_sent: dt.datetime | None = None  # when the last of its messages was sent
    platform: str = ""  # notices: how it went


@dataclass(frozen=True)
class Notice:
    """A safeguarding notice to the programme's safeguarding contact: when it was due, how it went, its status."""

    due: dt.datetime
    sent: dt.datetime | None
    platform: str
    status: str
    reason: str = ""


@dataclass(frozen=True)
class Context:
    """What every builder needs: the programme, the date, agency names, the tag set and how many people take part."""

    programme: Programme
    today: dt.date
    agencies: tuple[Agency, ...]
    tags: tuple[Tag, ...]
    people: int  # everyone in the programme: the group a programme-wide figure describes
    teams: tuple[Team, ...] = ()
    prompts: tuple[tuple[str, str], ...] = ()  # (prompt id, its text), so a broadcast prompt is shown by its words

    def agency_name(self, code: str) -> str:
        return next((a.name for a in self.agencies if a.code == code), code)

    def tag_label(self, tag_id: str) -> str:
        return next((t.label for t in self.tags if t.id == tag_id), tag_id.replace("_", " ").capitalize())

    def team_name(self, code: str) -> str:
        return next((f"the {t.name} team" for t in self.teams if t.code == code), "one team")

    def prompt_text(self, prompt_id: str) -> str:
        return next((text for pid, text in self.prompts if pid == prompt_id), "")

    def tag_description(self, tag_id: str) -> str:
        return next((t.description for t in self.tags if t.id == tag_id), "")


__all__ = [
    "Action",
    "ActionState",
    "Agency",
    "Context",
    "DeliveryLine",
    "Notice",
    "Participation",
    "Recommendation",
    "ReflectionRows",
    "ScoreCount",
    "Snapshot",
    "StatusChange",
    "Tag",
    "TermSupport",
    "ThemeCandidate",
]


@dataclass
class ReflectionRows:
    """Reflections that may feed themes (in_themes only), column by column; ``texts`` is None once purged."""

    cycles: list[str] = field(default_factory=list)
    cohorts: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    tags: list[tuple[str, ...]] = field(default_factory=list)
    texts: list[str | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.cycles)
