"""Attack: join the reflection pool to the check-in pool on a shared value, so one re-identified reflection gives
away that person's scores (and the other way round)."""

from __future__ import annotations

from bot.runtime import Runtime
from tests.anonymity.conftest import REFLECTORS, scripted_programme, table_rows

GROUP_COLUMNS = {"programme_id", "cycle", "cohort", "stored_on"}  # the coarse group both pools are counted by


async def test_no_value_is_shared_between_reflections_and_answers(runtime: Runtime):
    await scripted_programme(runtime)
    reflections = await table_rows(runtime, "reflections")
    answers = await table_rows(runtime, "indicator_responses")
    left = {str(v) for row in reflections for key, v in row.items() if key not in GROUP_COLUMNS}
    right = {str(v) for row in answers for key, v in row.items() if key not in GROUP_COLUMNS | {"score", "item"}}
    assert left & right == set()


async def test_distinct_people_are_still_counted_within_each_pool(runtime: Runtime):
    await scripted_programme(runtime)
    reflections = await table_rows(runtime, "reflections")
    answers = await table_rows(runtime, "indicator_responses")
    assert len({row["contributor"] for row in reflections}) == len(REFLECTORS) + 1  # and the lead
    assert len({row["contributor"] for row in answers}) == len(REFLECTORS)
    assert len(answers) == 2 * len(REFLECTORS)  # the owner's second check-in replaced the first
