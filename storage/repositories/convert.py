"""Row → domain model conversions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, FromClause, Table

from handlers.model import (
    Account,
    Action,
    CheckinCycle,
    Governance,
    Milestone,
    Participant,
    Programme,
    Recommendation,
    Role,
    Status,
    WorkingPattern,
)
from storage.models import ActionRow, Base, ParticipantRow, PlatformIdentityRow, ProgrammeRow, RecommendationRow


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes; everything we store is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


PROGRAMME_FIELDS = ("id", "code", "name", "partnership", "review_title", "review_summary", "timezone", "governance",
                    "milestones", "checkins")  # fmt: skip
PARTICIPANT_FIELDS = ("id", "programme_id", "email", "name", "agency", "team", "roles", "job_title", "manager_email",
                      "timezone", "region", "working_pattern", "away_until", "peers_opt_in")  # fmt: skip
ACTION_FIELDS = ("id", "programme_id", "code", "recommendation", "title", "owner_email", "owner_role", "agency",
                 "partners", "start", "due", "depends_on", "resources", "success_measure", "impact_measure", "status",
                 "evidence_of_completion", "evidence_of_impact", "last_update")  # fmt: skip
RECOMMENDATION_FIELDS = ("code", "theme", "text", "outcome_sought", "impact", "feasibility")
"""The columns each model is built from, in order: a query selects ``columns(table, FIELDS)`` and hands the values
to ``programme_of``, ``participant_of``, ``action_of`` or ``recommendation_of`` (plain rows, no ORM objects)."""


def table(row: type[Base]) -> Table:
    """A row class's table, for plain (Core) statements."""
    return cast(Table, row.__table__)


def columns(table: FromClause, fields: Sequence[str]) -> tuple[ColumnElement[Any], ...]:
    return tuple(table.c[name] for name in fields)


def values_of(row: object, fields: Sequence[str]) -> tuple[Any, ...]:
    return tuple(getattr(row, name) for name in fields)


def programme_of(values: Sequence[Any]) -> Programme:
    pid, code, name, partnership, review_title, review_summary, zone, governance, milestones, checkins = values
    return Programme(
        id=pid,
        code=code,
        name=name,
        partnership=partnership,
        review_title=review_title,
        review_summary=review_summary,
        timezone=zone,
        governance=Governance.model_validate(governance),
        milestones=tuple(Milestone(key=k, date=dt.date.fromisoformat(v)) for k, v in milestones.items()),
        checkins=tuple(CheckinCycle.model_validate(c) for c in checkins),
    )


def to_programme(row: ProgrammeRow) -> Programme:
    return programme_of(values_of(row, PROGRAMME_FIELDS))


def account_of(platform: str, workspace: str, user_id: str) -> Account:
    return Account(platform=platform, workspace=workspace, user_id=user_id)


def participant_of(values: Sequence[Any], accounts: Sequence[Account]) -> Participant:
    pid, programme_id, email, name, agency, team, roles, title, manager, zone, region, pattern, away, peers = values
    return Participant(
        id=pid,
        programme_id=programme_id,
        email=email,
        name=name,
        agency=agency,
        team=team,
        roles=frozenset(Role(r) for r in roles),
        job_title=title,
        manager_email=manager,
        timezone=zone,
        region=region,
        working_pattern=WorkingPattern.model_validate(pattern),
        accounts=tuple(accounts),
        away_until=away,
        peers_opt_in=peers,
    )


def to_participant(row: ParticipantRow, identities: list[PlatformIdentityRow]) -> Participant:
    accounts = [account_of(i.platform, i.workspace, i.user_id) for i in identities]
    return participant_of(values_of(row, PARTICIPANT_FIELDS), accounts)


def action_of(values: Sequence[Any]) -> Action:
    (aid, programme_id, code, recommendation, title, owner_email, owner_role, agency, partners, start, due, depends_on,
     resources, success, impact, status, completion, impact_evidence, last_update) = values  # fmt: skip
    return Action(
        id=aid,
        programme_id=programme_id,
        code=code,
        recommendation=recommendation,
        title=title,
        owner_email=owner_email,
        owner_role=owner_role,
        agency=agency,
        partners=tuple(partners),
        start=start,
        due=due,
        depends_on=tuple(depends_on),
        resources=resources,
        success_measure=success,
        impact_measure=impact,
        status=Status(status),
        evidence_of_completion=completion,
        evidence_of_impact=impact_evidence,
        last_update=aware(last_update),
    )


def to_action(row: ActionRow) -> Action:
    return action_of(values_of(row, ACTION_FIELDS))


ACTION_VALUES = ("recommendation", "title", "owner_email", "owner_role", "agency", "partners", "start", "due",
                 "depends_on", "resources", "success_measure", "impact_measure", "status", "evidence_of_completion",
                 "evidence_of_impact", "last_update")  # fmt: skip
"""The columns of an ActionRow that a domain Action sets (``action_values``)."""


def action_values(action: Action) -> dict[str, Any]:
    """The columns of an ActionRow that a domain Action sets."""
    return {
        "recommendation": action.recommendation,
        "title": action.title,
        "owner_email": action.owner_email.lower(),
        "owner_role": action.owner_role,
        "agency": action.agency,
        "partners": list(action.partners),
        "start": action.start,
        "due": action.due,
        "depends_on": list(action.depends_on),
        "resources": action.resources,
        "success_measure": action.success_measure,
        "impact_measure": action.impact_measure,
        "status": action.status.value,
        "evidence_of_completion": action.evidence_of_completion,
        "evidence_of_impact": action.evidence_of_impact,
        "last_update": action.last_update,
    }


def recommendation_of(values: Sequence[Any]) -> Recommendation:
    code, theme, text, outcome_sought, impact, feasibility = values
    return Recommendation(
        code=code, theme=theme, text=text, outcome_sought=outcome_sought, impact=impact, feasibility=feasibility
    )


def to_recommendation(r: RecommendationRow) -> Recommendation:
    return recommendation_of(values_of(r, RECOMMENDATION_FIELDS))
