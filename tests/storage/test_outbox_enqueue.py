"""The outbox's enqueue on both databases (PostgreSQL inserts a batch from one array per column, SQLite a row list):
the same rows stored, only new keys added and returned, nothing changed by a repeat."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.runtime import Runtime
from handlers.delivery_ports import MessageKind, OutboxMessage
from handlers.reply import Reply
from storage.delivery_models import DeliveryRow
from storage.repositories.convert import aware
from storage.repositories.outbox import SqlOutbox, payload_of

SUMMER = dt.timezone(dt.timedelta(hours=1))


def message(key: str, reply: Reply, **changes: object) -> OutboxMessage:
    values: dict[str, object] = {"key": key, "programme_id": 1, "participant_id": None, "platform": "console",
                                 "address": f"{key}@council.example", "kind": MessageKind.BROADCAST, "reply": reply,
                                 "not_before": dt.datetime(2026, 6, 15, 9, 30, tzinfo=SUMMER)}  # fmt: skip
    return OutboxMessage.model_validate({**values, **changes})


async def test_enqueue_stores_each_new_key_once_with_its_values(runtime: Runtime):
    first, second = Reply(text="Please read the protocol."), Reply(text="A reminder.", ephemeral=False)
    batch = [
        message("m:1", first),
        message("m:2", second, platform="slack", address="T1:U2", respect_window=False, kind=MessageKind.NOTICE),
        message("m:3", first, participant_id=1),
    ]
    async with runtime.sessions() as session, session.begin():
        assert sorted(await SqlOutbox(session).enqueue(batch)) == ["m:1", "m:2", "m:3"]
    async with runtime.sessions() as session, session.begin():  # a repeat adds only what is new
        again = [*batch, message("m:4", second)]
        assert await SqlOutbox(session).enqueue(again) == ["m:4"]
    async with runtime.sessions() as session:
        rows = {r.key: r for r in (await session.execute(select(DeliveryRow))).scalars()}
    assert sorted(rows) == ["m:1", "m:2", "m:3", "m:4"]
    two = rows["m:2"]
    assert (two.platform, two.address, two.kind, two.respect_window) == ("slack", "T1:U2", "notice", False)
    assert (two.status, two.attempts, two.last_error, two.in_doubt) == ("pending", 0, "", False)
    assert two.payload_hash == payload_of(second)[0] and rows["m:1"].payload_hash == payload_of(first)[0]
    assert aware(two.not_before) == dt.datetime(2026, 6, 15, 8, 30, tzinfo=dt.UTC)
    assert rows["m:3"].participant_id == 1 and rows["m:1"].participant_id is None
    assert rows["m:1"].broadcast_id is None and rows["m:1"].schedule_id is None and rows["m:1"].created_at
