"""Attacks on the Teams door: other tenants, other channels, e-mail matches across tenants. Real signed activities
through the SDK; each is refused before any handler runs or anything is stored."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.runtime import Runtime
from bot.teams.listeners import NOT_KNOWN
from storage.anonymous_models import ReflectionRow
from storage.models import ActionRow, PlatformIdentityRow
from storage.teams_models import TeamsConversationRefRow
from tests.factories import FACILITATOR, PRACTITIONER
from tests.fakes.teams_connector import FakeConnector
from tests.fakes.teams_tokens import FAKE_TENANT_ID, message_activity
from tests.teams.conftest import OWNER_AAD, WORKER_AAD, Harness, harness
from tests.teams.test_interactions import dialog_card, submit_data

OTHER_TENANT = "7e0c0000-0000-4000-8000-0000000000bb"
ATTACKER_AAD = "0a000000-0000-4000-8000-00000000bad1"


async def count(runtime: Runtime, row: type) -> int:
    async with runtime.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(row))).scalar_one())


async def a07_status(runtime: Runtime) -> str:
    async with runtime.sessions() as session:
        return str((await session.execute(select(ActionRow.status).where(ActionRow.code == "A07"))).scalar_one())


def attacker_chat(fake: FakeConnector, email: str) -> str:
    """An account in another tenant, whose admin gave it the e-mail of a facilitator of our programme."""
    fake.add_user(ATTACKER_AAD, tenant_id=OTHER_TENANT, email=email)
    chat = fake.personal_conversation_id(ATTACKER_AAD, OTHER_TENANT)
    fake.add_conversation(chat, tenant_id=OTHER_TENANT, members=[ATTACKER_AAD])
    return chat


async def test_by_default_only_the_bots_own_tenant_is_let_in(teams: Harness):
    chat = attacker_chat(teams.fake, FACILITATOR)
    refs, identities = (
        await count(teams.runtime, TeamsConversationRefRow),
        await count(teams.runtime, PlatformIdentityRow),
    )
    response = await teams.post(
        message_activity("actions A07 done", ATTACKER_AAD, OTHER_TENANT, chat, teams.fake.service_url)
    )
    assert response.status_code == 200
    assert await a07_status(teams.runtime) == "not_started"
    assert await count(teams.runtime, TeamsConversationRefRow) == refs  # nothing stored, not even the conversation
    assert await count(teams.runtime, PlatformIdentityRow) == identities
    assert [a.text for a in teams.fake.sent_to(chat)] == [
        "This Teams organisation isn't set up for Aftercare; please ask your facilitator."
    ]
    assert not [r for r in teams.fake.requests if "/members/" in r.path]  # nobody was looked up


async def test_an_email_never_matches_across_tenants_even_when_every_tenant_is_allowed(
    fake: FakeConnector, teams_runtime: Runtime
):
    async with harness(fake, teams_runtime, allow_all_tenants="dangerously-allow") as teams:
        chat = attacker_chat(fake, FACILITATOR)
        await teams.post(message_activity("whoami", ATTACKER_AAD, OTHER_TENANT, chat, fake.service_url))
        await teams.post(message_activity('broadcast all "hello"', ATTACKER_AAD, OTHER_TENANT, chat, fake.service_url))
        assert [a.text for a in fake.sent_to(chat)] == [NOT_KNOWN, NOT_KNOWN]
        async with teams_runtime.sessions() as session:
            tenants = set((await session.execute(select(PlatformIdentityRow.workspace))).scalars())
        assert OTHER_TENANT not in tenants


async def test_the_allow_all_setting_must_say_so_exactly(fake: FakeConnector, teams_runtime: Runtime):
    with pytest.raises((RuntimeError, ValueError), match="dangerously-allow"):
        async with harness(fake, teams_runtime, allow_all_tenants="yes"):
            pass


async def test_an_activity_from_another_channel_is_refused_before_any_handler(teams: Harness):
    refs = await count(teams.runtime, TeamsConversationRefRow)
    for channel in ("webchat", "directline", "slack"):
        activity = message_activity("actions A07 done", OWNER_AAD, FAKE_TENANT_ID, teams.ids(OWNER_AAD)[2],
                                    teams.fake.service_url)  # fmt: skip
        activity["channelId"] = channel
        response = await teams.post(activity)
        assert response.status_code < 500
    missing = message_activity("actions A07 done", *teams.ids(OWNER_AAD))
    del missing["channelId"]
    assert (await teams.post(missing)).status_code < 500
    assert await a07_status(teams.runtime) == "not_started"
    assert await count(teams.runtime, TeamsConversationRefRow) == refs
    assert teams.fake.sent_to(teams.ids(OWNER_AAD)[2]) == []


HARMFUL = (
    "Jayden Smith, NHS number 943 476 5919, lives at 12 Mill Lane, KM1 2AB; his stepfather is going there tonight."
)


async def reflections_stored(runtime: Runtime) -> int:
    return await count(runtime, ReflectionRow)


async def test_a_card_with_a_forged_form_id_and_state_stores_nothing(teams: Harness):
    """The distress form's state carries the text kept while the author chooses; a modified card that puts text
    there directly must not get it stored unscreened."""
    await teams.say(WORKER_AAD, "aftercare privacy accept")
    forged_state = json.dumps({"prompt": "", "text": HARMFUL, "tags": ""})
    for form_id, state in (("reflect.distress", forged_state), ("reflect", forged_state)):
        answer = await teams.submit(WORKER_AAD, {"aftercare": "submit", "form_id": form_id, "state": state,
                                                  "field.themes": "yes", "field.text": "fine"})  # fmt: skip
        assert answer["task"]["type"] in ("message", "continue")
    assert await reflections_stored(teams.runtime) == 0


async def test_a_sealed_state_works_only_for_its_own_form_and_person(teams: Harness):
    await teams.say(WORKER_AAD, "aftercare privacy accept")
    await teams.say(OWNER_AAD, "aftercare privacy accept")
    opened = dialog_card(await teams.fetch(WORKER_AAD, {"aftercare": "command", "line": "reflect"}))
    data = submit_data(opened, text="We should ask to see a feed on first visits.", tags="", at_risk_now="no")
    assert data["state"] != '{"prompt": ""}'  # sealed by the server, not the bare state
    other_form = await teams.submit(WORKER_AAD, {**data, "form_id": "reflect.distress"})
    someone_else = await teams.submit(OWNER_AAD, data)
    assert "That form has expired; please start again." in str(other_form)
    assert "That form has expired; please start again." in str(someone_else)
    assert await reflections_stored(teams.runtime) == 0
    receipt = await teams.submit(WORKER_AAD, data)
    assert "Your reflection is saved" in str(receipt)
    assert await reflections_stored(teams.runtime) == 1


async def test_the_distress_choice_screens_exactly_the_text_it_stores(teams: Harness):
    """Even a state the server sealed is screened again before it is stored."""
    await teams.say(WORKER_AAD, "aftercare privacy accept")
    async with teams.runtime.sessions() as session:
        worker = await teams.runtime.deps(session).participants.by_email_anywhere(PRACTITIONER)
    state = json.dumps({"prompt": "", "text": HARMFUL, "tags": ""})
    sealed = teams.runtime.forms.seal(worker[0].id, "reflect.distress", state)
    await teams.submit(WORKER_AAD, {"aftercare": "submit", "form_id": "reflect.distress", "state": sealed,
                                    "field.themes": "yes"})  # fmt: skip
    assert await reflections_stored(teams.runtime) == 0


async def test_reflect_with_text_opens_the_form_prefilled_and_says_why(teams: Harness):
    await teams.say(WORKER_AAD, "aftercare privacy accept")
    text = "We should ask to see a feed on first visits."
    await teams.say(WORKER_AAD, f"reflect {text}")
    launcher = teams.fake.sent_to(teams.ids(WORKER_AAD)[2])[-1]
    card = launcher.cards[0]
    assert "Reflections go through the form rather than the chat" in str(card["body"])
    [opener] = card["actions"]
    [field] = [f for f in opener["data"]["form"]["fields"] if f["key"] == "text"]
    assert field["initial"] == text
    assert await reflections_stored(teams.runtime) == 0
