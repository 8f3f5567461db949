"""The first thing a request to POST /api/messages meets, in front of the Teams SDK's own route.

The SDK answers a body it cannot read (not JSON, not an object, not an activity it knows) with a 500, after logging
the exception's text. Here a request without a bearer token gets 401 (the SDK's answer), and a body that is not a
JSON object the SDK can read as an activity gets 400; only then does the SDK check the token and handle it
(``App.server.handle_request``, the SDK's public entry point for this). Nothing here reads what was written.
"""

from __future__ import annotations

import json
import logging
import warnings
from typing import Any

from fastapi import FastAPI
from microsoft_teams.api import ActivityTypeAdapter
from microsoft_teams.common.experimental import ExperimentalWarning
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ExperimentalWarning)
    from microsoft_teams.apps import App
    from microsoft_teams.apps.events import CoreActivity
    from microsoft_teams.apps.http.adapter import HttpRequest

logger = logging.getLogger(__name__)


def readable(body: Any) -> bool:
    """Whether the SDK can read this body as an activity (as it will, after the token check)."""
    if not isinstance(body, dict):
        return False
    try:
        core = CoreActivity.model_validate(body)
        ActivityTypeAdapter.validate_python(core.model_dump(by_alias=True, exclude_none=True))
    except Exception:  # whatever pydantic raises on it: not an activity the Bot Connector sends
        return False
    return True


def guard_messages(api: FastAPI, app: App, path: str, *, require_token: bool = True) -> None:
    """Route POST ``path`` through the checks above; call before ``app.initialize()`` so this route comes first."""

    async def messages(request: Request) -> Response:
        authorization = request.headers.get("authorization", "")
        if require_token and not authorization.startswith("Bearer "):
            return JSONResponse({"error": "Unauthorized"}, status_code=401)
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        if not readable(body):
            logger.warning("a Teams request that is not a readable activity was refused")
            return JSONResponse({"error": "Bad request"}, status_code=400)
        result = await app.server.handle_request(HttpRequest(body=body, headers=dict(request.headers)))
        answer = result.get("body")
        if answer is not None:
            return JSONResponse(answer, status_code=result["status"])
        return Response(status_code=result["status"])

    api.add_api_route(path, messages, methods=["POST"], include_in_schema=False)
