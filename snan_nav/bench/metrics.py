"""Benchmark metrics (README, "Metrics"); path lengths are in steps.

Inputs are per-run arrays: ``steps`` and ``success`` of shape ``(runs, episodes)``; a failed
episode has ``steps == budget`` (censored). ``None`` stands for an undefined median (no
successful episode to take it over).
"""
import math
from typing import List, Optional, Sequence, Tuple

import numpy as np

Z95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z95) -> Tuple[float, float]:
    """Return the Wilson score interval (lo, hi) of a success rate; (0, 1) when ``n == 0``."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if successes <= 0 else max(0.0, centre - half)
    hi = 1.0 if successes >= n else min(1.0, centre + half)
    return lo, hi


def median_or_none(values) -> Optional[float]:
    """Return the median of ``values`` as a float, or None when there are none."""
    values = np.asarray(values, dtype=np.float64).ravel()
    return float(np.median(values)) if values.size else None


def censored(steps: np.ndarray, success: np.ndarray, budget: int) -> np.ndarray:
    """Return steps with every failed episode counted as ``budget`` (right-censored)."""
    return np.where(success, steps, budget)


def curve(steps: np.ndarray, success: np.ndarray, budget: int) -> List[float]:
    """Return the median over runs of the censored steps, per episode index."""
    return [float(v) for v in np.median(censored(steps, success, budget), axis=0)]


def late_window(episodes: int) -> int:
    """Return how many final episodes make up the 'late' 20 % (at least one)."""
    return max(1, math.ceil(0.2 * episodes))


def summarise(steps: np.ndarray, success: np.ndarray, bfs: Sequence[int], budget: int,
              decisions: int, seconds: float) -> dict:
    """Return the per-agent result dict of the bench JSON.

    ``bfs[r]`` is the shortest path length of run ``r``'s pair; ``decisions`` the number of
    act() calls and ``seconds`` the wall time of the decision loops (for decisions per second).
    """
    steps = np.asarray(steps, dtype=np.int64)
    success = np.asarray(success, dtype=bool)
    cens = censored(steps, success, budget)
    lo, hi = wilson_interval(int(success.sum()), success.size)
    late = slice(steps.shape[1] - late_window(steps.shape[1]), None)
    ratio = (steps / np.asarray(bfs, dtype=np.float64)[:, None])[:, late][success[:, late]]
    return {
        'completion_rate': float(success.mean()) if success.size else 0.0,
        'completion_ci95': [lo, hi],
        'median_path_success': median_or_none(steps[success]),
        'median_path_censored': median_or_none(cens),
        'first_episode_steps_median': median_or_none(cens[:, 0]),
        'late_path_over_bfs_median': median_or_none(ratio),
        'cumulative_steps_median': median_or_none(steps.sum(axis=1)),
        'decisions_per_s': float(decisions / seconds) if seconds > 0 else None,
        'curve': curve(steps, success, budget),
    }
