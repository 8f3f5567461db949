"""Nothing a person wrote, no payload and no token reaches the logs, even with everything at DEBUG."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import pytest

from tests.slack.conftest import BOT_TOKEN, Harness, signed_headers
from tests.slack.payloads import sent_view, view_submission

SECRET_WORDS = "ZebraCrossingMarmalade"


async def test_reflections_payloads_and_tokens_are_never_logged(harness: Harness, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)

    await harness.command(f"/reflect {SECRET_WORDS} first thoughts")
    statement = sent_view(harness.slack.calls_to("views.open")[0])
    form = (await harness.interact(view_submission(statement, {"read": "yes"}))).json()["view"]
    await harness.interact(
        view_submission(form, {"text": f"{SECRET_WORDS} and the panel", "at_risk_now": "no"}, view_hash="9.z")
    )
    forged = urlencode({"command": "/actions", "text": SECRET_WORDS}).encode()
    headers = signed_headers(forged, "application/x-www-form-urlencoded", secret="wrong")
    assert (await harness.client.post("/slack/events", content=forged, headers=headers)).status_code == 401

    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert SECRET_WORDS not in logged
    assert BOT_TOKEN not in logged
    assert "private_metadata" not in logged
    assert any(r.name.startswith("bot.slack") or r.name.startswith("handlers") for r in caplog.records)
