"""Outbound tokens: msal against TEAMS_LOGIN_URL/TENANT, no instance discovery, cached, secrets never logged."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.settings import TeamsSettings
from bot.teams.auth import MsalTokenProvider, TokenError
from bot.teams.wiring import token_provider
from tests.fakes.teams_tokens import mint_bot_access_token

LOGIN = "https://login.fake.test"
SECRET = "a-client-secret-that-must-not-be-logged"


@dataclass
class Answer:
    status_code: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})

    @property
    def text(self) -> str:
        return json.dumps(self.body)

    def json(self) -> dict[str, Any]:
        return self.body

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}")


@dataclass
class FakeLogin:
    """A requests-like client answering msal's two calls: OpenID metadata and the token endpoint."""

    refuse: bool = False
    calls: list[tuple[str, str]] = field(default_factory=list)

    def get(self, url: str, **_kw: Any) -> Answer:
        self.calls.append(("GET", url))
        tenant = url.removeprefix(LOGIN + "/").split("/")[0]
        return Answer(200, {
            "token_endpoint": f"{LOGIN}/{tenant}/oauth2/v2.0/token",
            "authorization_endpoint": f"{LOGIN}/{tenant}/oauth2/v2.0/authorize",
            "issuer": f"{LOGIN}/{tenant}/v2.0",
        })  # fmt: skip

    def post(self, url: str, data: Any = None, **_kw: Any) -> Answer:
        self.calls.append(("POST", url))
        if self.refuse:
            return Answer(401, {"error": "invalid_client", "error_description": "AADSTS7000215: bad secret"})
        return Answer(200, {"token_type": "Bearer", "expires_in": 3599, "access_token": mint_bot_access_token()})

    def close(self) -> None:
        return None


async def test_a_token_comes_from_the_configured_login_url_and_is_cached():
    login = FakeLogin()
    provider = MsalTokenProvider("app-id", SECRET, login_url=LOGIN + "/", http_client=login)
    first = await provider("https://api.botframework.com/.default", "tenant-a")
    second = await provider("https://api.botframework.com/.default", "tenant-a")
    assert first == second
    assert first.count(".") == 2  # a JWT, as the SDK expects
    assert [method for method, _ in login.calls] == ["GET", "POST"]
    assert all(url.startswith(f"{LOGIN}/tenant-a/") for _, url in login.calls)
    assert not any("microsoftonline" in url or "instance" in url for _, url in login.calls)


async def test_each_tenant_has_its_own_authority_and_the_default_is_the_bot_framework_tenant():
    login = FakeLogin()
    provider = MsalTokenProvider("app-id", SECRET, login_url=LOGIN, http_client=login)
    await provider("https://api.botframework.com/.default", None)
    await provider(["https://api.botframework.com/.default"], "tenant-b")
    posts = [url for method, url in login.calls if method == "POST"]
    assert posts == [f"{LOGIN}/botframework.com/oauth2/v2.0/token", f"{LOGIN}/tenant-b/oauth2/v2.0/token"]


async def test_a_refused_secret_is_an_error_that_names_the_code_not_the_secret(caplog: pytest.LogCaptureFixture):
    provider = MsalTokenProvider("app-id", SECRET, login_url=LOGIN, http_client=FakeLogin(refuse=True))
    with pytest.raises(TokenError, match="invalid_client") as caught:
        await provider("https://api.botframework.com/.default", "tenant-a")
    assert SECRET not in str(caught.value)
    assert SECRET not in caplog.text


def test_settings_give_the_provider_the_login_url_and_tenant():
    settings = TeamsSettings(client_id="app", client_secret=SECRET, tenant_id="tenant-z", login_url="https://l.test")
    provider = token_provider(settings)
    assert isinstance(provider, MsalTokenProvider)
    assert provider.authority(provider.default_tenant) == "https://l.test/tenant-z"
    with pytest.raises(RuntimeError, match="TEAMS_CLIENT_SECRET"):
        token_provider(TeamsSettings(client_id="app"))
