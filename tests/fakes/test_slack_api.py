"""The fake Slack Web API, driven by slack_sdk's real AsyncWebClient: auth, answer shapes, errors and recording."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlackApi


@pytest.fixture
def client(slack: FakeSlackApi) -> AsyncWebClient:
    return AsyncWebClient(token=slack.bot_token, base_url=slack.base_url)


async def refusal(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        await call
    return caught.value


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


async def test_missing_token_is_not_authed_and_unknown_token_is_invalid_auth(slack: FakeSlackApi) -> None:
    anonymous = await refusal(AsyncWebClient(base_url=slack.base_url).auth_test())
    stranger = await refusal(AsyncWebClient(token="xoxb-not-issued", base_url=slack.base_url).auth_test())
    wrong_kind = await refusal(AsyncWebClient(token="xapp-1-abc", base_url=slack.base_url).auth_test())

    assert anonymous.response["error"] == "not_authed"
    assert stranger.response["error"] == "invalid_auth"
    assert wrong_kind.response["error"] == "invalid_auth"


async def test_revoked_token_and_inactive_workspace_are_refused(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    slack.add_workspace("T0OTHER001")
    other = AsyncWebClient(token="xoxb-T0OTHER001-fake", base_url=slack.base_url)
    slack.revoke_token(slack.bot_token)
    slack.deactivate_workspace("T0OTHER001")

    assert (await refusal(client.auth_test())).response["error"] == "token_revoked"
    assert (await refusal(other.auth_test())).response["error"] == "account_inactive"


async def test_unknown_method_is_refused(client: AsyncWebClient) -> None:
    answer = await refusal(client.api_call("chat.postMessagez", json={"channel": "C0FAKEGEN1", "text": "hi"}))

    assert answer.response["error"] == "unknown_method"


async def test_auth_test_for_bot_and_user_tokens(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    bot = await client.auth_test()
    user = await AsyncWebClient(token=slack.user_token, base_url=slack.base_url).auth_test()

    assert bot.data == {
        "ok": True,
        "url": "https://aftercare-test.slack.com/",
        "team": "Aftercare Test",
        "user": "aftercare",
        "team_id": slack.team_id,
        "user_id": "U0FAKEBOT1",
        "bot_id": "B0FAKEBOT1",
        "is_enterprise_install": False,
    }
    assert "chat:write" in bot.headers["x-oauth-scopes"]
    assert user["user_id"] == slack.user_id
    assert "bot_id" not in user.data


async def test_post_update_and_delete_a_message(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    posted = await client.chat_postMessage(channel="C0FAKEGEN1", text="Hello", blocks=[section("*Hello*")])
    updated = await client.chat_update(channel="C0FAKEGEN1", ts=posted["ts"], text="Hello again")
    assert slack.messages("C0FAKEGEN1")[0]["text"] == "Hello again"
    deleted = await client.chat_delete(channel="C0FAKEGEN1", ts=posted["ts"])

    assert posted["channel"] == "C0FAKEGEN1"
    assert posted["message"]["ts"] == posted["ts"]
    assert posted["message"]["bot_id"] == "B0FAKEBOT1"
    assert posted["message"]["blocks"][0]["text"]["text"] == "*Hello*"
    assert posted["message"]["blocks"][0]["block_id"]
    assert (updated["ts"], updated["text"], updated["message"]["text"]) == (posted["ts"], "Hello again", "Hello again")
    assert deleted.data == {"ok": True, "channel": "C0FAKEGEN1", "ts": posted["ts"]}
    assert slack.messages("C0FAKEGEN1") == []
    missing = await refusal(client.chat_update(channel="C0FAKEGEN1", ts=posted["ts"], text="gone"))
    assert missing.response["error"] == "message_not_found"


async def test_posting_to_a_user_id_lands_in_the_bot_dm(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    opened = await client.conversations_open(users=slack.user_id)
    again = await client.conversations_open(users=slack.user_id)
    posted = await client.chat_postMessage(channel=slack.user_id, text="Your reflection prompt")

    assert opened["channel"]["id"].startswith("D")
    assert again["channel"]["id"] == opened["channel"]["id"]
    assert again["already_open"] is True
    assert posted["channel"] == opened["channel"]["id"]


async def test_post_ephemeral_answers_message_ts(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    slack.add_user("U0STRANGER", email="s@example.org")
    slack.add_channel("C0PRIVATE1", members=[slack.user_id])

    answer = await client.chat_postEphemeral(channel="C0PRIVATE1", user=slack.user_id, text="Only you can see this")
    outsider = await refusal(client.chat_postEphemeral(channel="C0PRIVATE1", user="U0STRANGER", text="x"))

    assert set(answer.data) == {"ok", "message_ts"}
    assert outsider.response["error"] == "user_not_in_channel"


async def test_channel_errors(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    slack.add_channel("C0ARCHIVED", name="old")
    slack.archive_channel("C0ARCHIVED")
    slack.add_channel("C0NOTJOIND", bot_is_member=False)

    nowhere = await refusal(client.chat_postMessage(channel="C0NOWHERE1", text="x"))
    archived = await refusal(client.chat_postMessage(channel="C0ARCHIVED", text="x"))
    outside = await refusal(client.chat_postMessage(channel="C0NOTJOIND", text="x"))
    empty = await refusal(client.api_call("chat.postMessage", json={"channel": "C0FAKEGEN1", "text": ""}))
    too_long = await refusal(client.chat_postMessage(channel="C0FAKEGEN1", text="x" * 40_001))

    assert [e.response["error"] for e in (nowhere, archived, outside, empty, too_long)] == [
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "no_text",
        "msg_too_long",
    ]
    assert (await client.chat_postMessage(channel="#general", text="x" * 40_000))["channel"] == "C0FAKEGEN1"


async def test_fifty_one_blocks_are_invalid_blocks(client: AsyncWebClient) -> None:
    fine = await client.chat_postMessage(channel="C0FAKEGEN1", text="fallback", blocks=[section("x")] * 50)
    refused = await refusal(client.chat_postMessage(channel="C0FAKEGEN1", text="fallback", blocks=[section("x")] * 51))

    assert fine["ok"] is True
    assert refused.response["error"] == "invalid_blocks"
    assert refused.response["response_metadata"]["messages"] == [
        "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"
    ]


async def test_form_encoded_blocks_are_checked_too(slack: FakeSlackApi) -> None:
    headers = {"Authorization": f"Bearer {slack.bot_token}"}
    form = {
        "channel": "C0FAKEGEN1",
        "text": "t",
        "blocks": '[{"type": "section", "text": {"type": "mrkdwn", "text": ""}}]',
    }
    async with aiohttp.ClientSession() as session:
        async with session.post(slack.base_url + "chat.postMessage", data=form, headers=headers) as response:
            bad = await response.json()
        async with session.post(
            slack.base_url + "chat.postMessage", data={**form, "blocks": "[{"}, headers=headers
        ) as r:
            malformed = await r.json()

    assert bad["error"] == "invalid_blocks"
    assert malformed["error"] == "invalid_blocks_format"
    assert slack.calls[0].params["blocks"].startswith("[{")


async def test_users_info_and_lookup_by_email(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    slack.add_user("U0BERLIN01", name="kim", email="Kim@Example.org", tz="Europe/Berlin", tz_offset=3600)

    info = await client.users_info(user="U0BERLIN01")
    found = await client.users_lookupByEmail(email="kim@example.org")
    default = await client.users_info(user=slack.user_id)
    unknown = await refusal(client.users_lookupByEmail(email="nobody@example.org"))
    missing = await refusal(client.users_info(user="U0MISSING1"))

    assert (info["user"]["tz"], info["user"]["tz_offset"]) == ("Europe/Berlin", 3600)
    assert info["user"]["profile"]["email"] == "Kim@Example.org"
    assert found["user"]["id"] == "U0BERLIN01"
    assert default["user"]["tz"] == "Europe/London"
    assert default["user"]["tz_offset"] in {0, 3600}
    assert unknown.response["error"] == "users_not_found"
    assert missing.response["error"] == "user_not_found"


async def test_deactivated_user(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    """As on Slack: users.info says deleted, a new DM is refused, the user's own token stops working, but a post to
    an existing DM still succeeds (python-slack-sdk#1156), so the app must check `deleted` itself."""
    slack.add_user("U0LEAVER01")
    slack.add_token("xoxp-leaver", user_id="U0LEAVER01", scopes=["chat:write"])
    slack.add_user("U0LEAVER02")
    await client.conversations_open(users="U0LEAVER02")
    slack.deactivate_user("U0LEAVER01")
    slack.deactivate_user("U0LEAVER02")

    info = await client.users_info(user="U0LEAVER01")
    dm = await refusal(client.conversations_open(users="U0LEAVER01"))
    own_token = await refusal(AsyncWebClient(token="xoxp-leaver", base_url=slack.base_url).auth_test())
    existing_dm = await client.chat_postMessage(channel="U0LEAVER02", text="Still delivered")

    assert info["user"]["deleted"] is True
    assert dm.response["error"] == "user_disabled"
    assert own_token.response["error"] == "account_inactive"
    assert existing_dm["channel"].startswith("D")


async def test_missing_scope_names_the_needed_scope(slack: FakeSlackApi) -> None:
    slack.add_token("xoxb-narrow", scopes=["chat:write"])
    narrow = AsyncWebClient(token="xoxb-narrow", base_url=slack.base_url)

    refused = await refusal(narrow.users_info(user=slack.user_id))

    assert refused.response["error"] == "missing_scope"
    assert refused.response["needed"] == "users:read"


async def test_team_info(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    answer = await client.team_info()

    assert answer["team"]["id"] == slack.team_id
    assert answer["team"]["domain"] == "aftercare-test"


async def test_files_upload_v2_round_trip(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    answer = await client.files_upload_v2(content="week,count\n1,3\n", filename="digest.csv", channel="C0FAKEGEN1")

    assert answer["file"]["name"] == "digest.csv"
    assert (answer["file"]["mimetype"], answer["file"]["channels"]) == ("text/csv", ["C0FAKEGEN1"])
    assert slack.uploaded(answer["file"]["id"]) == b"week,count\n1,3\n"
    assert [call.method for call in slack.calls] == ["files.getUploadURLExternal", "files.completeUploadExternal"]


async def test_calls_are_recorded_in_order_with_token_and_time(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    await client.chat_postMessage(channel="C0FAKEGEN1", text="one")
    await client.users_info(user=slack.user_id)

    first, second = slack.calls
    assert (first.method, first.params, first.token, first.ok) == (
        "chat.postMessage",
        {"channel": "C0FAKEGEN1", "text": "one"},
        slack.bot_token,
        True,
    )
    assert second.params == {"user": slack.user_id}
    assert first.at <= second.at
    slack.reset()
    assert slack.calls == []


async def test_concurrent_posts_are_each_recorded_once(slack: FakeSlackApi) -> None:
    """Four hundred posts at once, unthrottled: each answered with its own timestamp and recorded once."""
    async with aiohttp.ClientSession() as session:
        fast = AsyncWebClient(token=slack.bot_token, base_url=slack.base_url, session=session)
        answers = await asyncio.gather(*[fast.chat_postMessage(channel="C0FAKEGEN1", text=str(n)) for n in range(400)])

    assert len({answer["ts"] for answer in answers}) == 400
    assert sorted(int(call.params["text"]) for call in slack.calls) == list(range(400))
