"""`aftercare check` (CONTRACT §6): configuration and connectivity, one line per problem, exit 0 when all is well.

It checks what `serve` and `worker` will need: that the settings are complete for what is switched on, that the
prompt library loads, that the reports folder can be written, that the database answers and is at this code's
schema, that Slack accepts the bot token (``auth.test``) and that Microsoft's login service gives the Teams bot a
token. Nothing is changed anywhere. A line never shows a secret.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from typing import Any

from bot.cli_support import command
from bot.prompt_files import LibraryError, library_folder, load_library
from bot.settings import Settings
from storage.db import create_engine, is_sqlite
from storage.migrate import schema_problem

TEAMS_SCOPE = "https://api.botframework.com/.default"
TIMEOUT = 15.0


def add_parsers(sub: Any) -> None:
    sub.add_parser("check", help="check the configuration and connections; one line per problem")


def configuration_problems(settings: Settings) -> list[str]:
    problems: list[str] = []
    slack, teams = settings.slack, settings.teams
    if slack.enabled and slack.bot_token is None and not (slack.client_id and slack.client_secret):
        problems.append("Slack needs SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth.")
    if teams.enabled and teams.client_secret is None and teams.certificate_path is None and not teams.managed_identity:
        problems.append("Teams needs TEAMS_CLIENT_SECRET, TEAMS_CERTIFICATE_PATH or TEAMS_MANAGED_IDENTITY=true.")
    if teams.certificate_path is not None and not teams.certificate_path.is_file():
        problems.append("TEAMS_CERTIFICATE_PATH names a file that does not exist.")
    secret = settings.anonymity_secret is not None or settings.anonymity_key_path is not None
    if not is_sqlite(settings.database_url) and not secret:
        problems.append("PostgreSQL needs AFTERCARE_ANONYMITY_SECRET or AFTERCARE_ANONYMITY_KEY_PATH.")
    try:
        load_library(library_folder(settings.prompts_dir))
    except LibraryError as error:
        problems += [f"Prompt library: {problem}" for problem in error.problems]
    problems += _writable(settings)
    return problems


def _writable(settings: Settings) -> list[str]:
    folder = settings.reports_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return [f"The reports folder {folder} (AFTERCARE_REPORTS_DIR) cannot be written to."]
    return []


async def database_problems(settings: Settings) -> list[str]:
    engine = create_engine(settings.database_url, pooled=False)
    try:
        problem = await asyncio.wait_for(schema_problem(engine), TIMEOUT)
    except Exception as error:
        cause = str(getattr(error, "orig", None) or error).strip().splitlines()
        return [f"The database does not answer: {cause[0][:200] if cause else type(error).__name__}."]
    finally:
        await engine.dispose()
    if problem and is_sqlite(settings.database_url) and "newer" not in problem:
        return []  # every command migrates the embedded SQLite database itself
    return [problem] if problem else []


async def slack_problems(settings: Settings) -> list[str]:
    slack = settings.slack
    if not slack.enabled or slack.bot_token is None:
        return []
    from slack_sdk.errors import SlackApiError

    from bot.slack.wiring import web_client

    client = web_client(slack, slack.bot_token.get_secret_value(), interactive=False)
    try:
        await asyncio.wait_for(client.auth_test(), TIMEOUT)
    except SlackApiError as error:
        return [f"Slack refused the bot token (auth.test): {error.response.get('error', 'unknown error')}."]
    except Exception as error:
        return [f"Slack could not be reached at {slack.api_url}: {type(error).__name__}."]
    return []


async def teams_problems(settings: Settings, http_client: Any = None) -> list[str]:
    teams = settings.teams
    has_credential = teams.client_secret is not None or teams.certificate_path is not None or teams.managed_identity
    if not teams.enabled or not has_credential:
        return []  # already said by configuration_problems
    from bot.teams.auth import ManagedIdentityTokenProvider, MsalTokenProvider, TokenError, client_credential

    provider: MsalTokenProvider | ManagedIdentityTokenProvider
    try:
        if teams.managed_identity:
            provider = ManagedIdentityTokenProvider(teams.client_id or "", http_client=http_client)
        else:
            provider = MsalTokenProvider(
                teams.client_id or "",
                client_credential(teams),
                login_url=teams.login_url,
                default_tenant=teams.tenant_id,
                http_client=http_client,
                verify=teams.ca_bundle or True,
            )
        await asyncio.wait_for(provider(TEAMS_SCOPE), TIMEOUT)
    except TokenError as error:
        return [str(error)]
    except Exception as error:
        return [f"No Teams token from {teams.login_url}: {type(error).__name__}."]
    return []


async def all_problems(settings: Settings, *, teams_http_client: Any = None) -> list[str]:
    problems = configuration_problems(settings)
    problems += await database_problems(settings)
    problems += await slack_problems(settings)
    problems += await teams_problems(settings, teams_http_client)
    return problems


@command("check")
def check(_args: argparse.Namespace, settings: Settings) -> int:
    problems = asyncio.run(all_problems(settings))
    for problem in problems:
        print(problem)
    if problems:
        return 1
    switched_on = ["Slack"] * settings.slack.enabled + ["Teams"] * settings.teams.enabled
    print(f"All is well: configuration, database{''.join(', ' + name for name in switched_on)}.")
    return 0
