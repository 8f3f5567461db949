"""The systemd units in deploy/ are valid as systemd reads them (when systemd-analyze is on the machine)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "systemd"


@pytest.mark.parametrize("unit", sorted(p.name for p in DEPLOY.glob("*.service")))
def test_the_unit_verifies(unit: str, tmp_path: Path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    target = tmp_path / unit.replace("@.", "@1.")
    target.write_text((DEPLOY / unit).read_text())
    done = subprocess.run(["systemd-analyze", "verify", str(target)], capture_output=True, text=True, timeout=60)
    problems = [
        line for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and "is not executable" not in line  # /opt/aftercare is not installed here
    ]  # fmt: skip
    assert problems == []


def test_secrets_reach_the_service_as_files_never_as_values():
    for unit in DEPLOY.glob("*.service"):
        text = unit.read_text()
        for name in ("AFTERCARE_DATABASE_URL", "AFTERCARE_ANONYMITY_SECRET", "SLACK_BOT_TOKEN", "TEAMS_CLIENT_SECRET"):
            assert f"{name}_FILE=%d/" in text
            assert f"{name}=" not in text
