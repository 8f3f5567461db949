"""How many SQL statements the commonest commands send through the console's door (issue 11: `/actions CODE` at
most 4, a status change at most 5). Counts, not timings: bench/commands.py measures the time."""

from __future__ import annotations

from bot.runtime import Runtime
from tests.factories import MANAGER, OWNER
from tests.storage.test_held_programmes import statements


async def test_an_action_card_takes_at_most_four_statements(runtime: Runtime):
    with statements(runtime) as sent:
        reply = await runtime.say(MANAGER, "/actions A09")  # has a dependency, and is not the manager's own
    assert reply.ok and "A07" in reply.text and "Owner" in reply.text
    assert len(sent) <= 4, sent


async def test_a_status_change_takes_at_most_five_statements(runtime: Runtime):
    with statements(runtime) as sent:
        reply = await runtime.say(OWNER, "/actions A09 on track Met the panel")  # warns about A07, unfinished
    assert reply.ok and "depends on A07" in reply.text, reply.text
    assert len(sent) <= 5, sent
