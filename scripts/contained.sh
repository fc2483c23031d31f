#!/usr/bin/env bash
# Run a command with ROS 2 traffic contained: inside a private network namespace (only a
# loopback interface) with a private /dev/shm (Fast DDS leaves shared-memory files behind after
# kill -9), when we are root and unshare works; otherwise directly. The caller's environment
# (ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST, ROS_DOMAIN_ID) applies in both cases.
set -euo pipefail
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null \
   && unshare --net --mount true 2>/dev/null; then
  exec unshare --net --mount bash -c \
    'ip link set lo up && mount -t tmpfs -o size=256m tmpfs /dev/shm && exec "$@"' contained "$@"
fi
echo "note: network namespace unavailable; running with DDS discovery limited to localhost" >&2
exec "$@"
