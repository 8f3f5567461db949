"""The pure report builders on small, hand-made facts: thresholds, paraphrase, and what the assurance report finds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from handlers.count_table import CountTable, Hidden, ScoreCounts
from handlers.library import Indicator, Tag
from handlers.model import Action, Agency, CheckinCycle, Governance, Programme, Recommendation, Status
from handlers.reports.action_risks import chains_at_risk, changes_since, drifting, snapshot_of
from handlers.reports.assurance import build_assurance
from handlers.reports.delivery import build_delivery, clean_reason
from handlers.reports.disclosure import Disclosure
from handlers.reports.facts import Context, DeliveryLine, ScoreCount, TermSupport, ThemeCandidate
from handlers.reports.indicators import build_indicators
from handlers.reports.priorities import build_priorities, quadrant
from handlers.reports.themes import build_themes
from handlers.thresholds import DisclosureLedger, ReportScope, publish

TODAY = dt.date(2026, 9, 1)


def context(people: int = 40) -> Context:
    gov = Governance(confidentiality_statement="Non-attributable.", never_store=("Rowan",))
    programme = Programme(
        id=1,
        code="T",
        name="T",
        partnership="Testshire Partnership",
        review_title="Review: Child Q",
        governance=gov,
        checkins=(
            CheckinCycle(code="C0", date=dt.date(2026, 2, 1), kind="baseline", items=("IND-01", "IND-02")),
            CheckinCycle(code="C3", date=dt.date(2026, 5, 1), kind="checkin_3m", items=("IND-01", "IND-02")),
        ),
    )
    tags = (Tag(id="supervision_reflection", label="Supervision and reflection", description="Space to think."),)
    return Context(programme, TODAY, (Agency(code="KBC", name="Council"),), tags, people)


def answers(item: str, cycle: str, cohort: str, *scores: int) -> list[ScoreCount]:
    return [ScoreCount(item, cycle, cohort, s, scores.count(s)) for s in sorted(set(scores))]


ITEMS = [
    Indicator(id="IND-01", measures="confidence", text="I feel confident."),
    Indicator(id="IND-02", measures="psychological_safety", text="I feel safe.", sensitive=True),
]


def test_sensitive_items_need_the_larger_group():
    scores = [
        *answers("IND-01", "C0", "KBC", 4, 4, 5, 2, 3, 4, 4),
        *answers("IND-02", "C0", "KBC", 4, 4, 5, 2, 3, 4, 4),
        *answers("IND-01", "C0", "KPOL", 1, 2, 3, 4, 5, 5, 5, 5, 4, 4, 4),
        *answers("IND-02", "C0", "KPOL", 1, 2, 3, 4, 5, 5, 5, 5, 4, 4, 4),
    ]
    result = build_indicators(context(), ITEMS, scores, [], Disclosure(1, DisclosureLedger()))
    plain, sensitive = (f.safe for f in result.items)
    assert plain.cell(("KBC",), "C0").n == 7 and plain.cell(("KBC",), "C0").shown
    assert sensitive.k == 10
    assert sensitive.cell(("KBC",), "C0").hidden is Hidden.FEWER_THAN_K
    assert sensitive.cell(("KPOL",), "C0").hidden is Hidden.COMPLEMENTARY  # else the whole minus KPOL gives KBC
    assert sensitive.cell((), "C0").shown and sensitive.cell((), "C0").n == 18
    value = plain.cell(("KBC",), "C0").value
    assert value is not None and not isinstance(value, int)
    assert value.median == 4 and value.share_agree is not None and round(value.share_agree, 3) == round(5 / 7, 3)


def test_the_ledger_holds_back_a_figure_a_few_people_away_from_an_earlier_one():
    first = answers("IND-01", "C0", "KBC", *([4] * 12))
    disclosure = Disclosure(1, DisclosureLedger())
    build_indicators(context(), ITEMS[:1], first, [], disclosure)
    later = answers("IND-01", "C0", "KBC", *([4] * 14))  # two late answers
    again = build_indicators(context(), ITEMS[:1], later, [], Disclosure(1, disclosure.ledger))
    assert again.items[0].safe.cell((), "C0").hidden is Hidden.DIFFERENCE


def theme(key: str, people: dict[str, int], kind: str = "tag", **extra: Any) -> ThemeCandidate:
    return ThemeCandidate(key=key, kind=kind, per_cycle=people, cohorts=frozenset({"KBC", "KPOL"}), **extra)


def test_themes_need_three_people_and_show_their_number_only_from_k():
    candidates = [
        theme("tag:supervision_reflection", {"C0": 6, "C3": 2}, tag="supervision_reflection"),
        theme("tag:neglect", {"C0": 3}, tag="neglect"),
        theme("tag:recording", {"C0": 2, "C3": 2}, tag="recording"),  # 4 hashes, but perhaps only 2 people
    ]
    result = build_themes(context(), candidates, Disclosure(1, DisclosureLedger()))
    shown = {line.candidate.key: line for line in result.lines}
    # neglect may be a theme (3 people) but its number is below k: it is left out, not shown as "fewer than 5"
    assert set(shown) == {"tag:supervision_reflection"}
    assert shown["tag:supervision_reflection"].people.text == "6"
    assert shown["tag:supervision_reflection"].description == "Space to think."
    assert any("Supervision and reflection: raised by at least 6" in b for b in result.conditions)
    report = result.report
    assert report.summary.startswith("1 theme by tag and 0 groups of similar wording")
    assert "2 other tags had too few different people to show." in report.sections[0].paragraphs
    assert "fewer than" not in str(report.model_dump())


def test_no_theme_in_a_programme_smaller_than_k():
    result = build_themes(
        context(people=4), [theme("tag:neglect", {"C0": 4}, tag="neglect")], Disclosure(1, DisclosureLedger())
    )
    assert result.lines == ()


def test_wording_themes_use_only_phrases_k_people_used_and_never_protected_words():
    phrases = (
        TermSupport("space to think", 6),
        TermSupport("rowan said", 7),  # a never-store word
        TermSupport("my caseload", 4),  # fewer than k = 5 people
        TermSupport("supervision", 9),  # one word is not a phrase
        TermSupport("reviewed in 2026", 9),  # a number
        TermSupport("one two three four five six", 8),  # six words could be a quote
        TermSupport("protected time", 5),
    )
    candidate = theme("wording:1", {"C0": 7}, kind="wording", tags=(("supervision_reflection", 5),), phrases=phrases)
    line = build_themes(context(), [candidate], Disclosure(1, DisclosureLedger())).lines[0]
    assert line.title == "Similar wording 1"
    assert line.description == "\u201cspace to think\u201d; \u201cprotected time\u201d"
    assert line.tags == "Supervision and reflection"


def test_a_wording_group_without_a_common_phrase_is_not_described_by_anyones_words():
    candidate = theme("wording:1", {"C0": 7}, kind="wording", phrases=(TermSupport("my caseload", 4),))
    line = build_themes(context(), [candidate], Disclosure(1, DisclosureLedger())).lines[0]
    assert line.description == "The wording varies too much to describe without quoting anyone."


def action(
    code: str, status: Status, due: dt.date | None = None, depends: tuple[str, ...] = (), **extra: object
) -> Action:
    return Action(
        id=int(code[1:]),
        programme_id=1,
        code=code,
        recommendation="R1",
        title=f"Action {code}",
        owner_email=f"{code.lower()}@example.org",
        owner_role="Head of Service",
        agency="KBC",
        status=status,
        due=due,
        depends_on=depends,
        **{"last_update": dt.datetime(2026, 8, 30, tzinfo=dt.UTC), **extra},
    )


def test_dependency_chains_find_the_nearest_cause_further_back():
    plan = [
        action("A1", Status.OFF_TRACK),
        action("A2", Status.ON_TRACK, depends=("A1",)),
        action("A3", Status.NOT_STARTED, depends=("A2",)),
        action("A4", Status.ON_TRACK, due=dt.date(2026, 10, 1), depends=("A5",)),
        action("A5", Status.ON_TRACK, due=dt.date(2026, 12, 1)),
        action("A6", Status.COMPLETE, depends=("A1",)),
    ]
    chains = {c.action.code: c for c in chains_at_risk(plan, TODAY)}
    assert set(chains) == {"A2", "A3", "A4"}
    assert [a.code for a in chains["A3"].path] == ["A2", "A1"] and chains["A3"].why == "off track"
    assert chains["A4"].why.startswith("due 01 Dec 2026, after")


def test_drift_and_what_changed():
    stale = action("A1", Status.ON_TRACK, last_update=None)
    assert drifting(stale.model_copy(update={"last_update": dt.datetime(2026, 8, 1, tzinfo=dt.UTC)}), TODAY, 28)
    assert not drifting(action("A1", Status.ON_TRACK), TODAY, 28)
    assert not drifting(action("A1", Status.CLOSED).model_copy(update={"last_update": None}), TODAY, 28)
    before = snapshot_of([action("A1", Status.ON_TRACK, due=dt.date(2026, 9, 30))], dt.date(2026, 8, 1))
    now = snapshot_of([action("A1", Status.AT_RISK, due=dt.date(2026, 8, 15)), action("A2", Status.NOT_STARTED)], TODAY)
    assert changes_since(before, now) == [
        ("A1", "On track → At risk"),
        ("A1", "became overdue"),
        ("A1", "due date moved to 15 Aug 2026"),
        ("A2", "added (Not started)"),
    ]


def test_assurance_names_roles_never_people():
    plan = [
        action("A1", Status.BLOCKED, due=dt.date(2026, 8, 1)),
        action("A2", Status.COMPLETE, evidence_of_completion="Done"),
    ]
    report, snapshot = build_assurance(context(), plan, [], None, [])
    text = str(report.model_dump())
    assert "a1@example.org" not in text and "Head of Service" in text
    assert snapshot.actions["A1"].overdue
    overdue = report.table("overdue")
    assert overdue is not None and [row[0].text for row in overdue.rows] == ["A1"]
    evidence = report.table("evidence")
    assert evidence is not None and evidence.rows[0][3].text == "none yet" and evidence.rows[0][3].colour == "amber"


def test_priorities_place_recommendations_in_quadrants():
    recs = [
        Recommendation(code="R1", theme="neglect", text="t", outcome_sought="o", impact=5, feasibility=4),
        Recommendation(code="R2", theme="neglect", text="t", outcome_sought="o", impact=3, feasibility=2),
        Recommendation(code="R3", theme="neglect", text="t", outcome_sought="o", impact=5, feasibility=4),
    ]
    assert quadrant(recs[0])[0].startswith("Do first") and quadrant(recs[1])[0].startswith("Review")
    report = build_priorities(context(), recs, [action("A1", Status.ON_TRACK)])
    assert report.chart is not None
    marks = {m.label: (m.x, m.y) for m in report.chart.marks}
    assert marks["R1"] != marks["R3"]  # same scores, drawn apart
    assert all(abs(x - 4) < 0.4 and abs(y - 5) < 0.4 for x, y in (marks["R1"], marks["R3"]))


def test_delivery_counts_and_reasons_without_addresses():
    assert clean_reason("user U0ABCDEFGH1 not found (jo@example.org)") == "could not be delivered: user … not found (…)"
    assert clean_reason("user_not_found") == "could not be delivered: the person has left the workspace"
    assert clean_reason("bot_blocked") == "could not be delivered: the person has blocked the bot"
    assert clean_reason("ratelimited (will be tried again)") == (
        "will be tried again: the platform asked us to slow down"
    )
    assert clean_reason("some_new_code") == (
        "could not be delivered: the platform refused it for a reason it did not explain"
    )
    assert clean_reason("Teams answered 403 ConversationBlockedByUser: the person blocked the bot") == (
        "could not be delivered: the person blocked the bot"
    )
    line = DeliveryLine(
        kind="broadcast",
        ref="B3",
        label="prompt PR-01",
        audience="all",
        when=None,
        counts={"sent": 40, "pending": 2, "failed": 1, "dead": 3},
        reasons=(("user_not_found", 3),),
        acknowledged=12,
    )
    report = build_delivery(context(), [line])
    row = report.table("broadcasts").rows[0]  # type: ignore[union-attr]
    assert [c.text for c in row[4:]] == ["40", "3", "3", "0", "12"]
    assert report.summary.startswith(
        "1 broadcast, 0 scheduled messages and 0 safeguarding notices: 40 messages sent, 3 waiting and 3"
    )
    reasons = report.table("reasons")
    assert reasons is not None
    assert [c.text for c in reasons.rows[0]] == [
        "Broadcast B3",
        "could not be delivered: the person has left the workspace",
        "3",
    ]


def test_schedules_are_named_by_what_they_send_and_their_rhythm_in_local_time():
    lines = [
        DeliveryLine(
            kind="schedule",
            ref="action-checkins",
            label="",
            audience="all",
            when=dt.datetime(2026, 4, 6, 9, 0, tzinfo=dt.UTC),
            counts={"sent": 3},
            audience_parts=("all",),
            schedule_kind="action_checkin",
            rule="weekly on MO at 10:00",
            last_sent=dt.datetime(2026, 4, 6, 9, 0, tzinfo=dt.UTC),
        ),
        DeliveryLine(
            kind="schedule",
            ref="checkin.C3",
            label="",
            audience="",
            when=None,
            counts={"sent": 90},
            audience_parts=("role:practitioner", "role:manager"),
            schedule_kind="checkin",
            rule="offset +0 days from milestone checkin.C3 at 10:00",
            cycle="C3",
            last_sent=dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC),
        ),
    ]
    table = build_delivery(context(), lines).table("schedules")
    assert table is not None
    texts = [[c.text for c in row[:4]] for row in table.rows]
    assert texts == [
        ["Action check-in to each action owner", "weekly, Mondays at 10:00", "Everyone", "6 Apr 2026"],
        ["3-month check-in C3", "once, 1 May 2026 at 10:00", "Practitioners and managers", "1 May 2026"],
    ]


def test_disclosure_decides_exactly_as_the_whole_ledger_would():
    """Only earlier figures with overlapping measures are passed to publish; the decisions must not change."""
    earlier = Disclosure(1, DisclosureLedger())
    build_indicators(
        context(),
        ITEMS,
        [*answers("IND-01", "C0", "KBC", *([4] * 12)), *answers("IND-02", "C0", "KBC", *([3] * 30))],
        [],
        earlier,
    )
    stored = earlier.ledger
    table = CountTable.of_scores(
        ["C0"], {("KBC",): [ScoreCounts(counts=(0, 0, 0, 14, 0))], ("KPOL",): [ScoreCounts(counts=(0, 0, 0, 6, 0))]}
    )
    scope = ReportScope(programme_id=1, measure="IND-01")
    expected, whole = publish(table, 5, stored, scope, roll_up_small=True)
    mine = Disclosure(1, stored)
    assert mine.by_cycle(table, 5, "IND-01") == expected
    assert set(mine.ledger.groups) == set(whole.groups)
    assert expected.cell(("KBC",), "C0").hidden is Hidden.DIFFERENCE
