"""A facilitator sends the action plan to the bot in a Slack DM: signed event, files.info, an authorised download from
the fake Slack, a preview with the conflicts, and nothing applied until the Apply button is pressed."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from typing import Any

import pytest
from sqlalchemy import select

from bot import plan_uploads, programme_cli
from bot.plan_export import csv_bytes
from bot.slack.plan_files import PlanFiles, Unreadable
from storage.models import ActionRow
from storage.plan_upload_models import PlanUploadRow
from tests.factories import FACILITATOR
from tests.slack.conftest import FACILITATOR_ID, OWNER_ID, Harness, eventually, fixture
from tests.slack.payloads import block_actions


async def exported(harness: Harness, edits: dict[tuple[str, str], str]) -> bytes:
    rows = await programme_cli.plan_rows_of(harness.runtime, None)
    text = csv_bytes(rows).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    for (code, heading), value in edits.items():
        table[[r[0] for r in table].index(code)][table[0].index(heading)] = value
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode()


def file_event(user: str, channel: str, file_id: str, event_id: str) -> dict[str, Any]:
    body = fixture("file_shared")
    body["event"].update(user_id=user, channel_id=channel, file_id=file_id, file={"id": file_id})
    body["event_id"] = event_id
    return body


async def plan(harness: Harness) -> dict[str, tuple[Any, ...]]:
    async with harness.runtime.sessions() as session:
        rows = (await session.execute(select(ActionRow))).scalars().all()
    return {r.code: (r.status, r.due, r.resources, r.evidence_of_completion) for r in rows}


async def preview_posted(harness: Harness, dm: str) -> dict[str, Any]:
    await eventually(lambda: any(c.params.get("channel") == dm for c in harness.slack.calls_to("chat.postMessage")))
    return harness.slack.messages(dm)[-1]


async def test_an_upload_is_previewed_with_its_conflicts_and_applied_only_on_apply(any_db_harness: Harness):
    harness = any_db_harness
    sheet = await exported(harness, {("A09", "Due date"): "2026-10-31", ("A07", "Resources"): "Two analysts"})
    assert (await harness.runtime.say(FACILITATOR, "/actions A09 due 2026-09-30")).ok  # changed in chat since
    before = await plan(harness)
    file_id, dm = harness.slack.share_file(FACILITATOR_ID, "plan.csv", sheet)

    response = await harness.event(file_event(FACILITATOR_ID, dm, file_id, "Ev0FILE0001"))

    assert response.status_code == 200
    message = await preview_posted(harness, dm)
    text = str(message["blocks"])
    assert "Preview of plan.csv: nothing has changed yet." in text
    assert "A07 resources" in text and "Two analysts" in text
    assert "the spreadsheet says 2026-10-31, but Fay Facilitator changed it in chat to 2026-09-30" in text
    assert [c for c in harness.slack.calls if c.method == "files-pri"]  # downloaded with the bot's token
    assert await plan(harness) == before  # a preview writes nothing

    [row] = await pending(harness)
    press = block_actions(harness.slack, dm, message, plan_uploads.APPLY_BUTTON, f"{row.id}:chat", user=FACILITATOR_ID)
    assert (await harness.interact(press)).status_code == 200
    after = await plan(harness)
    assert after["A07"][2] == "Two analysts"
    assert after["A09"][1] == dt.date(2026, 9, 30)  # chat wins, as the button said
    assert {code for code in after if after[code] != before[code]} == {"A07"}
    [done] = await pending(harness)
    assert done.state == "applied" and done.content == b""

    again = await harness.interact(press)  # a second press (or a retry) applies nothing more
    assert again.status_code == 200 and await plan(harness) == after


async def pending(harness: Harness) -> list[PlanUploadRow]:
    async with harness.runtime.sessions() as session:
        return list((await session.execute(select(PlanUploadRow))).scalars())


async def test_someone_who_is_not_a_facilitator_gets_a_refusal_and_nothing_is_kept(harness: Harness):
    sheet = await exported(harness, {("A07", "Resources"): "Two analysts"})
    file_id, dm = harness.slack.share_file(OWNER_ID, "plan.csv", sheet)
    before = await plan(harness)
    await harness.event(file_event(OWNER_ID, dm, file_id, "Ev0FILE0002"))
    message = await preview_posted(harness, dm)
    assert "Only facilitators can change the programme or its action plan from a file" in str(message)
    assert await pending(harness) == [] and await plan(harness) == before


async def test_a_file_with_problems_is_refused_whole(harness: Harness):
    sheet = await exported(harness, {("A07", "Due date"): "2026-13-45", ("A09", "Resources"): "More"})
    file_id, dm = harness.slack.share_file(FACILITATOR_ID, "plan.csv", sheet)
    before = await plan(harness)
    await harness.event(file_event(FACILITATOR_ID, dm, file_id, "Ev0FILE0003"))
    message = await preview_posted(harness, dm)
    assert "Nothing was changed: plan.csv has 1 problem(s)" in str(message) and "'2026-13-45' is not a date" in str(
        message
    )
    assert await pending(harness) == [] and await plan(harness) == before


async def test_files_in_channels_the_bots_own_uploads_and_other_files_are_left_alone(harness: Harness):
    sheet = await exported(harness, {})
    file_id, dm = harness.slack.share_file(FACILITATOR_ID, "plan.csv", sheet)
    await harness.event(file_event(FACILITATOR_ID, "C0TESTGEN", file_id, "Ev0FILE0004"))  # a channel
    await harness.event(file_event("U0TEST001BOT", dm, file_id, "Ev0FILE0005"))  # the bot's own upload
    photo, dm = harness.slack.share_file(FACILITATOR_ID, "team-photo.png", b"\x89PNG")
    await harness.event(file_event(FACILITATOR_ID, dm, photo, "Ev0FILE0006"))
    await eventually(lambda: harness.slack.calls_to("files.info"))
    await asyncio.sleep(0.2)
    assert [c.params["file"] for c in harness.slack.calls_to("files.info")] == [photo]
    assert not harness.slack.calls_to("chat.postMessage") and await pending(harness) == []


class StubClient:
    token = "xoxb-T0TEST001-fake"

    def __init__(self, url: str) -> None:
        self.url = url

    async def files_info(self, file: str) -> dict[str, Any]:
        return {
            "file": {"id": file, "name": "plan.csv", "size": 10, "user": "U0FACIL01", "url_private_download": self.url}
        }


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/files-pri/x/plan.csv",
        "http://files.slack.com/files-pri/x",
        "http://slack.com/files-pri/x",
        "file:///etc/passwd",
        "https://files.slack.com.evil.example/x",
    ],
)
async def test_the_bot_token_is_never_sent_to_an_address_that_is_not_slacks(url: str):
    files = PlanFiles(listeners=None, api_url="https://slack.com/api/")  # type: ignore[arg-type]
    with pytest.raises(Unreadable):
        await files._download(StubClient(url), "F1", "U0FACIL01")  # type: ignore[arg-type]


async def test_a_plan_whose_evidence_identifies_a_child_is_refused_and_nothing_kept(harness: Harness):
    """Attack (issue 13): a chat upload is screened like `aftercare programme import`; the refusal names the row and
    column and does not repeat the details."""
    child = "Standard used in Jayden Carter's case (14 Mill Lane, KM4 7QT, DOB 04/05/2012)"
    sheet = await exported(harness, {("A09", "Evidence of completion"): child})
    file_id, dm = harness.slack.share_file(FACILITATOR_ID, "plan.csv", sheet)
    before = await plan(harness)
    await harness.event(file_event(FACILITATOR_ID, dm, file_id, "Ev0FILE0009"))
    message = str(await preview_posted(harness, dm))
    assert "Evidence of completion: this could identify someone" in message
    assert not [word for word in ("Jayden", "Mill Lane", "KM4 7QT", "04/05/2012") if word in message]
    assert await pending(harness) == [] and await plan(harness) == before
