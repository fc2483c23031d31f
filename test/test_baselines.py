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
"""Baseline agents: reach the goal, learn where they should, are deterministic per seed."""
from collections import deque

import numpy as np
import pytest

from snan_nav.agents.base import Agent
from snan_nav.agents.baseline_params import DynaQParams, QLearningParams
from snan_nav.agents.random_walk import RandomWalkAgent
from snan_nav.agents.registry import (
    AGENT_NAMES, goal_cue_used, make_agent, params_class, parse_agent_list)
from snan_nav.core.params import SNANParams
from snan_nav.world.bfs import path_length
from snan_nav.world.builtin import builtin_map
from snan_nav.world.episode import GridWorld, run_episode
from snan_nav.world.grid import GridMap, Observation

BASELINES = ('random', 'qlearning', 'dynaq', 'tremaux', 'bfs')


def run(name, grid, episodes, seed=0, start=None, goal=None):
    world = GridWorld(grid, start or grid.start, goal or grid.goal)
    agent = make_agent(name, grid, world.goal, seed)
    return [run_episode(agent, world) for _ in range(episodes)]


def test_registry_builds_named_agents():
    grid = builtin_map('open16')
    for name in BASELINES:
        agent = make_agent(name, grid, grid.cell_id(grid.goal), 0)
        assert isinstance(agent, Agent) and agent.name == name
    with pytest.raises(ValueError, match='valid: snan, snan-no-astro'):
        make_agent('dijkstra', grid, 0, 0)
    assert set(AGENT_NAMES) >= set(BASELINES)
    assert parse_agent_list('bfs, random,bfs') == ('bfs', 'random')
    with pytest.raises(ValueError, match='unknown agent'):
        parse_agent_list('bfs,astar')
    with pytest.raises(ValueError, match='empty'):
        parse_agent_list('bfs,,random')
    assert AGENT_NAMES.index('dynaq') == AGENT_NAMES.index('qlearning') + 1


def test_registry_params_records_and_goal_cue():
    grid = builtin_map('open16')
    assert params_class('qlearning') is QLearningParams
    assert params_class('dynaq') is DynaQParams
    assert params_class('snan-no-astro') is SNANParams
    assert [params_class(n) for n in ('random', 'tremaux', 'bfs')] == [None, None, None]
    with pytest.raises(ValueError, match='unknown agent'):
        params_class('astar')
    record = DynaQParams(planning_steps=3)
    assert make_agent('dynaq', grid, 0, 0, record).params is record
    assert make_agent('dynaq', grid, 0, 0, params=record).params is record
    assert make_agent('qlearning', grid, 0, 0).params == QLearningParams()
    with pytest.raises(TypeError, match="agent 'qlearning' takes a QLearningParams, got Dyna"):
        make_agent('qlearning', grid, 0, 0, record)
    with pytest.raises(TypeError, match="agent 'random' takes no parameters"):
        make_agent('random', grid, 0, 0, record)
    # the bench still hands its SNAN record to every agent: the baselines ignore it
    assert make_agent('dynaq', grid, 0, 0, SNANParams()).params == DynaQParams()
    snan = make_agent('snan', grid, 0, 0, snan_params=SNANParams(action_noise=0.02))
    assert snan.params.action_noise == 0.02
    with pytest.raises(TypeError, match='not both'):
        make_agent('snan', grid, 0, 0, SNANParams(), snan_params=SNANParams())
    assert [goal_cue_used(n) for n in ('random', 'qlearning', 'dynaq', 'tremaux', 'bfs')] == [
        False, False, False, True, False]
    for name in AGENT_NAMES:
        agent = make_agent(name, grid, 0, 0)
        assert goal_cue_used(name) == agent.uses_goal_cue


@pytest.mark.parametrize('name', ['qlearning', 'dynaq', 'tremaux', 'bfs'])
def test_reaches_goal_on_open16(name):
    grid = builtin_map('open16')
    for seed in range(3):
        results = run(name, grid, 5, seed)
        assert any(r.success for r in results)
        assert results[-1].success


