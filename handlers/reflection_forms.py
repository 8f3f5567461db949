"""The reflection form and the gate's question, shared by /reflect and the safeguarding answers.

The at-risk question is answered on every submission: the screen is a second net, the author's judgement the first.
"""

from __future__ import annotations

import hashlib
import json

from handlers.model import Programme
from handlers.ports import Deps
from handlers.prompting import FOOTER
from handlers.reply import Block, Bullets, Form, FormField, Option, Reply, rich

REFLECT_FORM = "reflect"
ASK_FORM = "reflect.ask"
AT_RISK_FIELD = "at_risk_now"
ASK_FIELD = "child_at_risk_now"
MAX_TAGS = 3
AT_RISK_LABEL = "Is any of this about a child who may be at risk now?"
AT_RISK_WHY = (
    "we ask everyone, every time: reflections are anonymous, so a worry about a child now needs your safeguarding "
    "procedure, not this form"
)
ANSWER_NEEDED = (
    "Please answer 'Is any of this about a child who may be at risk now?' (we ask everyone, every time); "
    "nothing was stored."
)
ASK_INTRO = (
    "Before anything is stored: parts of this may describe a child who is at risk now. If so, reflections are not "
    "the way to raise it: please use your safeguarding procedure today. If it is about the past, or the child is "
    "already safe, say so and your reflection will be saved."
)


def fingerprint(text: str) -> str:
    """A short digest of a text the author has already cleared, carried in the form's state (never stored)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:24]


def reflection_form(
    programme: Programme,
    deps: Deps,
    *,
    prompt_id: str = "",
    text: str = "",
    tags: str = "",
    notice: tuple[Block, ...] = (),
    cleared: str = "",
    themes_chosen: bool = False,
) -> Reply:
    """The form. ``themes_chosen``: the themes were already picked, so they are kept in the state, not asked again."""
    prompt = deps.library.prompt(prompt_id) if prompt_id else None
    intro = list(notice)
    if prompt is not None:
        intro.append(Block(kind="section", text=f"Prompt: {prompt.text}"))
    intro.append(Block(kind="context", text=FOOTER))
    tag_options = tuple(Option(value=tag.id, label=tag.label) for tag in deps.library.tags)
    text_field = FormField(key="text", label="Your reflection", kind="text", multiline=True, initial=text,
                           hint="no names, addresses, dates of birth or case numbers")  # fmt: skip
    tags_field = FormField(key="tags", label="Themes (up to 3)", kind="multi_choice", options=tag_options,
                           required=False, max_items=MAX_TAGS, initial=tags)  # fmt: skip
    at_risk_field = FormField(
        key=AT_RISK_FIELD,
        label=AT_RISK_LABEL,
        kind="choice",
        options=(Option(value="no", label="No"), Option(value="yes", label="Yes: show me how to raise it")),
        hint=AT_RISK_WHY,
    )
    fields = (text_field, at_risk_field) if themes_chosen else (text_field, tags_field, at_risk_field)
    kept = {"prompt": prompt_id}
    if themes_chosen:
        kept["tags"] = tags
    if cleared:
        kept["cleared"] = cleared
    form = Form(form_id=REFLECT_FORM, title="Reflect", intro=tuple(intro), fields=fields, submit_label="Check and save",
                state=json.dumps(kept))  # fmt: skip
    return Reply(text="Write your reflection; nothing is stored until it has been checked.", form=form)


def ask_form(programme: Programme, kept: dict[str, str]) -> Reply:
    """The gate's question: the routes first, then "Is a child at risk now?"; nothing stored until it is answered."""
    routes = Bullets(*(f"{r.label}: {r.route}" for r in programme.governance.escalation_routes))
    intro = (
        Block(kind="section", text=ASK_INTRO),
        Block(kind="section", text=rich("Where to go:\n", routes)),
        Block(kind="context", text="Nothing has been stored yet. If a child is in immediate danger, call 999."),
    )
    field = FormField(
        key=ASK_FIELD,
        label="Is a child at risk now?",
        kind="choice",
        options=(
            Option(value="yes", label="Yes, a child may be at risk now"),
            Option(value="no", label="No: it is about the past, or the child is already safe"),
        ),
    )
    form = Form(form_id=ASK_FORM, title="Before we save", intro=intro, fields=(field,), submit_label="Answer",
                state=json.dumps(kept))  # fmt: skip
    return Reply(body=rich(ASK_INTRO, "\n", routes), form=form)
