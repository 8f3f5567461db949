"""Packaging: every import declared, the lock files in step with pyproject.toml, and a built wheel that runs on its own.

The wheel test is what an IT department does: build the wheel, install it (dependencies from the lock file) in a
new virtual environment in an empty folder outside the checkout, then run ``aftercare demo`` and ``aftercare serve``
there and ask ``/healthz`` and ``/metrics``.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# import name -> distribution name, where they differ
DISTRIBUTIONS = {
    "yaml": "pyyaml",
    "docx": "python-docx",
    "sklearn": "scikit-learn",
    "microsoft_teams": "microsoft-teams-apps",
    "PIL": "pillow",
    "jwt": "pyjwt",
    "pydantic_core": "pydantic-core",
    "pydantic_settings": "pydantic-settings",
    "prometheus_client": "prometheus-client",
    "slack_bolt": "slack-bolt",
    "slack_sdk": "slack-sdk",
}
FIRST_PARTY = {"bot", "handlers", "storage", "tests", "bench"}


def declared(requirements: list[str]) -> dict[str, str]:
    """name -> pinned version, from requirement strings such as ``name[extra]==1.2; marker``."""
    found = {}
    for requirement in requirements:
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^;\s]+)", requirement)
        assert match, f"{requirement} is not pinned with =="
        found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def imported(folders: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in FIRST_PARTY}


def distribution(module: str) -> str:
    return DISTRIBUTIONS.get(module, module).lower().replace("_", "-")


RUNTIME = declared(PYPROJECT["project"]["dependencies"])
DEV = declared(PYPROJECT["project"]["optional-dependencies"]["dev"])


def test_every_import_of_the_product_is_a_declared_dependency():
    missing = {m for m in imported(("bot", "handlers", "storage")) if distribution(m) not in RUNTIME}
    assert not missing, f"imported but not in [project].dependencies: {sorted(missing)}"


def test_every_import_of_the_tests_is_declared_too():
    missing = {m for m in imported(("tests", "bench")) if distribution(m) not in RUNTIME | DEV}
    assert not missing, f"imported by tests or bench but not declared: {sorted(missing)}"


@pytest.mark.parametrize(("lock", "pins"), [("requirements.lock", RUNTIME), ("requirements-dev.lock", RUNTIME | DEV)])
def test_the_lock_files_pin_what_pyproject_pins(lock: str, pins: dict[str, str]):
    """After a dependency changes in pyproject.toml, `make lock` must be run: otherwise make installs the old one."""
    text = (ROOT / lock).read_text()
    locked = {
        m.group(1).lower().replace("_", "-"): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)
    }
    wrong = {name: (version, locked.get(name)) for name, version in pins.items() if locked.get(name) != version}
    assert not wrong, f"{lock} is out of step with pyproject.toml (run `make lock`): {wrong}"
    assert "--hash=sha256:" in text


def test_python_311_to_313_are_declared():
    project = PYPROJECT["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    for minor in (11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in project["classifiers"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def copy_checkout(target: Path) -> None:
    """The files git knows about (committed or not), symbolic links kept, and nothing built or cached."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        source = ROOT / raw.decode()
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        destination = target / raw.decode()
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            destination.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, destination)


def run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=600)


def clean_environment(home: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("AFTERCARE_", "SLACK_", "TEAMS_", "PYTHON"))}
    return {**kept, "HOME": str(home)}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel built from this checkout; returns its bin folder."""
    work = tmp_path_factory.mktemp("wheel")
    source, dist, venv = work / "source", work / "dist", work / "venv"
    copy_checkout(source)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(source))
    wheels = list(dist.glob("aftercare-*.whl"))
    assert len(wheels) == 1
    run(sys.executable, "-m", "venv", str(venv))
    pip = str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"
    run(*pip, "--require-hashes", "-r", str(ROOT / "requirements.lock"))
    run(*pip, "--no-deps", str(wheels[0]))
    return venv / "bin"


@pytest.mark.slow
def test_the_wheel_holds_the_prompt_library_and_the_example(installed: Path):
    site = subprocess.run(
        [str(installed / "python"), "-c", "import bot, pathlib; print(pathlib.Path(bot.__file__).parent)"],
        capture_output=True, text=True, check=True, cwd="/",
    ).stdout.strip()  # fmt: skip
    package = Path(site)
    assert ROOT not in package.parents
    assert sorted(p.name for p in (package / "prompts").glob("*.yaml")) == [
        "indicators.yaml",
        "prompts.yaml",
        "tags.yaml",
    ]
    example = package / "examples" / "programme.yaml"
    assert not example.is_symlink()
    assert example.read_text() == (ROOT / "examples" / "programme.yaml").read_text()


@pytest.mark.slow
def test_aftercare_demo_runs_from_the_wheel_in_an_empty_folder(installed: Path, tmp_path: Path):
    folder = tmp_path / "empty"
    folder.mkdir()
    done = subprocess.run(
        [str(installed / "aftercare"), "demo"],
        cwd=folder, env=clean_environment(tmp_path), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Imported examples/programme.yaml" in done.stdout
    assert any((folder / "demo-output").rglob("*.md"))


@pytest.mark.slow
def test_aftercare_serve_runs_from_the_wheel_and_stops_on_sigterm(installed: Path, tmp_path: Path):
    port = free_port()
    database = f"sqlite:///{tmp_path / 'serve.db'}"
    env = clean_environment(tmp_path) | {"AFTERCARE_DATABASE_URL": database, "AFTERCARE_LOG_LEVEL": "INFO"}
    server = subprocess.Popen(
        [str(installed / "aftercare"), "serve", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        health = wait_for(f"http://127.0.0.1:{port}/healthz", server)
        assert health == '{"status":"ok"}'
        assert "aftercare_outbox_messages" in wait_for(f"http://127.0.0.1:{port}/metrics", server)
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=60)
    # uvicorn shuts down gracefully, then lets SIGTERM end the process as it was asked to (systemd counts that clean)
    assert server.returncode in (0, -signal.SIGTERM), err[-2000:]
    assert "Aftercare stopped" in err
    assert "Traceback" not in err


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped on its own"
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback only)
                return str(answer.read().decode())
        except OSError:
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer within {seconds:g} s")
