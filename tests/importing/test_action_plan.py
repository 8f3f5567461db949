"""read_action_plan: CSV and XLSX action plans, forgiving headers, and every problem with its row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from bot.importing import ImportProblems
from bot.importing.action_plan import normalise_header, read_action_plan
from bot.importing.yaml_reader import read_programme
from handlers.model import Status
from handlers.programme_doc import ProgrammeDoc

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
OWNER = "jade.carter@kestermoor.police.example"


@pytest.fixture(scope="module")
def programme() -> ProgrammeDoc:
    return read_programme(ROOT / "examples" / "programme.yaml").programme


def _problems(path: Path, programme: ProgrammeDoc | None = None) -> list[tuple[str, str, str]]:
    with pytest.raises(ImportProblems) as caught:
        read_action_plan(path, programme)
    return [(p.where, p.field, p.message) for p in caught.value.problems]


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "plan.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_broken_csv_reports_each_row_and_column(programme):
    found = _problems(FIXTURES / "broken-actions.csv", programme)
    assert [(where, field) for where, field, _ in found] == [
        ("row 3", "Due Date (YYYY-MM-DD)"),
        ("row 3", "Partners"),
        ("row 5", "Recommendation"),
        ("row 5", "Owner Email"),
        ("row 6", "Title"),
        ("row 6", "Status"),
        ("row 6", "Depends on"),
        ("row 6", "Due Date (YYYY-MM-DD)"),
        ("row 7", "Action Ref"),
        ("row 7", "Depends on"),
    ]
    messages = {(where, field): message for where, field, message in found}
    assert messages[("row 3", "Due Date (YYYY-MM-DD)")].startswith("'next summer' is not a date")
    assert messages[("row 3", "Partners")] == "there is no agency 'KXX'"
    assert messages[("row 5", "Recommendation")] == "there is no recommendation 'R9'"
    assert messages[("row 5", "Owner Email")] == "no participant has the email 'nobody@kestermoor.gov.example'"
    assert messages[("row 6", "Title")] == "this cell is empty but is needed"
    assert messages[("row 6", "Depends on")] == "an action cannot depend on itself"
    assert messages[("row 6", "Due Date (YYYY-MM-DD)")] == "the due date is before the start date"
    assert messages[("row 7", "Action Ref")] == "'A01' is already used in row 2"
    assert messages[("row 7", "Depends on")] == "there is no action 'A77'"


def test_broken_csv_without_a_programme_still_checks_each_row():
    fields = {(where, field) for where, field, _ in _problems(FIXTURES / "broken-actions.csv")}
    assert ("row 3", "Due Date (YYYY-MM-DD)") in fields
    assert ("row 6", "Depends on") in fields
    assert ("row 7", "Action Ref") in fields
    assert ("row 5", "Owner Email") not in fields  # nothing to check owners against


def test_forgiving_headers_dates_and_lists(tmp_path, programme):
    text = (
        "Ref,REC,action_title,Owner e-mail,Agency,Partner agencies,Start Date,Due date,Dependencies,Status,Comments\n"
        f'a22,R1,Check the hub rota,{OWNER},KPOL,"KBC, KLT",01/06/2026,2026-07-31,A01;A02,amber,rota\n'
        ",,,,,,,,,,\n"
        f"A23,R5,Map the places young people go,{OWNER},KPOL,KBC,,,,Not started,\n"
    )
    first, second = read_action_plan(_csv(tmp_path, text), programme)
    assert first.id == "a22"
    assert first.partners == ["KBC", "KLT"]
    assert first.depends_on == ["A01", "A02"]
    assert first.start == dt.date(2026, 6, 1)
    assert first.due == dt.date(2026, 7, 31)
    assert first.status == Status.AT_RISK
    assert second.start is None
    assert second.status == Status.NOT_STARTED


def test_blank_rows_do_not_shift_row_numbers(tmp_path):
    text = f"code,rec,title,owner,agency,due\n\n\nA01,R1,First,{OWNER},KPOL,2026-02-30\n"
    assert _problems(_csv(tmp_path, text)) == [
        ("row 4", "due", "'2026-02-30' is not a date; write it as YYYY-MM-DD, for example 2026-07-31")
    ]


def test_semicolon_separated_and_windows_encoded_csv(tmp_path):
    text = f"code;rec;title;owner;agency;resources\nA01;R1;Brief the team;{OWNER};KPOL;£200 for room hire\n"
    (action,) = read_action_plan(_csv(tmp_path, text, encoding="cp1252"))
    assert action.resources == "£200 for room hire"
    assert action.title == "Brief the team"


def test_missing_and_unknown_columns_are_reported_on_the_header_row(tmp_path):
    text = f"code,title,owner,agency,Due dat\nA01,First,{OWNER},KPOL,2026-01-01\n"
    assert _problems(_csv(tmp_path, text)) == [
        ("row 1", "Due dat", "this is not a column we know. Did you mean due date?"),
        ("row 1", "recommendation", "there is no 'recommendation' column, and it is needed"),
    ]


def test_two_columns_for_one_field(tmp_path):
    text = f"code,rec,title,owner,agency,due,deadline\nA01,R1,First,{OWNER},KPOL,2026-01-01,2026-02-01\n"
    found = _problems(_csv(tmp_path, text))
    assert found == [("row 1", "deadline", "'due' and 'deadline' both give the due; please keep only one of them")]


def test_owner_name_beside_owner_email_is_fine(tmp_path):
    text = f"code,rec,title,Owner,Owner email,agency\nA01,R1,First,Jade Carter,{OWNER},KPOL\n"
    (action,) = read_action_plan(_csv(tmp_path, text))
    assert action.owner == OWNER


def test_unknown_extension_is_one_clear_problem(tmp_path):
    path = tmp_path / "plan.xls"
    path.write_bytes(b"not really excel")
    assert _problems(path) == [
        ("plan.xls", "file", "'.xls' files cannot be read; save the action plan as .xlsx or .csv")
    ]


def test_empty_sheet(tmp_path):
    assert _problems(_csv(tmp_path, "\n\n")) == [("row 1", "file", "the spreadsheet has no rows")]


def _workbook(tmp_path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "Cover"
    cover["A1"] = "Kestermoor action plan (fictional)"
    sheet = book.create_sheet("Action plan")
    for row in rows:
        sheet.append(row)
    path = tmp_path / "plan.xlsx"
    book.save(path)
    return path


def test_xlsx_with_real_dates_and_numbers(tmp_path, programme):
    rows: list[list[object]] = [
        ["Action", "Recommendation", "Title", "Owner email", "Agency", "Start date", "Due date", "Status"],
        ["A30", "R1", "Joint visits", OWNER, "KPOL", dt.datetime(2026, 3, 2), dt.date(2026, 5, 29), "On track"],
        [None, None, None, None, None, None, None, None],
        ["A31", "R2", "Refresh the form", OWNER, "KPOL", "2026-04-01", 46203, "complete"],
    ]
    found = _problems(_workbook(tmp_path, rows), programme)
    assert found == [("row 4", "Due date", "'46203' is not a date; write it as YYYY-MM-DD, for example 2026-07-31")]
    rows[3][6] = dt.datetime(2026, 7, 1)
    first, second = read_action_plan(_workbook(tmp_path, rows), programme)
    assert first.start == dt.date(2026, 3, 2)
    assert first.due == dt.date(2026, 5, 29)
    assert second.due == dt.date(2026, 7, 1)
    assert second.status == Status.COMPLETE


def test_xlsx_errors_are_reported_by_row_and_column(tmp_path, programme):
    rows: list[list[object]] = [
        ["Ref", "Rec", "Title", "Owner", "Agency", "Partners", "Due date", "Depends on"],
        ["A40", "R1", "Fine", OWNER, "KPOL", "KBC", dt.date(2026, 9, 1), "A01"],
        ["A41", "R8", "Unknown rec", OWNER, "KPOL", None, "soon", None],
        [],
        ["A40", "R1", "Repeated", "someone@nowhere.example", "KQQ", "KBC; KZZ", None, "A40"],
    ]
    assert _problems(_workbook(tmp_path, rows), programme) == [
        ("row 3", "Due date", "'soon' is not a date; write it as YYYY-MM-DD, for example 2026-07-31"),
        ("row 3", "Rec", "there is no recommendation 'R8'"),
        ("row 5", "Ref", "'A40' is already used in row 2"),
        ("row 5", "Owner", "no participant has the email 'someone@nowhere.example'"),
        ("row 5", "Agency", "there is no agency 'KQQ'"),
        ("row 5", "Partners", "there is no agency 'KZZ'"),
        ("row 5", "Depends on", "an action cannot depend on itself"),
    ]


def test_corrupt_xlsx_is_one_problem(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    assert _problems(path) == [("plan.xlsx", "file", "the file could not be opened as a spreadsheet")]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [("Due date (YYYY-MM-DD)", "due date"), ("Owner_Email", "owner email"), ("  Depends-on ", "depends on")],
)
def test_normalise_header(heading, expected):
    assert normalise_header(heading) == expected
