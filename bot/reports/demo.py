"""Every report in every format it comes in, for the demo's ./demo-output/ folder."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.reports.pipeline import produce
from bot.reports.render import render
from bot.runtime import Runtime
from handlers.model import Programme
from handlers.reports import FORMATS, KINDS

logger = logging.getLogger(__name__)


def demo_name(kind: str, fmt: str) -> str:
    return f"report-{kind}.{fmt}"


async def write_reports(runtime: Runtime, programme: Programme, out: Path) -> list[str]:
    """Build all six reports once and write each in every format it comes in; returns the file names."""
    reports = await produce(runtime, programme, KINDS)
    written = []
    for kind in KINDS:
        for fmt in FORMATS[kind]:
            name = demo_name(kind, fmt)
            (out / name).write_bytes(render(reports[kind], fmt))
            written.append(name)
    logger.debug("Wrote %d report files", len(written))
    return written
