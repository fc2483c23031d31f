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
"""Benchmark metrics (README, "Metrics"); path lengths are in steps.

Inputs are per-run arrays: ``steps`` and ``success`` of shape ``(runs, episodes)``; a failed
episode has ``steps == budget`` (censored). ``None`` stands for an undefined median (no
successful episode to take it over).

A *run* is one fresh agent on one (pair, seed); its episodes share one memory and are
therefore correlated. Confidence intervals are taken over runs, never over episodes: a seeded
percentile bootstrap that resamples whole runs (a cluster bootstrap) and recomputes the same
statistic, so a pooled median over episodes gets the interval its correlated episodes deserve.
We chose the bootstrap over a t-interval because completion rates sit on [0, 1] (often at 1.0)
and most figures are medians, where a t-interval has no footing.
"""
import math
from typing import Callable, List, Optional, Sequence, Tuple, Union
import warnings

import numpy as np

Z95 = 1.959963984540054
CI_LEVEL = 0.95
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0
#: Described in every report so a reader knows what the ``*_ci95`` intervals are.
CI_METHOD = {'method': 'percentile bootstrap over runs (run = one fresh agent on one '
                       '(pair, seed))', 'level': CI_LEVEL, 'resamples': BOOTSTRAP_RESAMPLES,
             'seed': BOOTSTRAP_SEED}
_MAX_BOOT_CELLS = 4_000_000  # values drawn per bootstrap chunk (bounds the memory use)


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
    """Return the median of the finite ``values`` as a float, or None when there are none."""
    values = np.asarray(values, dtype=np.float64).ravel()
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else None


def mean_of_rows(sample: np.ndarray) -> np.ndarray:
    """Return the mean of each row (one row = the values of one resample of runs)."""
    return sample.mean(axis=1)


def median_of_rows(sample: np.ndarray) -> np.ndarray:
    """Return the median of the non-NaN values of each row (NaN for an all-NaN row)."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)  # all-NaN resample: dropped later
        return np.nanmedian(sample, axis=1)


MEAN, MEDIAN = mean_of_rows, median_of_rows


def bootstrap_ci(per_run, statistic: Callable = MEAN, resamples: int = BOOTSTRAP_RESAMPLES,
                 seed: int = BOOTSTRAP_SEED, level: float = CI_LEVEL) -> Optional[List[float]]:
    """Return the percentile bootstrap interval ``[lo, hi]`` of a statistic over runs.

    ``per_run`` has one row per run (a scalar or a vector of values per run; NaN marks a
    value that does not exist, e.g. a failed episode in a success-only median). Each resample
    draws runs with replacement and applies ``statistic`` to all their values. Resamples whose
    statistic is undefined (NaN) are dropped; None when no run or no resample has one.
    """
    values = np.asarray(per_run, dtype=np.float64)
    n = values.shape[0] if values.ndim else 0
    if n == 0:
        return None
    values = values.reshape(n, -1)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, size=(int(resamples), n))
    chunk = max(1, _MAX_BOOT_CELLS // values.size)
    stats = np.concatenate([statistic(values[draws[a:a + chunk]].reshape(
        len(draws[a:a + chunk]), -1)) for a in range(0, len(draws), chunk)])
    stats = stats[np.isfinite(stats)]
    if stats.size == 0:
        return None
    tail = 50.0 * (1.0 - level)
    lo, hi = np.percentile(stats, [tail, 100.0 - tail])
    return [float(lo), float(hi)]


def censored(steps: np.ndarray, success: np.ndarray,
             budget: Union[int, np.ndarray]) -> np.ndarray:
    """Return steps with every failed episode counted as the budget (right-censored).

    ``budget`` is one number or one per run (runs pooled over maps of different sizes).
    """
    budget = np.asarray(budget)
    return np.where(success, steps, budget[:, None] if budget.ndim else budget)


def curve(steps: np.ndarray, success: np.ndarray, budget) -> List[float]:
    """Return the median over runs of the censored steps, per episode index."""
    return [float(v) for v in np.median(censored(steps, success, budget), axis=0)]


def late_window(episodes: int) -> int:
    """Return how many final episodes make up the 'late' 20 % (at least one)."""
    return max(1, math.ceil(0.2 * episodes))


def _median_and_ci(per_run, statistic=MEDIAN) -> Tuple[Optional[float], Optional[List[float]]]:
    per_run = np.asarray(per_run, dtype=np.float64)
    point = statistic(per_run.reshape(1, -1))[0] if per_run.size else np.nan
    return (float(point) if np.isfinite(point) else None), bootstrap_ci(per_run, statistic)


def summarise(steps: np.ndarray, success: np.ndarray, bfs: Sequence[int], budget,
              decisions: int, seconds: float) -> dict:
    """Return the per-agent result dict of the bench JSON.

    ``bfs[r]`` is the shortest path length of run ``r``'s pair and ``budget`` the step budget
    (one number, or one per run); ``decisions`` the number of act() calls and ``seconds`` the
    wall time of the decision loops (for decisions per second). Every ``*_ci95`` is a
    bootstrap interval over runs (:data:`CI_METHOD`) of the figure beside it.
    """
    steps = np.asarray(steps, dtype=np.int64)
    success = np.asarray(success, dtype=bool)
    bfs = np.asarray(bfs, dtype=np.float64)
    cens = censored(steps, success, budget)
    late = slice(steps.shape[1] - late_window(steps.shape[1]), None)
    late_ok = np.where(success[:, late], steps[:, late] / bfs[:, None], np.nan)
    late_all = cens[:, late] / bfs[:, None]
    completion, completion_ci = _median_and_ci(success.mean(axis=1), MEAN)
    first, first_ci = _median_and_ci(cens[:, 0])
    first_bfs, first_bfs_ci = _median_and_ci(cens[:, 0] / bfs)
    late_med, late_ci = _median_and_ci(late_ok)
    late_cens, late_cens_ci = _median_and_ci(late_all)
    cumulative, cumulative_ci = _median_and_ci(steps.sum(axis=1))
    return {
        'runs': int(steps.shape[0]),
        'completion_rate': completion if completion is not None else 0.0,
        'completion_ci95': completion_ci or [0.0, 1.0],
        'median_path_success': median_or_none(steps[success]),
        'median_path_censored': median_or_none(cens),
        'first_episode_steps_median': first,
        'first_episode_steps_ci95': first_ci,
        'first_episode_over_bfs_median': first_bfs,
        'first_episode_over_bfs_ci95': first_bfs_ci,
        'late_path_over_bfs_median': late_med,
        'late_path_over_bfs_ci95': late_ci,
        'late_path_over_bfs_censored_median': late_cens,
        'late_path_over_bfs_censored_ci95': late_cens_ci,
        'cumulative_steps_median': cumulative,
        'cumulative_steps_ci95': cumulative_ci,
        'decisions_per_s': float(decisions / seconds) if seconds > 0 else None,
        'curve': curve(steps, success, budget),
    }


def add_random_walk_ratio(results: dict) -> None:
    """Set ``random_walk_ratio`` in every agent's result dict (in place).

    The ratio is the median censored path of the ``random`` agent (the open-move random walk)
    divided by the agent's own; None when ``random`` did not run or a median is missing.
    """
    walk = results.get('random', {}).get('median_path_censored')
    for res in results.values():
        own = res.get('median_path_censored')
        res['random_walk_ratio'] = (float(walk / own) if walk is not None and own
                                    else None)