def test_random_walk_reaches_goal_on_small_open_map():
    grid = GridMap(np.zeros((5, 5), dtype=bool), start=(0, 0), goal=(4, 4))
    for seed in range(5):
        assert any(r.success for r in run('random', grid, 5, seed))


def test_random_walk_never_bumps_when_a_move_is_open():
    grid = builtin_map('fourrooms')
    world = GridWorld(grid, grid.start, grid.goal, budget=2000)
    agent = make_agent('random', grid, world.goal, 4)
    results = [run_episode(agent, world) for _ in range(3)]
    assert sum(r.steps for r in results) > 300
    # every free cell of fourrooms has an open move, so the walk moves on every step
    assert all((np.diff(r.cells) != 0).all() for r in results)


def test_random_walk_is_uniform_over_open_moves_and_all_four_when_none():
    agent = RandomWalkAgent(seed=1)
    two_open = Observation(5, np.array([-1, 6, -1, 4], dtype=np.int32))
    counts = np.bincount([agent.act(two_open) for _ in range(2000)], minlength=4)
    # Binomial(2000, 1/2) leaves [900, 1100] with probability < 1e-5
    assert counts[0] == counts[2] == 0 and 900 <= counts[1] <= 1100
    walled_in = Observation(5, np.full(4, -1, dtype=np.int32))
    assert set(agent.act(walled_in) for _ in range(200)) == {0, 1, 2, 3}


def test_bfs_oracle_walks_shortest_paths():
    for name in ('paper10', 'fourrooms', 'maze21'):
        grid = builtin_map(name)
        shortest = path_length(grid, grid.start, grid.goal)
        assert [r.steps for r in run('bfs', grid, 2, seed=3)] == [shortest, shortest]


def test_tremaux_explores_once_then_takes_known_shortest_route():
    grid = builtin_map('maze21', seed=1)
    results = run('tremaux', grid, 3, seed=2)
    assert results[0].success
    assert results[0].steps <= 2 * grid.free_count()  # DFS walks each tree edge at most twice
    shortest = path_length(grid, grid.start, grid.goal)
    assert [r.steps for r in results[1:]] == [shortest, shortest]  # a maze has one route


def test_tremaux_resumes_exploration_after_a_failed_episode():
    grid = builtin_map('maze21', seed=1)
    shortest = path_length(grid, grid.start, grid.goal)
    world = GridWorld(grid, grid.start, grid.goal, budget=shortest + 20)
    agent = make_agent('tremaux', grid, world.goal, 0)
    results = [run_episode(agent, world) for _ in range(10)]
    assert not results[0].success
    assert results[-1].success  # memory carries the exploration across episodes
    assert results[-1].steps == shortest


@pytest.mark.parametrize('name', BASELINES)
def test_deterministic_per_seed(name):
    grid = builtin_map('fourrooms')
    a = run(name, grid, 3, seed=7)
    b = run(name, grid, 3, seed=7)
    assert [r.steps for r in a] == [r.steps for r in b]
    assert all(np.array_equal(x.cells, y.cells) for x, y in zip(a, b))
    if name in ('random', 'qlearning', 'dynaq'):
        c = run(name, grid, 3, seed=8)
        assert [r.steps for r in a] != [r.steps for r in c]


def known_graph_distance(memory, source, target):
    """Return the steps of a shortest route over a Trémaux memory (inner cells stood on)."""
    dist = {source: 0}
    queue = deque([source])
    while queue:
        cell = queue.popleft()
        if cell == target:
            return dist[cell]
        if memory['visited'][cell]:
            for nxt in memory['neighbours'][cell]:
                if nxt >= 0 and int(nxt) not in dist:
                    dist[int(nxt)] = dist[cell] + 1
                    queue.append(int(nxt))
    return None


