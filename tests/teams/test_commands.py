"""Typed commands in Teams: the Slack grammar without the slash, people found within their tenant only."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.runtime import Runtime
from bot.teams.inbound import CommandLine, ShowHome, clean_text, read_line
from bot.teams.listeners import NOT_KNOWN
from storage.models import ActionRow, ActionUpdateRow, PlatformIdentityRow
from tests.fakes.teams_connector import FakeConnector
from tests.fakes.teams_tokens import FAKE_TENANT_ID, message_activity
from tests.teams.conftest import MANAGER_AAD, OWNER_AAD, STRANGER_AAD, WORKER_AAD, Harness, chat_of, harness


async def a07(runtime: Runtime) -> tuple[str, list[str]]:
    async with runtime.sessions() as session:
        status = (await session.execute(select(ActionRow.status).where(ActionRow.code == "A07"))).scalar_one()
        a07_id = select(ActionRow.id).where(ActionRow.code == "A07").scalar_subquery()
        notes = await session.execute(select(ActionUpdateRow.note).where(ActionUpdateRow.action_id == a07_id))
        return str(status), [str(n) for n in notes.scalars()]


async def teams_identities(runtime: Runtime) -> set[tuple[str, str]]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(PlatformIdentityRow.workspace, PlatformIdentityRow.user_id).where(
                PlatformIdentityRow.platform == "teams"
            )
        )
        return {(str(w), str(u)) for w, u in rows.all()}


def texts(teams: Harness, aad: str) -> list[str]:
    return [r.get("text") or r["attachments"][0]["content"]["body"][0]["text"] for r in teams.replies(aad)]


async def test_the_owner_changes_their_action_and_gets_an_answer(teams: Harness):
    await teams.say(OWNER_AAD, "actions A07 on track Weekly huddles started")
    assert await a07(teams.runtime) == ("on_track", ["Weekly huddles started"])
    assert texts(teams, OWNER_AAD) == ["A07 is now 'On track'. Note saved: Weekly huddles started"]


async def test_a_note_cannot_become_a_link_or_formatting(teams: Harness):
    """Words a person typed are escaped in Teams markdown: before rich text they reached the card as markdown, so a
    note could show a link whose words hide where it goes."""
    await teams.say(OWNER_AAD, "actions A07 on track see [the guide](https://evil.example) **now**")
    await teams.say(OWNER_AAD, "actions A07")

    answer, card = teams.replies(OWNER_AAD)
    assert answer["text"] == (
        "A07 is now 'On track'. Note saved: see \\[the guide\\](https://evil.example) \\*\\*now\\*\\*"
    )
    shown = json.dumps(card["attachments"][0]["content"])
    assert "see \\\\[the guide\\\\](https://evil.example)" in shown  # JSON doubles each backslash
    assert "[the guide](" not in shown.replace("\\\\[", "").replace("\\\\]", "")


async def test_someone_else_gets_the_kind_refusal_and_nothing_changes(teams: Harness):
    await teams.say(WORKER_AAD, "actions A07 on track Weekly huddles started")
    assert await a07(teams.runtime) == ("not_started", [])
    [answer] = teams.replies(WORKER_AAD)
    assert "A07" in answer["text"]
    assert "owner" in answer["text"].lower()


async def test_a_mistyped_code_gets_a_suggestion(teams: Harness):
    await teams.say(OWNER_AAD, "actions A70")
    [answer] = teams.replies(OWNER_AAD)
    assert "There is no action A70. Did you mean A07?" in answer["text"]
    assert "/actions" not in answer["text"]  # Teams has no slash commands: "Try actions all"
    assert "actions all" in answer["text"]


async def test_someone_not_in_a_programme_gets_a_kind_answer(teams: Harness):
    await teams.say(STRANGER_AAD, "actions")
    assert [r["text"] for r in teams.replies(STRANGER_AAD)] == [NOT_KNOWN]
    assert await teams_identities(teams.runtime) == {("tenant-a", "aad-worker")}


async def test_a_person_found_by_email_is_remembered_by_their_tenant_and_object_id(teams: Harness):
    await teams.say(MANAGER_AAD, "whoami")
    await teams.say(MANAGER_AAD, "whoami")
    assert (FAKE_TENANT_ID, MANAGER_AAD) in await teams_identities(teams.runtime)
    member_lookups = [r for r in teams.fake.requests if "/members/" in r.path]
    assert len(member_lookups) == 1  # the second message found the stored identity
    assert all("Mina Manager" in str(r) for r in teams.replies(MANAGER_AAD))


async def test_an_identity_in_another_tenant_is_never_used(fake: FakeConnector, teams_runtime: Runtime):
    """Pat Worker is known as aad-worker in tenant-a; the same object id from another tenant is a stranger."""
    async with harness(fake, teams_runtime, allow_all_tenants="dangerously-allow") as teams:
        fake.add_user("aad-worker", tenant_id="tenant-b", email="someone@tenant-b.example")
        chat = fake.personal_conversation_id("aad-worker", "tenant-b")
        fake.add_conversation(chat, tenant_id="tenant-b", members=["aad-worker"])
        await teams.post(message_activity("whoami", "aad-worker", "tenant-b", chat, fake.service_url))
        assert [a.text for a in fake.sent_to(chat)] == [NOT_KNOWN]


async def test_an_email_match_is_refused_when_the_tenant_already_has_another_account(
    fake: FakeConnector, teams_runtime: Runtime
):
    async with harness(fake, teams_runtime, tenants=f"{FAKE_TENANT_ID},tenant-a") as teams:
        fake.add_user("aad-impostor", tenant_id="tenant-a", email="worker@council.example")
        chat = fake.personal_conversation_id("aad-impostor", "tenant-a")
        fake.add_conversation(chat, tenant_id="tenant-a", members=["aad-impostor"])
        await teams.post(message_activity("whoami", "aad-impostor", "tenant-a", chat, fake.service_url))
        assert [a.text for a in fake.sent_to(chat)] == [NOT_KNOWN]
        assert ("tenant-a", "aad-impostor") not in await teams_identities(teams.runtime)


async def test_tenants_outside_the_allow_list_are_turned_away(fake: FakeConnector, teams_runtime: Runtime):
    async with harness(fake, teams_runtime, tenants="some-other-tenant") as teams:
        await teams.say(OWNER_AAD, "actions A07 done")
        assert await a07(teams_runtime) == ("not_started", [])
        assert "isn't set up for Aftercare" in teams.replies(OWNER_AAD)[0]["text"]


async def test_help_privacy_and_whoami_can_be_typed_on_their_own(teams: Harness):
    await teams.say(OWNER_AAD, "whoami")
    await teams.say(OWNER_AAD, "<at>Aftercare</at> aftercare whoami")
    first, second = teams.replies(OWNER_AAD)
    assert first == second
    assert "Olu Owner" in str(first)


async def test_a_group_chat_answer_for_one_person_goes_to_their_1_1_chat(teams: Harness):
    fake = teams.fake
    group = "19:group-chat@thread.v2"
    fake.add_conversation(group, members=[OWNER_AAD, MANAGER_AAD])
    activity = message_activity(
        "<at>Aftercare</at> actions", OWNER_AAD, FAKE_TENANT_ID, group, fake.service_url, conversation_type="groupChat"
    )
    assert (await teams.post(activity)).status_code == 200
    assert [a.text for a in fake.sent_to(group)] == ["I've answered you in our 1:1 chat."]
    [private] = fake.sent_to(chat_of(fake, OWNER_AAD))
    assert "A07" in str(private.body)


def test_reading_typed_text():
    assert read_line("actions A07 on track") == CommandLine("actions", "A07 on track")
    assert read_line("/Actions  A07") == CommandLine("actions", "A07")
    assert read_line("<at>Aftercare</at>&nbsp;help") == CommandLine("aftercare", "help")
    assert read_line("away until 2026-12-31") == CommandLine("aftercare", "away until 2026-12-31")
    assert read_line("thanks") == CommandLine("thanks", "")
    assert read_line("") == ShowHome()
    assert read_line("Hi") == ShowHome()
    assert clean_text("reflect &lt;b&gt; ok") == "reflect <b> ok"
