"""The action plan: lists, one action, status changes, notes, evidence and re-planning."""

from __future__ import annotations

import logging

from handlers import action_views as views
from handlers import permissions
from handlers.errors import NotFound, UserFacingError
from handlers.free_text import Screened, screen_free_text
from handlers.grammar import AddText, ListActions, SetDue, SetOwner, SetStatus, ShowAction
from handlers.model import FINISHED_STATUSES, Action, ActionUpdate, AuditEvent, Participant, Status, UpdateKind
from handlers.ports import ActionFilter, ActionInContext, Deps
from handlers.reply import Block, Command, Inline, Reply, join, plain_text, rich
from handlers.vocabulary import did_you_mean

logger = logging.getLogger(__name__)

PAGE_SIZE = 15
LIST_TITLES = {
    "mine": "Your open actions",
    "team": "Your team's actions",
    "agency": "Your agency's actions",
    "all": "All actions",
    "overdue": "Overdue actions",
    "blocked": "Blocked actions",
}


async def find_action(deps: Deps, programme_id: int, code: str) -> ActionInContext:
    """The action with its owner, recommendation, dependencies and dependents, read together."""
    found = await deps.actions.in_context(programme_id, code)
    if found is None:
        codes = await deps.actions.codes(programme_id)
        raise NotFound(
            (f"There is no action {code}.{did_you_mean(code, codes)} Try ", Command("actions all"), " to see them.")
        )
    return found


async def list_actions(cmd: ListActions, actor: Participant, deps: Deps) -> Reply:
    today = deps.clock.now().date()
    where = await _list_filter(cmd.scope, actor, deps)
    pid = actor.programme_id
    shown, total = await deps.actions.page(pid, where, limit=PAGE_SIZE, offset=(cmd.page - 1) * PAGE_SIZE)
    title = LIST_TITLES[cmd.scope]
    if total == 0:
        return Reply(body=(f"{title}: none. Try ", Command("actions all"), " to see the whole plan."))
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    page = cmd.page
    if page > pages:
        there = "is 1 page" if pages == 1 else f"are {pages} pages"
        raise UserFacingError(
            (f"There {there} of {title.lower()}; try ", Command(f"actions {cmd.scope} page {pages}"), ".")
        )
    rag = (await deps.programmes.get(pid)).governance.rag_definitions
    lines = [views.action_line(a, today, rag) for a in shown]
    more = (" Next: ", Command(f"actions {cmd.scope} page {page + 1}")) if page < pages else ()
    footer = rich(f"Page {page} of {pages}.", more) if pages > 1 else ()
    header = f"{title} ({total})"
    blocks = [Block(kind="header", text=header), Block(kind="section", text="\n".join(lines))]
    if footer:
        blocks.append(Block(kind="context", text=footer))
    return Reply(text="\n".join([header, *lines, *([plain_text(footer)] if footer else [])]), blocks=tuple(blocks))


OPEN_STATUSES = tuple(s for s in Status if s not in FINISHED_STATUSES)


async def _list_filter(scope: str, actor: Participant, deps: Deps) -> ActionFilter:
    if scope == "mine":
        return ActionFilter(owner_emails=[actor.email], statuses=OPEN_STATUSES)
    if scope == "team":
        if actor.team is None:
            raise UserFacingError(
                ("You are not in a team in this programme; try ", Command("actions agency"), " instead.")
            )
        people = await deps.participants.in_programme(actor.programme_id, team=actor.team)
        return ActionFilter(owner_emails=[p.email for p in people])
    if scope == "agency":
        return ActionFilter(agency=actor.agency)
    if scope == "overdue":
        return ActionFilter(statuses=OPEN_STATUSES, due_before=deps.clock.now().date())
    if scope == "blocked":
        return ActionFilter(statuses=[Status.BLOCKED])
    return ActionFilter()


