#!/usr/bin/env bash
# Build a PostgreSQL image with podman, with no image registry, the same way as the Aftercare image's base: a Debian
# root made here from Debian packages (mmdebstrap, with postgresql), `podman import`, then deploy/postgres/Containerfile
# (the usual postgres image's settings, and a health check). For deploy/compose.yaml where docker.io cannot be reached:
#   deploy/build-postgres-image.sh && AFTERCARE_POSTGRES_IMAGE=localhost/aftercare-postgres:15 podman-compose ...
# Usage: deploy/build-postgres-image.sh [TAG]   (default localhost/aftercare-postgres:15)
set -euo pipefail
cd "$(dirname "$0")/.."

TAG="${1:-localhost/aftercare-postgres:15}"
BASE="${AFTERCARE_POSTGRES_BASE_IMAGE:-localhost/aftercare-postgres-base:bookworm}"
MIRROR="${AFTERCARE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

podman_cmd() {
    deploy/podman.sh "$@"
}

if ! podman_cmd image exists "$BASE"; then
    echo "Making the Debian base image $BASE (with postgresql) with mmdebstrap."
    # The package makes a cluster of its own in /var/lib/postgresql/15/main; the entrypoint makes the one used.
    mmdebstrap --variant=minbase --include=postgresql,ca-certificates bookworm "$WORK/rootfs.tar" \
        --customize-hook='chroot "$1" pg_dropcluster 15 main' \
        "deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main" \
        "deb ${MIRROR%/debian}/debian-security bookworm-security main"
    podman_cmd import "$WORK/rootfs.tar" "$BASE"
    rm -f "$WORK/rootfs.tar"
fi

echo "Building $TAG."
podman_cmd build --format docker --build-arg "BASE=$BASE" -f deploy/postgres/Containerfile -t "$TAG" deploy/postgres
echo "Built $TAG."
