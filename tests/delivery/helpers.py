"""Small helpers shared by the delivery tests."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from sqlalchemy import select

from bot.clock import SystemClock
from bot.console_channel import ConsoleChannel
from bot.firing import Firer
from bot.prompt_files import default_folder, load_library
from bot.runtime import Runtime
from handlers.library import Library
from handlers.reply import Reply
from handlers.schedules import ScheduleSpec
from storage.delivery_models import DeliveryPayloadRow, DeliveryRow
from storage.repositories import SqlProgrammeRepository
from storage.repositories import schedules as stored
from tests.factories import make_programme_dict


def load_test_library() -> Library:
    return load_library(default_folder())


async def deliveries(runtime: Runtime) -> list[DeliveryRow]:
    async with runtime.sessions() as session:
        return list((await session.execute(select(DeliveryRow).order_by(DeliveryRow.id))).scalars())


async def add_schedule(runtime: Runtime, spec: ScheduleSpec) -> int:
    """Store one schedule for the test programme and return its id."""
    async with runtime.sessions() as session, session.begin():
        programme = (await SqlProgrammeRepository(session).all())[0]
        await stored.sync_schedules(session, programme.id, [spec], runtime.clock.now())
        found = await stored.schedule_by_key(session, programme.id, spec.key)
    assert found is not None
    return found.id


def firer(runtime: Runtime) -> Firer:
    return Firer(runtime.sessions, runtime.clock, runtime.library)


async def reply_of(runtime: Runtime, row: DeliveryRow) -> Reply:
    async with runtime.sessions() as session:
        payload = await session.get(DeliveryPayloadRow, row.payload_hash)
    assert payload is not None
    return Reply.model_validate(payload.body)


def make_channel(_settings: object) -> ConsoleChannel:
    """Stands in for bot.slack.delivery.make_channel in worker tests."""
    return ConsoleChannel(SystemClock(), show=None, platform="slack")


def write_programme(path: Path) -> Path:
    """The test programme as a programme file, for the CLI."""
    payload = {"programme": json.loads(json.dumps(make_programme_dict(), default=str))}
    path.write_text(yaml.safe_dump(payload, sort_keys=False), encoding="utf-8")
    return path
