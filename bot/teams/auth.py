"""Outbound tokens for the Bot Connector, from msal, handed to the Teams SDK as its `token=` callable.

The SDK's own msal client cannot be pointed at another authority (it always runs Microsoft's instance discovery),
so the SDK gets `client_id` and this callable instead of the secret (shared DESIGN.md §1). The authority is
``f"{TEAMS_LOGIN_URL}/{tenant}"`` with instance discovery off; TLS verification honours ``REQUESTS_CA_BUNDLE`` or
``SSL_CERT_FILE``. Tokens are cached in memory until shortly before they expire. Tokens are never logged.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import msal

logger = logging.getLogger(__name__)

REFRESH_MARGIN = 300.0  # seconds before expiry when a cached token is replaced
DEFAULT_TENANT = "botframework.com"  # the SDK's default for a multi-tenant bot (PUBLIC cloud)


class TokenError(RuntimeError):
    """msal could not get a token; the message names the error code, never the secret."""


def ca_bundle() -> str | bool:
    """What requests should verify TLS against: a CA bundle named in the environment, or the default."""
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE") or True


class MsalTokenProvider:
    """`(scope, tenant_id) -> Awaitable[str]`, one msal ConfidentialClientApplication per tenant."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        login_url: str = "https://login.microsoftonline.com",
        default_tenant: str | None = None,
        http_client: Any = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client_id = client_id
        self._secret = client_secret
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
                    client_credential=self._secret,
                    authority=self.authority(tenant),
                    instance_discovery=False,
                    verify=ca_bundle(),
                    **options,
                )
                self._apps[tenant] = app
            return app
