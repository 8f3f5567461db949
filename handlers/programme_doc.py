"""The shape of a programme file (``examples/programme.yaml``), validated before anything is stored.

Readers in ``bot/importing`` turn YAML, CSV or XLSX into these models and report every problem with its place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from handlers.model import Role, Status
from handlers.vocabulary import parse_status


class Doc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PartnershipDoc(Doc):
    name: str
    short_name: str = ""
    lead_safeguarding_partners: list[dict[str, Any]] = []
    delegated_safeguarding_partners: list[dict[str, Any]] = []
    independent_scrutineer_role: str = ""
    subgroups: list[dict[str, Any]] = []
    # Leads whose powers cover the whole programme, not only their own agency (each a participant with the lead role).
    partnership_leads: list[str] = []


class ReviewDoc(Doc):
    title: str
    subject: str = ""
    summary: str = ""
    methodology: str = ""
    key_dates: dict[str, dt.date] = {}


class AgencyDoc(Doc):
    id: str = Field(min_length=1)
    name: str
    type: str = ""


class TeamDoc(Doc):
    id: str = Field(min_length=1)
    agency: str
    name: str


class WorkingPatternDoc(Doc):
    days: list[int] = [0, 1, 2, 3, 4]
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(17, 0)

    @field_validator("days")
    @classmethod
    def _days_in_week(cls, days: list[int]) -> list[int]:
        if not days or any(day < 0 or day > 6 for day in days):
            raise ValueError("days must be numbers from 0 (Monday) to 6 (Sunday)")
        return days


class WorkspaceAccountDoc(Doc):
    """An account under ``slack:`` in the programme file: the workspace id and the user id in it."""

    team: str = Field(pattern=r"^[TE][A-Z0-9]{2,}$")
    user: str = Field(pattern=r"^[UW][A-Z0-9]{2,}$")


class TenantAccountDoc(Doc):
    """An account under ``teams:`` in the programme file: the tenant id and the user's object id in it."""

    tenant: str = Field(min_length=1)
    aad: str = Field(min_length=1)


class ParticipantDoc(Doc):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    name: str = Field(min_length=1)
    agency: str
    team: str | None = None
    roles: list[Role] = [Role.PRACTITIONER]
    job_title: str = ""
    manager: str | None = None
    timezone: str = ""
    region: str = "ENG"
    working_pattern: WorkingPatternDoc = WorkingPatternDoc()
    slack: list[WorkspaceAccountDoc] = []
    teams: list[TenantAccountDoc] = []


class EscalationRouteDoc(Doc):
    key: str
    label: str
    route: str


class RetentionDoc(Doc):
    """How long raw data is kept (docs/anonymity.md). An unknown field is an import error, so a typo cannot
    silently keep data for longer than intended."""

    raw_reflection_days: int = Field(default=90, ge=1)
    pulse_raw_days: int = Field(default=90, ge=1)
    quarantined_flag: Literal["audit stub only (time, route, outcome)", "delete"] = (
        "audit stub only (time, route, outcome)"
    )


class GovernanceDoc(Doc):
    confidentiality_statement: str = Field(min_length=1)
    min_group_size: int = Field(default=5, ge=3)
    sensitive_item_min_group_size: int = Field(default=10, ge=3)
    theme_min_distinct_authors: int = Field(default=3, ge=3)
    designated_safeguarding_contact_role: str = ""
    designated_safeguarding_contact: str | None = None
    deputy_safeguarding_contact_role: str = ""
    escalation_routes: dict[str, str] = {}
    support_routes: list[str] = []
    never_store: list[str] = []
    live_risk_no_response_window_hours: int = Field(default=4, ge=1)
    retention: RetentionDoc = RetentionDoc()
    assurance_reporting: dict[str, Any] = {}
    drift_days: int = Field(default=28, ge=1)
    # The marking printed in the header and footer of every report document (the UK Government Security
    # Classifications: a review's action plan and themes are usually OFFICIAL-SENSITIVE).
    protective_marking: str = Field(default="OFFICIAL-SENSITIVE", min_length=1, max_length=60, pattern=r"^[^\n\r]+$")


class RecommendationDoc(Doc):
    id: str = Field(min_length=1)
    theme: str
    text: str
    outcome_sought: str = Field(min_length=1)
    impact: int = Field(default=3, ge=1, le=5)
    feasibility: int = Field(default=3, ge=1, le=5)


class ActionDoc(Doc):
    id: str = Field(pattern=r"^[A-Za-z]+[0-9]+[A-Za-z]?$")
    rec: str
    title: str = Field(min_length=1)
    owner: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    owner_role: str = ""
    agency: str
    partners: list[str] = []
    start: dt.date | None = None
    due: dt.date | None = None
    depends_on: list[str] = []
    resources: str = ""
    success_measure: str = ""
    evidence_of_impact: str = ""  # how impact will be shown (the impact measure), as the example file uses it
    status: Status = Status.NOT_STARTED
    evidence_of_completion: str = ""  # recorded evidence that the action was done
    impact_evidenced: str = ""  # recorded evidence of impact; 'closed' needs it
    rag: str = ""
    last_update: dt.date | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _status_word(cls, value: object) -> object:
        if isinstance(value, str):
            status = parse_status(value)
            if status is None:
                raise ValueError(f"'{value}' is not a status; use one of " + ", ".join(s.value for s in Status))
            return status
        return value


class CheckinDoc(Doc):
    id: str
    date: dt.date
    type: str
    pulse_items: list[str]
    prompts_stage: str = ""


