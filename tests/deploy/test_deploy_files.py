"""The deployment files say what docs/operations-containers.md promises (the image itself: test_container.py)."""

from __future__ import annotations

from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_image_runs_as_a_user_other_than_root_and_checks_its_health():
    lines = (DEPLOY / "Containerfile").read_text().splitlines()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and all(not user.startswith(("0", "root")) for user in users)
    check = next(n for n, line in enumerate(lines) if line.startswith("HEALTHCHECK"))
    assert "127.0.0.1:8000/healthz" in " ".join(lines[check : check + 2])


def test_compose_runs_serve_workers_and_postgresql_with_a_volume_for_reports():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "migrate", "serve", "worker"}
    assert services["serve"]["command"][0] == "serve"
    assert "--no-worker" in services["serve"]["command"]
    assert services["worker"]["command"] == ["worker"]
    assert services["worker"]["deploy"]["replicas"] >= 2
    for name in ("serve", "worker"):
        assert "reports:/var/lib/aftercare/reports" in services[name]["volumes"]
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["environment"]["AFTERCARE_DATABASE_URL"].startswith("postgresql://")
    assert services["serve"]["ports"] == ["127.0.0.1:${AFTERCARE_PORT:-8000}:8000"]  # behind a proxy, on loopback
    assert "reports" in compose["volumes"]


def test_the_example_environment_turns_no_platform_on_by_accident():
    """An empty SLACK_SIGNING_SECRET= would turn Slack on with an empty secret: the platforms are commented out."""
    lines = (DEPLOY / "aftercare.env.example").read_text().splitlines()
    active = {line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")}
    assert not {name for name in active if name.startswith(("SLACK_", "TEAMS_"))}
