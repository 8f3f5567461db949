"""/reflect: the non-attributable reflection form, the screen before anything is stored, and the receipt."""

from __future__ import annotations

import json
from collections import Counter

from handlers import onboarding
from handlers.anonymity_ports import NewReflection
from handlers.cycles import COMBINED, cohort_of, cycle_code, named_agencies
from handlers.errors import UserFacingError
from handlers.grammar import Reflect
from handlers.model import Participant, Programme, Role
from handlers.ports import Deps
from handlers.reflection_forms import (
    ANSWER_NEEDED,
    ASK_FIELD,
    ASK_FORM,
    AT_RISK_FIELD,
    MAX_TAGS,
    REFLECT_FORM,
    ask_form,
    fingerprint,
    reflection_form,
)
from handlers.reply import Block, Bullets, Reply, Strong, plain_text
from handlers.safeguarding import distress_form, live_risk_reply
from handlers.screen import Outcome, ScreenResult, screen

DISTRESS_FORM = "reflect.distress"
MAX_LENGTH = 2500
__all__ = ["ASK_FORM", "AT_RISK_FIELD", "MAX_TAGS", "REFLECT_FORM", "reflection_form"]


async def open_reflection(cmd: Reflect, actor: Participant, deps: Deps, prompt_id: str = "") -> Reply:
    programme = await deps.programmes.get(actor.programme_id)
    if not await onboarding.has_acknowledged(actor, deps):
        return onboarding.acknowledgement_form(programme, {"then": "reflect", "prompt": prompt_id, "text": cmd.text})
    return reflection_form(programme, deps, prompt_id=prompt_id, text=cmd.text)


async def submit_reflection(state: str, values: dict[str, str], actor: Participant, deps: Deps) -> Reply:
    """Check a submission: the author's answer first, then the gate (hold, ask, store), identifiers and distress."""
    programme = await deps.programmes.get(actor.programme_id)
    kept = parse_state(state)
    prompt_id = kept.get("prompt", "")
    text = values.get("text", "").strip()
    tags = _tags(values.get("tags", kept.get("tags", "")), deps)
    if not text:
        raise UserFacingError("The reflection was empty, so nothing was stored.")
    if len(text) > MAX_LENGTH:
        raise UserFacingError(f"Please keep a reflection under {MAX_LENGTH:,} characters; nothing was stored.")
    answer = values.get(AT_RISK_FIELD, "")
    if answer not in ("yes", "no"):  # Slack, Teams and the console require it; kept here for any other client
        notice = (Block(kind="section", text=ANSWER_NEEDED),)
        return reflection_form(programme, deps, prompt_id=prompt_id, text=text, tags=",".join(tags), notice=notice,
                               cleared=kept.get("cleared", ""), themes_chosen="tags" in kept)  # fmt: skip
    result = screen(text, programme.governance.never_store, await _known_names(actor, deps))
    held = {"prompt": prompt_id, "text": text, "tags": ",".join(tags)}
    if answer == "yes":  # the author's own judgement comes before any pattern
        result = result.model_copy(update={"live_risk": True, "outcome": Outcome.HOLD})
    if result.outcome is Outcome.HOLD:
        return await live_risk_reply(programme, actor, deps, result, held)
    if result.outcome is Outcome.ASK and kept.get("cleared") != fingerprint(text):
        return ask_form(programme, held)
    return await after_the_gate(programme, actor, deps, text, result, held)


async def submit_ask(state: str, values: dict[str, str], actor: Participant, deps: Deps) -> Reply:
    """The gate's question answered: yes → the routes and nothing stored; no → on to identifiers and storing."""
    programme = await deps.programmes.get(actor.programme_id)
    held = parse_state(state)
    text = held.get("text", "").strip()
    answer = values.get(ASK_FIELD, "")
    if not text:
        raise UserFacingError("That question has expired, so nothing was stored; please write your reflection again.")
    if answer not in ("yes", "no"):
        raise UserFacingError("Please answer 'Is a child at risk now?'; nothing has been stored.")
    result = screen(text, programme.governance.never_store, await _known_names(actor, deps))
    if answer == "yes":
        result = result.model_copy(update={"live_risk": True, "outcome": Outcome.HOLD})
        return await live_risk_reply(programme, actor, deps, result, held)
    return await after_the_gate(programme, actor, deps, text, result, held)


async def after_the_gate(
    programme: Programme, actor: Participant, deps: Deps, text: str, result: ScreenResult, held: dict[str, str]
) -> Reply:
    """No child at risk now: identifiers go back to the author (themes kept, not asked again), then distress."""
    prompt_id, tags = held.get("prompt", ""), _tags(held.get("tags", ""), deps)
    if result.identifiers:
        notice = (highlight_notice(text, result),)
        return reflection_form(programme, deps, prompt_id=prompt_id, text=result.redacted, tags=",".join(tags),
                               notice=notice, cleared=fingerprint(result.redacted), themes_chosen=True)  # fmt: skip
    if result.distress:
        return distress_form(programme, {"prompt": prompt_id, "text": text, "tags": ",".join(tags)})
    return await store(programme, actor, deps, prompt_id, text, tags, in_themes=True)


