"""End to end: the real Teams SDK (bare echo bot) against the fake connector, with real RS256 tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.teams_connector import FakeConnector, running_connector
from tests.fakes.teams_echo_app import MESSAGING_ENDPOINT, EchoBot, echo_bot_for
from tests.fakes.teams_tokens import (
    FAKE_TENANT_ID,
    invoke_adaptive_card_action,
    message_activity,
    mint_token,
    rogue_private_key,
)

# microsoft-teams-apps 2.1.1 builds its own deprecated BotClient inside every ApiClient (so on every activity).
pytestmark = pytest.mark.filterwarnings("ignore:The bot client is deprecated:DeprecationWarning")

AAD = "5e6f7a8b-0000-4000-8000-00000000bbbb"
CHAT = "a:1echo-test-chat"


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeConnector]:
    with running_connector() as fake:
        yield fake


@pytest.fixture
def fake(shared_fake: FakeConnector) -> FakeConnector:
    shared_fake.reset()
    return shared_fake


@pytest.fixture
async def bot(fake: FakeConnector) -> EchoBot:
    echo = echo_bot_for(fake)
    await echo.app.initialize()
    return echo


@pytest.fixture
async def client(bot: EchoBot) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=bot.api), base_url="http://bot.test") as client:
        yield client


def hello(fake: FakeConnector, text: str = "hello") -> dict[str, Any]:
    return message_activity(text, AAD, FAKE_TENANT_ID, CHAT, fake.service_url)


async def post(client: httpx.AsyncClient, activity: dict[str, Any], token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return await client.post(MESSAGING_ENDPOINT, json=activity, headers=headers)


async def test_a_valid_token_gets_200_and_the_echo_reaches_the_connector(
    client: httpx.AsyncClient, fake: FakeConnector
) -> None:
    token = mint_token(aud=fake.app_id, serviceurl=fake.service_url)
    response = await post(client, hello(fake), token)
    assert response.status_code == 200
    [reply] = fake.sent_to(CHAT)
    assert (reply.operation, reply.text, reply.body["type"]) == ("send", "Echo: hello", "message")
    assert fake.token_requests[-1] == ("https://api.botframework.com/.default", "botframework.com")


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        pytest.param({"exp_in": -600}, "Signature has expired", id="expired"),
        pytest.param({"aud": "another-bot"}, "Audience doesn't match", id="wrong audience"),
        pytest.param({"serviceurl": "https://smba.trafficmanager.net/amer/"}, "Service URL mismatch", id="serviceurl"),
        pytest.param({"serviceurl": None}, "missing serviceurl claim", id="no serviceurl claim"),
        pytest.param({"kid": "unknown-key"}, "Unable to find a signing key", id="unknown kid"),
        pytest.param({"private_key": "rogue"}, "Signature verification failed", id="unpublished key"),
        pytest.param({"iss": "https://sts.example.test/"}, "Invalid issuer", id="wrong issuer"),
    ],
)
async def test_bad_tokens_get_401_and_nothing_is_sent(
    client: httpx.AsyncClient,
    fake: FakeConnector,
    caplog: pytest.LogCaptureFixture,
    claims: dict[str, Any],
    reason: str,
) -> None:
    options: dict[str, Any] = {"aud": fake.app_id, "serviceurl": fake.service_url, **claims}
    if options.get("private_key") == "rogue":
        options["private_key"] = rogue_private_key()
    response = await post(client, hello(fake), mint_token(**options))
    assert response.status_code == 401
    assert reason in caplog.text
    assert fake.activities == []


async def test_a_missing_token_gets_401(client: httpx.AsyncClient, fake: FakeConnector) -> None:
    assert (await post(client, hello(fake), None)).status_code == 401
    assert fake.activities == []


async def test_a_proactive_send_reaches_the_connector(bot: EchoBot, fake: FakeConnector) -> None:
    sent = await bot.app.send(CHAT, "hi")
    [activity] = fake.sent_to(CHAT)
    assert (activity.text, activity.activity_id) == ("hi", sent.id)


async def test_a_proactive_one_to_one_chat_can_be_opened_then_messaged(bot: EchoBot, fake: FakeConnector) -> None:
    from microsoft_teams.api.clients.conversation.params import CreateConversationParams
    from microsoft_teams.api.models import Account

    params = CreateConversationParams(members=[Account(id=AAD)], tenant_id=FAKE_TENANT_ID)
    conversation = await bot.app.api.conversations.create(params)
    await bot.app.send(conversation.id, "Your action is due on Friday.")
    assert conversation.id == fake.personal_conversation_id(AAD)
    assert [a.text for a in fake.sent_to(conversation.id)] == ["Your action is due on Friday."]


async def test_the_sdk_does_not_retry_a_throttled_send(bot: EchoBot, fake: FakeConnector) -> None:
    fake.fail_next(CHAT, 429, retry_after=2)
    with pytest.raises(httpx.HTTPStatusError) as caught:
        await bot.app.send(CHAT, "hi")
    assert caught.value.response.headers["Retry-After"] == "2"
    assert fake.activities == []


async def test_a_card_action_invoke_gets_its_invoke_response(client: httpx.AsyncClient, fake: FakeConnector) -> None:
    activity = invoke_adaptive_card_action("done", {"action": "ACT-7"}, AAD, FAKE_TENANT_ID, CHAT, fake.service_url)
    response = await post(client, activity, mint_token(aud=fake.app_id, serviceurl=fake.service_url))
    assert response.status_code == 200
    assert response.json()["value"] == "Done: done"


async def test_the_sdk_edits_messages_and_reads_members_through_the_fake(bot: EchoBot, fake: FakeConnector) -> None:
    from microsoft_teams.api.activities import MessageActivityInput

    fake.add_user(AAD, email="sam.patel@example.org")
    fake.add_conversation(CHAT, members=[AAD])
    sent = await bot.app.send(CHAT, "Draft")
    await bot.app.api.conversations.update_activity(CHAT, sent.id, MessageActivityInput(text="Final"))
    member = await bot.app.api.conversations.get_member_by_id(CHAT, AAD)
    page = await bot.app.api.conversations.get_paged_members(CHAT)
    assert [m["text"] for m in fake.messages(CHAT)] == ["Final"]
    assert (member.aad_object_id, member.email) == (AAD, "sam.patel@example.org")
    assert [m.aad_object_id for m in page.members] == [AAD]