@pytest.mark.parametrize('name', ['open16', 'fourrooms', 'maze21'])
def test_tremaux_walks_straight_to_a_cued_cell_it_has_seen(name):
    grid = builtin_map(name)
    explore = GridWorld(grid, grid.start, grid.goal, budget=grid.free_count() // 2)
    agent = make_agent('tremaux', grid, explore.goal, 3)
    run_episode(agent, explore)  # a partial exploration: some seen cells were never entered
    memory = agent.memory()
    seen = memory['visited'].copy()
    marks = memory['neighbours'][memory['visited']].ravel()
    seen[marks[marks >= 0]] = True
    far = {}
    for kind, cells in (('visited', memory['visited']), ('frontier', seen & ~memory['visited'])):
        far[kind] = max((known_graph_distance(memory, explore.start, int(c)), int(c))
                        for c in np.flatnonzero(cells) if c not in (explore.start, explore.goal))
    for kind, (expected, cue) in far.items():
        world = GridWorld(grid, grid.start, grid.cell_of(cue))
        agent.cue_goal(cue)
        result = run_episode(agent, world)
        assert result.success and result.steps == expected, kind
        assert expected >= path_length(grid, grid.start, grid.cell_of(cue))
    agent.cue_goal(None)  # without a cue it walks to where it was last rewarded, then explores
    result = run_episode(agent, GridWorld(grid, grid.start, grid.goal))
    # (or it passes the goal on that walk)
    assert result.success and (result.steps < expected or result.cells[expected] == cue)


def test_tremaux_cue_ends_exploration_as_soon_as_the_goal_is_seen():
    grid = builtin_map('open16')
    cued_total = plain_total = 0
    for seed in range(6):
        world = GridWorld(grid, grid.start, grid.goal)
        cued = make_agent('tremaux', grid, world.goal, seed)
        cued.cue_goal(world.goal)
        plain = make_agent('tremaux', grid, world.goal, seed)
        cued_steps = run_episode(cued, world).steps
        plain_steps = run_episode(plain, world).steps
        assert cued_steps <= plain_steps  # identical until the goal is seen, then one hop
        cued_total, plain_total = cued_total + cued_steps, plain_total + plain_steps
    assert cued_total < plain_total


def test_tremaux_recovers_from_a_wrong_cue():
    grid = builtin_map('maze21', seed=1)
    world = GridWorld(grid, grid.start, grid.goal)
    agent = make_agent('tremaux', grid, world.goal, 0)
    wrong = world.start + 1 if not grid.blocked.flat[world.start + 1] else world.start - 1
    agent.cue_goal(wrong)
    results = [run_episode(agent, world) for _ in range(3)]
    assert all(r.success for r in results)
    assert wrong in results[0].cells
    # later episodes: one walk to the wrong cell, then straight to the rewarded goal
    assert results[2].steps == results[1].steps <= 2 + path_length(grid, grid.start, grid.goal)
    with pytest.raises(ValueError, match='outside'):
        agent.cue_goal(grid.n_cells)


def test_tremaux_memory_round_trip():
    grid = builtin_map('fourrooms')
    world = GridWorld(grid, grid.start, grid.goal, budget=60)
    agent = make_agent('tremaux', grid, world.goal, 5)
    run_episode(agent, world)  # a failed, partial exploration: the stack matters
    memory = agent.memory()
    assert set(memory) == {'neighbours', 'visited', 'stack', 'goal'}
    twin = make_agent('tremaux', grid, world.goal, 99)
    twin.restore(memory)
    assert all(np.array_equal(twin.memory()[k], memory[k]) for k in memory)
    twin.rng.bit_generator.state = agent.rng.bit_generator.state
    for _ in range(3):
        assert np.array_equal(run_episode(agent, world).cells, run_episode(twin, world).cells)
    bad = dict(memory, stack=np.array([grid.n_cells], dtype=np.int32))
    with pytest.raises(ValueError, match="'stack' has entries outside"):
        twin.restore(bad)
    with pytest.raises(ValueError, match="'visited' has shape"):
        twin.restore(dict(memory, visited=memory['visited'][:-1]))
    with pytest.raises(ValueError, match='missing'):
        twin.restore({k: v for k, v in memory.items() if k != 'goal'})
    assert all(np.array_equal(twin.memory()[k], agent.memory()[k]) for k in memory)
