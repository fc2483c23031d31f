"""Baseline agents: reach the goal, learn where they should, are deterministic per seed."""
import numpy as np
import pytest

from snan_nav.agents.base import Agent
from snan_nav.agents.qlearning import QLearningAgent
from snan_nav.agents.registry import AGENT_NAMES, make_agent, parse_agent_list
from snan_nav.world.bfs import path_length
from snan_nav.world.builtin import builtin_map
from snan_nav.world.episode import GridWorld, run_episode
from snan_nav.world.grid import GridMap

BASELINES = ('random', 'qlearning', 'tremaux', 'bfs')


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


@pytest.mark.parametrize('name', ['qlearning', 'tremaux', 'bfs'])
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


def test_random_walk_bumps_into_walls():
    grid = GridMap(np.zeros((1, 3), dtype=bool), start=(0, 0), goal=(2, 0))
    result = run('random', grid, 1)[0]
    # on a 1-row map N/S are always blocked: the walk stays in place on some steps
    assert (np.diff(result.cells) == 0).any()


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


def test_qlearning_learns_on_paper10():
    grid = builtin_map('paper10')
    steps = [r.steps for r in run('qlearning', grid, 30, seed=0)]
    assert np.median(steps[-5:]) < np.median(steps[:5])


def test_qlearning_update_and_arguments():
    agent = QLearningAgent(4, seed=0, alpha=0.5, gamma=0.9, epsilon=0.0, step_reward=-0.1)
    grid = GridMap(np.zeros((1, 4), dtype=bool))
    table = grid.neighbour_table()
    obs0, obs1 = grid.observe(0, table), grid.observe(1, table)
    action = agent.act(obs0)
    assert action == 1  # the only open move
    agent.observe(action, obs1, 0.0, False)
    assert agent.q[0, 1] == pytest.approx(0.5 * -0.1)
    agent.act(obs1)
    agent.observe(1, grid.observe(2, table), 1.0, True)
    assert agent.q[1, 1] == pytest.approx(0.5)
    with pytest.raises(ValueError, match='epsilon'):
        QLearningAgent(4, epsilon=1.5)


@pytest.mark.parametrize('name', BASELINES)
def test_deterministic_per_seed(name):
    grid = builtin_map('fourrooms')
    a = run(name, grid, 3, seed=7)
    b = run(name, grid, 3, seed=7)
    assert [r.steps for r in a] == [r.steps for r in b]
    assert all(np.array_equal(x.cells, y.cells) for x, y in zip(a, b))
    if name in ('random', 'qlearning'):
        c = run(name, grid, 3, seed=8)
        assert [r.steps for r in a] != [r.steps for r in c]
