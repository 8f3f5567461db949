"""SQLite through aiosqlite, with one trip to its thread per statement.

aiosqlite runs each sqlite3 call on a thread of its own, and SQLAlchemy's adapter makes a separate call for each
step of a statement: open a cursor, execute, fetch the rows, close the cursor; then a commit, and a rollback when
the connection goes back to the pool. Each call is a hand-over to that thread and back (a wake-up of the event
loop), which on a busy machine costs more than the statement itself: `/actions CODE` made 14 of them for its three
statements.

Here a statement is one call on that thread (cursor, execute, fetch, close together), and a commit or rollback is
skipped when SQLite has no transaction open (a transaction that only read never opened one: sqlite3 begins one
before the first INSERT, UPDATE or DELETE), which is what sqlite3 itself does on such a call, only without the trip.
Everything else (server-side cursors, connecting, closing) is SQLAlchemy's own aiosqlite adapter, unchanged.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

Outcome = tuple[Any, list[Any], int, int | None]
"""What one statement leaves behind: its description, its rows, its rowcount and the last inserted row id."""


def _run(connection: sqlite3.Connection, step: Callable[[sqlite3.Cursor], object]) -> Outcome:
    """On aiosqlite's thread: a cursor, the statement, its rows, and the cursor closed, in one go."""
    cursor = connection.cursor()
    try:
        step(cursor)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose statement, rows and closing are one call on aiosqlite's thread. The rows are buffered, as
    SQLAlchemy's adapter buffers them anyway for a client-side cursor."""

    __slots__ = ("_outcome",)

    def __init__(self, adapt_connection: Any) -> None:  # no cursor is opened until a statement runs
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._outcome: Outcome = (None, [], -1, None)

    @property
    def description(self) -> Any:
        return self._outcome[0]

    @property
    def rowcount(self) -> int:
        return self._outcome[2]

    @property
    def lastrowid(self) -> int:
        return self._outcome[3]  # type: ignore[return-value]

    def close(self) -> None:
        self._rows.clear()

    async def _async_soft_close(self) -> None:  # the native cursor was closed on the thread already
        return

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        def step(cursor: sqlite3.Cursor) -> object:
            return cursor.execute(operation) if parameters is None else cursor.execute(operation, parameters)

        self._trip(step)

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        self._trip(lambda cursor: cursor.executemany(operation, seq_of_parameters))

    def _trip(self, step: Callable[[sqlite3.Cursor], object]) -> None:
        try:
            self._outcome = await_(self._call(step))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._rows = collections.deque(self._outcome[1])

    async def _call(self, step: Callable[[sqlite3.Cursor], object]) -> Outcome:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        async with self._adapt_connection._execute_mutex:
            outcome: Outcome = await connection._execute(_run, connection._conn, step)  # type: ignore[no-untyped-call]
            return outcome


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection with ``OneTripCursor``, and no trip for a commit or rollback when no
    transaction is open."""

    __slots__ = ()
    _cursor_cls = OneTripCursor

    def _open(self) -> bool:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        native = connection._connection
        return native is not None and native.in_transaction

    def rollback(self) -> None:
        if self._open():
            super().rollback()

    def commit(self) -> None:
        if self._open():
            super().commit()


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module given to SQLAlchemy's aiosqlite dialect (``create_async_engine(..., module=...)``)."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def dbapi() -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3)
