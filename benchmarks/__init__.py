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