async def submit_distress_choice(state: str, values: dict[str, str], actor: Participant, deps: Deps) -> Reply:
    """After a kind reply to distress: stored either way, in themes only if the author says yes."""
    programme = await deps.programmes.get(actor.programme_id)
    kept = parse_state(state)
    in_themes = values.get("themes", "no") == "yes"
    tags = _tags(kept.get("tags", ""), deps)
    prompt_id, text = kept.get("prompt", ""), kept.get("text", "").strip()
    if not text or len(text) > MAX_LENGTH:
        raise UserFacingError("That form has expired; please start again.")
    result = screen(text, programme.governance.never_store, await _known_names(actor, deps))
    if result.live_risk:  # screened again: exactly the text stored is the text screened, whatever carried it here
        return await live_risk_reply(programme, actor, deps, result)
    if result.identifiers:
        return reflection_form(programme, deps, prompt_id=prompt_id, text=result.redacted, tags=",".join(tags),
                               notice=(highlight_notice(text, result),))  # fmt: skip
    return await store(programme, actor, deps, prompt_id, text, tags, in_themes=in_themes)


def highlight_notice(text: str, result: ScreenResult) -> Block:
    marked, last = [], 0
    for finding in sorted(result.identifiers, key=lambda f: f.start):
        marked += [text[last : finding.start], f"«{text[finding.start : finding.end]}»"]
        last = finding.end
    marked.append(text[last:])
    kinds = sorted({f.kind.value.replace("_", " ") for f in result.identifiers})
    return Block(
        kind="section",
        text=(
            f"Nothing has been stored yet. I've marked details that could identify someone ({', '.join(kinds)}):\n"
            + "".join(marked)
            + "\nBelow is a version with them removed. Save it as it is, or edit it (for example 'a primary "
            "school', 'a baby under one', 'earlier this year')."
        ),
    )


async def store(
    programme: Programme, actor: Participant, deps: Deps, prompt_id: str, text: str, tags: list[str], *, in_themes: bool
) -> Reply:
    today = deps.clock.now().date()
    cycle = cycle_code(programme, today)
    k = programme.governance.k
    roster = await deps.participants.agencies_and_roles(programme.id)
    sizes = dict(Counter(agency for agency, _ in roster))
    cohort = cohort_of(actor, sizes, k)
    named = named_agencies(sizes, k)
    in_cohort = [roles for agency, roles in roster if (agency if agency in named else COMBINED) == cohort]
    kept_prompt = prompt_id if prompt_id and prompt_audience(deps, prompt_id, in_cohort) >= k else None
    reflection = NewReflection(programme_id=programme.id, cycle=cycle, cohort=cohort, prompt_id=kept_prompt,
                               text=text, tags=tuple(tags), in_themes=in_themes)  # fmt: skip
    await deps.anonymity.reflections.add(reflection, actor.id, today)
    # Nothing is logged here: a log line's own timestamp would date the reflection (docs/anonymity.md).
    labels = [tag.label if (tag := deps.library.tag(t)) else t for t in reflection.tags]
    return receipt(reflection, programme, labels, prompt_dropped=bool(prompt_id) and kept_prompt is None)


def prompt_audience(deps: Deps, prompt_id: str, cohort_roles: list[frozenset[Role]]) -> int:
    """How many people of the cohort the prompt is meant for, from the roster as it is now (an unknown prompt: 0).

    A prompt meant for a role that few people in the cohort hold (the one lead of an agency) would name its author,
    so such a prompt is not stored with the reflection.
    """
    prompt = deps.library.prompt(prompt_id)
    if prompt is None:
        return 0
    return sum(1 for roles in cohort_roles if prompt.suits(roles))


def receipt(
    reflection: NewReflection,
    programme: Programme,
    theme_labels: list[str] | None = None,
    *,
    prompt_dropped: bool = False,
) -> Reply:
    group = "a combined group of smaller agencies" if reflection.cohort == COMBINED else f"agency {reflection.cohort}"
    themes = theme_labels if theme_labels is not None else list(reflection.tags)
    if reflection.prompt_id:
        prompt_line = f"the prompt it answers: {reflection.prompt_id}"
    elif prompt_dropped:
        prompt_line = "the prompt is not stored: few people in your group were sent it, so it could point to you"
    else:
        prompt_line = "no prompt"
    stored = Bullets(
        f"your words, exactly as shown: \"{reflection.text}\"",
        f"themes: {', '.join(themes) or 'none'}",
        f"the cycle '{reflection.cycle}' and {group}",
        prompt_line,
        "it may appear in themes for groups of "
        f"{programme.governance.k} or more, paraphrased, never quoted" if reflection.in_themes else
        "it is kept out of the themes, as you chose",
    )  # fmt: skip
    not_stored = "Not stored: your name, your account, the message, the date or time, or anything linking it to you."
    deleted = f"The words are deleted after {programme.governance.retention_days} days."
    text = "\n".join(
        [
            "Thank you. Your reflection is saved. Anonymity receipt:",
            "Stored:",
            plain_text((stored,)),
            not_stored,
            deleted,
        ]
    )
    blocks = (
        Block(kind="section", text="Thank you. Your reflection is saved."),
        Block(kind="section", text=(Strong("Anonymity receipt"), "\nStored:\n", stored)),
        Block(kind="context", text=f"{not_stored} {deleted}"),
    )
    return Reply(text=text, blocks=blocks)


def _tags(raw: str, deps: Deps) -> list[str]:
    chosen = [t.strip() for t in raw.split(",") if t.strip()]
    known = {tag.id for tag in deps.library.tags}
    unknown = [t for t in chosen if t not in known]
    if unknown:
        raise UserFacingError(f"'{unknown[0]}' is not one of the programme's themes; nothing was stored.")
    if len(chosen) > MAX_TAGS:
        raise UserFacingError(f"Please choose up to {MAX_TAGS} themes; nothing was stored.")
    return chosen


async def _known_names(actor: Participant, deps: Deps) -> list[str]:
    names = await deps.participants.names(actor.programme_id)
    return [part for name in names for part in name.split() if len(part) > 2]


def parse_state(state: str) -> dict[str, str]:
    try:
        loaded = json.loads(state) if state else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
