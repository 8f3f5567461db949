"""/checkin: the current cycle's light-touch indicator items, stored like reflections (non-attributably)."""

from __future__ import annotations

import json

from handlers import onboarding
from handlers.cycles import COMBINED, cohort_of, current_cycle
from handlers.errors import UserFacingError
from handlers.grammar import Checkin
from handlers.model import Participant, Programme
from handlers.ports import Deps
from handlers.reply import Block, Command, Form, FormField, Option, Reply, read_state

CHECKIN_FORM = "checkin"
SKIP = "skip"


async def open_checkin(_cmd: Checkin, actor: Participant, deps: Deps) -> Reply:
    programme = await deps.programmes.get(actor.programme_id)
    if not await onboarding.has_acknowledged(actor, deps):
        return onboarding.acknowledgement_form(programme, {"then": "checkin"})
    return checkin_form(actor, programme, deps)


def checkin_form(actor: Participant, programme: Programme, deps: Deps) -> Reply:
    cycle = current_cycle(programme, deps.clock.now().date())
    indicators = deps.library.indicators
    if cycle is None or indicators is None:
        raise UserFacingError("There is no check-in open for this programme at the moment.")
    points = tuple(Option(value=str(value), label=f"{value} {label}") for value, label in indicators.scale.points())
    options = (*points, Option(value=SKIP, label=indicators.scale.skip_label))
    fields = []
    for item_id in cycle.items:
        item = deps.library.indicator(item_id)
        if item is not None:
            fields.append(FormField(key=item.id, label=item.text, kind="rating", options=options))
    intro = (
        Block(
            kind="section",
            text=f"Check-in '{cycle.code}': {len(fields)} short statements. How far do you agree? "
            "Answers are only ever shown as totals for groups of "
            f"{programme.governance.k} or more, never with your name.",
        ),
    )
    form = Form(form_id=CHECKIN_FORM, title="Check-in", intro=intro, fields=tuple(fields), submit_label="Save",
                state=json.dumps({"cycle": cycle.code}))  # fmt: skip
    return Reply(text=f"Check-in {cycle.code}: {len(fields)} short statements.", form=form)


async def submit_checkin(state: str, values: dict[str, str], actor: Participant, deps: Deps) -> Reply:
    programme = await deps.programmes.get(actor.programme_id)
    cycle = current_cycle(programme, deps.clock.now().date())
    asked = read_state(state).get("cycle")
    if cycle is None or asked != cycle.code:
        raise UserFacingError(
            ("That check-in has closed; nothing was stored. Try ", Command("checkin"), " for the current one.")
        )
    answers: dict[str, int | None] = {}
    for item_id in cycle.items:
        raw = values.get(item_id, SKIP).strip()
        if raw == SKIP or raw == "":
            answers[item_id] = None
        elif raw in ("1", "2", "3", "4", "5"):
            answers[item_id] = int(raw)
        else:
            raise UserFacingError(
                "Please answer each statement with 1 to 5 or 'prefer not to say'; nothing was stored."
            )
    cohort = cohort_of(actor, await deps.participants.agency_sizes(programme.id), programme.governance.k)
    await deps.anonymity.reflections.replace_answers(
        programme.id, cycle.code, cohort, answers, actor.id, deps.clock.now().date()
    )
    group = "a combined group of smaller agencies" if cohort == COMBINED else f"agency {cohort}"
    answered = sum(1 for v in answers.values() if v is not None)
    # The same words for a first and a later check-in: the receipt must not tell anyone else whether this person
    # had answered before (docs/anonymity.md).
    return Reply(
        text=(
            f"Thank you. Saved {answered} answers for check-in '{cycle.code}' with {group}. If you had answered "
            "this check-in before, these answers replace the earlier ones. "
            "Not stored: your name, your account, the date or time, or anything linking the answers to you."
        )
    )