async def show_action(cmd: ShowAction, actor: Participant, deps: Deps) -> Reply:
    pid = actor.programme_id
    found = await find_action(deps, pid, cmd.code)
    action = found.action
    programme = await deps.programmes.get(pid)
    text, blocks = views.action_card(
        action,
        recommendation=found.recommendation,
        owner=found.owner,
        dependencies=found.dependencies,
        dependents=found.dependents,
        history=await deps.actions.history(pid, action.code),
        today=deps.clock.now().date(),
        zone=programme.timezone,
        rag=programme.governance.rag_definitions,
    )
    return Reply(text=text, blocks=blocks)


async def set_status(cmd: SetStatus, actor: Participant, deps: Deps) -> Reply:
    pid = actor.programme_id
    found = await find_action(deps, pid, cmd.code)
    action = found.action
    leads = (await deps.programmes.get(pid)).governance.partnership_leads
    permissions.check_update(actor, action, found.owner, cmd.status, leads)
    screened = await _screened(deps, pid, cmd.note, "note")
    cmd = cmd.model_copy(update={"note": screened.text})
    label = views.status_label(cmd.status.value)
    if cmd.status is action.status:  # nothing is written; a note given with it is not lost silently
        if not cmd.note:
            return Reply(text=f"{action.code} is already '{label}'; nothing has changed.")
        raise UserFacingError(
            (
                f"{action.code} is already '{label}', so nothing has changed; to add your note, write ",
                Command(f"actions {action.code} note {cmd.note}"),
            )
        )
    if action.status is Status.CLOSED and not cmd.note:
        raise UserFacingError(
            (
                f"Please give the reason for reopening {action.code}, e.g. ",
                Command(
                    f"actions {action.code} {cmd.status.value.replace('_', ' ')} New evidence shows the change "
                    "has not held."
                ),
            )
        )
    changes: dict[str, object] = {"status": cmd.status}
    if cmd.status is Status.CLOSED and not action.evidence_of_impact:
        raise UserFacingError(
            (
                f"{action.code} needs evidence of impact before it can be closed; add it with ",
                Command(f"actions {action.code} impact TEXT"),
                ", so nothing has changed.",
            )
        )
    if cmd.status is Status.COMPLETE and not action.evidence_of_completion and cmd.note:
        changes["evidence_of_completion"] = cmd.note
    warnings = _dependency_warnings(found, cmd.status)
    if cmd.status is Status.COMPLETE and "evidence_of_completion" not in changes and not action.evidence_of_completion:
        warnings.append(("Please add evidence of completion: ", Command(f"actions {action.code} evidence TEXT"), "."))
    await _apply(deps, actor, action, changes, UpdateKind.STATUS, action.status.value, cmd.status.value, cmd.note)
    text = rich(f"{action.code} is now '{label}'." + (f" Note saved: {cmd.note}" if cmd.note else ""))
    if cmd.status is Status.COMPLETE:
        impact = Command(f"actions {action.code} impact")
        text = rich(text, " When there is evidence that it made a difference, add it with ", impact, ".")
    return _with_warnings(text, [*([screened.notice] if screened.notice else []), *warnings])


async def add_text(cmd: AddText, actor: Participant, deps: Deps) -> Reply:
    pid = actor.programme_id
    found = await find_action(deps, pid, cmd.code)
    action = found.action
    leads = (await deps.programmes.get(pid)).governance.partnership_leads
    permissions.check_update(actor, action, found.owner, None, leads)
    kind = UpdateKind(cmd.field)
    screened = await _screened(deps, pid, cmd.text, cmd.field)
    cmd = cmd.model_copy(update={"text": screened.text})
    changes: dict[str, object] = {}
    if kind is UpdateKind.EVIDENCE:
        changes["evidence_of_completion"] = cmd.text
    elif kind is UpdateKind.IMPACT:
        changes["evidence_of_impact"] = cmd.text
    await _apply(deps, actor, action, changes, kind, "", "", cmd.text)
    saved = {"note": "Progress note", "evidence": "Evidence of completion", "impact": "Evidence of impact"}[cmd.field]
    text = rich(f"{saved} saved on {action.code}.")
    if kind is UpdateKind.IMPACT and action.status is Status.COMPLETE:
        text = rich(
            text, " A lead or facilitator can now close it with ", Command(f"actions {action.code} closed"), "."
        )
    return Reply(body=rich(text, f" {screened.notice}" if screened.notice else ""))


