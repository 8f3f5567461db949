"""The assurance report: where every action stands, by recommendation and agency, and what needs attention.

Owners appear by role title only, never by name or email. Counts here are of actions, not of people, so the
anonymity threshold does not apply to them; nothing in this report comes from reflections or check-ins.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from handlers.action_views import status_label
from handlers.model import RAG, Action, Recommendation, Status
from handlers.reports import assurance_tables as tables
from handlers.reports.action_risks import chains_at_risk, drifting, snapshot_of
from handlers.reports.facts import Context, Snapshot, StatusChange
from handlers.reports.model import (
    RAG_WORDS,
    Cell,
    Chart,
    Colour,
    Panel,
    Report,
    Section,
    Series,
    Table,
    cell,
    natural,
    plural,
)

# Columns of the summary tables: a status group, its colour, and the statuses in it.
GROUPS: tuple[tuple[str, Colour, tuple[Status, ...]], ...] = (
    ("Not started", "grey", (Status.NOT_STARTED,)),
    ("On track", "green", (Status.ON_TRACK,)),
    ("At risk", "amber", (Status.AT_RISK,)),
    ("Off track or blocked", "red", (Status.OFF_TRACK, Status.BLOCKED)),
    ("Complete, awaiting impact", "sky", (Status.COMPLETE,)),
    ("Closed, impact evidenced", "blue", (Status.CLOSED,)),
    ("Superseded", "grey", (Status.SUPERSEDED,)),
)


def build_assurance(
    ctx: Context,
    actions: Sequence[Action],
    recommendations: Sequence[Recommendation],
    previous: Snapshot | None,
    status_changes: Sequence[StatusChange],
) -> tuple[Report, Snapshot]:
    """The report, and the snapshot to store so that the next report can say what changed."""
    today, drift_days = ctx.today, ctx.programme.governance.drift_days
    overdue = sorted((a for a in actions if a.is_overdue(today)), key=lambda a: (a.due, a.code))
    drift = [a for a in actions if drifting(a, today, drift_days)]
    chains = chains_at_risk(actions, today)
    now = snapshot_of(actions, today)
    status_table = _status_table(Counter(a.status for a in actions))
    definitions = ctx.programme.governance.rag_definitions or None
    overdue_table = tables.overdue(overdue, today, definitions)
    drift_table = tables.drift(drift, today, definitions)
    summary = headline(status_table, overdue_table, drift_table, len(recommendations), drift_days)
    sections = (
        Section(heading="At a glance", paragraphs=(summary,), tables=(status_table,)),
        Section(heading="By recommendation", tables=(_by_recommendation(actions, recommendations, today),)),
        Section(heading="By agency", tables=(_by_agency(ctx, actions, today),)),
        Section(heading="Overdue", tables=(overdue_table,)),
        Section(heading=f"No update for {drift_days} days or more", tables=(drift_table,)),
        tables.evidence(actions),
        Section(heading="Dependency chains at risk", tables=(tables.chains(chains),)),
        tables.changes(previous, now, status_changes, drift_days),
        Section(heading="Every action", tables=(tables.all_actions(ctx, actions, today, drift_days, chains),)),
    )
    report = Report(
        kind="assurance",
        title="Action plan assurance",
        subtitle=f"{ctx.programme.partnership} · {ctx.programme.review_title}",
        as_of=today,
        k=ctx.programme.governance.k,
        summary=summary,
        sections=sections,
        chart=_chart(actions, recommendations),
        csv_table="actions",
        footnote="Owners are shown by role, never by name. RAG shows confidence that an action will deliver: "
        "Green on track, Amber at risk, Red off track, blocked or overdue, Blue closed with evidence of impact, "
        "Grey not started or superseded.",
    )
    return report, now


TROUBLED_LABELS = frozenset(status_label(s.value) for s in (Status.AT_RISK, Status.OFF_TRACK, Status.BLOCKED))


def headline(status: Table, overdue: Table, drift: Table, recommendations: int, drift_days: int) -> str:
    """The summary, counted from the very tables the report shows, so the two can never disagree."""
    by_status = {row[0].text: int(row[2].text) for row in status.rows}
    troubled = sum(n for label, n in by_status.items() if label in TROUBLED_LABELS)
    closed = by_status.get(status_label(Status.CLOSED.value), 0)
    return (
        f"{plural(sum(by_status.values()), 'action')} across {plural(recommendations, 'recommendation')}: "
        f"{troubled} at risk, off track or blocked; {len(overdue.rows)} overdue; {len(drift.rows)} with no update "
        f"for {drift_days} days or more; {closed} closed with evidence of impact."
    )


def _status_table(counts: Counter[Status]) -> Table:
    rows = tuple(
        (cell(status_label(s.value), colour=RAG[s]), cell(RAG_WORDS[RAG[s]]), cell(counts[s]))  # type: ignore[arg-type]
        for s in Status
        if counts[s]
    )
    return Table(
        key="status-summary",
        title="Actions by status",
        columns=("Status", "RAG", "Actions"),
        rows=rows,
        explain=(
            ("Status", "where the action stands, as its owner last reported."),
            ("RAG", "the colour for confidence that it will deliver (the key is at the end)."),
            ("Actions", "how many actions have this status."),
        ),
    )


def _group_cells(group: Sequence[Action], today: dt.date) -> tuple[Cell, ...]:
    counts = Counter(a.status for a in group)
    cells = [
        cell(sum(counts[s] for s in statuses), colour=colour if any(counts[s] for s in statuses) else "")
        for _, colour, statuses in GROUPS
    ]
    return (cell(len(group)), *cells, cell(sum(1 for a in group if a.is_overdue(today))))


GROUP_COLUMNS = ("Actions", *(name for name, _, _ in GROUPS), "Overdue")
GROUP_EXPLAIN = (
    ("Actions", "how many actions it has."),
    (", ".join(name for name, _, _ in GROUPS), "how many of them have each status."),
    ("Overdue", "past the due date and not yet complete."),
)


def _by_recommendation(actions: Sequence[Action], recs: Sequence[Recommendation], today: dt.date) -> Table:
    codes = _rec_codes(actions, recs)
    outcomes = {r.code: r.outcome_sought for r in recs}
    rows = tuple(
        (
            cell(code),
            cell(outcomes.get(code, "")),
            *_group_cells([a for a in actions if a.recommendation == code], today),
        )
        for code in codes
    )
    return Table(
        key="by-recommendation",
        title="Actions by recommendation",
        columns=("Recommendation", "Outcome sought", *GROUP_COLUMNS),
        rows=rows,
        explain=(
            ("Recommendation", "the review's recommendation."),
            ("Outcome sought", "what will be different for children."),
            *GROUP_EXPLAIN,
        ),
    )


def _rec_codes(actions: Sequence[Action], recs: Sequence[Recommendation]) -> list[str]:
    return sorted({r.code for r in recs} | {a.recommendation for a in actions}, key=natural)


def _by_agency(ctx: Context, actions: Sequence[Action], today: dt.date) -> Table:
    agencies = sorted({a.agency for a in actions})
    rows = tuple(
        (cell(_agency(ctx, code)), *_group_cells([a for a in actions if a.agency == code], today)) for code in agencies
    )
    return Table(
        key="by-agency",
        title="Actions by agency",
        columns=("Agency", *GROUP_COLUMNS),
        rows=rows,
        explain=(("Agency", "the agency that owns the actions."), *GROUP_EXPLAIN),
    )


def _agency(ctx: Context, code: str) -> str:
    name = ctx.agency_name(code)
    return name if name == code else f"{name} ({code})"


def _chart(actions: Sequence[Action], recs: Sequence[Recommendation]) -> Chart:
    codes = _rec_codes(actions, recs)
    by_rec = {code: Counter(a.status for a in actions if a.recommendation == code) for code in codes}
    series = tuple(
        Series(label=name, values=tuple(float(sum(by_rec[c][s] for s in statuses)) for c in codes), colour=colour)
        for name, colour, statuses in GROUPS
        if any(by_rec[c][s] for c in codes for s in statuses)
    )
    return Chart(
        kind="bars",
        title="Where each recommendation's actions stand",
        x_label="Number of actions",
        y_label="Recommendation",
        panels=(Panel(title="", categories=tuple(codes), series=series),),
        alt="Stacked bar chart: for each recommendation, how many of its actions are not started, on track, at "
        "risk, off track or blocked, complete, closed or superseded.",
    )
