"""Attack (issue 13, step 5): free text imported with an action plan is screened like text typed in chat.

An action plan spreadsheet (or programme YAML) whose evidence cell holds a child's name, address, postcode and date of
birth must be refused with the row and the column, and nothing identifying may reach the database, `/actions CODE`
or the assurance CSV. Every free-text cell has a length limit with a kind message naming the row and the column.
"""

from __future__ import annotations

import contextlib
import csv
import io
import sqlite3
from pathlib import Path

import pytest
import yaml

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
OWNER = "principal.sw@kestermoor.gov.example"  # owns A16 in examples/programme.yaml
CHILD = "Standard used in Jayden Carter's case (14 Mill Lane, KM4 7QT, DOB 04/05/2012)"
IDENTIFYING = ("Jayden", "Carter's case", "Mill Lane", "KM4 7QT", "04/05/2012")


def plan_with(tmp_path: Path, column: str, code: str, value: str) -> tuple[Path, int]:
    """examples/action-plan.csv with one cell set (the column added when the file has none); the file and the row."""
    with (ROOT / "examples" / "action-plan.csv").open(encoding="utf-8", newline="") as source:
        table = list(csv.reader(source))
    if column not in table[0]:
        table[0].append(column)
        for row in table[1:]:
            row.append("")
    position = table[0].index(column)
    row_number = 0
    for number, row in enumerate(table[1:], start=2):
        if row[0] == code:
            row[position], row_number = value, number
    out = io.StringIO()
    csv.writer(out).writerows(table)
    path = tmp_path / "plan.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, row_number


def everything_stored(url: str) -> str:
    with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(f"{t}: {row}" for t in tables for row in db.execute(f'SELECT * FROM "{t}"'))


@pytest.fixture
def database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    url = f"sqlite:///{tmp_path / 'aftercare.db'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert main(["--db", url, "programme", "import", str(ROOT / "examples" / "programme.yaml")]) == 0
    capsys.readouterr()
    return url


@pytest.mark.parametrize("column", ["evidence of completion", "impact_evidenced", "resources"])
def test_identifying_evidence_in_a_spreadsheet_is_refused_and_never_stored(database, tmp_path, capsys, column):
    plan, row = plan_with(tmp_path, column, "A16", CHILD)
    code = main(["--db", database, "programme", "import", "--actions", str(plan)])
    said = capsys.readouterr()
    answer = said.out + said.err
    assert code != 0
    assert f"row {row}, {column}:" in answer
    assert "could identify someone" in answer
    assert "Nothing was imported" in answer
    assert not [word for word in IDENTIFYING if word in answer]  # the refusal does not repeat the details either
    stored = everything_stored(database)
    assert not [word for word in IDENTIFYING if word in stored]
    assert main(["--db", database, "say", "--as", OWNER, "/actions A16"]) == 0
    assert main(["--db", database, "report", "assurance", "--format", "csv"]) == 0
    shown = capsys.readouterr().out
    assert not [word for word in IDENTIFYING if word in shown]


def test_a_plan_without_identifiers_still_imports(database, tmp_path, capsys):
    plan, _ = plan_with(tmp_path, "evidence of completion", "A16", "Standard adopted by all three agencies in May")
    assert main(["--db", database, "programme", "import", "--actions", str(plan)]) == 0
    assert "Standard adopted by all three agencies" in everything_stored(database)


def test_a_long_evidence_cell_is_refused_with_its_row_and_column(database, tmp_path, capsys):
    plan, row = plan_with(tmp_path, "evidence of completion", "A16", ("word " * 1360).strip() + "s")
    assert main(["--db", database, "programme", "import", "--actions", str(plan)]) != 0
    said = capsys.readouterr()
    answer = said.out + said.err
    assert f"row {row}, evidence of completion: please keep this to 1,000 characters (this one has 6,800)" in answer
    assert "word word word" not in everything_stored(database)


def test_identifying_evidence_in_a_programme_file_is_refused_with_its_line(tmp_path, capsys):
    document = yaml.safe_load((ROOT / "examples" / "programme.yaml").read_text(encoding="utf-8"))
    action = next(a for a in document["programme"]["actions"] if a["id"] == "A16")
    action["evidence_of_completion"] = CHILD
    path = tmp_path / "programme.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'aftercare.db'}"
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert main(["--db", url, "programme", "import", str(path)]) != 0
    said = capsys.readouterr()
    answer = said.out + said.err
    assert "evidence_of_completion" in answer or "evidence of completion" in answer
    assert "could identify someone" in answer
    assert "line " in answer
    assert not [word for word in IDENTIFYING if word in everything_stored(url)]
