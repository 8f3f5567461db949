"""What each admitted Teams activity does (bot/teams/edge.py admits it and routes it here), and who is speaking.

- message: typed commands (one grammar with Slack) and Home ("home", "hi" or nothing), answered through our
  retrying path. Answers meant for one person (ephemeral on Slack) typed in a group chat or channel go to the
  person's 1:1 chat. A file sent in a 1:1 chat is a programme file or action plan (bot/teams/plan_files.py).
- installationUpdate / conversationUpdate: conversation references stored or marked removed; Home (handlers/home.py,
  the same feature as the Slack App Home) in the personal chat when the app is installed there or the chat starts.
  Teams sends both for one install: Home is keyed by the conversation, so it is shown once.
- a button (Action.Execute) runs ``handlers.dispatch.press_button``. On success the card is updated in place: the
  message is replaced through the Bot Connector (so everyone sees it, and it stays so) and the invoke answers with
  the same card. A refusal leaves the card alone and shows a short message. A command button (``teams.command``)
  runs a command line and posts the answer as a new message; Home's Previous, Next and Refresh are buttons like any
  other, answered with Home itself in place of the card.
- file consent: a file offered with a report (bot/teams/files.py) is uploaded when the person it was prepared for
  accepts it. Dialogs (task/fetch, task/submit) are bot/teams/dialogs.py.

``People`` finds the speaker: by their Entra object id *within the activity's tenant* (a platform identity stored
for that tenant), or else by the e-mail or UPN the Bot Connector holds for them in that tenant's conversation,
matched only within the programmes that list that tenant (bot/accounts.py); a match by e-mail is remembered so the
next lookup is direct. One tenant's people are never looked up with another tenant's ids. Their request runs in
one transaction through the one pipeline (bot/runtime.py).

Every failure is caught here once, logged without message text, and answered with a short apology.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal

from microsoft_teams.api.activities.install_update import UninstalledActivity
from microsoft_teams.api.models import ActivityBase

from bot.accounts import Transaction, find_account
from bot.runtime import Find, Runtime, Work
from bot.teams import plan_files, render
from bot.teams.edge import TENANT_NOT_ALLOWED
from bot.teams.files import FileUploads
from bot.teams.inbound import (
    COMMAND_BUTTON,
    CommandLine,
    ShowHome,
    Turn,
    card_press,
    read_line,
    ref_from_activity,
    ref_of,
    shared_file,
    split_line,
    turn_of,
)
from handlers.delivery_ports import ConversationRefs
from handlers.errors import DeliveryError, UserFacingError
from handlers.model import Participant
from handlers.permissions import check_lead_or_facilitator
from handlers.ports import Deps
from handlers.reply import Reply, plain_text, refusal, rich
from handlers.requests import ButtonPress, HomeOpened, Identity, Request
from handlers.requests import CommandLine as Command

if TYPE_CHECKING:
    from bot.teams.edge import Connector, Door

logger = logging.getLogger(__name__)

PLATFORM: Literal["teams"] = "teams"
NOT_KNOWN = "You're not in an Aftercare programme yet; please ask your facilitator to add you."
WELCOME_UNKNOWN = (
    "Hello, I'm Aftercare. I help a safeguarding partnership carry a review's learning into everyday practice. "
    "You're not in an Aftercare programme yet; please ask your facilitator to add you."
)
APOLOGY = "Sorry, something went wrong on our side and nothing has changed; please try again in a minute."
PRIVATE_NOTE = "I've answered you in our 1:1 chat."
REFLECT_IN_FORM = (
    "Reflections go through the form rather than the chat, so that your words are never kept beside your name. "
    "I've put what you typed into the form for you to check and save. You may like to delete your chat message."
)
NO_PRIVATE_CHAT = "I couldn't message you privately; please open a chat with Aftercare and ask me there."
NO_PERSON = "Sorry, I couldn't tell who you are in Teams; please try again from your chat with Aftercare."

Context = Any  # microsoft_teams.apps.ActivityContext[ActivityBase]
EmailLookup = Callable[[Turn], Awaitable[list[str]]]


def log_failure(what: str, error: BaseException) -> None:
    """The exception's type and where it happened; never its message, which could quote what someone wrote."""
    where = "".join(traceback.format_tb(error.__traceback__)[-6:])
    logger.error("Teams %s failed with %s\n%s", what, type(error).__name__, where)


