"""Conversation references from installs and updates; proactive sends through TeamsChannel, and their failures."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.compose import assemble
from bot.runtime import Runtime
from bot.teams.channel import TeamsChannel
from bot.teams.listeners import WELCOME_UNKNOWN
from handlers.delivery_ports import ConversationRef, Recipient
from handlers.errors import DeliveryError, PermanentDeliveryError
from handlers.reply import Block, Reply
from storage.teams_models import TeamsConversationRefRow
from tests.fakes.teams_connector import FakeConnector
from tests.fakes.teams_tokens import FAKE_TENANT_ID, conversation_update_activity, installation_update_activity
from tests.teams.conftest import OWNER_AAD, STRANGER_AAD, WORKER_AAD, Harness, chat_of

NOTICE = Reply(text="Your action A07 is due on Friday.", blocks=(Block(kind="section", text="A07 is due on Friday."),))


async def stored(runtime: Runtime) -> list[TeamsConversationRefRow]:
    async with runtime.sessions() as session:
        return list((await session.execute(select(TeamsConversationRefRow))).scalars())


def to(aad: str) -> Recipient:
    return Recipient(key=f"test:{aad}", platform="teams", address=f"{FAKE_TENANT_ID}:{aad}")


def channel(teams: Harness) -> TeamsChannel:
    return teams.bot.channel()


async def install(teams: Harness, aad: str, action: str = "add") -> None:
    activity = installation_update_activity(aad, FAKE_TENANT_ID, chat_of(teams.fake, aad), teams.fake.service_url,
                                            action=action)  # type: ignore[arg-type]  # fmt: skip
    assert (await teams.post(activity)).status_code == 200


async def test_installing_stores_the_reference_and_welcomes_the_person(teams: Harness):
    await install(teams, OWNER_AAD)
    [row] = await stored(teams.runtime)
    assert (row.tenant_id, row.conversation_id, row.service_url) == (
        FAKE_TENANT_ID,
        chat_of(teams.fake, OWNER_AAD),
        teams.fake.service_url,
    )
    assert (row.conversation_type, row.aad_object_id, row.installed) == ("personal", OWNER_AAD, True)
    [welcome] = teams.replies(OWNER_AAD)
    assert "Your open actions" in str(welcome)


async def test_a_stranger_is_welcomed_kindly(teams: Harness):
    await install(teams, STRANGER_AAD)
    assert [r["text"] for r in teams.replies(STRANGER_AAD)] == [WELCOME_UNKNOWN]


async def test_removing_the_app_marks_the_reference_unusable(teams: Harness):
    await install(teams, OWNER_AAD)
    await install(teams, OWNER_AAD, action="remove")
    [row] = await stored(teams.runtime)
    assert row.installed is False
    assert await teams.bot.refs.personal(FAKE_TENANT_ID, OWNER_AAD) is None


async def test_adding_the_bot_to_a_team_channel_stores_its_reference(teams: Harness):
    channel_id = "19:general@thread.tacv2"
    added = conversation_update_activity(OWNER_AAD, FAKE_TENANT_ID, channel_id, teams.fake.service_url,
                                         members_added=[{"id": f"28:{teams.fake.app_id}"}],
                                         conversation_type="channel")  # fmt: skip
    assert (await teams.post(added)).status_code == 200
    [row] = await stored(teams.runtime)
    assert (row.conversation_id, row.conversation_type, row.aad_object_id) == (channel_id, "channel", None)
    removed = conversation_update_activity(OWNER_AAD, FAKE_TENANT_ID, channel_id, teams.fake.service_url,
                                           members_removed=[{"id": f"28:{teams.fake.app_id}"}],
                                           conversation_type="channel")  # fmt: skip
    assert (await teams.post(removed)).status_code == 200
    assert [r.installed for r in await stored(teams.runtime)] == [False]


async def test_a_proactive_message_reaches_the_stored_chat(teams: Harness):
    await install(teams, OWNER_AAD)
    await channel(teams).send(to(OWNER_AAD), NOTICE)
    last = teams.fake.sent_to(chat_of(teams.fake, OWNER_AAD))[-1]
    assert "A07 is due on Friday." in str(last.cards[0])
    assert not [r for r in teams.fake.requests if r.path == "/v3/conversations"]


async def test_without_a_reference_the_chat_is_opened_and_remembered(teams: Harness):
    await channel(teams).send(to(WORKER_AAD), NOTICE)
    chat = chat_of(teams.fake, WORKER_AAD)
    assert [a.operation for a in teams.fake.sent_to(chat)] == ["send"]
    assert await teams.bot.refs.personal(FAKE_TENANT_ID, WORKER_AAD) == ConversationRef(
        FAKE_TENANT_ID, chat, teams.fake.service_url, "personal", WORKER_AAD
    )
    await channel(teams).send(to(WORKER_AAD), NOTICE)
    assert len([r for r in teams.fake.requests if r.path == "/v3/conversations"]) == 1


async def test_a_person_who_blocked_the_bot_is_a_permanent_failure_with_the_reason(teams: Harness):
    await install(teams, OWNER_AAD)
    teams.fake.block(chat_of(teams.fake, OWNER_AAD))
    with pytest.raises(PermanentDeliveryError, match="ConversationBlockedByUser: the person blocked the bot"):
        await channel(teams).send(to(OWNER_AAD), NOTICE)


@pytest.mark.parametrize(
    ("break_it", "reason"),
    [
        ("uninstall", "ForbiddenOperationException"),  # the stored chat is refused, and reopening it too
        ("delete_conversation", "ConversationNotFound"),
    ],
)
async def test_a_removed_app_or_a_vanished_chat_is_permanent_and_forgotten(teams: Harness, break_it: str, reason: str):
    await install(teams, OWNER_AAD)
    getattr(teams.fake, break_it)(chat_of(teams.fake, OWNER_AAD))
    with pytest.raises(PermanentDeliveryError) as caught:
        await channel(teams).send(to(OWNER_AAD), NOTICE)
    assert ("BotNotInConversationRoster" if break_it == "uninstall" else reason) in caught.value.reason
    assert await teams.bot.refs.personal(FAKE_TENANT_ID, OWNER_AAD) is None
    if break_it == "uninstall":
        with pytest.raises(PermanentDeliveryError, match=reason):
            await channel(teams).send(to(OWNER_AAD), NOTICE)


async def test_a_throttled_send_carries_retry_after_for_the_dispatcher(teams: Harness):
    await install(teams, OWNER_AAD)
    teams.fake.fail_next(chat_of(teams.fake, OWNER_AAD), 429, retry_after=2)
    with pytest.raises(DeliveryError) as caught:
        await channel(teams).send(to(OWNER_AAD), NOTICE)
    assert not isinstance(caught.value, PermanentDeliveryError)
    assert caught.value.retry_after == 2.0


@pytest.mark.parametrize("status", [412, 502, 504])
async def test_transient_failures_are_retryable(teams: Harness, status: int):
    await install(teams, OWNER_AAD)
    teams.fake.fail_next(chat_of(teams.fake, OWNER_AAD), status)
    with pytest.raises(DeliveryError) as caught:
        await channel(teams).send(to(OWNER_AAD), NOTICE)
    assert not isinstance(caught.value, PermanentDeliveryError)
    assert str(status) in caught.value.reason
    await channel(teams).send(to(OWNER_AAD), NOTICE)  # the next try goes through
    assert "A07 is due" in str(teams.fake.sent_to(chat_of(teams.fake, OWNER_AAD))[-1].body)


async def test_replies_to_a_person_are_retried_in_place(teams: Harness):
    chat = chat_of(teams.fake, OWNER_AAD)
    teams.fake.fail_next(chat, 502)
    teams.fake.fail_next(chat, 429, retry_after=0)
    await teams.say(OWNER_AAD, "actions A07")
    assert len(teams.fake.sent_to(chat)) == 1
    assert [r.status for r in teams.fake.requests if r.path.endswith("/activities")] == [502, 429, 201]


def test_paces_name_the_tenant_and_the_conversation(teams: Harness):
    keys = {(p.key, p.limit, p.per) for p in channel(teams).paces(to(OWNER_AAD))}
    assert (f"teams:{FAKE_TENANT_ID}", 30, 1.0) in keys
    assert (f"teams:{FAKE_TENANT_ID}:{OWNER_AAD}:1s", 7, 1.0) in keys
    assert (f"teams:{FAKE_TENANT_ID}:{OWNER_AAD}:3600s", 1800, 3600.0) in keys


async def test_a_malformed_address_is_permanent(teams: Harness):
    with pytest.raises(PermanentDeliveryError, match="not a Teams address"):
        await channel(teams).send(Recipient(key="k", platform="teams", address="no-colon"), NOTICE)


async def test_the_worker_builds_a_teams_channel_from_settings(
    fake: FakeConnector, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
):
    """bot.worker imports bot.teams.delivery.make_channel when TEAMS_CLIENT_ID is set; it sends on its own."""
    from bot import worker
    from bot.settings import Settings, TeamsSettings
    from bot.teams import delivery

    monkeypatch.setattr(delivery, "token_provider", lambda _teams: fake.token_provider)
    monkeypatch.setenv("AFTERCARE_TEAMS_SERVICE_URL", fake.service_url)
    metadata = fake.openid_metadata_url
    teams_settings = TeamsSettings(client_id=fake.app_id, client_secret="s", openid_metadata_url=metadata)
    settings = Settings(database_url=sqlite_url, teams=teams_settings)
    runtime = assemble(sqlite_url, secret=b"x")
    channels = worker.build_channels(settings, runtime)
    made = channels["teams"]
    assert isinstance(made, TeamsChannel)
    await made.send(to(OWNER_AAD), NOTICE)
    assert "A07 is due on Friday." in str(fake.sent_to(chat_of(fake, OWNER_AAD))[-1].body)
    await made.close()
    await runtime.close()


async def test_a_message_teams_accepted_is_known_as_sent_in_this_process(teams: Harness):
    sender = channel(teams)
    assert await sender.was_sent(to(OWNER_AAD)) is None  # Teams cannot be asked: at least once
    await sender.send(to(OWNER_AAD), NOTICE)
    assert await sender.was_sent(to(OWNER_AAD)) is True
    assert await sender.was_sent(to(WORKER_AAD)) is None
