"""Logging as the settings say: AFTERCARE_LOG_LEVEL and AFTERCARE_LOG_FORMAT (``text``, or ``json``: one object a line).

Every record carries the request id of the HTTP request it belongs to (``bot.server`` sets it; ``-`` outside a
request). E-mail addresses are replaced by ``[email]`` in every message, whatever logged them. In JSON, an exception
is given as its type and the place it was raised, never its message: database and SDK errors can quote what a
person wrote. What people write is never logged by our code (STYLE.md), and the SDK loggers that would log bodies are
kept at INFO or above and filtered (bot/slack/wiring.py, bot/teams/wiring.py).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import traceback
import uuid

from bot.settings import Settings

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("aftercare_request_id", default="-")
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
TEXT_FORMAT = "%(levelname)s %(name)s [%(request_id)s]: %(message)s"


def new_request_id(given: str | None = None) -> str:
    """The caller's X-Request-ID when it is a plain token, otherwise a fresh one."""
    return given if given and SAFE_ID.match(given) else uuid.uuid4().hex[:16]


class Redact(logging.Filter):
    """Adds the request id and takes e-mail addresses out of the message (arguments are merged in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
            path = str(record.args[2]).split("?", 1)[0]  # a query string can hold an OAuth code
            record.args = (*record.args[:2], path, *record.args[3:])
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = EMAIL.sub("[email]", message), None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", REQUEST_ID.get()),
        }
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            frames = traceback.extract_tb(error.__traceback__)
            where = f"{frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
            entry["exception"] = {"type": type(error).__name__, "where": where}
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(settings: Settings, *, debug: bool = False) -> None:
    """Replace the root handlers with one on stderr, in the chosen format and level."""
    handler = logging.StreamHandler()
    handler.addFilter(Redact())
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else settings.log_level)
    access = logging.getLogger("uvicorn.access")
    access.disabled = not settings.access_log
