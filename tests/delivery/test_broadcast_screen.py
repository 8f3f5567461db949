"""Attack (issue 13): a broadcast's own text is screened like every other free text before it is kept or sent."""

from __future__ import annotations

from sqlalchemy import select

from bot.runtime import Runtime
from storage.delivery_models import BroadcastRow
from tests.factories import FACILITATOR


async def test_a_broadcast_never_keeps_a_childs_name_or_address(delivery: Runtime):
    reply = await delivery.say(
        FACILITATOR, '/broadcast all "Please think of Jayden Carter at 14 Mill Lane, KM4 7QT, by Friday"'
    )
    assert reply.ok, reply.text
    async with delivery.sessions() as session:
        texts = list((await session.execute(select(BroadcastRow.text))).scalars())
    assert texts == ["Please think of [name] at [address], [postcode], by Friday"]


async def test_a_broadcast_too_long_is_refused_kindly_and_nothing_is_kept(delivery: Runtime):
    reply = await delivery.say(FACILITATOR, '/broadcast all "' + "word " * 500 + '"')
    assert not reply.ok
    assert "Please keep a broadcast to 2,000 characters" in reply.text
    async with delivery.sessions() as session:
        assert list((await session.execute(select(BroadcastRow.text))).scalars()) == []
