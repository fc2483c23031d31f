#!/usr/bin/env bash
# Source me: creates/updates the project venv (.venv) from requirements.txt and exports the
# environment every snan_nav command needs (DDS on loopback, a private domain, temp caches).
set -eo pipefail
SNAN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SNAN_VENV:-$SNAN_ROOT/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
stamp="$VENV/.requirements.sha"
want="$(sha256sum "$SNAN_ROOT/requirements.txt" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python -m pip install -q --disable-pip-version-check --upgrade pip
  python -m pip install -q --disable-pip-version-check -r "$SNAN_ROOT/requirements.txt"
  echo "$want" > "$stamp"
fi
export AMENT_PREFIX_PATH="$SNAN_ROOT/install/snan_nav:$VIRTUAL_ENV${AMENT_PREFIX_PATH:+:$AMENT_PREFIX_PATH}"
export ROS_AUTOMATIC_DISCOVERY_RANGE="${ROS_AUTOMATIC_DISCOVERY_RANGE:-LOCALHOST}"
export ROS_DOMAIN_ID="${ROS_DOMAIN_ID:-$(( 100 + $$ % 100 ))}"
export ROS_LOG_DIR="${ROS_LOG_DIR:-$(mktemp -d -t snan_roslog.XXXXXX)}"
export NUMBA_CACHE_DIR="${NUMBA_CACHE_DIR:-$SNAN_ROOT/build/numba_cache}"
unset RMW_IMPLEMENTATION
set +eo pipefail
