"""Headless benchmarks: runner, metrics, plots and the ``snan-nav bench`` command."""
