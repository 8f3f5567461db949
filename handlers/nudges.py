"""Action check-ins, drift nudges and overdue digests: keeping the action plan alive without blame.

- Action check-in: every ``every_weeks`` weeks per action, its owner gets "How is A07 going?" with status buttons.
  Actions are spread across the weeks by their id, so an owner of several does not get them all at once.
- Drift: an open action with no update for ``days`` (the programme's ``drift_days`` by default) gets one nudge to its
  owner; if it is still quiet a week later it goes into a digest for the facilitators.
- Overdue: a digest of open actions past their due date, for the schedule's audience (facilitators by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from handlers.action_views import action_line, day, status_buttons, status_label
from handlers.delivery_ports import MessageKind, OutboxMessage
from handlers.model import FINISHED_STATUSES, Action, Participant
from handlers.reply import Block, Command, Reply, Strong, plain_text
from handlers.schedule_messages import Firing

EPOCH_MONDAY = dt.date(2001, 1, 1)
NUDGE_GRACE = dt.timedelta(days=7)


def is_open(action: Action) -> bool:
    return action.status not in FINISHED_STATUSES


def checkin_due(action: Action, on: dt.date, every_weeks: int) -> bool:
    week = (on - EPOCH_MONDAY).days // 7
    return week % every_weeks == action.id % every_weeks


def action_checkin(action: Action) -> Reply:
    question = f"How is {action.code} going?"
    detail = f"'{action.title}', due {day(action.due)}, now {status_label(action.status.value)}."
    hint = ("Press a status, or add a line: ", Command(f"actions {action.code} note ..."))
    blocks = (
        Block(kind="section", text=(Strong(question), f"\n{detail}")),
        status_buttons(action.code),
        Block(kind="context", text=hint),
    )
    return Reply(text=f"{question} {detail} {plain_text(hint)}", blocks=blocks, ephemeral=False)


def action_checkin_messages(
    firing: Firing, actions: Sequence[Action], owners: Mapping[str, Participant]
) -> list[OutboxMessage]:
    messages = []
    for action in actions:
        owner = owners.get(action.owner_email.lower())
        if (
            owner is None
            or not is_open(action)
            or not checkin_due(action, firing.local.date(), firing.spec.every_weeks)
        ):
            continue
        messages.append(firing.message(owner, MessageKind.ACTION_CHECKIN, action_checkin(action), action.code))
    return messages


def quiet_days(action: Action, today: dt.date) -> int | None:
    """Days since the action's last update (or its start, when it has never been updated); None if neither."""
    since = action.last_update.date() if action.last_update else action.start
    return (today - since).days if since is not None else None


def drift_messages(
    firing: Firing,
    actions: Sequence[Action],
    owners: Mapping[str, Participant],
    facilitators: Sequence[Participant],
) -> list[OutboxMessage]:
    limit = firing.spec.days or firing.programme.governance.drift_days
    today = firing.local.date()
    nudges, digest = [], []
    for action in actions:
        quiet = quiet_days(action, today)
        if not is_open(action) or quiet is None or quiet < limit:
            continue
        owner = owners.get(action.owner_email.lower())
        if quiet < limit + NUDGE_GRACE.days:
            if owner is not None:
                nudges.append(firing.message(owner, MessageKind.NUDGE, drift_nudge(action, quiet), action.code))
        else:
            digest.append((action, quiet))
    if not digest:
        return nudges
    reply = drift_digest(digest, today)
    return nudges + [firing.message(person, MessageKind.DIGEST, reply) for person in facilitators]


def drift_nudge(action: Action, quiet: int) -> Reply:
    said = (
        f"{action.code} ('{action.title}') has had no update for {quiet} days. A line is enough to show where it "
        "stands: ",
        Command(f"actions {action.code} note ..."),
        ", or press a status.",
    )
    blocks = (Block(kind="section", text=said), status_buttons(action.code))
    return Reply(text=plain_text(said), blocks=blocks, ephemeral=False)


def drift_digest(quiet: list[tuple[Action, int]], today: dt.date) -> Reply:
    lines = [f"{action_line(a, today)} · no update for {days} days" for a, days in quiet]
    header = f"Actions with no update after a reminder ({len(quiet)})"
    text = "\n".join([header, *lines, "Their owners were reminded a week ago; a word from you may help."])
    blocks = (Block(kind="header", text=header), Block(kind="section", text="\n".join(lines)))
    return Reply(text=text, blocks=blocks, ephemeral=False)


def overdue_messages(
    firing: Firing, actions: Sequence[Action], recipients: Sequence[Participant]
) -> list[OutboxMessage]:
    today = firing.local.date()
    overdue = [a for a in actions if a.is_overdue(today)]
    if not overdue or not recipients:
        return []
    lines = [action_line(a, today) for a in sorted(overdue, key=lambda a: (a.due or today, a.code))]
    header = f"Overdue actions ({len(overdue)})"
    see = ("See one with ", Command("actions CODE"), "; the whole list with ", Command("actions overdue"), ".")
    text = "\n".join([header, *lines, plain_text(see)])
    reply = Reply(text=text, blocks=(Block(kind="header", text=header), Block(kind="section", text="\n".join(lines))),
                  ephemeral=False)  # fmt: skip
    return [firing.message(person, MessageKind.DIGEST, reply) for person in recipients]
