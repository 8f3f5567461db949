"""The HTTP side of the fake Slack Web API: a Starlette app, served by uvicorn in a background thread.

Routes (all on one loopback port):
- ``GET|POST /api/<method>``: the Web API; form, JSON and query-string arguments are merged.
- ``POST|PUT /upload/v1/<file_id>``: the upload URL that files.getUploadURLExternal hands out.
- ``POST /actions/<team>/<n>/<secret>``: response_url endpoints from `FakeSlackApi.new_response_url()`.
- ``GET /oauth/v2/authorize``: issues a code and redirects to ``redirect_uri`` as Slack's consent screen would.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

logger = logging.getLogger(__name__)

JSON_TYPE = "application/json; charset=utf-8"


class SlackBackend(Protocol):
    """What the HTTP layer needs from `FakeSlackApi`."""

    def handle(
        self, method: str, params: dict[str, Any], token: str | None, credentials: tuple[str, str] | None
    ) -> tuple[int, dict[str, Any], dict[str, str]]: ...

    def handle_upload(self, file_id: str, data: bytes) -> tuple[int, str]: ...

    def handle_download(self, name: str, token: str | None) -> tuple[int, bytes]: ...

    def handle_response_url(self, path: str, body: bytes) -> tuple[int, dict[str, Any]]: ...

    def handle_authorize(self, query: dict[str, str]) -> tuple[int, str]: ...


def build_app(backend: SlackBackend) -> Starlette:
    async def api(request: Request) -> Response:
        body = await request.body()
        params: dict[str, Any] = dict(request.query_params)
        try:
            params.update(_decode_body(request.headers.get("content-type", ""), body))
        except ValueError:
            return _json(200, {"ok": False, "error": "invalid_json"}, {})
        token, credentials = _authorization(request.headers.get("authorization"), params)
        status, answer, headers = backend.handle(request.path_params["method"], params, token, credentials)
        return _json(status, answer, headers)

    async def upload(request: Request) -> Response:
        status, text = backend.handle_upload(request.path_params["file_id"], await request.body())
        return PlainTextResponse(text, status_code=status)

    async def download(request: Request) -> Response:
        header = request.headers.get("authorization") or ""
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None
        status, data = backend.handle_download(request.path_params["name"], token)
        return Response(data, status_code=status, media_type="application/octet-stream")

    async def response_url(request: Request) -> Response:
        status, answer = backend.handle_response_url(request.url.path, await request.body())
        return _json(status, answer, {})

    async def authorize(request: Request) -> Response:
        status, location = backend.handle_authorize(dict(request.query_params))
        if status != 302:
            return PlainTextResponse(location, status_code=status)
        return RedirectResponse(location, status_code=302)

    return Starlette(
        routes=[
            Route("/api/{method}", api, methods=["GET", "POST"]),
            Route("/upload/v1/{file_id}", upload, methods=["POST", "PUT"]),
            Route("/files-pri/{name}/download/{filename}", download, methods=["GET"]),
            Route("/actions/{team}/{serial}/{secret}", response_url, methods=["POST"]),
            Route("/oauth/v2/authorize", authorize, methods=["GET"]),
        ]
    )


@contextmanager
def serve(app: Starlette) -> Iterator[str]:
    """Run `app` on 127.0.0.1 with an ephemeral port in a daemon thread; yield its root URL."""
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto says TCP, and
    # without it every keep-alive request waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=30)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"fake-slack-{port}", daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the fake Slack API server did not start")
            time.sleep(0.005)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _decode_body(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("a JSON body must be an object")
        return decoded
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return {}


def _authorization(header: str | None, params: dict[str, Any]) -> tuple[str | None, tuple[str, str] | None]:
    """The bearer token (or a ``token`` argument, which Slack also accepts) and any Basic client credentials."""
    token = params.pop("token", None)
    if header is None:
        return (str(token) if token else None), None
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip() or None, None
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(value).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        return (str(token) if token else None), (client_id, secret)
    return None, None


def _json(status: int, body: dict[str, Any], headers: dict[str, str]) -> Response:
    content = json.dumps(body, separators=(",", ":")).encode("utf-8")
    return Response(content, status_code=status, headers=headers, media_type=JSON_TYPE)
