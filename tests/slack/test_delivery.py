"""The Slack delivery channel: proactive DMs and channel posts, and Slack's errors as the outbox's outcomes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channel import Channel
from bot.console_channel import ConsoleChannel
from bot.delivery import Dispatcher
from bot.holiday_calendar import HolidaysCalendar
from bot.settings import Settings
from bot.slack.delivery import SlackChannel, make_channel
from handlers.broadcast_views import ACK_BUTTON
from handlers.delivery_ports import Recipient
from handlers.errors import DeliveryError, PermanentDeliveryError
from handlers.reply import Attachment, Block, Reply
from storage.delivery_models import BroadcastAckRow, DeliveryRow
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import FACILITATOR_ID, OWNER_ID, TEAM, Harness, eventually, slack_settings
from tests.slack.payloads import block_actions

HELLO = Reply(text="Hello <!channel>", blocks=(Block(kind="section", text="Hello <!channel>"),), ephemeral=False)


@pytest.fixture
async def channel(slack: FakeSlackApi, sqlite_url: str) -> AsyncIterator[SlackChannel]:
    made = make_channel(Settings(database_url=sqlite_url, slack=slack_settings(slack)))
    yield made
    await made.close()


def to(address: str) -> Recipient:
    return Recipient(key=f"test:{address}", platform="slack", address=address)


async def test_a_dm_opens_the_conversation_once_and_posts(slack: FakeSlackApi, channel: SlackChannel):
    await channel.send(to(f"{TEAM}:{OWNER_ID}"), HELLO)
    await channel.send(to(f"{TEAM}:{OWNER_ID}"), HELLO)

    assert [c.params["users"] for c in slack.calls_to("conversations.open")] == [OWNER_ID]
    posts = slack.calls_to("chat.postMessage")
    assert [p.ok for p in posts] == [True, True]
    assert posts[0].params["channel"].startswith("D")
    assert posts[0].params["text"] == "Hello &lt;!channel&gt;"
    assert posts[0].token == "xoxb-T0TEST001-fake"


async def test_a_channel_post_goes_to_the_channel(slack: FakeSlackApi, channel: SlackChannel):
    await channel.send(to(f"{TEAM}:#aftercare-updates"), HELLO)

    assert slack.messages("C0TESTGEN")[-1]["text"] == "Hello &lt;!channel&gt;"
    assert slack.calls_to("conversations.open") == []


async def test_a_long_message_goes_as_several_within_the_limits(slack: FakeSlackApi, channel: SlackChannel):
    long = Reply(text="list", blocks=tuple(Block(kind="section", text=f"{n}") for n in range(70)))

    await channel.send(to(f"{TEAM}:#aftercare-updates"), long)

    assert [len(m["blocks"]) for m in slack.messages("C0TESTGEN")] == [50, 20]


async def test_a_429_is_a_retry_after_the_time_slack_asked_for(slack: FakeSlackApi, channel: SlackChannel):
    slack.fail_next("chat.postMessage", status=429, retry_after=7)

    with pytest.raises(DeliveryError) as caught:
        await channel.send(to(f"{TEAM}:#aftercare-updates"), HELLO)

    assert not isinstance(caught.value, PermanentDeliveryError)
    assert caught.value.retry_after == 7.0
    assert len(slack.calls_to("chat.postMessage")) == 1  # no sleeping retry inside the send


async def test_a_server_error_is_worth_retrying(slack: FakeSlackApi, channel: SlackChannel):
    slack.fail_next("chat.postMessage", status=503)

    with pytest.raises(DeliveryError) as caught:
        await channel.send(to(f"{TEAM}:#aftercare-updates"), HELLO)

    assert type(caught.value) is DeliveryError
    assert caught.value.retry_after is None


@pytest.mark.parametrize(
    ("setup", "address", "reason"),
    [
        (lambda s: s.deactivate_user(OWNER_ID), f"{TEAM}:{OWNER_ID}", "user_disabled"),
        (lambda s: None, f"{TEAM}:U0NOBODY1", "user_not_found"),
        (lambda s: s.archive_channel("C0TESTGEN"), f"{TEAM}:#aftercare-updates", "is_archived"),
        (
            lambda s: s.add_channel("C0PRIVATE", team_id=TEAM, name="private", bot_is_member=False),
            f"{TEAM}:#private",
            "not_in_channel",
        ),
        (lambda s: None, f"{TEAM}:#no-such-channel", "channel_not_found"),
        (lambda s: s.revoke_token("xoxb-T0TEST001-fake"), f"{TEAM}:{OWNER_ID}", "token_revoked"),
        (lambda s: None, f"T0ELSEWHERE:{OWNER_ID}", "the app is not installed in this workspace"),
    ],
)
async def test_what_will_never_succeed_is_permanent(slack, channel, setup, address, reason):
    setup(slack)

    with pytest.raises(PermanentDeliveryError) as caught:
        await channel.send(to(address), HELLO)

    assert caught.value.reason == reason


async def test_a_broadcast_reaches_slack_through_the_outbox_and_is_acknowledged_in_place(harness: Harness):
    await harness.command('/broadcast team:T-ADO "Please read the learning brief before Friday."', user=FACILITATOR_ID)
    await harness.command("/broadcast confirm B1", user=FACILITATOR_ID)
    settings = Settings(database_url=harness.runtime.database_url, slack=slack_settings(harness.slack))
    console = ConsoleChannel(harness.runtime.clock, show=None)
    slack_channel = make_channel(settings)
    channels: dict[str, Channel] = {"slack": slack_channel, "console": console}
    dispatcher = Dispatcher(
        harness.runtime.sessions, channels, calendar=HolidaysCalendar(), clock=harness.runtime.clock
    )

    await dispatcher.drain()
    await slack_channel.close()

    async with harness.runtime.sessions() as session:
        rows = list((await session.execute(select(DeliveryRow).where(DeliveryRow.platform == "slack"))).scalars())
    assert [(row.address, row.status) for row in rows] == [(f"{TEAM}:{OWNER_ID}", "sent")]
    dm = str(harness.slack.calls_to("chat.postMessage")[-1].params["channel"])
    message = harness.slack.messages(dm)[-1]
    assert "learning brief" in str(message["blocks"])

    await harness.interact(block_actions(harness.slack, dm, message, ACK_BUTTON, "B1"))

    await eventually(lambda: harness.slack.calls_to("chat.update"))
    assert await harness.count(BroadcastAckRow) == 1
    assert "can see you have read it" in str(harness.slack.messages(dm)[-1]["blocks"])


async def test_files_with_a_message_are_uploaded_into_the_same_conversation(
    slack: FakeSlackApi, channel: SlackChannel, tmp_path: Path
):
    chart = tmp_path / "assurance.png"
    chart.write_bytes(b"\x89PNG fake chart")
    report = Reply(
        text="Assurance", files=(Attachment(path=str(chart), media_type="image/png", title="Assurance (PNG)"),)
    )

    await channel.send(to(f"{TEAM}:{OWNER_ID}"), report)

    completed = slack.calls_to("files.completeUploadExternal")
    assert [c.ok for c in completed] == [True]
    assert completed[0].params["channel_id"] == slack.calls_to("chat.postMessage")[0].params["channel"]
    file_id = slack.calls_to("files.getUploadURLExternal")[0]
    assert file_id.ok
    assert b"fake chart" in (slack.uploaded(_file_id(completed[0].params["files"])) or b"")


async def test_a_file_that_is_gone_is_a_permanent_failure(channel: SlackChannel, tmp_path: Path):
    missing = Reply(text="x", files=(Attachment(path=str(tmp_path / "gone.png"), media_type="image/png", title="x"),))

    with pytest.raises(PermanentDeliveryError):
        await channel.send(to(f"{TEAM}:{OWNER_ID}"), missing)


def _file_id(files: object) -> str:
    loaded = json.loads(files) if isinstance(files, str) else files
    assert isinstance(loaded, list)
    return str(loaded[0]["id"])
