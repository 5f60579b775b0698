#!/usr/bin/env bash
# Create .venv with Python 3.13 and install the locked dependencies; say plainly what is missing.
# Usage: scripts/setup.sh [dev]
set -euo pipefail
cd "$(dirname "$0")/.."

die() { printf '\n\033[1;31mSetup stopped:\033[0m %s\n\n' "$*" >&2; exit 1; }

find_python() {
  for candidate in python3.13 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

PYTHON=$(find_python) || die "Python 3.13 is needed and was not found (tried python3.13, python3).
Install it (Debian/Ubuntu: apt-get install python3.13 python3.13-venv; or pyenv install 3.13) and run again."

# WeasyPrint needs Pango (with HarfBuzz) and fonts from the system. (grep reads to the end, not
# -q: with pipefail, -q's early exit can kill the writer by SIGPIPE and fail the check at random.)
if ! ldconfig -p 2>/dev/null | grep 'libpango-1.0.so.0' >/dev/null; then
  die "WeasyPrint needs the Pango library, which is not installed.
Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
fi
if ! fc-list 2>/dev/null | grep -i 'dejavu' >/dev/null; then
  die "The DejaVu fonts used in PDFs are not installed. Debian/Ubuntu: apt-get install fonts-dejavu-core"
fi

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))'; then
  echo "Creating .venv with $($PYTHON --version)…"
  rm -rf .venv
  "$PYTHON" -m venv .venv || die "Could not create a virtual environment: install python3.13-venv."
fi

lock=requirements.lock
[ "${1:-}" = "dev" ] && lock=requirements-dev.lock
stamp=".venv/.installed-$(sha256sum "$lock" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Installing dependencies from $lock…"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$lock"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
