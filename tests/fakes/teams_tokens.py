"""Throwaway signing keys and Bot Framework tokens for offline Teams tests.

A fresh RS256 key pair is generated when this module is imported. `jwks()` publishes its public half the way
`login.botframework.com/v1/.well-known/keys` does, and `mint_token()` signs connector-to-bot tokens with the
claims the Teams SDK checks (issuer, audience, expiry, not-before and the `serviceurl` claim). Nothing here is a
secret: the key lives only in this process.

Inbound activity builders live in `tests.fakes.teams_activities` and are re-exported here for convenience.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import logging
import time
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.fakes.teams_activities import (
    FAKE_BOT_APP_ID,
    FAKE_TENANT_ID,
    conversation_update_activity,
    installation_update_activity,
    invoke_adaptive_card_action,
    message_activity,
    task_fetch,
    task_submit,
    teams_user_id,
)

logger = logging.getLogger(__name__)

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
"""`iss` of tokens the Bot Connector sends to bots (PUBLIC cloud)."""
BOT_FRAMEWORK_AUDIENCE = "https://api.botframework.com"
"""`aud` of tokens a bot sends to the Bot Connector."""
KEY_ID = "fake-botframework-key-1"
ENDORSEMENTS = ["msteams"]

__all__ = [
    "BOT_FRAMEWORK_AUDIENCE",
    "BOT_FRAMEWORK_ISSUER",
    "ENDORSEMENTS",
    "FAKE_BOT_APP_ID",
    "FAKE_TENANT_ID",
    "KEY_ID",
    "conversation_update_activity",
    "installation_update_activity",
    "invoke_adaptive_card_action",
    "jwks",
    "message_activity",
    "mint_bot_access_token",
    "mint_token",
    "rogue_private_key",
    "task_fetch",
    "task_submit",
    "teams_user_id",
]

_PRIVATE_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _self_signed_certificate(key: rsa.RSAPrivateKey) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake.login.botframework.test")])
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )


@functools.cache
def jwks() -> dict[str, Any]:
    """The JSON Web Key Set, shaped like Microsoft's (kid, x5t, x5c and `endorsements`)."""
    numbers = _PRIVATE_KEY.public_key().public_numbers()
    der = _self_signed_certificate(_PRIVATE_KEY).public_bytes(serialization.Encoding.DER)
    thumbprint = base64.urlsafe_b64encode(hashlib.sha1(der).digest()).rstrip(b"=").decode("ascii")  # noqa: S324
    key = {
        "kty": "RSA",
        "use": "sig",
        "kid": KEY_ID,
        "x5t": thumbprint,
        "n": _b64url_uint(numbers.n),
        "e": _b64url_uint(numbers.e),
        "x5c": [base64.b64encode(der).decode("ascii")],
        "endorsements": list(ENDORSEMENTS),
    }
    return {"keys": [key]}


@functools.cache
def rogue_private_key() -> rsa.RSAPrivateKey:
    """A second key that the fake never publishes: tokens signed with it must be rejected."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def mint_token(
    *,
    aud: str,
    serviceurl: str | None,
    iss: str = BOT_FRAMEWORK_ISSUER,
    exp_in: int = 3600,
    kid: str = KEY_ID,
    nbf_offset: int = -5,
    private_key: rsa.RSAPrivateKey | None = None,
    extra_claims: dict[str, Any] | None = None,
) -> str:
    """A connector-to-bot token, as the Bot Connector sends in `Authorization: Bearer …`.

    `exp_in` is seconds from now (negative for an expired token; the SDK allows 300 s of clock skew, so use
    less than -300 to be rejected). `serviceurl=None` leaves the claim out.
    """
    now = int(time.time())
    claims: dict[str, Any] = {"iss": iss, "aud": aud, "nbf": now + nbf_offset, "exp": now + exp_in}
    if serviceurl is not None:
        claims["serviceurl"] = serviceurl
    claims.update(extra_claims or {})
    key = private_key or _PRIVATE_KEY
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid, "typ": "JWT"})


def mint_bot_access_token(
    app_id: str = FAKE_BOT_APP_ID, *, tenant_id: str = "botframework.com", exp_in: int = 3600
) -> str:
    """A bot-to-connector token shaped like the one Entra issues for `https://api.botframework.com/.default`.

    The Teams SDK decodes (without verifying) whatever its `token=` callable returns, so it must be a JWT.
    """
    now = int(time.time())
    claims = {
        "aud": BOT_FRAMEWORK_AUDIENCE,
        "iss": f"https://sts.windows.net/{tenant_id}/",
        "iat": now,
        "nbf": now,
        "exp": now + exp_in,
        "appid": app_id,
        "tid": tenant_id,
        "ver": "1.0",
    }
    return jwt.encode(claims, _PRIVATE_KEY, algorithm="RS256", headers={"kid": KEY_ID, "typ": "JWT"})
