#!/usr/bin/env bash
# The whole test suite: colcon build + colcon test (failures fail the run), then plain pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
# A domain for this run alone (100 + PID mod 100), not the one env.sh gives interactive shells.
export ROS_DOMAIN_ID=$(( 100 + $$ % 100 ))
# shellcheck disable=SC1091
. scripts/env.sh
set -euo pipefail
colcon build --packages-select snan_nav --event-handlers console_cohesion-
rc=0
scripts/contained.sh colcon test --packages-select snan_nav --return-code-on-test-failure \
  --event-handlers console_direct- \
  --pytest-args -p no:cacheprovider -rs || rc=$?
# Show every failure before failing the run.
colcon test-result --verbose || rc=$(( rc ? rc : 1 ))
if [ "$rc" -ne 0 ]; then
  echo "colcon test failed (exit $rc)" >&2
  exit "$rc"
fi
# Plain pytest over the source tree: its closing line is the one CI reads; -rs lists every
# skipped test with its reason.
scripts/contained.sh python -m pytest -p no:cacheprovider -q -rs test
