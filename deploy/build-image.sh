#!/usr/bin/env bash
# Build the Aftercare image with podman, with no image registry: a Debian base made here from Debian packages
# (mmdebstrap, then `podman import`), the project's wheel and its dependencies' wheels built on this machine with
# pip, and deploy/Containerfile. Usage: deploy/build-image.sh [TAG]   (default aftercare:latest)
# podman runs through deploy/podman.sh, which adapts it to hosts without cgroup v2 (see that file).
set -euo pipefail
cd "$(dirname "$0")/.."

TAG="${1:-aftercare:latest}"
BASE="${AFTERCARE_BASE_IMAGE:-localhost/aftercare-base:bookworm}"
PYTHON="${PYTHON:-python3.11}"
MIRROR="${AFTERCARE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

podman_cmd() {
    deploy/podman.sh "$@"
}

if ! podman_cmd image exists "$BASE"; then
    echo "Making the Debian base image $BASE with mmdebstrap."
    mmdebstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$WORK/rootfs.tar" \
        "deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main" \
        "deb ${MIRROR%/debian}/debian-security bookworm-security main"
    podman_cmd import "$WORK/rootfs.tar" "$BASE"
    rm -f "$WORK/rootfs.tar"
fi

echo "Building the wheels with $PYTHON: every dependency at its version in requirements.lock (hash-checked), then ours."
mkdir -p "$WORK/context/wheels"
"$PYTHON" -m pip wheel --quiet --require-hashes --wheel-dir "$WORK/context/wheels" -r requirements.lock
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/context/wheels" .
# The same pins for the install inside the build, without the hashes (a wheel built here from a source archive has
# its own hash; the downloads were checked above).
grep -E '^[A-Za-z0-9_.-]+(\[[^]]*\])?==' requirements.lock | sed 's/ *\\$//' > "$WORK/context/pins.txt"

echo "Building $TAG."
podman_cmd build --format docker --build-arg "BASE=$BASE" \
    -f deploy/Containerfile -t "$TAG" "$WORK/context"
echo "Built $TAG."
