"""The action plan through the same path as `aftercare say`, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.runtime import Runtime
from storage.models import ActionRow, ActionUpdateRow, AuditEventRow
from tests.factories import FACILITATOR, LEAD, MANAGER, OTHER_MANAGER, OWNER, PRACTITIONER


async def counts(runtime: Runtime) -> tuple[int, int, str]:
    async with runtime.sessions() as session:
        updates = (await session.execute(select(func.count()).select_from(ActionUpdateRow))).scalar_one()
        audits = (await session.execute(select(func.count()).select_from(AuditEventRow))).scalar_one()
        status = (await session.execute(select(ActionRow.status).where(ActionRow.code == "A07"))).scalar_one()
    return updates, audits, status


async def test_owner_updates_status_and_show_reports_who_and_when(runtime: Runtime):
    reply = await runtime.say(OWNER, "/actions A07 on track Weekly huddles started")
    assert reply.ok, reply.text
    assert "on track" in reply.text.lower()
    shown = await runtime.say(PRACTITIONER, "/actions a07")
    assert shown.ok
    assert "Olu Owner" in shown.text
    assert "Not started → On track: Weekly huddles started" in shown.text
    assert "15 Jun 2026 11:00" in shown.text  # 10:00 UTC shown in the programme's zone (BST)


async def test_practitioner_who_does_not_own_is_refused_and_nothing_changes(runtime: Runtime):
    before = await counts(runtime)
    reply = await runtime.say(PRACTITIONER, "/actions A07 on track Weekly huddles started")
    assert not reply.ok
    assert "Only A07's owner, their line manager, a lead for KBC or a facilitator" in reply.text
    assert await counts(runtime) == before


async def test_manager_of_owner_and_facilitator_may_update(runtime: Runtime):
    assert (await runtime.say(MANAGER, "/actions A07 at-risk Waiting for IT")).ok
    assert (await runtime.say(FACILITATOR, "/actions A07 green")).ok
    refused = await runtime.say(OTHER_MANAGER, "/actions A07 red")
    assert not refused.ok


async def test_closed_needs_impact_evidence_and_a_lead_or_facilitator(runtime: Runtime):
    assert (await runtime.say(OWNER, "/actions A09 done Guidance published")).ok
    owner_close = await runtime.say(OWNER, "/actions A09 closed")
    assert not owner_close.ok and "lead for KBC or a facilitator" in owner_close.text
    no_impact = await runtime.say(LEAD, "/actions A09 closed")
    assert not no_impact.ok and "evidence of impact" in no_impact.text
    assert (await runtime.say(OWNER, "/actions A09 impact Audit: 9 of 10 plans show the young person's account")).ok
    closed = await runtime.say(LEAD, "/actions A09 closed")
    assert closed.ok, closed.text
    shown = await runtime.say(OWNER, "/actions A09")
    assert "Guidance published" in shown.text  # the 'done' note became evidence of completion
    assert "9 of 10 plans" in shown.text


async def test_status_change_warns_about_unfinished_dependency(runtime: Runtime):
    reply = await runtime.say(MANAGER, "/actions A02 done Cross-check live")
    assert reply.ok
    assert "depends on A01, which is not finished yet (At risk)" in reply.text


async def test_unknown_code_suggests_the_nearest(runtime: Runtime):
    reply = await runtime.say(OWNER, "/actions A70")
    assert not reply.ok
    assert reply.text.startswith("There is no action A70. Did you mean A07?")


async def test_bad_status_and_bad_date_get_one_line_answers(runtime: Runtime):
    bad_status = await runtime.say(OWNER, "/actions A07 finished")
    assert not bad_status.ok and "not_started, on_track" in bad_status.text
    bad_date = await runtime.say(MANAGER, "/actions A07 due 31/12/2026")
    assert not bad_date.ok and "YYYY-MM-DD" in bad_date.text
    assert "\n" not in bad_status.text and "\n" not in bad_date.text


async def test_replanning_is_for_managers_and_facilitators(runtime: Runtime):
    refused = await runtime.say(OWNER, "/actions A07 due 2026-09-30")
    assert not refused.ok
    assert (await runtime.say(MANAGER, "/actions A07 due 2026-09-30")).ok
    moved = await runtime.say(FACILITATOR, f"/actions A07 owner {PRACTITIONER}")
    assert moved.ok
    shown = await runtime.say(PRACTITIONER, "/actions A07")
    assert "Pat Worker" in shown.text and "30 Sep 2026" in shown.text
    assert "due 2026-06-30 → 2026-09-30" in shown.text


async def test_lists(runtime: Runtime):
    mine = await runtime.say(OWNER, "/actions")
    assert "A07" in mine.text and "A09" in mine.text and "A01" not in mine.text
    overdue = await runtime.say(OWNER, "/actions overdue")  # the clock says 15 June 2026
    assert "A01" in overdue.text and "A09" in overdue.text and "A07" not in overdue.text
    agency = await runtime.say(OTHER_MANAGER, "/actions agency")
    assert "A01" in agency.text and "A07" not in agency.text
    team = await runtime.say(PRACTITIONER, "/actions team")
    assert {"A02", "A07", "A09"} <= {w for w in team.text.split() if w.startswith("A0")}
    blocked = await runtime.say(OWNER, "/actions blocked")
    assert "none" in blocked.text


async def test_every_change_writes_an_audit_event(runtime: Runtime):
    _, audits_before, _ = await counts(runtime)
    await runtime.say(OWNER, "/actions A07 note Met the young people's panel")
    await runtime.say(OWNER, "/actions A07 evidence Tool in guidance")
    _, audits_after, _ = await counts(runtime)
    assert audits_after == audits_before + 2


async def test_help_lists_only_commands_open_to_you(runtime: Runtime):
    practitioner = await runtime.say(PRACTITIONER, "/aftercare help")
    facilitator = await runtime.say(FACILITATOR, "/aftercare")
    assert "/broadcast" not in practitioner.text
    assert "/broadcast" in facilitator.text
    assert "non-attributable" in practitioner.text


async def test_whoami_and_privacy(runtime: Runtime):
    who = await runtime.say(PRACTITIONER, "/aftercare whoami")
    assert "Testshire Council" in who.text and "Adolescent Safety Team" in who.text and "practitioner" in who.text
    privacy = await runtime.say(PRACTITIONER, "/aftercare privacy")
    assert "999" in privacy.text and "not stored" in privacy.text


async def test_away_and_back(runtime: Runtime):
    assert (await runtime.say(PRACTITIONER, "/aftercare away until 2026-07-01")).ok
    who = await runtime.say(PRACTITIONER, "/aftercare whoami")
    assert "until 01 Jul 2026" in who.text
    past = await runtime.say(PRACTITIONER, "/aftercare away until 2026-01-01")
    assert not past.ok
    assert (await runtime.say(PRACTITIONER, "/aftercare back")).ok
    assert "Away: no" in (await runtime.say(PRACTITIONER, "/aftercare whoami")).text
