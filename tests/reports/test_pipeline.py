"""Reports on each kind of database: the stored ledger and snapshots, the delivery report, and posting in chat."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.reports.pipeline import produce
from bot.runtime import Runtime
from handlers.reports.model import Report
from handlers.thresholds import DisclosureLedger
from storage.anonymous_models import IndicatorResponseRow, ReflectionRow
from storage.delivery_models import BroadcastAckRow, BroadcastRow, DeliveryPayloadRow, DeliveryRow
from storage.programme_store import store_programme
from storage.report_models import ReportLedgerRow, ReportRunRow
from tests.factories import FACILITATOR, PRACTITIONER, make_programme_doc


@pytest.fixture
async def reporting(db_url: str, clock: SimulatedClock, tmp_path: Path) -> AsyncIterator[Runtime]:
    runtime = assemble(db_url, clock=clock, secret=b"report-tests", reports_folder=tmp_path / "posted")
    async with runtime.sessions() as session, session.begin():
        await store_programme(session, make_programme_doc(), clock.now(), "Europe/London")
    yield runtime
    await runtime.close()


async def answer(runtime: Runtime, count: int, score: int = 4, cycle: str = "CI-0") -> None:
    async with runtime.sessions() as session, session.begin():
        for _ in range(count):
            session.add(
                IndicatorResponseRow(
                    id=uuid.uuid4().hex, programme_id=1, cycle=cycle, cohort="KBC", item="IND-01", score=score,
                    contributor=uuid.uuid4().hex, stored_on=dt.date(2026, 2, 23),
                )
            )  # fmt: skip


def whole_programme(report: Report) -> str:
    table = report.table("indicator-IND-01")
    assert table is not None
    return str(next(row for row in table.rows if row[0].text == "Whole programme")[1].text)


async def test_the_ledger_is_kept_and_stops_a_rerun_after_a_few_late_answers(reporting: Runtime, clock):
    programme = (await reporting.programmes())[0]
    await answer(reporting, 12)
    first = (await produce(reporting, programme, ["indicators"]))["indicators"]
    # everyone agreed: a share of 100% would say what each person answered, so only the median is shown
    assert whole_programme(first) == "median 4 (n=12; share agreeing not shown: fewer than 5 on one side)"
    async with reporting.sessions() as session:
        stored = DisclosureLedger.model_validate((await session.get(ReportLedgerRow, programme.id)).ledger)  # type: ignore[union-attr]
    assert any(group.n == 12 and group.measures == frozenset({"IND-01"}) for group in stored.groups)

    await answer(reporting, 2)
    clock.set(clock.now() + dt.timedelta(days=1))
    second = (await produce(reporting, programme, ["indicators"]))["indicators"]
    assert whole_programme(second) == "hidden (an earlier report would give it away)"

    await answer(reporting, 5)  # now 19: seven more than the 12 published, so it may be shown
    third = (await produce(reporting, programme, ["indicators"]))["indicators"]
    assert whole_programme(third) == "median 4 (n=19; share agreeing not shown: fewer than 5 on one side)"
    async with reporting.sessions() as session:
        runs = (await session.execute(select(func.count()).select_from(ReportRunRow))).scalar_one()
    assert runs == 3


async def test_assurance_says_what_changed_since_the_report_of_an_earlier_day(reporting: Runtime, clock):
    programme = (await reporting.programmes())[0]
    first = (await produce(reporting, programme, ["assurance"]))["assurance"]
    assert "first assurance report" in " ".join(
        s.paragraphs[0] for s in first.sections if s.heading.startswith("What changed")
    )
    assert (await reporting.say(FACILITATOR, "/actions A07 off track Waiting for the audit tool")).ok
    clock.set(clock.now() + dt.timedelta(days=3))
    later = (await produce(reporting, programme, ["assurance"]))["assurance"]
    changes = later.table("changes")
    assert changes is not None
    assert [(r[0].text, r[1].text) for r in changes.rows] == [("A07", "Not started → Off track")]
    again = (await produce(reporting, programme, ["assurance"]))["assurance"]  # same day: the same baseline
    assert again.table("changes") == changes


async def test_delivery_report_counts_messages_per_broadcast(reporting: Runtime, clock):
    programme = (await reporting.programmes())[0]
    now = clock.now()
    async with reporting.sessions() as session, session.begin():
        broadcast = BroadcastRow(
            programme_id=programme.id, created_by=None, created_by_name="Fay", audience=["all"], prompt_id="PR-01",
            text="", send_at=now, status="queued", recipients=6, created_at=now,
        )  # fmt: skip
        session.add_all([broadcast, DeliveryPayloadRow(hash="h" * 64, body={"text": "x"})])
        await session.flush()
        statuses = ["sent", "sent", "sent", "pending", "dead", "dead"]
        for i, status in enumerate(statuses):
            session.add(
                DeliveryRow(
                    key=f"b:{i}", programme_id=programme.id, participant_id=None, platform="slack",
                    address=f"T1:U{i}", kind="broadcast", broadcast_id=broadcast.id, payload_hash="h" * 64,
                    status=status, not_before=now, created_at=now,
                    last_error="user_not_found for someone@example.org" if status == "dead" else "",
                )
            )  # fmt: skip
        session.add(BroadcastAckRow(broadcast_id=broadcast.id, participant_id=1, at=now))
    report = (await produce(reporting, programme, ["delivery"]))["delivery"]
    row = report.table("broadcasts").rows[0]  # type: ignore[union-attr]
    assert [c.text for c in row[4:]] == ["3", "1", "2", "0", "1"]  # sent, waiting, failed, cancelled, acknowledged
    reasons = report.table("reasons").rows  # type: ignore[union-attr]
    assert [(r[1].text, r[2].text) for r in reasons] == [
        ("could not be delivered: the person has left the workspace", "2")
    ]


async def test_a_facilitator_posts_a_report_through_the_outbox(reporting: Runtime, tmp_path: Path):
    reply = await reporting.say(FACILITATOR, "/aftercare report priorities")
    assert reply.ok, reply.text
    assert "Posting the priorities report here now" in reply.text
    posted = sorted((tmp_path / "posted" / "TEST-1").iterdir())
    assert [p.suffix for p in posted] == [".html", ".png"]
    assert all(str(p) in reply.text for p in posted)
    async with reporting.sessions() as session:
        row, body = (await session.execute(select(DeliveryRow, DeliveryPayloadRow.body).join(DeliveryPayloadRow))).one()
    assert row.kind == "notice" and row.respect_window is False
    files = json.loads(json.dumps(body))["files"]
    assert {f["media_type"] for f in files} == {"image/png", "text/html"}
    assert {Path(f["path"]) for f in files} == set(posted)


async def test_only_leads_and_facilitators_post_reports(reporting: Runtime):
    reply = await reporting.say(PRACTITIONER, "/aftercare report assurance")
    assert not reply.ok
    assert reply.text.startswith("Only leads and facilitators can post reports")


async def test_themes_read_tags_and_count_people_per_cycle(reporting: Runtime):
    programme = (await reporting.programmes())[0]
    async with reporting.sessions() as session, session.begin():
        for cycle, people in (("CI-0", 6), ("CI-3", 4)):
            for n in range(people):
                session.add(
                    ReflectionRow(
                        id=uuid.uuid4().hex, programme_id=1, cycle=cycle, cohort="KBC", prompt_id=None,
                        text="Supervision gives space to think about the family.", tags=["supervision_reflection"],
                        in_themes=n != 0, contributor=f"{cycle}-{n}", stored_on=dt.date(2026, 3, 2),
                    )
                )  # fmt: skip
    report = (await produce(reporting, programme, ["themes"]))["themes"]
    table = report.table("themes-by-tag")
    assert table is not None
    assert [(row[0].text, row[2].text) for row in table.rows] == [("Supervision and reflection", "5")]
