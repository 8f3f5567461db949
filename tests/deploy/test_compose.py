"""deploy/compose.yaml really run, with podman-compose (Debian's), on images built here: the Aftercare image and a
PostgreSQL image made from Debian's packages (deploy/build-postgres-image.sh), since no image can be pulled.

The stack comes up as an operator would start it (their own aftercare.env beside the compose file, POSTGRES_PASSWORD
in the environment): `serve` answers /healthz and /readyz (so it reached the compose PostgreSQL, migrated by the
`migrate` service), both `worker` replicas keep running and start their dispatchers, `aftercare check` inside the
`serve` container passes against that database, and a broadcast typed at a terminal in the stack fills the outbox
there, as serve's /metrics shows. (Delivery itself needs a platform; the outbox and the workers are tested against
the fakes in tests/delivery.)

Marker ``container``: `make container-test` (.ci/run runs it). Minutes: both images are built once a session.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy.podman_tools import PODMAN, ROOT, free_port, healthz, run, tail

pytestmark = [pytest.mark.container, pytest.mark.timeout(3600)]  # image builds take minutes

PROGRAMME = "examples/programme.yaml"
FACILITATOR = "saira.kelly@kestermoor.gov.example"  # a facilitator in that programme
COPY = "/tmp/programme.yaml"  # noqa: S108 - inside the serve container (its /tmp is a tmpfs)


@dataclass(frozen=True)
class Stack:
    project: str
    port: int
    folder: Path
    env: dict[str, str]

    def compose(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        command = [
            "podman-compose",
            "--podman-path",
            PODMAN,
            "-p",
            self.project,
            "-f",
            str(self.folder / "compose.yaml"),
        ]
        return subprocess.run(
            [*command, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.folder,
            env=self.env,
            check=False,
        )

    def containers(self) -> dict[str, str]:
        """Each container of the stack by name: its state."""
        listed = run(
            PODMAN, "ps", "-a", "--filter", f"label=io.podman.compose.project={self.project}", "--format", "json"
        )
        assert listed.returncode == 0, tail(listed)
        return {item["Names"][0]: item["State"] for item in json.loads(listed.stdout or "[]")}

    def named(self, service: str) -> list[str]:
        return sorted(name for name in self.containers() if f"_{service}_" in name)

    def exec(self, service: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return run(PODMAN, "exec", self.named(service)[0], *args, timeout=timeout)


@pytest.fixture
def stack(image: str, postgres_image: str, tmp_path: Path) -> Iterator[Stack]:
    shutil.copy(ROOT / "deploy" / "compose.yaml", tmp_path / "compose.yaml")
    settings = (ROOT / "deploy" / "aftercare.env.example").read_text()
    settings = settings.replace("AFTERCARE_ANONYMITY_SECRET=\n", f"AFTERCARE_ANONYMITY_SECRET={uuid.uuid4().hex * 2}\n")
    settings += "AFTERCARE_LOG_LEVEL=INFO\n"
    (tmp_path / "aftercare.env").write_text(settings)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AFTERCARE_", "SLACK_", "TEAMS_", "POSTGRES_"))},
        "AFTERCARE_IMAGE": image,
        "AFTERCARE_POSTGRES_IMAGE": postgres_image,
        "AFTERCARE_PORT": str(free_port()),
        "POSTGRES_PASSWORD": uuid.uuid4().hex,
    }
    found = Stack(f"aftercare-test-{uuid.uuid4().hex[:8]}", int(env["AFTERCARE_PORT"]), tmp_path, env)
    try:
        started = found.compose("up", "-d")
        assert started.returncode == 0, tail(started)
        yield found
    finally:
        for name in found.containers():
            logs = run(PODMAN, "logs", "--tail", "15", name)
            print(f"--- {name}\n{tail(logs)[-1500:]}")
        found.compose("down", "-v", timeout=180)


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def until_ready(port: int, within: float) -> None:
    """/readyz answers 200 once `serve` runs on a migrated database (it is restarted until the migration is done)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if get(port, "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(2)
    raise AssertionError(f"/readyz did not answer 200 within {within:.0f} s")


def until_started(container: str, within: float) -> None:
    """A worker's log says its dispatcher started (it waits for the migration, as serve does)."""
    deadline = time.monotonic() + within
    while True:
        logs = run(PODMAN, "logs", container)
        said = logs.stdout + logs.stderr
        if "dispatcher" in said and "started" in said:
            return
        assert time.monotonic() < deadline, f"{container}: no dispatcher within {within:.0f} s: {tail(logs)}"
        time.sleep(2)


def outbox(metrics: str, state: str) -> float:
    """The outbox depth in one state, from /metrics (read from the database, so every replica's work shows)."""
    prefix = "aftercare_outbox_messages{"
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith(prefix) and f'state="{state}"' in line
    )


def test_the_compose_file_runs_serve_two_workers_and_postgresql(stack: Stack):
    until_ready(stack.port, within=300)
    assert healthz(stack.port)["status"] == 200
    states = stack.containers()
    assert len(stack.named("worker")) == 2, states
    for name in stack.named("worker") + stack.named("serve") + stack.named("postgres"):
        assert states[name] == "running", states
    for name in stack.named("worker"):
        until_started(name, within=180)  # a worker may still be starting when serve is ready

    check = stack.exec("serve", "aftercare", "check")
    assert check.returncode == 0, tail(check)

    # A programme and a broadcast, typed at a terminal in the stack: the outbox on the compose PostgreSQL fills, and
    # serve's /metrics (read from that database) shows it.
    copied = run(PODMAN, "cp", str(ROOT / PROGRAMME), f"{stack.named('serve')[0]}:{COPY}")
    assert copied.returncode == 0, tail(copied)
    imported = stack.exec("serve", "aftercare", "programme", "import", COPY)
    assert imported.returncode == 0, tail(imported)
    status, before = get(stack.port, "/metrics")
    assert status == 200
    assert outbox(before, "pending") == 0
    sent = stack.exec("serve", "aftercare", "broadcast", "--as", FACILITATOR, "--yes", "all", "Please read the brief")
    assert sent.returncode == 0, tail(sent)
    status, after = get(stack.port, "/metrics")
    assert status == 200
    assert outbox(after, "pending") + outbox(after, "sending") + outbox(after, "dead") > 0, after[-2000:]
