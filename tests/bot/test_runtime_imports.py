"""A button press that is not about a plan file does not load the spreadsheet importer (openpyxl: 2 s cold), which
used to land on the first press of every process, such as confirming a broadcast (bench/outbox.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from bot import plan_uploads
from bot.runtime import PLAN_BUTTONS

SCRIPT = textwrap.dedent(
    """
    import asyncio, sys
    from bot.clock import SimulatedClock
    from bot.compose import assemble
    from handlers.broadcast_views import SEND_BUTTON
    from storage.migrate import upgrade
    from storage.programme_store import store_programme
    from tests.conftest import START
    from tests.factories import FACILITATOR, make_programme_doc

    async def main(url):
        runtime = assemble(url, clock=SimulatedClock(START), secret=b"imports-test-secret")
        async with runtime.sessions() as session, session.begin():
            await store_programme(session, make_programme_doc(), START, "Europe/London")
        reply = await runtime.press(FACILITATOR, SEND_BUTTON, "B9")
        await runtime.close()
        print(reply.text)
        print("openpyxl" in sys.modules, "bot.plan_uploads" in sys.modules)

    upgrade(sys.argv[1])
    asyncio.run(main(sys.argv[1]))
    """
)


def test_every_plan_button_starts_with_the_prefix_the_runtime_checks():
    assert plan_uploads.BUTTONS and all(button.startswith(PLAN_BUTTONS) for button in plan_uploads.BUTTONS)


def test_pressing_another_button_does_not_load_the_spreadsheet_importer(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'imports.db'}"
    done = subprocess.run([sys.executable, "-c", SCRIPT, url], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parents[2], check=True)  # fmt: skip
    *_, last = done.stdout.strip().splitlines()
    assert "no broadcast B9" in done.stdout, done.stdout + done.stderr
    assert last == "False False"
