"""Request verification through the real app: Bolt's HMAC check, always on; a failure reaches no listener."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from urllib.parse import urlencode

from storage.models import ActionUpdateRow
from tests.slack.conftest import Harness, fixture, signed_headers


async def test_url_verification_answers_the_challenge(harness: Harness):
    body = fixture("url_verification")

    response = await harness.event(body)

    assert response.status_code == 200
    assert response.json() == {"challenge": body["challenge"]}


async def test_a_validly_signed_command_is_handled(harness: Harness):
    response = await harness.command("/actions A07 on track")

    assert response.status_code == 200
    assert "A07 is now 'On track'" in response.json()["text"]


async def _refused(harness: Harness, headers: Callable[[bytes], dict[str, str]]) -> None:
    updates_before = await harness.count(ActionUpdateRow)
    body = urlencode(harness.command_body("/actions A07 on track Weekly huddles started")).encode()

    response = await harness.client.post("/slack/events", content=body, headers=headers(body))

    assert response.status_code == 401
    assert await harness.count(ActionUpdateRow) == updates_before
    assert [call.method for call in harness.slack.calls] == []


async def test_a_bad_signature_is_401_and_reaches_no_handler(harness: Harness):
    def forged(body: bytes) -> dict[str, str]:
        return signed_headers(body, "application/x-www-form-urlencoded", secret="not-the-signing-secret")

    await _refused(harness, forged)


async def test_a_stale_timestamp_is_401_even_with_a_correct_signature(harness: Harness):
    def stale(body: bytes) -> dict[str, str]:
        return signed_headers(body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60)

    await _refused(harness, stale)


async def test_missing_signature_headers_are_401(harness: Harness):
    body = json.dumps(fixture("url_verification")).encode()

    response = await harness.client.post("/slack/events", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 401


async def test_a_body_changed_after_signing_is_401(harness: Harness):
    body = urlencode(harness.command_body("/actions A07")).encode()
    headers = signed_headers(body, "application/x-www-form-urlencoded")
    tampered = body.replace(b"A07", b"A09")

    response = await harness.client.post("/slack/events", content=tampered, headers=headers)

    assert response.status_code == 401
