"""Programmes read once per transaction.

The door finds a person together with their programme in one query (``SqlParticipantRepository``); the programme
is held here so that ``SqlProgrammeRepository.get`` in the same transaction needs no query of its own.

What is held belongs to one database transaction and is never served outside it: each entry is keyed by the
session's root transaction object, so a commit or rollback (a new transaction) leaves it unused, and nothing is
shared between sessions, processes or replicas. Within the transaction it is dropped the moment the programme's
row changes: an attribute of a loaded ``ProgrammeRow`` is set, the row is deleted, or an UPDATE or DELETE statement
names the programmes table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, object_session

from handlers.model import Programme
from storage.models import ProgrammeRow

KEY = "aftercare.held_programmes"


def hold(session: AsyncSession, programme: Programme) -> None:
    """Keep ``programme`` for the rest of this session's current transaction."""
    transaction = session.sync_session.get_transaction()
    if transaction is None:
        return
    entry: tuple[SessionTransaction, dict[int, Programme]] | None = session.sync_session.info.get(KEY)
    if entry is None or entry[0] is not transaction:
        entry = (transaction, {})
        session.sync_session.info[KEY] = entry
    entry[1][programme.id] = programme


def held(session: AsyncSession, programme_id: int) -> Programme | None:
    """The programme held in this transaction, or None (another transaction, or never held, or changed since)."""
    entry = session.sync_session.info.get(KEY)
    if entry is None or entry[0] is not session.sync_session.get_transaction():
        return None
    programme: Programme | None = entry[1].get(programme_id)
    return programme


def drop(session: Session | None) -> None:
    if session is not None:
        session.info.pop(KEY, None)


def _row_changed(target: ProgrammeRow, *_args: Any) -> None:
    drop(object_session(target))


def _statement(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is ProgrammeRow.__mapper__:
        drop(state.session)


for _column in ProgrammeRow.__mapper__.column_attrs:
    event.listen(getattr(ProgrammeRow, _column.key), "set", _row_changed)
event.listen(ProgrammeRow, "after_delete", lambda _m, _c, target: _row_changed(target))
event.listen(Session, "do_orm_execute", _statement)
