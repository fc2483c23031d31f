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
"""The goal vector: told where the goal is, the robot explores toward it.

While a cued goal is not on the learned map yet, a novel place fires its grid distance to the
goal late (the place-cell layout, as for the shortcut bound). It must be that geometry, be off
where it would mislead (no cue, no layout, the parameter off), and pay off: far shorter first
episodes with the cue, the same routes afterwards.
"""
import numpy as np

from snan_nav.agents.snan import make_snan_agent
from snan_nav.core.curiosity import goal_gap
from snan_nav.core.params import SNANParams
from snan_nav.world.bfs import path_length
from snan_nav.world.episode import GridWorld, run_episode
from snan_nav.world.generators import generate
from snan_nav.world.suites import far_pairs

CASES = [(family, seed) for family in ('open', 'rooms', 'random20') for seed in range(3)]


def _run(grid, start, goal, episodes, seed, cue=True, **changes):
    agent = make_snan_agent('snan', grid, SNANParams(**changes), seed=seed)
    world = GridWorld(grid, start, goal)
    steps = []
    for _ in range(episodes):
        agent.cue_goal(world.goal if cue else None)
        steps.append(run_episode(agent, world).steps)
    return agent, steps


def test_the_goal_gap_is_the_grid_distance_to_the_cued_goal():
    grid = generate('rooms', 16, 4)
    start, goal = far_pairs(grid, 1, 2)[0]
    agent, _ = _run(grid, start, goal, 1, 0)
    s, p = agent.state, agent.params.packed()
    gx, gy = goal
    for i in range(grid.n_cells):
        x, y = grid.cell_of(i)
        assert goal_gap(s, p, i) == abs(x - gx) + abs(y - gy)
    agent.cue_goal(None)
    assert all(goal_gap(s, p, i) == 0 for i in range(grid.n_cells))
    off = SNANParams(goal_vector=False).packed()
    agent.cue_goal(grid.cell_id(goal))
    assert all(goal_gap(s, off, i) == 0 for i in range(grid.n_cells))
    bare = make_snan_agent('snan', grid.n_cells, None, seed=0)  # an index space: no layout
    bare.cue_goal(grid.cell_id(goal))
    assert goal_gap(bare.state, p, 5) == 0


def test_told_where_to_go_the_first_episode_is_far_shorter_and_routes_stay_shortest():
    guided, plain, late = [], [], []
    for family, seed in CASES:
        grid = generate(family, 24, seed)
        start, goal = far_pairs(grid, 1, seed + 40)[0]
        _, with_vector = _run(grid, start, goal, 20, seed)
        _, without = _run(grid, start, goal, 20, seed, goal_vector=False)
        guided.append(with_vector[0])
        plain.append(without[0])
        late.append((with_vector[-1], path_length(grid, start, goal)))
    # Measured: 0.16 x the steps in sum, 0.15 x in the median (9 far pairs of 24 x 24 maps).
    assert sum(guided) <= 0.5 * sum(plain), (guided, plain)
    assert np.median(np.array(guided) / np.array(plain)) < 0.5
    # A faster first episode leaves a smaller map; curiosity still finds the shortest route.
    assert all(steps == shortest for steps, shortest in late), late


def test_without_the_cue_nothing_changes():
    grid = generate('random20', 24, 1)
    start, goal = far_pairs(grid, 1, 41)[0]
    _, on = _run(grid, start, goal, 3, 1, cue=False)
    _, off = _run(grid, start, goal, 3, 1, cue=False, goal_vector=False)
    assert on == off
