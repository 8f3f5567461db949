"""What the bot does with each kind of activity (the SDK has already checked the token; nothing here runs without).

- message: typed commands (one grammar with Slack) and Home ("home", "hi" or nothing), answered through our
  retrying path. Answers meant for one person (ephemeral on Slack) typed in a group chat or channel go to the
  person's 1:1 chat.
- installationUpdate / conversationUpdate: conversation references stored or marked removed; Home (handlers/home.py,
  the same feature as the Slack App Home) in the personal chat when the app is installed there or the chat starts.
  Teams sends both for one install: Home is keyed by the conversation, so it is shown once.
- invokes (buttons and dialogs): bot/teams/invokes.py.

Every failure is caught here once, logged without message text, and answered with a short apology.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from microsoft_teams.api.activities import ConversationUpdateActivity, MessageActivity
from microsoft_teams.api.activities.install_update import InstalledActivity, UninstalledActivity
from microsoft_teams.api.models import ActivityBase

from bot.teams import plan_files, render
from bot.teams.identity import CHANNEL, TENANT_NOT_ALLOWED, WELCOME_UNKNOWN, People
from bot.teams.inbound import CommandLine, ShowHome, Turn, read_line, turn_of
from bot.teams.refs import ConversationRefs, ref_from_activity, ref_of
from bot.teams.sender import Connector
from handlers.errors import DeliveryError
from handlers.reply import Reply, plain_text, refusal, rich
from handlers.requests import CommandLine as Command
from handlers.requests import HomeOpened

logger = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on our side and nothing has changed; please try again in a minute."
PRIVATE_NOTE = "I've answered you in our 1:1 chat."
REFLECT_IN_FORM = (
    "Reflections go through the form rather than the chat, so that your words are never kept beside your name. "
    "I've put what you typed into the form for you to check and save. You may like to delete your chat message."
)
NO_PRIVATE_CHAT = "I couldn't message you privately; please open a chat with Aftercare and ask me there."

Context = Any  # microsoft_teams.apps.ActivityContext[ActivityBase]


def log_failure(what: str, error: BaseException) -> None:
    """The exception's type and where it happened; never its message, which could quote what someone wrote."""
    where = "".join(traceback.format_tb(error.__traceback__)[-6:])
    logger.error("Teams %s failed with %s\n%s", what, type(error).__name__, where)


