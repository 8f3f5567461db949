"""A facilitator sends the action plan to the bot in a Teams 1:1 chat: a signed activity with a file attachment, a
download from the fake (SharePoint-style pre-authenticated URL), a preview card, and nothing applied until Apply."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from sqlalchemy import select

from bot import plan_uploads, programme_cli
from bot.plan_export import csv_bytes
from bot.teams.plan_files import allowed
from storage.models import ActionRow
from storage.plan_upload_models import PlanUploadRow
from tests.factories import FACILITATOR
from tests.fakes.teams_tokens import message_activity
from tests.teams.conftest import OWNER_AAD, Harness, chat_of

FACILITATOR_AAD = "0a000000-0000-4000-8000-00000000a004"


async def sheet(teams: Harness, edits: dict[tuple[str, str], str]) -> bytes:
    table = list(
        csv.reader(io.StringIO(csv_bytes(await programme_cli.plan_rows_of(teams.runtime, None)).decode("utf-8-sig")))
    )
    for (code, heading), value in edits.items():
        table[[r[0] for r in table].index(code)][table[0].index(heading)] = value
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode()


async def send_file(teams: Harness, aad: str, name: str, data: bytes) -> None:
    activity = message_activity("", *teams.ids(aad))
    activity["attachments"] = [teams.fake.share_file(name, data)]
    response = await teams.post(activity)
    assert response.status_code == 200, response.text


async def plan(teams: Harness) -> dict[str, tuple[Any, ...]]:
    async with teams.runtime.sessions() as session:
        rows = (await session.execute(select(ActionRow))).scalars().all()
    return {r.code: (r.status, r.due, r.resources) for r in rows}


async def uploads(teams: Harness) -> list[PlanUploadRow]:
    async with teams.runtime.sessions() as session:
        return list((await session.execute(select(PlanUploadRow))).scalars())


@pytest.fixture
def facilitator(teams: Harness) -> Harness:
    teams.fake.add_user(FACILITATOR_AAD, email=FACILITATOR)
    teams.fake.add_conversation(chat_of(teams.fake, FACILITATOR_AAD), members=[FACILITATOR_AAD])
    return teams


async def test_a_file_sent_in_a_teams_chat_is_previewed_and_applied_only_on_apply(facilitator: Harness):
    teams = facilitator
    data = await sheet(teams, {("A09", "Due date"): "2026-10-31", ("A07", "Resources"): "Two analysts"})
    assert (await teams.runtime.say(FACILITATOR, "/actions A09 due 2026-09-30")).ok
    before = await plan(teams)

    await send_file(teams, FACILITATOR_AAD, "plan.csv", data)

    preview = str(teams.replies(FACILITATOR_AAD)[-1])
    assert "Preview of plan.csv: nothing has changed yet." in preview
    assert "the spreadsheet says 2026-10-31, but Fay Facilitator changed it in chat to 2026-09-30" in preview
    assert teams.fake.downloads and await plan(teams) == before
    [row] = await uploads(teams)

    answer = await teams.press(FACILITATOR_AAD, plan_uploads.APPLY_BUTTON, f"{row.id}:spreadsheet")
    assert "Imported plan.csv" in str(answer)
    after = await plan(teams)
    assert after["A07"][2] == "Two analysts" and after["A09"][1] == dt.date(2026, 10, 31)
    assert {code for code in after if after[code] != before[code]} == {"A07", "A09"}
    [done] = await uploads(teams)
    assert done.state == "applied" and done.content == b""


async def test_cancel_imports_nothing(facilitator: Harness):
    teams = facilitator
    await send_file(teams, FACILITATOR_AAD, "plan.csv", await sheet(teams, {("A07", "Resources"): "Two analysts"}))
    [row] = await uploads(teams)
    before = await plan(teams)
    await teams.press(FACILITATOR_AAD, plan_uploads.CANCEL_BUTTON, str(row.id))
    assert await plan(teams) == before
    [done] = await uploads(teams)
    assert done.state == "cancelled" and done.content == b""
    late = await teams.press(FACILITATOR_AAD, plan_uploads.APPLY_BUTTON, f"{row.id}:")
    assert "already cancelled" in str(late) and await plan(teams) == before


async def test_an_owner_who_is_not_a_facilitator_is_refused(teams: Harness):
    await send_file(teams, OWNER_AAD, "plan.csv", await sheet(teams, {("A07", "Resources"): "Two analysts"}))
    assert "Only facilitators can change the programme or its action plan from a file" in str(
        teams.replies(OWNER_AAD)[-1]
    )
    assert await uploads(teams) == []


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://kestermoor.sharepoint.com/personal/x/plan.xlsx", True),
        ("http://kestermoor.sharepoint.com/x", False),
        ("https://sharepoint.com.evil.example/x", False),
        ("https://169.254.169.254/latest/meta-data", False),
        ("http://127.0.0.1:9/x", False),  # not the conversation's own service host
        ("https://smba.trafficmanager.net/files/x", True),  # the conversation's own service host
    ],
)
def test_files_are_fetched_only_from_sharepoint_or_the_service_host(url: str, ok: bool):
    assert allowed(url, "https://smba.trafficmanager.net/emea/") is ok
