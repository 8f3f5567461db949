"""How actions look in a reply: lines for lists, a card for one action. Pure formatting, no decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from handlers.model import Action, ActionUpdate, Participant, Recommendation, UpdateKind
from handlers.rag import rag_of
from handlers.reply import Block, Button

STATUS_LABELS = {
    "not_started": "Not started",
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "blocked": "Blocked",
    "complete": "Complete, awaiting evidence of impact",
    "closed": "Closed, impact evidenced",
    "superseded": "Superseded",
}
RAG_MARKS = {"grey": "⚪", "green": "🟢", "amber": "🟠", "red": "🔴", "blue": "🔵"}

# Buttons on action check-ins and cards; both renderers use these ids.
ACTION_STATUS_BUTTON = "actions.set_status"


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def when(moment: dt.datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return local.strftime("%d %b %Y %H:%M")


def day(value: dt.date | None) -> str:
    return value.strftime("%d %b %Y") if value else "no date"


def action_line(action: Action, today: dt.date, rag: Mapping[str, str] | None = None) -> str:
    """One line of a list; ``rag`` is the programme's rag_definitions (overdue counts as they say)."""
    overdue = " (overdue)" if action.is_overdue(today) else ""
    mark = RAG_MARKS[rag_of(action, today, rag)]
    return f"{mark} {action.code} {status_label(action.status.value)} · due {day(action.due)}{overdue} · {action.title}"


def update_line(update: ActionUpdate, zone: str) -> str:
    stamp = f"{when(update.at, zone)} {update.actor_name}"
    if update.kind is UpdateKind.STATUS:
        text = f"{status_label(update.old)} → {status_label(update.new)}"
    elif update.kind in (UpdateKind.DUE, UpdateKind.OWNER):
        text = f"{update.kind.value} {update.old or '—'} → {update.new}"
    elif update.kind is UpdateKind.IMPORT and (update.old or update.new):  # one field, from → to
        text = f"{update.note} {update.old or '—'} → {update.new or '—'}"  # the stamp names "Action plan import"
        return f"{stamp}: {text}"
    elif update.kind is UpdateKind.IMPORT:
        text = "updated from the action plan"
    else:
        text = {"note": "note", "evidence": "evidence of completion", "impact": "evidence of impact"}[update.kind.value]
    note = f": {update.note}" if update.note else ""
    return f"{stamp}: {text}{note}"


def action_card(
    action: Action,
    *,
    recommendation: Recommendation | None,
    owner: Participant | None,
    dependencies: list[Action],
    dependents: list[str],
    history: list[ActionUpdate],
    today: dt.date,
    zone: str,
    rag: Mapping[str, str] | None = None,
) -> tuple[str, tuple[Block, ...]]:
    owner_text = (
        f"{owner.name}, {action.owner_role or owner.job_title} ({action.agency})" if owner else action.owner_email
    )
    deps = ", ".join(f"{d.code} ({status_label(d.status.value)})" for d in dependencies) or "none"
    fields = (
        ("Status", f"{RAG_MARKS[rag_of(action, today, rag)]} {status_label(action.status.value)}"),
        ("Owner", owner_text),
        ("Due", day(action.due) + (" (overdue)" if action.is_overdue(today) else "")),
        ("Depends on", deps),
        ("Needed by", ", ".join(dependents) or "none"),
        ("Partners", ", ".join(action.partners) or "none"),
    )
    rec_text = f"{recommendation.code}: outcome sought: {recommendation.outcome_sought}" if recommendation else ""
    evidence = (
        f"Evidence of completion: {action.evidence_of_completion or 'none yet'}\n"
        f"Evidence of impact: {action.evidence_of_impact or 'none yet'}"
        + (f"\nImpact will be shown by: {action.impact_measure}" if action.impact_measure else "")
    )
    lines = [update_line(u, zone) for u in history] or ["No updates yet."]
    blocks = (
        Block(kind="header", text=f"{action.code}: {action.title}"[:150]),
        Block(kind="fields", fields=fields),
        Block(kind="context", text=rec_text),
        Block(kind="section", text=evidence),
        Block(kind="section", text="History (newest first)\n" + "\n".join(lines)),
    )
    text = "\n".join(
        [f"{action.code}: {action.title}", *(f"{k}: {v}" for k, v in fields), rec_text, evidence, "History:", *lines]
    )
    return text, blocks


def status_buttons(code: str) -> Block:
    choices = (("on_track", "On track"), ("at_risk", "At risk"), ("blocked", "Blocked"), ("complete", "Done"))
    return Block(
        kind="actions",
        buttons=tuple(Button(action_id=ACTION_STATUS_BUTTON, label=label, value=f"{code}:{s}") for s, label in choices),
    )
