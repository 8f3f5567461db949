"""Rich text at the console: the plain words, as `aftercare say` and `aftercare console` print them."""

from __future__ import annotations

from bot.console import render_block, render_text
from handlers.reply import Block, Bullets, Command, Emphasis, Link, Reply, Strong

SAID = (
    Strong("Anonymity receipt"),
    "\nStored:\n",
    Bullets(("see it: ", Command("actions A07")), ("a ", Emphasis("kind"), " word")),
    "\nRead ",
    Link("https://example.org/guide", "the guide"),
    " or ",
    Link("https://example.org/faq"),
)
PLAIN = (
    "Anonymity receipt\nStored:\n• see it: /actions A07\n• a kind word\n"
    "Read the guide (https://example.org/guide) or https://example.org/faq"
)


def test_a_reply_without_blocks_prints_its_plain_words():
    assert render_text(Reply(body=SAID)) == PLAIN
    assert Reply(body=SAID).text == PLAIN  # the fallback every adapter can use is the same words


def test_blocks_print_their_plain_words_and_fields_line_up():
    reply = Reply(
        text="fallback",
        blocks=(
            Block(kind="header", text=(Strong("A07"), ": a title")),
            Block(kind="section", text=SAID),
            Block(kind="fields", fields=(("Status", (Emphasis("On track"),)), ("Owner", "Olu"))),
        ),
    )

    assert render_text(reply) == "\n".join(
        ["A07: a title", "─" * 12, *PLAIN.splitlines(), "Status  On track", "Owner   Olu"]
    )


def test_marks_typed_by_a_person_are_printed_as_typed():
    assert render_block(Block(kind="section", text="*not bold* and _not italic_")) == ["*not bold* and _not italic_"]
