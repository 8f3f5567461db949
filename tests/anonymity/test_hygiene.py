"""Operational attacks: files others can read, a key kept beside the database, weak secrets, log lines, formulas in
CSV exports, and a programme id that walks out of the reports folder."""

from __future__ import annotations

import datetime as dt
import logging
import os
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.accounts import find_account
from bot.compose import anonymity_key
from bot.reports.markdown import render_csv
from bot.runtime import anonymity_secret
from bot.safe_output import inside
from bot.settings import load_settings
from handlers.programme_doc import ProgrammeDoc
from handlers.reports.model import Cell, Report, Section, Table
from handlers.requests import Identity
from storage.migrate import upgrade
from tests.factories import make_programme_dict

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path):
    old = os.umask(0o022)
    try:
        upgrade(f"sqlite:///{tmp_path / 'fresh.db'}")
    finally:
        os.umask(old)
    files = list(tmp_path.glob("fresh.db*"))
    assert files and all(private(f) for f in files), [(f.name, oct(f.stat().st_mode)) for f in files]


def test_the_key_file_lives_outside_the_database_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("AFTERCARE_ANONYMITY_SECRET", raising=False)
    monkeypatch.delenv("AFTERCARE_ANONYMITY_KEY_PATH", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    (tmp_path / "data").mkdir()
    secret = anonymity_secret(f"sqlite:///{tmp_path / 'data' / 'aftercare.db'}")
    assert len(secret) >= 32
    assert list((tmp_path / "data").iterdir()) == []  # one backup of the folder does not hold both
    keys = [path for path in (tmp_path / "home").rglob("*key*") if path.is_file()]
    assert len(keys) == 1 and private(keys[0])
    assert anonymity_secret(f"sqlite:///{tmp_path / 'data' / 'aftercare.db'}") == secret  # the same key next time


def test_the_key_file_path_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("AFTERCARE_ANONYMITY_SECRET", raising=False)
    chosen = tmp_path / "vault" / "aftercare.key"
    monkeypatch.setenv("AFTERCARE_ANONYMITY_KEY_PATH", str(chosen))
    monkeypatch.setenv("AFTERCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'aftercare.db'}")
    secret = anonymity_key(load_settings())
    assert chosen.read_bytes().strip() == secret and private(chosen)


def test_a_short_secret_is_refused_with_one_clear_line(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AFTERCARE_ANONYMITY_SECRET", "too-short")
    monkeypatch.setenv("AFTERCARE_DATABASE_URL", "postgresql://postgres@127.0.0.1/x")
    with pytest.raises(RuntimeError) as error:
        anonymity_key(load_settings())
    message = str(error.value)
    assert "32" in message and "\n" not in message


def report_with(texts: list[str]) -> Report:
    table = Table(
        key="t", title="T", columns=("Group", "Note"), rows=tuple((Cell(text="KBC"), Cell(text=t)) for t in texts)
    )
    return Report(kind="delivery", title="T", subtitle="S", as_of=dt.date(2026, 6, 1), k=5, summary="S",
                  sections=(Section(heading="H", tables=(table,)),), csv_table="t")  # fmt: skip


def test_csv_cells_that_start_a_formula_open_as_text():
    import csv
    import io

    rows = list(csv.reader(io.StringIO(render_csv(report_with(FORMULAS)), newline="")))[1:]
    assert [row[1] for row in rows] == ["'" + formula.replace("\r", "\n") for formula in FORMULAS]


@pytest.mark.parametrize("code", ["../../etc", "a/b", "x y", "..", "tscp\\x", ""])
def test_a_programme_id_must_be_plain(code: str):
    programme = make_programme_dict()
    programme["id"] = code
    with pytest.raises(ValidationError):
        ProgrammeDoc.model_validate(programme)


@pytest.mark.parametrize("code", ["../../escape", "/etc", "a/../../b"])
def test_report_files_stay_inside_their_folder(tmp_path: Path, code: str):
    with pytest.raises(ValueError):
        inside(tmp_path / "reports", code)
    assert inside(tmp_path / "reports", "TSCP-1") == (tmp_path / "reports" / "TSCP-1").resolve()


async def test_a_teams_email_match_logs_no_participant_id(caplog: pytest.LogCaptureFixture):
    class People:
        async def by_platform(self, *_: object) -> list[object]:
            return []

        async def by_email_within(self, _email: str, _within: object) -> list[object]:
            return [Person()]

        async def add_identity(self, *_: object) -> None:
            return None

    class Person:
        id, programme_id = 4242, 1

        def on(self, _platform: str) -> tuple[()]:
            return ()

    class Programmes:
        async def workspaces(self, _platform: str) -> dict[int, set[str]]:
            return {1: {"tenant"}}

    class Deps:
        participants = People()
        programmes = Programmes()

    class Session:
        async def commit(self) -> None:
            return None

        async def rollback(self) -> None:
            return None

    async def lookup() -> list[str]:
        return ["someone@example.org"]

    caplog.set_level(logging.DEBUG)
    account = Identity(platform="teams", workspace="tenant", user_id="aad-1")
    found = await find_account(Deps(), Session(), account, lookup)  # type: ignore[arg-type]
    assert found is not None
    assert "4242" not in caplog.text and "someone@example.org" not in caplog.text
