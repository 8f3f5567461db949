"""One settings object: every variable read once, NAME_FILE for secrets, one clear line per bad value."""

from __future__ import annotations

import ast
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.compose import build_runtime
from bot.settings import ConfigurationError, load_settings

ROOT = Path(__file__).resolve().parents[2]
SECRETS = (
    "SLACK_SIGNING_SECRET",
    "SLACK_BOT_TOKEN",
    "SLACK_CLIENT_SECRET",
    "SLACK_APP_TOKEN",
    "TEAMS_CLIENT_SECRET",
    "TEAMS_CERTIFICATE_PASSWORD",
    "AFTERCARE_ANONYMITY_SECRET",
)


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith(("AFTERCARE_", "SLACK_", "TEAMS_")):
            monkeypatch.delenv(name)


def problems(monkeypatch: pytest.MonkeyPatch, **env: str) -> list[str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as raised:
        load_settings()
    return raised.value.problems


@pytest.mark.parametrize("name", SECRETS)
def test_every_secret_can_come_from_a_file(name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    (tmp_path / "secret").write_text("from-the-file\n")
    monkeypatch.setenv(f"{name}_FILE", str(tmp_path / "secret"))
    settings = load_settings()
    group = {"SLACK": settings.slack, "TEAMS": settings.teams}.get(name.split("_")[0], settings)
    field = name.split("_", 1)[1].lower() if group is not settings else name.removeprefix("AFTERCARE_").lower()
    assert getattr(group, field).get_secret_value() == "from-the-file"


def test_the_database_url_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    (tmp_path / "url").write_text("postgresql://aftercare:pw@db:5432/aftercare\n")
    monkeypatch.setenv("AFTERCARE_DATABASE_URL_FILE", str(tmp_path / "url"))
    assert load_settings().database_url == "postgresql://aftercare:pw@db:5432/aftercare"


def test_a_secret_and_its_file_together_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    (tmp_path / "secret").write_text("one")
    found = problems(monkeypatch, SLACK_BOT_TOKEN="two", SLACK_BOT_TOKEN_FILE=str(tmp_path / "secret"))
    assert found == ["Please set SLACK_BOT_TOKEN or SLACK_BOT_TOKEN_FILE, not both."]


def test_a_missing_secret_file_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    found = problems(monkeypatch, TEAMS_CLIENT_SECRET_FILE=str(tmp_path / "absent"))
    assert found == ["TEAMS_CLIENT_SECRET_FILE names a file that cannot be read."]


def test_bad_values_are_one_line_each_naming_the_variable_never_the_value(monkeypatch: pytest.MonkeyPatch):
    found = problems(
        monkeypatch,
        AFTERCARE_LOG_FORMAT="hunter2-xml",
        AFTERCARE_LOG_LEVEL="hunter2",
        AFTERCARE_TIMEZONE="Mars/Olympus",
        AFTERCARE_DATABASE_URL="mysql://root:hunter2@db/x",
        AFTERCARE_SLACK_WORKSPACE_PER_SECOND="-1",
        TEAMS_CERTIFICATE_THUMBPRINT="hunter2",
    )
    assert len(found) == 6
    assert all("hunter2" not in line and "\n" not in line for line in found)
    for name in ("AFTERCARE_LOG_FORMAT", "AFTERCARE_LOG_LEVEL", "AFTERCARE_TIMEZONE", "AFTERCARE_DATABASE_URL"):
        assert any(line.startswith(f"{name} is not valid") for line in found), found
    assert any(line.startswith("TEAMS_CERTIFICATE_THUMBPRINT") for line in found)
    assert any(line.startswith("AFTERCARE_SLACK_WORKSPACE_PER_SECOND") for line in found)


def test_the_cli_refuses_bad_configuration_in_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "bot", "programme", "show"],
        env={"PATH": "/usr/bin:/bin", "AFTERCARE_LOG_FORMAT": "xml"},
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "AFTERCARE_LOG_FORMAT" in done.stderr and "Traceback" not in done.stderr


def test_only_the_settings_module_reads_the_environment():
    """Found by walking the syntax tree: no os.environ / os.getenv outside bot/settings.py."""
    readers = []
    for folder in ("bot", "handlers", "storage"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
                    readers.append(str(path.relative_to(ROOT)))
    assert set(readers) <= {"bot/settings.py"}, readers


async def test_the_anonymity_key_path_is_created_once_private_and_used(monkeypatch, tmp_path: Path):
    key = tmp_path / "keys" / "anonymity.key"
    monkeypatch.setenv("AFTERCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'a.db'}")
    monkeypatch.setenv("AFTERCARE_ANONYMITY_KEY_PATH", str(key))
    first = build_runtime(load_settings())
    second = build_runtime(load_settings())
    assert first.secret == second.secret == key.read_bytes().strip()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert not (tmp_path / "a.anonymity-key").exists()
    await first.close()
    await second.close()


async def test_a_partnership_prompt_library_replaces_the_shipped_one(monkeypatch, tmp_path: Path):
    from bot.prompt_files import default_folder

    own = tmp_path / "our-prompts"
    own.mkdir()
    for path in default_folder().glob("*.yaml"):
        (own / path.name).write_text(path.read_text())
    first = next(iter(load_library_ids(own)))
    text = (own / "prompts.yaml").read_text().replace(f"id: {first}", "id: PR-91", 1)
    (own / "prompts.yaml").write_text(text)
    monkeypatch.setenv("AFTERCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.setenv("AFTERCARE_PROMPTS_DIR", str(own))
    runtime = build_runtime(load_settings())
    assert runtime.library.prompt("PR-91") is not None
    await runtime.close()


def load_library_ids(folder: Path) -> list[str]:
    from bot.prompt_files import load_library

    return [prompt.id for prompt in load_library(folder).prompts]


def test_a_prompts_dir_that_is_not_a_folder_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    found = problems(monkeypatch, AFTERCARE_PROMPTS_DIR=str(tmp_path / "nowhere"))
    assert found == ["AFTERCARE_PROMPTS_DIR is not valid: should be a folder holding the prompt library's .yaml files."]
