#!/usr/bin/env bash
# Set-up and environment of snan_nav. Source it from the repository root:
#
#     . scripts/env.sh
#
# Creates or updates the project venv (.venv) from requirements.txt, installs this package
# into it in editable mode (so `snan-nav`, `snan_navigator` and `grid_sim` are on PATH and run
# the working tree), activates it in the calling shell and exports the environment the ROS 2
# commands need (DDS on loopback, a private domain, temp logs, numba's cache). Later shells:
# `. scripts/env.sh` again (fast once set up) or `source .venv/bin/activate`.
# Executed instead of sourced, it sets up .venv and says how to use it.
(return 0 2>/dev/null) && _snan_sourced=1 || _snan_sourced=0
set -eo pipefail
SNAN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SNAN_VENV:-$SNAN_ROOT/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
stamp="$VENV/.snan_nav_setup.sha"
want="$(cat "$SNAN_ROOT/requirements.txt" "$SNAN_ROOT/setup.py" "$SNAN_ROOT/setup.cfg" \
  | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "snan_nav: setting up $VENV (pinned requirements, editable install) ..." >&2
  python -m pip install -q --disable-pip-version-check --upgrade pip
  python -m pip install -q --disable-pip-version-check -r "$SNAN_ROOT/requirements.txt"
  # Editable: the console scripts run this working tree; no isolated build environment
  # (setuptools and wheel come pinned from requirements.txt).
  if ! python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation \
      -e "$SNAN_ROOT" > "$VENV/editable_install.log" 2>&1; then
    cat "$VENV/editable_install.log" >&2
    echo "snan_nav: the editable install failed (log above)" >&2
    false
  fi
  echo "$want" > "$stamp"
fi
export AMENT_PREFIX_PATH="$SNAN_ROOT/install/snan_nav:$VIRTUAL_ENV${AMENT_PREFIX_PATH:+:$AMENT_PREFIX_PATH}"
export ROS_AUTOMATIC_DISCOVERY_RANGE="${ROS_AUTOMATIC_DISCOVERY_RANGE:-LOCALHOST}"
# One private domain per checkout and user (100-199), the same in every shell that sources
# this file, so nodes started from two terminals see each other; an exported ROS_DOMAIN_ID
# wins. Scripts that start nodes on their own (demo.sh, test.sh) set a per-run domain first.
_snan_domain=$(( 100 + $(printf '%s:%s' "$SNAN_ROOT" "$(id -u)" | cksum | cut -d' ' -f1) % 100 ))
export ROS_DOMAIN_ID="${ROS_DOMAIN_ID:-$_snan_domain}"
unset _snan_domain
export ROS_LOG_DIR="${ROS_LOG_DIR:-$SNAN_ROOT/build/ros_log}"
mkdir -p "$ROS_LOG_DIR"
# Compiled kernels stay in the checkout; snan_nav adds a folder per version of the kernel
# sources (snan_nav/kernel_cache.py), so an edit never loads a stale kernel.
export NUMBA_CACHE_DIR="${NUMBA_CACHE_DIR:-$SNAN_ROOT/build/numba_cache}"
unset RMW_IMPLEMENTATION
set +eo pipefail
if [ "$_snan_sourced" = 1 ] && [[ $- == *i* ]]; then
  echo "snan_nav: ROS_DOMAIN_ID=$ROS_DOMAIN_ID, discovery $ROS_AUTOMATIC_DISCOVERY_RANGE (the same in every shell of this checkout)" >&2
fi
if [ "$_snan_sourced" = 0 ]; then
  echo "snan_nav: $VENV is ready. This script ran in its own shell; to use snan-nav in yours:" >&2
  echo "    . scripts/env.sh        (or: source .venv/bin/activate)" >&2
fi
unset _snan_sourced
