"""Reproducible performance benchmarks of the SNAN core (source checkout only, not installed).

- :mod:`benchmarks.reference`: a dense NumPy implementation of exactly the core's network;
- :mod:`benchmarks.seed_form`: the seed write-up's all-to-all network form in NumPy;
- :mod:`benchmarks.perf`: the ``snan-nav perf`` measurement (``python -m benchmarks.perf``);
- :mod:`benchmarks.node_latency`: ``snan-nav perf --node``, pose in -> cmd_vel out through
  rclpy and CPU per control tick (``python -m benchmarks.node_latency``).
"""
