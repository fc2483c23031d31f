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
"""Grid-world step semantics, run_episode life cycle, scenario pairs and files."""
import json

import numpy as np
import pytest

from snan_nav.agents.base import Agent
from snan_nav.world.bfs import largest_component
from snan_nav.world.builtin import builtin_map
from snan_nav.world.episode import GridWorld, load_scenarios, run_episode, scenario_pairs
from snan_nav.world.grid import E, GridMap, N, NO_CELL, S, W

# 3x2: (1, 0) blocked. Rows top first in the comment: '...' / '.#.'
GRID = GridMap(np.array([[False, True, False], [False, False, False]]))


def test_step_moves_bumps_and_counts():
    world = GridWorld(GRID, (0, 0), (2, 0), budget=10)
    obs = world.reset()
    assert obs.cell == 0
    assert obs.neighbours.tolist() == [3, NO_CELL, NO_CELL, NO_CELL]
    obs, reward, done, reached = world.step(E)  # into the wall: stays, costs a step
    assert (obs.cell, reward, done, reached, world.steps) == (0, 0.0, False, False, 1)
    obs, *_ = world.step(W)  # off the map: stays
    assert obs.cell == 0 and world.steps == 2
    for action in (N, E, E):
        obs, reward, done, reached = world.step(action)
    assert obs.cell == 5 and not done
    obs, reward, done, reached = world.step(S)
    assert (obs.cell, reward, done, reached, world.steps) == (2, 1.0, True, True, 6)
    with pytest.raises(RuntimeError):
        world.step(N)


def test_budget_ends_episode_without_reward():
    world = GridWorld(GRID, (0, 0), (2, 0), budget=3)
    world.reset()
    results = [world.step(W) for _ in range(3)]
    assert [r[2] for r in results] == [False, False, True]
    assert all(r[1] == 0.0 and not r[3] for r in results)


def test_world_rejects_bad_setups():
    with pytest.raises(ValueError, match='blocked'):
        GridWorld(GRID, (1, 0), (2, 0))
    with pytest.raises(ValueError, match='same cell'):
        GridWorld(GRID, (0, 0), (0, 0))
    with pytest.raises(ValueError, match='budget'):
        GridWorld(GRID, (0, 0), (2, 0), budget=0)
    world = GridWorld(GRID, 0, 2)
    assert world.budget == 4 * 5
    world.reset()
    with pytest.raises(ValueError, match='action'):
        world.step(4)


class Scripted(Agent):
    """Replays a fixed action list and records the life-cycle calls."""

    name = 'scripted'

    def __init__(self, actions):
        self.actions = list(actions)
        self.calls = []

    def begin_episode(self, obs):
        self.calls.append(('begin', obs.cell))

    def act(self, obs):
        return self.actions.pop(0)

    def observe(self, action, next_obs, reward, done):
        self.calls.append(('observe', action, next_obs.cell, reward, done))

    def end_episode(self, success):
        self.calls.append(('end', success))


def test_run_episode_life_cycle_and_cells():
    agent = Scripted([E, N, E, E, S])
    result = run_episode(agent, GridWorld(GRID, (0, 0), (2, 0), budget=20))
    assert result.steps == 5 and result.success
    assert result.cells.dtype == np.int32
    assert result.cells.tolist() == [0, 0, 3, 4, 5, 2]
    assert agent.calls[0] == ('begin', 0) and agent.calls[-1] == ('end', True)
    assert agent.calls[-2] == ('observe', S, 2, 1.0, True)
    assert result.seconds >= 0.0


def test_run_episode_failure_at_budget():
    agent = Scripted([W] * 4)
    result = run_episode(agent, GridWorld(GRID, (0, 0), (2, 0), budget=4))
    assert (result.steps, result.success, len(result.cells)) == (4, False, 5)
    assert agent.calls[-1] == ('end', False)


def test_a_huge_budget_reserves_nothing_and_a_long_episode_keeps_every_cell():
    # the cell log was sized by the budget (2**31 - 1 steps: 8 GiB); now it grows as needed
    bumps = 40 * GRID.n_cells               # ten times the default budget's 4 x cells
    agent = Scripted([W] * bumps + [N, E, E, S])
    result = run_episode(agent, GridWorld(GRID, (0, 0), (2, 0), budget=2 ** 31 - 1))
    assert result.steps == bumps + 4 and result.success
    assert result.cells.size == result.steps + 1
    assert result.cells.tolist() == [0] * (bumps + 1) + [3, 4, 5, 2]


def test_scenario_pairs_seeded_in_largest_component():
    grid = builtin_map('random12', seed=2)
    pairs = scenario_pairs(grid, 10, seed=5)
    assert len(pairs) == 10 and pairs == scenario_pairs(grid, 10, seed=5)
    assert pairs != scenario_pairs(grid, 10, seed=6)
    mask = largest_component(grid)
    for start, goal in pairs:
        assert start != goal and mask[start[1], start[0]] and mask[goal[1], goal[0]]


def write_json(tmp_path, doc):
    path = tmp_path / 's.json'
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return str(path)


def pair(s, g):
    return {'start': {'mx': s[0], 'my': s[1]}, 'goal': {'mx': g[0], 'my': g[1]}, 'note': 'x'}


def test_load_scenarios(tmp_path):
    grid = builtin_map('paper10')
    path = write_json(tmp_path, {'pairs': [pair((0, 0), (9, 9)), pair((9, 0), (0, 9))],
                                 'comment': 'ignored'})
    assert load_scenarios(path, grid) == [((0, 0), (9, 9)), ((9, 0), (0, 9))]


@pytest.mark.parametrize('doc, words', [
    ('{"pairs": [', 'not valid JSON'),
    ({'nopairs': []}, 'pairs'),
    ({'pairs': []}, 'pairs'),
    ({'pairs': [{'start': {'mx': 0}, 'goal': {'mx': 1, 'my': 1}}]}, 'mx'),
    ({'pairs': [{'start': {'mx': 0.5, 'my': 0}, 'goal': {'mx': 1, 'my': 1}}]}, 'integers'),
    ({'pairs': [pair((0, 3), (9, 9))]}, 'blocked'),
    ({'pairs': [pair((0, 0), (10, 9))]}, 'outside'),
    ({'pairs': [pair((0, 0), (0, 0))]}, 'same cell'),
])
def test_load_scenarios_errors(tmp_path, doc, words):
    path = write_json(tmp_path, doc)
    with pytest.raises(ValueError, match=words) as info:
        load_scenarios(path, builtin_map('paper10'))
    assert 's.json' in str(info.value)


def test_load_scenarios_missing_file(tmp_path):
    with pytest.raises(ValueError, match='cannot read'):
        load_scenarios(str(tmp_path / 'none.json'), builtin_map('paper10'))
