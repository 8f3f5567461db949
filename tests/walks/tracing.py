"""Which of our files one request runs code in, from the HTTP request to the platform's answer (docs/design.md)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
OURS = ("bot", "handlers", "storage")


@contextmanager
def files_run() -> Iterator[set[str]]:
    """Every file of bot/, handlers/ and storage/ in which a function was called while the block ran (this thread;
    the fake platforms run in other threads and are not counted)."""
    found: set[str] = set()
    me = threading.get_ident()

    def profile(frame: FrameType, event: str, _arg: Any) -> None:
        if event != "call" or threading.get_ident() != me:
            return
        name = frame.f_code.co_filename
        if name.startswith(str(ROOT)):
            relative = Path(name).relative_to(ROOT)
            if relative.parts[0] in OURS:
                found.add(str(relative))

    sys.setprofile(profile)
    try:
        yield found
    finally:
        sys.setprofile(None)
