"""The dependency rule of STYLE.md §1, checked by reading every import (ruff's per-file ignores lift TID251 whole)."""

from __future__ import annotations

import ast
import re
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


# ----- the adapters (issue 11): Slack, Teams and the console translate payloads; they reach neither the database
# nor each other. Imports are read as dotted module names, so "bot.teams" in bot/slack is caught as well as "storage".

ADAPTERS = {
    "bot/slack": ("storage", "sqlalchemy", "bot.teams", "bot.console", "bot.console_session"),
    "bot/teams": ("storage", "sqlalchemy", "bot.slack", "bot.console", "bot.console_session"),
    "bot/console.py": ("storage", "sqlalchemy", "bot.slack", "bot.teams"),
    "bot/console_session.py": ("storage", "sqlalchemy", "bot.slack", "bot.teams"),
}

# What the adapters still import against the rule, file by file. The list may only shrink: a new import against
# the rule fails test_no_adapter_imports_more_than_it_did, and a fixed one must be taken off (test_the_list_is_exact).
# Empty: Teams conversation references and Slack's unlinked people are ports implemented in storage/, and the
# delivery channels' own database connections (and the handle Slack's OAuth stores are given) come from bot/compose.py.
STILL_TO_MOVE: dict[str, set[str]] = {}


def modules_imported(source: str, filename: str = "<source>") -> set[str]:
    """Every module a source imports, as a dotted name ("from a.b import c" → "a.b"; relative imports skipped)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def breaking(source: str, forbidden: tuple[str, ...], filename: str = "<source>") -> set[str]:
    """The imports of ``source`` that name a forbidden module or one inside it."""
    return {m for m in modules_imported(source, filename) if any(m == f or m.startswith(f + ".") for f in forbidden)}


def adapter_violations() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for where, forbidden in ADAPTERS.items():
        target = ROOT / where
        for path in [target] if target.is_file() else sorted(target.rglob("*.py")):
            bad = breaking(path.read_text(), forbidden, str(path))
            if bad:
                found[str(path.relative_to(ROOT))] = bad
    return found


def test_no_adapter_imports_more_than_it_did():
    for path, bad in adapter_violations().items():
        new = bad - STILL_TO_MOVE.get(path, set())
        assert not new, f"{path} imports {sorted(new)}: adapters go through bot/ and the ports, never storage"


def test_the_list_is_exact():
    """Once an import is moved behind a port, take it off STILL_TO_MOVE, so it cannot come back unnoticed."""
    found = adapter_violations()
    stale = {path: sorted(bad - found.get(path, set())) for path, bad in STILL_TO_MOVE.items()}
    assert not {p: b for p, b in stale.items() if b}, f"no longer imported, remove from STILL_TO_MOVE: {stale}"


def test_the_checker_fails_on_a_deliberate_violation():
    """Guard the guard: a Slack module that reaches storage, or Teams, is caught; one that does not, is not."""
    forbidden = ADAPTERS["bot/slack"]
    violating = "from storage.repositories.actions import SqlActionRepository\nimport bot.teams.render as r\n"
    assert breaking(violating, forbidden) == {"storage.repositories.actions", "bot.teams.render"}
    assert breaking("import sqlalchemy\n", forbidden) == {"sqlalchemy"}
    assert breaking("from bot.slack import render\nfrom bot.runtime import Runtime\n", forbidden) == set()
    assert breaking("from storagetools import x\n", forbidden) == set()  # a prefix of a word is not the module


PLATFORM_TYPES = {"Who", "Turn", "AsyncApp", "App", "MessageActivity", "Activity", "TurnContext"}
PLATFORM_PREFIX = re.compile(r"^_?(Slack|Teams|MsTeams|Bolt)[A-Z_]")  # SlackIdentity, TeamsIdentity, BoltRequest…


def platform_names(source: str) -> set[str]:
    """Every name a module defines, imports or uses that belongs to a platform: a type or function named after Slack
    or Teams, or one of the SDKs' own types. Read from the syntax tree, so strings and comments do not count."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add(node.name.split(".")[-1])  # the imported name, so that "import … as T" does not hide it
    return {n for n in names if n in PLATFORM_TYPES or PLATFORM_PREFIX.match(n)}


def test_handlers_name_no_platform_types():
    """Issue 11: a participant's accounts are platform-neutral (handlers.model.Account); no module in handlers/
    defines or names a Slack or Teams type."""
    for path in (ROOT / "handlers").rglob("*.py"):
        found = platform_names(path.read_text())
        assert not found, f"{path.relative_to(ROOT)} names {sorted(found)}"


def test_the_platform_check_fails_on_a_deliberate_violation():
    """Guard the guard: the two account types handlers/model.py used to define are caught, defined or imported."""
    assert platform_names("def f(who: Turn) -> None: ...\n") == {"Turn"}
    assert platform_names("class SlackIdentity(Frozen):\n    team_id: str\n") == {"SlackIdentity"}
    assert platform_names("from handlers.model import TeamsIdentity as T\n") == {"TeamsIdentity"}
    assert platform_names("x: tuple[SlackIdentity, ...] = ()\n") == {"SlackIdentity"}
    assert platform_names("teams = doc.teams\n# SlackIdentity\nlabel = 'Slack user'\n") == set()
    assert platform_names("class Account(Frozen):\n    platform: str\n") == set()


# ----- one composition root (issue 11): handlers and the runtime are given what they use and never ask what it is.

ASKED = {"deps", "runtime", "ports", "d"}  # names of the dependency bags and the runtime


def asks_what_it_was_given(source: str) -> set[str]:
    """Calls such as isinstance(deps, ReportDeps), getattr(runtime, "outbox", None), hasattr(deps, "plans")."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            continue
        if node.func.id not in {"isinstance", "getattr", "hasattr"}:
            continue
        subject = node.args[0]
        name = subject.attr if isinstance(subject, ast.Attribute) else getattr(subject, "id", "")
        if name in ASKED or (node.func.id == "hasattr"):
            found.add(f"{node.func.id}({ast.unparse(subject)}, …)")
    return found


def test_no_handler_or_runtime_checks_what_it_was_given():
    for folder in ("handlers", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            asked = asks_what_it_was_given(path.read_text())
            assert not asked, f"{path.relative_to(ROOT)}: {sorted(asked)}; give it what it needs in bot/compose.py"


def test_the_check_for_asking_fails_on_a_deliberate_violation():
    violating = (
        "async def post(actor, deps):\n"
        "    if not isinstance(deps, ReportDeps):\n"
        "        raise UserFacingError('not switched on')\n"
        "    outbox = getattr(self.runtime, 'outbox', None)\n"
        "    return hasattr(ports, 'plans')\n"
    )
    assert asks_what_it_was_given(violating) == {
        "isinstance(deps, …)",
        "getattr(self.runtime, …)",
        "hasattr(ports, …)",
    }
    assert asks_what_it_was_given("isinstance(activity, MessageActivity)\ngetattr(activity, 'text', '')\n") == set()
