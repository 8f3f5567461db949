"""/aftercare help, privacy, whoami, away, back and peers."""

from __future__ import annotations

from handlers.grammar import Away, Peers
from handlers.model import AuditEvent, Participant, Programme, Role
from handlers.ports import Deps
from handlers.reply import Block, Command, Inline, Reply, Strong, join, plain_text, refusal, rich

Commands = tuple[tuple[tuple[Inline, ...], str], ...]  # (the command or commands, what they do)

EVERYONE: Commands = (
    ((Command("aftercare help"),), "what the bot does and the commands open to you"),
    ((Command("aftercare privacy"),), "the confidentiality statement, what is stored and where to raise a concern"),
    ((Command("aftercare whoami"),), "your programme, agency, team and roles"),
    ((Command("aftercare away until YYYY-MM-DD"), " · ", Command("aftercare back")), "pause prompts during leave"),
    ((Command("actions"),), "your open actions; also mine, team, agency, all, overdue, blocked"),
    ((Command("actions CODE"),), "one action: owner, due date, status, dependencies, history, evidence"),
)
PARTICIPANTS: Commands = (
    ((Command("reflect [text]"),), "a short reflection that nobody can trace back to you"),
    ((Command("checkin"),), "this cycle's light-touch check-in"),
    ((Command("aftercare peers on|off"),), "join or leave cross-agency peer-learning pairs"),
)
OWNERS: Commands = (((Command("actions CODE STATUS [note]"),), "update an action you own or manage"),)
OWNER_TEXT: Commands = (
    ((Command("actions CODE note|evidence|impact TEXT"),), "add a progress note, evidence of completion or of impact"),
)
MANAGERS: Commands = (
    (
        (Command("actions CODE due YYYY-MM-DD"), " · ", Command("actions CODE owner EMAIL")),
        "re-plan an action in your team",
    ),
)
LEADS: Commands = (
    (
        (Command("aftercare report KIND"),),
        "post a report here: assurance, themes, indicators, priorities, delivery, brief",
    ),
    ((Command("aftercare plan"),), "the current action plan as a spreadsheet (.xlsx), to edit and send back"),
)
FACILITATORS: Commands = (
    (
        (Command('broadcast AUDIENCE PROMPT-ID|"text" [at tomorrow 10:00]'),),
        "preview, then send or schedule, a prompt to a group",
    ),
    (
        (Command("broadcast confirm|edit|move|cancel ID"),),
        "send a preview; change, reschedule or cancel until it starts",
    ),
    ((Command("broadcast list|status ID"),), "broadcasts and their delivery report"),
    ((Command("aftercare schedule [pause|resume|move KEY …]"),), "list, pause, resume or move schedules and check-ins"),
)

STORED = (
    "What is stored: your name, email, agency, team, roles and working hours (to send prompts at sensible times); "
    "action updates with who made them and when. Reflections and check-in answers are stored without any link to "
    "you: no name, no account, no exact time, and they are only ever shown as themes or totals for groups of "
    "{k} or more people, never quoted."
)
NOT_STORED = "What is not stored: who wrote a reflection, who answered a check-in, or who took part."


def commands_for(actor: Participant) -> list[tuple[tuple[Inline, ...], str]]:
    found = list(EVERYONE)
    if actor.has(Role.PRACTITIONER, Role.MANAGER, Role.LEAD):
        found += PARTICIPANTS
    found += OWNERS + OWNER_TEXT
    if actor.has(Role.MANAGER, Role.FACILITATOR):
        found += MANAGERS
    if actor.has(Role.LEAD, Role.FACILITATOR):
        found += LEADS
    if actor.has(Role.FACILITATOR):
        found += FACILITATORS
    return found


async def show_help(actor: Participant, deps: Deps) -> Reply:
    programme = await deps.programmes.get(actor.programme_id)
    intro = (
        f"Aftercare helps {programme.partnership} carry the learning of '{programme.review_title}' into everyday "
        "practice: short reflection prompts, light-touch check-ins, and the review's action plan."
    )
    commands = commands_for(actor)
    lines = join("\n", (rich(name, f": {what}") for name, what in commands))
    privacy = programme.governance.confidentiality_statement
    text = "\n".join([intro, "", "Commands open to you:", plain_text(lines), "", "Privacy: " + privacy])
    blocks = (
        Block(kind="section", text=intro),
        Block(kind="section", text=rich(Strong("Commands open to you"), "\n", lines)),
        Block(kind="context", text=rich("Privacy: ", privacy, " More: ", Command("aftercare privacy"))),
    )
    return Reply(text=text, blocks=blocks)