async def _screened(deps: Deps, programme_id: int, text: str, kind: str) -> Screened:
    """The shared free-text screen: a length limit, and identifiers replaced before anything is saved."""
    if not text:
        return Screened(text="", removed=())
    programme = await deps.programmes.get(programme_id)
    return screen_free_text(text, kind, programme.governance.never_store)


async def set_due(cmd: SetDue, actor: Participant, deps: Deps) -> Reply:
    action = await _replannable(deps, actor, cmd.code)
    if action.start and cmd.due < action.start:
        raise UserFacingError(f"{cmd.due.isoformat()} is before {action.code} starts ({action.start.isoformat()}).")
    old = action.due.isoformat() if action.due else ""
    await _apply(deps, actor, action, {"due": cmd.due}, UpdateKind.DUE, old, cmd.due.isoformat(), "")
    return Reply(text=f"{action.code} is now due on {views.day(cmd.due)}.")


async def set_owner(cmd: SetOwner, actor: Participant, deps: Deps) -> Reply:
    pid = actor.programme_id
    action = await _replannable(deps, actor, cmd.code)
    new_owner = await deps.participants.by_email(pid, cmd.email)
    if new_owner is None:
        raise NotFound(f"Nobody in this programme has the email {cmd.email}, so the owner has not changed.")
    changes: dict[str, object] = {
        "owner_email": new_owner.email,
        "owner_role": new_owner.job_title or action.owner_role,
    }
    await _apply(deps, actor, action, changes, UpdateKind.OWNER, action.owner_email, new_owner.email, "")
    return Reply(text=f"{action.code} is now owned by {new_owner.name} ({new_owner.email}).")


async def _replannable(deps: Deps, actor: Participant, code: str) -> Action:
    """The action, once the actor is found to be allowed to change its due date or owner."""
    found = await find_action(deps, actor.programme_id, code)
    leads = (await deps.programmes.get(actor.programme_id)).governance.partnership_leads
    permissions.check_replan(actor, found.action, found.owner, leads)
    return found.action


def _dependency_warnings(found: ActionInContext, status: Status) -> list[str | tuple[Inline, ...]]:
    action = found.action
    if status in (Status.NOT_STARTED, Status.BLOCKED, Status.SUPERSEDED) or not action.depends_on:
        return []
    unfinished = [d for d in found.dependencies if d.status not in FINISHED_STATUSES]
    return [
        f"Please note: {action.code} depends on {d.code}, which is not finished yet "
        f"({views.status_label(d.status.value)})."
        for d in unfinished
    ]


async def _apply(
    deps: Deps,
    actor: Participant,
    action: Action,
    changes: dict[str, object],
    kind: UpdateKind,
    old: str,
    new: str,
    note: str,
) -> None:
    now = deps.clock.now()
    update = ActionUpdate(
        action_code=action.code,
        at=now,
        actor_email=actor.email,
        actor_name=actor.name,
        kind=kind,
        old=old,
        new=new,
        note=note,
    )
    detail = f"{old} -> {new}" if old or new else ""
    event = AuditEvent(at=now, actor_email=actor.email, verb=f"action.{kind.value}", target=action.code, detail=detail)
    await deps.actions.change(action.model_copy(update={**changes, "last_update": now}), update, event)
    logger.info("action %s %s by participant %s", action.code, kind.value, actor.id)


def _with_warnings(text: tuple[Inline, ...], warnings: list[str | tuple[Inline, ...]]) -> Reply:
    if not warnings:
        return Reply(body=text)
    notes = join("\n", warnings)
    full = plain_text(rich(text, "\n", notes))
    return Reply(text=full, blocks=(Block(kind="section", text=text), Block(kind="context", text=notes)))
