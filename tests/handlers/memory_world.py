"""A programme file loaded into a memory World, as storage/programme_store.py loads it into the database, so handler
tests and the memory contract tests start from the same programme as the storage tests (tests/factories.py)."""

from __future__ import annotations

import itertools

from handlers.model import (
    Account,
    Action,
    Agency,
    CheckinCycle,
    Milestone,
    Participant,
    Programme,
    Recommendation,
    Team,
    WorkingPattern,
)
from handlers.programme_doc import ProgrammeDoc
from storage.programme_store import governance_of  # a pure function: the file's governance as the domain's
from tests.handlers.memory import World

ZONE = "Europe/London"


def load(world: World, doc: ProgrammeDoc, programme_id: int = 1) -> Programme:
    zone = doc.timezone or ZONE
    programme = Programme(
        id=programme_id,
        code=doc.id,
        name=doc.partnership.short_name or doc.partnership.name,
        partnership=doc.partnership.name,
        review_title=doc.review.title,
        review_summary=doc.review.summary,
        timezone=zone,
        governance=governance_of(doc.governance, doc.partnership.partnership_leads, doc.rag_definitions),
        milestones=tuple(Milestone(key=k, date=d) for k, d in doc.review.key_dates.items()),
        checkins=tuple(
            CheckinCycle(code=c.id, date=c.date, kind=c.type, items=tuple(c.pulse_items), prompts_stage=c.prompts_stage)
            for c in doc.checkins
        ),
    )
    world.programmes[programme_id] = programme
    world.documents[programme_id] = doc.model_dump(mode="json", exclude={"participants"})
    world.agencies[programme_id] = [Agency(code=a.id, name=a.name, kind=a.type) for a in doc.agencies]
    world.teams[programme_id] = [Team(code=t.id, agency=t.agency, name=t.name) for t in doc.teams]
    world.recommendations[programme_id] = [
        Recommendation(
            code=r.id,
            theme=r.theme,
            text=r.text,
            outcome_sought=r.outcome_sought,
            impact=r.impact,
            feasibility=r.feasibility,
        )
        for r in doc.recommendations
    ]
    for platform, workspace in doc.workspaces():
        world.workspaces.setdefault(platform, {}).setdefault(programme_id, set()).add(workspace)
    ids = itertools.count(programme_id * 1000 + 1)
    for p in doc.participants:
        world.add_person(
            Participant(
                id=next(ids),
                programme_id=programme_id,
                email=p.email,
                name=p.name,
                agency=p.agency,
                team=p.team,
                roles=frozenset(p.roles),
                job_title=p.job_title,
                manager_email=p.manager.lower() if p.manager else None,
                timezone=p.timezone or zone,
                region=p.region,
                working_pattern=WorkingPattern.model_validate(p.working_pattern.model_dump()),
                accounts=(
                    *(Account(platform="slack", workspace=s.team, user_id=s.user) for s in sorted(p.slack, key=str)),
                    *(Account(platform="teams", workspace=t.tenant, user_id=t.aad) for t in p.teams),
                ),
            )
        )
    for a in doc.actions:
        world.add_action(
            Action(
                id=next(ids),
                programme_id=programme_id,
                code=a.id,
                recommendation=a.rec,
                title=a.title,
                owner_email=a.owner,
                owner_role=a.owner_role,
                agency=a.agency,
                partners=tuple(a.partners),
                start=a.start,
                due=a.due,
                depends_on=tuple(c.upper() for c in a.depends_on),
                resources=a.resources,
                success_measure=a.success_measure,
                impact_measure=a.evidence_of_impact,
                status=a.status,
                evidence_of_completion=a.evidence_of_completion,
                evidence_of_impact=a.impact_evidenced,
            )
        )
    return programme
