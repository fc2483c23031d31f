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
"""Q-learning and Dyna-Q: parameter records, schedule, updates, learning, memory."""
from dataclasses import fields
from math import comb

import numpy as np
import pytest

from snan_nav.agents.baseline_params import (
    BASELINE_PARAM_SPECS, DynaQParams, QLearningParams)
from snan_nav.agents.dynaq import DynaQAgent
from snan_nav.agents.qlearning import QLearningAgent
from snan_nav.agents.registry import make_agent
from snan_nav.world.bfs import path_length
from snan_nav.world.builtin import builtin_map
from snan_nav.world.episode import GridWorld, run_episode
from snan_nav.world.grid import GridMap

GREEDY = dict(epsilon_start=0.0, epsilon_end=0.0)


def steps_per_episode(name, grid, seed, episodes=30, params=None):
    world = GridWorld(grid, grid.start, grid.goal)
    agent = make_agent(name, grid, world.goal, seed, params)
    return np.array([run_episode(agent, world).steps for _ in range(episodes)])


def test_records_match_their_specs_and_serialise():
    for name, cls in (('qlearning', QLearningParams), ('dynaq', DynaQParams)):
        specs = BASELINE_PARAM_SPECS[name]
        assert [s.name for s in specs] == [f.name for f in fields(cls)]
        assert cls().to_mapping() == {s.name: s.default for s in specs}
        assert all(s.lo <= s.default <= s.hi for s in specs)
        record = cls.from_mapping({'alpha': 0.3, 'skip_blocked': False})
        assert cls.from_mapping(record.to_mapping()) == record
        assert record.with_changes(gamma=0.5).gamma == 0.5
    assert DynaQParams().kappa == 0.0 and DynaQParams().planning_steps >= 10


@pytest.mark.parametrize('cls, values, message', [
    (QLearningParams, {'alpha': 1.5}, r'alpha = 1.5 is out of range: allowed range \[0.01, 1.0\]'),
    (QLearningParams, {'gamma': 'high'}, 'gamma = .high.: must be a number'),
    (QLearningParams, {'q_init': float('nan')}, 'q_init = nan: must be finite'),
    (QLearningParams, {'skip_blocked': 1}, 'skip_blocked = 1: must be true or false'),
    (QLearningParams, {'epsilon_start': 0.1, 'epsilon_end': 0.2},
     r'epsilon_end \(0.2\) must not exceed epsilon_start \(0.1\)'),
    (DynaQParams, {'planning_steps': 2.5}, 'planning_steps = 2.5: must be an integer'),
    (DynaQParams, {'planning_steps': -1}, 'planning_steps = -1 is out of range'),
    (DynaQParams, {'kappa': True}, 'kappa = True: must be a number'),
])
def test_invalid_parameters_are_rejected_by_name(cls, values, message):
    with pytest.raises(ValueError, match=message):
        cls.from_mapping(values)


def test_unknown_parameter_names_list_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown qlearning parameter\(s\) \['planning_steps'\]"
                                         r"; valid names: \['alpha', "):
        QLearningParams.from_mapping({'planning_steps': 5})
    assert DynaQParams.from_mapping({'planning_steps': 5.0}).planning_steps == 5


def test_epsilon_schedule_values_and_use():
    p = QLearningParams(epsilon_start=0.5, epsilon_end=0.1, epsilon_decay=0.5)
    assert [p.epsilon(k) for k in range(4)] == pytest.approx([0.5, 0.3, 0.2, 0.15])
    assert QLearningParams(epsilon_decay=1.0).epsilon(29) == QLearningParams().epsilon_start
    assert QLearningParams(epsilon_decay=0.0).epsilon(1) == QLearningParams().epsilon_end
    with pytest.raises(ValueError, match='episode must be >= 0'):
        p.epsilon(-1)
    grid = builtin_map('fourrooms')
    world = GridWorld(grid, grid.start, grid.goal, budget=5)
    agent = QLearningAgent(grid.n_cells, 0, p)
    seen = []
    for _ in range(4):
        agent.begin_episode(world.reset())
        seen.append(agent.epsilon)
        agent.end_episode(False)
    assert seen == [p.epsilon(k) for k in range(4)]


