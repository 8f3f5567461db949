"""PostgreSQL through asyncpg, with a check of a pooled connection that costs one round trip instead of three.

The pool checks each connection as it is taken (``pool_pre_ping``). SQLAlchemy's asyncpg adapter wraps that check
in a transaction of its own, for PgBouncer in transaction mode: BEGIN, the check, ROLLBACK, three round trips
before every command. Aftercare never runs behind PgBouncer in transaction mode (docs/operations.md: its leader
election needs a session), so here the check is the bare statement, one round trip. A connection that fails it is
replaced, exactly as before. Everything else is SQLAlchemy's own asyncpg adapter, unchanged.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection, AsyncAdapt_asyncpg_dbapi
from sqlalchemy.util.concurrency import await_


class OneTripPing(AsyncAdapt_asyncpg_connection):
    __slots__ = ()

    async def _async_ping(self) -> None:
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
