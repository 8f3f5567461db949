"""A facilitator sends the programme file or the action-plan spreadsheet to the bot in a direct message.

The file is checked and previewed exactly as `aftercare programme import --preview` would (changes, conflicts with
chat updates, warnings) and kept until a facilitator presses Apply (or Cancel); nothing changes before that. Apply
imports it then, all-or-nothing, settling conflicts as the button says. The file's bytes are cleared once it has been
applied or cancelled. Platform-neutral: Slack and Teams hand over the file's name and bytes and render the reply.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from bot.importing import ImportProblems
from bot.importing.yaml_reader import read_programme
from bot.programme_cli import NoProgramme, store_files, stored_document
from handlers.errors import UserFacingError
from handlers.model import Participant
from handlers.permissions import check_facilitator
from handlers.ports import Deps
from handlers.reply import Block, Button, Reply, refusal
from storage.action_import import Resolution, Side
from storage.plan_upload_models import PlanUploadRow
from storage.programme_store import ImportSummary

logger = logging.getLogger(__name__)

APPLY_BUTTON = "plan.apply"
CANCEL_BUTTON = "plan.cancel"
BUTTONS = frozenset({APPLY_BUTTON, CANCEL_BUTTON})
MAX_BYTES = 2_000_000
SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")
KEEP_FOR = dt.timedelta(days=1)
WHAT = "change the programme or its action plan from a file"
TOO_LARGE = "That file is larger than 2 MB, so it was not read; nothing was changed."


def upload_work(filename: str, data: bytes) -> Callable[[Participant, Deps, AsyncSession], Awaitable[Reply]]:
    """``receive`` as a person's work for the adapters' pipeline (which supplies the actor, ports and session)."""

    async def work(actor: Participant, deps: Deps, session: AsyncSession) -> Reply:
        return await receive(actor, deps, session, filename, data)

    return work


async def receive(actor: Participant, deps: Deps, session: AsyncSession, filename: str, data: bytes) -> Reply:
    """Check the file, keep it, and answer with its preview and the Apply buttons."""
    try:
        check_facilitator(actor, WHAT)
        _check_file(filename, data)
        summary = await _preview(actor, deps, session, filename, data)
    except UserFacingError as error:
        return refusal(error.message)
    except ImportProblems as problems:
        lines = [str(problem) for problem in problems.problems[:20]]
        more = len(problems.problems) - len(lines)
        text = f"Nothing was changed: {filename} has {len(problems.problems)} problem(s) to fix first."
        return refusal("\n".join([text, *lines, *([f"…and {more} more."] if more > 0 else [])]))
    row = PlanUploadRow(
        programme_id=actor.programme_id,
        participant_id=actor.id,
        filename=filename[:200],
        content=data,
        state="pending",
        created_at=deps.clock.now(),
    )
    session.add(row)
    await session.flush()
    return _preview_reply(row.id, filename, summary)


async def press(action_id: str, value: str, actor: Participant, deps: Deps, session: AsyncSession) -> Reply:
    """Apply (settling conflicts as the button says) or Cancel a kept upload."""
    try:
        check_facilitator(actor, WHAT)
        row, side = await _pending(value, actor, deps, session)
        if action_id == CANCEL_BUTTON:
            _finish(row, "cancelled", deps.clock.now())
            return Reply(text=f"Cancelled: nothing from {row.filename} was imported.")
        summary = await _store(actor, session, row.filename, row.content, deps, Resolution(prefer=side))
    except UserFacingError as error:
        return refusal(error.message)
    except ImportProblems as problems:
        return refusal(f"Nothing was changed: {row.filename} no longer imports cleanly ({problems.problems[0]}).")
    _finish(row, "applied", deps.clock.now())
    logger.info("an uploaded file was applied to programme %s", summary.programme_code)
    return Reply(text="\n".join([f"Imported {row.filename}.", *summary.lines()]))


def _check_file(filename: str, data: bytes) -> None:
    if not filename.lower().endswith(SUFFIXES):
        raise UserFacingError(
            "Please send the programme file (.yaml) or the action plan (.xlsx or .csv); nothing was changed."
        )
    if len(data) > MAX_BYTES:
        raise UserFacingError(TOO_LARGE)


async def _preview(actor: Participant, deps: Deps, session: AsyncSession, filename: str, data: bytes) -> ImportSummary:
    """Everything an import would do, worked out inside a savepoint that is then rolled back."""
    nested = await session.begin_nested()
    try:
        return await _store(actor, session, filename, data, deps, None)
    finally:
        await nested.rollback()


async def _store(
    actor: Participant,
    session: AsyncSession,
    filename: str,
    data: bytes,
    deps: Deps,
    resolution: Resolution | None,
) -> ImportSummary:
    """Import (or, inside _preview's savepoint, try) the file; the programme's own time zone is the default."""
    programme = await deps.programmes.get(actor.programme_id)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("upload" + Path(filename).suffix.lower())
        path.write_bytes(data)
        is_yaml = path.suffix in (".yaml", ".yml")
        doc = read_programme(path).programme if is_yaml else None
        if doc is not None and doc.id != programme.code:
            raise UserFacingError(f"That file is for programme {doc.id}, not {programme.code}; nothing was changed.")
        if doc is None:
            try:
                await stored_document(session, programme.code)
            except NoProgramme as error:
                raise UserFacingError(str(error)) from None
        return await store_files(
            session, doc, None if is_yaml else path, programme.code, programme.timezone, resolution, deps.clock.now()
        )


async def _pending(
    value: str, actor: Participant, deps: Deps, session: AsyncSession
) -> tuple[PlanUploadRow, Side | None]:
    number, _, side = value.partition(":")
    row = await session.get(PlanUploadRow, int(number)) if number.isdigit() else None
    if row is None or row.programme_id != actor.programme_id:
        raise UserFacingError("That file is no longer waiting to be imported; please send it again.")
    if row.state != "pending":
        raise UserFacingError(f"{row.filename} was already {row.state}; nothing has changed.")
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC)
    if deps.clock.now() - created > KEEP_FOR:
        _finish(row, "cancelled", deps.clock.now())
        raise UserFacingError(f"{row.filename} was sent more than a day ago; please send it again to see it afresh.")
    return row, cast(Side, side) if side in ("spreadsheet", "chat") else None


def _finish(row: PlanUploadRow, state: str, now: dt.datetime) -> None:
    row.state, row.done_at, row.content = state, now, b""


def _preview_reply(upload_id: int, filename: str, summary: ImportSummary) -> Reply:
    lines = summary.lines()
    conflicts = len(summary.plan.conflicts) if summary.plan else 0
    head = f"Preview of {filename}: nothing has changed yet."
    buttons = [Button(action_id=APPLY_BUTTON, label="Apply", value=f"{upload_id}:", style="primary")]
    if conflicts:
        buttons = [
            Button(action_id=APPLY_BUTTON, label=f"Apply, leaving the {conflicts} conflict(s)", value=f"{upload_id}:"),
            Button(action_id=APPLY_BUTTON, label="Apply, the spreadsheet wins", value=f"{upload_id}:spreadsheet"),
            Button(action_id=APPLY_BUTTON, label="Apply, chat wins", value=f"{upload_id}:chat"),
        ]
    buttons.append(Button(action_id=CANCEL_BUTTON, label="Cancel", value=str(upload_id)))
    blocks = (
        Block(kind="section", text=head),
        Block(kind="section", text="\n".join(lines)[:2900]),
        Block(kind="actions", buttons=tuple(buttons)),
    )
    return Reply(text="\n".join([head, *lines]), blocks=blocks)
