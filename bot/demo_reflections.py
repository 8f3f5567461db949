"""Demo scenes for reflections and check-ins: governance first, the screen, the receipt, and many quiet voices."""

from __future__ import annotations

import datetime as dt
import random

from bot.console import render_form, render_text
from bot.demo import LONDON, Demo
from bot.demo_delivery import Post
from bot.demo_voices import DISTRESS, IDENTIFYING, LIVE_RISK, VOICES
from handlers.model import Participant, Role
from handlers.reflection_forms import ASK_FORM, AT_RISK_FIELD
from handlers.reply import Reply


def show(demo: Demo, reply: Reply) -> None:
    demo.log.bot(render_form(reply.form) if reply.form is not None else render_text(reply))


async def open_form(demo: Demo, who: Participant, line: str, quiet: bool = False) -> Reply:
    """Run a command that opens a form, acknowledging the statement first if it is the person's first time."""
    reply = await demo.runtime.say(who.email, line)
    if reply.form is not None and reply.form.form_id == "privacy.ack":
        if not quiet and not demo.log.counts.get("statements shown"):
            show(demo, reply)
            demo.log.count("statements shown")
        if not quiet:
            demo.log.say(f"   {who.name} reads the statement and ticks 'I have read and understood this'.")
        reply = await demo.runtime.submit_form(who.email, reply.form, {"read": "yes"})
    return reply


async def reflect(
    demo: Demo, who: Participant, text: str, tags: str = "", prompt: str = "", quiet: bool = False
) -> Reply:
    opened = await open_form(demo, who, "/reflect", quiet)
    if opened.form is None:
        return opened
    form = opened.form
    if prompt:  # answering a prompt: the server (the demo runs in it) re-seals the state with the prompt's id
        seal = demo.runtime.forms
        inner = seal.open(who.id, form.form_id, form.state) or "{}"
        inner = inner.replace('"prompt": ""', f'"prompt": "{prompt}"')
        form = form.model_copy(update={"state": seal.seal(who.id, form.form_id, inner)})
    if not quiet:
        demo.log.say(f'   {who.name} writes: "{text}"')
    reply = await demo.runtime.submit_form(who.email, form, {"text": text, "tags": tags, AT_RISK_FIELD: "no"})
    demo.log.count("reflections submitted")
    if reply.form is not None and reply.form.form_id == ASK_FORM:
        # The gate asks "Is a child at risk now?"; the demo's authors are writing about systems and the past.
        if not quiet:
            show(demo, reply)
            demo.log.say(f"   {who.name} answers 'No: it is about the past, or the child is already safe'.")
        reply = await demo.runtime.submit_form(who.email, reply.form, {"child_at_risk_now": "no"})
        demo.log.count("reflections asked 'Is a child at risk now?'")
    return reply


def practitioners(demo: Demo) -> list[Participant]:
    return [p for p in demo.people if Role.PRACTITIONER in p.roles]


async def first_reflections(demo: Demo) -> None:
    day = dt.date(2026, 1, 22)
    demo.at(day, 11)
    demo.log.scene(
        day,
        "The first reflections",
        "Reflections arrive through a form, never a chat message. Before "
        "anything is stored, a screen looks for identifying details, for a child who may be at risk now, "
        "and for someone who is struggling.",
    )
    people = practitioners(demo)
    first, second, third = people[3], people[10], people[17]
    demo.log.say(
        f"   {first.name} presses 'Reflect' on a prompt. It is their first time, so the statement comes first:"
    )
    reply = await reflect(demo, first, IDENTIFYING, "information_sharing,education_attendance", prompt="PR-02")
    show(demo, reply)
    if reply.form is not None:
        demo.log.say(f"   {first.name} accepts the version with the details removed:")
        redacted = reply.form.fields[0].initial
        reply = await demo.runtime.submit_form(
            first.email, reply.form, {"text": redacted, "tags": "information_sharing", AT_RISK_FIELD: "no"}
        )
        show(demo, reply)
    demo.log.say()
    demo.log.say(f"   {second.name} writes about something happening now:")
    reply = await reflect(demo, second, LIVE_RISK, quiet=False)
    show(demo, reply)
    if reply.form is not None:
        demo.log.say(f"   {second.name} chooses 'I need help to raise it':")
        show(demo, await demo.runtime.submit_form(second.email, reply.form, {"choice": "need_help"}))
    demo.log.say(
        "   The notice to the programme's safeguarding contact goes through the outbox at once, whatever the hour: "
        "who raised a possible concern, and when. Not the words, which were never stored."
    )
    await Post(demo).deliver("safeguarding notice delivered", full=1, lines=0)
    demo.log.count("safeguarding contacts notified")
    demo.log.say()
    demo.log.say(f"   {third.name} writes:")
    reply = await reflect(demo, third, DISTRESS)
    show(demo, reply)
    if reply.form is not None:
        show(demo, await demo.runtime.submit_form(third.email, reply.form, {"themes": "no"}))
    await many_voices(demo, day)


async def many_voices(demo: Demo, day: dt.date, number: int = 60) -> None:
    """Quietly, many more people reflect: the material for a themes note that identifies nobody."""
    rng = random.Random(day.toordinal())
    people = practitioners(demo)
    rng.shuffle(people)
    for n, person in enumerate(people[:number]):
        text, tags = VOICES[n % len(VOICES)]
        await reflect(demo, person, text, tags, quiet=True)
    agencies = len({p.agency for p in people[:number]})
    demo.log.say()
    demo.log.say(
        f"   Over the following fortnight {number} more people from {agencies} agencies reflect. Nothing "
        "records who wrote what, or who took part: only the cycle, a broad group and the words."
    )


async def checkin_cycle(demo: Demo, code: str, uplift: float) -> None:
    cycle = next(c for c in demo.programme.checkins if c.code == code)
    demo.at(cycle.date, 10, 30)
    demo.log.scene(
        cycle.date,
        f"Check-in {code}",
        f"A light-touch check-in of {len(cycle.items)} statements, "
        "answered on a 1–5 scale or 'prefer not to say'. Scores are kept without names and only shown "
        f"for groups of {demo.programme.governance.k} or more.",
    )
    post = Post(demo)  # the invitations go through the outbox, so the delivery report counts them
    await post.fire(f"checkin.{code}")
    await post.deliver("check-in invitations delivered", full=1 if code == "CI-0" else 0, lines=0)
    await post.deliver_waiting(until=dt.datetime.combine(cycle.date, dt.time(18), LONDON))
    rng = random.Random(code)
    people = [p for p in demo.people if p.roles & {Role.PRACTITIONER, Role.MANAGER}]
    rng.shuffle(people)
    answered = 0
    for n, person in enumerate(people[:90]):
        opened = await open_form(demo, person, "/checkin", quiet=True)
        if opened.form is None:
            continue
        if n == 0:
            demo.log.say(f"   {person.name} types /checkin:")
            show(demo, opened)
        values = {}
        for field in opened.form.fields:
            skip = rng.random() < 0.05
            score = min(5, max(1, round(rng.gauss(2.8 + uplift, 0.9))))
            values[field.key] = "skip" if skip else str(score)
        reply = await demo.runtime.submit_form(person.email, opened.form, values)
        if n == 0:
            show(demo, reply)
        answered += 1
    demo.log.count("check-ins answered", answered)
    demo.log.say(f"   {answered} people answered check-in {code}.")
