"""The images the container tests run, each built once a session."""

from __future__ import annotations

import pytest

from tests.deploy.podman_tools import build

TAG = "localhost/aftercare:test"
POSTGRES_TAG = "localhost/aftercare-postgres:test"


@pytest.fixture(scope="session")
def image() -> str:
    return build("build-image.sh", TAG)


@pytest.fixture(scope="session")
def postgres_image() -> str:
    return build("build-postgres-image.sh", POSTGRES_TAG)
