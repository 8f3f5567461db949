"""The intruder's toolkit: a scripted programme with skewed cohorts, and ways to read everything it left behind.

The test programme (tests/factories.py) is skewed on purpose: agency KBC has seven people but only one lead (a role
of one), the police agency KPOL has two people in one team (a team of two), so its people share the combined cohort.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from bot.runtime import Runtime
from handlers import prompting
from handlers.reply import Reply
from handlers.requests import ButtonPress
from storage.schema import metadata
from tests.factories import FACILITATOR, LEAD, MANAGER, OTHER_MANAGER, OWNER, PRACTITIONER

OFFICER = "officer@police.example"
PEOPLE = (OWNER, MANAGER, PRACTITIONER, OTHER_MANAGER, OFFICER, LEAD, FACILITATOR)
REFLECTORS = (OWNER, MANAGER, PRACTITIONER, OFFICER, FACILITATOR)  # LEAD answers a lead-only prompt below
LEAD_PROMPT = "PR-07"  # audience: lead; KBC has exactly one lead
CHECKIN = {"IND-01": "4", "IND-02": "2"}


def words(n: int) -> str:
    return f"Reflection number {n}: joint supervision helped us test assumptions about the family plan."


async def press(runtime: Runtime, email: str, action: str, value: str) -> Reply:
    return await runtime.as_email(email, None, ButtonPress(action_id=action, value=value))


async def reflect(runtime: Runtime, email: str, text: str, prompt: str = "") -> Reply:
    opened = (
        await press(runtime, email, prompting.REFLECT_BUTTON, prompt)
        if prompt
        else await runtime.say(email, "/reflect")
    )
    assert opened.form is not None, opened.text
    return await runtime.submit_form(email, opened.form, {"text": text, "tags": "escalation_challenge"})


async def check_in(runtime: Runtime, email: str, answers: dict[str, str] | None = None) -> Reply:
    opened = await runtime.say(email, "/checkin")
    assert opened.form is not None, opened.text
    return await runtime.submit_form(email, opened.form, answers or CHECKIN)


async def scripted_programme(runtime: Runtime) -> None:
    """Everybody reads the statement; most reflect and check in; the lone lead answers the lead-only prompt."""
    for email in PEOPLE:
        assert (await runtime.say(email, "/aftercare privacy accept")).ok
    for n, email in enumerate(REFLECTORS):
        assert (await reflect(runtime, email, words(n))).ok
        assert (await check_in(runtime, email)).ok
    assert (await reflect(runtime, LEAD, words(99), prompt=LEAD_PROMPT)).ok
    assert (await check_in(runtime, OWNER, {"IND-01": "5", "IND-02": "1"})).ok  # a changed answer


async def table_rows(runtime: Runtime, name: str) -> list[dict[str, object]]:
    async with runtime.sessions() as session:
        result = await session.execute(select(metadata.tables[name]))
        return [dict(row._mapping) for row in result]


async def dump(runtime: Runtime) -> str:
    """Every value in every table, as text."""
    values: list[str] = []
    for name in metadata.tables:
        values += [str(v) for row in await table_rows(runtime, name) for v in row.values()]
    return "\n".join(values)


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Rank correlation of two sequences without ties (1: same order, -1: reversed, about 0: unrelated)."""
    n = len(xs)
    rank_x = {v: i for i, v in enumerate(sorted(xs))}
    rank_y = {v: i for i, v in enumerate(sorted(ys))}
    d2 = sum((rank_x[x] - rank_y[y]) ** 2 for x, y in zip(xs, ys, strict=True))
    return 1 - 6 * d2 / (n * (n * n - 1))
