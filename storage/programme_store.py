"""Store a validated programme file in one transaction: insert or update in place, never duplicate.

Rows that are in the database but no longer in the file are kept (history matters) and counted in the summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from handlers.model import EscalationRoute, Governance
from handlers.programme_doc import ActionDoc, GovernanceDoc, ParticipantDoc, ProgrammeDoc
from storage.action_import import PlanResult, Resolution, baseline_of, describe, document_action, import_actions
from storage.models import (
    ActionDependencyRow,
    ActionRow,
    AgencyRow,
    AuditEventRow,
    ParticipantRow,
    PlatformIdentityRow,
    ProgrammeRow,
    ProgrammeWorkspaceRow,
    RecommendationRow,
    TeamRow,
)

ROUTE_LABELS = {
    "immediate_danger": "If a child is in immediate danger",
    "child_concern": "A worry about a child",
    "concern_about_staff": "A concern about a member of staff",
    "professional_disagreement": "A professional disagreement",
}
IMPORTER = "import@aftercare"  # the same actor as storage.action_import's


@dataclass
class ImportSummary:
    programme_code: str = ""
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    plan: PlanResult | None = None  # what the action plan import did, field by field

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
        return out + (describe(self.plan) if self.plan else [])


def governance_of(
    doc: GovernanceDoc, partnership_leads: list[str] | None = None, rag_definitions: dict[str, str] | None = None
) -> Governance:
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
        retention_days=doc.retention.raw_reflection_days,
        pulse_raw_days=doc.retention.pulse_raw_days,
        delete_old_flags=doc.retention.quarantined_flag == "delete",
        drift_days=doc.drift_days,
        partnership_leads=tuple(email.lower() for email in partnership_leads or ()),
        rag_definitions={colour.lower(): text for colour, text in (rag_definitions or {}).items()},
        protective_marking=doc.protective_marking,
    )


async def store_programme(
    session: AsyncSession, doc: ProgrammeDoc, now: dt.datetime, default_tz: str, resolution: Resolution | None = None
) -> ImportSummary:
    summary = ImportSummary(programme_code=doc.id)
    query = select(ProgrammeRow.document).where(ProgrammeRow.code == doc.id)
    baseline = baseline_of((await session.execute(query)).scalar_one_or_none())
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
    await store_actions(session, pid, doc.actions, now, summary, baseline, resolution)
    await _store_workspaces(session, pid, doc)
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
        "governance": governance_of(doc.governance, doc.partnership.partnership_leads, doc.rag_definitions).model_dump(
            mode="json"
        ),
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
    query = select(ProgrammeRow).options(undefer(ProgrammeRow.document)).where(ProgrammeRow.code == doc.id)
    row = (await session.execute(query)).scalar_one_or_none()
    old = (row.document or {}) if row is not None else {}
    if old.get("schedules_changed_in_chat") and not doc.schedules:  # keep pauses and moves made in chat
        values["document"] |= {"schedules": old.get("schedules", []), "schedules_changed_in_chat": True}
    if row is None:
        row = ProgrammeRow(code=doc.id, **values)
        session.add(row)
        await session.flush()
        summary.count(summary.created, "programme")
    else:
        refuse_lower_k(row.governance or {}, values["governance"])
        for key, value in values.items():
            setattr(row, key, value)
        summary.count(summary.updated, "programme")
    return row


class LowerThreshold(ValueError):
    """A new programme file would lower a minimum group size; nothing is imported."""


def refuse_lower_k(before: dict[str, Any], after: dict[str, Any]) -> None:
    """k (and the larger k for sensitive questions) can only be raised: figures already published were checked
    against the old k, and a smaller one would let later reports describe smaller groups (docs/anonymity.md)."""
    for key, name in (("k", "min_group_size"), ("sensitive_k", "sensitive_item_min_group_size")):
        old, new = int(before.get(key, 0) or 0), int(after.get(key, 0) or 0)
        if new < old:
            raise LowerThreshold(
                f"governance.{name} can only be raised: it is {old} now and the file says {new}, "
                "so nothing was imported."
            )


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


async def _store_workspaces(session: AsyncSession, pid: int, doc: ProgrammeDoc) -> None:
    """The workspaces and tenants the programme reaches, exactly as the file now says."""
    await session.execute(delete(ProgrammeWorkspaceRow).where(ProgrammeWorkspaceRow.programme_id == pid))
    rows = [{"programme_id": pid, "platform": p, "workspace": w} for p, w in sorted(doc.workspaces())]
    if rows:
        await session.execute(insert(ProgrammeWorkspaceRow), rows)


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


async def store_actions(
    session: AsyncSession,
    pid: int,
    actions: list[ActionDoc],
    now: dt.datetime,
    summary: ImportSummary,
    baseline: dict[str, dict[str, Any]] | None = None,
    resolution: Resolution | None = None,
) -> PlanResult:
    """Apply the actions without losing chat updates (storage/action_import.py); keep the new baseline."""
    programme = (
        await session.execute(
            select(ProgrammeRow).options(undefer(ProgrammeRow.document)).where(ProgrammeRow.id == pid)
        )
    ).scalar_one()
    if baseline is None:
        baseline = baseline_of(programme.document)
    result, kept = await import_actions(session, pid, actions, baseline, now, resolution or Resolution())
    programme.document = {**(programme.document or {}), "actions": [document_action(c, v) for c, v in kept.items()]}
    existing = await session.execute(select(func.count()).select_from(ActionRow).where(ActionRow.programme_id == pid))
    summary.plan = result
    summary.created["actions"] = len(result.created)
    summary.updated["actions"] = len({change.code for change in result.changes})
    summary.unchanged["actions"] = result.unchanged
    summary.keep("actions", existing.scalar_one() - len({a.id.upper() for a in actions}))
    await _sync_dependencies(session, pid)
    return result


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
