#!/usr/bin/env bash
# The whole test suite: colcon build + colcon test (failures fail the run), then plain pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
. scripts/env.sh
set -euo pipefail
colcon build --packages-select snan_nav --event-handlers console_cohesion-
colcon test --packages-select snan_nav --return-code-on-test-failure \
  --event-handlers console_direct- \
  --pytest-args -p no:cacheprovider
colcon test-result --verbose
# Plain pytest over the source tree: its closing line is the one CI reads.
python -m pytest -p no:cacheprovider -q test
