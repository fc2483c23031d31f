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
"""The shortcut bound: curiosity fires only from novel places a shorter route could pass through.

The bound must be exactly the grid geometry of the map (place ``i`` at column ``i mod W``, row
``i div W``, as :meth:`GridMap.cell_of` lays cells out), switch off where it would not be a
lower bound, and pay off: the same routes for fewer steps.
"""
import os
import sys

import numpy as np

from snan_nav.agents.snan import make_snan_agent
from snan_nav.core.params import SNANParams
from snan_nav.core.shortcut_bound import could_shorten
from snan_nav.core.network import neighbour_values
from snan_nav.core.state import (
    C_BOUND_DISTANCES, C_BOUND_TESTS, F_BOUND_ROUTE, F_PLAN_KIND, F_START, NEVER, PLAN_NONE)
from snan_nav.world.episode import GridWorld, run_episode
from snan_nav.world.generators import generate
from snan_nav.world.grid import GridMap, W
from snan_nav.world.suites import far_pairs

CASES = [(family, seed) for family in ('open', 'rooms', 'random20') for seed in range(3)]


def _trained(grid, start, goal, episodes, seed=0, **changes):
    agent = make_snan_agent('snan', grid, SNANParams(**changes), seed=seed)
    world = GridWorld(grid, start, goal)
    steps = [run_episode(agent, world).steps for _ in range(episodes)]
    return agent, world, steps


def test_the_bound_is_the_grid_distance_of_the_map_layout():
    grid = generate('rooms', 16, 4)  # its route after two episodes is longer than BFS
    start, goal = far_pairs(grid, 1, 2)[0]
    agent, world, _ = _trained(grid, start, goal, 2, seed=2)
    s = agent.state
    agent.begin_episode(world.reset())  # the bound of episode 3: from the start, route L
    route = int(s.flags[F_BOUND_ROUTE])
    assert s.flags[F_START] == grid.cell_id(start) and 0 < route < NEVER
    (sx, sy), (gx, gy) = start, goal
    tests = s.counters[C_BOUND_TESTS]
    verdicts = []
    for i in range(grid.n_cells):
        x, y = grid.cell_of(i)
        expected = abs(x - sx) + abs(y - sy) + abs(x - gx) + abs(y - gy) < route
        assert could_shorten(s, i) == expected, (i, (x, y))
        verdicts.append(expected)
    assert any(verdicts) and not all(verdicts)  # the check separated places both ways
    assert s.counters[C_BOUND_TESTS] - tests == grid.n_cells  # one position read per check
    assert s.counters[C_BOUND_DISTANCES] >= 2 * grid.n_cells  # start and goal distances


def test_no_bound_without_a_route_a_layout_or_after_a_goal_change():
    grid = generate('open', 16, 0)
    start, goal = far_pairs(grid, 1, 0)[0]
    agent, world, _ = _trained(grid, start, goal, 2)
    s = agent.state
    agent.begin_episode(world.reset())
    far = grid.cell_id(goal) if grid.cell_id(goal) != grid.cell_id(start) else 0
    corner = max(range(grid.n_cells), key=lambda i: sum(grid.cell_of(i)))
    assert not all(could_shorten(s, i) for i in (corner, 0, grid.n_cells - 1, far))
    agent.cue_goal(grid.cell_id(start))  # a new goal: the known route leads to the old one
    assert s.flags[F_BOUND_ROUTE] == NEVER
    assert all(could_shorten(s, i) for i in range(grid.n_cells))
    # A bare index space (a cell count, one row) has no layout: no bound.
    bare = make_snan_agent('snan', grid.n_cells, seed=0)
    bare.state.flags[F_START] = 0
    bare.state.flags[F_BOUND_ROUTE] = 1
    assert all(could_shorten(bare.state, i) for i in range(grid.n_cells))


def test_the_bound_keeps_the_routes_and_saves_the_detours():
    """Episodes 2-6 cost less with the bound; the learned route is never longer.

    Deterministic (seeded) on 9 far pairs of 16 x 16 maps. Measured when written: 837 vs
    1,047 steps over episodes 2-6, the same final route on every case.
    """
    with_bound, without = 0, 0
    for family, seed in CASES:
        grid = generate(family, 16, 2 * seed)
        start, goal = far_pairs(grid, 1, seed)[0]
        _, _, on = _trained(grid, start, goal, 12, seed=seed)
        _, _, off = _trained(grid, start, goal, 12, seed=seed, shortcut_bound=False)
        assert on[0] == off[0], 'the first episode (no goal known) does not use the bound'
        assert on[-1] <= off[-1], (family, seed, on, off)
        with_bound += sum(on[1:6])
        without += sum(off[1:6])
    assert with_bound <= 0.9 * without, (with_bound, without)


