"""What the assurance report looks for in an action plan: overdue, drift, dependency chains at risk, changes."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.action_views import status_label
from handlers.model import FINISHED_STATUSES, Action, Status
from handlers.reports.facts import ActionState, Snapshot, StatusChange

TROUBLED = frozenset({Status.AT_RISK, Status.OFF_TRACK, Status.BLOCKED})


def days_overdue(action: Action, today: dt.date) -> int:
    return (today - action.due).days if action.due is not None and action.is_overdue(today) else 0


def days_since_update(action: Action, today: dt.date) -> int | None:
    return None if action.last_update is None else (today - action.last_update.date()).days


def drifting(action: Action, today: dt.date, drift_days: int) -> bool:
    """An open action with no update for ``drift_days`` (or none at all)."""
    if action.status in FINISHED_STATUSES or action.status is Status.SUPERSEDED:
        return False
    since = days_since_update(action, today)
    return since is None or since >= drift_days


def trouble(action: Action, today: dt.date) -> str:
    """Why an open action puts what depends on it at risk, or "" when it does not."""
    if action.status in FINISHED_STATUSES:
        return ""
    if action.status in TROUBLED:
        return status_label(action.status.value).lower()
    if action.is_overdue(today):
        return "overdue"
    return ""


@dataclass(frozen=True)
class Chain:
    """An open action and the path of dependencies leading to the one that puts it at risk."""

    action: Action
    path: tuple[Action, ...]  # nearest dependency first; the last one is the cause
    why: str


def chains_at_risk(actions: Sequence[Action], today: dt.date) -> list[Chain]:
    """Open actions whose dependencies (direct or further back) are at risk, off track, blocked or overdue, or
    are due only after the action itself is due. The shortest such path is reported."""
    by_code = {a.code: a for a in actions}
    found: list[Chain] = []
    for action in actions:
        if action.status in FINISHED_STATUSES or not action.depends_on:
            continue
        chain = _nearest_cause(action, by_code, today)
        if chain is not None:
            found.append(chain)
    return found


def _nearest_cause(action: Action, by_code: dict[str, Action], today: dt.date) -> Chain | None:
    queue: deque[tuple[Action, ...]] = deque((by_code[c],) for c in action.depends_on if c in by_code)
    seen = {action.code}
    while queue:
        path = queue.popleft()
        last = path[-1]
        if last.code in seen:
            continue
        seen.add(last.code)
        why = trouble(last, today)
        if not why and len(path) == 1 and last.due is not None and _due_after(last, action):
            why = f"due {last.due:%d %b %Y}, after this action is due"
        if why:
            return Chain(action, path, why)
        if last.status not in FINISHED_STATUSES:
            queue.extend((*path, by_code[c]) for c in last.depends_on if c in by_code and c not in seen)
    return None


def _due_after(dependency: Action, action: Action) -> bool:
    return (
        dependency.status not in FINISHED_STATUSES
        and dependency.due is not None
        and action.due is not None
        and dependency.due > action.due
    )


def snapshot_of(actions: Sequence[Action], today: dt.date) -> Snapshot:
    return Snapshot(
        taken_on=today,
        actions={
            a.code: ActionState(
                status=a.status.value, overdue=a.is_overdue(today), due=a.due.isoformat() if a.due else ""
            )
            for a in actions
        },
    )


def changes_since(before: Snapshot, now: Snapshot) -> list[tuple[str, str]]:
    """(code, what changed) for every action whose status, due date or overdue state moved, plus new and removed."""
    found: list[tuple[str, str]] = []
    for code in sorted(set(before.actions) | set(now.actions)):
        old, new = before.actions.get(code), now.actions.get(code)
        if old is None:
            found.append((code, f"added ({status_label(new.status) if new else ''})"))
        elif new is None:
            found.append((code, "no longer in the action plan"))
        else:
            found.extend((code, text) for text in _moved(old, new))
    return found


def _moved(old: ActionState, new: ActionState) -> list[str]:
    moved = []
    if old.status != new.status:
        moved.append(f"{status_label(old.status)} → {status_label(new.status)}")
    if new.overdue and not old.overdue:
        moved.append("became overdue")
    if old.due != new.due and new.due:
        moved.append(f"due date moved to {dt.date.fromisoformat(new.due):%d %b %Y}")
    return moved


def recent_changes(changes: Sequence[StatusChange]) -> list[tuple[str, str]]:
    """Status changes recorded as updates, oldest first, when there is no earlier report to compare with."""
    return [
        (c.code, f"{status_label(c.old)} → {status_label(c.new)} on {c.on:%d %b %Y}")
        for c in sorted(changes, key=lambda c: (c.on, c.code))
    ]
