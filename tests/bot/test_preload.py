"""`aftercare serve` loads the report builders (scikit-learn, matplotlib, python-docx) and the screen's classifier
before it serves, so the first `/aftercare report` in a process answers within Slack's 3-second acknowledgement;
a quick command such as `aftercare screen` loads none of them."""

from __future__ import annotations

import argparse
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import cli_serve, preload
from bot.compose import assemble
from bot.preload import HEAVY
from bot.server import create_app
from bot.settings import Settings

QUICK = textwrap.dedent(
    """
    import sys
    from bot.cli import main
    code = main(["screen", "I was worried about the handover on Tuesday"])
    print(code, any(name in sys.modules for name in ("sklearn", "matplotlib", "docx")))
    """
)
PRELOADED = textwrap.dedent(
    """
    import gc, sys
    from bot.preload import freeze, preload
    preload()
    freeze()
    loaded = all(name in sys.modules for name in ("sklearn", "matplotlib", "docx", *sys.argv[1:]))
    print(loaded, gc.get_freeze_count() > 100_000)
    """
)


def run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[2], check=True)  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


def test_serve_loads_the_heavy_modules_before_it_serves(monkeypatch: pytest.MonkeyPatch):
    happened: list[str] = []
    monkeypatch.setattr(cli_serve, "schema_refusal", lambda _settings: None)

    def preloaded() -> float:
        happened.append("preload")
        return 0.0

    monkeypatch.setattr(cli_serve, "preload", preloaded)
    monkeypatch.setattr(cli_serve, "build_runtime", lambda _settings: object())
    made: dict[str, Any] = {}
    monkeypatch.setattr(cli_serve, "create_app", lambda *_a, **kwargs: made.update(kwargs))

    def served(*_args: Any, **_kwargs: Any) -> None:
        happened.append("serve")

    monkeypatch.setattr("bot.cli_serve.uvicorn.run", served)
    args = argparse.Namespace(no_worker=True, host="127.0.0.1", port=0)
    assert cli_serve.serve(args, Settings()) == 0
    assert happened == ["preload", "serve"]
    assert made["started"] is preload.freeze


def test_preloading_imports_the_report_builders_and_freezing_sets_them_aside():
    assert run(PRELOADED, *HEAVY) == "True True"


async def test_the_app_says_when_it_has_started(sqlite_url: str):
    happened: list[str] = []
    app = create_app(Settings(database_url=sqlite_url), assemble(sqlite_url, secret=b"x" * 32),
                     started=lambda: happened.append("started"))  # fmt: skip
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert happened == ["started"]
        assert (await client.get("/healthz")).status_code == 200


def test_a_quick_command_loads_none_of_them():
    assert run(QUICK) == "0 False"
