"""`aftercare check`: configuration and connectivity against the local fakes, one line per problem, exit 0 when well."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.cli_check import all_problems
from bot.settings import Settings as AllSettings
from bot.settings import SlackSettings, TeamsSettings
from storage.migrate import upgrade_async
from tests.conftest import fresh_postgres
from tests.fakes.slack_api import FakeSlackApi, running_slack_api
from tests.fakes.slack_world import DEFAULT_BOT_TOKEN
from tests.teams.test_msal_tokens import LOGIN, FakeLogin

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlackApi]:
    with running_slack_api() as fake:
        yield fake


def settings(tmp_path: Path, **values: Any) -> AllSettings:
    chosen: dict[str, Any] = {"database_url": f"sqlite:///{tmp_path / 'c.db'}", "reports_dir": tmp_path / "r"}
    return AllSettings(**(chosen | values))


async def test_all_is_well_with_slack_and_teams_answering(slack: FakeSlackApi, tmp_path: Path):
    await upgrade_async(f"sqlite:///{tmp_path / 'c.db'}")
    chosen = settings(
        tmp_path,
        slack=SlackSettings(signing_secret="s", bot_token=DEFAULT_BOT_TOKEN, api_url=slack.base_url),
        teams=TeamsSettings(client_id="app", client_secret="t", tenant_id="tenant-a", login_url=LOGIN),
    )
    assert await all_problems(chosen, teams_http_client=FakeLogin()) == []


async def test_each_problem_is_one_line(slack: FakeSlackApi, tmp_path: Path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the reports folder should be")
    chosen = settings(
        tmp_path,
        database_url="postgresql://postgres@127.0.0.1:1/nothing-listens-here",
        reports_dir=blocked,
        slack=SlackSettings(signing_secret="s", bot_token="xoxb-never-issued", api_url=slack.base_url),
        teams=TeamsSettings(client_id="app", client_secret="wrong-secret", tenant_id="tenant-a", login_url=LOGIN),
    )
    found = await all_problems(chosen, teams_http_client=FakeLogin(refuse=True))
    assert len(found) == 5, found
    assert all("\n" not in line for line in found)
    assert any(line.startswith("PostgreSQL needs AFTERCARE_ANONYMITY_SECRET") for line in found)
    assert any("reports folder" in line for line in found)
    assert any(line.startswith("The database does not answer") for line in found)
    assert any(line.startswith("Slack refused the bot token (auth.test): invalid_auth") for line in found)
    assert any("invalid_client" in line for line in found)
    assert not any("wrong-secret" in line or "xoxb-never-issued" in line for line in found)


async def test_incomplete_platform_settings_are_named(tmp_path: Path):
    chosen = settings(tmp_path, slack=SlackSettings(signing_secret="s"), teams=TeamsSettings(client_id="app"))
    found = await all_problems(chosen)
    assert "Slack needs SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth." in found
    assert "Teams needs TEAMS_CLIENT_SECRET, TEAMS_CERTIFICATE_PATH or TEAMS_MANAGED_IDENTITY=true." in found


@pytest.fixture
def empty_postgres(postgres_base: str) -> Iterator[str]:
    yield from fresh_postgres(postgres_base)


@pytest.mark.postgres
async def test_a_database_behind_the_code_is_named_with_the_fix(empty_postgres: str, tmp_path: Path):
    postgres_url = empty_postgres
    chosen = settings(tmp_path, database_url=postgres_url, anonymity_secret="x")
    await upgrade_async(postgres_url, "0005")
    assert await all_problems(chosen) == [
        "The database schema is older than this version of Aftercare; run 'aftercare db upgrade' first."
    ]
    await upgrade_async(postgres_url)
    assert await all_problems(chosen) == []


def run_check(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        capture_output=True, text=True, cwd=cwd, timeout=120,
    )  # fmt: skip


def test_the_command_exits_0_when_well_and_1_with_a_line_per_problem(tmp_path: Path):
    well = run_check({"AFTERCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}, tmp_path)
    assert well.returncode == 0, well.stdout + well.stderr
    assert well.stdout.startswith("All is well")
    wrong = run_check({"AFTERCARE_LOG_FORMAT": "xml", "AFTERCARE_TIMEZONE": "Nowhere/Here"}, tmp_path)
    assert wrong.returncode == 1
    assert len(wrong.stdout.strip().splitlines()) == 2
    assert "Traceback" not in wrong.stderr
