"""The App Home through app_home_opened, per role, within Slack's limits; event retries never applied twice."""

from __future__ import annotations

import asyncio
from typing import Any

from handlers.home import HOME_PAGE, HOME_REFRESH
from handlers.programme_doc import ProgrammeDoc
from handlers.schedule_messages import CHECKIN_BUTTON
from storage.programme_store import store_programme
from storage.slack_models import SlackSeenRow
from tests.factories import OWNER, make_programme_dict
from tests.fakes.slack_api import Call
from tests.fakes.slack_limits import view_errors
from tests.slack.conftest import (
    FACILITATOR_ID,
    OTHER_TEAM,
    OWNER_ID,
    SPOOF_ID,
    STRANGER_ID,
    WORKER_ID,
    Harness,
    eventually,
    fixture,
)
from tests.slack.payloads import home_press, sent_view
from tests.slack.test_commands import identities


def home_opened(user: str, event_id: str = "Ev0PV52K21") -> dict[str, Any]:
    body = fixture("app_home_opened")
    body["event"]["user"] = user
    body["event_id"] = event_id
    return body


async def published(harness: Harness, user: str, count: int = 1) -> dict[str, Any]:
    def calls_for_user() -> list[Call]:
        return [c for c in harness.slack.calls_to("views.publish") if c.params["user_id"] == user]

    await eventually(lambda: len(calls_for_user()) >= count)
    calls = calls_for_user()
    assert len(calls) == count and calls[-1].ok
    view = sent_view(calls[-1])
    assert view_errors(view, "home") == []
    answered: dict[str, Any] = calls[-1].params
    return {**view, "id": answered.get("view_id", "V0HOME0001")}


def text_of(view: dict[str, Any]) -> str:
    return str(view["blocks"])


async def settle() -> None:
    """Let Bolt's listener tasks, which run after the HTTP answer, finish."""
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    await asyncio.wait_for(asyncio.gather(*others, return_exceptions=True), timeout=5)


async def test_the_owner_sees_their_actions_and_the_programmes_progress(harness: Harness):
    response = await harness.event(home_opened(OWNER_ID))

    assert response.status_code == 200
    view = await published(harness, OWNER_ID)
    assert "Your open actions (2)" in text_of(view)
    assert "A07" in text_of(view) and "A09" in text_of(view)
    assert "Programme progress" in text_of(view)
    assert "Delivery, last 7 days" not in text_of(view)


async def test_a_facilitator_also_sees_overdue_actions_and_delivery(harness: Harness):
    await harness.event(home_opened(FACILITATOR_ID))

    view = await published(harness, FACILITATOR_ID)
    assert "Overdue (2)" in text_of(view)  # A01, due 29 May, and A09, due 1 June
    assert "Delivery, last 7 days" in text_of(view)


async def test_someone_not_in_the_programme_is_told_so(harness: Harness):
    await harness.event(home_opened(STRANGER_ID))

    view = await published(harness, STRANGER_ID)
    assert "not in an Aftercare programme yet" in text_of(view)


async def test_an_event_retry_is_not_applied_twice(harness: Harness):
    await harness.event(home_opened(WORKER_ID))
    await published(harness, WORKER_ID)

    retry = await harness.event(
        home_opened(WORKER_ID), **{"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"}
    )
    await settle()

    assert retry.status_code == 200
    await published(harness, WORKER_ID, count=1)
    assert await harness.count(SlackSeenRow) == 1


async def test_a_new_event_for_the_same_person_is_applied(harness: Harness):
    await harness.event(home_opened(WORKER_ID, "Ev0000000001"))
    await published(harness, WORKER_ID)
    await harness.event(home_opened(WORKER_ID, "Ev0000000002"))

    await published(harness, WORKER_ID, count=2)


async def test_check_in_on_the_home_opens_the_form(harness: Harness):
    await harness.event(home_opened(OWNER_ID))
    view = await published(harness, OWNER_ID)

    await harness.interact(home_press(harness.slack, view, CHECKIN_BUTTON))

    opened = await eventually(lambda: harness.slack.calls_to("views.open"))
    assert opened[0].ok


async def test_a_long_list_of_actions_is_paged(harness: Harness):
    plan = make_programme_dict()
    plan["actions"] += [
        {"id": f"A{n}", "rec": "R1", "title": f"Extra {n}", "owner": OWNER, "agency": "KBC", "status": "on_track"}
        for n in range(20, 43)
    ]
    async with harness.runtime.sessions() as session, session.begin():
        await store_programme(session, ProgrammeDoc.model_validate(plan), harness.runtime.clock.now(), "Europe/London")
    await harness.event(home_opened(OWNER_ID))
    first = await published(harness, OWNER_ID)
    assert "Your open actions (25)" in text_of(first) and "Page 1 of 3" in text_of(first)

    await harness.interact(home_press(harness.slack, first, HOME_PAGE, "2"))

    second = await published(harness, OWNER_ID, count=2)
    assert "Page 2 of 3" in text_of(second)
    assert [e["text"]["text"] for b in second["blocks"] if b["type"] == "actions" for e in b["elements"]][-2:] == [
        "Previous",
        "Next",
    ]


async def test_someone_of_another_workspace_with_an_owners_email_sees_nothing_of_the_programme(harness: Harness):
    body = home_opened(SPOOF_ID)
    body["team_id"] = OTHER_TEAM

    await harness.event(body)

    # What the bot asked Slack to publish (the fake then refuses it: the single workspace's token cannot reach
    # another workspace's user, and nothing of the programme was in it anyway).
    calls = await eventually(
        lambda: [c for c in harness.slack.calls_to("views.publish") if c.params["user_id"] == SPOOF_ID]
    )
    view = sent_view(calls[0])
    assert "not in an Aftercare programme yet" in text_of(view)
    for secret in ("A07", "Your open actions", "Programme progress", "Testshire", "Delivery"):
        assert secret not in text_of(view)
    assert (OTHER_TEAM, SPOOF_ID) not in await identities(harness)


async def test_delivery_figures_are_for_facilitators_only(harness: Harness):
    await harness.event(home_opened(WORKER_ID))
    await harness.event(home_opened(FACILITATOR_ID, "Ev0000000003"))

    practitioner, facilitator = await published(harness, WORKER_ID), await published(harness, FACILITATOR_ID)
    assert "Sent 0 · waiting 0" in text_of(facilitator)
    assert "Sent " not in text_of(practitioner) and "Delivery" not in text_of(practitioner)


async def test_refresh_on_the_home_publishes_it_again_through_the_pipeline(harness: Harness):
    await harness.event(home_opened(OWNER_ID))
    view = await published(harness, OWNER_ID)
    await harness.runtime.say(OWNER, "/actions A07 complete Audit done")  # changed elsewhere since it was shown

    await harness.interact(home_press(harness.slack, view, HOME_REFRESH, "1"))

    again = await published(harness, OWNER_ID, count=2)
    assert "Your open actions (1)" in text_of(again)
