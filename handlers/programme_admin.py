"""/aftercare schedule: a facilitator lists, pauses, resumes and moves the programme's schedules and check-ins.

Changes are kept with the programme's stored file, which the scheduler reads on its next pass. A check-in cycle that
has already opened cannot be moved (its answers belong to it); a future one moves to a later day that keeps the
cycles in order, and its window then runs from that day until the next cycle opens.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError

from handlers.cycles import cycle_closes
from handlers.errors import NotFound, UserFacingError
from handlers.grammar import ScheduleAdmin
from handlers.model import AuditEvent, Participant, Programme
from handlers.permissions import check_facilitator
from handlers.ports import Deps
from handlers.recurrence import next_occurrence
from handlers.reply import Block, Command, Reply, plain_text, rich
from handlers.schedules import ScheduleKind, ScheduleSpec, milestone_dates, specs_for
from handlers.vocabulary import did_you_mean, parse_date


async def schedule_admin(cmd: ScheduleAdmin, actor: Participant, deps: Deps) -> Reply:
    check_facilitator(actor, "see and change the programme's schedules")
    pid = actor.programme_id
    programme = await deps.programmes.get(pid)
    specs = specs_for(programme, await deps.programmes.schedule_documents(pid))
    if cmd.verb == "list":
        return _listing(programme, specs, deps.clock.now())
    spec = _find(specs, cmd.key)
    if cmd.verb in ("pause", "resume"):
        active = cmd.verb == "resume"
        if spec.active == active:
            return Reply(text=f"'{spec.key}' is already {'running' if active else 'paused'}; nothing has changed.")
        await _save(deps, pid, [s.model_copy(update={"active": active}) if s.key == spec.key else s for s in specs])
        until = ("; nothing more is sent for it until ", Command(f"aftercare schedule resume {spec.key}"), ".")
        text = rich(f"'{spec.key}' is {'running again' if active else 'paused'}", ("." if active else until))
    elif spec.kind is ScheduleKind.CHECKIN:
        text = rich(await _move_checkin(deps, programme, spec, cmd.when.strip("\"'")))
    else:
        text = rich(await _move_rule(deps, pid, specs, spec, cmd.when.strip("\"'")))
    now = deps.clock.now()
    event = AuditEvent(at=now, actor_email=actor.email, verb=f"schedule.{cmd.verb}", target=spec.key, detail=cmd.when)
    await deps.audit.record(pid, event)
    return Reply(body=text)


def _find(specs: list[ScheduleSpec], key: str) -> ScheduleSpec:
    for spec in specs:
        if spec.key.lower() == key.lower():
            return spec
    keys = [s.key for s in specs]
    raise NotFound(
        (f"There is no schedule '{key}'.{did_you_mean(key, keys)} Try ", Command("aftercare schedule"), " to see them.")
    )


async def _save(deps: Deps, pid: int, specs: list[ScheduleSpec]) -> None:
    await deps.programmes.save_schedule_documents(
        pid, [s.model_dump(mode="json", exclude_defaults=True) for s in specs]
    )


async def _move_rule(deps: Deps, pid: int, specs: list[ScheduleSpec], spec: ScheduleSpec, rule: str) -> str:
    try:
        moved = spec.model_copy(update={"rule": ScheduleSpec.model_validate({**spec.model_dump(), "rule": rule}).rule})
    except ValidationError:
        raise UserFacingError(
            f"'{rule}' is not a rule I can read; write, for example, \"weekly on MO at 09:00\" or "
            '"every 2 weeks on TU,TH at 14:00", so nothing has changed.'
        ) from None
    await _save(deps, pid, [moved if s.key == spec.key else s for s in specs])
    return f"'{spec.key}' now runs {moved.rule} (in each person's own time zone and working hours)."


async def _move_checkin(deps: Deps, programme: Programme, spec: ScheduleSpec, when: str) -> str:
    day = parse_date(when)
    if day is None:
        raise UserFacingError(
            (
                "Please give the new day as YYYY-MM-DD, e.g. ",
                Command(f"aftercare schedule move {spec.key} 2026-09-01"),
                ".",
            )
        )
    today = deps.clock.now().astimezone(dt.UTC).date()
    cycles = sorted(programme.checkins, key=lambda c: c.date)
    index = next(i for i, c in enumerate(cycles) if c.code == spec.cycle)
    cycle = cycles[index]
    if cycle.date <= today:
        raise UserFacingError(f"Check-in {cycle.code} has already opened, so it cannot be moved; nothing has changed.")
    earliest = max([today, *(c.date for c in cycles[:index])])
    latest = cycles[index + 1].date if index + 1 < len(cycles) else None
    if day <= earliest or (latest is not None and day >= latest):
        bound = f" and before {cycles[index + 1].code} opens on {latest:%d %b %Y}" if latest else ""
        raise UserFacingError(
            f"Check-in {cycle.code} can move to a day after {earliest:%d %b %Y}{bound}; nothing has changed."
        )
    await deps.programmes.move_checkin(programme.id, cycle.code, day)
    return f"Check-in {cycle.code} now opens on {day:%A %d %B %Y} (it was {cycle.date:%d %b %Y})."


def _listing(programme: Programme, specs: list[ScheduleSpec], now: dt.datetime) -> Reply:
    milestones = milestone_dates(programme)
    lines = []
    for spec in specs:
        state = "running" if spec.active else "paused"
        nxt = next_occurrence(spec.recurrence(), now, programme.timezone, milestones) if spec.active else None
        when = f"; next {nxt.astimezone(dt.UTC):%d %b %Y}" if nxt else ""
        rule = spec.rule
        if spec.kind is ScheduleKind.CHECKIN and (opens := milestones.get(f"checkin.{spec.cycle}")):
            closes = cycle_closes(programme, spec.cycle)
            rule = f"check-in {spec.cycle} open from {opens:%d %b %Y}" + (
                f" until {closes:%d %b %Y}" if closes else " (the last cycle stays open)"
            )
        lines.append(f"{spec.key} ({spec.kind.value}, {state}): {rule}{when}")
    header = f"Schedules ({len(specs)})"
    footer = (
        "Change one with ",
        Command("aftercare schedule pause|resume KEY"),
        " or ",
        Command("aftercare schedule move KEY WHEN"),
        ".",
    )
    blocks = (
        Block(kind="header", text=header),
        Block(kind="section", text="\n".join(lines)),
        Block(kind="context", text=footer),
    )
    return Reply(text="\n".join([header, *lines, plain_text(footer)]), blocks=blocks)
