"""The worker's own small HTTP endpoint (``aftercare worker --metrics-port P``): ``GET /metrics`` and ``GET /healthz``.

A plain asyncio server, so that it leaves the worker's signal handling alone (uvicorn would take SIGTERM over). It
answers one request per connection and reads at most a few kilobytes of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.metrics import refresh

logger = logging.getLogger(__name__)

READ_LIMIT = 8192
READ_TIMEOUT = 5.0


async def start_metrics_server(sessions: async_sessionmaker[AsyncSession], host: str, port: int) -> asyncio.Server:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
            method, path = [*head.split(b"\r\n", 1)[0].split(b" "), b"", b""][:2]
            status, body, kind = await _route(sessions, method, path.split(b"?", 1)[0])
            writer.write(
                f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n".encode()
                + body
            )
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    server = await asyncio.start_server(answer, host, port, limit=READ_LIMIT)
    logger.info("worker metrics at http://%s:%d/metrics", host, port)
    return server


async def _route(sessions: async_sessionmaker[AsyncSession], method: bytes, path: bytes) -> tuple[str, bytes, str]:
    if method != b"GET":
        return "405 Method Not Allowed", b"", "text/plain"
    if path == b"/metrics":
        await refresh(sessions)
        return "200 OK", generate_latest(REGISTRY), CONTENT_TYPE_LATEST
    if path == b"/healthz":
        return "200 OK", b'{"status":"ok"}', "application/json"
    return "404 Not Found", b"", "text/plain"
