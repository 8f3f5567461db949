"""Row → domain model conversions."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
from storage.models import ActionRow, ParticipantRow, PlatformIdentityRow, ProgrammeRow, RecommendationRow


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes; everything we store is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def to_programme(row: ProgrammeRow) -> Programme:
    milestones = tuple(Milestone(key=k, date=dt.date.fromisoformat(v)) for k, v in row.milestones.items())
    return Programme(
        id=row.id,
        code=row.code,
        name=row.name,
        partnership=row.partnership,
        review_title=row.review_title,
        review_summary=row.review_summary,
        timezone=row.timezone,
        governance=Governance.model_validate(row.governance),
        milestones=milestones,
        checkins=tuple(CheckinCycle.model_validate(c) for c in row.checkins),
    )


def to_participant(row: ParticipantRow, identities: list[PlatformIdentityRow]) -> Participant:
    accounts = tuple(Account(platform=i.platform, workspace=i.workspace, user_id=i.user_id) for i in identities)
    return Participant(
        id=row.id,
        programme_id=row.programme_id,
        email=row.email,
        name=row.name,
        agency=row.agency,
        team=row.team,
        roles=frozenset(Role(r) for r in row.roles),
        job_title=row.job_title,
        manager_email=row.manager_email,
        timezone=row.timezone,
        region=row.region,
        working_pattern=WorkingPattern.model_validate(row.working_pattern),
        accounts=accounts,
        away_until=row.away_until,
        peers_opt_in=row.peers_opt_in,
    )


def to_action(row: ActionRow) -> Action:
    return Action(
        id=row.id,
        programme_id=row.programme_id,
        code=row.code,
        recommendation=row.recommendation,
        title=row.title,
        owner_email=row.owner_email,
        owner_role=row.owner_role,
        agency=row.agency,
        partners=tuple(row.partners),
        start=row.start,
        due=row.due,
        depends_on=tuple(row.depends_on),
        resources=row.resources,
        success_measure=row.success_measure,
        impact_measure=row.impact_measure,
        status=Status(row.status),
        evidence_of_completion=row.evidence_of_completion,
        evidence_of_impact=row.evidence_of_impact,
        last_update=aware(row.last_update),
    )


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


def to_recommendation(r: RecommendationRow) -> Recommendation:
    return Recommendation(
        code=r.code,
        theme=r.theme,
        text=r.text,
        outcome_sought=r.outcome_sought,
        impact=r.impact,
        feasibility=r.feasibility,
    )
