"""Read an action plan kept as a spreadsheet (.csv or .xlsx) into ``ActionDoc`` rows.

Headers are matched forgivingly ("Action", "Ref", "Owner email", "Due date" …), dates may be ISO text, UK
day/month/year text or real Excel dates, and lists are split on ``;`` or ``,``. Every problem is reported with the
spreadsheet's own row number (the header is normally row 1) and the column as it is headed in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import ValidationError

from bot.importing import ImportProblems, describe_error
from handlers.free_text import plan_text_issues
from handlers.programme_doc import ActionDoc, Problem, ProgrammeDoc, action_reference_problems
from handlers.vocabulary import did_you_mean

logger = logging.getLogger(__name__)

Row = tuple[int, list[Any]]
Issue = tuple[tuple[str | int, ...], str]

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("code", "action", "action code", "action id", "action ref", "action reference", "action no",
           "action number", "ref", "reference", "id", "no"),
    "rec": ("recommendation", "rec", "recommendation id", "recommendation ref", "recommendation no", "rec ref",
            "rec no", "rec id"),
    "title": ("title", "action title", "description", "action description", "action details"),
    "owner": ("owner", "owner email", "owner e mail", "email", "e mail", "lead email", "action owner",
              "action owner email", "responsible email"),
    "owner_role": ("owner role", "role", "lead role", "owner job title", "job title", "responsible role"),
    "agency": ("agency", "lead agency", "organisation", "organization", "owner agency"),
    "partners": ("partners", "partner", "partner agencies", "supporting agencies"),
    "start": ("start", "start date", "from"),
    "due": ("due", "due date", "deadline", "target date", "completion date", "by when"),
    "depends_on": ("depends on", "dependencies", "dependency", "depends"),
    "resources": ("resources", "resource", "resources needed"),
    "success_measure": ("success measure", "success measures", "measure of success", "success criteria",
                        "how will we know"),
    "evidence_of_impact": ("evidence of impact", "impact evidence", "impact", "impact measure"),
    "evidence_of_completion": ("evidence of completion", "completion evidence"),
    "impact_evidenced": ("impact evidenced", "evidence of impact recorded", "impact evidence recorded"),
    "status": ("status", "progress", "current status"),
    "rag": ("rag", "rag rating", "rag status"),
    "last_update": ("last update", "last updated", "updated", "date updated"),
}  # fmt: skip
FIELD_OF = {alias: field for field, aliases in ALIASES.items() for alias in aliases}
IGNORED = {"notes", "note", "comments", "comment", "owner name", "lead name", "narrative", "latest update"}
REQUIRED = ("id", "rec", "title", "owner", "agency")
PLACEHOLDERS = {"id": "X0", "owner": "-@-.-"}  # valid stand-ins for broken required cells
LIST_FIELDS = {"partners", "depends_on"}
DATE_FIELDS = {"start", "due", "last_update"}
# An empty cell in one of these columns clears the field; a column the sheet does not have leaves it alone.
CLEARABLE = {"owner_role", "partners", "start", "due", "depends_on", "resources", "success_measure",
             "evidence_of_impact", "evidence_of_completion", "impact_evidenced"}  # fmt: skip


def read_action_plan(path: Path, programme: ProgrammeDoc | None = None) -> list[ActionDoc]:
    """Read every action in the spreadsheet. Raises ImportProblems listing every problem found.

    With ``programme``, recommendations, owners, agencies, partners and dependencies are checked against it.
    """
    rows = [row for row in _read_rows(path) if any(_text(cell) for cell in row[1])]
    if not rows:
        raise ImportProblems([Problem(where="row 1", field="file", message="the spreadsheet has no rows")])
    header_number, header = rows[0]
    columns, problems = match_header(header_number, header)
    if not set(REQUIRED) <= {field for field, _ in columns.values()}:
        raise ImportProblems(problems)
    checked: list[Checked] = []
    for number, cells in rows[1:]:
        row, row_problems = _read_row(number, cells, columns)
        problems += row_problems
        if row is not None:
            checked.append(row)
    id_column = next(position for position, (field, _) in columns.items() if field == "id")
    codes = {_text(cells[id_column]).upper() for _, cells in rows[1:] if id_column < len(cells)}
    problems += _cross_check(checked, columns, programme, codes - {""})
    if problems:
        raise ImportProblems(sorted(problems, key=lambda p: int(p.where.removeprefix("row "))))
    logger.info("action plan %s read: %d actions", path.name, len(checked))
    return [row.action for row in checked]


def normalise_header(text: str) -> str:
    """'Due date (YYYY-MM-DD)*' → 'due date'; 'Owner_Email' → 'owner email'."""
    text = re.sub(r"\(.*?\)", " ", text.lower())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def match_header(number: int, header: list[Any]) -> tuple[dict[int, tuple[str, str]], list[Problem]]:
    """Map column positions to (field, heading as written). Unknown headings and missing columns are problems."""
    columns: dict[int, tuple[str, str]] = {}
    problems: list[Problem] = []
    where = f"row {number}"
    for position, cell in enumerate(header):
        heading = _text(cell)
        key = normalise_header(heading)
        if not key or key in IGNORED:
            continue
        if key not in FIELD_OF:
            hint = did_you_mean(key, list(FIELD_OF))
            message = "this is not a column we know" + (f".{hint}" if hint else "")
            problems.append(Problem(where=where, field=heading, message=message))
            continue
        columns[position] = (FIELD_OF[key], heading)
    columns, repeated = _one_column_per_field(columns, where)
    problems += repeated
    given = {field for field, _ in columns.values()}
    for field in REQUIRED:
        if field not in given:
            message = f"there is no '{ALIASES[field][0]}' column, and it is needed"
            problems.append(Problem(where=where, field=ALIASES[field][0], message=message))
    return columns, problems


def _one_column_per_field(
    columns: dict[int, tuple[str, str]], where: str
) -> tuple[dict[int, tuple[str, str]], list[Problem]]:
    """Two columns for one field is a problem, except 'Owner' beside 'Owner email': the email column wins."""
    by_field: dict[str, list[int]] = {}
    for position, (field, _) in columns.items():
        by_field.setdefault(field, []).append(position)
    problems: list[Problem] = []
    for field, positions in by_field.items():
        if len(positions) < 2:
            continue
        emails = [p for p in positions if "mail" in columns[p][1].lower()]
        if field == "owner" and len(emails) == 1:
            columns = {p: c for p, c in columns.items() if p not in positions or p == emails[0]}
            continue
        headings = " and ".join(f"'{columns[p][1]}'" for p in positions)
        message = f"{headings} both give the {field}; please keep only one of them"
        problems.append(Problem(where=where, field=columns[positions[1]][1], message=message))
    return columns, problems


class Checked(NamedTuple):
    """One row read: its action, and the fields that were broken and mended so the rest could be cross-checked."""

    number: int
    action: ActionDoc
    mended: frozenset[str] = frozenset()


def _read_row(
    number: int, cells: list[Any], columns: dict[int, tuple[str, str]]
) -> tuple[Checked | None, list[Problem]]:
    where = f"row {number}"
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    broken: set[str] = set()
    for position, (field, heading) in columns.items():
        raw = cells[position] if position < len(cells) else None
        if not _text(raw):
            if field in CLEARABLE:
                values[field] = [] if field in LIST_FIELDS else (None if field in DATE_FIELDS else "")
            continue
        try:
            values[field] = _cell_value(field, raw)
        except ValueError as error:
            problems.append(Problem(where=where, field=heading, message=str(error)))
            broken.add(field)
    headings = {field: heading for field, heading in columns.values()}
    try:
        action = ActionDoc.model_validate(values)
    except ValidationError as error:
        for detail in error.errors():
            field = str(detail["loc"][0]) if detail["loc"] else "?"
            message = "this cell is empty but is needed" if detail["type"] == "missing" else describe_error(detail)
            problems.append(Problem(where=where, field=headings.get(field, field), message=message))
            broken.add(field)
        return _mended(number, values, broken), problems
    return Checked(number, action, frozenset(broken)), problems


def _mended(number: int, values: dict[str, Any], broken: set[str]) -> Checked | None:
    """The row with placeholders in broken required cells and defaults elsewhere, or None if that fails too."""
    mended = {field: value for field, value in values.items() if field not in broken}
    for field in broken & set(REQUIRED):
        mended[field] = PLACEHOLDERS.get(field, "-")
    try:
        return Checked(number, ActionDoc.model_validate(mended), frozenset(broken))
    except ValidationError:
        return None


def _cell_value(field: str, raw: Any) -> Any:
    if field in DATE_FIELDS:
        return _date(raw)
    if field in LIST_FIELDS:
        return [part.strip() for part in re.split(r"[;,]", _text(raw)) if part.strip()]
    return _text(raw)


def _date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = _text(raw)
    for form in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, form).date()  # noqa: DTZ007 - a calendar date, not a moment
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date; write it as YYYY-MM-DD, for example 2026-07-31")


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]  # written as text by the export so a spreadsheet would not run it as a formula
    return text


def _cross_check(
    rows: list[Checked], columns: dict[int, tuple[str, str]], programme: ProgrammeDoc | None, sheet_codes: set[str]
) -> list[Problem]:
    """Repeated codes, and references checked against the programme (or, without one, within each row)."""
    headings = {field: heading for field, heading in columns.values()}
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    for number, action, mended in rows:
        code = action.id.upper()
        if code in first_row and "id" not in mended:
            message = f"'{action.id}' is already used in row {first_row[code]}"
            problems.append(Problem(where=f"row {number}", field=headings["id"], message=message))
        first_row.setdefault(code, number)
    check = _checker(programme, sheet_codes)
    never_store = programme.governance.never_store if programme is not None else ()
    for number, action, mended in rows:
        for loc, message in [*check(action), *plan_text_issues(action, never_store)]:
            if str(loc[0]) not in mended:  # a broken cell is reported once, by validation
                field = headings.get(str(loc[0]), str(loc[0]))
                problems.append(Problem(where=f"row {number}", field=field, message=message))
    return problems


def _checker(programme: ProgrammeDoc | None, sheet_codes: set[str]) -> Callable[[ActionDoc], list[Issue]]:
    """Checks against the programme when there is one; otherwise only those that need nothing else."""
    if programme is None:
        return _own_problems
    agencies = {agency.id for agency in programme.agencies}
    emails = {person.email.lower() for person in programme.participants}
    recs = {rec.id for rec in programme.recommendations}
    codes = sheet_codes | {known.id.upper() for known in programme.actions}
    return lambda action: action_reference_problems((), action, agencies, emails, recs, codes)


def _own_problems(action: ActionDoc) -> list[Issue]:
    """The checks that need no programme: dates in order and no action depending on itself."""
    found: list[Issue] = []
    for j, code in enumerate(action.depends_on):
        if code.upper() == action.id.upper():
            found.append((("depends_on", j), "an action cannot depend on itself"))
    if action.start and action.due and action.due < action.start:
        found.append((("due",), "the due date is before the start date"))
    return found


def _read_rows(path: Path) -> list[Row]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    message = f"'{suffix or path.name}' files cannot be read; save the action plan as .xlsx or .csv"
    raise ImportProblems([Problem(where=path.name, field="file", message=message)])


def _csv_rows(path: Path) -> list[Row]:
    try:
        raw = path.read_bytes()
    except OSError:
        raise ImportProblems([_unreadable(path)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel on Windows saves CSV this way
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(number, list(cells)) for number, cells in enumerate(reader, start=1)]


def _xlsx_rows(path: Path) -> list[Row]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions we do not use
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = _action_sheet(book)
                rows = sheet.iter_rows(min_row=1, values_only=True)
                return [(number, list(cells)) for number, cells in enumerate(rows, start=1)]
            finally:
                book.close()
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, InvalidFileException) as error:
        logger.info("could not open %s as a workbook: %s", path.name, type(error).__name__)
        raise ImportProblems([_unreadable(path)]) from None


def _action_sheet(book: Any) -> Any:
    """The sheet called something like 'Actions' or 'Action plan', otherwise the first one."""
    for name in book.sheetnames:
        if normalise_header(name) in ("actions", "action plan", "action"):
            return book[name]
    return book.worksheets[0]


def _unreadable(path: Path) -> Problem:
    return Problem(where=path.name, field="file", message="the file could not be opened as a spreadsheet")
