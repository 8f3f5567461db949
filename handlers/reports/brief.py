"""The learning brief: one page for the partnership board, drawing the other reports together.

It only repeats figures the other builders have already put through the threshold module in the same run.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers.action_views import status_label
from handlers.count_table import IndicatorSummary
from handlers.model import Action, Recommendation, Status
from handlers.reports.action_risks import drifting
from handlers.reports.disclosure import percent
from handlers.reports.facts import Context
from handlers.reports.indicators import WHOLE, IndicatorResult, ItemFigures, cycle_label, measure_title
from handlers.reports.model import Report, Section, plural, threshold_note
from handlers.reports.priorities import QUADRANTS, quadrant
from handlers.reports.themes import ThemesResult

MAX_BULLETS = 4


def build_brief(
    ctx: Context,
    actions: Sequence[Action],
    recommendations: Sequence[Recommendation],
    themes: ThemesResult,
    indicators: IndicatorResult,
) -> Report:
    gov = ctx.programme.governance
    plan = _plan(ctx, actions, recommendations)
    heard = _themes(themes)
    change = _indicators(ctx, indicators)
    asks = _asks(ctx, actions, recommendations)
    summary = _summary(actions, themes, indicators)
    return Report(
        kind="brief",
        title="Learning brief for the partnership board",
        subtitle=f"{ctx.programme.partnership} · {ctx.programme.review_title}",
        as_of=ctx.today,
        k=gov.k,
        summary=summary,
        sections=(
            Section(heading="Where the action plan stands", bullets=tuple(plan)),
            Section(
                heading="What practitioners are reflecting on",
                bullets=tuple(heard) or ("No theme has reached the threshold yet.",),
            ),
            Section(
                heading="Is practice changing?",
                bullets=tuple(change) or ("Not enough check-in answers yet to show a figure.",),
            ),
            Section(heading="Conditions that help learning embed", bullets=themes.conditions[:MAX_BULLETS]),
            Section(heading="For the board to consider", bullets=tuple(asks)),
        ),
        footnote=threshold_note(gov.k, gov.sensitive_k) + " Owners are shown by role only.",
    )


def _summary(actions: Sequence[Action], themes: ThemesResult, indicators: IndicatorResult) -> str:
    closed = sum(1 for a in actions if a.status is Status.CLOSED)
    risky = sum(1 for a in actions if a.status in (Status.AT_RISK, Status.OFF_TRACK, Status.BLOCKED))
    parts = [
        f"{closed} of {plural(len(actions), 'action')} closed with evidence of impact; {risky} at risk, off track "
        "or blocked."
        if actions
        else "The action plan has no actions yet."
    ]
    moved = [_first_and_last(figures) for figures in indicators.items]
    compared = [
        (first.share_agree, last.share_agree)
        for first, last in (pair for pair in moved if pair is not None)
        if first.share_agree is not None and last.share_agree is not None
    ]
    if compared:
        rose = sum(1 for first, last in compared if last > first)
        parts.append(
            f"Agreement rose on {rose} of the {plural(len(compared), 'check-in statement')} asked more than once."
        )
    tags = sorted(
        (line for line in themes.lines if line.candidate.kind == "tag"), key=lambda line: -(line.people.n or 0)
    )
    if tags:
        parts.append(f"The theme most people reflected on: {tags[0].title.lower()}.")
    return " ".join(parts)


def _first_and_last(figures: ItemFigures) -> tuple[IndicatorSummary, IndicatorSummary] | None:
    shown = [
        found.value
        for cycle in figures.safe.columns
        if (found := figures.safe.cell(WHOLE, cycle)).shown and isinstance(found.value, IndicatorSummary)
    ]
    return (shown[0], shown[-1]) if len(shown) > 1 else None


def _plan(ctx: Context, actions: Sequence[Action], recs: Sequence[Recommendation]) -> list[str]:
    if not actions:
        return []
    today = ctx.today
    closed = sum(1 for a in actions if a.status is Status.CLOSED)
    complete = sum(1 for a in actions if a.status is Status.COMPLETE)
    risky = sum(1 for a in actions if a.status in (Status.AT_RISK, Status.OFF_TRACK, Status.BLOCKED))
    overdue = sum(1 for a in actions if a.is_overdue(today))
    drift = sum(1 for a in actions if drifting(a, today, ctx.programme.governance.drift_days))
    return [
        f"{plural(len(actions), 'action')} across {plural(len(recs), 'recommendation')}: {closed} closed with "
        f"evidence of impact, {complete} complete and awaiting evidence of impact.",
        f"{risky} at risk, off track or blocked; {overdue} overdue.",
        f"{drift} open actions have had no update for {ctx.programme.governance.drift_days} days or more.",
    ]


def _themes(themes: ThemesResult) -> list[str]:
    tags = [line for line in themes.lines if line.candidate.kind == "tag"]
    shown = sorted(tags, key=lambda line: -(line.people.n or 0))[:MAX_BULLETS]
    return [
        f"{line.title}" + (f" (at least {line.people.text} people)." if not line.people.hidden else ".")
        for line in shown
    ]


def _indicators(ctx: Context, result: IndicatorResult) -> list[str]:
    bullets = []
    for figures in result.items:
        shown = [
            (cycle, found.value)
            for cycle in figures.safe.columns
            if (found := figures.safe.cell(WHOLE, cycle)).shown
            and isinstance(found.value, IndicatorSummary)
            and found.value.share_agree is not None
        ]
        if not shown:
            continue
        cycle, last = shown[-1]
        when = cycle_label(ctx, cycle)
        text = f"{measure_title(figures.item)}: {percent(last.share_agree)} agree at {when} (n={last.n})"
        if len(shown) > 1:
            first_cycle, first = shown[0]
            text += f", against {percent(first.share_agree)} at {first_cycle} (n={first.n})"
        bullets.append(text + ".")
    return bullets


def _asks(ctx: Context, actions: Sequence[Action], recs: Sequence[Recommendation]) -> list[str]:
    asks = []
    stuck = [a for a in actions if a.status in (Status.OFF_TRACK, Status.BLOCKED)][:3]
    if stuck:
        listed = ", ".join(
            f"{a.code} ({status_label(a.status.value).lower()}, {a.owner_role or 'owner'})" for a in stuck
        )
        asks.append(f"What would unblock {listed}?")
    waiting = sum(1 for a in actions if a.status is Status.COMPLETE and not a.evidence_of_impact)
    if waiting:
        asks.append(
            f"{plural(waiting, 'action is', 'actions are')} complete without evidence of impact: "
            "how will we know they made a difference?"
        )
    first = QUADRANTS[(True, True)][0]
    idle = [
        r.code
        for r in recs
        if quadrant(r)[0] == first
        and not any(a.recommendation == r.code and a.status is not Status.NOT_STARTED for a in actions)
    ]
    if idle:
        asks.append(f"'Do first' recommendations with no action under way yet: {', '.join(idle[:5])}.")
    return asks or ["No decisions are needed from the board this time."]
