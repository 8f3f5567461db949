"""The first thing a request to POST /slack/events meets: its signature, then whether Bolt can read it at all.

Bolt reads a body before it checks the signature, and a body that is not what Slack sends (JSON that is not an
object, a ``payload`` that is not one, fields of the wrong type) makes it raise: a bare Bolt app answers 500 with a
traceback. Here the signature and timestamp are checked first (401, as Bolt would, for a missing or bad one or one
older than five minutes), then the body is checked against the shapes Slack sends (pydantic models of the fields
Bolt and our listeners read) and read the way Bolt will read it; one that does not fit gets 400 and reaches no
listener.

``SlackApp.handle`` is that door, in front of Bolt's request handler (bot/slack/wiring.py builds it): the first of
the few files a Slack request walks through (docs/design.md).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import Response

from bot.slack.listeners import SlackPeople

logger = logging.getLogger(__name__)


class Shape(BaseModel):
    model_config = ConfigDict(extra="allow")


class Named(Shape):
    id: str = ""


class User(Named):
    team_id: str | None = None


class Action(Shape):
    action_id: str
    block_id: str = ""
    value: str | None = None
    selected_option: dict[str, Any] | None = None


class BlockActions(Shape):
    type: Literal["block_actions"]
    user: User
    team: Named | None = None
    actions: list[Action] = Field(min_length=1)
    container: dict[str, Any] = {}
    message: dict[str, Any] | None = None
    view: dict[str, Any] | None = None
    channel: Named | None = None


class ViewState(Shape):
    values: dict[str, dict[str, dict[str, Any]]] = {}


class View(Shape):
    id: str = ""
    callback_id: str = ""
    private_metadata: str = ""
    state: ViewState = ViewState()
    blocks: list[dict[str, Any]] = []
    title: dict[str, Any] | None = None


class ViewSubmission(Shape):
    type: Literal["view_submission", "view_closed"]
    user: User
    team: Named | None = None
    view: View


class Command(Shape):
    command: str
    text: str = ""
    user_id: str
    team_id: str


class Event(Shape):
    type: str
    user: str | None = None
    tab: str | None = None


class EventCallback(Shape):
    type: Literal["event_callback"]
    team_id: str = ""
    event: Event


class Other(Shape):
    type: Literal["url_verification", "app_rate_limited"]


PAYLOAD: TypeAdapter[BlockActions | ViewSubmission | EventCallback | Other] = TypeAdapter(
    Annotated[BlockActions | ViewSubmission | EventCallback | Other, Field(discriminator="type")]
)


def readable(body: str, content_type: str | None) -> bool:
    """Whether this body has the shape of what Slack sends us (an object, from JSON or a form's ``payload``, with
    the fields Bolt and the listeners read, of the right types), and Bolt can read it."""
    try:
        parsed = parse_body(body, content_type)
        if not isinstance(parsed, dict):
            return False
        if "command" in parsed:
            Command.model_validate(parsed)
        else:
            PAYLOAD.validate_python(parsed)
        build_async_context(AsyncBoltContext({}), parsed)
    except Exception:  # whatever pydantic or Bolt would raise on it: the body is not one Slack sent
        return False
    return True


async def refused(request: Request, verifier: SignatureVerifier) -> Response | None:
    """A 401 or 400 for a request that must not reach Bolt; None for one that may."""
    raw = await request.body()
    timestamp = request.headers.get("x-slack-request-timestamp", "")
    signature = request.headers.get("x-slack-signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) < 12) or not signature:
        return Response(status_code=401, content="invalid request")
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:  # Slack sends UTF-8 only
        return Response(status_code=400, content="unreadable request")
    if not verifier.is_valid(body, timestamp, signature):
        logger.info("a Slack request with a bad or stale signature was refused")
        return Response(status_code=401, content="invalid request")
    if not readable(body, request.headers.get("content-type")):
        logger.warning("a signed Slack request that could not be read was refused")
        return Response(status_code=400, content="unreadable request")
    return None


@dataclass
class SlackApp:
    bolt: AsyncApp
    handler: AsyncSlackRequestHandler
    people: SlackPeople
    socket: AsyncSocketModeHandler | None = None
    socket_task: asyncio.Task[None] | None = None

    verifier: SignatureVerifier | None = None

    async def handle(self, request: Request) -> Response:
        if request.method == "POST" and self.verifier is not None:
            answer = await refused(request, self.verifier)
            if answer is not None:
                return answer
        return await self.handler.handle(request)
