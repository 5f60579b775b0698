#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; say plainly how to get it when it is missing.
set -euo pipefail
browser=${PLANNER_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$browser" ]; then
  printf '\n\033[1;31mChromium is missing:\033[0m the browser tests need it at %s.\n' "$browser" >&2
  printf 'Debian/Ubuntu: apt-get install chromium   (or set PLANNER_CHROMIUM=/path/to/chromium)\n' >&2
  printf 'To run everything else meanwhile: make test PYTEST_ARGS="-m \\"not browser\\""\n\n' >&2
  exit 1
fi
