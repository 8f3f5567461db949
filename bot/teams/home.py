"""The personal view: what the Slack App Home shows, as one card in the person's chat with the bot.

Shown when the app is installed and whenever the person types "home" (or "hi"). It is built from the same handlers
as the commands: who you are, your open actions with their status buttons, and buttons to reflect, check in, see
all actions and read the privacy statement.
"""

from __future__ import annotations

from bot.teams.inbound import COMMAND_BUTTON
from handlers import action_views
from handlers.actions import OPEN_STATUSES
from handlers.model import Participant
from handlers.ports import ActionFilter, Deps
from handlers.reply import Block, Button, Command, Reply, Strong

MAX_ACTIONS = 5
WELCOME_UNKNOWN = (
    "Hello, I'm Aftercare. I help a safeguarding partnership carry a review's learning into everyday practice. "
    "You're not in an Aftercare programme yet; please ask your facilitator to add you."
)


def command_button(label: str, line: str, style: str = "") -> Button:
    return Button(action_id=COMMAND_BUTTON, label=label, value=line, style="primary" if style else "")


async def home(actor: Participant, deps: Deps) -> Reply:
    programme = await deps.programmes.get(actor.programme_id)
    today = deps.clock.now().date()
    where = ActionFilter(owner_emails=[actor.email], statuses=OPEN_STATUSES)
    mine, total = await deps.actions.page(actor.programme_id, where, limit=MAX_ACTIONS)
    blocks = [
        Block(kind="header", text=f"Aftercare: {programme.review_title}"[:150]),
        Block(kind="context", text=f"{programme.partnership} · {actor.name}, {actor.agency}"),
    ]
    if mine:
        blocks.append(Block(kind="section", text=(Strong("Your open actions"), f" ({total})")))
        for action in mine:
            blocks.append(Block(kind="section", text=action_views.action_line(action, today)))
            blocks.append(action_views.status_buttons(action.code))
        if total > len(mine):
            blocks.append(Block(kind="context", text=("More: ", Command("actions mine"))))
    else:
        blocks.append(Block(kind="section", text="You have no open actions."))
    buttons = (
        command_button("Reflect", "reflect", "primary"),
        command_button("Check in", "checkin"),
        command_button("All actions", "actions all"),
        command_button("Privacy", "aftercare privacy"),
    )
    blocks += [Block(kind="divider"), Block(kind="actions", buttons=buttons)]
    text = f"Aftercare: {programme.review_title}. You have {total} open action(s). Type help for the commands."
    return Reply(text=text, blocks=tuple(blocks))
