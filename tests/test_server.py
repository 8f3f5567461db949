"""`aftercare serve`'s HTTP app without any platform: health and readiness."""

from __future__ import annotations

import httpx

from bot.compose import assemble
from bot.server import create_app
from bot.settings import Settings


async def test_healthz_and_readyz(sqlite_url: str):
    settings = Settings(database_url=sqlite_url)
    app = create_app(settings, assemble(sqlite_url))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/readyz")).json() == {"status": "ready"}


async def test_readyz_is_503_when_the_database_does_not_answer(tmp_path):
    url = "postgresql://nobody@127.0.0.1:1/none"
    app = create_app(Settings(database_url=url), assemble(url, secret=b"s"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/readyz")).status_code == 503
