"""The Teams SDK App, mounted on Aftercare's FastAPI app at POST /api/messages (bot/server.py calls `mount_teams`).

Settings come from bot/settings.py (TEAMS_*), passed to the SDK explicitly: `client_id`, our msal `token=` callable
(never the secret: with it the SDK would use its own msal client), `cloud` with TEAMS_OPENID_METADATA_URL for the
inbound signing keys, and `dangerously_allow_unauthenticated_requests` always given, so the SDK's own environment
variable can never switch validation off. Validation is on unless AFTERCARE_TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED
is set (local development only; a warning is logged at start-up and never otherwise).

Other AFTERCARE_TEAMS_* settings (bot/settings.py TeamsOptions): TENANTS (comma-separated tenant ids allowed
to use the bot; by default only TEAMS_TENANT_ID), ALLOW_ALL_TENANTS (set to exactly ``dangerously-allow`` to let
every tenant where the app is installed reach the bot; logged loudly at start-up) and SERVICE_URL (where to open a
chat in a tenant not seen yet). An activity from a tenant not allowed is refused before anything is stored or any
handler runs.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from microsoft_teams.api import TokenCredentials
from microsoft_teams.api.activities import ConversationUpdateActivity, MessageActivity
from microsoft_teams.api.activities.install_update import InstalledActivity, UninstalledActivity
from microsoft_teams.api.activities.invoke import AdaptiveCardInvokeActivity, TaskFetchInvokeActivity
from microsoft_teams.api.activities.invoke.file_consent import FileConsentInvokeActivity
from microsoft_teams.api.activities.invoke.task import TaskSubmitInvokeActivity
from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
from microsoft_teams.api.auth.credentials import TokenProvider
from microsoft_teams.common.experimental import ExperimentalWarning

from bot.compose import conversation_refs
from bot.runtime import Runtime
from bot.settings import ALLOW_ALL_TENANTS, GLOBAL_SERVICE_URL, Settings, TeamsOptions, TeamsSettings
from bot.teams import dialogs, render
from bot.teams.auth import ManagedIdentityTokenProvider, MsalTokenProvider, client_credential
from bot.teams.channel import TeamsChannel
from bot.teams.dialogs import DialogInvokes
from bot.teams.edge import Connector, Door, Route, guard_messages, route
from bot.teams.files import FileOffers, FileUploads
from bot.teams.inbound import Turn
from bot.teams.listeners import NO_PERSON, Listeners, People
from handlers.delivery_ports import ConversationRefs

with warnings.catch_warnings():  # 2.1.1 warns at import time about a preview feature we do not use
    warnings.simplefilter("ignore", ExperimentalWarning)
    from microsoft_teams.apps import App, FastAPIAdapter

logger = logging.getLogger(__name__)

MESSAGING_ENDPOINT = "/api/messages"


@dataclass(frozen=True)
class TeamsBot:
    app: App
    connector: Connector
    refs: ConversationRefs
    people: People
    files: FileUploads
    fallback_service_url: str = GLOBAL_SERVICE_URL

    def channel(self) -> TeamsChannel:
        """The delivery channel for proactive messages, sharing this bot's connection and references."""
        return TeamsChannel(
            self.connector, self.refs, fallback_service_url=self.fallback_service_url, offers=self.files.offers
        )


def token_provider(teams: TeamsSettings) -> MsalTokenProvider | ManagedIdentityTokenProvider:
    if teams.client_id is None:
        raise RuntimeError("Teams needs TEAMS_CLIENT_ID.")
    if teams.managed_identity:
        return ManagedIdentityTokenProvider(teams.client_id)
    return MsalTokenProvider(
        teams.client_id,
        client_credential(teams),
        login_url=teams.login_url,
        default_tenant=teams.tenant_id,
        verify=teams.ca_bundle or True,
    )


def build_app(
    teams: TeamsSettings, api: FastAPI, token: TokenProvider, *, service_url: str, dangerously: bool = False
) -> App:
    """The SDK App on `api`, configured only from what is passed here (checked: not from the environment)."""
    app = App(
        client_id=teams.client_id,
        tenant_id=teams.tenant_id,
        token=token,
        cloud=with_overrides(PUBLIC, openid_metadata_url=teams.openid_metadata_url),
        service_url=service_url,
        http_server_adapter=FastAPIAdapter(app=api),
        messaging_endpoint=MESSAGING_ENDPOINT,
        dangerously_allow_unauthenticated_requests=dangerously,
        state=False,
    )
    credentials = app.credentials
    if not isinstance(credentials, TokenCredentials) or credentials.tenant_id != teams.tenant_id:
        raise RuntimeError(
            "The environment sets CLIENT_SECRET, TENANT_ID or MANAGED_IDENTITY_CLIENT_ID, which the Teams SDK would "
            "use instead of the TEAMS_* settings; please unset them."
        )
    return app