def corridor():
    grid = GridMap(np.zeros((1, 4), dtype=bool))
    table = grid.neighbour_table()
    return grid, [grid.observe(c, table) for c in range(4)]


def test_q_update_values():
    _, obs = corridor()
    p = QLearningParams(alpha=0.5, gamma=0.9, step_reward=-0.1, q_init=0.2, **GREEDY)
    agent = QLearningAgent(4, 0, p)
    assert agent.act(obs[0]) == 1  # the only open move
    agent.observe(1, obs[1], 0.0, False)
    assert agent.q[0, 1] == pytest.approx(0.2 + 0.5 * (-0.1 + 0.9 * 0.2 - 0.2))
    agent.act(obs[1])
    agent.observe(1, obs[2], 1.0, True)  # the goal: no bootstrap
    assert agent.q[1, 1] == pytest.approx(0.2 + 0.5 * (1.0 - 0.2))
    blocked = QLearningAgent(4, 0, p.with_changes(skip_blocked=False))
    assert {blocked.act(obs[0]) for _ in range(40)} == {0, 1, 2, 3}  # ties over all four


def test_planning_propagates_the_goal_value_without_more_real_steps():
    grid = GridMap(np.zeros((1, 3), dtype=bool), start=(0, 0), goal=(2, 0))
    world = GridWorld(grid, grid.start, grid.goal)
    common = dict(alpha=1.0, gamma=0.9, step_reward=-0.1, q_init=0.0, **GREEDY)
    learner = QLearningAgent(3, 1, QLearningParams(**common))
    planner = DynaQAgent(3, 1, DynaQParams(planning_steps=50, **common))
    bonus = DynaQAgent(3, 1, DynaQParams(planning_steps=50, kappa=0.1, **common))
    for agent in (learner, planner, bonus):
        assert run_episode(agent, world).success
    # one-step Q-learning has not yet backed the goal up to the start ...
    assert learner.q[0, 1] == pytest.approx(-0.1)
    # ... the model's replays have: Q(0, E) = r + gamma * Q(1, E) = -0.1 + 0.9 * 1
    assert planner.q[0, 1] == pytest.approx(-0.1 + 0.9)
    assert bonus.q[0, 1] > planner.q[0, 1]  # Dyna-Q+ adds kappa * sqrt(tau) to replays


def test_random_policy_fails_the_learning_bounds():
    """Check the exact chance that the open-move random walk meets the bounds below.

    The walk's hitting time is the absorbing Markov chain on fourrooms' free cells; a run
    passes when the median of its last 5 episodes is <= the bound (>= 3 of 5 episodes).
    """
    grid = builtin_map('fourrooms')
    table = grid.neighbour_table()
    goal = grid.cell_id(grid.goal)
    step = np.zeros((grid.n_cells, grid.n_cells))
    for cell in np.flatnonzero(~grid.blocked.ravel()):
        moves = table[cell][table[cell] >= 0]
        step[cell, moves] += 1.0 / moves.size
    step[goal] = 0.0
    step[goal, goal] = 1.0
    where = np.zeros(grid.n_cells)
    where[grid.cell_id(grid.start)] = 1.0
    hit = {}
    for n in range(1, 61):
        where = where @ step
        hit[n] = where[goal]
    for bound, chance in ((30, 1e-12), (60, 1e-7)):
        p = hit[bound]
        assert sum(comb(5, k) * p ** k * (1 - p) ** (5 - k) for k in range(3, 6)) < chance


