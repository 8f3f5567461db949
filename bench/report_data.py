"""Synthetic rows for the reports benchmark: reflections, check-in answers and deliveries, by bulk insert.

People and actions come from bench/synthetic.py. Everything is deterministic (a seeded generator), so two runs
build the same database.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.anonymous_models import IndicatorResponseRow, ParticipationCountRow, ReflectionRow
from storage.delivery_models import BroadcastAckRow, BroadcastRow, DeliveryPayloadRow, DeliveryRow

CYCLES = ("CI-0", "CI-3", "CI-6", "CI-9", "CI-12", "CI-18")
ITEMS = ("IND-01", "IND-02", "IND-03", "IND-04", "IND-05", "IND-06", "IND-07", "IND-08")
TOPICS: dict[str, tuple[str, ...]] = {
    "information_sharing": ("the school had noticed things we never asked about", "sharing felt risky until the "
                            "information governance lead explained the rules", "missing episodes reach the front door "
                            "the same day now"),
    "supervision_reflection": ("supervision is mostly case management with little space to think", "reflective "
                               "supervision helped me notice my own assumptions", "group reflection sessions give "
                               "time to slow down"),
    "think_family": ("adult services now ask about the children at the first appointment", "we focus on the "
                     "parent and forget the daily life of the children", "recovery workers are referring sooner"),
    "escalation_challenge": ("escalation still depends on seniority and confidence", "newer colleagues do not feel "
                             "backed to challenge another agency", "the escalation log shows disagreements resolved"),
    "leadership_culture": ("caseloads leave little room for the changes the review asks", "leaders talk about "
                           "learning rather than blame", "staff turnover means the learning has to be retold"),
    "voice_of_child": ("the young person showed us where they feel unsafe", "plans now record what a normal day is "
                       "like for the child", "we rarely hear from the younger siblings"),
    "exploitation_efh": ("mapping places and friendships changed the plan", "transport partners joined the "
                         "places meeting", "peer groups matter as much as the family home"),
    "good_practice": ("the new cross-check works well", "joint visits helped the family trust us", "the audit "
                      "found better recording of the child's words"),
}  # fmt: skip
FILLER = "week team meeting case plan review family practice partner record visit school health police".split()  # noqa: SIM905


def chunks(rows: Iterator[dict[str, Any]], size: int = 5000) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def reflection_rows(
    rng: random.Random, people: list[str], agencies: dict[str, str], count: int
) -> Iterator[dict[str, Any]]:
    topics = list(TOPICS)
    hashes = {(p, c): uuid.UUID(int=rng.getrandbits(128)).hex * 2 for p in people for c in CYCLES}
    for _ in range(count):
        person, cycle, topic = rng.choice(people), rng.choice(CYCLES), rng.choice(topics)
        other = rng.choice(topics)
        text = (
            f"{rng.choice(TOPICS[topic]).capitalize()}; {rng.choice(TOPICS[other])}, {' '.join(rng.sample(FILLER, 4))}."
        )
        yield {
            "id": uuid.UUID(int=rng.getrandbits(128)).hex,
            "programme_id": 1,
            "cycle": cycle,
            "cohort": agencies[person],
            "prompt_id": None,
            "text": text,
            "tags": sorted({topic, other}),
            "in_themes": rng.random() > 0.03,
            "contributor": hashes[(person, cycle)],
            "stored_on": dt.date(2026, 3, 2),
        }


def answer_rows(rng: random.Random, people: list[str], agencies: dict[str, str]) -> Iterator[dict[str, Any]]:
    for c, cycle in enumerate(CYCLES[:3]):
        for person in rng.sample(people, 3000):
            contributor = uuid.UUID(int=rng.getrandbits(128)).hex * 2
            for item in ITEMS:
                score = None if rng.random() < 0.05 else min(5, max(1, round(rng.gauss(2.6 + 0.5 * c, 1.0))))
                yield {
                    "id": uuid.UUID(int=rng.getrandbits(128)).hex, "programme_id": 1, "cycle": cycle,
                    "cohort": agencies[person], "item": item, "score": score, "contributor": contributor,
                    "stored_on": dt.date(2026, 3, 2),
                }  # fmt: skip


async def fill(session: AsyncSession, people: list[tuple[int, str, str]], reflections: int) -> dict[str, int]:
    """Insert reflections, check-in answers, participation counts and ten broadcasts to everyone."""
    rng = random.Random(2026)
    emails = [email for _, email, _ in people]
    agencies = {email: agency for _, email, agency in people}
    counts: dict[str, int] = {}
    for name, model, rows in (
        ("reflections", ReflectionRow, reflection_rows(rng, emails, agencies, reflections)),
        ("check-in answers", IndicatorResponseRow, answer_rows(rng, emails, agencies)),
    ):
        for batch in chunks(rows):
            await session.execute(insert(model), batch)
            counts[name] = counts.get(name, 0) + len(batch)
    taking_part = [
        {"programme_id": 1, "cycle": cycle, "cohort": agency, "kind": kind, "count": 150}
        for cycle in CYCLES[:3]
        for agency in sorted(set(agencies.values()))
        for kind in ("checkin", "reflection")
    ]
    await session.execute(insert(ParticipationCountRow), taking_part)
    counts["deliveries"] = await _broadcasts(session, rng, people)
    return counts


async def _broadcasts(session: AsyncSession, rng: random.Random, people: list[tuple[int, str, str]]) -> int:
    now = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    await session.execute(insert(DeliveryPayloadRow), [{"hash": "b" * 64, "body": {"text": "A prompt."}}])
    total = 0
    for b in range(1, 11):
        await session.execute(
            insert(BroadcastRow),
            [{"id": b, "programme_id": 1, "created_by": None, "created_by_name": "Facilitator", "audience": ["all"],
              "prompt_id": f"PR-{b:02d}", "text": "", "send_at": now, "status": "queued", "recipients": len(people),
              "created_at": now}],
        )  # fmt: skip
        rows = (
            {"key": f"b{b}:p{pid}", "programme_id": 1, "participant_id": pid, "platform": "slack",
             "address": f"T0BENCH01:U{pid:08d}", "kind": "broadcast", "broadcast_id": b, "payload_hash": "b" * 64,
             "status": rng.choices(["sent", "pending", "failed", "dead"], [90, 5, 2, 3])[0], "not_before": now,
             "created_at": now, "last_error": rng.choice(["user_not_found", "account_inactive", "rate limited"])}
            for pid, _, _ in people
        )  # fmt: skip
        for batch in chunks(rows):
            await session.execute(insert(DeliveryRow), batch)
            total += len(batch)
        acks = [{"broadcast_id": b, "participant_id": pid, "at": now} for pid, _, _ in people if rng.random() < 0.4]
        await session.execute(insert(BroadcastAckRow), acks)
    return total
