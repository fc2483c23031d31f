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
"""Behavioural regression tests of the SNAN: it learns shortest routes, and each memory matters.

The claims are checked against what a random policy would do: for every (map, pair) the exact
probability that an open-move random walk finishes an episode within 1.1 x the shortest path
is computed (a dynamic programme over the walk's position distribution), and the tests below
would pass for a random policy with a probability the test itself bounds below 1e-3.
"""
from math import comb

import numpy as np
import pytest

from snan_nav.agents.snan import make_snan_agent
from snan_nav.world.bfs import path_length
from snan_nav.world.episode import GridWorld, run_episode
from snan_nav.world.suites import suite

EPISODES = 30
LATE = 6
SEEDS = (0, 1, 2)
FAMILIES = ('rooms', 'random20', 'cave')


def small_train_maps():
    maps = [m for m in suite('train', pairs_per_map=1) if m.size == 16 and m.family in FAMILIES]
    assert len(maps) == 3
    return maps


def random_walk_success_within(grid, start, goal, steps):
    """Exact P(an open-move random walk from start reaches goal within ``steps`` steps)."""
    table = grid.neighbour_table()
    p = np.zeros(grid.n_cells)
    p[grid.cell_id(start)] = 1.0
    g = grid.cell_id(goal)
    reached = 0.0
    degree = np.maximum((table >= 0).sum(axis=1), 1)
    for _ in range(steps):
        nxt = np.zeros_like(p)
        for a in range(4):
            ok = table[:, a] >= 0
            np.add.at(nxt, table[ok, a], p[ok] / degree[ok])
        reached += nxt[g]
        nxt[g] = 0.0
        p = nxt
    return reached


def run(variant, grid, start, goal, seed):
    agent = make_snan_agent(variant, grid, None, seed=seed)
    world = GridWorld(grid, start, goal)
    results = [run_episode(agent, world) for _ in range(EPISODES)]
    steps = np.array([r.steps if r.success else world.budget for r in results])
    return steps, np.array([r.success for r in results])


@pytest.fixture(scope='module')
def runs():
    out = {}
    for m in small_train_maps():
        start, goal = m.pairs[0]
        for variant in ('snan', 'snan-no-astro', 'snan-no-stdp'):
            for seed in SEEDS:
                out[(m.name, variant, seed)] = run(variant, m.grid, start, goal, seed)
    return out


def test_snan_completes_every_episode_and_ends_on_near_shortest_routes(runs):
    chance = 1.0
    for m in small_train_maps():
        start, goal = m.pairs[0]
        bfs = path_length(m.grid, start, goal)
        q = random_walk_success_within(m.grid, start, goal, int(1.1 * bfs))
        # A run passes when >= 3 of its last 6 episodes are within 1.1 x BFS.
        chance *= min(1.0, comb(LATE, LATE // 2) * q ** (LATE // 2)) ** len(SEEDS)
        for seed in SEEDS:
            steps, success = runs[(m.name, 'snan', seed)]
            assert success.all(), (m.name, seed)
            assert np.median(steps[-LATE:]) <= 1.1 * bfs, (m.name, seed, steps[-LATE:], bfs)
    assert chance < 1e-3  # what a random policy would need luck for


def test_without_stdp_nothing_is_learned(runs):
    for m in small_train_maps():
        for seed in SEEDS:
            full, _ = runs[(m.name, 'snan', seed)]
            ablated, _ = runs[(m.name, 'snan-no-stdp', seed)]
            assert ablated.sum() > 2 * full.sum(), (m.name, seed)
            assert np.median(ablated[-LATE:]) > np.median(full[-LATE:])


def test_without_astrocytes_exploration_loops(runs):
    firsts = {v: [] for v in ('snan', 'snan-no-astro')}
    for m in small_train_maps():
        for seed in SEEDS:
            for v in firsts:
                firsts[v].append(runs[(m.name, v, seed)][0][0])
    # Measured: the first episode (exploration) about twice as long without astrocytes.
    assert np.median(firsts['snan-no-astro']) > 1.3 * np.median(firsts['snan'])


def test_runs_are_deterministic_per_seed():
    m = small_train_maps()[0]
    start, goal = m.pairs[0]
    a = run('snan', m.grid, start, goal, 7)
    b = run('snan', m.grid, start, goal, 7)
    assert np.array_equal(a[0], b[0])
