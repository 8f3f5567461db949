"""`aftercare broadcast` and `aftercare worker --drain` as a facilitator runs them at a terminal."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.delivery.helpers import write_programme
from tests.factories import FACILITATOR, OWNER


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--db", url, "programme", "import", str(write_programme(tmp_path / "p.yaml"))]) == 0
    return url


def test_broadcast_then_drain_then_status(db: str, capsys: pytest.CaptureFixture[str]):
    words = ["team:T-ADO", "Please read the new guidance"]
    assert main(["--db", db, "broadcast", "--as", FACILITATOR, "--yes", *words]) == 0
    out = capsys.readouterr().out
    assert "Preview of B1" in out and "B1 will go to 3 recipients now" in out
    assert main(["--db", db, "worker", "--drain"]) == 0
    drained = capsys.readouterr().out
    sent = re.search(r"Sent (\d+) message", drained)
    assert sent is not None, drained  # how many depends on the hour: outside working hours they wait
    assert main(["--db", db, "broadcast", "--as", FACILITATOR, "status", "B1"]) == 0
    status = capsys.readouterr().out
    assert re.search(rf"^Sent\s+{sent[1]}$", status, flags=re.MULTILINE), status
    assert "Please read the new guidance" in status


def test_broadcast_refusals_and_misuse(db: str, capsys: pytest.CaptureFixture[str]):
    assert main(["--db", db, "broadcast", "--as", FACILITATOR, "status", "B9"]) == 1
    assert "There is no broadcast B9" in capsys.readouterr().out
    assert main(["--db", db, "broadcast", "--as", OWNER, "all", "Hello"]) == 1
    assert "Only facilitators" in capsys.readouterr().out
    assert main(["--db", db, "broadcast", "--as", "nobody@example.org", "list"]) == 2


def test_a_broadcast_needs_yes_off_a_terminal_or_a_confirm_later(db: str, capsys, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--db", db, "broadcast", "--as", FACILITATOR, "all", "Hello everyone"]) == 1
    captured = capsys.readouterr()
    assert "Preview of B1" in captured.out
    assert (
        f"add --yes to send it, or confirm it within the hour with aftercare broadcast --as {FACILITATOR} "
        "confirm B1" in captured.err
    )
    assert main(["--db", db, "broadcast", "--as", FACILITATOR, "--yes", "all", "Hello everyone"]) == 0
    assert "B2 will go to 9 recipients" in capsys.readouterr().out
    assert main(["--db", db, "broadcast", "--as", FACILITATOR, "list"]) == 0
    listed = capsys.readouterr().out
    assert "B1 ·" in listed and "awaiting confirmation" in listed and "B2 ·" in listed
    assert main(["--db", db, "broadcast", "--as", FACILITATOR, "confirm", "B1"]) == 0
    assert "B1 will go to 9 recipients" in capsys.readouterr().out
    assert main(["--db", db, "broadcast", "--as", OWNER, "confirm", "B1"]) == 1


def test_at_a_terminal_the_facilitator_is_asked(db: str, capsys, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["n", "yes"])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))
    assert main(["--db", db, "broadcast", "--as", FACILITATOR, "all", "Hello", "at", "tomorrow", "10:00"]) == 1
    assert "B1 is cancelled; nothing was sent." in capsys.readouterr().out
    assert main(["--db", db, "broadcast", "--as", FACILITATOR, "all", "Hello", "at", "tomorrow", "10:00"]) == 0
    assert "B2 will go to 9 recipients at" in capsys.readouterr().out


def test_say_previews_then_confirms(db: str, capsys: pytest.CaptureFixture[str]):
    line = '/broadcast forum:F-MA "Agenda attached" at monday 09:30'
    assert main(["--db", db, "say", "--as", FACILITATOR, line]) == 0
    shown = capsys.readouterr().out
    assert "Preview of B1: nothing has been sent yet" in shown and "[Send to 2 recipients]  [Cancel]" in shown
    assert main(["--db", db, "say", "--as", FACILITATOR, "/broadcast confirm B1"]) == 0
    assert "Confirmed: B1 will go to 2 recipients at" in capsys.readouterr().out
    assert main(["--db", db, "say", "--as", FACILITATOR, "/broadcast confirm B1"]) == 1
    assert "already confirmed" in capsys.readouterr().out


def test_console_asks_before_sending(db: str):
    exe = Path(sys.executable).with_name("aftercare")
    typed = '/broadcast team:T-ADO "Hello from the console"\nyes\n/broadcast all "Not this one"\nno\nquit\n'
    done = subprocess.run(
        [str(exe), "--db", db, "console", "--as", FACILITATOR],
        input=typed, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Send B1 now? [y/N]" in done.stdout
    assert "Confirmed: B1 will go to 3 recipients" in done.stdout
    assert "B2 is cancelled; nothing was sent." in done.stdout
