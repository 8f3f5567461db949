"""What a schedule's occurrence sends: prompt rotations, check-in invitations and reminders, milestone prompts.

Pure: bot/firing.py loads the people, history and library, calls these, and writes the result to the outbox. Every
message's key names the schedule, the occurrence's local time and the person, so firing twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from handlers import checkins
from handlers.audiences import address_of
from handlers.cycles import current_cycle, cycle_closes
from handlers.delivery_ports import MessageKind, OutboxMessage, recipient_key
from handlers.grammar import Checkin
from handlers.library import Audience, Library, Prompt, Stage, audiences_for
from handlers.model import CheckinCycle, Participant, Programme
from handlers.ports import Deps
from handlers.prompting import prompt_reply
from handlers.reply import Block, Button, Command, Reply, plain_text
from handlers.schedules import ScheduleSpec, stage_for

logger = logging.getLogger(__name__)

CHECKIN_BUTTON = "checkin.open"  # value: the cycle code
CYCLE_NAMES = {"baseline": "baseline", "checkin_3m": "three-month", "checkin_6m": "six-month"}


@dataclass(frozen=True)
class Firing:
    """One occurrence of one schedule, in one time zone."""

    schedule_id: int
    spec: ScheduleSpec
    programme: Programme
    zone: str
    local: dt.datetime  # naive, in ``zone``
    instant: dt.datetime  # aware UTC

    def key(self, *parts: object) -> str:
        return recipient_key("schedule", self.schedule_id, self.local.strftime("%Y-%m-%dT%H:%M"), *parts)

    def message(
        self, person: Participant, kind: MessageKind, reply: Reply, *parts: object, prompt_id: str = ""
    ) -> OutboxMessage:
        platform, address = address_of(person)
        return OutboxMessage(
            key=self.key(f"p{person.id}", *parts),
            programme_id=self.programme.id,
            participant_id=person.id,
            platform=platform,
            address=address,
            kind=kind,
            reply=reply,
            not_before=self.instant,
            schedule_id=self.schedule_id,
            prompt_id=prompt_id,
        )


def next_prompt(
    person: Participant, library: Library, stage: Stage, seen: set[str], audience: Audience | None
) -> Prompt | None:
    """The first prompt of this stage for the person's audience that they have never been sent."""
    wanted = {audience} if audience is not None else audiences_for(person.roles) - {Audience.FORUM}
    return next((p for p in library.prompts_for(stage) if p.audience in wanted and p.id not in seen), None)


def prompt_messages(
    firing: Firing, people: Sequence[Participant], library: Library, seen: Mapping[int, set[str]]
) -> list[OutboxMessage]:
    stage = firing.spec.stage or stage_for(firing.programme, firing.local.date())
    messages = []
    exhausted = 0
    for person in people:
        prompt = next_prompt(person, library, stage, seen.get(person.id, set()), firing.spec.prompt_audience)
        if prompt is None:
            exhausted += 1
            continue
        reply = prompt_reply(prompt, firing.programme.review_title)
        messages.append(firing.message(person, MessageKind.PROMPT, reply, prompt_id=prompt.id))
    if exhausted:
        logger.info("schedule %s: %d people have had every %s prompt", firing.spec.key, exhausted, stage.value)
    return messages


def milestone_messages(
    firing: Firing, people: Sequence[Participant], library: Library, seen: Mapping[int, set[str]]
) -> list[OutboxMessage]:
    if not firing.spec.text:
        return prompt_messages(firing, people, library, seen)
    reply = Reply(
        text=firing.spec.text,
        blocks=(
            Block(kind="context", text=f"'{firing.programme.review_title}'"),
            Block(kind="section", text=firing.spec.text),
        ),
        ephemeral=False,
    )
    return [firing.message(person, MessageKind.NOTICE, reply) for person in people]


TO_ANSWER = (" Type ", Command("checkin"), " to answer.")  # in the plain fallback of an invitation


def checkin_invitation(programme: Programme, cycle: CheckinCycle) -> Reply:
    name = CYCLE_NAMES.get(cycle.kind, cycle.kind.replace("_", " "))
    minutes = max(1, round(len(cycle.items) * 0.4))
    text = (
        f"The {name} check-in for '{programme.review_title}' is open: {len(cycle.items)} short questions, about "
        f"{minutes} minute{'s' if minutes != 1 else ''}. Nobody can see who answered or what; only totals for "
        f"groups of {programme.governance.k} or more are ever shown."
    )
    blocks = (
        Block(kind="section", text=text),
        Block(
            kind="actions",
            buttons=(Button(action_id=CHECKIN_BUTTON, label="Check in", value=cycle.code, style="primary"),),
        ),
        Block(kind="context", text=("Or type ", Command("checkin"), " whenever suits you this cycle.")),
    )
    return Reply(text=text + plain_text(TO_ANSWER), blocks=blocks, ephemeral=False)


async def open_checkin(_value: str, actor: Participant, deps: Deps) -> Reply:
    """The Check in button on an invitation: the same as typing /checkin."""
    return await checkins.open_checkin(Checkin(), actor, deps)


def checkin_messages(firing: Firing, people: Sequence[Participant]) -> list[OutboxMessage]:
    cycle = next((c for c in firing.programme.checkins if c.code == firing.spec.cycle), None)
    if cycle is None:
        logger.warning("schedule %s names check-in cycle %s, which the programme lacks", firing.spec.key,
                       firing.spec.cycle)  # fmt: skip
        return []
    if firing.spec.reminder:
        closes = cycle_closes(firing.programme, cycle.code)
        if closes is None or current_cycle(firing.programme, firing.local.date()) != cycle:
            return []  # the cycle is not open any more (or not yet): nothing to remind anyone of
        # A row for everyone invited, the same for all: whether it is sent is decided only when it goes out
        # (bot/reminders.py), so the outbox never lists who has not answered (docs/anonymity.md).
        reply = checkin_reminder(firing.programme, cycle, closes)
        return [firing.message(person, MessageKind.CHECKIN_REMINDER, reply) for person in people]
    reply = checkin_invitation(firing.programme, cycle)
    return [firing.message(person, MessageKind.CHECKIN, reply) for person in people]


def checkin_reminder(programme: Programme, cycle: CheckinCycle, closes: dt.date) -> Reply:
    """The one reminder, the same words for everyone it reaches (those who had not answered when it went out)."""
    name = CYCLE_NAMES.get(cycle.kind, cycle.kind.replace("_", " "))
    text = (
        f"A reminder: the {name} check-in for '{programme.review_title}' closes on {closes.day} {closes:%B}. "
        "If you haven't answered yet and would like to, it takes a couple of minutes; if you have just answered, "
        "thank you, there is nothing more to do."
    )
    blocks = (
        Block(kind="section", text=text),
        Block(
            kind="actions",
            buttons=(Button(action_id=CHECKIN_BUTTON, label="Check in", value=cycle.code, style="primary"),),
        ),
    )
    return Reply(text=text + plain_text(TO_ANSWER), blocks=blocks, ephemeral=False)


def in_zone(people: Sequence[Participant], zone: str) -> list[Participant]:
    return [person for person in people if person.timezone == zone]
