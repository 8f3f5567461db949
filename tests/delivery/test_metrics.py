"""GET /metrics: Prometheus text that parses, served with no platform configured, whose counters move when a
broadcast is delivered; the worker's own port; request ids and JSON logs that carry no e-mail and no text."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.clock import SimulatedClock
from bot.console_channel import ConsoleChannel
from bot.delivery import Dispatcher
from bot.holiday_calendar import HolidaysCalendar
from bot.logs import JsonFormatter, Redact, configure_logging
from bot.metrics_server import start_metrics_server
from bot.runtime import Runtime
from bot.server import create_app
from bot.settings import Settings
from tests.delivery.helpers import deliveries
from tests.factories import FACILITATOR


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def total(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in found.items() if n == name and set(labels.items()) <= set(ls))


async def scrape(client: httpx.AsyncClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


async def test_metrics_parse_and_move_during_a_broadcast(
    sqlite_delivery: Runtime, sqlite_url: str, clock: SimulatedClock
):
    app = create_app(Settings(database_url=sqlite_url), sqlite_delivery)  # neither Slack nor Teams
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        before = await scrape(client)
        assert total(before, "aftercare_outbox_messages", state="pending") == 0
        assert (await sqlite_delivery.say(FACILITATOR, '/broadcast all "Please read the brief"')).ok
        assert (await sqlite_delivery.say(FACILITATOR, "/broadcast confirm B1")).ok
        queued = await scrape(client)
        assert total(queued, "aftercare_outbox_messages", state="pending") == 9
        assert total(queued, "aftercare_outbox_oldest_due_seconds") >= 0
        channel = ConsoleChannel(clock, show=None)
        rows = await deliveries(sqlite_delivery)
        channel.refuse[rows[0].address] = "user_not_found"
        channels = {"slack": channel, "teams": channel, "console": channel}
        dispatcher = Dispatcher(sqlite_delivery.sessions, channels, calendar=HolidaysCalendar(), clock=clock)
        assert await dispatcher.drain() == 8
        await client.post("/api/messages", json={})  # Teams is not configured here: 404, but timed all the same
        after = await scrape(client)
    sent = total(after, "aftercare_deliveries_total", outcome="sent") - total(
        before, "aftercare_deliveries_total", outcome="sent"
    )
    assert sent == 8
    dead = total(after, "aftercare_dead_letters_total", reason="user_not_found")
    assert dead - total(before, "aftercare_dead_letters_total", reason="user_not_found") == 1
    assert total(after, "aftercare_outbox_messages", state="sent") == 8
    assert total(after, "aftercare_outbox_messages", state="dead") == 1
    assert total(after, "aftercare_outbox_messages", state="pending") == 0
    assert total(after, "aftercare_command_duration_seconds_count", platform="teams") >= 1
    for _name, labels in after:
        assert "@" not in "".join(v for _, v in labels), "no address or person in a label"


async def test_the_worker_serves_metrics_on_its_own_port(sqlite_delivery: Runtime):
    server = await start_metrics_server(sqlite_delivery.sessions, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            metrics = await client.get("/metrics")
            health = await client.get("/healthz")
            missing = await client.get("/nothing")
    finally:
        server.close()
        await server.wait_closed()
    assert metrics.status_code == 200
    assert total(samples(metrics.text), "aftercare_outbox_messages", state="sent") == 0
    assert health.status_code == 200
    assert missing.status_code == 404


async def test_requests_carry_an_id_into_the_logs_and_the_answer(
    sqlite_delivery: Runtime, sqlite_url: str, caplog: pytest.LogCaptureFixture
):
    app = create_app(Settings(database_url=sqlite_url), sqlite_delivery)
    seen: list[str] = []

    @app.get("/probe")
    async def probe() -> dict[str, str]:
        logging.getLogger("bot.test").warning("looked up sam.jones@council.example")
        return {"ok": "yes"}

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(JsonFormatter().format(record))

    keep = Keep()
    keep.addFilter(Redact())
    logging.getLogger("bot.test").addHandler(keep)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            given = await client.get("/probe", headers={"X-Request-ID": "abc-123"})
            fresh = await client.get("/probe")
            hostile = await client.get("/probe", headers={"X-Request-ID": "bad id; with spaces"})
    finally:
        logging.getLogger("bot.test").removeHandler(keep)
    assert given.headers["x-request-id"] == "abc-123"
    assert fresh.headers["x-request-id"] and fresh.headers["x-request-id"] != "abc-123"
    assert " " not in hostile.headers["x-request-id"]
    entries = [json.loads(line) for line in seen]
    assert [e["request_id"] for e in entries] == [
        "abc-123",
        fresh.headers["x-request-id"],
        hostile.headers["x-request-id"],
    ]
    assert all("@" not in e["message"] and "[email]" in e["message"] for e in entries)


def test_json_logs_are_one_object_a_line_without_exception_messages(capsys: pytest.CaptureFixture[str]):
    configure_logging(Settings(log_format="json", log_level="INFO"))
    try:
        try:
            raise ValueError("I am worried about the child at 12 Acacia Road")
        except ValueError:
            logging.getLogger("bot.test").exception("saving a reflection failed for jo@agency.example")
    finally:
        configure_logging(Settings())
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["level"] == "ERROR" and entry["exception"]["type"] == "ValueError"
    assert "Acacia" not in lines[0] and "jo@agency.example" not in lines[0]
    assert set(entry) == {"time", "level", "logger", "message", "request_id", "exception"}


def test_the_access_log_is_off_unless_asked_for():
    configure_logging(Settings())
    assert logging.getLogger("uvicorn.access").disabled
    configure_logging(Settings(access_log=True))
    assert not logging.getLogger("uvicorn.access").disabled
    configure_logging(Settings())
