"""A reflection prompt as it reaches a person: the question, an optional follow-up, and two buttons."""

from __future__ import annotations

from handlers.library import Prompt
from handlers.reply import Block, Button, Emphasis, Reply, rich

REFLECT_BUTTON = "prompt.reflect"
NOT_TODAY_BUTTON = "prompt.not_today"
CONCERN_BUTTON = "safeguarding.routes"
FOOTER = (
    "Replies are non-attributable: nobody, administrators included, can see who wrote what. "
    "If a child may be at risk now, stop and follow your agency's safeguarding procedure."
)


def prompt_reply(prompt: Prompt, review_title: str) -> Reply:
    follow_up = ("\n", Emphasis(prompt.follow_up)) if prompt.follow_up else ()
    blocks = (
        Block(kind="context", text=f"A reflection prompt for '{review_title}'"),
        Block(kind="section", text=rich(prompt.text, follow_up)),
        Block(
            kind="actions",
            buttons=(
                Button(action_id=REFLECT_BUTTON, label="Reflect", value=prompt.id, style="primary"),
                Button(action_id=NOT_TODAY_BUTTON, label="Not today", value=prompt.id),
                Button(action_id=CONCERN_BUTTON, label="Raise a safeguarding concern", value=prompt.id),
            ),
        ),
        Block(kind="context", text=FOOTER),
    )
    text = "\n".join([prompt.text, *([prompt.follow_up] if prompt.follow_up else []), FOOTER])
    return Reply(text=text, blocks=blocks, ephemeral=False)
