"""When a reflection sounds like a child at risk now, or like the author is struggling.

A possible live concern is never filed away: the words are not stored, the author is told plainly that this is not
a referral route, sees the escalation routes, and says which applies. "I need help to raise it", or no answer within
the programme's window, tells the designated safeguarding contact who raised a concern and when; never the words.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from handlers.errors import UserFacingError
from handlers.model import AuditEvent, Participant, Programme
from handlers.ports import Deps
from handlers.reflection_forms import reflection_form
from handlers.reply import Block, Bullets, Form, FormField, Option, Reply, plain_text, read_state, rich
from handlers.screen import ScreenResult

logger = logging.getLogger(__name__)

CHOICE_FORM = "safeguarding.choice"
DISTRESS_FORM = "reflect.distress"
CHOICES = (
    ("already_raised", "I have already raised it"),
    ("historic", "It is historic, or already actioned"),
    ("will_raise", "I'll raise it now"),
    ("need_help", "I need help to raise it"),
)
LIVE_RISK_MESSAGE = (
    "This sounds like it may be about a child at risk now. Reflections here are not a referral route, so your words "
    "have not been stored. Please follow your safeguarding procedure today."
)


HISTORIC_EDIT = (
    "Thank you. Nothing has been stored yet, and your words are below to edit. Please make it clear that this is "
    "about the past (for example 'in a case some years ago…') and leave out details of the child, then save it."
)


def routes_list(programme: Programme) -> Bullets:
    return Bullets(*(f"{r.label}: {r.route}" for r in programme.governance.escalation_routes))


def routes_reply(programme: Programme) -> Reply:
    """The one-tap answer to 'I need to raise a safeguarding concern': the routes, and that we never refer."""
    said = rich(
        "If a child is in immediate danger, call 999. Aftercare never makes a referral itself: please use your "
        "agency's safeguarding procedure today.\n",
        routes_list(programme),
    )
    return Reply(text=plain_text(said), blocks=(Block(kind="section", text=said),))


async def live_risk_reply(
    programme: Programme, actor: Participant, deps: Deps, result: ScreenResult, held: dict[str, str] | None = None
) -> Reply:
    """Routes and the four answers. ``held`` (text, prompt, themes) rides in the form's state, never stored, so an
    author who says it is historic gets the words back to edit."""
    flag = await deps.anonymity.flags.raise_flag(
        programme.id, actor.id, deps.clock.now(), result.live_risk_urgent, result.concern_about_staff
    )
    await deps.audit.record(programme.id, AuditEvent(at=deps.clock.now(), actor_email="screen@aftercare",
                                                     verb="safeguarding.flag", target=flag.id))  # fmt: skip
    urgent = "If a child is in immediate danger, call 999 now. " if result.live_risk_urgent else ""
    staff = " Concerns about a member of staff go to the LADO." if result.concern_about_staff else ""
    intro = (
        Block(kind="section", text=urgent + LIVE_RISK_MESSAGE + staff),
        Block(kind="section", text=rich("Where to go:\n", routes_list(programme))),
        Block(
            kind="context",
            text=f"If you choose 'I need help', or do not answer within "
            f"{programme.governance.live_risk_window_hours} hours, the programme's safeguarding contact "
            f"({programme.governance.safeguarding_contact_role or 'designated contact'}) will be told that you "
            "raised a possible concern, and when, so they can help. Not your words.",
        ),
    )
    field = FormField(key="choice", label="Which applies?", kind="choice",
                      options=tuple(Option(value=v, label=label) for v, label in CHOICES))  # fmt: skip
    form = Form(form_id=CHOICE_FORM, title="A possible live concern", intro=intro, fields=(field,),
                submit_label="Send", state=json.dumps({"flag": flag.id, **(held or {})}))  # fmt: skip
    return Reply(body=rich(urgent + LIVE_RISK_MESSAGE + staff, "\n", routes_list(programme)), form=form, ok=False)


async def submit_choice(state: str, values: dict[str, str], actor: Participant, deps: Deps) -> Reply:
    held = read_state(state)
    flag_id = held.get("flag", "")
    flag = await deps.anonymity.flags.get(flag_id)
    choice = values.get("choice", "")
    if flag is None or flag.participant_id != actor.id:
        raise UserFacingError("That safeguarding question has expired; if you are worried, follow your procedure now.")
    if choice not in dict(CHOICES):
        raise UserFacingError("Please choose one of the four answers.")
    await deps.anonymity.flags.set_choice(flag.id, choice)
    programme = await deps.programmes.get(actor.programme_id)
    if choice == "need_help":
        await notify(programme, flag.id, actor, deps)
        return Reply(text="Thank you. The programme's safeguarding contact has been asked to get in touch with you "
                     "today. If a child is in immediate danger, call 999.")  # fmt: skip
    if choice == "historic" and held.get("text"):
        return reflection_form(programme, deps, prompt_id=held.get("prompt", ""), text=held["text"],
                               tags=held.get("tags", ""), notice=(Block(kind="section", text=HISTORIC_EDIT),),
                               themes_chosen=True)  # fmt: skip
    answers = {
        "already_raised": "Thank you for raising it. Nothing from your reflection was stored.",
        "historic": "Thank you. As it may still be identifying, nothing was stored; you're welcome to reflect on the "
        "learning in general terms.",
        "will_raise": rich(
            "Thank you. Please raise it today through your agency's procedure:\n", routes_list(programme)
        ),
    }
    return Reply(body=rich(answers[choice]))


async def notify(programme: Programme, flag_id: str, author: Participant | None, deps: Deps) -> None:
    flag = await deps.anonymity.flags.get(flag_id)
    if flag is None:
        return
    await deps.anonymity.notifier.notify_contact(programme, flag, author)
    await deps.anonymity.flags.mark_notified(flag.id, deps.clock.now())
    await deps.audit.record(programme.id, AuditEvent(at=deps.clock.now(), actor_email="screen@aftercare",
                                                     verb="safeguarding.contact_notified", target=flag.id))  # fmt: skip


async def escalate_unanswered(programme: Programme, deps: Deps) -> int:
    """Run on a schedule: flags with no answer after the window go to the safeguarding contact."""
    window = dt.timedelta(hours=programme.governance.live_risk_window_hours)
    waiting = await deps.anonymity.flags.unanswered(programme.id, deps.clock.now() - window)
    for flag in waiting:
        author = None
        if flag.participant_id is not None:
            people = await deps.participants.in_programme(programme.id)
            author = next((p for p in people if p.id == flag.participant_id), None)
        await notify(programme, flag.id, author, deps)
    return len(waiting)


def distress_form(programme: Programme, kept: dict[str, str]) -> Reply:
    support = Bullets(*(programme.governance.support_routes or ["your line manager"]))
    intro = (
        Block(
            kind="section",
            text="Thank you for writing this. It sounds like things are hard at the moment, and "
            "that matters. You don't have to carry it alone.",
        ),
        Block(kind="section", text=rich("Support you can reach today:\n", support)),
    )
    field = FormField(key="themes", label="May the themes of this reflection be counted in the partnership's themes?",
                      kind="choice", options=(Option(value="no", label="No, keep it out of the themes"),
                                              Option(value="yes", label="Yes, count it (never quoted)")),
                      initial="no")  # fmt: skip
    form = Form(form_id=DISTRESS_FORM, title="Thank you", intro=intro, fields=(field,), submit_label="Save",
                state=json.dumps(kept))  # fmt: skip
    return Reply(body=rich("Thank you for writing this. Support you can reach today:\n", support), form=form)
