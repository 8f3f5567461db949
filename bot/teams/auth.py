"""Outbound tokens for the Bot Connector, from msal, handed to the Teams SDK as its `token=` callable.

The SDK's own msal client cannot be pointed at another authority (it always runs Microsoft's instance discovery),
so the SDK gets `client_id` and this callable instead of the secret (shared DESIGN.md §1). The authority is
``f"{TEAMS_LOGIN_URL}/{tenant}"`` with instance discovery off; TLS verification honours ``REQUESTS_CA_BUNDLE`` or
``SSL_CERT_FILE`` (read into the settings). Tokens are cached in memory until shortly before they expire. Tokens are
never logged.

The app proves who it is with its client secret or with a certificate (an msal client assertion): see
``client_credential``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import msal

from bot.settings import TeamsSettings

logger = logging.getLogger(__name__)

REFRESH_MARGIN = 300.0  # seconds before expiry when a cached token is replaced
DEFAULT_TENANT = "botframework.com"  # the SDK's default for a multi-tenant bot (PUBLIC cloud)


class TokenError(RuntimeError):
    """msal could not get a token; the message names the error code, never the secret."""


PEM_KEY = re.compile(r"-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----.+?-----END [A-Z ]*PRIVATE KEY-----", re.S)
PEM_CERT = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def client_credential(teams: TeamsSettings) -> str | dict[str, Any]:
    """msal's client credential: a certificate when TEAMS_CERTIFICATE_PATH is set, otherwise the client secret.

    A ``.pfx``/``.p12`` file is given to msal as it is (it reads the SHA-256 thumbprint from it). A PEM file holds
    the private key and either the certificate (its SHA-256 thumbprint is computed) or, with
    TEAMS_CERTIFICATE_THUMBPRINT, just the key (SHA-1 thumbprint, as the Azure portal shows it).
    """
    if teams.certificate_path is None:
        if teams.client_secret is None:
            raise TokenError("Teams needs TEAMS_CLIENT_SECRET, TEAMS_CERTIFICATE_PATH or TEAMS_MANAGED_IDENTITY=true.")
        return teams.client_secret.get_secret_value()
    path = teams.certificate_path
    credential: dict[str, Any]
    if path.suffix.lower() in (".pfx", ".p12"):
        credential = {"private_key_pfx_path": str(path), "public_certificate": True}
    else:
        try:
            pem = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            raise TokenError("TEAMS_CERTIFICATE_PATH names a file that cannot be read.") from None
        key, certificate = PEM_KEY.search(pem), PEM_CERT.search(pem)
        if key is None:
            raise TokenError("The file at TEAMS_CERTIFICATE_PATH holds no PEM private key.")
        credential = {"private_key": key.group(0)}
        if teams.certificate_thumbprint:
            credential["thumbprint"] = teams.certificate_thumbprint
        elif certificate is not None:
            credential["public_certificate"] = certificate.group(0)
        else:
            raise TokenError("Please put the certificate in the PEM file too, or set TEAMS_CERTIFICATE_THUMBPRINT.")
    if teams.certificate_password is not None:
        credential["passphrase"] = teams.certificate_password.get_secret_value()
    return credential


class MsalTokenProvider:
    """`(scope, tenant_id) -> Awaitable[str]`, one msal ConfidentialClientApplication per tenant."""

    def __init__(
        self,
        client_id: str,
        credential: str | dict[str, Any],
        *,
        login_url: str = "https://login.microsoftonline.com",
        default_tenant: str | None = None,
        http_client: Any = None,
        clock: Callable[[], float] = time.time,
        verify: str | bool = True,
    ) -> None:
        self.client_id = client_id
        self._credential = credential
        self._verify = verify
        self.login_url = login_url.rstrip("/")
        self.default_tenant = default_tenant or DEFAULT_TENANT
        self._http_client = http_client
        self._clock = clock
        self._apps: dict[str, msal.ConfidentialClientApplication] = {}
        self._cache: dict[tuple[str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def authority(self, tenant: str) -> str:
        return f"{self.login_url}/{tenant}"

    async def __call__(self, scope: str | list[str], tenant_id: str | None = None) -> str:
        scopes = [scope] if isinstance(scope, str) else list(scope)
        tenant = tenant_id or self.default_tenant
        key = (" ".join(scopes), tenant)
        cached = self._cache.get(key)
        if cached is not None and cached[1] - REFRESH_MARGIN > self._clock():
            return cached[0]
        return await asyncio.to_thread(self._acquire, scopes, tenant, key)

    def _acquire(self, scopes: list[str], tenant: str, key: tuple[str, str]) -> str:
        result: dict[str, Any] = self._app(tenant).acquire_token_for_client(scopes=scopes)
        token = result.get("access_token")
        if not isinstance(token, str):
            code = result.get("error") or "no access token"
            logger.error("could not get a Bot Connector token for tenant %s: %s", tenant, code)
            raise TokenError(f"Could not get a Teams token for tenant {tenant}: {code}.")
        expires_in = float(result.get("expires_in") or 3600)
        self._cache[key] = (token, self._clock() + expires_in)
        return token

    def _app(self, tenant: str) -> msal.ConfidentialClientApplication:
        with self._lock:
            app = self._apps.get(tenant)
            if app is None:
                options: dict[str, Any] = {"http_client": self._http_client} if self._http_client else {}
                app = msal.ConfidentialClientApplication(
                    self.client_id,
                    client_credential=self._credential,
                    authority=self.authority(tenant),
                    instance_discovery=False,
                    verify=self._verify,
                    **options,
                )
                self._apps[tenant] = app
            return app


class ManagedIdentityTokenProvider:
    """Tokens from the Azure managed identity of the host (TEAMS_MANAGED_IDENTITY=true): the bot's Entra app is a
    user-assigned managed identity whose client id is TEAMS_CLIENT_ID, so there is no secret or certificate at all.

    msal finds the identity endpoint itself (App Service and Container Apps set IDENTITY_ENDPOINT; a VM answers at
    the instance metadata address). Tokens are cached until shortly before they expire.
    """

    def __init__(self, client_id: str, *, http_client: Any = None, clock: Callable[[], float] = time.time) -> None:
        if http_client is None:
            import requests  # msal's own dependency

            http_client = requests.Session()
        identity = msal.UserAssignedManagedIdentity(client_id=client_id)
        self._client = msal.ManagedIdentityClient(identity, http_client=http_client)
        self._clock = clock
        self._cache: dict[str, tuple[str, float]] = {}

    async def __call__(self, scope: str | list[str], tenant_id: str | None = None) -> str:
        first = scope if isinstance(scope, str) else scope[0]
        resource = first.removesuffix("/.default")
        cached = self._cache.get(resource)
        if cached is not None and cached[1] - REFRESH_MARGIN > self._clock():
            return cached[0]
        result: dict[str, Any] = await asyncio.to_thread(self._client.acquire_token_for_client, resource=resource)
        token = result.get("access_token")
        if not isinstance(token, str):
            code = result.get("error") or "no access token"
            logger.error("could not get a Bot Connector token from the managed identity: %s", code)
            raise TokenError(f"Could not get a Teams token from the managed identity: {code}.")
        self._cache[resource] = (token, self._clock() + float(result.get("expires_in") or 3600))
        return token
