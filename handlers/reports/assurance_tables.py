"""The detail tables of the assurance report: overdue, drift, evidence, dependency chains, changes, every action.

Owners appear by role title only, never by name or email.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from handlers.action_views import status_label
from handlers.model import RAG, Action, Status
from handlers.rag import rag_of
from handlers.reports.action_risks import (
    Chain,
    changes_since,
    days_overdue,
    days_since_update,
    drifting,
    recent_changes,
)
from handlers.reports.facts import Context, Snapshot, StatusChange
from handlers.reports.model import RAG_WORDS, Cell, Colour, Section, Table, cell, plural

Definitions = Mapping[str, str] | None  # a programme's rag_definitions (colour -> meaning)

LIST_LIMIT = 40
ACTION = ("Action", "the action's code in the action plan.")
TITLE = ("Title", "what the action will do.")
OWNER = ("Owner (role)", "who is accountable, by role, never by name.")
AGENCY = ("Agency", "the owning agency's short name (the full names are under 'By agency').")
STATUS = ("Status", "where it stands, with its RAG colour.")


def owner(action: Action) -> str:
    return action.owner_role or "role not recorded"


def status_cell(action: Action, today: dt.date | None = None, definitions: Definitions = None) -> Cell:
    """Status and RAG; with ``today``, an overdue action takes the colour the programme's ``rag_definitions`` give
    overdue (handlers.rag)."""
    colour: Colour = rag_of(action, today, definitions) if today else RAG[action.status]  # type: ignore[assignment]
    return cell(f"{status_label(action.status.value)} ({RAG_WORDS[colour]})", colour=colour)


def day(value: dt.date | None) -> str:
    return value.strftime("%d %b %Y") if value else "no date"


def overdue(late: Sequence[Action], today: dt.date, definitions: Definitions = None) -> Table:
    rows = tuple(
        (
            cell(a.code),
            cell(a.title),
            cell(owner(a)),
            cell(a.agency),
            cell(day(a.due)),
            cell(days_overdue(a, today)),
            status_cell(a, today, definitions),
        )
        for a in late
    )
    return Table(
        key="overdue",
        title="Overdue actions",
        columns=("Action", "Title", "Owner (role)", "Agency", "Due", "Days overdue", "Status"),
        rows=rows,
        show_at_most=LIST_LIMIT,
        empty="No action is overdue.",
        explain=(
            ACTION,
            TITLE,
            OWNER,
            AGENCY,
            ("Due", "the agreed date."),
            ("Days overdue", "days since then."),
            STATUS,
        ),
    )


def drift(stale: Sequence[Action], today: dt.date, definitions: Definitions = None) -> Table:
    ordered = sorted(
        stale,
        key=lambda a: (a.last_update is not None, a.last_update or dt.datetime.min.replace(tzinfo=dt.UTC), a.code),
    )
    rows = tuple(
        (
            cell(a.code),
            cell(a.title),
            cell(owner(a)),
            cell(a.agency),
            cell(day(a.last_update.date()) if a.last_update else "never"),
            cell(days_since_update(a, today) if a.last_update else "no update yet"),
            status_cell(a, today, definitions),
        )
        for a in ordered
    )
    return Table(
        key="drift",
        title="Open actions without a recent update",
        columns=("Action", "Title", "Owner (role)", "Agency", "Last update", "Days since", "Status"),
        rows=rows,
        show_at_most=LIST_LIMIT,
        empty="Every open action has a recent update.",
        explain=(
            ACTION,
            TITLE,
            OWNER,
            AGENCY,
            ("Last update", "the last note, status change or evidence recorded."),
            ("Days since", "days from then to the date of this report."),
            STATUS,
        ),
    )


def evidence(actions: Sequence[Action]) -> Section:
    done = [a for a in actions if a.status in (Status.COMPLETE, Status.CLOSED)]
    with_completion = sum(1 for a in done if a.evidence_of_completion)
    with_impact = sum(1 for a in done if a.evidence_of_impact)
    text = (
        f"Of {plural(len(done), 'action')} complete or closed, {have(with_completion)} evidence of completion and "
        f"{have(with_impact)} evidence of impact. Done is not the same as making a difference: an action closes only "
        "when there is evidence of impact."
    )
    rows = tuple(
        (
            cell(a.code),
            status_cell(a),
            cell(a.evidence_of_completion or "none yet", colour="" if a.evidence_of_completion else "amber"),
            cell(a.evidence_of_impact or "none yet", colour="" if a.evidence_of_impact else "amber"),
        )
        for a in sorted(done, key=lambda a: (bool(a.evidence_of_impact), a.code))
    )
    table = Table(
        key="evidence",
        title="Evidence of completion and of impact",
        columns=("Action", "Status", "Evidence of completion", "Evidence of impact"),
        rows=rows,
        show_at_most=LIST_LIMIT,
        empty="No action is complete yet.",
        explain=(
            ACTION,
            STATUS,
            ("Evidence of completion", "what shows the action was done."),
            ("Evidence of impact", "what shows it made a difference for children."),
        ),
    )
    return Section(heading="Evidence of completion and of impact", paragraphs=(text,), tables=(table,))


def have(count: int) -> str:
    return f"{count} {'has' if count == 1 else 'have'}"


def chains(found: Sequence[Chain]) -> Table:
    rows = []
    for chain in found:
        a = chain.action
        path = " ← ".join(f"{d.code} ({status_label(d.status.value)})" for d in chain.path)
        rows.append((cell(a.code), cell(a.title), status_cell(a), cell(path), cell(chain.why, colour="amber")))
    return Table(
        key="chains",
        title="Open actions waiting on something at risk",
        columns=("Action", "Title", "Status", "Waits on", "Why it is at risk"),
        rows=tuple(rows),
        show_at_most=LIST_LIMIT,
        empty="No open action is waiting on anything at risk.",
        explain=(
            ACTION,
            TITLE,
            STATUS,
            ("Waits on", "the actions it depends on, nearest first (← means 'which waits on')."),
            ("Why it is at risk", "what is wrong with the last of them."),
        ),
    )


def changes(
    previous: Snapshot | None, now: Snapshot, status_changes: Sequence[StatusChange], drift_days: int
) -> Section:
    heading = "What changed since the last report"
    if previous is not None:
        moved, intro = changes_since(previous, now), f"Compared with the report of {previous.taken_on:%d %B %Y}."
    else:
        moved = recent_changes(status_changes)
        intro = f"This is the first assurance report, so here are the status changes of the last {drift_days} days."
    table = Table(
        key="changes",
        title=heading,
        columns=("Action", "What changed"),
        rows=tuple((cell(code), cell(text)) for code, text in moved),
        show_at_most=LIST_LIMIT,
        empty="Nothing has changed.",
        overflow="not listed here",
        explain=(ACTION, ("What changed", "its status, due date or whether it is overdue.")),
    )
    return Section(heading=heading, paragraphs=(intro,), tables=(table,))


def all_actions(
    ctx: Context, actions: Sequence[Action], today: dt.date, drift_days: int, chains: Sequence[Chain]
) -> Table:
    definitions = ctx.programme.governance.rag_definitions or None
    waiting = {c.action.code: c.why for c in chains}
    rows = tuple(
        (
            cell(a.code),
            cell(a.recommendation),
            cell(a.title),
            cell(owner(a)),
            cell(a.agency),
            status_cell(a, today, definitions),
            cell(day(a.due)),
            cell("yes" if a.is_overdue(today) else "no"),
            cell("yes" if drifting(a, today, drift_days) else "no"),
            cell(" ".join(a.depends_on) or "none"),
            cell(waiting.get(a.code, "") or "no"),
            cell(a.evidence_of_completion or "none yet"),
            cell(a.evidence_of_impact or "none yet"),
        )
        for a in actions
    )
    return Table(
        key="actions",
        title="Every action",
        columns=(
            "Action",
            "Recommendation",
            "Title",
            "Owner (role)",
            "Agency",
            "Status",
            "Due",
            "Overdue",
            f"No update for {drift_days}+ days",
            "Depends on",
            "Dependency at risk",
            "Evidence of completion",
            "Evidence of impact",
        ),
        rows=rows,
        explain=(
            ACTION,
            ("Recommendation", "the recommendation it serves."),
            TITLE,
            OWNER,
            AGENCY,
            STATUS,
            ("Due", "the agreed date."),
            ("Overdue", "past that date and not complete."),
            (f"No update for {drift_days}+ days", "nothing recorded for that long."),
            ("Depends on", "actions that must come first."),
            ("Dependency at risk", "why one of those puts this action at risk."),
            ("Evidence of completion", "what shows it was done."),
            ("Evidence of impact", "what shows it made a difference."),
        ),
    )
