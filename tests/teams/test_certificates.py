"""Teams credentials by certificate: msal signs a client assertion with the key; no secret is sent.

Checked as Entra would: the assertion posted to the token endpoint is a JWT signed by the certificate's key, for
this app, naming the certificate by its thumbprint; a PEM with its certificate, a PEM key with a SHA-1 thumbprint,
and a password-protected .pfx all work.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from bot.settings import TeamsSettings
from bot.teams.auth import ManagedIdentityTokenProvider, MsalTokenProvider, TokenError, client_credential
from bot.teams.wiring import token_provider
from tests.teams.test_msal_tokens import LOGIN, Answer, FakeLogin

SCOPE = "https://api.botframework.com/.default"


@dataclass
class AssertionLogin(FakeLogin):
    posted: list[dict[str, Any]] = field(default_factory=list)

    def post(self, url: str, data: Any = None, **kw: Any) -> Answer:
        self.posted.append({k: v[0] for k, v in parse_qs(data).items()} if isinstance(data, str) else dict(data))
        return super().post(url, data, **kw)


@pytest.fixture(scope="module")
def certificate() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "aftercare-bot")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    return key, cert


def pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


async def assertion_from(settings: TeamsSettings) -> tuple[dict[str, Any], dict[str, Any], str]:
    login = AssertionLogin()
    provider = MsalTokenProvider("app-id", client_credential(settings), login_url=LOGIN, http_client=login)
    await provider(SCOPE, "tenant-a")
    posted = login.posted[-1]
    assert "client_secret" not in posted
    assert posted["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    token = posted["client_assertion"]
    return jwt.get_unverified_header(token), posted, token


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


def same(header: str, expected: str) -> bool:
    """msal pads its x5t values; base64url with or without padding names the same bytes."""
    return header.rstrip("=") == expected.rstrip("=")


async def test_a_pem_holding_key_and_certificate_signs_with_sha256_thumbprint(certificate, tmp_path: Path):
    key, cert = certificate
    path = tmp_path / "bot.pem"
    path.write_bytes(pem_key(key) + cert.public_bytes(serialization.Encoding.PEM))
    header, _posted, token = await assertion_from(TeamsSettings(client_id="app-id", certificate_path=path))
    assert header["alg"] == "PS256"
    assert same(header["x5t#S256"], b64(cert.fingerprint(hashes.SHA256())))
    claims = jwt.decode(token, cert.public_key(), algorithms=["PS256"], audience=f"{LOGIN}/tenant-a/oauth2/v2.0/token")
    assert claims["iss"] == claims["sub"] == "app-id"


async def test_a_pem_key_with_the_portal_thumbprint_signs_with_sha1(certificate, tmp_path: Path):
    key, cert = certificate
    path = tmp_path / "bot-key.pem"
    path.write_bytes(pem_key(key))
    thumbprint = cert.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303 (what the Azure portal shows)
    settings = TeamsSettings(client_id="app-id", certificate_path=path, certificate_thumbprint=thumbprint)
    header, _posted, token = await assertion_from(settings)
    assert header["alg"] == "RS256"
    assert same(header["x5t"], b64(bytes.fromhex(thumbprint)))
    jwt.decode(token, cert.public_key(), algorithms=["RS256"], options={"verify_aud": False})


async def test_a_password_protected_pfx_works(certificate, tmp_path: Path):
    key, cert = certificate
    path = tmp_path / "bot.pfx"
    encryption = serialization.BestAvailableEncryption(b"pfx-password")
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"bot", key, cert, None, encryption))
    settings = TeamsSettings(client_id="app-id", certificate_path=path, certificate_password="pfx-password")
    header, _posted, token = await assertion_from(settings)
    assert same(header["x5t#S256"], b64(cert.fingerprint(hashes.SHA256())))
    jwt.decode(token, cert.public_key(), algorithms=["PS256"], options={"verify_aud": False})


def test_a_key_without_certificate_or_thumbprint_is_refused_in_one_line(certificate, tmp_path: Path):
    path = tmp_path / "key-only.pem"
    path.write_bytes(pem_key(certificate[0]))
    with pytest.raises(TokenError, match="TEAMS_CERTIFICATE_THUMBPRINT"):
        client_credential(TeamsSettings(client_id="app-id", certificate_path=path))


def test_the_certificate_wins_over_a_secret_and_the_secret_is_never_sent(certificate, tmp_path: Path):
    key, cert = certificate
    path = tmp_path / "bot.pem"
    path.write_bytes(pem_key(key) + cert.public_bytes(serialization.Encoding.PEM))
    credential = client_credential(TeamsSettings(client_id="a", client_secret="old-secret", certificate_path=path))
    assert isinstance(credential, dict) and "old-secret" not in str(credential)
    assert hashlib.sha256(str(credential).encode()).hexdigest()  # a credential, not a secret string


@dataclass
class FakeIdentityEndpoint:
    """The Azure instance metadata service's token endpoint, as msal calls it through its http client."""

    refuse: bool = False
    calls: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)

    def get(self, url: str, params: Any = None, headers: Any = None, **_kw: Any) -> Answer:
        self.calls.append((url, dict(params or {}), dict(headers or {})))
        if self.refuse:
            return Answer(400, {"error": "invalid_request", "error_description": "Identity not found"})
        return Answer(200, {"access_token": "mi-token", "expires_in": "3599", "resource": params["resource"]})

    def post(self, *_a: Any, **_kw: Any) -> Answer:
        raise AssertionError("a managed identity never posts a secret")

    def close(self) -> None:
        return None


@pytest.fixture
def on_a_vm(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "IDENTITY_SERVER_THUMBPRINT"):
        monkeypatch.delenv(name, raising=False)


async def test_a_managed_identity_gets_bot_framework_tokens_without_any_secret(on_a_vm: None):
    endpoint = FakeIdentityEndpoint()
    provider = ManagedIdentityTokenProvider("mi-client-id", http_client=endpoint)
    assert await provider(SCOPE, "tenant-a") == "mi-token"
    assert await provider(SCOPE, "tenant-a") == "mi-token"  # cached
    assert len(endpoint.calls) == 1
    url, params, headers = endpoint.calls[0]
    assert url.endswith("/metadata/identity/oauth2/token")
    assert params["resource"] == "https://api.botframework.com"
    assert params["client_id"] == "mi-client-id"
    assert headers["Metadata"] == "true"


async def test_a_refused_managed_identity_is_a_one_line_error(on_a_vm: None):
    provider = ManagedIdentityTokenProvider("mi-client-id", http_client=FakeIdentityEndpoint(refuse=True))
    with pytest.raises(TokenError, match="invalid_request"):
        await provider(SCOPE, "tenant-a")


def test_the_setting_chooses_the_managed_identity():
    chosen = token_provider(TeamsSettings(client_id="mi-client-id", managed_identity=True))
    assert isinstance(chosen, ManagedIdentityTokenProvider)
