"""Home in the Teams personal chat: the same feature as the Slack App Home (handlers/home.py), reached through the
one pipeline with a HomeOpened request; shown on install, when the chat starts and on "home"; paged and refreshed
by buttons that update the card in place. Real tokens, the fake Bot Connector checking every card's schema."""

from __future__ import annotations

from typing import Any

from bot.runtime import Runtime
from bot.teams.listeners import WELCOME_UNKNOWN
from handlers.home import HOME_PAGE, HOME_REFRESH
from tests.factories import OWNER
from tests.fakes.teams_connector import FakeConnector
from tests.fakes.teams_tokens import (
    FAKE_TENANT_ID,
    conversation_update_activity,
    installation_update_activity,
    message_activity,
)
from tests.teams.conftest import FACILITATOR_AAD, OWNER_AAD, WORKER_AAD, Harness, chat_of, harness

OTHER_TENANT = "tenant-b"
PROGRAMME_WORDS = ("Your open actions", "A07", "Programme progress", "Testshire", "Delivery")


def cards(teams: Harness, aad: str, operation: str = "send") -> list[dict[str, Any]]:
    return [a.cards[0] for a in teams.fake.sent_to(chat_of(teams.fake, aad)) if a.operation == operation and a.cards]


def verbs(card: dict[str, Any]) -> dict[str, str]:
    """Each Action.Execute button's verb → its value."""
    found = [a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]]
    return {a["verb"]: a["data"]["value"] for a in found if a["type"] == "Action.Execute"}


async def home_card(teams: Harness, aad: str) -> tuple[str, dict[str, Any]]:
    await teams.say(aad, "home")
    sent = teams.fake.sent_to(chat_of(teams.fake, aad))[-1]
    return sent.activity_id, sent.cards[0]


async def test_home_typed_shows_your_actions_and_progress_with_a_refresh_button(teams: Harness):
    _, card = await home_card(teams, OWNER_AAD)

    assert "Your open actions (2)" in str(card) and "A07" in str(card) and "A09" in str(card)
    assert "Programme progress" in str(card)
    assert verbs(card)[HOME_REFRESH] == "1"


async def test_installing_in_a_personal_chat_shows_home_once_though_teams_sends_two_activities(teams: Harness):
    ids = (OWNER_AAD, FAKE_TENANT_ID, chat_of(teams.fake, OWNER_AAD), teams.fake.service_url)
    assert (await teams.post(installation_update_activity(*ids))).status_code == 200
    assert (await teams.post(conversation_update_activity(*ids))).status_code == 200

    [home] = cards(teams, OWNER_AAD)
    assert "Your open actions (2)" in str(home)


async def test_a_personal_chat_starting_shows_home(teams: Harness):
    ids = (WORKER_AAD, FAKE_TENANT_ID, chat_of(teams.fake, WORKER_AAD), teams.fake.service_url)
    assert (await teams.post(conversation_update_activity(*ids))).status_code == 200

    [home] = cards(teams, WORKER_AAD)
    assert "Programme progress" in str(home)


async def test_the_bot_added_to_a_channel_shows_no_home(teams: Harness):
    channel = "19:general@thread.tacv2"
    added = conversation_update_activity(OWNER_AAD, FAKE_TENANT_ID, channel, teams.fake.service_url,
                                         members_added=[{"id": f"28:{teams.fake.app_id}"}],
                                         conversation_type="channel")  # fmt: skip
    assert (await teams.post(added)).status_code == 200
    assert teams.fake.sent_to(channel) == []


async def test_refresh_updates_the_card_in_place(teams: Harness):
    message_id, _ = await home_card(teams, OWNER_AAD)
    await teams.say(OWNER_AAD, "actions A07 complete Audit done")

    answer = await teams.press(OWNER_AAD, HOME_REFRESH, "1", reply_to_id=message_id)

    [update] = [a for a in teams.fake.sent_to(chat_of(teams.fake, OWNER_AAD)) if a.operation == "update"]
    assert update.activity_id == message_id
    assert "Your open actions (1)" in str(update.cards[0])
    assert answer["value"] == update.cards[0]


async def test_next_page_is_a_button_like_any_other(teams: Harness):
    message_id, _ = await home_card(teams, OWNER_AAD)

    answer = await teams.press(OWNER_AAD, HOME_PAGE, "99999999999999999999", reply_to_id=message_id)

    assert "Page 1 of 1" in str(answer["value"])  # a page past the end (or a huge number) shows the last one


async def test_a_facilitator_sees_delivery_figures_and_a_practitioner_does_not(teams: Harness):
    _, facilitator = await home_card(teams, FACILITATOR_AAD)
    _, practitioner = await home_card(teams, WORKER_AAD)

    assert "Delivery, last 7 days" in str(facilitator) and "Sent 0" in str(facilitator)
    assert "Delivery" not in str(practitioner) and "Sent " not in str(practitioner)


async def test_someone_of_another_tenant_with_a_participants_email_sees_nothing_of_the_programme(
    fake: FakeConnector, teams_runtime: Runtime
):
    """Both tenants may use the bot, but the programme lists only the first: an e-mail match never crosses over."""
    async with harness(fake, teams_runtime, allow_all_tenants="dangerously-allow") as teams:
        fake.add_user("aad-copycat", tenant_id=OTHER_TENANT, email=OWNER)
        chat = fake.personal_conversation_id("aad-copycat", OTHER_TENANT)
        fake.add_conversation(chat, tenant_id=OTHER_TENANT, members=["aad-copycat"])
        ids = ("aad-copycat", OTHER_TENANT, chat, fake.service_url)

        await teams.post(installation_update_activity(*ids))
        await teams.post(message_activity("home", *ids))
        await teams.post(message_activity("hi", *ids))

        answers = [a.text for a in fake.sent_to(chat)]
        assert answers == [WELCOME_UNKNOWN] * 3
        assert not any(word in str(a.body) for a in fake.sent_to(chat) for word in PROGRAMME_WORDS)
