"""`aftercare console --as EMAIL`: an interactive session over the console transport."""

from __future__ import annotations

import asyncio

from bot.console import ask_form, render_text
from bot.runtime import Runtime, UnknownParticipant
from handlers.broadcast_views import DISCARD_BUTTON, SEND_BUTTON, preview_label

WELCOME = "Aftercare console. Type a command such as /actions or /aftercare help; 'quit' to leave."


async def run_console(runtime: Runtime, email: str, programme_code: str | None) -> int:
    async with runtime.unit() as deps:
        try:
            actor = await runtime.participant_by_email(deps, email, programme_code)
        except UnknownParticipant as error:
            print(error)
            return 2
    print(WELCOME)
    print(f"You are {actor.name} ({actor.email}).")
    while True:
        try:
            line = (await asyncio.to_thread(input, "> ")).strip()
        except EOFError:
            return 0
        if line.lower() in ("quit", "exit", "q"):
            return 0
        if not line:
            continue
        if not line.startswith("/"):
            line = "/" + line
        reply = await runtime.say(email, line, programme_code)
        if reply.form is None:
            print(render_text(reply))
        label = preview_label(reply)
        if label is not None:
            answer = (await asyncio.to_thread(input, f"Send {label} now? [y/N] ")).strip().lower()
            button = SEND_BUTTON if answer in ("y", "yes") else DISCARD_BUTTON
            print(render_text(await runtime.press(email, button, label, programme_code)))
        while reply.form is not None:
            answers = ask_form(reply.form, input, print)
            if answers is None:
                break
            reply = await runtime.submit_form(email, reply.form, answers, programme_code)
            if reply.form is None:
                print(render_text(reply))
