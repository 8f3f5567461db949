"""The demo's scenes, in date order. Each scene moves the clock and acts through the same handlers as chat."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from bot.console import render_text
from bot.demo import Demo
from bot.demo_delivery import broadcast_and_acknowledgements, easter_monday, peer_learning, prompts_through_the_outbox
from bot.demo_reflections import checkin_cycle, first_reflections, many_voices
from handlers.library import Audience, Stage, audiences_for
from handlers.model import Participant, Role
from handlers.prompting import prompt_reply

Scene = Callable[[Demo], Awaitable[None]]


async def owner(demo: Demo, code: str) -> str:
    async with demo.runtime.unit() as deps:
        action = await deps.actions.get(demo.programme.id, code)
    if action is None:
        raise LookupError(f"The example programme has no action {code}.")
    return action.owner_email


def people_with(
    demo: Demo, role: Role, *, agency: str | None = None, skip: set[str] | None = None
) -> list[Participant]:
    return [
        p
        for p in demo.people
        if role in p.roles and (agency is None or p.agency == agency) and p.email not in (skip or set())
    ]


def channel_of(person: Participant) -> str:
    slack, teams = person.on("slack"), person.on("teams")
    if slack and teams:
        return "Slack DM (also on Teams)"
    if slack:
        return "Slack DM"
    if teams:
        return "Teams chat"
    return "console"


def deliver_prompts(demo: Demo, stage: Stage, per_audience: int = 2) -> None:
    """Show a sample of a stage's prompts as people receive them (the schedules send them through the outbox)."""
    for audience in (Audience.PRACTITIONER, Audience.MANAGER, Audience.LEAD):
        prompts = demo.library.prompts_for(stage, audience)
        recipients = [p for p in demo.people if audience in audiences_for(p.roles)]
        if not prompts or not recipients:
            continue
        step = max(1, len(recipients) // per_audience)
        demo.log.say(f"   A sample of this stage's {audience.value} prompts, as they arrive:")
        for n, person in enumerate(recipients[::step][:per_audience]):
            prompt = prompts[n % len(prompts)]
            demo.log.say(
                f"   📨 {prompt.id} to {person.name} ({audience.value}, {person.agency}), 10:00 {person.timezone}, "
                f"by {channel_of(person)}"
            )
            demo.log.bot(render_text(prompt_reply(prompt, demo.programme.review_title)))
            demo.log.count("prompt samples shown")
        demo.log.say()


def milestone(demo: Demo, key: str) -> dt.date:
    return next(m.date for m in demo.programme.milestones if m.key == key)


async def publication(demo: Demo) -> None:
    day = milestone(demo, "published")
    demo.at(day)
    demo.log.scene(
        day,
        "The review is published",
        "Governance comes first: before any reflection, everyone can "
        "read the confidentiality statement, what is and is not stored, and where to raise a concern.",
    )
    practitioner = people_with(demo, Role.PRACTITIONER)[3]
    await demo.say(practitioner.email, "/aftercare privacy")


async def plan_approved(demo: Demo) -> None:
    day = milestone(demo, "action_plan_approved")
    demo.at(day, 11)
    demo.log.scene(
        day,
        "The action plan is approved",
        "The facilitator checks what the bot knows about them and "
        "looks at the whole plan; owners can see their own actions at any time.",
    )
    facilitator = people_with(demo, Role.FACILITATOR)[0]
    await demo.say(facilitator.email, "/aftercare whoami")
    await demo.say(facilitator.email, "/actions all")
    await demo.say(await owner(demo, "A07"), "/actions")


async def early_updates(demo: Demo) -> None:
    day = dt.date(2026, 3, 18)
    demo.at(day, 14, 5)
    demo.log.scene(
        day,
        "Owners update their actions",
        "Updates are one line in chat. Only an action's owner, their line "
        "manager, a lead of its agency or a facilitator can change it; anyone else gets a kind refusal and nothing "
        "changes.",
    )
    a07 = await owner(demo, "A07")
    await demo.say(a07, "/actions A07 note Weekly huddles started with the young people's panel")
    someone_else = people_with(demo, Role.PRACTITIONER, agency=demo.person(a07).agency, skip={a07})[0]
    await demo.say(someone_else.email, "/actions A07 done")
    await demo.say(someone_else.email, "/actions A70")
    await demo.say(someone_else.email, "/actions A07")


async def embedding(demo: Demo) -> None:
    day = dt.date(2026, 4, 14)
    demo.at(day, 10)
    demo.log.scene(
        day,
        "Embedding the learning",
        "Through the spring, prompts move from the review itself to "
        "everyday practice: curiosity, information sharing, thinking about the whole family.",
    )
    deliver_prompts(demo, Stage.EMBEDDING, per_audience=1)


async def three_months(demo: Demo) -> None:
    day = milestone(demo, "checkin_3m")
    demo.at(day, 10, 15)
    demo.log.scene(
        day,
        "Three-month check-in",
        "Completion and impact are kept apart: 'done' asks for evidence of "
        "completion, and closing needs evidence that it made a difference. Dependencies are flagged.",
    )
    a01 = await owner(demo, "A01")
    await demo.say(a01, "/actions A01 evidence Protocol signed by police, education welfare and the Learning Trust")
    a14 = await owner(demo, "A14")
    await demo.say(a14, "/actions A14 blocked Waiting for the extra-familial harm pathway (A13)")
    a02 = await owner(demo, "A02")
    await demo.say(a02, "/actions A02 done Cross-check live in Front Door triage")
    managers = [m for m in people_with(demo, Role.FACILITATOR)]
    await demo.say(managers[0].email, "/actions A14 due 2026-10-30")
    await demo.say(managers[0].email, "/actions blocked")
    deliver_prompts(demo, Stage.CHECKIN_3M, per_audience=1)


async def six_months(demo: Demo) -> None:
    day = milestone(demo, "checkin_6m")
    demo.at(day, 15, 40)
    demo.log.scene(
        day,
        "Six-month check-in",
        "Impact evidence arrives for A01, and a lead safeguarding partner "
        "closes it. Overdue actions are visible to everyone, without blame.",
    )
    a01 = await owner(demo, "A01")
    await demo.say(a01, "/actions A01 closed")
    await demo.say(a01, "/actions A01 impact Sample of 10 cases: joint response within 2 working days in 9")
    lead = people_with(demo, Role.LEAD)[0]
    await demo.say(lead.email, "/actions A01 closed Impact accepted by the Learning and Improvement Group")
    await demo.say(lead.email, "/actions overdue")
    deliver_prompts(demo, Stage.CHECKIN_6M, per_audience=1)
    await demo.say(a01, "/actions A01")


async def baseline_checkin(demo: Demo) -> None:
    await checkin_cycle(demo, "CI-0", uplift=0.0)


async def three_month_checkin(demo: Demo) -> None:
    await checkin_cycle(demo, "CI-3", uplift=0.4)
    await many_voices(demo, milestone(demo, "checkin_3m"), number=45)


async def six_month_checkin(demo: Demo) -> None:
    await checkin_cycle(demo, "CI-6", uplift=0.8)
    await many_voices(demo, milestone(demo, "checkin_6m"), number=45)


SCENES: list[Scene] = [
    publication,
    first_reflections,
    prompts_through_the_outbox,
    plan_approved,
    baseline_checkin,
    early_updates,
    easter_monday,
    embedding,
    broadcast_and_acknowledgements,
    peer_learning,
    three_months,
    three_month_checkin,
    six_months,
    six_month_checkin,
]