def allowed_tenants(options: TeamsOptions, settings: TeamsSettings) -> frozenset[str] | None:
    allowed = options.allowed_tenants(settings.tenant_id)
    if allowed is None:
        logger.warning(
            "EVERY Microsoft 365 tenant where the app is installed may use this bot "
            "(AFTERCARE_TEAMS_ALLOW_ALL_TENANTS=%s); people are still matched only in programmes listing their tenant",
            ALLOW_ALL_TENANTS,
        )
    elif not allowed:
        logger.warning("no Teams tenant is allowed: set TEAMS_TENANT_ID or AFTERCARE_TEAMS_TENANTS")
    return allowed


class RefusalsAreWarnings(logging.Filter):
    """The SDK logs a token it refused at ERROR: a request we turned away (401) is a warning, not a fault of ours,
    and anyone on the internet can cause one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.ERROR:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def refusals_as_warnings() -> None:
    found = logging.getLogger("microsoft_teams.apps.auth.token_validator")
    if not any(isinstance(f, RefusalsAreWarnings) for f in found.filters):
        found.addFilter(RefusalsAreWarnings())


def quiet_sdk_logs() -> None:
    """The SDK logs whole activities (what people typed) at DEBUG: keep its loggers at INFO or above."""
    floor = max(logging.INFO, logging.getLogger().getEffectiveLevel())
    for name in ("microsoft_teams", "httpx", "msal"):
        logging.getLogger(name).setLevel(floor)


def routes(listeners: Listeners, dialog_invokes: DialogInvokes) -> tuple[Route, ...]:
    """The one table of what each kind of activity runs (bot/teams/edge.py admits it first), and what one that was
    not admitted is answered."""

    def nothing() -> None:
        return None

    return (
        Route(MessageActivity, listeners.on_message, nothing),
        Route((InstalledActivity, UninstalledActivity), listeners.on_installation, nothing),
        Route(ConversationUpdateActivity, listeners.on_conversation_update, nothing),
        Route(AdaptiveCardInvokeActivity, listeners.on_card_action, lambda: render.toast_response(NO_PERSON)),
        Route(TaskFetchInvokeActivity, dialog_invokes.on_open, lambda: dialogs.message_response(NO_PERSON)),
        Route(TaskSubmitInvokeActivity, dialog_invokes.on_submit, lambda: dialogs.message_response(NO_PERSON)),
        Route(FileConsentInvokeActivity, listeners.on_file_consent, lambda: {"status": 200}),
    )


def build_teams(
    settings: TeamsSettings,
    runtime: Runtime,
    api: FastAPI,
    *,
    token: TokenProvider | None = None,
    options: TeamsOptions | None = None,
    reports_folder: Path = Path("aftercare-reports"),
) -> TeamsBot:
    """Everything Teams needs, wired; call `await bot.app.initialize()` before serving."""
    chosen = options or TeamsOptions.model_construct()
    refusals_as_warnings()
    if chosen.dangerously_allow_unauthenticated:
        logger.warning("Teams tokens are NOT validated (AFTERCARE_TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED): dev only")
    app = build_app(
        settings,
        api,
        token or token_provider(settings),
        service_url=chosen.service_url,
        dangerously=chosen.dangerously_allow_unauthenticated,
    )
    guard_messages(api, app, MESSAGING_ENDPOINT, require_token=not chosen.dangerously_allow_unauthenticated)
    connector = Connector(app.api, app.id or "")
    refs = conversation_refs(runtime)

    async def emails(turn: Turn) -> list[str]:
        return await connector.member_emails(turn.service_url, turn.conversation_id, turn.aad_object_id, turn.tenant_id)

    door = Door(allowed_tenants(chosen, settings))
    people = People(runtime, emails, door)
    files = FileUploads(connector, FileOffers(runtime.forms), people.may_receive_reports, reports_folder)
    route(app.router, routes(Listeners(people, connector, refs, files), DialogInvokes(people)), door, connector)
    return TeamsBot(
        app=app, connector=connector, refs=refs, people=people, files=files, fallback_service_url=chosen.service_url
    )


async def close_teams(bot: TeamsBot) -> None:
    """Close the SDK's HTTP connections (inbound turns use the App's client, our sends the API client's)."""
    await bot.app.http_client.http.aclose()
    await bot.connector.close()
    await bot.files.close()


async def mount_teams(settings: Settings, runtime: Runtime, api: FastAPI) -> None:
    """Start-up hook for bot/server.py: POST /api/messages on the same FastAPI app as Slack and the health checks."""
    quiet_sdk_logs()
    bot = build_teams(settings.teams, runtime, api, options=settings.teams_options, reports_folder=settings.reports_dir)
    await bot.app.initialize()
    api.state.teams = bot
    logger.info("Teams bot mounted at %s", MESSAGING_ENDPOINT)
