#!/usr/bin/env bash
# The main job: the closed-loop demo. grid_sim + snan_navigator talk over real ROS 2 topics
# (DDS on loopback) for 30 episodes on builtin:paper10; prints the learning curve and a summary,
# writes out/demo/sim.json and PNG plots, then runs the headless bench on the same map and seed
# for comparison (out/demo/bench.json, out/demo/*.png).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
. scripts/env.sh
set -euo pipefail
# Run from the source tree (no install needed); the colcon-installed console script
# `snan-nav` is the same entry point.
out="${1:-out/demo}"
mkdir -p "$out"
python -m snan_nav.cli sim --map builtin:paper10 --episodes 30 --seed 0 \
  --params config/snan_nav.yaml --json "$out/sim.json" --plot "$out"
python -m snan_nav.cli bench --map builtin:paper10 --episodes 30 --seeds 20 \
  --params config/snan_nav.yaml --json "$out/bench.json" --plot "$out"
echo "Results and plots in $out/"
