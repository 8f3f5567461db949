"""One report in one format, as bytes, and the file names the reports use."""

from __future__ import annotations

import logging
from pathlib import Path

from handlers.reports import FORMATS
from handlers.reports.model import Report

logger = logging.getLogger(__name__)

MEDIA_TYPES = {
    "md": "text/markdown",
    "html": "text/html",
    "csv": "text/csv",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class FormatNotAvailable(ValueError):
    """This report does not come in that format."""


def check_format(kind: str, fmt: str) -> None:
    if fmt not in FORMATS.get(kind, ()):
        raise FormatNotAvailable(f"The {kind} report comes as {', '.join(FORMATS[kind])}, not {fmt}.")


def render(report: Report, fmt: str) -> bytes:
    check_format(report.kind, fmt)
    if fmt == "md":
        from bot.reports.markdown import render_markdown

        return render_markdown(report).encode("utf-8")
    if fmt == "csv":
        from bot.reports.markdown import render_csv

        return render_csv(report).encode("utf-8")
    if fmt == "html":
        from bot.reports.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "png":
        from bot.reports.charts import render_png

        if report.chart is None:
            raise FormatNotAvailable(f"The {report.kind} report has no chart.")
        return render_png(report.chart)
    from bot.reports.docx_out import render_docx

    return render_docx(report)


def file_name(report: Report, fmt: str) -> str:
    return f"{report.kind}-{report.as_of.isoformat()}.{fmt}"


def write(report: Report, fmt: str, path: Path) -> Path:
    """Write the report to ``path`` (a folder gets the standard file name); returns the file written."""
    target = path / file_name(report, fmt) if path.is_dir() else path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(render(report, fmt))
    logger.debug("Wrote the %s report as %s", report.kind, fmt)
    return target
