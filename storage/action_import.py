"""Import an action plan without losing an update made in chat.

Each field is compared three ways: the value at the last import (the *baseline*, kept in the programme's stored
document), the value now in the database (changed in chat since, or not), and the value in the file.

- file equals baseline: the file did not change it; nothing happens (a chat change stays).
- file differs, database equals baseline: nobody changed it in chat; the file's value is applied.
- file differs, database differs and equals the file: both agree; nothing to write.
- file differs, database differs from both: a *conflict*. It is listed (action, field, both values, who changed it
  in chat and when) and not applied unless the facilitator prefers the spreadsheet or chat (for all conflicts, or one
  by one).

Only the columns the file has are compared: a spreadsheet without a 'Start' column leaves start dates alone.
``Closed`` without evidence of impact (in the file or already recorded) is imported as ``complete`` with a warning:
an action is never closed without evidence of impact. Every applied field is written to the history, from → to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.model import Status
from handlers.programme_doc import ActionDoc
from storage.models import ActionRow, ActionUpdateRow

IMPORTER = "import@aftercare"
Side = Literal["spreadsheet", "chat"]

# ActionDoc field -> (ActionRow column, label for people, the chat update kind that changes it, if any)
FIELDS: dict[str, tuple[str, str, str | None]] = {
    "rec": ("recommendation", "recommendation", None),
    "title": ("title", "title", None),
    "owner": ("owner_email", "owner", "owner"),
    "owner_role": ("owner_role", "owner role", "owner"),
    "agency": ("agency", "agency", None),
    "partners": ("partners", "partners", None),
    "start": ("start", "start date", None),
    "due": ("due", "due date", "due"),
    "depends_on": ("depends_on", "depends on", None),
    "resources": ("resources", "resources", None),
    "success_measure": ("success_measure", "success measure", None),
    "evidence_of_impact": ("impact_measure", "impact measure", None),
    "status": ("status", "status", "status"),
    "evidence_of_completion": ("evidence_of_completion", "evidence of completion", "evidence"),
    "impact_evidenced": ("evidence_of_impact", "evidence of impact", "impact"),
}


@dataclass(frozen=True)
class FieldChange:
    code: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Conflict:
    code: str
    field: str
    spreadsheet: Any
    chat: Any
    who: str
    when: dt.datetime | None

    def describe(self) -> str:
        label = FIELDS[self.field][1]
        when = f" on {self.when:%d %b %Y %H:%M} UTC" if self.when else ""
        return (
            f"{self.code} {label}: the spreadsheet says {shown(self.spreadsheet)}, but {self.who} changed it in chat "
            f"to {shown(self.chat)}{when}"
        )


@dataclass
class PlanResult:
    created: list[str] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)  # not applied
    resolved: list[tuple[Conflict, Side]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass(frozen=True)
class Resolution:
    """What to do with conflicts: ``prefer`` for all of them, ``choices`` one by one ((code, field) → side)."""

    prefer: Side | None = None
    choices: dict[tuple[str, str], Side] = field(default_factory=dict)

    def side(self, code: str, name: str) -> Side | None:
        return self.choices.get((code, name)) or self.choices.get((code, FIELDS[name][1])) or self.prefer


def describe(result: PlanResult) -> list[str]:
    """What the import did or would do, one line each: changes, resolved and open conflicts, warnings."""
    lines = [f"{c.code} {FIELDS[c.field][1]}: {shown(c.old)} → {shown(c.new)}" for c in result.changes]
    lines += [
        f"Kept the chat value of {c.code} {FIELDS[c.field][1]}: {shown(c.chat)}"
        for c, s in result.resolved
        if s == "chat"
    ]
    if result.conflicts:
        lines.append(
            f"{len(result.conflicts)} conflict(s) not applied (choose with --prefer spreadsheet|chat, "
            "or one by one with --choose CODE:FIELD=spreadsheet|chat):"
        )
        lines += [f"  {conflict.describe()}" for conflict in result.conflicts]
    return lines + [f"Warning: {warning}" for warning in result.warnings]


def shown(value: Any) -> str:
    if value in (None, "", []):
        return "(empty)"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return f"'{value}'"


def plain(name: str, value: Any) -> Any:
    """A value in the form the database holds it, so that file, baseline and database compare alike."""
    if isinstance(value, Status):
        return value.value
    if name == "owner" and isinstance(value, str):
        return value.lower()
    if name == "depends_on":
        return [str(code).upper() for code in value or []]
    if name == "partners":
        return list(value or [])
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and name in ("start", "due"):
        return dt.date.fromisoformat(value) if value else None
    return value


def given(doc: ActionDoc) -> dict[str, Any]:
    """The fields the file gives (columns it has), as the database holds them."""
    return {name: plain(name, getattr(doc, name)) for name in FIELDS if name in doc.model_fields_set}


def baseline_of(document: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for raw in (document or {}).get("actions", []):
        doc = ActionDoc.model_validate(raw)
        out[doc.id.upper()] = {name: plain(name, getattr(doc, name)) for name in FIELDS}
    return out


def close_needs_impact(code: str, wanted: dict[str, Any], current_impact: str, result: PlanResult) -> None:
    impact = wanted.get("impact_evidenced", current_impact)
    if wanted.get("status") == Status.CLOSED.value and not impact:
        wanted["status"] = Status.COMPLETE.value
        result.warnings.append(
            f"{code} says 'Closed' but has no evidence of impact, so it was imported as 'Complete, awaiting evidence "
            f"of impact'; add the evidence (the 'Impact evidenced' column, or /actions {code} impact TEXT) and a "
            "lead or facilitator can close it."
        )


async def import_actions(
    session: AsyncSession,
    pid: int,
    actions: list[ActionDoc],
    baseline: dict[str, dict[str, Any]],
    now: dt.datetime,
    resolution: Resolution,
) -> tuple[PlanResult, dict[str, dict[str, Any]]]:
    """Apply the file to the database. Returns what happened and the new baseline (to store with the document)."""
    rows = {
        r.code: r for r in (await session.execute(select(ActionRow).where(ActionRow.programme_id == pid))).scalars()
    }
    result = PlanResult()
    new_baseline = dict(baseline)
    for doc in actions:
        code = doc.id.upper()
        row = rows.get(code)
        wanted = given(doc)
        close_needs_impact(code, wanted, row.evidence_of_impact if row else "", result)
        if row is None:
            values = {FIELDS[name][0]: value for name, value in wanted.items()}
            last = dt.datetime.combine(doc.last_update, dt.time(12), tzinfo=dt.UTC) if doc.last_update else None
            session.add(ActionRow(programme_id=pid, code=code, last_update=last, **_defaults(values)))
            result.created.append(code)
            new_baseline[code] = {name: wanted.get(name, plain(name, getattr(doc, name))) for name in FIELDS}
            continue
        new_baseline[code] = await _merge(session, row, wanted, baseline.get(code, {}), now, resolution, result)
    return result, new_baseline


async def _merge(
    session: AsyncSession,
    row: ActionRow,
    wanted: dict[str, Any],
    base: dict[str, Any],
    now: dt.datetime,
    resolution: Resolution,
    result: PlanResult,
) -> dict[str, Any]:
    kept = dict(base)
    applied: list[FieldChange] = []
    for name, value in wanted.items():
        column = FIELDS[name][0]
        current = getattr(row, column)
        before = base.get(name, current)  # no baseline yet (an old import): the database is the baseline
        kept[name] = value
        if value in (before, current):
            continue
        if current == before or await _side(session, row, name, value, current, resolution, result) == "spreadsheet":
            applied.append(FieldChange(row.code, name, current, value))
        elif resolution.side(row.code, name) is None:
            kept[name] = before  # unresolved: it will be listed again next time
    for change in applied:
        setattr(row, FIELDS[change.field][0], change.new)
        session.add(_history(row.id, change, now))
    if applied:
        row.last_update = now
        result.changes += applied
    else:
        result.unchanged += 1
    return kept


async def _side(
    session: AsyncSession,
    row: ActionRow,
    name: str,
    value: Any,
    current: Any,
    resolution: Resolution,
    result: PlanResult,
) -> Side | None:
    who, when = await _last_chat_change(session, row, name)
    conflict = Conflict(row.code, name, value, current, who, when)
    side = resolution.side(row.code, name)
    if side is None:
        result.conflicts.append(conflict)
    else:
        result.resolved.append((conflict, side))
    return side


async def _last_chat_change(session: AsyncSession, row: ActionRow, name: str) -> tuple[str, dt.datetime | None]:
    kind = FIELDS[name][2]
    query = (
        select(ActionUpdateRow.actor_name, ActionUpdateRow.at)
        .where(ActionUpdateRow.action_id == row.id, ActionUpdateRow.actor_email != IMPORTER)
        .order_by(ActionUpdateRow.at.desc(), ActionUpdateRow.id.desc())
        .limit(1)
    )
    if kind is not None:
        query = query.where(ActionUpdateRow.kind == kind)
    found = (await session.execute(query)).first()
    return (found[0], found[1]) if found else ("someone", row.last_update)


def _history(action_id: int, change: FieldChange, now: dt.datetime) -> ActionUpdateRow:
    return ActionUpdateRow(
        action_id=action_id,
        at=now,
        actor_email=IMPORTER,
        actor_name="Action plan import",
        kind="import",
        old=_text(change.old),
        new=_text(change.new),
        note=FIELDS[change.field][1],
    )


def document_action(code: str, values: dict[str, Any]) -> dict[str, Any]:
    """One baseline entry in the shape of the programme file's actions (stored in the programme's document)."""
    out: dict[str, Any] = {"id": code}
    for name, value in values.items():
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _defaults(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"partners": [], "depends_on": [], "status": Status.NOT_STARTED.value}
    return out | values
