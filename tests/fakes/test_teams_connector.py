"""Tests of the fake Bot Connector itself (HTTP level), and of the inbound activity builders."""

from __future__ import annotations

import concurrent.futures
import statistics
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from microsoft_teams.api.activities import (
    ActivityTypeAdapter,
    ConversationUpdateActivity,
    InstalledActivity,
    MessageActivity,
)
from microsoft_teams.api.activities.invoke import AdaptiveCardInvokeActivity, TaskFetchInvokeActivity
from microsoft_teams.api.activities.invoke.task import TaskSubmitInvokeActivity

from tests.fakes.teams_connector import FakeConnector, running_connector
from tests.fakes.teams_tokens import (
    FAKE_TENANT_ID,
    KEY_ID,
    conversation_update_activity,
    installation_update_activity,
    invoke_adaptive_card_action,
    message_activity,
    mint_token,
    task_fetch,
    task_submit,
)

AAD = "1a2b3c4d-0000-4000-8000-00000000aaaa"
CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Action ACT-7"}]}


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeConnector]:
    with running_connector() as fake:
        yield fake


@pytest.fixture
def fake(shared_fake: FakeConnector) -> FakeConnector:
    shared_fake.reset()
    return shared_fake


@pytest.fixture
def client(fake: FakeConnector) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {fake.bot_token}"}
    with httpx.Client(base_url=fake.base_url, headers=headers) as client:
        yield client


def open_chat(client: httpx.Client, member: str = AAD, tenant: str = FAKE_TENANT_ID) -> str:
    response = client.post("/v3/conversations", json={"members": [{"id": member}], "tenantId": tenant})
    assert response.status_code in (200, 201), response.text
    return str(response.json()["id"])


def send(client: httpx.Client, conversation_id: str, **fields: Any) -> httpx.Response:
    return client.post(f"/v3/conversations/{conversation_id}/activities", json={"type": "message", **fields})


def error_code(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])


# ----- keys and tokens -----
def test_openid_metadata_points_at_its_own_keys(client: httpx.Client, fake: FakeConnector) -> None:
    metadata = client.get("/v1/.well-known/openidconfiguration").json()
    assert metadata["issuer"] == "https://api.botframework.com"
    assert metadata["jwks_uri"] == f"{fake.base_url}/v1/.well-known/keys"
    assert metadata["id_token_signing_alg_values_supported"] == ["RS256"]
    [key] = client.get(metadata["jwks_uri"]).json()["keys"]
    assert (key["kid"], key["kty"], key["endorsements"]) == (KEY_ID, "RSA", ["msteams"])


def test_minted_token_verifies_against_the_published_keys(fake: FakeConnector) -> None:
    token = mint_token(aud=fake.app_id, serviceurl=fake.service_url)
    key = jwt.PyJWKClient(f"{fake.base_url}/v1/.well-known/keys").get_signing_key_from_jwt(token)
    claims = jwt.decode(token, key.key, algorithms=["RS256"], audience=fake.app_id)
    assert claims["serviceurl"] == fake.service_url
    assert claims["iss"] == "https://api.botframework.com"


@pytest.mark.parametrize("authorization", [None, "Bearer not-the-token", "Basic abc"])
def test_calls_without_the_issued_token_get_401(fake: FakeConnector, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = httpx.post(f"{fake.base_url}/v3/conversations/a:1/activities", json={"type": "message"}, headers=headers)
    assert response.status_code == 401
    assert fake.activities == []


def test_token_provider_hands_out_the_accepted_token(client: httpx.Client, fake: FakeConnector) -> None:
    token = fake.token_provider("https://api.botframework.com/.default", "botframework.com")
    assert fake.is_authorised(f"Bearer {token}")
    assert fake.token_requests[-1] == ("https://api.botframework.com/.default", "botframework.com")


# ----- conversations and activities -----
def test_creating_a_personal_chat_twice_returns_the_same_id(client: httpx.Client, fake: FakeConnector) -> None:
    first = client.post("/v3/conversations", json={"members": [{"id": AAD}], "tenantId": FAKE_TENANT_ID})
    again = client.post("/v3/conversations", json={"members": [{"id": AAD}], "tenantId": FAKE_TENANT_ID})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] == fake.personal_conversation_id(AAD)


@pytest.mark.parametrize(
    "body",
    [
        {"members": [{"id": AAD}], "tenantId": FAKE_TENANT_ID, "isGroup": True},
        {"members": [{"id": AAD}, {"id": "someone-else"}], "tenantId": FAKE_TENANT_ID},
        {"members": [{"id": AAD}]},
    ],
)
def test_conversation_creation_other_than_one_to_one_is_a_bad_argument(client: httpx.Client, body: Any) -> None:
    response = client.post("/v3/conversations", json=body)
    assert response.status_code == 400
    assert error_code(response) == "BadArgument"


