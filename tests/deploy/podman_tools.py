"""Running podman from the container tests: the tools (installed from Debian when missing), the Aftercare image
(built once a session with deploy/build-image.sh), and small helpers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PODMAN = str(ROOT / "deploy" / "podman.sh")
TAG = "localhost/aftercare:test"
TOOLS = ("podman", "mmdebstrap", "runc", "podman-compose")  # each the name of its Debian package too


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


def build(script: str, tag: str) -> str:
    """Build an image with one of deploy/'s scripts (a failed build fails the test, never skips it)."""
    ensure_tools()
    started = time.monotonic()
    result = run(str(ROOT / "deploy" / script), tag, timeout=1800)
    if result.returncode != 0:
        pytest.fail(f"{tag} did not build:\n{tail(result)}")
    print(f"{tag} built in {time.monotonic() - started:.0f} s")
    return tag


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