def privacy_text(programme: Programme) -> tuple[str, list[str]]:
    governance = programme.governance
    routes = [f"{route.label}: {route.route}" for route in governance.escalation_routes]
    return governance.confidentiality_statement, [STORED.format(k=governance.k), NOT_STORED, *routes]


async def show_privacy(actor: Participant, deps: Deps) -> Reply:
    programme = await deps.programmes.get(actor.programme_id)
    statement, details = privacy_text(programme)
    accept = rich(
        "To confirm you have read this, write ",
        Command("aftercare privacy accept"),
        " (or use the button on your first ",
        Command("reflect"),
        ").",
    )
    routes_title = "If a child may be at risk now, do not use a reflection: follow your agency's procedure today."
    text = "\n".join([statement, "", *details[:2], "", routes_title, *details[2:], "", plain_text(accept)])
    blocks = (
        Block(kind="header", text="Confidentiality and safeguarding"),
        Block(kind="section", text=statement),
        Block(kind="section", text="\n".join(details[:2])),
        Block(kind="section", text=routes_title + "\n" + "\n".join(details[2:])),
        Block(kind="context", text=accept),
    )
    return Reply(text=text, blocks=blocks)


async def whoami(actor: Participant, deps: Deps) -> Reply:
    programme = await deps.programmes.get(actor.programme_id)
    agency = await deps.programmes.agency(actor.programme_id, actor.agency)
    team = await deps.programmes.team(actor.programme_id, actor.team) if actor.team else None
    pattern = actor.working_pattern
    days = " ".join(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d] for d in pattern.days)
    fields = (
        ("Name", actor.name),
        ("Programme", f"{programme.review_title} ({programme.code})"),
        ("Agency", agency.name if agency else actor.agency),
        ("Team", (team.name if team else actor.team) if actor.team else "none"),
        ("Roles", ", ".join(sorted(role.value for role in actor.roles))),
        ("Prompts arrive", f"{days} {pattern.start:%H:%M}–{pattern.end:%H:%M} ({actor.timezone})"),
        ("Away", f"until {actor.away_until:%d %b %Y}" if actor.away_until else "no"),
        ("Peer learning", "on" if actor.peers_opt_in else "off"),
    )
    text = "\n".join(f"{k}: {v}" for k, v in fields)
    return Reply(text=text, blocks=(Block(kind="fields", fields=fields),))


async def away(cmd: Away, actor: Participant, deps: Deps) -> Reply:
    if cmd.until < deps.clock.now().date():
        return refusal(f"{cmd.until:%d %b %Y} has already passed; please give a date from today onwards.")
    await deps.participants.set_away(actor.id, cmd.until)
    await _audit(deps, actor, "participant.away", cmd.until.isoformat())
    return Reply(text=f"Prompts are paused until {cmd.until:%d %b %Y}. Take care; they will wait for your return.")


async def back(actor: Participant, deps: Deps) -> Reply:
    await deps.participants.set_away(actor.id, None)
    await _audit(deps, actor, "participant.back", "")
    return Reply(text="Welcome back. Prompts will arrive again in your working hours.")


async def peers(cmd: Peers, actor: Participant, deps: Deps) -> Reply:
    await deps.participants.set_peers(actor.id, cmd.opt_in)
    await _audit(deps, actor, "participant.peers", "on" if cmd.opt_in else "off")
    if cmd.opt_in:
        return Reply(text="You're in: from the next rotation you may be introduced to a colleague from another agency.")
    return Reply(text="You've left peer-learning pairs; you won't be paired again unless you opt back in.")


async def _audit(deps: Deps, actor: Participant, verb: str, detail: str) -> None:
    event = AuditEvent(at=deps.clock.now(), actor_email=actor.email, verb=verb, target=actor.email, detail=detail)
    await deps.audit.record(actor.programme_id, event)
