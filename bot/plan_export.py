"""Write the action plan as .xlsx or .csv in exactly the columns the import reads (bot/importing/action_plan.py).

Export → edit → import changes exactly the edited cells: owners are e-mails, dates are dates, lists are joined with
"; ", and the evidence recorded in chat is included. RAG and Last update are for reading; the import ignores them
(RAG is always worked out from status and dates, handlers/rag.py).

Text that a spreadsheet would run as a formula (starting with = + - @) is written as text: in .xlsx as a text cell,
in .csv behind an apostrophe, which the import removes again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.safe_output import csv_cell
from handlers.model import Action
from handlers.rag import rag_of

HEADER = (
    "Action", "Recommendation", "Title", "Owner email", "Owner role", "Agency", "Partners", "Start date", "Due date",
    "Depends on", "Resources", "Success measure", "Impact measure", "Status", "Evidence of completion",
    "Impact evidenced", "RAG", "Last update",
)  # fmt: skip


def status_word(action: Action) -> str:
    return action.status.value.replace("_", " ").capitalize()


def plan_rows(
    actions: Sequence[Action], today: dt.date, definitions: Mapping[str, str] | None = None
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for a in actions:
        rag = rag_of(a, today, definitions).capitalize()
        rows.append(
            [
                a.code, a.recommendation, a.title, a.owner_email, a.owner_role, a.agency, "; ".join(a.partners),
                a.start, a.due, "; ".join(a.depends_on), a.resources, a.success_measure, a.impact_measure,
                status_word(a), a.evidence_of_completion, a.evidence_of_impact, rag,
                a.last_update.date() if a.last_update else None,
            ]
        )  # fmt: skip
    return rows


def csv_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 with a byte-order mark correctly


def xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    import openpyxl  # loaded when a plan is written (2 s cold), not with every process that could write one
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet("Actions")
    sheet.append(list(HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = value
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_plan(path: Path, rows: Sequence[Sequence[Any]]) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.write_bytes(csv_bytes(rows))
    elif suffix == ".xlsx":
        path.write_bytes(xlsx_bytes(rows))
    else:
        raise ValueError(f"'{path.name}' should end in .xlsx or .csv")


def _csv_cell(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_cell(value)
