"""Domain models shared by every surface.

All models are frozen pydantic models with ``extra="forbid"``; storage returns them and adapters render them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    MANAGER = "manager"
    LEAD = "lead"
    FACILITATOR = "facilitator"


class Status(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    BLOCKED = "blocked"
    COMPLETE = "complete"
    CLOSED = "closed"
    SUPERSEDED = "superseded"


FINISHED_STATUSES = frozenset({Status.COMPLETE, Status.CLOSED, Status.SUPERSEDED})

RAG = {
    Status.NOT_STARTED: "grey",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "amber",
    Status.OFF_TRACK: "red",
    Status.BLOCKED: "red",
    Status.COMPLETE: "green",
    Status.CLOSED: "blue",
    Status.SUPERSEDED: "grey",
}


class WorkingPattern(Frozen):
    """When someone may be sent a prompt, in their own time zone."""

    days: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday is 0
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(17, 0)


class Account(Frozen):
    """One chat account of a participant: its platform ("slack", "teams"), the workspace or tenant it lives in, and
    the user id there. Platform-neutral: the adapters know what the ids mean, handlers only compare them."""

    platform: str
    workspace: str
    user_id: str


class Agency(Frozen):
    code: str
    name: str
    kind: str = ""


class Team(Frozen):
    code: str
    agency: str
    name: str


class Participant(Frozen):
    id: int
    programme_id: int
    email: str
    name: str
    agency: str
    team: str | None = None
    roles: frozenset[Role] = frozenset({Role.PRACTITIONER})
    job_title: str = ""
    manager_email: str | None = None
    timezone: str = "Europe/London"
    region: str = "ENG"
    working_pattern: WorkingPattern = WorkingPattern()
    accounts: tuple[Account, ...] = ()
    away_until: dt.date | None = None
    peers_opt_in: bool = False

    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    def on(self, platform: str) -> tuple[Account, ...]:
        """This person's accounts on one platform, in the order they were stored."""
        return tuple(a for a in self.accounts if a.platform == platform)


class EscalationRoute(Frozen):
    key: str
    label: str
    route: str


class Governance(Frozen):
    confidentiality_statement: str
    escalation_routes: tuple[EscalationRoute, ...] = ()
    safeguarding_contact_email: str | None = None
    safeguarding_contact_role: str = ""
    support_routes: tuple[str, ...] = ()
    never_store: tuple[str, ...] = ()  # words the screen always treats as identifying (a family's surname, a street)
    live_risk_window_hours: int = Field(default=4, ge=1)
    k: int = Field(default=5, ge=3)
    sensitive_k: int = Field(default=10, ge=3)
    theme_min_contributors: int = Field(default=3, ge=3)
    retention_days: int = Field(default=90, ge=1)
    pulse_raw_days: int = Field(default=90, ge=1)  # raw check-in answers are folded into totals after this
    delete_old_flags: bool = False  # retention.quarantined_flag: "delete" rather than keep an audit stub
    drift_days: int = Field(default=28, ge=1)
    partnership_leads: tuple[str, ...] = ()  # leads whose powers cover every agency (programme file: partnership)
    rag_definitions: dict[str, str] = {}  # colour -> meaning, as the programme file gives them (handlers.rag)
    protective_marking: str = "OFFICIAL-SENSITIVE"  # printed on every page of every report document


class Milestone(Frozen):
    key: str
    date: dt.date


class CheckinCycle(Frozen):
    code: str
    date: dt.date
    kind: str
    items: tuple[str, ...]
    prompts_stage: str = ""


class Programme(Frozen):
    id: int
    code: str
    name: str
    partnership: str
    review_title: str
    review_summary: str = ""
    timezone: str = "Europe/London"
    governance: Governance
    milestones: tuple[Milestone, ...] = ()
    checkins: tuple[CheckinCycle, ...] = ()


class Recommendation(Frozen):
    code: str
    theme: str
    text: str
    outcome_sought: str
    impact: int = Field(default=3, ge=1, le=5)
    feasibility: int = Field(default=3, ge=1, le=5)


class Action(Frozen):
    id: int
    programme_id: int
    code: str
    recommendation: str
    title: str
    owner_email: str
    owner_role: str = ""
    agency: str
    partners: tuple[str, ...] = ()
    start: dt.date | None = None
    due: dt.date | None = None
    depends_on: tuple[str, ...] = ()
    resources: str = ""
    success_measure: str = ""
    impact_measure: str = ""
    status: Status = Status.NOT_STARTED
    evidence_of_completion: str = ""
    evidence_of_impact: str = ""
    last_update: dt.datetime | None = None

    def is_overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today and self.status not in FINISHED_STATUSES


class UpdateKind(StrEnum):
    STATUS = "status"
    NOTE = "note"
    EVIDENCE = "evidence"
    IMPACT = "impact"
    DUE = "due"
    OWNER = "owner"
    IMPORT = "import"


class ActionUpdate(Frozen):
    action_code: str
    at: dt.datetime
    actor_email: str
    actor_name: str
    kind: UpdateKind
    old: str = ""
    new: str = ""
    note: str = ""


class AuditEvent(Frozen):
    at: dt.datetime
    actor_email: str
    verb: str
    target: str
    detail: str = ""
