"""Erasure leaves no trace of the person anywhere (a full dump grep), and every retention field takes effect."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.importing import ImportProblems
from bot.importing.yaml_reader import read_programme
from bot.runtime import Runtime
from storage.retention import daily_anonymity_job, erase_participant, erase_then_compact
from tests.anonymity.conftest import check_in, dump, scripted_programme, table_rows
from tests.factories import FACILITATOR, MANAGER, OWNER, PRACTITIONER, make_programme_dict

NEW_OWNER = PRACTITIONER


async def owner_changes(runtime: Runtime) -> None:
    """The owner's email ends up in an owner-change update and in an audit entry's detail."""
    assert (await runtime.say(FACILITATOR, f"/actions A07 owner {NEW_OWNER}")).ok
    assert (await runtime.say(FACILITATOR, f"/actions A07 owner {OWNER}")).ok
    assert (await runtime.say(MANAGER, f"/actions A07 note spoke to {OWNER} about the plan")).ok


def raw_files(url: str) -> bytes:
    path = Path(make_url(url).database or "")
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def pg_dump(url: str) -> str:
    parsed = make_url(url)
    command = ["pg_dump", "-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432), "-U",
               parsed.username or "postgres", "--data-only", parsed.database or ""]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


async def test_erase_leaves_no_trace_in_a_full_dump(runtime: Runtime):
    await scripted_programme(runtime)
    await owner_changes(runtime)
    assert OWNER in await dump(runtime)  # the attack finds the email before erasure
    await erase_then_compact(runtime.engine, OWNER, runtime.secret)
    everything = await dump(runtime)
    assert OWNER not in everything.lower()
    assert "Olu Owner" not in everything
    if runtime.database_url.startswith("sqlite"):
        await runtime.engine.dispose()
        assert OWNER.encode() not in raw_files(runtime.database_url).lower()
    else:
        assert OWNER not in (await asyncio.to_thread(pg_dump, runtime.database_url)).lower()


async def test_erase_keeps_the_history_with_a_neutral_placeholder(runtime: Runtime):
    await owner_changes(runtime)
    async with runtime.sessions() as session, session.begin():
        assert await erase_participant(session, OWNER) == 1
    updates = await table_rows(runtime, "action_updates")
    owner_rows = [u for u in updates if u["kind"] == "owner"]
    assert owner_rows and all("former participant" in f"{u['old']} {u['new']}" for u in owner_rows)
    notes = [u["note"] for u in updates if u["kind"] == "note"]
    assert notes and all("former participant" in str(n) for n in notes)


async def test_raw_check_in_answers_go_after_pulse_raw_days_and_the_totals_stay(runtime: Runtime):
    """Attack: a set of raw answers, one row per person and item, kept forever, is a profile of each person."""
    await scripted_programme(runtime)
    async with runtime.sessions() as session:
        from storage.repositories.reports import SqlReportData

        programme = (await runtime.programmes())[0]
        before = sorted(map(repr, await SqlReportData(session).score_counts(programme.id)))
    later = runtime.clock.now().date() + dt.timedelta(days=200)  # past 90 days (the default)
    await daily_anonymity_job(runtime.engine, later)
    assert await table_rows(runtime, "indicator_responses") == []
    async with runtime.sessions() as session:
        after = sorted(map(repr, await SqlReportData(session).score_counts(programme.id)))
    assert after == before


async def test_a_new_check_in_after_the_raw_answers_went_still_counts(runtime: Runtime):
    await runtime.say(PRACTITIONER, "/aftercare privacy accept")
    assert (await check_in(runtime, PRACTITIONER)).ok
    await daily_anonymity_job(runtime.engine, runtime.clock.now().date() + dt.timedelta(days=200))
    assert (await check_in(runtime, PRACTITIONER)).ok
    assert len(await table_rows(runtime, "indicator_responses")) == 2


def test_an_unknown_retention_field_is_an_import_error(tmp_path: Path):
    import yaml

    programme = make_programme_dict()
    programme["governance"]["retention"] = {"raw_reflection_days": 90, "pulse_raw_dayz": 30}
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump({"programme": programme}), encoding="utf-8")
    with pytest.raises(ImportProblems) as problems:
        read_programme(path)
    assert "pulse_raw_dayz" in str(problems.value)