def test_qlearning_and_dynaq_learn_short_routes_on_fourrooms():
    """Late path bounds a random walk meets with probability < 1e-7 / 1e-12 per run."""
    grid = builtin_map('fourrooms')
    bfs = path_length(grid, grid.start, grid.goal)
    assert bfs == 20
    for seed in range(3):
        assert np.median(steps_per_episode('qlearning', grid, seed)[-5:]) <= 3 * bfs
        assert np.median(steps_per_episode('dynaq', grid, seed)[-5:]) <= 1.5 * bfs


def test_dynaq_beats_qlearning_in_cumulative_steps():
    grid = builtin_map('paper10')
    dynaq = DynaQParams(planning_steps=10)
    for seed in range(4):
        planned = steps_per_episode('dynaq', grid, seed, params=dynaq).sum()
        learned = steps_per_episode('qlearning', grid, seed).sum()
        assert planned < 0.7 * learned, seed


@pytest.mark.parametrize('name', ['qlearning', 'dynaq'])
def test_agents_own_their_randomness(name):
    grid = builtin_map('paper10')
    alone = [steps_per_episode(name, grid, seed, episodes=5) for seed in (3, 4)]
    world = GridWorld(grid, grid.start, grid.goal)
    pair = [make_agent(name, grid, world.goal, seed) for seed in (3, 4)]
    interleaved = [[], []]
    for _ in range(5):
        for i, agent in enumerate(pair):
            interleaved[i].append(run_episode(agent, world).steps)
    assert [list(a) for a in alone] == interleaved
    assert list(alone[0]) != list(alone[1])


@pytest.mark.parametrize('name', ['qlearning', 'dynaq'])
def test_memory_round_trip_continues_identically(name):
    grid = builtin_map('fourrooms')
    world = GridWorld(grid, grid.start, grid.goal)
    agent = make_agent(name, grid, world.goal, 2)
    for _ in range(4):
        run_episode(agent, world)
    memory = agent.memory()
    twin = make_agent(name, grid, world.goal, 77)
    twin.restore(memory)
    assert all(np.array_equal(twin.memory()[k], v) for k, v in memory.items())
    assert twin.epsilon == agent.params.epsilon(4)
    twin.rng[:] = agent.rng  # same random stream from here: the memory is all that differs
    for _ in range(3):
        assert np.array_equal(run_episode(agent, world).cells, run_episode(twin, world).cells)
    assert all(np.array_equal(twin.memory()[k], v) for k, v in agent.memory().items())


def test_restore_rejects_bad_memories_and_changes_nothing():
    grid = builtin_map('paper10')
    world = GridWorld(grid, grid.start, grid.goal)
    agent = make_agent('dynaq', grid, world.goal, 0)
    run_episode(agent, world)
    good = agent.memory()
    bad_next = good['model_next'].copy()
    bad_next[0, 0] = grid.n_cells
    wrong_order = good['observed'][::-1].copy()
    wrong_order[0] = wrong_order[-1]
    q_nan = good['q'].copy()
    q_nan[3, 1] = np.nan
    cases = [
        (dict(good, model_next=bad_next), "'model_next' has entries outside"),
        (dict(good, observed=wrong_order), "'observed' must list each tried move"),
        (dict(good, q=q_nan), "'q' has non-finite values"),
        (dict(good, q=good['q'].astype(np.float32)), "'q' has dtype float32"),
        (dict(good, q=good['q'][:-1]), "'q' has shape"),
        (dict(good, extra=good['q']), r"unexpected \['extra'\]"),
        (QLearningAgent(grid.n_cells).memory(), 'missing'),
    ]
    twin = make_agent('dynaq', grid, world.goal, 1)
    before = twin.memory()
    for memory, message in cases:
        with pytest.raises(ValueError, match=message):
            twin.restore(memory)
        assert all(np.array_equal(twin.memory()[k], v) for k, v in before.items())
    _, obs = corridor()
    with pytest.raises(ValueError, match='cell id 3 is outside its table of 3 cells'):
        QLearningAgent(3).act(obs[3])
