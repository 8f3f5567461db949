"""`aftercare programme import|show`: read files, validate everything, store in one transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from bot.importing import ImportProblems
from bot.importing.action_plan import read_action_plan
from bot.importing.yaml_reader import read_programme
from bot.plan_export import plan_rows, write_plan
from bot.runtime import Runtime
from handlers.ports import ActionFilter
from handlers.programme_doc import ProgrammeDoc
from storage.action_import import Resolution
from storage.models import ParticipantRow, ProgrammeRow
from storage.programme_store import ImportSummary, store_actions, store_programme


class NoProgramme(LookupError):
    pass


async def import_files(
    runtime: Runtime,
    path: Path | None,
    actions_path: Path | None,
    programme_code: str | None,
    default_tz: str,
    resolution: Resolution | None = None,
    preview: bool = False,
) -> ImportSummary:
    """Validate every file first; only then write, all in one transaction. Raises ImportProblems.

    With ``preview``, everything is worked out exactly as an import would (changes, conflicts, warnings) and then
    rolled back, so nothing is written.
    """
    doc = read_programme(path).programme if path is not None else None
    async with runtime.sessions() as session:
        transaction = await session.begin()
        try:
            summary = await store_files(
                session, doc, actions_path, programme_code, default_tz, resolution, runtime.clock.now()
            )
        except BaseException:
            await transaction.rollback()
            raise
        if preview:
            await transaction.rollback()
        else:
            await transaction.commit()
        return summary


async def store_files(
    session: AsyncSession,
    doc: ProgrammeDoc | None,
    actions_path: Path | None,
    programme_code: str | None,
    default_tz: str,
    resolution: Resolution | None,
    now: dt.datetime,
) -> ImportSummary:
    """Store a read programme file and/or read and store an action plan, in the caller's transaction."""
    from_file = doc is not None
    if doc is None:
        doc = await stored_document(session, programme_code)
    actions = read_action_plan(actions_path, doc) if actions_path is not None else None
    summary = ImportSummary(programme_code=doc.id)
    if from_file:
        summary = await store_programme(session, doc, now, default_tz, resolution)
    if actions is not None:
        row = (await session.execute(select(ProgrammeRow).where(ProgrammeRow.code == doc.id))).scalar_one()
        await store_actions(session, row.id, actions, now, summary, resolution=resolution)
    return summary


async def stored_document(session: AsyncSession, programme_code: str | None) -> ProgrammeDoc:
    query = select(ProgrammeRow).options(undefer(ProgrammeRow.document))
    if programme_code is not None:
        query = query.where(ProgrammeRow.code == programme_code)
    rows = list((await session.execute(query)).scalars())
    if not rows:
        raise NoProgramme("No programme is loaded yet; import a programme file first.")
    if len(rows) > 1:
        raise NoProgramme("Several programmes are loaded; choose one with --programme CODE.")
    people = await session.execute(
        select(ParticipantRow.email, ParticipantRow.name, ParticipantRow.agency).where(
            ParticipantRow.programme_id == rows[0].id
        )
    )
    roster = [{"email": email, "name": name, "agency": agency} for email, name, agency in people.all()]
    return ProgrammeDoc.model_validate({**rows[0].document, "participants": roster})


async def plan_rows_of(runtime: Runtime, programme_code: str | None) -> list[list[Any]]:
    """The current action plan, row by row, in the columns the import reads."""
    async with runtime.unit() as deps:
        programmes = await deps.programmes.all()
        if programme_code is not None:
            programmes = [p for p in programmes if p.code == programme_code]
        if not programmes:
            raise NoProgramme("No programme is loaded yet; import a programme file first.")
        if len(programmes) > 1:
            raise NoProgramme("Several programmes are loaded; choose one with --programme CODE.")
        programme = programmes[0]
        actions = await deps.actions.find(programme.id, ActionFilter())
    return plan_rows(actions, runtime.clock.now().date(), programme.governance.rag_definitions or None)


async def export_plan(runtime: Runtime, out: Path, programme_code: str | None) -> int:
    rows = await plan_rows_of(runtime, programme_code)
    write_plan(out, rows)
    return len(rows)


async def show(runtime: Runtime) -> str:
    lines: list[str] = []
    async with runtime.unit() as deps:
        programmes = await deps.programmes.all()
        if not programmes:
            return "No programme is loaded yet. Try: aftercare programme import examples/programme.yaml"
        for programme in programmes:
            people = await deps.participants.in_programme(programme.id)
            actions = await deps.actions.find(programme.id, ActionFilter())
            recs = await deps.programmes.recommendations(programme.id)
            agencies = await deps.programmes.agencies(programme.id)
            teams = await deps.programmes.teams(programme.id)
            by_status: dict[str, int] = {}
            for action in actions:
                by_status[action.status.value] = by_status.get(action.status.value, 0) + 1
            lines += [
                f"{programme.review_title} ({programme.code})",
                f"  Partnership: {programme.partnership}",
                f"  {len(agencies)} agencies, {len(teams)} teams, {len(people)} participants",
                f"  {len(recs)} recommendations, {len(actions)} actions: "
                + ", ".join(f"{n} {s}" for s, n in sorted(by_status.items())),
                f"  Slack users: {sum(1 for p in people if p.on('slack'))}, "
                f"Teams users: {sum(1 for p in people if p.on('teams'))}",
                f"  Anonymity threshold k = {programme.governance.k}; time zone {programme.timezone}",
            ]
    return "\n".join(lines)


__all__ = ["ImportProblems", "NoProgramme", "export_plan", "import_files", "plan_rows_of", "show"]
