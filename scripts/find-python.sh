#!/usr/bin/env bash
# Print the path of a Python interpreter >= 3.12 (needed by Django 6.1).
# Candidates, first match wins:
#   python3.13, python3.12 on PATH,
#   ~/.pyenv/versions/3.13*/bin/python, ~/.pyenv/versions/3.12*/bin/python,
#   `pyenv which python` run in the project (honours .python-version),
#   python3.
# Each candidate is asked for its own version; failures (e.g. a pyenv shim for a
# version that is not selected) are skipped quietly.
set -u

# Run from the project root so `pyenv which python` honours its .python-version.
# (Plain bash only: PATH may be minimal.)
case "${BASH_SOURCE[0]}" in
    */*) cd "${BASH_SOURCE[0]%/*}/.." || exit 1 ;;
    *) cd .. || exit 1 ;;
esac

MSG="Python 3.12 or newer is needed (Django 6.1); install it (e.g. pyenv install 3.12) and run make again."

# Print the resolved interpreter path if $1 runs and is >= 3.12.
check() {
    local cand=$1
    [ -n "$cand" ] || return 1
    "$cand" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' \
        >/dev/null 2>&1 || return 1
    "$cand" -c 'import sys; print(sys.executable)' 2>/dev/null
}

candidates=()
for name in python3.13 python3.12; do
    if p=$(command -v "$name" 2>/dev/null); then
        candidates+=("$p")
    fi
done
home=${HOME:-}
if [ -n "$home" ]; then
    # Within each minor version, last in glob order first (roughly newest first).
    shopt -s nullglob
    for minor in 3.13 3.12; do
        found=("$home"/.pyenv/versions/"$minor"*/bin/python)
        for ((i = ${#found[@]} - 1; i >= 0; i--)); do
            candidates+=("${found[i]}")
        done
    done
    shopt -u nullglob
fi
if command -v pyenv >/dev/null 2>&1; then
    if p=$(pyenv which python 2>/dev/null); then
        candidates+=("$p")
    fi
fi
if p=$(command -v python3 2>/dev/null); then
    candidates+=("$p")
fi

for cand in "${candidates[@]}"; do
    if out=$(check "$cand") && [ -n "$out" ]; then
        printf '%s\n' "$out"
        exit 0
    fi
done

echo "$MSG" >&2
exit 1
