#!/usr/bin/env bash
# The main job: the closed-loop demo. grid_sim + snan_navigator talk over real ROS 2 topics
# (DDS on loopback) for 30 episodes on builtin:paper10; prints the learning curve and a summary,
# writes out/demo/sim.json and the closed-loop figures (learning curve, driven paths on the map,
# commanded velocities, decision latency), then runs the headless bench on the same map and
# seed for comparison (out/demo/bench.json, out/demo/*.png).
set -euo pipefail
cd "$(dirname "$0")/.."
# A domain for this run alone (100 + PID mod 100), not the one env.sh gives interactive shells.
export ROS_DOMAIN_ID=$(( 100 + $$ % 100 ))
# shellcheck disable=SC1091
. scripts/env.sh
set -euo pipefail
# env.sh installed this working tree into .venv (editable): `snan-nav` runs it.
out="${1:-out/demo}"
mkdir -p "$out"
snan-nav sim --map builtin:paper10 --episodes 30 --seed 0 \
  --params config/snan_nav.yaml --json "$out/sim.json" --plot "$out"
snan-nav bench --map builtin:paper10 --episodes 30 --seeds 20 \
  --params config/snan_nav.yaml --json "$out/bench.json" --plot "$out"
echo "Results and plots in $out/"
