"""Roles as the example programme defines them, tried as a new user would (issue: an action plan a board can trust).

Each test here is an attack or acceptance check run through the same path as `aftercare say`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import programme_cli
from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.runtime import Runtime
from storage.models import ActionRow, ActionUpdateRow

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "programme.yaml"
EILIDH = "eilidh.murray@kestermoor.gov.example"  # lead in KBC; named manager of Rhys Wood, who owns A02
KATE = "kate.nguyen@kestermoor.gov.example"  # lead in KYJ
CALLUM_GREEN = "callum.green@kestermoor.police.example"  # lead in KPOL
SAIRA = "saira.kelly@kestermoor.gov.example"  # facilitator, partnership lead
ALEX = "alex.singh@kestermoor.gov.example"  # practitioner, owns A17
JADE = "jade.carter@kestermoor.police.example"  # manager in KPOL, owns A01
RHYS = "rhys.wood@kestermoor.gov.example"


@pytest.fixture
async def example(sqlite_url: str) -> AsyncIterator[Runtime]:
    runtime = assemble(sqlite_url, clock=SimulatedClock(dt.datetime(2026, 7, 6, 9, 0, tzinfo=dt.UTC)), secret=b"k")
    await programme_cli.import_files(runtime, EXAMPLE, None, None, "Europe/London")
    yield runtime
    await runtime.close()


async def written(runtime: Runtime) -> tuple[int, list[tuple[str, str, object]]]:
    async with runtime.sessions() as session:
        updates = (await session.execute(select(func.count()).select_from(ActionUpdateRow))).scalar_one()
        rows = (await session.execute(select(ActionRow.code, ActionRow.status, ActionRow.due))).all()
    return updates, sorted((code, status, due) for code, status, due in rows)


async def test_a_named_line_manager_updates_their_staffs_action_whatever_their_role_label(example: Runtime):
    reply = await example.say(EILIDH, "/actions A02 note Checked with Rhys")
    assert reply.ok, reply.text
    assert (await example.say(EILIDH, "/actions A02 due 2026-08-14")).ok


async def test_a_lead_of_another_agency_cannot_close_or_replan_outside_their_agency(example: Runtime):
    assert (await example.say(JADE, "/actions A01 impact Sample of 10 cases: joint response in 9")).ok
    before = await written(example)
    refused = await example.say(KATE, "/actions A01 closed")
    assert not refused.ok
    assert "Only a lead for KPOL or a facilitator can close A01" in refused.text
    assert not (await example.say(KATE, "/actions A01 due 2026-12-01")).ok
    assert await written(example) == before
    assert (await example.say(CALLUM_GREEN, "/actions A01 closed")).ok


async def test_the_partnership_lead_may_close_any_agencys_action(example: Runtime):
    assert (await example.say(JADE, "/actions A01 impact Sample of 10 cases: joint response in 9")).ok
    assert (await example.say(SAIRA, "/actions A01 closed")).ok


async def test_a_practitioner_cannot_reopen_a_closed_action_and_a_lead_needs_a_reason(example: Runtime):
    assert (await example.say(ALEX, "/actions A17 impact Session themes show children considered")).ok
    assert (await example.say(EILIDH, "/actions A17 closed")).ok
    before = await written(example)
    refused = await example.say(ALEX, "/actions A17 on track More sessions needed")
    assert not refused.ok and "reopen" in refused.text
    no_reason = await example.say(EILIDH, "/actions A17 on track")
    assert not no_reason.ok and "reason" in no_reason.text
    assert await written(example) == before
    reopened = await example.say(EILIDH, "/actions A17 on track Attendance from police has fallen away")
    assert reopened.ok, reopened.text


async def test_setting_the_same_status_says_so_and_writes_nothing(example: Runtime):
    before = await written(example)
    same = await example.say(RHYS, "/actions A02 on track")
    assert same.ok and "already 'On track'" in same.text
    with_note = await example.say(RHYS, "/actions A02 on track Cross-check running")
    assert not with_note.ok and "/actions A02 note Cross-check running" in with_note.text
    assert await written(example) == before
    shown = await example.say(RHYS, "/actions A02")
    assert "On track → On track" not in shown.text


async def test_pages_say_which_and_a_page_past_the_end_is_refused(example: Runtime):
    second = await example.say(ALEX, "/actions all page 2")
    assert second.ok and "Page 2 of 2" in second.text
    first = await example.say(ALEX, "/actions all")
    assert "Page 1 of 2. Next: /actions all page 2" in first.text
    past = await example.say(ALEX, "/actions all page 9")
    assert not past.ok
    assert "There are 2 pages" in past.text
    zero = await example.say(ALEX, "/actions all page 0")
    assert not zero.ok and "Pages start at 1" in zero.text


@pytest.mark.parametrize(
    "line",
    ["/checkin status", "/actions all page 9", "/actions A99", "/aftercare schedule", "/actions A02 on track Again"],
)
def test_every_refusal_exits_1_at_aftercare_say(line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from bot.cli import main

    url = f"sqlite:///{tmp_path / 'say.db'}"
    assert main(["--db", url, "programme", "import", str(EXAMPLE)]) == 0
    assert main(["--db", url, "say", "--as", RHYS, "/aftercare privacy accept"]) == 0
    capsys.readouterr()
    assert main(["--db", url, "say", "--as", RHYS, line]) == 1
    assert capsys.readouterr().out.strip()


async def test_overdue_actions_are_red_in_chat(example: Runtime):
    shown = await example.say(ALEX, "/actions A07")  # on track, due 30 June 2026; today is 6 July
    assert "🔴 On track" in shown.text
    listed = await example.say(ALEX, "/actions overdue")
    assert "🟢" not in listed.text and "🔴 A07" in listed.text


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("alex.singh@kestermoor.gov.example", "'alex.singh@kestermoor.gov.example' does not have the lead role"),
        ("ghost@kestermoor.gov.example", "no participant has the email 'ghost@kestermoor.gov.example'"),
    ],
)
def test_a_partnership_lead_must_be_a_participant_with_the_lead_role(email: str, message: str, tmp_path: Path):
    from bot.importing import ImportProblems
    from bot.importing.yaml_reader import read_programme

    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "partnership_leads: [saira.kelly@kestermoor.gov.example]", f"partnership_leads: [{email}]"
    )
    changed = tmp_path / "programme.yaml"
    changed.write_text(text, encoding="utf-8")
    with pytest.raises(ImportProblems) as refused:
        read_programme(changed)
    assert [p.message for p in refused.value.problems] == [message]
    assert "partnership_leads" in refused.value.problems[0].field
