"""`aftercare teams package`: a Teams app package whose manifest Microsoft's v1.29 schema accepts."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.cli import main
from bot.teams.package import PackageOptions, manifest, package_bytes
from handlers.grammar import COMMANDS

SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "schemas" / "teams-app-manifest-v1.29.schema.json"
BOT_ID = "6f1c2a9e-3b7d-4e58-9a0c-1d2e3f4a5b6c"


def schema_errors(document: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_cli_writes_a_package_that_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv("TEAMS_CLIENT_ID", BOT_ID)
    out = tmp_path / "aftercare-teams.zip"
    assert main(["teams", "package", "--out", str(out), "--website", "https://aftercare.example.org"]) == 0
    assert str(out) in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        document = json.loads(archive.read("manifest.json"))
        assert png_size(archive.read("color.png")) == (192, 192)
        assert png_size(archive.read("outline.png")) == (32, 32)
    assert schema_errors(document) == []
    assert document["bots"][0]["botId"] == BOT_ID
    assert document["developer"]["privacyUrl"] == "https://aftercare.example.org/privacy"


def test_the_command_list_is_the_chat_command_words():
    document = manifest(PackageOptions(bot_id=BOT_ID))
    [personal, group] = document["bots"][0]["commandLists"]
    assert [c["title"] for c in personal["commands"]] == list(COMMANDS)
    assert {c["title"] for c in group["commands"]} <= set(COMMANDS)
    assert schema_errors(document) == []


def test_the_app_id_is_stable_for_one_bot_and_can_be_chosen():
    first, second = manifest(PackageOptions(bot_id=BOT_ID)), manifest(PackageOptions(bot_id=BOT_ID))
    assert first["id"] == second["id"] != BOT_ID
    chosen = manifest(PackageOptions(bot_id=BOT_ID, app_id="11111111-2222-4333-8444-555555555555", domain="a.example"))
    assert chosen["id"] == "11111111-2222-4333-8444-555555555555"
    assert chosen["validDomains"] == ["a.example"]
    assert schema_errors(chosen) == []
    assert package_bytes(PackageOptions(bot_id=BOT_ID))[:2] == b"PK"


def test_without_a_client_id_the_cli_explains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.delenv("TEAMS_CLIENT_ID", raising=False)
    assert main(["teams", "package", "--out", str(tmp_path / "x.zip")]) == 2
    assert "TEAMS_CLIENT_ID" in capsys.readouterr().err
    monkeypatch.setenv("TEAMS_CLIENT_ID", "not-a-guid")
    assert main(["teams", "package", "--out", str(tmp_path / "x.zip")]) == 2
    assert "GUID" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()
