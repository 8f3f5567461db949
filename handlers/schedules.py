"""A programme's schedules: what is sent, to whom, and when (in each recipient's own local time).

A programme file may list them under ``schedules:``; otherwise the defaults below apply. Each check-in cycle in
``checkins:`` gets its own schedule (10:00 local on the cycle's date) unless one is given for it. Example::

    schedules:
      - {key: prompts-practitioner, kind: prompts, rule: "every 2 weeks on TU at 10:00",
         audience: ["role:practitioner"], prompt_audience: practitioner}
      - {key: action-checkins, kind: action_checkin, rule: "weekly on MO at 10:00", every_weeks: 4}
      - {key: drift, kind: drift, rule: "weekly on MO at 09:30", days: 28}
      - {key: overdue, kind: overdue, rule: "weekly on MO at 09:00", audience: ["role:facilitator"]}
      - {key: review-6m, kind: milestone, rule: "offset +182 days from milestone published at 10:00",
         stage: checkin_6m}
      - {key: peers, kind: peers, rule: "every 4 weeks on WE at 10:00", group_size: 2}

Rules use handlers/recurrence.py's text form. ``milestone`` names may be any key of the review's dates, or
``checkin.<CYCLE>`` for a check-in cycle's date.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationError, field_validator

from handlers.grammar import AUDIENCE_PART
from handlers.library import Audience, Stage
from handlers.model import Frozen, Programme
from handlers.recurrence import Recurrence, parse_recurrence

DEFAULT_AT = "10:00"
logger = logging.getLogger(__name__)


class ScheduleKind(StrEnum):
    PROMPTS = "prompts"  # a rotation of library prompts by stage and audience, never repeating one to a person
    CHECKIN = "checkin"  # an indicator check-in cycle opens
    ACTION_CHECKIN = "action_checkin"  # "How is A07 going?" to each owner, every N weeks per action
    DRIFT = "drift"  # no update for N days: first the owner, a week later the facilitators' digest
    OVERDUE = "overdue"  # a digest of overdue actions
    MILESTONE = "milestone"  # a prompt (or a message) tied to a date in the review's life
    PEERS = "peers"  # cross-agency peer-learning pairs, for those who opted in


class ScheduleSpec(Frozen):
    key: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", max_length=80)
    kind: ScheduleKind
    rule: str
    audience: tuple[str, ...] = ("all",)
    prompt_audience: Audience | None = None  # prompts, milestone: which prompts; None follows each person's roles
    stage: Stage | None = None  # prompts, milestone: None follows the programme's milestones
    cycle: str = ""  # checkin: the cycle code
    text: str = ""  # milestone: a message instead of a prompt
    every_weeks: int = Field(default=4, ge=1, le=52)  # action_checkin
    days: int | None = Field(default=None, ge=1, le=365)  # drift: the programme's drift_days when None
    group_size: int = Field(default=2, ge=2, le=3)  # peers
    reminder: bool = False  # checkin: one reminder before the cycle closes (docs/anonymity.md)
    active: bool = True

    @field_validator("rule")
    @classmethod
    def _rule_reads(cls, rule: str) -> str:
        parse_recurrence(rule)
        return rule

    @field_validator("audience")
    @classmethod
    def _audience_reads(cls, audience: tuple[str, ...]) -> tuple[str, ...]:
        bad = [part for part in audience if not AUDIENCE_PART.match(part)]
        if bad or not audience:
            raise ValueError("use all, agency:ID, team:ID, role:ROLE, forum:ID or #channel")
        return audience

    def recurrence(self) -> Recurrence:
        return parse_recurrence(self.rule)


PARTICIPANTS = ("role:practitioner", "role:manager", "role:lead")


def default_specs() -> list[ScheduleSpec]:
    """The schedules a programme gets when its file lists none."""
    return [
        ScheduleSpec(key="prompts-practitioner", kind=ScheduleKind.PROMPTS, rule="every 2 weeks on TU at 10:00",
                     audience=("role:practitioner",), prompt_audience=Audience.PRACTITIONER),
        ScheduleSpec(key="prompts-manager", kind=ScheduleKind.PROMPTS, rule="every 2 weeks on WE at 10:00",
                     audience=("role:manager",), prompt_audience=Audience.MANAGER),
        ScheduleSpec(key="prompts-lead", kind=ScheduleKind.PROMPTS, rule="every 4 weeks on TH at 10:00",
                     audience=("role:lead",), prompt_audience=Audience.LEAD),
        ScheduleSpec(key="action-checkins", kind=ScheduleKind.ACTION_CHECKIN, rule="weekly on MO at 10:00"),
        ScheduleSpec(key="drift", kind=ScheduleKind.DRIFT, rule="weekly on MO at 09:30"),
        ScheduleSpec(key="overdue", kind=ScheduleKind.OVERDUE, rule="weekly on MO at 09:00",
                     audience=("role:facilitator",)),
        ScheduleSpec(key="peers", kind=ScheduleKind.PEERS, rule="every 4 weeks on WE at 10:00"),
    ]  # fmt: skip


def checkin_spec(code: str) -> ScheduleSpec:
    return ScheduleSpec(
        key=f"checkin.{code}",
        kind=ScheduleKind.CHECKIN,
        rule=f"offset +0 days from milestone checkin.{code} at {DEFAULT_AT}",
        audience=PARTICIPANTS,
        cycle=code,
    )


REMINDER_DAYS = 7  # a check-in's one reminder: a week before it closes (when the next cycle opens), the same weekday


def checkin_reminder_spec(code: str, closes_with: str, audience: tuple[str, ...] = PARTICIPANTS) -> ScheduleSpec:
    return ScheduleSpec(
        key=f"checkin-reminder.{code}",
        kind=ScheduleKind.CHECKIN,
        rule=f"offset -{REMINDER_DAYS} days from milestone checkin.{closes_with} at {DEFAULT_AT}",
        audience=audience,
        cycle=code,
        reminder=True,
    )


def read_specs(documents: list[dict[str, Any]]) -> tuple[list[ScheduleSpec], list[tuple[int, str]]]:
    """The valid specs, and (index, problem) for each that is not."""
    specs: list[ScheduleSpec] = []
    problems: list[tuple[int, str]] = []
    for index, document in enumerate(documents):
        try:
            specs.append(ScheduleSpec.model_validate(document))
        except (ValidationError, ValueError) as error:
            problems.append((index, _first_problem(error)))
    keys = [s.key for s in specs]
    problems += [
        (keys.index(k), f"the key '{k}' appears more than once") for k in {k for k in keys if keys.count(k) > 1}
    ]
    return specs, problems


def specs_for(programme: Programme, documents: list[dict[str, Any]]) -> list[ScheduleSpec]:
    """The programme's schedules: its own (or the defaults), plus one for each check-in cycle not already covered."""
    specs, problems = read_specs(documents) if documents else (default_specs(), [])
    for index, problem in problems:
        logger.warning("programme %s: schedule %d is ignored: %s", programme.code, index, problem)
    covered = {s.cycle: s for s in specs if s.kind is ScheduleKind.CHECKIN and not s.reminder}
    reminded = {s.cycle for s in specs if s.kind is ScheduleKind.CHECKIN and s.reminder}
    specs += [checkin_spec(cycle.code) for cycle in programme.checkins if cycle.code not in covered]
    cycles = sorted(programme.checkins, key=lambda c: c.date)
    for this, following in itertools.pairwise(cycles):
        opened = covered.get(this.code)
        if this.code not in reminded and following.date - this.date > dt.timedelta(days=REMINDER_DAYS):
            audience = opened.audience if opened is not None else PARTICIPANTS
            specs.append(checkin_reminder_spec(this.code, following.code, audience))
    return specs


def milestone_dates(programme: Programme) -> dict[str, dt.date]:
    dates = {m.key: m.date for m in programme.milestones}
    dates.update({f"checkin.{c.code}": c.date for c in programme.checkins})
    return dates


def stage_for(programme: Programme, day: dt.date) -> Stage:
    """Which prompts suit this point in the programme: around each check-in its stage, early on after_publication."""
    dates = {m.key: m.date for m in programme.milestones}
    for key, stage in (("checkin_6m", Stage.CHECKIN_6M), ("checkin_3m", Stage.CHECKIN_3M)):
        at = dates.get(key)
        if at is not None and at - dt.timedelta(days=14) <= day < at + dt.timedelta(days=28):
            return stage
    published = dates.get("published")
    settled = dates.get("action_plan_approved") or (published + dt.timedelta(days=42) if published else None)
    if settled is not None and day < settled + dt.timedelta(days=28):
        return Stage.AFTER_PUBLICATION
    return Stage.EMBEDDING


def _first_problem(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return str(error)
