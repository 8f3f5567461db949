#!/usr/bin/env bash
# Print the path of a Python interpreter of version X.Y (the argument), looked for on PATH (pythonX.Y), then among
# pyenv's versions (`pyenv root`, or ~/.pyenv); fail loudly when there is none, so that `make test-pythons` never
# skips a version silently. Usage: tools/python-for.sh 3.12
set -euo pipefail
version="${1:?usage: tools/python-for.sh X.Y}"
candidates=()
if command -v "python$version" >/dev/null 2>&1; then
    candidates+=("$(command -v "python$version")")
fi
root="$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")"
for found in "$root"/versions/"$version".*/bin/"python$version"; do
    [ -x "$found" ] && candidates+=("$found")
done
for python in "${candidates[@]}"; do
    if [ "$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$version" ]; then
        echo "$python"
        exit 0
    fi
done
echo "No Python $version found (looked for python$version on PATH and in $root/versions); install it, e.g." \
    "\`pyenv install $version\`, or put python$version on PATH." >&2
exit 1
