"""The notice to the safeguarding contact says when the concern was flagged and from where, never a flag id."""

from __future__ import annotations

import datetime as dt

from bot.notify import safeguarding_notice
from handlers.anonymity_ports import Flag
from tests.reports.test_builders import context


def test_the_notice_gives_the_local_time_and_route_not_the_flag_id():
    flag = Flag(
        id="7366ce76a1b2c3d4e5f60718293a4b5c",
        programme_id=1,
        participant_id=3,
        raised_at=dt.datetime(2026, 7, 22, 10, 30, tzinfo=dt.UTC),
        urgent=True,
        about_staff=False,
        choice="need_help",
        status="open",
    )
    reply = safeguarding_notice(context().programme, flag, None)
    assert "7366ce76" not in reply.text and "flag 7" not in reply.text
    assert "11:30 on Wednesday 22 July 2026 (Europe/London time)" in reply.text  # British Summer Time
    assert "from the reflection form" in reply.text
