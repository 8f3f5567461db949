"""PostgreSQL through asyncpg, with the check of a pooled connection folded into its first round trip.

The pool checks each connection as it is taken (``pool_pre_ping``). SQLAlchemy's asyncpg adapter wraps that check
in a transaction of its own, for PgBouncer in transaction mode: BEGIN, the check, ROLLBACK, three round trips,
and then the command's own BEGIN, a fourth, before its first statement. Aftercare never runs behind PgBouncer in
transaction mode (docs/operations.md: its leader election needs a session), so here the check is the command's
BEGIN itself: one round trip instead of four, and the transaction it opens is the one the first statement would
have opened (same isolation level; a connection switched to autocommit afterwards rolls it back first, as
SQLAlchemy always does when the level changes). A connection already in a transaction or in autocommit is checked
with a bare statement. A connection that fails its check is replaced, exactly as before. Everything else is
SQLAlchemy's own asyncpg adapter, unchanged.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection, AsyncAdapt_asyncpg_dbapi
from sqlalchemy.util.concurrency import await_


class OneTripPing(AsyncAdapt_asyncpg_connection):
    __slots__ = ()

    async def _async_ping(self) -> None:
        if self._transaction is None and self.isolation_level != "autocommit":
            await self._start_transaction()  # type: ignore[no-untyped-call]  # the BEGIN the first statement sends
        else:
            await self._connection.fetchrow(";")


class OneTripPingDBAPI(AsyncAdapt_asyncpg_dbapi):
    """The DBAPI module given to SQLAlchemy's asyncpg dialect (``create_async_engine(..., module=...)``)."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripPing:
        creator = kw.pop("async_creator_fn", self.asyncpg.connect)
        cache_size = kw.pop("prepared_statement_cache_size", 100)
        name_func = kw.pop("prepared_statement_name_func", None)
        connection: OneTripPing = await_(
            OneTripPing.create(
                self,
                creator(*arg, **kw),
                prepared_statement_cache_size=cache_size,
                prepared_statement_name_func=name_func,
            )
        )
        return connection


def dbapi() -> OneTripPingDBAPI:
    return OneTripPingDBAPI(asyncpg)  # type: ignore[no-untyped-call]
