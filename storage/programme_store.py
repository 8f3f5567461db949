"""Store a validated programme file in one transaction: insert or update in place, never duplicate.

Rows that are in the database but no longer in the file are kept (history matters) and counted in the summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.model import EscalationRoute, Governance
from handlers.programme_doc import ActionDoc, GovernanceDoc, ParticipantDoc, ProgrammeDoc
from storage.models import (
    ActionDependencyRow,
    ActionRow,
    ActionUpdateRow,
    AgencyRow,
    AuditEventRow,
    ParticipantRow,
    PlatformIdentityRow,
    ProgrammeRow,
    RecommendationRow,
    TeamRow,
)

ROUTE_LABELS = {
    "immediate_danger": "If a child is in immediate danger",
    "child_concern": "A worry about a child",
    "concern_about_staff": "A concern about a member of staff",
    "professional_disagreement": "A professional disagreement",
}
IMPORTER = "import@aftercare"


@dataclass
class ImportSummary:
    programme_code: str = ""
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], kind: str) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1

    def keep(self, kind: str, number: int) -> None:
        if number:
            self.kept[kind] = number

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.kept) | set(self.unchanged))
        out = []
        for kind in kinds:
            text = f"{kind}: {self.created.get(kind, 0)} added, {self.updated.get(kind, 0)} updated"
            if self.unchanged.get(kind):
                text += f", {self.unchanged[kind]} unchanged"
            if self.kept.get(kind):
                text += f", {self.kept[kind]} not in the file (kept)"
            out.append(text)
        return out


def governance_of(doc: GovernanceDoc) -> Governance:
    routes = tuple(
        EscalationRoute(key=key, label=ROUTE_LABELS.get(key, key.replace("_", " ").capitalize()), route=route)
        for key, route in doc.escalation_routes.items()
    )
    return Governance(
        confidentiality_statement=doc.confidentiality_statement,
        escalation_routes=routes,
        safeguarding_contact_email=doc.designated_safeguarding_contact,
        safeguarding_contact_role=doc.designated_safeguarding_contact_role,
        support_routes=tuple(doc.support_routes),
        never_store=tuple(doc.never_store),
        live_risk_window_hours=doc.live_risk_no_response_window_hours,
        k=doc.min_group_size,
        sensitive_k=max(doc.sensitive_item_min_group_size, doc.min_group_size),
        theme_min_contributors=doc.theme_min_distinct_authors,
        retention_days=int(doc.retention.get("raw_reflection_days", 90)),
        drift_days=doc.drift_days,
        protective_marking=doc.protective_marking,
    )


async def store_programme(session: AsyncSession, doc: ProgrammeDoc, now: dt.datetime, default_tz: str) -> ImportSummary:
    summary = ImportSummary(programme_code=doc.id)
    programme = await _upsert_programme(session, doc, now, default_tz, summary)
    pid = programme.id
    await _upsert_simple(
        session, AgencyRow, pid, {a.id: {"name": a.name, "kind": a.type} for a in doc.agencies}, summary
    )
    teams = {t.id: {"name": t.name, "agency": t.agency} for t in doc.teams}
    await _upsert_simple(session, TeamRow, pid, teams, summary)
    recs = {
        r.id: {
            "theme": r.theme,
            "text": r.text,
            "outcome_sought": r.outcome_sought,
            "impact": r.impact,
            "feasibility": r.feasibility,
        }
        for r in doc.recommendations
    }
    await _upsert_simple(session, RecommendationRow, pid, recs, summary)
    tz = doc.timezone or default_tz
    for person in doc.participants:
        await _upsert_participant(session, pid, person, tz, summary)
    await store_actions(session, pid, doc.actions, now, summary)
    session.add(
        AuditEventRow(programme_id=pid, at=now, actor_email=IMPORTER, verb="programme.import", target=doc.id, detail="")
    )
    return summary


async def _upsert_programme(
    session: AsyncSession, doc: ProgrammeDoc, now: dt.datetime, default_tz: str, summary: ImportSummary
) -> ProgrammeRow:
    values: dict[str, Any] = {
        "name": doc.partnership.short_name or doc.partnership.name,
        "partnership": doc.partnership.name,
        "review_title": doc.review.title,
        "review_summary": doc.review.summary,
        "timezone": doc.timezone or default_tz,
        "governance": governance_of(doc.governance).model_dump(mode="json"),
        "milestones": {key: day.isoformat() for key, day in doc.review.key_dates.items()},
        "checkins": [
            {
                "code": c.id,
                "date": c.date.isoformat(),
                "kind": c.type,
                "items": c.pulse_items,
                "prompts_stage": c.prompts_stage,
            }
            for c in doc.checkins
        ],
        # The file as imported, without the roster: people live only in the participants table, so erasure is whole.
        "document": doc.model_dump(mode="json", exclude={"participants"}),
        "updated_at": now,
    }
    row = (await session.execute(select(ProgrammeRow).where(ProgrammeRow.code == doc.id))).scalar_one_or_none()
    if row is None:
        row = ProgrammeRow(code=doc.id, **values)
        session.add(row)
        await session.flush()
        summary.count(summary.created, "programme")
    else:
        for key, value in values.items():
            setattr(row, key, value)
        summary.count(summary.updated, "programme")
    return row


async def _upsert_simple(
    session: AsyncSession, model: type[Any], pid: int, wanted: dict[str, dict[str, Any]], summary: ImportSummary
) -> None:
    kind = model.__tablename__
    existing = {
        row.code: row for row in (await session.execute(select(model).where(model.programme_id == pid))).scalars()
    }
    for code, values in wanted.items():
        row = existing.get(code)
        if row is None:
            session.add(model(programme_id=pid, code=code, **values))
            summary.count(summary.created, kind)
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            summary.count(summary.updated, kind)
    summary.keep(kind, len(existing.keys() - wanted.keys()))


async def _upsert_participant(
    session: AsyncSession, pid: int, person: ParticipantDoc, default_tz: str, summary: ImportSummary
) -> None:
    values: dict[str, Any] = {
        "name": person.name,
        "agency": person.agency,
        "team": person.team,
        "roles": sorted(role.value for role in person.roles),
        "job_title": person.job_title,
        "manager_email": person.manager.lower() if person.manager else None,
        "timezone": person.timezone or default_tz,
        "region": person.region,
        "working_pattern": person.working_pattern.model_dump(mode="json"),
    }
    email = person.email.lower()
    query = select(ParticipantRow).where(ParticipantRow.programme_id == pid, ParticipantRow.email == email)
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        row = ParticipantRow(programme_id=pid, email=email, **values)
        session.add(row)
        await session.flush()
        summary.count(summary.created, "participants")
    else:
        for key, value in values.items():
            setattr(row, key, value)
        summary.count(summary.updated, "participants")
    await _sync_identities(session, row.id, person)


async def _sync_identities(session: AsyncSession, participant_id: int, person: ParticipantDoc) -> None:
    """Keep identities that are still listed, add new ones, remove the rest."""
    wanted = {("slack", s.team, s.user) for s in person.slack} | {("teams", t.tenant, t.aad) for t in person.teams}
    query = select(PlatformIdentityRow).where(PlatformIdentityRow.participant_id == participant_id)
    for existing in (await session.execute(query)).scalars():
        key = (existing.platform, existing.workspace, existing.user_id)
        if key in wanted:
            wanted.discard(key)
        else:
            await session.delete(existing)
    for platform, workspace, user_id in sorted(wanted):
        session.add(
            PlatformIdentityRow(participant_id=participant_id, platform=platform, workspace=workspace, user_id=user_id)
        )


def _action_values(action: ActionDoc) -> dict[str, Any]:
    return {
        "recommendation": action.rec,
        "title": action.title,
        "owner_email": action.owner.lower(),
        "owner_role": action.owner_role,
        "agency": action.agency,
        "partners": list(action.partners),
        "start": action.start,
        "due": action.due,
        "depends_on": [code.upper() for code in action.depends_on],
        "resources": action.resources,
        "success_measure": action.success_measure,
        "impact_measure": action.evidence_of_impact,
        "status": action.status.value,
    }


async def store_actions(
    session: AsyncSession, pid: int, actions: list[ActionDoc], now: dt.datetime, summary: ImportSummary
) -> None:
    existing = {
        row.code: row
        for row in (await session.execute(select(ActionRow).where(ActionRow.programme_id == pid))).scalars()
    }
    for action in actions:
        code = action.id.upper()
        values = _action_values(action)
        row = existing.get(code)
        if row is None:
            last = dt.datetime.combine(action.last_update, dt.time(12), tzinfo=dt.UTC) if action.last_update else None
            session.add(ActionRow(programme_id=pid, code=code, last_update=last, **values))
            summary.count(summary.created, "actions")
            continue
        changed = [key for key, value in values.items() if getattr(row, key) != value]
        if not changed:
            summary.count(summary.unchanged, "actions")
            continue
        old_status = row.status
        for key in changed:
            setattr(row, key, values[key])
        row.last_update = now
        note = "changed in the action plan: " + ", ".join(changed)
        session.add(
            ActionUpdateRow(
                action_id=row.id,
                at=now,
                actor_email=IMPORTER,
                actor_name="Action plan import",
                kind="import",
                old=old_status if "status" in changed else "",
                new=row.status if "status" in changed else "",
                note=note,
            )
        )
        summary.count(summary.updated, "actions")
    summary.keep("actions", len(existing.keys() - {a.id.upper() for a in actions}))
    await _sync_dependencies(session, pid)


async def _sync_dependencies(session: AsyncSession, pid: int) -> None:
    """Rebuild the programme's dependency edges from the actions' depends_on lists."""
    await session.flush()
    await session.execute(delete(ActionDependencyRow).where(ActionDependencyRow.programme_id == pid))
    rows = (
        await session.execute(select(ActionRow.id, ActionRow.depends_on).where(ActionRow.programme_id == pid))
    ).all()
    edges = [{"action_id": i, "needs": code, "programme_id": pid} for i, needs in rows for code in set(needs)]
    if edges:
        await session.execute(insert(ActionDependencyRow), edges)