def test_send_reply_update_and_delete_are_recorded(client: httpx.Client, fake: FakeConnector) -> None:
    chat = open_chat(client)
    sent = send(client, chat, text="first")
    assert sent.status_code == 201
    first_id = sent.json()["id"]
    reply = client.post(f"/v3/conversations/{chat}/activities/{first_id}", json={"type": "message", "text": "re"})
    updated = client.put(f"/v3/conversations/{chat}/activities/{first_id}", json={"type": "message", "text": "edit"})
    assert (reply.status_code, updated.status_code) == (201, 200)
    assert [m["text"] for m in fake.messages(chat)] == ["edit", "re"]
    assert client.delete(f"/v3/conversations/{chat}/activities/{first_id}").status_code == 200
    assert [m["text"] for m in fake.messages(chat)] == ["re"]
    operations = [(a.operation, a.text, a.reply_to_id) for a in fake.sent_to(chat)]
    assert operations == [
        ("send", "first", None),
        ("reply", "re", first_id),
        ("update", "edit", None),
        ("delete", None, None),
    ]


def test_updating_an_unknown_activity_is_not_found(client: httpx.Client) -> None:
    chat = open_chat(client)
    response = client.put(f"/v3/conversations/{chat}/activities/123", json={"type": "message", "text": "x"})
    assert response.status_code == 404
    assert error_code(response) == "ActivityNotFoundInConversation"


def test_members_carry_aad_object_id_email_and_upn(client: httpx.Client, fake: FakeConnector) -> None:
    account = fake.add_user(AAD, name="Sam Patel", email="sam.patel@example.org", upn="spatel@example.org")
    chat = open_chat(client)
    for member_id in (AAD, account["id"]):
        member = client.get(f"/v3/conversations/{chat}/members/{member_id}").json()
        assert (member["aadObjectId"], member["email"]) == (AAD, "sam.patel@example.org")
        assert member["userPrincipalName"] == "spatel@example.org"
    missing = client.get(f"/v3/conversations/{chat}/members/29:nobody")
    assert (missing.status_code, error_code(missing)) == (404, "MemberNotFoundInConversation")


def test_paged_members_pages_with_a_continuation_token(client: httpx.Client, fake: FakeConnector) -> None:
    people = [f"aad-{n}" for n in range(5)]
    for aad in people:
        fake.add_user(aad)
    fake.add_conversation("19:team@thread.tacv2", members=people)
    first = client.get("/v3/conversations/19:team@thread.tacv2/pagedmembers", params={"pageSize": 3}).json()
    rest = client.get(
        "/v3/conversations/19:team@thread.tacv2/pagedMembers",
        params={"pageSize": 3, "continuationToken": first["continuationToken"]},
    ).json()
    assert [m["aadObjectId"] for m in first["members"] + rest["members"]] == people
    assert "continuationToken" not in rest