class People:
    """Runs a person's request: find them, do the work, commit it unless the reply says to discard it."""

    def __init__(self, runtime: Runtime, lookup: EmailLookup, door: Door) -> None:
        """``door`` (bot/teams/edge.py) says which tenants are allowed; every request checks it again here."""
        self.runtime = runtime
        self.lookup = lookup
        self.door = door

    async def may_receive_reports(self, turn: Turn) -> bool:
        """Whether the person speaking is (still) someone reports are prepared for: a lead or facilitator."""

        async def work(actor: Participant, _deps: Deps, _session: Transaction) -> Reply:
            check_lead_or_facilitator(actor, "save report files")
            return Reply(text="")

        try:
            return (await self.run(turn, work, writes=False)).ok
        except UserFacingError:
            return False

    def finder(self, turn: Turn) -> Find:
        account = Identity(platform=PLATFORM, workspace=turn.tenant_id, user_id=turn.aad_object_id)

        async def emails() -> list[str]:
            return await self.lookup(turn)

        async def find(deps: Deps, session: Transaction) -> Participant | None:
            return await find_account(deps, session, account, emails)

        return find

    async def handle(self, turn: Turn, request: Request, *, unknown: Reply | None = None) -> Reply:
        """A typed request (command line, button, form, Home) from the speaker, through the one pipeline; ``unknown``
        (by default a kind refusal) answers someone who is not in a programme."""
        reply = await self.handle_once(turn, request, None, unknown=unknown)
        return reply or refusal(NOT_KNOWN)  # never: only a request with a duplicate-delivery key can be a repeat

    async def handle_once(
        self, turn: Turn, request: Request, once: str | None, *, unknown: Reply | None = None
    ) -> Reply | None:
        """``handle`` with a duplicate-delivery key: None when a request with the same key was already handled."""
        if not self.door.tenant_allowed(turn.tenant_id):
            return refusal(TENANT_NOT_ALLOWED)
        return await self.runtime.handle(self.finder(turn), request, unknown=unknown or refusal(NOT_KNOWN), once=once)

    async def run(self, turn: Turn, work: Work, *, writes: bool = True) -> Reply:
        """`work` as the speaker (a shared plan file, a report file's consent); a kind refusal when they are not in
        a programme. ``writes=False`` says the work only reads."""
        if not self.door.tenant_allowed(turn.tenant_id):
            return refusal(TENANT_NOT_ALLOWED)
        reply = await self.runtime.run_as(self.finder(turn), work, unknown=refusal(NOT_KNOWN), writes=writes)
        return reply or refusal(NOT_KNOWN)


class Listeners:
    """What each admitted activity does (bot/teams/edge.py routes them here): messages, installs, card buttons
    and file consent."""

    def __init__(self, people: People, connector: Connector, refs: ConversationRefs, files: FileUploads) -> None:
        self.people = people
        self.connector = connector
        self.refs = refs
        self.files = files

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

    # ----- handlers -----
    async def on_message(self, ctx: Context) -> None:
        turn = turn_of(ctx.activity)
        if turn is None:
            logger.warning("a message without a tenant or a person was ignored")
            return
        try:
            await self.refs.remember(ref_of(turn))
            shared = shared_file(ctx.activity) if turn.personal else None
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
        ref = ref_from_activity(activity)
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
        ref = ref_from_activity(activity)
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

    # ----- invokes: file consent and card buttons -----
    async def on_file_consent(self, ctx: Context) -> dict[str, Any]:
        """The person accepted (or declined) a file offered with a report."""
        turn = turn_of(ctx.activity)
        if turn is None:
            return {"status": 200}
        try:
            return await self.files.answer(turn, ctx.activity.value)
        except Exception as error:
            log_failure("file consent", error)
            return {"status": 200}

    # ----- buttons -----
    async def on_card_action(self, ctx: Context) -> dict[str, Any]:
        turn = turn_of(ctx.activity)
        if turn is None:
            return render.toast_response(NO_PERSON)
        try:
            action = ctx.activity.value.action
            press = card_press(action.verb, action.data)
            if press.action_id == COMMAND_BUTTON:
                line = split_line(press.value)
                reply = await self.people.handle(turn, Command(word=line.command, text=line.text))
                await self.respond(turn, reply)
                return render.toast_response(render.teams_plain(render.said(reply, first=True)).split("\n", 1)[0][:200])
            reply = await self.people.handle(turn, ButtonPress(action_id=press.action_id, value=press.value))
            if not reply.ok and reply.form is None:
                return render.toast_response(reply.said)
            return await self.replace_card(turn, reply)
        except DeliveryError as error:  # Teams would not take the answer below the card (throttled, gone)
            logger.warning("a Teams answer could not be sent: %s", error.reason)
            return render.toast_response(APOLOGY)
        except Exception as error:
            log_failure("button", error)
            return render.toast_response(APOLOGY)

    async def replace_card(self, turn: Turn, reply: Reply) -> dict[str, Any]:
        content = render.launcher_card(reply, reply.form) if reply.form is not None else render.reply_card(reply)
        if turn.reply_to_id:
            activity = {"type": "message", "attachments": [render.attachment(content)]}
            try:
                await self.connector.update(turn.service_url, turn.conversation_id, turn.reply_to_id, activity)
            except DeliveryError as error:
                logger.info("card not updated in place: %s", error.reason)
        return render.card_response(content)