def test_new_parameters_drop_a_cached_curiosity_route():
    """A route or certificate found with the old sources must not outlive a parameter change."""
    grid = generate('rooms', 16, 4)
    start, goal = far_pairs(grid, 1, 2)[0]
    agent, world, _ = _trained(grid, start, goal, 2, seed=2)
    obs = world.reset()
    agent.begin_episode(obs)
    for _ in range(world.budget):
        action = agent.act(obs)
        if agent.state.flags[F_PLAN_KIND] != PLAN_NONE:
            break
        obs, reward, done, _ = world.step(action)
        agent.observe(action, obs, reward, done)
    assert agent.state.flags[F_PLAN_KIND] != PLAN_NONE, 'curiosity never cached a route'
    agent.set_params(agent.params.with_changes(shortcut_bound=False))
    assert agent.state.flags[F_PLAN_KIND] == PLAN_NONE


def _corridor_with_detour(door_open: bool, detour_open: bool) -> GridMap:
    """S (1, 1) to G (9, 1) along row 1 through a door at (5, 1); a detour over row 5."""
    free = np.zeros((7, 11), dtype=bool)
    free[1, 1:10] = True           # the direct corridor, 8 moves
    free[1:6, 1] = True            # up the left side
    free[5, 1:10] = True           # along the top
    free[1:6, 9] = True            # down to the goal: the detour is 16 moves
    free[1, 5] = door_open
    free[2, 1] = detour_open       # the detour's entrance next to the start
    return GridMap(~free)


def test_a_closed_door_lifts_the_bound_so_the_way_around_calls_the_robot():
    """Regression: a lost way makes the known route longer than the bound's L.

    With the goal cue (the ROS default) the robot learns the 8-move corridor while the detour is
    shut. Then the door closes and the detour opens: every detour place lies 16 moves from the
    start via the goal, more than the old route, so a bound kept from the episode start would
    silence them all and no wave would reach the robot at the door (it would wander on the
    astrocytes' avoidance alone). The curiosity wave from the detour must reach it instead.
    """
    start, goal = (1, 1), (9, 1)
    before = _corridor_with_detour(door_open=True, detour_open=False)
    agent = make_snan_agent('snan', before, seed=0)
    agent.cue_goal(before.cell_id(goal))
    world = GridWorld(before, start, goal)
    for _ in range(3):
        assert run_episode(agent, world).steps == 8
    world = GridWorld(_corridor_with_detour(door_open=False, detour_open=True), start, goal)
    obs = world.reset()
    agent.begin_episode(obs)
    assert agent.state.flags[F_BOUND_ROUTE] == 8
    while obs.cell != before.cell_id((4, 1)):  # walk the known route to the closed door
        action = agent.act(obs)
        obs, reward, done, _ = world.step(action)
        agent.observe(action, obs, reward, done)
    action = agent.act(obs)  # learns that the door is closed, then decides
    assert agent.state.flags[F_BOUND_ROUTE] == NEVER
    value = neighbour_values(agent.state, agent.params.packed(), obs.cell,
                             np.asarray(obs.neighbours))
    assert value[W] < NEVER, value  # back west: the detour's entrance is the nearest source
    done = False
    while not done:
        obs, reward, done, reached = world.step(action)
        agent.observe(action, obs, reward, done)
        if not done:
            action = agent.act(obs)
    assert reached and world.steps == 3 + 3 + 16, world.steps  # to the door, back, around


def test_the_dense_reference_forgets_the_bound_as_the_core_does():
    """Lockstep through the door scenario: cue, learned corridor, closed door, way around."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.equivalence import Lockstep, MISMATCH
    from benchmarks.reference import DenseReference
    start, goal = (1, 1), (9, 1)
    before = _corridor_with_detour(door_open=True, detour_open=False)
    core = make_snan_agent('snan', before, seed=0)
    lock = Lockstep(core, DenseReference(before.width, before.height, core.params, seed=0))
    cue = before.cell_id(goal)
    for grid in (before,) * 3 + (_corridor_with_detour(door_open=False, detour_open=True),) * 2:
        world = GridWorld(grid, start, goal)
        for agent in (core, lock):
            agent.cue_goal(cue)
        obs = world.reset()
        for agent in (core, lock):
            agent.begin_episode(obs)
        done = False
        while not done:
            action = lock.decide(obs)
            obs, reward, done, reached = world.step(action)
            for agent in (core, lock):
                agent.observe(action, obs, reward, done)
        assert reached
        for agent in (core, lock):
            agent.end_episode(reached)
    assert lock.counts[MISMATCH] == 0, lock.mismatches
    # The way around was called by the exploration wave toward the cued goal (guided: the goal
    # wave no longer reaches the robot at the closed door, and no bound applies there).
    assert lock.counts['guided'] >= 1, lock.counts
