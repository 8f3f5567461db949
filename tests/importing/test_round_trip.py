"""Imports never lose a chat update, and export → edit → import changes exactly the edited cells (.xlsx and .csv)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from bot import programme_cli
from bot.cli import main
from bot.clock import SimulatedClock
from bot.compose import assemble
from bot.runtime import Runtime
from storage.action_import import Resolution
from storage.models import ActionRow, ActionUpdateRow

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "programme.yaml"
FACILITATOR = "saira.kelly@kestermoor.gov.example"
KATE = "kate.nguyen@kestermoor.gov.example"  # owns A09 (KYJ lead)
ZAINAB = "principal.sw@kestermoor.gov.example"  # owns A07 and A16
COLUMNS = [c.name for c in ActionRow.__table__.columns if c.name not in ("id", "programme_id", "last_update")]


@pytest.fixture
async def example(db_url: str) -> AsyncIterator[Runtime]:
    """The example programme on SQLite and (when AFTERCARE_TEST_POSTGRES_URL is set) PostgreSQL."""
    runtime = assemble(db_url, clock=SimulatedClock(dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)), secret=b"k")
    await programme_cli.import_files(runtime, EXAMPLE, None, None, "Europe/London")
    yield runtime
    await runtime.close()


async def plan(runtime: Runtime) -> dict[tuple[str, str], Any]:
    async with runtime.sessions() as session:
        rows = (await session.execute(select(ActionRow))).scalars().all()
    return {(row.code, column): getattr(row, column) for row in rows for column in COLUMNS}


async def history_count(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return (await session.execute(select(func.count()).select_from(ActionUpdateRow))).scalar_one()


async def chat_changes(runtime: Runtime) -> None:
    for who, line in (
        (ZAINAB, "/actions A07 impact Audit: the young person's account in 9 of 10 sampled plans"),
        (FACILITATOR, "/actions A07 closed"),
        (ZAINAB, "/actions A16 done Standard agreed by every agency"),
        (KATE, "/actions A09 on track Drafting has started"),
        (FACILITATOR, "/actions A09 due 2026-09-30"),
    ):
        reply = await runtime.say(who, line)
        assert reply.ok, reply.text


def edit(path: Path, code: str, heading: str, value: str) -> None:
    """Change one cell, as a person would in a spreadsheet program."""
    if path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
        rows[[r[0] for r in rows].index(code)][rows[0].index(heading)] = value
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
        return
    book = openpyxl.load_workbook(path)
    sheet = book["Actions"]
    headings = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == code:
            row[headings.index(heading)].value = dt.date.fromisoformat(value) if "date" in heading else value
    book.save(path)


async def test_reimporting_the_untouched_programme_file_after_chat_changes_changes_nothing(example: Runtime):
    await chat_changes(example)
    before, updates = await plan(example), await history_count(example)
    summary = await programme_cli.import_files(example, EXAMPLE, None, None, "Europe/London")
    assert await plan(example) == before
    assert await history_count(example) == updates
    assert summary.plan is not None and not summary.plan.changes and not summary.plan.conflicts


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
async def test_untouched_export_reimports_to_no_change_and_one_edited_cell_changes_that_cell(
    example: Runtime, tmp_path: Path, suffix: str
):
    await chat_changes(example)
    sheet = tmp_path / f"plan{suffix}"
    await programme_cli.export_plan(example, sheet, None)
    before, updates = await plan(example), await history_count(example)
    await programme_cli.import_files(example, None, sheet, None, "Europe/London")
    assert await plan(example) == before and await history_count(example) == updates

    edit(sheet, "A05", "Due date", "2026-10-30")
    summary = await programme_cli.import_files(example, None, sheet, None, "Europe/London")
    after = await plan(example)
    assert {key for key in after if after[key] != before[key]} == {("A05", "due")}
    assert after[("A05", "due")] == dt.date(2026, 10, 30)
    assert "A05 due date: 2026-09-30 → 2026-10-30" in summary.lines()
    shown = await example.say(FACILITATOR, "/actions A05")
    assert "due date 2026-09-30 → 2026-10-30" in shown.text


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
async def test_a_cell_also_changed_in_chat_is_a_conflict_listed_and_not_applied(
    example: Runtime, tmp_path: Path, suffix: str
):
    sheet = tmp_path / f"plan{suffix}"
    await programme_cli.export_plan(example, sheet, None)  # taken before the chat change
    assert (await example.say(FACILITATOR, "/actions A09 due 2026-09-30")).ok
    edit(sheet, "A09", "Due date", "2026-10-31")
    edit(sheet, "A12", "Resources", "Training module update; venue")  # not touched in chat: applied
    before = await plan(example)
    summary = await programme_cli.import_files(example, None, sheet, None, "Europe/London")
    after = await plan(example)
    assert after[("A09", "due")] == dt.date(2026, 9, 30)  # the chat value stays
    assert after[("A12", "resources")] == "Training module update; venue"
    assert summary.plan is not None
    [conflict] = summary.plan.conflicts
    assert (conflict.code, conflict.field, conflict.spreadsheet, conflict.chat) == (
        "A09", "due", dt.date(2026, 10, 31), dt.date(2026, 9, 30)
    )  # fmt: skip
    assert conflict.who == "Saira Kelly" and conflict.when is not None
    text = "\n".join(summary.lines())
    assert "A09 due date: the spreadsheet says 2026-10-31, but Saira Kelly changed it in chat to 2026-09-30" in text
    assert {key for key in after if after[key] != before[key]} == {("A12", "resources")}

    again = await programme_cli.import_files(example, None, sheet, None, "Europe/London")  # still a conflict
    assert again.plan is not None and len(again.plan.conflicts) == 1
    chosen = Resolution(choices={("A09", "due"): "spreadsheet"})
    await programme_cli.import_files(example, None, sheet, None, "Europe/London", chosen)
    assert (await plan(example))[("A09", "due")] == dt.date(2026, 10, 31)


async def test_prefer_chat_keeps_the_chat_value_and_settles_the_conflict(example: Runtime, tmp_path: Path):
    sheet = tmp_path / "plan.csv"
    await programme_cli.export_plan(example, sheet, None)
    assert (await example.say(FACILITATOR, "/actions A09 due 2026-09-30")).ok
    edit(sheet, "A09", "Due date", "2026-10-31")
    done = await programme_cli.import_files(example, None, sheet, None, "Europe/London", Resolution(prefer="chat"))
    assert done.plan is not None and not done.plan.conflicts
    assert (await plan(example))[("A09", "due")] == dt.date(2026, 9, 30)
    later = await programme_cli.import_files(example, None, sheet, None, "Europe/London")
    assert later.plan is not None and not later.plan.conflicts and not later.plan.changes


async def test_closed_without_impact_evidence_is_imported_as_complete_with_a_warning(example: Runtime, tmp_path: Path):
    sheet = tmp_path / "plan.csv"
    await programme_cli.export_plan(example, sheet, None)
    edit(sheet, "A06", "Status", "Closed")  # complete, and no evidence of impact recorded
    summary = await programme_cli.import_files(example, None, sheet, None, "Europe/London")
    assert (await plan(example))[("A06", "status")] == "complete"
    assert any("A06 says 'Closed' but has no evidence of impact" in line for line in summary.lines())
    edit(sheet, "A06", "Impact evidenced", "Quarterly audit: question asked in 19 of 20 assessments")
    await programme_cli.import_files(example, None, sheet, None, "Europe/London")
    assert (await plan(example))[("A06", "status")] == "closed"


async def test_no_closed_action_in_the_example_lacks_evidence_of_impact(example: Runtime):
    rows = await plan(example)
    closed = [code for (code, column), value in rows.items() if column == "status" and value == "closed"]
    assert closed and all(rows[(code, "evidence_of_impact")] for code in closed)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
async def test_text_a_spreadsheet_would_run_as_a_formula_round_trips_as_text(
    example: Runtime, tmp_path: Path, suffix: str
):
    assert (await example.say(FACILITATOR, '/actions A02 evidence =HYPERLINK("http://x.example","ok")')).ok
    sheet = tmp_path / f"plan{suffix}"
    await programme_cli.export_plan(example, sheet, None)
    before = await plan(example)
    await programme_cli.import_files(example, None, sheet, None, "Europe/London")
    assert await plan(example) == before
    if suffix == ".xlsx":
        cells = [c for row in openpyxl.load_workbook(sheet)["Actions"].iter_rows() for c in row]
        assert all(c.data_type != "f" for c in cells)


def test_preview_and_prefer_at_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--db", url, "programme", "import", str(EXAMPLE)]) == 0
    sheet = tmp_path / "plan.xlsx"
    assert main(["--db", url, "programme", "export", "--out", str(sheet)]) == 0
    assert main(["--db", url, "say", "--as", FACILITATOR, "/actions A09 due 2026-09-30"]) == 0
    edit(sheet, "A09", "Due date", "2026-10-31")
    edit(sheet, "A05", "Due date", "2026-10-30")
    capsys.readouterr()
    assert main(["--db", url, "programme", "import", "--actions", str(sheet), "--preview"]) == 0
    out = capsys.readouterr().out
    assert "nothing was written" in out and "A05 due date: 2026-09-30 → 2026-10-30" in out and "conflict" in out
    assert main(["--db", url, "programme", "import", "--actions", str(sheet), "--choose", "A09:due date=maybe"]) == 2
    assert main(["--db", url, "programme", "import", "--actions", str(sheet), "--prefer", "spreadsheet"]) == 0
    capsys.readouterr()
    assert main(["--db", url, "say", "--as", FACILITATOR, "/actions A09"]) == 0
    assert "31 Oct 2026" in capsys.readouterr().out
    assert main(["--db", url, "programme", "export", "--out", str(tmp_path / "plan.txt")]) == 2


def test_the_assurance_report_never_calls_an_action_closed_without_impact_evidence(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'report.db'}"
    assert main(["--db", url, "programme", "import", str(EXAMPLE)]) == 0
    sheet = tmp_path / "plan.csv"
    assert main(["--db", url, "programme", "export", "--out", str(sheet)]) == 0
    edit(sheet, "A06", "Status", "Closed")
    assert main(["--db", url, "programme", "import", "--actions", str(sheet)]) == 0
    out = tmp_path / "assurance.md"
    assert main(["--db", url, "report", "assurance", "--format", "md", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    closed_rows = [line for line in text.splitlines() if "| Closed, impact evidenced (Blue) |" in line]
    impact_cells = [line.strip().strip("|").split("|")[-1].strip() for line in closed_rows]
    assert impact_cells and all(cell and cell != "none yet" for cell in impact_cells)
    assert not any(line.startswith("| A06 | Closed") for line in text.splitlines())
    assert "3 closed with evidence of impact" in text