# ----- cards -----
def test_a_card_of_version_one_point_five_is_accepted(client: httpx.Client, fake: FakeConnector) -> None:
    chat = open_chat(client)
    response = send(
        client, chat, attachments=[{"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}]
    )
    assert response.status_code == 201
    assert fake.activities[-1].cards == [CARD]


def test_a_card_above_version_one_point_five_is_a_bad_argument(client: httpx.Client, fake: FakeConnector) -> None:
    chat = open_chat(client)
    card = dict(CARD, version="1.6")
    response = send(
        client, chat, attachments=[{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]
    )
    assert (response.status_code, error_code(response)) == (400, "BadArgument")
    assert fake.sent_to(chat) == []


def test_a_card_over_28_kb_is_too_big(client: httpx.Client) -> None:
    chat = open_chat(client)
    card = dict(CARD, body=[{"type": "TextBlock", "text": "x" * (28 * 1024)}])
    response = send(
        client, chat, attachments=[{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]
    )
    assert (response.status_code, error_code(response)) == (413, "MessageSizeTooBig")


def test_schema_validation_rejects_an_unknown_element() -> None:
    pytest.importorskip("jsonschema")
    with running_connector(validate_schema=True) as fake, httpx.Client(base_url=fake.base_url) as client:
        client.headers["Authorization"] = f"Bearer {fake.bot_token}"
        chat = open_chat(client)
        teams_card = dict(CARD, msteams={"width": "Full"})
        misspelt = dict(CARD, body=[{"type": "TextBlok", "text": "x"}])
        ok = send(
            client,
            chat,
            attachments=[{"contentType": "application/vnd.microsoft.card.adaptive", "content": teams_card}],
        )
        bad = send(
            client, chat, attachments=[{"contentType": "application/vnd.microsoft.card.adaptive", "content": misspelt}]
        )
    assert ok.status_code == 201
    assert (bad.status_code, error_code(bad)) == (400, "BadArgument")
    assert "body/0" in bad.json()["error"]["message"]


# ----- injected failures -----
@pytest.mark.parametrize(
    ("status", "code"),
    [(412, "PreconditionFailed"), (500, "ServiceError"), (502, "ServiceError"), (504, "GatewayTimeout")],
)
def test_injected_failures_answer_then_clear(client: httpx.Client, fake: FakeConnector, status: int, code: str) -> None:
    chat = open_chat(client)
    fake.fail_next(chat, status, times=2)
    first, second, third = (send(client, chat, text=str(n)) for n in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (status, status, 201)
    assert error_code(first) == code
    assert [a.text for a in fake.sent_to(chat)] == ["2"]


def test_an_injected_429_carries_retry_after(client: httpx.Client, fake: FakeConnector) -> None:
    chat = open_chat(client)
    fake.fail_next(chat, 429, retry_after=3)
    response = send(client, chat, text="hi")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "3")


def test_blocked_uninstalled_and_deleted_conversations(client: httpx.Client, fake: FakeConnector) -> None:
    chat = open_chat(client)
    fake.block(chat)
    blocked = send(client, chat, text="hi")
    assert (blocked.status_code, error_code(blocked)) == (403, "ConversationBlockedByUser")
    fake.uninstall(chat)
    removed = send(client, chat, text="hi")
    assert (removed.status_code, error_code(removed)) == (403, "BotNotInConversationRoster")
    recreate = client.post("/v3/conversations", json={"members": [{"id": AAD}], "tenantId": FAKE_TENANT_ID})
    assert (recreate.status_code, error_code(recreate)) == (403, "ForbiddenOperationException")
    fake.delete_conversation(chat)
    gone = send(client, chat, text="hi")
    assert (gone.status_code, error_code(gone)) == (404, "ConversationNotFound")
    fake.restore(chat)
    assert send(client, chat, text="hi").status_code == 201


def test_strict_mode_knows_only_its_own_conversations_and_users() -> None:
    with running_connector(strict=True) as fake, httpx.Client(base_url=fake.base_url) as client:
        client.headers["Authorization"] = f"Bearer {fake.bot_token}"
        assert send(client, "a:unknown", text="hi").status_code == 404
        stranger = client.post("/v3/conversations", json={"members": [{"id": AAD}], "tenantId": FAKE_TENANT_ID})
        assert stranger.status_code == 403
        fake.add_user(AAD)
        assert send(client, open_chat(client), text="hi").status_code == 201


# ----- housekeeping -----
def test_reset_forgets_everything_but_the_token(client: httpx.Client, fake: FakeConnector) -> None:
    chat = open_chat(client)
    send(client, chat, text="hi")
    fake.block(chat)
    fake.reset()
    assert (fake.activities, fake.requests, fake.violations) == ([], [], [])
    assert send(client, chat, text="hi").status_code == 201


def test_wait_for_activities_times_out_plainly(fake: FakeConnector) -> None:
    with pytest.raises(TimeoutError):
        fake.wait_for_activities(1, timeout=0.05)


def test_concurrent_senders_are_all_recorded_with_unique_ids() -> None:
    with running_connector(throttling=False) as fake:
        headers = {"Authorization": f"Bearer {fake.bot_token}"}

        def burst(worker: int) -> list[str]:
            with httpx.Client(base_url=fake.base_url, headers=headers) as client:
                return [send(client, f"a:{worker}", text=str(n)).json()["id"] for n in range(50)]

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            ids = [activity_id for batch in pool.map(burst, range(8)) for activity_id in batch]
        assert len(set(ids)) == len(ids) == len(fake.activities) == 400


def test_keep_alive_requests_are_not_held_back(client: httpx.Client) -> None:
    """Without TCP_NODELAY every request on a kept-alive connection waits about 40 ms for a delayed ACK."""
    timings = []
    for n in range(21):
        started = time.perf_counter()
        send(client, f"a:{n}", text="hi")
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.035  # a delayed ACK is 40 ms at least on Linux


# ----- inbound activity builders -----
def test_builders_parse_as_the_sdk_activity_types() -> None:
    ids = (AAD, FAKE_TENANT_ID, "a:chat", "https://smba.example/amer/")
    cases = [
        (message_activity("hello", *ids), MessageActivity),
        (conversation_update_activity(*ids), ConversationUpdateActivity),
        (installation_update_activity(*ids), InstalledActivity),
        (invoke_adaptive_card_action("done", {"action": "ACT-7"}, *ids), AdaptiveCardInvokeActivity),
        (task_fetch({"dialog": "reflect"}, *ids), TaskFetchInvokeActivity),
        (task_submit({"answer": "yes"}, *ids), TaskSubmitInvokeActivity),
    ]
    for payload, expected in cases:
        activity = ActivityTypeAdapter.validate_python(payload)
        assert isinstance(activity, expected), payload["type"]
        assert payload["channelId"] == "msteams"
        assert payload["channelData"]["tenant"]["id"] == payload["conversation"]["tenantId"] == FAKE_TENANT_ID
        assert payload["from"]["aadObjectId"] == AAD
        assert payload["recipient"]["id"].startswith("28:")


def test_message_ids_are_unique() -> None:
    ids = {message_activity("x", AAD, FAKE_TENANT_ID, "a:chat", "https://s/")["id"] for _ in range(200)}
    assert len(ids) == 200
