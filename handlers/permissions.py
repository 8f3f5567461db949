"""Who may do what (CONTRACT §5). Every check that changes data happens here, before anything is written."""

from __future__ import annotations

from handlers.errors import Forbidden
from handlers.model import Action, Participant, Role, Status


def is_manager_of(actor: Participant, owner: Participant | None) -> bool:
    """The owner's line manager: named as their manager, or a manager in the owner's team."""
    if owner is None or not actor.has(Role.MANAGER):
        return False
    if owner.manager_email is not None and owner.manager_email.lower() == actor.email.lower():
        return True
    return owner.team is not None and owner.team == actor.team


def can_update(actor: Participant, action: Action, owner: Participant | None) -> bool:
    """Status changes, notes and evidence: the owner, their manager, or a facilitator."""
    if actor.has(Role.FACILITATOR):
        return True
    return action.owner_email.lower() == actor.email.lower() or is_manager_of(actor, owner)


def check_update(actor: Participant, action: Action, owner: Participant | None, status: Status | None = None) -> None:
    if status is Status.CLOSED:
        if not actor.has(Role.LEAD, Role.FACILITATOR):
            raise Forbidden(
                f"Only a lead or a facilitator can close {action.code}; the owner can mark it complete "
                "and add evidence of impact for them to review."
            )
        return
    if not can_update(actor, action, owner):
        raise Forbidden(
            f"Only {action.code}'s owner, their manager or a facilitator can update it, so nothing has changed. "
            f"You can still see it with /actions {action.code}."
        )


def check_replan(actor: Participant, action: Action, owner: Participant | None) -> None:
    """Due dates and owners: the owner's manager or a facilitator."""
    if actor.has(Role.FACILITATOR) or is_manager_of(actor, owner):
        return
    raise Forbidden(
        f"Only the owner's manager or a facilitator can change {action.code}'s due date or owner, "
        "so nothing has changed."
    )


def check_facilitator(actor: Participant, what: str) -> None:
    if not actor.has(Role.FACILITATOR):
        raise Forbidden(f"Only facilitators can {what}.")


def check_lead_or_facilitator(actor: Participant, what: str) -> None:
    if not actor.has(Role.LEAD, Role.FACILITATOR):
        raise Forbidden(f"Only leads and facilitators can {what}.")
