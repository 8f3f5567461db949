#!/usr/bin/env bash
# podman as this host allows it. On a locked-down host (cgroup v1 or hybrid, or no CAP_SYS_RESOURCE, as in some
# CI sandboxes) podman's defaults fail ("cgroups in hybrid mode not supported", "setrlimit RLIMIT_NOFILE:
# Operation not permitted"), so it runs with runc, cgroupfs and the host's own limits instead.
# AFTERCARE_PODMAN_SANDBOX=1 forces that, =0 never; the default, auto, decides from the host.
set -euo pipefail

sandbox=0
case "${AFTERCARE_PODMAN_SANDBOX:-auto}" in
    1) sandbox=1 ;;
    0) sandbox=0 ;;
    *)
        caps="$(awk '/^CapEff/ {print $2}' /proc/self/status)"
        if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] || (( ((16#$caps) >> 24 & 1) == 0 )); then
            sandbox=1
        fi
        ;;
esac

if [ "$sandbox" = 1 ]; then
    command -v runc >/dev/null || { echo "This host needs runc for podman (apt-get install runc)." >&2; exit 1; }
    case "${1:-}" in
        run | build | create)
            sub="$1"
            shift
            set -- "$sub" --ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit "nproc=4096:4096" "$@"
            ;;
    esac
    exec podman --runtime runc --cgroup-manager cgroupfs "$@"
fi
exec podman "$@"
