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

echo "Building the wheels (the project's and every dependency's) with $PYTHON."
mkdir -p "$WORK/context/wheels" "$WORK/context/extra"
"$PYTHON" -m pip wheel --quiet --wheel-dir "$WORK/context/wheels" .
# Until the wheel carries its prompt library and example programme, put them where the code looks for them.
if [ -d prompts ] && [ -d examples ]; then
    cp -r prompts examples "$WORK/context/extra/"
fi

echo "Building $TAG."
podman_cmd build --format docker --build-arg "BASE=$BASE" \
    -f deploy/Containerfile -t "$TAG" "$WORK/context"
echo "Built $TAG."
