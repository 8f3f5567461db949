"""Acceptance: no report contradicts itself. Each headline's numbers are checked against the tables the same report
shows, the brief against the reports it draws on, and the delivery report against the outbox and the times the
messages really went out."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from zoneinfo import ZoneInfo

from handlers.reports.model import Report, Table
from tests.reports.conftest import DemoReports


def numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def column(table: Table, name: str) -> list[str]:
    j = table.columns.index(name)
    return [row[j].text for row in table.rows]


def must(report: Report, key: str) -> Table:
    table = report.table(key)
    assert table is not None, key
    return table


def test_assurance_headline_counts_what_its_tables_show(demo_reports: DemoReports):
    report = demo_reports.reports["assurance"]
    total, recs, troubled, overdue, drift, drift_days, closed = numbers(report.summary)
    status = {row[0].text: int(row[2].text) for row in must(report, "status-summary").rows}
    assert total == sum(status.values()) == len(must(report, "actions").rows)
    assert recs == len(must(report, "by-recommendation").rows)
    assert troubled == sum(n for label, n in status.items() if label in ("At risk", "Off track", "Blocked"))
    assert overdue == len(must(report, "overdue").rows) == column(must(report, "actions"), "Overdue").count("yes")
    assert drift == len(must(report, "drift").rows)
    assert drift_days == demo_reports.programme.governance.drift_days
    assert closed == status["Closed, impact evidenced"]
    by_recommendation = must(report, "by-recommendation")
    assert sum(int(n) for n in column(by_recommendation, "Actions")) == total
    assert sum(int(n) for n in column(by_recommendation, "Overdue")) == overdue


def test_themes_headline_counts_only_the_themes_shown(demo_reports: DemoReports):
    report = demo_reports.reports["themes"]
    by_tag, k_tag, by_wording = numbers(report.summary)[:2] + numbers(report.summary)[2:3]
    tag_table, wording_table = must(report, "themes-by-tag"), must(report, "themes-by-wording")
    assert numbers(report.summary)[0] == len(tag_table.rows)
    assert numbers(report.summary)[1] == len(wording_table.rows)
    assert by_tag + k_tag + by_wording > 0
    for table in (tag_table, wording_table):
        for row in table.rows:
            assert not any(c.hidden for c in row), f"a theme is counted but its figure is not shown: {row[0].text}"
    assert len(must(report, "themes").rows) == len(tag_table.rows) + len(wording_table.rows)


def test_indicators_headline_counts_the_figures_its_tables_show(demo_reports: DemoReports):
    report = demo_reports.reports["indicators"]
    statements, cycles, shown = numbers(report.summary)[:3]
    items = [t for t in report.tables() if t.key.startswith("indicator-IND")]
    assert statements == len(items)
    assert shown == sum(1 for t in items for row in t.rows for c in row[1:] if not c.hidden)
    assert shown == sum(1 for row in must(report, "indicator-figures").rows if row[-1].text == "")
    assert cycles == len({c for t in items for c in t.columns[1:]})


def test_priorities_headline_counts_its_table(demo_reports: DemoReports):
    report = demo_reports.reports["priorities"]
    recs, first = numbers(report.summary)[:2]
    table = must(report, "priorities")
    assert recs == len(table.rows)
    assert first == sum(1 for where in column(table, "Where it sits") if where.startswith("Do first"))


def test_delivery_headline_adds_up_its_tables_and_counts_check_in_invitations(demo_reports: DemoReports):
    report = demo_reports.reports["delivery"]
    broadcasts, schedules, notices, sent, waiting, failed = numbers(report.summary)[:6]
    b, s, n = must(report, "broadcasts"), must(report, "schedules"), must(report, "notices")
    assert (broadcasts, schedules, notices) == (len(b.rows), len(s.rows), len(n.rows))
    delivered = sum(1 for outcome in column(n, "Outcome") if outcome.startswith("delivered"))
    assert sent == sum(int(x.replace(",", "")) for x in column(b, "Sent") + column(s, "Sent")) + delivered
    assert waiting == sum(int(x) for x in column(b, "Waiting") + column(s, "Waiting"))
    assert failed == sum(int(x) for x in column(b, "Could not be delivered") + column(s, "Could not be delivered"))
    with demo_reports.raw() as db:
        (outbox_sent,) = db.execute("SELECT count(*) FROM deliveries WHERE status = 'sent'").fetchone()
        (invitations,) = db.execute(
            "SELECT count(*) FROM deliveries d JOIN schedules s ON s.id = d.schedule_id "
            "WHERE s.kind = 'checkin' AND d.status = 'sent'"
        ).fetchone()
    assert sent == outbox_sent
    checkins = [row for row in s.rows if "check-in" in row[0].text and "Action" not in row[0].text]
    assert invitations > 200 and sum(int(row[4].text.replace(",", "")) for row in checkins) == invitations


def test_delivery_times_are_the_programmes_local_times(demo_reports: DemoReports):
    """Practitioner prompts went out at 10:00 local time; the report says 10:00 (not 15:00, Toronto's 10:00)."""
    report = demo_reports.reports["delivery"]
    table = must(report, "schedules")
    prompts = next(row for row in table.rows if row[0].text == "Reflection prompts for practitioners")
    assert prompts[1].text.endswith("at 10:00")
    london = ZoneInfo(demo_reports.programme.timezone)
    with demo_reports.raw() as db:
        sent = [
            dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC).astimezone(london)
            for (at,) in db.execute(
                "SELECT d.not_before FROM deliveries d JOIN participants p ON p.id = d.participant_id "
                "JOIN schedules s ON s.id = d.schedule_id WHERE s.key = 'prompts-practitioner' "
                "AND p.timezone = 'Europe/London' ORDER BY d.not_before"
            )
        ]
    hours = Counter(at.hour for at in sent)  # spread over a few minutes after 10:00, later for later starters
    assert hours.most_common(1)[0][0] == 10
    assert prompts[3].text.endswith("2026")
    notices = must(report, "notices")
    assert "15:00" not in " ".join(c.text for row in table.rows for c in row)
    assert notices.rows and all(re.match(r"\d+ \w{3} \d{4} \d\d:\d\d$", row[0].text) for row in notices.rows)


def test_the_brief_repeats_the_other_reports_figures(demo_reports: DemoReports):
    brief, assurance = demo_reports.reports["brief"], demo_reports.reports["assurance"]
    total, _, troubled, overdue, drift, _, closed = numbers(assurance.summary)
    assert numbers(brief.summary)[:3] == [closed, total, troubled]
    plan = brief.sections[0].bullets
    assert numbers(plan[0])[:3] == [total, numbers(assurance.summary)[1], closed]
    assert numbers(plan[1])[:2] == [troubled, overdue]
    assert numbers(plan[2])[0] == drift
    themes = {row[0].text: int(row[2].text) for row in must(demo_reports.reports["themes"], "themes-by-tag").rows}
    for bullet in brief.sections[1].bullets:
        name, people = bullet.split(" (at least ")
        assert themes[name] == numbers(people)[0]
