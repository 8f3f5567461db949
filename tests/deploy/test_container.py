"""The container image really builds on this machine and runs: /healthz answers, the image's own HEALTHCHECK
passes, it runs as a user other than root, and `aftercare demo` works inside it.

Marker ``container``: not part of `make test` (the build takes minutes); .ci/run runs it after `make test`, with
`make container-test`. A build that fails is a failure, never a skip; podman, mmdebstrap and runc (Debian
packages) are installed when missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.container

ROOT = Path(__file__).resolve().parents[2]
PODMAN = str(ROOT / "deploy" / "podman.sh")
TAG = "localhost/aftercare:test"
TOOLS = ("podman", "mmdebstrap", "runc")


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False)


def tail(result: subprocess.CompletedProcess[str]) -> str:
    return (result.stdout + result.stderr)[-3000:]


def ensure_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    result = subprocess.run(
        ["apt-get", "install", "-y", "-qq", *missing], capture_output=True, text=True, timeout=900, env=env, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"could not install {', '.join(missing)} for the container test:\n{tail(result)}")


@pytest.fixture(scope="module")
def image() -> str:
    ensure_tools()
    started = time.monotonic()
    result = run(str(ROOT / "deploy" / "build-image.sh"), TAG, timeout=1800)
    if result.returncode != 0:
        pytest.fail(f"the image did not build:\n{tail(result)}")
    print(f"image built in {time.monotonic() - started:.0f} s")
    return TAG


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def container(image: str) -> Iterator[tuple[str, int]]:
    name, port = f"aftercare-test-{uuid.uuid4().hex[:8]}", free_port()
    started = run(PODMAN, "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8000", image)
    assert started.returncode == 0, tail(started)
    try:
        yield name, port
    finally:
        run(PODMAN, "rm", "-f", "-t", "5", name)


def healthz(port: int, within: float = 60) -> dict[str, object]:
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                return {"status": response.status, "body": response.read().decode()}
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_the_image_serves_healthz_passes_its_health_check_and_is_not_root(container: tuple[str, int]):
    name, port = container
    answer = healthz(port)
    assert answer["status"] == 200
    assert '"ok"' in str(answer["body"])
    check = run(PODMAN, "healthcheck", "run", name)
    assert check.returncode == 0, tail(check)
    user = run(PODMAN, "exec", name, "id", "-u")
    assert user.stdout.strip() == "10001"


def test_the_demo_runs_inside_the_image(container: tuple[str, int]):
    name, _port = container
    demo = run(PODMAN, "exec", name, "aftercare", "demo", "--out", "demo-output", timeout=600)
    assert demo.returncode == 0, tail(demo)
    assert "finished in" in demo.stdout
    written = run(PODMAN, "exec", name, "ls", "demo-output")
    assert "transcript.md" in written.stdout.split()
