"""The dependency rule of STYLE.md §1, checked by reading every import (ruff's per-file ignores lift TID251 whole)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORM = {"slack_bolt", "slack_sdk", "microsoft_teams", "msal", "fastapi", "starlette", "uvicorn", "aiohttp"}
INFRA = {"sqlalchemy", "alembic", "apscheduler", "asyncpg", "aiosqlite", "holidays", "openpyxl", "yaml", "httpx"}
STDLIB_IO = {"os", "pathlib", "shutil", "subprocess", "socket", "sqlite3", "io"}


def imports_of(folder: str) -> dict[Path, set[str]]:
    found: dict[Path, set[str]] = {}
    for path in (ROOT / folder).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[path] = names
    return found


def test_handlers_import_only_stdlib_pydantic_and_themselves():
    for path, names in imports_of("handlers").items():
        bad = names & (PLATFORM | INFRA | STDLIB_IO | {"bot", "storage"})
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_handlers_never_read_the_environment_or_files():
    """No call to open(), no os.environ / getenv, found by walking the syntax tree (not by searching text)."""
    for path in (ROOT / "handlers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "open", f"{path.relative_to(ROOT)} opens a file"
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"environ", "getenv"}, f"{path.relative_to(ROOT)} reads the environment"


def test_storage_never_imports_bot_or_platform_sdks():
    for path, names in imports_of("storage").items():
        bad = names & (PLATFORM | {"bot", "apscheduler"})
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_nothing_but_tests_imports_bot():
    for folder in ("handlers", "storage"):
        for path, names in imports_of(folder).items():
            assert "bot" not in names, f"{path.relative_to(ROOT)} imports bot"


def test_scanner_sees_imports():
    """Guard the guard: the scan finds a known import, so an empty result above means something."""
    names = imports_of("storage")[ROOT / "storage" / "db.py"]
    assert "sqlalchemy" in names
