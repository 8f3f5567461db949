"""Peer learning: opt-in, across agencies, no repeats, visible only to the people paired."""

from __future__ import annotations

import datetime as dt

from bot.clock import SimulatedClock
from bot.runtime import Runtime
from handlers.model import Participant
from handlers.peers import form_groups, pairs_in
from handlers.schedules import ScheduleKind, ScheduleSpec
from tests.delivery.helpers import add_schedule, deliveries, firer, reply_of
from tests.factories import LEAD, MANAGER, OTHER_MANAGER, OWNER, PRACTITIONER


def people(agencies: str) -> list[Participant]:
    return [
        Participant(id=i, programme_id=1, email=f"p{i}@x.example", name=f"P{i}", agency=agency)
        for i, agency in enumerate(agencies, start=1)
    ]


def test_groups_cross_agencies_and_take_in_the_odd_one_out():
    everyone = people("AABBC")
    groups = form_groups(everyone, set(), seed="2026-06-17")
    assert sorted(len(g) for g in groups) == [2, 3]
    agency = {p.id: p.agency for p in everyone}
    for group in groups:
        assert len({agency[i] for i in group}) == len(group)


def test_rounds_avoid_repeats_until_there_is_no_one_new():
    everyone = people("AABB")
    met: set[frozenset[int]] = set()
    for round_no in range(2):
        groups = form_groups(everyone, met, seed=f"r{round_no}")
        assert len(groups) == 2
        assert not pairs_in(groups) & met
        met |= pairs_in(groups)
    assert form_groups(everyone, met, seed="r3") == []  # every cross-agency pair has met


def test_nobody_from_another_agency_means_no_group():
    assert form_groups(people("AAA"), set(), seed="x") == []


async def test_only_opted_in_people_are_introduced_and_only_to_each_other(delivery: Runtime,
                                                                        clock: SimulatedClock):  # fmt: skip
    for email in (OWNER, PRACTITIONER, OTHER_MANAGER, MANAGER):
        assert (await delivery.say(email, "/aftercare peers on")).ok
    assert (await delivery.say(MANAGER, "/aftercare peers off")).ok
    sid = await add_schedule(delivery, ScheduleSpec(key="peers", kind=ScheduleKind.PEERS, rule="weekly on MO at 10:00"))
    assert await firer(delivery).fire(sid) == 3  # OWNER, PRACTITIONER (KBC) and OTHER_MANAGER (KPOL): a trio
    rows = await deliveries(delivery)
    texts = [(await reply_of(delivery, row)).text for row in rows]
    assert all("Oscar Manager" in t or "Olu Owner" in t for t in texts)
    assert not any("Mina Manager" in t or "Lee Lead" in t for t in texts)
    assert await firer(delivery).fire(sid) == 0  # the round is formed once
    clock.advance(dt.timedelta(days=7))
    assert await firer(delivery).fire(sid) == 0  # everyone has met the only person from another agency
    assert LEAD  # the lead never opted in


def test_trios_when_asked():
    groups = form_groups(people("ABCABC"), set(), size=3, seed="t")
    assert sorted(len(g) for g in groups) == [3, 3]
