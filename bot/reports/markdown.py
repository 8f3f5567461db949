"""A report as Markdown (and the CSV of its data table): plain text a facilitator can paste anywhere."""

from __future__ import annotations

import csv
import io

from bot.safe_output import csv_row
from handlers.reports.model import Cell, Report, Table


def _escape(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _cell_text(c: Cell) -> str:
    return _escape(c.text) if not c.hidden else f"*{_escape(c.text)}*"


def table_markdown(table: Table) -> list[str]:
    lines = [f"**{table.title}**", ""]
    if not table.rows:
        return [*lines, table.empty, ""]
    rows = table.shown_rows()
    if rows:
        lines.append("| " + " | ".join(_escape(c) for c in table.columns) + " |")
        lines.append("| " + " | ".join("---" for _ in table.columns) + " |")
        lines.extend("| " + " | ".join(_cell_text(c) for c in row) + " |" for row in rows)
        lines.append("")
    for text in (table.more_text(), table.explanation(), table.note):
        if text:
            lines.extend([f"_{_escape(text)}_", ""])
    return lines


def render_markdown(report: Report) -> str:
    lines = [
        f"# {report.title}",
        "",
        *([f"**{report.marking}**", ""] if report.marking else []),
        f"{report.cover()}",
        "",
        report.summary,
        "",
    ]
    if report.chart is not None and report.chart.alt:
        lines.extend([f"_Chart: {report.chart.title}. {report.chart.alt}_", ""])
    for section in report.sections:
        lines.extend([f"## {section.heading}", ""])
        for paragraph in section.paragraphs:
            lines.extend([paragraph, ""])
        if section.bullets:
            lines.extend([*(f"- {b}" for b in section.bullets), ""])
        for table in section.tables:
            lines.extend(table_markdown(table))
    if report.footnote:
        lines.extend(["---", "", report.footnote, ""])
    if report.marking:
        lines.extend([f"**{report.marking}**", ""])
    return "\n".join(lines)


def render_csv(report: Report) -> str:
    """The report's data table, every row; hidden figures are empty with the reason in the last column."""
    table = report.table(report.csv_table)
    if table is None:
        raise ValueError(f"The {report.kind} report has no table to export as CSV.")
    handle = io.StringIO()
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(csv_row(table.columns))
    for row in table.rows:
        writer.writerow(csv_row([c.text for c in row]))
    return handle.getvalue()