class ProgrammeDoc(Doc):
    id: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_-]+$")  # it becomes part of file paths
    timezone: str = ""
    partnership: PartnershipDoc
    review: ReviewDoc
    agencies: list[AgencyDoc]
    teams: list[TeamDoc] = []
    participants: list[ParticipantDoc] = []
    governance: GovernanceDoc
    recommendations: list[RecommendationDoc] = []
    rag_definitions: dict[str, str] = {}
    actions: list[ActionDoc] = []
    checkins: list[CheckinDoc] = []
    schedules: list[dict[str, Any]] = []
    forums: list[dict[str, Any]] = []
    # Where the programme lives: a Slack or Teams account is matched by email only within programmes that list its
    # workspace or tenant here, or name it on a participant's account below (docs/design.md, "One front door").
    slack_workspaces: list[str] = []
    teams_tenants: list[str] = []

    def workspaces(self) -> set[tuple[str, str]]:
        """(platform, workspace or tenant) pairs this programme reaches."""
        found = {("slack", w) for w in self.slack_workspaces} | {("teams", t) for t in self.teams_tenants}
        for person in self.participants:
            found |= {("slack", s.team) for s in person.slack} | {("teams", t.tenant) for t in person.teams}
        return found


class ProgrammeFile(Doc):
    programme: ProgrammeDoc


class Problem(Doc):
    """One thing wrong with an input file, with where it is."""

    where: str  # e.g. "line 42" or "row 7"
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}"


def check_references(doc: ProgrammeDoc) -> list[tuple[tuple[str | int, ...], str]]:
    """Cross-reference checks pydantic cannot do. Returns (path, message) pairs; paths are as in the file."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    agencies = {agency.id for agency in doc.agencies}
    teams = {team.id: team.agency for team in doc.teams}
    emails = {p.email.lower() for p in doc.participants}
    recs = {rec.id for rec in doc.recommendations}
    codes = {action.id.upper() for action in doc.actions}
    found += _duplicates("agencies", [a.id for a in doc.agencies])
    found += _duplicates("teams", [t.id for t in doc.teams])
    found += _duplicates("participants", [p.email.lower() for p in doc.participants], "email")
    found += _duplicates("recommendations", [r.id for r in doc.recommendations])
    found += _duplicates("actions", [a.id.upper() for a in doc.actions])
    for i, team in enumerate(doc.teams):
        if team.agency not in agencies:
            found.append((("teams", i, "agency"), f"there is no agency '{team.agency}'"))
    for i, person in enumerate(doc.participants):
        if person.agency not in agencies:
            found.append((("participants", i, "agency"), f"there is no agency '{person.agency}'"))
        if person.team is not None and person.team not in teams:
            found.append((("participants", i, "team"), f"there is no team '{person.team}'"))
        elif person.team is not None and teams[person.team] != person.agency:
            found.append((("participants", i, "team"), f"team '{person.team}' belongs to {teams[person.team]}"))
        if person.manager is not None and person.manager.lower() not in emails:
            found.append((("participants", i, "manager"), f"no participant has the email '{person.manager}'"))
    roles = {p.email.lower(): p.roles for p in doc.participants}
    for i, email in enumerate(doc.partnership.partnership_leads):
        if email.lower() not in roles:
            found.append((("partnership", "partnership_leads", i), f"no participant has the email '{email}'"))
        elif Role.LEAD not in roles[email.lower()]:
            found.append((("partnership", "partnership_leads", i), f"'{email}' does not have the lead role"))
    for colour in doc.rag_definitions:
        if colour.lower() not in ("grey", "green", "amber", "red", "blue"):
            found.append((("rag_definitions", colour), "a RAG colour is one of grey, green, amber, red or blue"))
    for i, action in enumerate(doc.actions):
        found += action_reference_problems(("actions", i), action, agencies, emails, recs, codes)
    contact = doc.governance.designated_safeguarding_contact
    if contact is not None and contact.lower() not in emails:
        found.append((("governance", "designated_safeguarding_contact"), f"no participant has the email '{contact}'"))
    return found


def action_reference_problems(
    path: tuple[str | int, ...],
    action: ActionDoc,
    agencies: set[str],
    emails: set[str],
    recs: set[str],
    codes: set[str],
) -> list[tuple[tuple[str | int, ...], str]]:
    found: list[tuple[tuple[str | int, ...], str]] = []
    if action.rec not in recs:
        found.append(((*path, "rec"), f"there is no recommendation '{action.rec}'"))
    if action.owner.lower() not in emails:
        found.append(((*path, "owner"), f"no participant has the email '{action.owner}'"))
    if action.agency not in agencies:
        found.append(((*path, "agency"), f"there is no agency '{action.agency}'"))
    for j, partner in enumerate(action.partners):
        if partner not in agencies:
            found.append(((*path, "partners", j), f"there is no agency '{partner}'"))
    for j, code in enumerate(action.depends_on):
        if code.upper() not in codes:
            found.append(((*path, "depends_on", j), f"there is no action '{code}'"))
        elif code.upper() == action.id.upper():
            found.append(((*path, "depends_on", j), "an action cannot depend on itself"))
    if action.start and action.due and action.due < action.start:
        found.append(((*path, "due"), "the due date is before the start date"))
    return found


def _duplicates(section: str, keys: list[str], field: str = "id") -> list[tuple[tuple[str | int, ...], str]]:
    seen: set[str] = set()
    found: list[tuple[tuple[str | int, ...], str]] = []
    for i, key in enumerate(keys):
        if key in seen:
            found.append(((section, i, field), f"'{key}' appears more than once"))
        seen.add(key)
    return found
