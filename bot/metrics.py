"""Prometheus metrics (CONTRACT §6): ``GET /metrics`` on ``aftercare serve`` and on ``aftercare worker --metrics-port``.

Counters move as this process works (deliveries, failures by reason, 429s, dead letters, request latency); gauges
that describe the whole deployment (outbox depth by state, the oldest message still waiting, who leads the
scheduler) are read from the database at each scrape, so every replica reports the same figures for them. Labels
are bounded: a platform, an outcome, or a short reason code; never an address, a person or a message.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Awaitable, Callable

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.logs import REQUEST_ID, new_request_id
from handlers.delivery_ports import DeliveryStatus
from storage.repositories.health import outbox_health
from storage.repositories.outbox import Outcome

logger = logging.getLogger(__name__)

OUTBOX = Gauge("aftercare_outbox_messages", "Messages in the outbox, by state.", ["state"])
OLDEST = Gauge("aftercare_outbox_oldest_due_seconds", "Age of the oldest message that is due and not yet sent.")
DELIVERIES = Counter("aftercare_deliveries", "Delivery attempts by this process, by outcome.", ["platform", "outcome"])
FAILURES = Counter("aftercare_delivery_failures", "Failed sends that will be tried again.", ["platform", "reason"])
RATE_LIMITED = Counter("aftercare_rate_limited", "Answers of 429 (rate limited) from a platform.", ["platform"])
DEAD = Counter("aftercare_dead_letters", "Messages given up on (dead letters), by reason.", ["platform", "reason"])
LEADER = Gauge("aftercare_scheduler_leader", "1 for the replica that holds the scheduler lock.", ["holder"])
LEADER_SEEN = Gauge("aftercare_scheduler_leader_seen_seconds", "Seconds since the scheduler leader's last heartbeat.")
LEADING = Gauge("aftercare_scheduler_leading", "1 while this process leads the scheduler.")
COMMANDS = Histogram(
    "aftercare_command_duration_seconds",
    "Time to answer a request from Slack or Teams (commands, buttons, forms).",
    ["platform"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
CHAT_PATHS = {"/slack/events": "slack", "/api/messages": "teams"}
REASON_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def reason_code(reason: str) -> str:
    """A bounded label for a free-text reason: a platform's error code as it is, otherwise a short category."""
    text = reason.removeprefix("rate limited: ").strip()
    if REASON_CODE.match(text):
        return text
    for prefix, code in (
        ("gave up after", "gave_up"),
        ("no answer within", "timeout"),
        ("unexpected error", "unexpected_error"),
        ("no working window", "no_working_window"),
        ("no Slack or Teams account", "no_account"),
    ):
        if text.startswith(prefix):
            return code
    return "other"


def count_outcome(platform: str, outcome: Outcome) -> None:
    """Called by the dispatcher for each outcome it has written."""
    if outcome.status is DeliveryStatus.SENT:
        DELIVERIES.labels(platform, "sent").inc()
    elif outcome.status is DeliveryStatus.DEAD:
        DELIVERIES.labels(platform, "dead").inc()
        DEAD.labels(platform, reason_code(outcome.last_error)).inc()
    elif outcome.status is DeliveryStatus.FAILED and outcome.last_error.startswith("rate limited"):
        DELIVERIES.labels(platform, "rate_limited").inc()
        RATE_LIMITED.labels(platform).inc()
    elif outcome.status is DeliveryStatus.FAILED:
        DELIVERIES.labels(platform, "failed").inc()
        FAILURES.labels(platform, reason_code(outcome.last_error)).inc()
    else:
        DELIVERIES.labels(platform, "deferred").inc()


async def refresh(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Read the deployment-wide gauges from the database (a failure leaves the last figures and is logged)."""
    now = dt.datetime.now(dt.UTC)
    try:
        async with sessions() as session:
            health = await outbox_health(session, now)
    except Exception as error:
        logger.warning("metrics: could not read the outbox: %s", type(error).__name__)
        return
    for state, count in health.by_state.items():
        OUTBOX.labels(state).set(count)
    OLDEST.set((now - health.oldest_due).total_seconds() if health.oldest_due else 0.0)
    LEADER.clear()
    if health.leader is not None:
        LEADER.labels(health.leader).set(1)
    LEADER_SEEN.set((now - health.leader_seen).total_seconds() if health.leader_seen else 0.0)


def metrics_endpoint(sessions: async_sessionmaker[AsyncSession]) -> Callable[[Request], Awaitable[Response]]:
    async def metrics(_request: Request) -> Response:
        await refresh(sessions)
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return metrics


class RequestContext:
    """ASGI middleware: a request id for every HTTP request (X-Request-ID, in the logs and the answer), and the
    latency of chat requests in ``aftercare_command_duration_seconds``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = new_request_id(given)
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            platform = CHAT_PATHS.get(scope.get("path", ""))
            if platform is not None:
                COMMANDS.labels(platform).observe(time.perf_counter() - started)
            REQUEST_ID.reset(token)
