"""Who may do what (CONTRACT §5; the table in docs/commands.md). Every check that changes data happens here.

Roles are as the programme defines them:

- the owner's line manager is the manager named for the owner in the programme file (whatever their role label), or
  a participant with the manager role in the owner's team;
- a lead's powers cover actions of their own agency, or every action when the programme file names them as a
  partnership lead (``partnership.partnership_leads``);
- a facilitator may do anything to any action.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from handlers.errors import Forbidden
from handlers.model import Action, Participant, Role, Status
from handlers.reply import Command


class Change(StrEnum):
    UPDATE = "update"  # a status other than closed, a note, evidence of completion or of impact
    REPLAN = "replan"  # a new due date or owner
    CLOSE = "close"
    REOPEN = "reopen"  # any status change away from closed


def is_manager_of(actor: Participant, owner: Participant | None) -> bool:
    """The owner's line manager: named as their manager (any role), or a manager in the owner's team."""
    if owner is None:
        return False
    if owner.manager_email is not None and owner.manager_email.lower() == actor.email.lower():
        return True
    return actor.has(Role.MANAGER) and owner.team is not None and owner.team == actor.team


def leads_for(actor: Participant, action: Action, partnership_leads: Collection[str] = ()) -> bool:
    """A lead of the action's agency, or a partnership lead (whose powers cover the whole programme)."""
    if not actor.has(Role.LEAD):
        return False
    return actor.agency == action.agency or actor.email.lower() in {e.lower() for e in partnership_leads}


def may(
    change: Change,
    actor: Participant,
    action: Action,
    owner: Participant | None,
    partnership_leads: Collection[str] = (),
) -> bool:
    if actor.has(Role.FACILITATOR) or leads_for(actor, action, partnership_leads):
        return True
    if change in (Change.CLOSE, Change.REOPEN):
        return False
    if is_manager_of(actor, owner):
        return True
    return change is Change.UPDATE and action.owner_email.lower() == actor.email.lower()


def change_of(action: Action, status: Status | None) -> Change:
    if status is Status.CLOSED and action.status is not Status.CLOSED:
        return Change.CLOSE
    if status is not None and status is not Status.CLOSED and action.status is Status.CLOSED:
        return Change.REOPEN
    return Change.UPDATE


def check_update(
    actor: Participant,
    action: Action,
    owner: Participant | None,
    status: Status | None = None,
    partnership_leads: Collection[str] = (),
) -> None:
    change = change_of(action, status)
    if may(change, actor, action, owner, partnership_leads):
        return
    code = action.code
    if change is Change.CLOSE:
        raise Forbidden(
            f"Only a lead for {action.agency} or a facilitator can close {code}, so nothing has changed; "
            "the owner can mark it complete and add evidence of impact for them to review."
        )
    if change is Change.REOPEN:
        raise Forbidden(f"Only a lead for {action.agency} or a facilitator can reopen {code}, so nothing has changed.")
    raise Forbidden(
        (
            f"Only {code}'s owner, their line manager, a lead for {action.agency} or a facilitator can update it, "
            "so nothing has changed. You can still see it with ",
            Command(f"actions {code}"),
            ".",
        )
    )


def check_replan(
    actor: Participant, action: Action, owner: Participant | None, partnership_leads: Collection[str] = ()
) -> None:
    """Due dates and owners: the owner's line manager, a lead for the action's agency, or a facilitator."""
    if may(Change.REPLAN, actor, action, owner, partnership_leads):
        return
    raise Forbidden(
        f"Only the owner's line manager, a lead for {action.agency} or a facilitator can change {action.code}'s "
        "due date or owner, so nothing has changed."
    )


def check_facilitator(actor: Participant, what: str) -> None:
    if not actor.has(Role.FACILITATOR):
        raise Forbidden(f"Only facilitators can {what}.")


def check_lead_or_facilitator(actor: Participant, what: str) -> None:
    if not actor.has(Role.LEAD, Role.FACILITATOR):
        raise Forbidden(f"Only leads and facilitators can {what}.")
