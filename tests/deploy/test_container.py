"""The container image really builds on this machine and runs: /healthz answers, the image's own HEALTHCHECK
passes, it runs as a user other than root, and `aftercare demo` works inside it.

Marker ``container``: not part of `make test` (the build takes minutes); .ci/run runs it after `make test`, with
`make container-test`. A build that fails is a failure, never a skip; podman, mmdebstrap and runc (Debian
packages) are installed when missing. The image is built once a session (tests/deploy/conftest.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.deploy.podman_tools import PODMAN, free_port, healthz, run, tail

pytestmark = [pytest.mark.container, pytest.mark.timeout(3600)]  # image builds take minutes


@pytest.fixture
def container(image: str) -> Iterator[tuple[str, int]]:
    name, port = f"aftercare-test-{uuid.uuid4().hex[:8]}", free_port()
    started = run(PODMAN, "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8000", image)
    assert started.returncode == 0, tail(started)
    try:
        yield name, port
    finally:
        run(PODMAN, "rm", "-f", "-t", "5", name)


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
