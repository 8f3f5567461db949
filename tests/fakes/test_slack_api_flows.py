"""The fake Slack Web API's stateful flows: views and trigger_ids, response_urls, throttling, failures and OAuth."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.fakes.slack_api import FakeSlackApi, ManualClock, RateRule


@pytest.fixture
def clock(slack: FakeSlackApi) -> ManualClock:
    slack.clock = manual = ManualClock()
    return manual


@pytest.fixture
def client(slack: FakeSlackApi) -> AsyncWebClient:
    return AsyncWebClient(token=slack.bot_token, base_url=slack.base_url)


async def refusal(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        await call
    return caught.value


# slack_sdk 3.47 builds aiohttp.BasicAuth for oauth.v2.access, which aiohttp 3.14 deprecates; filterwarnings=error
# would turn that into a failure, so the OAuth tests (and any Bolt OAuth test) must let exactly this warning pass.
ALLOW_BASIC_AUTH_DEPRECATION = pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")


def modal(title: str = "Reflection", **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": [], **extra}


async def test_views_open_echoes_the_view(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    answer = await client.views_open(trigger_id=slack.new_trigger_id(), view=modal(callback_id="reflect"))

    view = answer["view"]
    assert view["id"].startswith("V")
    assert view["root_view_id"] == view["id"]
    assert (view["type"], view["callback_id"], view["title"]["text"]) == ("modal", "reflect", "Reflection")
    assert view["hash"]
    assert view["bot_id"] == "B0FAKEBOT1"


async def test_modal_title_of_25_characters_is_refused(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    refused = await refusal(client.views_open(trigger_id=slack.new_trigger_id(), view=modal("t" * 25)))

    assert refused.response["error"] == "invalid_arguments"
    assert refused.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]


async def test_trigger_id_expires_after_three_seconds(
    slack: FakeSlackApi, clock: ManualClock, client: AsyncWebClient
) -> None:
    in_time, too_late = slack.new_trigger_id(), slack.new_trigger_id()
    clock.advance(2.9)
    assert (await client.views_open(trigger_id=in_time, view=modal()))["ok"] is True
    clock.advance(0.2)

    refused = await refusal(client.views_open(trigger_id=too_late, view=modal()))

    assert refused.response["error"] == "expired_trigger_id"


async def test_trigger_id_is_single_use_and_must_be_issued(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    trigger = slack.new_trigger_id()
    await client.views_open(trigger_id=trigger, view=modal())

    reused = await refusal(client.views_open(trigger_id=trigger, view=modal()))
    invented = await refusal(client.views_open(trigger_id="12345.98765.abcd2358fdea", view=modal()))

    assert reused.response["error"] == "exchanged_trigger_id"
    assert invented.response["error"] == "invalid_trigger_id"


async def test_push_update_and_the_stack_limit(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    root = (await client.views_open(trigger_id=slack.new_trigger_id(), view=modal()))["view"]
    second = (await client.views_push(trigger_id=slack.new_trigger_id(), view=modal("Second")))["view"]
    await client.views_push(trigger_id=slack.new_trigger_id(), view=modal("Third"))
    fourth = await refusal(client.views_push(trigger_id=slack.new_trigger_id(), view=modal("Fourth")))
    updated = (await client.views_update(view_id=root["id"], hash=root["hash"], view=modal("Updated")))["view"]
    stale = await refusal(client.views_update(view_id=root["id"], hash=root["hash"], view=modal("Stale")))

    assert (second["root_view_id"], second["previous_view_id"]) == (root["id"], root["id"])
    assert fourth.response["error"] == "push_limit_reached"
    assert (updated["id"], updated["title"]["text"]) == (root["id"], "Updated")
    assert updated["hash"] != root["hash"]
    assert stale.response["error"] == "hash_conflict"
    assert slack.view(root["id"])["title"]["text"] == "Updated"


async def test_views_publish_keeps_one_home_view_per_user(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    dividers = [{"type": "divider"}] * 100
    first = await client.views_publish(user_id=slack.user_id, view={"type": "home", "blocks": dividers})
    second = await client.views_publish(user_id=slack.user_id, view={"type": "home", "blocks": []})
    too_big = await refusal(client.views_publish(user_id=slack.user_id, view={"type": "home", "blocks": dividers * 2}))

    assert first["view"]["type"] == "home"
    assert second["view"]["id"] == first["view"]["id"]
    assert too_big.response["error"] == "invalid_arguments"


async def test_response_url_takes_five_posts(slack: FakeSlackApi) -> None:
    url = slack.new_response_url()
    webhook = AsyncWebhookClient(url)

    answers = [await webhook.send_dict({"text": f"Update {n}", "replace_original": True}) for n in range(6)]

    assert [answer.status_code for answer in answers] == [200] * 5 + [404]
    assert '"used_url"' in answers[5].body
    assert [post.body["text"] for post in slack.response_url_posts(url)][:5] == [f"Update {n}" for n in range(5)]


async def test_response_url_expires_after_thirty_minutes(slack: FakeSlackApi, clock: ManualClock) -> None:
    url = slack.new_response_url()
    clock.advance(30 * 60 + 1)

    answer = await AsyncWebhookClient(url).send_dict({"text": "Too late"})

    assert (answer.status_code, '"expired_url"' in answer.body) == (404, True)


async def test_per_channel_limit_answers_429_with_retry_after(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    slack.limit_messages(per_channel_per_second=1, burst=1)
    await client.chat_postMessage(channel="C0FAKEGEN1", text="first")

    refused = await refusal(client.chat_postMessage(channel="C0FAKEGEN1", text="second"))
    other_channel = await client.chat_postMessage(channel=slack.user_id, text="a DM is another channel")

    assert refused.response.status_code == 429
    assert refused.response["error"] == "ratelimited"
    assert refused.response.headers["Retry-After"] == "1"
    assert other_channel["ok"] is True


async def test_rate_limit_retry_handler_recovers_without_violation(slack: FakeSlackApi) -> None:
    slack.limit_messages(per_channel_per_second=1, burst=1)
    handler = AsyncRateLimitErrorRetryHandler(max_retry_count=2)
    patient = AsyncWebClient(token=slack.bot_token, base_url=slack.base_url, retry_handlers=[handler])

    await patient.chat_postMessage(channel="C0FAKEGEN1", text="first")
    second = await patient.chat_postMessage(channel="C0FAKEGEN1", text="second")

    assert second["ok"] is True
    assert [call.status for call in slack.calls] == [200, 429, 200]
    assert slack.violations == []


async def test_calls_before_retry_after_are_violations(
    slack: FakeSlackApi, clock: ManualClock, client: AsyncWebClient
) -> None:
    slack.add_rate_rule(RateRule("chat.postMessage", "team", limit=2, per_seconds=60))
    for text in ("one", "two"):
        await client.chat_postMessage(channel="C0FAKEGEN1", text=text)
    refused = await refusal(client.chat_postMessage(channel="C0FAKEGEN1", text="three"))
    clock.advance(10)
    early = await refusal(client.chat_postMessage(channel="C0FAKEGEN1", text="three again"))
    clock.advance(20)
    on_time = await client.chat_postMessage(channel="C0FAKEGEN1", text="three at last")

    assert refused.response.headers["Retry-After"] == "30"
    assert early.response.headers["Retry-After"] == "20"
    assert on_time["ok"] is True
    assert [(v.method, v.at, v.retry_at) for v in slack.violations] == [("chat.postMessage", 1010.0, 1030.0)]


async def test_injected_failures(slack: FakeSlackApi, client: AsyncWebClient) -> None:
    slack.fail_next("chat.postMessage", times=2, status=503)
    slack.fail_next("users.info", status=200, error="fatal_error")

    first = await refusal(client.chat_postMessage(channel="C0FAKEGEN1", text="x"))
    second = await refusal(client.chat_postMessage(channel="C0FAKEGEN1", text="x"))
    third = await client.chat_postMessage(channel="C0FAKEGEN1", text="x")
    info = await refusal(client.users_info(user=slack.user_id))

    assert (first.response.status_code, first.response["error"]) == (503, "service_unavailable")
    assert second.response.status_code == 503
    assert third["ok"] is True
    assert (info.response.status_code, info.response["error"]) == (200, "fatal_error")


async def test_injected_429_counts_early_retries_as_violations(
    slack: FakeSlackApi, clock: ManualClock, client: AsyncWebClient
) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=5)

    injected = await refusal(client.chat_postMessage(channel="C0FAKEGEN1", text="x"))
    clock.advance(1)
    early = await refusal(client.chat_postMessage(channel="C0FAKEGEN1", text="x"))
    clock.advance(4)
    later = await client.chat_postMessage(channel="C0FAKEGEN1", text="x")

    assert (injected.response.status_code, injected.response.headers["Retry-After"]) == (429, "5")
    assert early.response.headers["Retry-After"] == "4"
    assert later["ok"] is True
    assert len(slack.violations) == 1


@ALLOW_BASIC_AUTH_DEPRECATION
async def test_oauth_code_exchange_issues_a_working_token(slack: FakeSlackApi) -> None:
    code = slack.new_oauth_code(user_scopes=["chat:write"])
    anonymous = AsyncWebClient(base_url=slack.base_url)

    answer = await anonymous.oauth_v2_access(client_id=slack.client_id, client_secret=slack.client_secret, code=code)
    reused = await refusal(
        anonymous.oauth_v2_access(client_id=slack.client_id, client_secret=slack.client_secret, code=code)
    )
    wrong = await refusal(anonymous.oauth_v2_access(client_id=slack.client_id, client_secret="guess", code="x"))

    assert (answer["token_type"], answer["team"]["id"], answer["bot_user_id"]) == ("bot", slack.team_id, "U0FAKEBOT1")
    assert "chat:write" in answer["scope"].split(",")
    assert answer["authed_user"]["id"] == slack.user_id
    assert answer["authed_user"]["access_token"].startswith("xoxp-")
    installed = AsyncWebClient(token=answer["access_token"], base_url=slack.base_url)
    assert (await installed.auth_test())["team_id"] == slack.team_id
    assert reused.response["error"] == "invalid_code"
    assert wrong.response["error"] == "bad_client_secret"


@ALLOW_BASIC_AUTH_DEPRECATION
async def test_rotated_tokens_expire_and_refresh(slack: FakeSlackApi, clock: ManualClock) -> None:
    anonymous = AsyncWebClient(base_url=slack.base_url)
    secrets_ = {"client_id": slack.client_id, "client_secret": slack.client_secret}
    first = await anonymous.oauth_v2_access(code=slack.new_oauth_code(token_rotation=True), **secrets_)
    clock.advance(first["expires_in"])

    expired = await refusal(AsyncWebClient(token=first["access_token"], base_url=slack.base_url).auth_test())
    refreshed = await anonymous.oauth_v2_access(
        grant_type="refresh_token", refresh_token=first["refresh_token"], **secrets_
    )

    assert first["access_token"].startswith("xoxe.xoxb-")
    assert expired.response["error"] == "token_expired"
    renewed = AsyncWebClient(token=refreshed["access_token"], base_url=slack.base_url)
    assert (await renewed.auth_test())["ok"] is True


@ALLOW_BASIC_AUTH_DEPRECATION
async def test_authorize_redirects_with_a_code_and_the_state(slack: FakeSlackApi) -> None:
    query = {
        "client_id": slack.client_id,
        "scope": "chat:write,commands",
        "state": "s-1",
        "redirect_uri": "http://app/cb",
    }
    url = f"{slack.root_url}/oauth/v2/authorize"
    async with aiohttp.ClientSession() as session, session.get(url, params=query, allow_redirects=False) as answer:
        location, status = answer.headers["Location"], answer.status

    sent_back = parse_qs(urlparse(location).query)
    exchanged = await AsyncWebClient(base_url=slack.base_url).oauth_v2_access(
        client_id=slack.client_id,
        client_secret=slack.client_secret,
        code=sent_back["code"][0],
        redirect_uri="http://app/cb",
    )
    assert (status, location.split("?")[0], sent_back["state"]) == (302, "http://app/cb", ["s-1"])
    assert exchanged["scope"] == "chat:write,commands"
