"""The `aftercare` command as a user runs it (CONTRACT §2): exit codes, one-sentence errors, all-or-nothing import."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from tests.factories import MANAGER, OWNER, PRACTITIONER, make_programme_dict


def write_programme(path: Path, data: dict[str, object] | None = None) -> Path:
    payload = {"programme": json.loads(json.dumps(data or make_programme_dict(), default=str))}
    path.write_text(yaml.safe_dump(payload, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--db", url, "programme", "import", str(write_programme(tmp_path / "p.yaml"))]) == 0
    return url


def snapshot(url: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return [(t, *row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}" ORDER BY 1')]


def test_say_exit_codes(db: str, capsys: pytest.CaptureFixture[str]):
    assert main(["--db", db, "say", "--as", OWNER, "/actions A07 on track Weekly huddles started"]) == 0
    assert "is now 'On track'" in capsys.readouterr().out
    before = snapshot(db)
    assert main(["--db", db, "say", "--as", PRACTITIONER, "/actions A07 on track Weekly huddles started"]) == 1
    assert "Only A07's owner, their line manager, a lead for KBC or a facilitator" in capsys.readouterr().out
    assert snapshot(db) == before
    assert main(["--db", db, "say", "--as", "nobody@nowhere.example", "/actions"]) == 2
    assert "Nobody with the email nobody@nowhere.example" in capsys.readouterr().err
    assert main(["--db", db, "say", "--as", OWNER, "/actions A07"]) == 0
    shown = capsys.readouterr().out
    assert "Olu Owner" in shown
    assert "Weekly huddles started" in shown


def test_say_accepts_the_text_unquoted(db: str, capsys: pytest.CaptureFixture[str]):
    assert main(["--db", db, "say", "--as", MANAGER, "/actions", "A07", "amber", "IT", "delay"]) == 0
    assert "At risk" in capsys.readouterr().out


def test_broken_programme_lists_every_problem_and_changes_nothing(db: str, tmp_path: Path, capsys):
    before = snapshot(db)
    data = make_programme_dict()
    data["actions"][0]["owner"] = "ghost@police.example"
    data["actions"][1]["due"] = "2026-13-40"
    data["participants"][1]["agency"] = "NOPE"
    assert main(["--db", db, "programme", "import", str(write_programme(tmp_path / "bad.yaml", data))]) == 1
    err = capsys.readouterr().err
    assert "Nothing was imported: 4 problem(s)" in err  # the wrong agency also breaks the team
    assert "ghost@police.example" in err
    assert "NOPE" in err
    assert "line " in err
    assert snapshot(db) == before


def test_reimport_is_idempotent(db: str, tmp_path: Path, capsys):
    before = snapshot(db)
    assert main(["--db", db, "programme", "import", str(write_programme(tmp_path / "again.yaml"))]) == 0
    after = snapshot(db)
    assert [r for r in after if r[0] not in ("programmes", "audit_events")] == [
        r for r in before if r[0] not in ("programmes", "audit_events")
    ]


def test_misuse_and_errors_are_one_sentence_without_traceback(tmp_path: Path, capsys):
    assert main(["--db", f"sqlite:///{tmp_path / 'x.db'}", "programme", "import"]) == 2
    missing = tmp_path / "missing.yaml"
    assert main(["--db", f"sqlite:///{tmp_path / 'x.db'}", "programme", "import", str(missing)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len([line for line in err.splitlines() if line.strip()]) <= 3


def test_console_script_is_installed_and_runs(db: str):
    """The real `aftercare` entry point, as a new user calls it."""
    exe = Path(sys.executable).with_name("aftercare")
    done = subprocess.run(
        [str(exe), "--db", db, "programme", "show"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Review: Child Q (TEST-1)" in done.stdout
    assert "9 participants" in done.stdout


EXAMPLE = Path(__file__).resolve().parent.parent / "examples"


def test_example_programme_and_action_plan_spreadsheet(tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path / 'example.db'}"
    assert main(["--db", url, "programme", "import", str(EXAMPLE / "programme.yaml")]) == 0
    before = snapshot(url)
    assert main(["--db", url, "programme", "import", "--actions", str(EXAMPLE / "action-plan.csv")]) == 0
    assert "actions: 0 added, 0 updated, 21 unchanged" in capsys.readouterr().out
    same = ("audit_events", "programmes")  # the audit trail grows; the stored copy of the plan is refreshed
    assert [r for r in snapshot(url) if r[0] not in same] == [r for r in before if r[0] not in same]
    before = snapshot(url)
    broken = tmp_path / "plan.csv"
    rows = (EXAMPLE / "action-plan.csv").read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].replace("2026-", "2026/13/", 1)
    rows[5] = rows[5].replace("@", "-at-", 1)
    broken.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["--db", url, "programme", "import", "--actions", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "row 4" in err
    assert "row 6" in err
    assert [r for r in snapshot(url) if r[0] != "audit_events"] == [r for r in before if r[0] != "audit_events"]
    owner = "principal.sw@kestermoor.gov.example"
    assert main(["--db", url, "say", "--as", owner, "/actions A07 at risk Weekly huddles paused"]) == 0


def test_console_asks_forms_field_by_field(db: str):
    exe = Path(sys.executable).with_name("aftercare")
    typed = "/reflect\nyes\nJoint visits helped me see the young person's week.\n\nno\n/actions A07\nquit\n"
    done = subprocess.run(
        [str(exe), "--db", db, "console", "--as", PRACTITIONER],
        input=typed, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Before you start" in done.stdout
    assert "Anonymity receipt" in done.stdout
    assert "'My week' tool" in done.stdout


def test_reflect_at_the_terminal(db: str, capsys: pytest.CaptureFixture[str]):
    """Statement first (exit 1 with how to confirm); then the form, whose at-risk question must be answered, so
    `say` shows the form and stores nothing: the answer is required on every submission."""
    assert main(["--db", db, "say", "--as", PRACTITIONER, "/reflect Joint visits helped me."]) == 1
    assert "/aftercare privacy accept" in capsys.readouterr().out
    assert main(["--db", db, "say", "--as", PRACTITIONER, "/aftercare privacy accept"]) == 0
    before = snapshot(db)
    assert main(["--db", db, "say", "--as", PRACTITIONER, "/reflect Joint visits helped me see the week."]) == 0
    out = capsys.readouterr().out
    assert "Is any of this about a child who may be at risk now?" in out
    assert "aftercare console" in out
    assert [r for r in snapshot(db) if r[0] != "audit_events"] == [r for r in before if r[0] != "audit_events"]


def test_global_flags_work_after_the_sub_command(db: str, capsys: pytest.CaptureFixture[str]):
    assert main(["programme", "show", "--db", db]) == 0
    assert "Review: Child Q (TEST-1)" in capsys.readouterr().out
    assert main(["say", "--as", OWNER, f"--db={db}", "/actions"]) == 0
