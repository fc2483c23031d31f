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
"""Bench metrics: intervals over runs (not episodes), censored late path, random-walk ratio."""
import numpy as np
import pytest

from snan_nav.bench.metrics import (add_random_walk_ratio, bootstrap_ci, MEAN, MEDIAN,
                                    summarise, wilson_interval)


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    rng = np.random.default_rng(1)
    values = rng.normal(10.0, 2.0, size=40)
    a, b = bootstrap_ci(values, MEAN), bootstrap_ci(values, MEAN)
    assert a == b  # same seed, same interval
    assert a[0] < values.mean() < a[1]
    assert bootstrap_ci(values, MEAN, seed=7) != a
    # the interval of the mean of 40 N(10, 2) draws is about +-0.62 wide
    assert 0.3 < (a[1] - a[0]) / 2 < 1.0
    wide = bootstrap_ci(values[:10], MEAN)
    assert wide[1] - wide[0] > a[1] - a[0]  # fewer runs, wider interval


def test_completion_interval_is_over_runs_not_episodes():
    # Two runs of 30 episodes: one always succeeds, one never (perfectly correlated episodes).
    success = np.array([[True] * 30, [False] * 30])
    steps = np.where(success, 10, 100)
    res = summarise(steps, success, [5, 5], budget=100, decisions=1, seconds=1.0)
    assert res['completion_rate'] == 0.5 and res['runs'] == 2
    lo, hi = res['completion_ci95']
    assert (lo, hi) == (0.0, 1.0)  # 2 runs say nothing more precise
    w_lo, w_hi = wilson_interval(30, 60)
    assert w_hi - w_lo < 0.3  # the episode-level interval would claim +-0.12


def test_late_path_both_forms_and_undefined_medians():
    steps = np.array([[10, 50], [20, 50]])
    success = np.array([[True, False], [True, True]])
    res = summarise(steps, success, [5, 10], budget=50, decisions=130, seconds=2.0)
    assert res['late_path_over_bfs_median'] == 5.0  # only run 1's last episode succeeded
    assert res['late_path_over_bfs_censored_median'] == 7.5  # run 0 counted at 50 / 5 = 10
    assert res['first_episode_over_bfs_median'] == 2.0
    assert res['completion_ci95'][0] <= res['completion_rate'] <= res['completion_ci95'][1]
    failed = summarise(np.full((3, 4), 9), np.zeros((3, 4), bool), [3, 3, 3], 9, 1, 1.0)
    assert failed['late_path_over_bfs_median'] is None
    assert failed['late_path_over_bfs_ci95'] is None
    assert failed['late_path_over_bfs_censored_median'] == 3.0


def test_per_run_budgets_pool_maps_of_different_sizes():
    steps = np.array([[40, 40], [7, 5]])
    success = np.array([[False, False], [True, True]])
    res = summarise(steps, success, [4, 5], np.array([40, 400]), 1, 1.0)
    assert res['curve'] == [23.5, 22.5]
    assert res['late_path_over_bfs_censored_median'] == pytest.approx((10.0 + 1.0) / 2)


def test_pooled_median_interval_resamples_whole_runs():
    # Run-level clusters: the median over episodes must vary with the runs drawn.
    values = np.array([[1.0, 1.0, 1.0], [3.0, 3.0, 3.0], [2.0, np.nan, 2.0]])
    lo, hi = bootstrap_ci(values, MEDIAN)
    assert lo == 1.0 and hi == 3.0
    assert bootstrap_ci(np.full((4, 2), np.nan), MEDIAN) is None


def test_random_walk_ratio():
    results = {'random': {'median_path_censored': 300.0}, 'a': {'median_path_censored': 30.0},
               'b': {'median_path_censored': None}}
    add_random_walk_ratio(results)
    assert results['a']['random_walk_ratio'] == 10.0
    assert results['random']['random_walk_ratio'] == 1.0
    assert results['b']['random_walk_ratio'] is None
    alone = {'a': {'median_path_censored': 30.0}}
    add_random_walk_ratio(alone)
    assert alone['a']['random_walk_ratio'] is None
