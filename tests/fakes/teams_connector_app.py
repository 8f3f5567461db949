"""The fake connector's HTTP face: a Starlette app, served by uvicorn in a background thread on 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.teams_connector_state import Reply
from tests.fakes.teams_tokens import jwks

if TYPE_CHECKING:
    from tests.fakes.teams_connector import FakeConnector

logger = logging.getLogger(__name__)

DENIED = Reply(401, {"message": "Authorization has been denied for this request."})
Operation = Callable[[Request, Any], Reply]


def _response(reply: Reply) -> Response:
    if reply.body is None:
        return Response(status_code=reply.status, headers=reply.headers)
    return JSONResponse(reply.body, status_code=reply.status, headers=reply.headers)


async def _json_body(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        return None


def _authorised(fake: FakeConnector, operation: Operation) -> Callable[[Request], Awaitable[Response]]:
    """Check the bearer token, read the JSON body, run the operation and log the request."""

    async def endpoint(request: Request) -> Response:
        if not fake.is_authorised(request.headers.get("authorization")):
            reply = DENIED
        else:
            body = await _json_body(request) if request.method in ("POST", "PUT") else None
            reply = operation(request, body)
        fake.log_request(request.method, request.url.path, reply.status)
        return _response(reply)

    return endpoint


def _p(request: Request, name: str) -> str:
    return str(request.path_params[name])


def _paged_args(request: Request, _body: Any) -> tuple[Any, ...]:
    size = request.query_params.get("pageSize", "")
    page_size = int(size) if size.isdigit() and int(size) > 0 else 200
    token = request.query_params.get("continuationToken")
    return _p(request, "cid"), request.url.path, page_size, token


def _conversation_routes(fake: FakeConnector) -> list[Route]:
    """Each route maps the request to the arguments of `ConnectorState.op_<operation>`."""

    def route(path: str, method: str, operation: str, args: Callable[[Request, Any], tuple[Any, ...]]) -> Route:
        return Route(path, _authorised(fake, lambda r, b: fake.handle(operation, *args(r, b))), methods=[method])

    one = "/v3/conversations/{cid}"
    activity = one + "/activities/{aid}"
    return [
        route("/v3/conversations", "POST", "create", lambda r, b: (b, r.url.path)),
        route(one + "/activities", "POST", "send", lambda r, b: (_p(r, "cid"), b, r.url.path, None)),
        route(activity, "POST", "send", lambda r, b: (_p(r, "cid"), b, r.url.path, _p(r, "aid"))),
        route(activity, "PUT", "update", lambda r, b: (_p(r, "cid"), _p(r, "aid"), b, r.url.path)),
        route(activity, "DELETE", "delete", lambda r, b: (_p(r, "cid"), _p(r, "aid"), r.url.path)),
        route(one + "/members", "GET", "members", lambda r, b: (_p(r, "cid"), r.url.path)),
        route(one + "/pagedmembers", "GET", "paged_members", _paged_args),
        route(one + "/pagedMembers", "GET", "paged_members", _paged_args),
        route(one + "/members/{mid}", "GET", "member", lambda r, b: (_p(r, "cid"), _p(r, "mid"), r.url.path)),
    ]


def build_app(fake: FakeConnector) -> Starlette:
    async def openid(request: Request) -> Response:
        fake.log_request("GET", request.url.path, 200)
        return JSONResponse(fake.openid_configuration())

    async def keys(request: Request) -> Response:
        fake.log_request("GET", request.url.path, 200)
        return JSONResponse(jwks())

    async def shared_file(request: Request) -> Response:
        data = fake.download(request.path_params["secret"])
        fake.log_request("GET", "/files/…", 200 if data is not None else 404)
        if data is None:
            return JSONResponse({"error": {"code": "itemNotFound"}}, status_code=404)
        return Response(data, media_type="application/octet-stream")

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 404
        fake.log_request(request.method, request.url.path, status)
        return JSONResponse({"error": {"code": "NotFound", "message": "No such endpoint."}}, status_code=status)

    routes = [
        Route("/v1/.well-known/openidconfiguration", openid, methods=["GET"]),
        Route("/v1/.well-known/keys", keys, methods=["GET"]),
        Route("/files/{secret}", shared_file, methods=["GET"]),
        *_conversation_routes(fake),
    ]
    return Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})


@contextlib.contextmanager
def serve_in_thread(fake: FakeConnector, startup_timeout: float = 5.0) -> Iterator[str]:
    """Serve the fake on an ephemeral 127.0.0.1 port; yields its base URL and stops the server on exit."""
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted connections only when the listening socket
    # says so, and without it every keep-alive request waits about 40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        build_app(fake),
        log_config=None,
        log_level="warning",
        access_log=False,
        lifespan="off",
        ws="none",
        http="h11",
        loop="asyncio",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"fake-teams-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the fake Teams connector did not start")
        time.sleep(0.005)
    logger.debug("fake Teams connector listening on port %d", port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
