"""The Slack scenarios, through Teams activities: broadcast with acknowledgement, proactive prompts, action check-ins,
reflection (including a possible live concern) and the check-in, end to end against the fake connector."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.channel import Channel
from bot.compose import assemble
from bot.console_channel import ConsoleChannel
from bot.delivery import Dispatcher
from bot.holiday_calendar import HolidaysCalendar
from bot.runtime import Runtime
from handlers.delivery_ports import Recipient
from handlers.nudges import action_checkin
from handlers.prompting import prompt_reply
from handlers.schedule_messages import checkin_invitation
from storage.anonymous_models import IndicatorResponseRow, ReflectionRow, SafeguardingFlagRow
from storage.delivery_models import DeliveryRow
from storage.models import ActionRow
from tests.factories import FACILITATOR
from tests.fakes.teams_connector import FakeConnector
from tests.fakes.teams_tokens import FAKE_TENANT_ID
from tests.teams.conftest import MANAGER_AAD, OWNER_AAD, Harness, chat_of
from tests.teams.test_interactions import dialog_card, submit_data

FACILITATOR_AAD = "0a000000-0000-4000-8000-00000000a004"
LIVE_CONCERN = "I'm worried because the little boy I visited yesterday is still living with the stepdad who hit him."


async def count(runtime: Runtime, row: Any, *where: Any) -> int:
    async with runtime.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(row).where(*where))).scalar_one())


def dispatcher(teams: Harness) -> Dispatcher:
    console = ConsoleChannel(teams.runtime.clock, show=None)
    channels: dict[str, Channel] = {"teams": teams.bot.channel(), "slack": console, "console": console}
    return Dispatcher(teams.runtime.sessions, channels, calendar=HolidaysCalendar(), clock=teams.runtime.clock)


def last_card(teams: Harness, aad: str) -> tuple[str, dict[str, Any]]:
    sent = [a for a in teams.fake.sent_to(chat_of(teams.fake, aad)) if a.cards][-1]
    return sent.activity_id, sent.cards[0]


def buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["title"]: a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]}


async def test_broadcast_with_acknowledgement(teams: Harness):
    fake = teams.fake
    fake.add_user(FACILITATOR_AAD, email=FACILITATOR)
    fake.add_conversation(chat_of(fake, FACILITATOR_AAD), members=[FACILITATOR_AAD])
    await teams.say(MANAGER_AAD, "home")  # the manager is now known by their Teams account
    worker_chat = fake.personal_conversation_id("aad-worker", "tenant-a")  # Pat Worker's account in tenant-a
    fake.add_conversation(worker_chat, tenant_id="tenant-a")
    fake.block(worker_chat)

    await teams.say(FACILITATOR_AAD, 'broadcast team:T-ADO "Please read the learning brief before Friday."')
    preview_id, preview = last_card(teams, FACILITATOR_AAD)
    assert "Preview of B1: nothing has been sent yet" in str(preview)
    assert "KBC 3" in str(preview)
    send = buttons(preview)["Send to 3 recipients"]
    assert (send["type"], send["verb"], send["data"]) == ("Action.Execute", "broadcast.send", {"value": "B1"})
    assert await dispatcher(teams).drain() == 0  # nothing goes before it is confirmed
    refused = await teams.press(MANAGER_AAD, "broadcast.send", "B1")  # not a facilitator: refused
    assert "Only facilitators can confirm broadcasts." in str(refused)
    assert await dispatcher(teams).drain() == 0
    sent = await teams.press(FACILITATOR_AAD, "broadcast.send", "B1", reply_to_id=preview_id)
    assert "B1 will go to 3 recipients now" in str(sent)
    assert await dispatcher(teams).drain() == 2  # the owner (on Slack) and the manager (on Teams); Pat blocked us

    message_id, card = last_card(teams, MANAGER_AAD)
    assert "Please read the learning brief before Friday." in str(card)
    acknowledge = buttons(card)["Acknowledge"]
    assert (acknowledge["type"], acknowledge["verb"], acknowledge["data"]) == (
        "Action.Execute", "broadcast.acknowledge", {"value": "B1"},
    )  # fmt: skip
    answer = await teams.press(MANAGER_AAD, "broadcast.acknowledge", "B1", reply_to_id=message_id)
    assert "Thank you, Mina" in str(answer["value"])
    [shown] = fake.messages(chat_of(fake, MANAGER_AAD))[-1:]
    assert "Thank you, Mina" in str(shown)

    await teams.say(FACILITATOR_AAD, "broadcast status B1")
    report = str(teams.replies(FACILITATOR_AAD)[-1])
    assert "ConversationBlockedByUser" in report
    dead = await count(teams.runtime, DeliveryRow, DeliveryRow.status == "dead")
    assert dead == 1


async def test_a_proactive_prompt_leads_to_a_reflection_in_a_dialog(teams: Harness):
    await teams.say(MANAGER_AAD, "aftercare privacy accept")
    prompt = teams.runtime.library.prompts[0]
    programme = (await teams.runtime.programmes())[0]
    recipient = Recipient(key="prompt:1", platform="teams", address=f"{FAKE_TENANT_ID}:{MANAGER_AAD}")
    await teams.bot.channel().send(recipient, prompt_reply(prompt, programme.review_title))

    _message_id, card = last_card(teams, MANAGER_AAD)
    reflect = buttons(card)["Reflect"]
    assert reflect["data"]["msteams"] == {"type": "task/fetch"}
    form = dialog_card(await teams.fetch(MANAGER_AAD, reflect["data"]))
    assert prompt.text[:30] in str(form)
    receipt = dialog_card(
        await teams.submit(MANAGER_AAD, submit_data(form, text="Ask to see a feed.", tags="", at_risk_now="no"))
    )
    assert "Ask to see a feed." in str(receipt)
    assert await count(teams.runtime, ReflectionRow, ReflectionRow.prompt_id == prompt.id) == 1


async def test_not_today_on_a_prompt_updates_it_in_place(teams: Harness):
    prompt = teams.runtime.library.prompts[0]
    programme = (await teams.runtime.programmes())[0]
    recipient = Recipient(key="prompt:2", platform="teams", address=f"{FAKE_TENANT_ID}:{OWNER_AAD}")
    await teams.bot.channel().send(recipient, prompt_reply(prompt, programme.review_title))
    message_id, card = last_card(teams, OWNER_AAD)
    assert buttons(card)["Not today"]["type"] == "Action.Execute"
    await teams.press(OWNER_AAD, "prompt.not_today", prompt.id, reply_to_id=message_id)
    [shown] = teams.fake.messages(chat_of(teams.fake, OWNER_AAD))
    assert "No problem" in str(shown)


async def test_an_action_check_in_is_answered_with_a_button(teams: Harness):
    async with teams.runtime.unit() as deps:
        action = await deps.actions.get(1, "A07")
    assert action is not None
    recipient = Recipient(key="nudge:1", platform="teams", address=f"{FAKE_TENANT_ID}:{OWNER_AAD}")
    await teams.bot.channel().send(recipient, action_checkin(action))
    message_id, card = last_card(teams, OWNER_AAD)
    assert buttons(card)["At risk"]["data"] == {"value": "A07:at_risk"}
    await teams.press(OWNER_AAD, "actions.set_status", "A07:at_risk", reply_to_id=message_id)
    assert await count(teams.runtime, ActionRow, ActionRow.code == "A07", ActionRow.status == "at_risk") == 1
    assert "At risk" in str(teams.fake.messages(chat_of(teams.fake, OWNER_AAD)))


async def test_a_possible_live_concern_is_kept_as_a_flag_and_never_as_words(teams: Harness):
    await teams.say(MANAGER_AAD, "aftercare privacy accept")
    form = dialog_card(await teams.fetch(MANAGER_AAD, {"aftercare": "command", "line": "reflect"}))
    concern = dialog_card(
        await teams.submit(MANAGER_AAD, submit_data(form, text=LIVE_CONCERN, tags="", at_risk_now="no"))
    )
    assert "not a referral route" in str(concern)
    done = await teams.submit(MANAGER_AAD, submit_data(concern, choice="need_help"))
    assert "safeguarding contact" in done["task"]["value"]
    assert await count(teams.runtime, SafeguardingFlagRow, SafeguardingFlagRow.choice == "need_help") == 1
    assert await count(teams.runtime, ReflectionRow) == 0
    assert await count(teams.runtime, DeliveryRow, DeliveryRow.kind == "notice") == 1
    assert "stepdad" not in str(teams.fake.activities)


async def test_a_check_in_invitation_opens_the_check_in_as_a_dialog(teams: Harness):
    await teams.say(MANAGER_AAD, "aftercare privacy accept")
    programme = (await teams.runtime.programmes())[0]
    cycle = next(c for c in programme.checkins if c.code == "CI-0")
    recipient = Recipient(key="checkin:1", platform="teams", address=f"{FAKE_TENANT_ID}:{MANAGER_AAD}")
    await teams.bot.channel().send(recipient, checkin_invitation(programme, cycle))

    _message_id, card = last_card(teams, MANAGER_AAD)
    check_in = buttons(card)["Check in"]
    assert check_in["data"]["msteams"] == {"type": "task/fetch"}
    form = dialog_card(await teams.fetch(MANAGER_AAD, check_in["data"]))
    done = await teams.submit(MANAGER_AAD, submit_data(form, **{"IND-01": "4", "IND-02": "skip"}))
    assert done["task"]["type"] == "message"
    assert "Saved 1 answers" in done["task"]["value"]
    assert await count(teams.runtime, IndicatorResponseRow) >= 1


async def test_broadcasts_work_from_the_runtime_the_composition_root_builds(fake: FakeConnector, sqlite_url: str):
    from storage.programme_store import store_programme
    from tests.factories import make_programme_doc
    from tests.teams.conftest import harness

    runtime = assemble(sqlite_url, secret=b"plain")
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, make_programme_doc(), runtime.clock.now(), "Europe/London")
    fake.add_user(FACILITATOR_AAD, email=FACILITATOR)
    fake.add_conversation(chat_of(fake, FACILITATOR_AAD), members=[FACILITATOR_AAD])
    async with harness(fake, runtime) as teams:
        await teams.say(FACILITATOR_AAD, 'broadcast team:T-ADO "Hello"')
        await teams.say(FACILITATOR_AAD, "broadcast confirm B1")
        assert "not switched on" not in str(teams.replies(FACILITATOR_AAD))
        assert await count(teams.runtime, DeliveryRow) == 3
    await runtime.close()
