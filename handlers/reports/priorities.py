"""The prioritisation map: recommendations placed by expected impact and feasibility, with their actions.

Impact and feasibility are the 1–5 scores the prioritisation workshop gives each recommendation (the action plan
carries them); 4 or 5 counts as higher. Counts are of actions, not people.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from handlers.model import FINISHED_STATUSES, Action, Recommendation, Status
from handlers.reports.facts import Context
from handlers.reports.model import Cell, Chart, Colour, Mark, Report, Section, Table, cell, natural, plural

HIGH_FROM = 4
QUADRANTS: dict[tuple[bool, bool], tuple[str, Colour]] = {
    (True, True): ("Do first: higher impact, more feasible", "green"),
    (True, False): ("Plan carefully: higher impact, harder to do", "amber"),
    (False, True): ("Quick improvements: lower impact, more feasible", "blue"),
    (False, False): ("Review: lower impact, harder to do", "grey"),
}


def quadrant(rec: Recommendation) -> tuple[str, Colour]:
    return QUADRANTS[(rec.impact >= HIGH_FROM, rec.feasibility >= HIGH_FROM)]


COLUMNS = (
    "Recommendation",
    "Theme",
    "Impact (1-5)",
    "Feasibility (1-5)",
    "Where it sits",
    "Actions",
    "Complete or closed",
    "At risk, off track or blocked",
    "Outcome sought",
)
EXPLAIN = (
    ("Recommendation", "the review's recommendation."),
    ("Theme", "the learning theme it belongs to."),
    ("Impact (1-5)", "expected difference for children, as scored in the workshop."),
    ("Feasibility (1-5)", "how straightforward it is to do."),
    ("Where it sits", "its quarter of the map."),
    ("Actions", "how many actions it has."),
    ("Complete or closed", "how many of them are done."),
    ("At risk, off track or blocked", "how many are in trouble."),
    ("Outcome sought", "what will be different for children."),
)
HOW_TO_READ = (
    "Each dot is a recommendation, placed by how much difference it is expected to make for children (up) and how "
    "feasible it is (right), as scored in the prioritisation workshop. Bigger dots have more actions. Scores of 4 "
    "or 5 count as higher."
)


def build_priorities(ctx: Context, recommendations: Sequence[Recommendation], actions: Sequence[Action]) -> Report:
    by_rec: dict[str, list[Action]] = {r.code: [] for r in recommendations}
    for action in actions:
        by_rec.setdefault(action.recommendation, []).append(action)
    rows = tuple(_row(ctx, rec, by_rec[rec.code]) for rec in _ordered(recommendations))
    counts = Counter(quadrant(r)[0] for r in recommendations)
    first = counts[QUADRANTS[(True, True)][0]]
    summary = (
        f"{plural(len(recommendations), 'recommendation')} placed by expected impact and feasibility; {first} "
        "fall in 'do first' (higher impact, more feasible)."
    )
    bullets = tuple(f"{name}: {counts[name]}" for name, _ in QUADRANTS.values())
    table = Table(
        key="priorities", title="Recommendations by impact and feasibility", columns=COLUMNS, rows=rows, explain=EXPLAIN
    )
    return Report(
        kind="priorities",
        title="Prioritisation map",
        subtitle=f"{ctx.programme.partnership} · {ctx.programme.review_title}",
        as_of=ctx.today,
        k=ctx.programme.governance.k,
        summary=summary,
        sections=(
            Section(heading="How to read the map", paragraphs=(HOW_TO_READ,), bullets=bullets),
            Section(heading="Recommendations and their actions", tables=(table,)),
        ),
        chart=_chart(ctx, recommendations, by_rec),
        csv_table="priorities",
    )


def _ordered(recs: Sequence[Recommendation]) -> list[Recommendation]:
    return sorted(recs, key=lambda r: (-(r.impact + r.feasibility), -r.impact, natural(r.code)))


def _row(ctx: Context, rec: Recommendation, actions: Sequence[Action]) -> tuple[Cell, ...]:
    name, colour = quadrant(rec)
    done = sum(1 for a in actions if a.status in FINISHED_STATUSES and a.status is not Status.SUPERSEDED)
    risky = sum(1 for a in actions if a.status in (Status.AT_RISK, Status.OFF_TRACK, Status.BLOCKED))
    return (
        cell(rec.code),
        cell(ctx.tag_label(rec.theme)),
        cell(rec.impact),
        cell(rec.feasibility),
        cell(name, colour=colour),
        cell(len(actions)),
        cell(done),
        cell(risky, colour="amber" if risky else ""),
        cell(rec.outcome_sought),
    )


def _chart(ctx: Context, recs: Sequence[Recommendation], by_rec: dict[str, list[Action]]) -> Chart:
    marks: list[Mark] = []
    seen: Counter[tuple[int, int]] = Counter()
    stacked = Counter((r.feasibility, r.impact) for r in recs)
    for rec in sorted(recs, key=lambda r: natural(r.code)):
        spot = (rec.feasibility, rec.impact)
        x, y = _spread(spot, seen[spot], stacked[spot])
        seen[spot] += 1
        marks.append(Mark(label=rec.code, x=x, y=y, size=len(by_rec.get(rec.code, [])), colour=quadrant(rec)[1]))
    return Chart(
        kind="quadrant",
        title="Which recommendations to do first: expected impact against feasibility",
        x_label="How feasible (1 = very hard, 5 = straightforward)",
        y_label="Expected impact for children (1 = low, 5 = high)",
        marks=tuple(marks),
        quadrants=(
            QUADRANTS[(True, False)][0],
            QUADRANTS[(True, True)][0],
            QUADRANTS[(False, False)][0],
            QUADRANTS[(False, True)][0],
        ),
        alt="A two-by-two map of the recommendations by expected impact (up) and feasibility (right): "
        + "; ".join(f"{r.code} impact {r.impact}, feasibility {r.feasibility}" for r in recs[:40]),
    )


def _spread(spot: tuple[int, int], index: int, total: int) -> tuple[float, float]:
    """Recommendations with the same scores sit in a small circle around the point, so none hides another."""
    if total <= 1:
        return float(spot[0]), float(spot[1])
    radius = min(0.35, 0.12 + 0.02 * total)
    angle = 2 * math.pi * index / total
    return spot[0] + radius * math.cos(angle), spot[1] + radius * math.sin(angle)
