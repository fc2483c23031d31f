# Copyright 2026 snan_nav contributors
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.
"""Reproducible performance benchmarks of the SNAN core (source checkout only, not installed).

- :mod:`benchmarks.reference` (with :mod:`~benchmarks.reference_waves`,
  :mod:`~benchmarks.reference_race`, :mod:`~benchmarks.reference_memory`): a dense,
  clock-driven NumPy implementation of the core's network;
- :mod:`benchmarks.seed_form`: the same with the seed write-up's all-to-all synaptic matrix;
- :mod:`benchmarks.equivalence`: core and reference in lockstep, decision by decision;
- :mod:`benchmarks.workload`: the scripted navigation work (exploration, learned goal, goal
  switches) the benchmark and the check drive;
- :mod:`benchmarks.perf` (with :mod:`~benchmarks.perf_work`, :mod:`~benchmarks.perf_reference`,
  :mod:`~benchmarks.perf_report`): the ``snan-nav perf`` measurement
  (``python -m benchmarks.perf``);
- :mod:`benchmarks.node_latency`: ``snan-nav perf --node``, pose in -> cmd_vel out through
  rclpy and CPU per control tick (``python -m benchmarks.node_latency``).
"""
