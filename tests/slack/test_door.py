"""Attacks on the Slack door: an account is matched by e-mail only within the programmes that reach its workspace."""

from __future__ import annotations

from sqlalchemy import select

from handlers.programme_doc import ProgrammeDoc
from storage.models import PlatformIdentityRow
from storage.programme_store import store_programme
from tests.factories import make_programme_dict
from tests.slack.conftest import STRANGER_ID, TEAM, Harness

ELSEWHERE = "T0ELSE001"


async def load_programme_of_another_workspace(harness: Harness) -> None:
    """A second programme that lives in another Slack workspace; its facilitator's e-mail is also the e-mail of a
    stranger in the bot's own (home) workspace."""
    doc = make_programme_dict()
    doc["id"] = "ELSEWHERE-1"
    doc["slack_workspaces"] = [ELSEWHERE]
    doc["participants"] = [
        {"email": "stranger@council.example", "name": "Faye Elsewhere", "agency": "KBC", "roles": ["facilitator"]}
    ]
    doc["actions"] = []
    async with harness.runtime.sessions() as session, session.begin():
        await store_programme(session, ProgrammeDoc.model_validate(doc), harness.runtime.clock.now(), "Europe/London")


async def test_an_email_match_never_reaches_a_programme_of_another_workspace(harness: Harness):
    await load_programme_of_another_workspace(harness)

    response = await harness.command("/aftercare whoami", user=STRANGER_ID)

    assert response.json()["text"].startswith("You're not in an Aftercare programme yet")
    async with harness.runtime.sessions() as session:
        found = set((await session.execute(select(PlatformIdentityRow.workspace, PlatformIdentityRow.user_id))).all())
    assert (TEAM, STRANGER_ID) not in found