class Turns:
    """Activity handlers for one Teams App; `register` adds them to its router."""

    def __init__(self, people: People, connector: Connector, refs: ConversationRefs) -> None:
        self.people = people
        self.connector = connector
        self.refs = refs

    def register(self, router: Any) -> None:
        router.add_handler(lambda a: isinstance(a, MessageActivity), self.on_message)
        router.add_handler(lambda a: isinstance(a, InstalledActivity | UninstalledActivity), self.on_installation)
        router.add_handler(lambda a: isinstance(a, ConversationUpdateActivity), self.on_conversation_update)

    # ----- answering -----
    async def respond(self, turn: Turn, reply: Reply) -> None:
        """Send the answer where it belongs: here, or (when only for this person) in their 1:1 chat."""
        activity = render.message(reply)
        if turn.personal or not reply.ephemeral:
            await self.connector.send(turn.service_url, turn.conversation_id, activity)
            return
        try:
            conversation_id = await self.private_chat(turn)
        except DeliveryError as error:
            logger.info("no 1:1 chat for a group answer: %s", error.reason)
            note = render.message(Reply(text=NO_PRIVATE_CHAT))
            await self.connector.send(turn.service_url, turn.conversation_id, note)
            return
        await self.connector.send(turn.service_url, conversation_id, activity)
        await self.connector.send(turn.service_url, turn.conversation_id, render.message(Reply(text=PRIVATE_NOTE)))

    async def private_chat(self, turn: Turn) -> str:
        known = await self.refs.personal(turn.tenant_id, turn.aad_object_id)
        if known is not None:
            return known.conversation_id
        return await self.connector.open_personal(turn.service_url, turn.tenant_id, turn.aad_object_id)

    async def apologise(self, turn: Turn | None) -> None:
        if turn is None:
            return
        try:
            await self.connector.send(turn.service_url, turn.conversation_id, render.message(Reply(text=APOLOGY)))
        except DeliveryError as error:  # the apology is best effort; the failure is already logged
            logger.warning("a Teams apology could not be sent: %s", error.reason)
        except Exception as error:
            log_failure("apology", error)

    async def turn_away(self, activity: Any) -> None:
        """A kind word to someone of a tenant that is not allowed (from Teams itself only); nothing is stored."""
        turn = turn_of(activity)
        if (
            turn is None
            or getattr(activity, "channel_id", None) != CHANNEL
            or self.people.tenant_allowed(turn.tenant_id)
        ):
            return
        try:
            await self.connector.send(
                turn.service_url, turn.conversation_id, render.message(refusal(TENANT_NOT_ALLOWED))
            )
        except Exception as error:  # best effort
            log_failure("refusal", error)

    # ----- handlers -----
    async def on_message(self, ctx: Context) -> None:
        if not self.people.admitted(ctx.activity):
            await self.turn_away(ctx.activity)
            return
        turn = turn_of(ctx.activity)
        if turn is None:
            logger.warning("a message without a tenant or a person was ignored")
            return
        try:
            await self.refs.remember(ref_of(turn))
            shared = plan_files.shared_file(ctx.activity) if turn.personal else None
            if shared is not None:  # a programme file or action plan sent to the bot (bot/plan_uploads.py)
                await self.respond(turn, await plan_files.receive(self.people, turn, *shared))
                return
            line = read_line(ctx.activity.text)
            if isinstance(line, ShowHome):
                reply = await self.people.handle(turn, HomeOpened(), unknown=Reply(text=WELCOME_UNKNOWN))
            else:
                reply = await self.people.handle(turn, Command(word=line.command, text=line.text))
            if isinstance(line, CommandLine) and line.command == "reflect" and line.text and reply.form is not None:
                said = rich(REFLECT_IN_FORM, "\n", reply.said)
                reply = reply.model_copy(update={"text": plain_text(said), "body": said, "ephemeral": True})
            await self.respond(turn, reply)
        except DeliveryError as error:  # Teams would not take our answer (throttled, gone): theirs, not a fault here
            logger.warning("a Teams answer could not be sent: %s", error.reason)
        except Exception as error:
            log_failure("message", error)
            await self.apologise(turn)

    async def on_installation(self, ctx: Context) -> None:
        activity: ActivityBase = ctx.activity
        ref = ref_from_activity(activity) if self.people.admitted(activity) else None
        if ref is None:
            return
        try:
            if isinstance(activity, UninstalledActivity):
                await self.refs.forget(ref.tenant_id, ref.conversation_id)
                logger.info("Teams app removed from a %s conversation", ref.conversation_type)
                return
            await self.refs.remember(ref)
            if getattr(activity, "action", "") == "add":
                await self.show_home(activity)
        except Exception as error:
            log_failure("installation update", error)

    async def show_home(self, activity: Any) -> None:
        """Home in a personal chat the app has just joined (once, whichever of the two activities comes first)."""
        turn = turn_of(activity)
        if turn is None or not turn.personal:
            return
        once = f"teams-home:{turn.tenant_id}:{turn.conversation_id}"[:200]
        reply = await self.people.handle_once(turn, HomeOpened(), once, unknown=Reply(text=WELCOME_UNKNOWN))
        if reply is not None:
            await self.connector.send(turn.service_url, turn.conversation_id, render.message(reply))

    async def on_conversation_update(self, ctx: Context) -> None:
        activity = ctx.activity
        ref = ref_from_activity(activity) if self.people.admitted(activity) else None
        if ref is None:
            return
        bot_id = activity.recipient.id
        added = any(member.id == bot_id for member in activity.members_added or [])
        removed = any(member.id == bot_id for member in activity.members_removed or [])
        try:
            if removed:
                await self.refs.forget(ref.tenant_id, ref.conversation_id)
            elif added:
                await self.refs.remember(ref)
                await self.show_home(activity)
        except Exception as error:
            log_failure("conversation update", error)
