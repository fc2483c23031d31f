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
"""The planning grid, the simulator's world and the navigator's session (no nodes started).

The navigator and the simulator must obtain the same planning cells from the same map; the
simulator must count episodes on them while colliding with the map's own cells.
"""
import math

import numpy as np
import pytest

from snan_nav.ros.executors import executor_kind
from snan_nav.ros.planning import occupancy_values, planning_cell_of_map_cell, planning_grid
from snan_nav.ros.ros_params import StartupError
from snan_nav.ros.session import AgentSpec, NavigationSession
from snan_nav.ros.sim_core import GridSim, SUCCESS
from snan_nav.ros.sim_params import SIM_PARAMS
from snan_nav.ros.sim_world import load_sim_world
from snan_nav.world.builtin import grid_from_rows, resolve_map
from snan_nav.world.grid import GridMap

ROWS = ('....', '.##.', '....')


def test_planning_grid_is_the_map_when_no_coarsening_is_asked():
    grid = grid_from_rows(ROWS, 'u', (0, 0), (0, 2))
    occ = occupancy_values(grid)
    occ[0, 3] = -1                                       # unknown blocks
    plan = planning_grid(occ, 1.0, (2.0, -1.0, 0.0), 1.0, 0.0)
    assert (plan.width, plan.height, plan.resolution) == (4, 3, 1.0)
    assert plan.origin == (2.0, -1.0, 0.0)
    expected = grid.blocked.copy()
    expected[0, 3] = True
    assert (plan.blocked == expected).all()
    auto = planning_grid(occ, 1.0, (2.0, -1.0, 0.0), 0.0, 0.2)   # radius below a map cell
    assert (auto.blocked == plan.blocked).all()


@pytest.mark.parametrize('cell_size,radius', [(float('nan'), 0.2), (0.5, -1.0),
                                              (0.5, float('inf'))])
def test_planning_grid_rejects_bad_sizes(cell_size, radius):
    occ = np.zeros((4, 4), dtype=np.int8)
    with pytest.raises(ValueError, match='cell_size|robot_radius'):
        planning_grid(occ, 0.5, (0.0, 0.0, 0.0), cell_size, radius)


def test_map_cells_map_to_the_planning_cell_containing_their_centre():
    plan = GridMap(np.zeros((2, 3), dtype=bool), 1.0, (-1.0, 2.0, 0.0))
    assert planning_cell_of_map_cell(plan, (0, 0), 0.25, (-1.0, 2.0, 0.0)) == (0, 0)
    assert planning_cell_of_map_cell(plan, (4, 5), 0.25, (-1.0, 2.0, 0.0)) == (1, 1)
    assert planning_cell_of_map_cell(plan, (12, 0), 0.25, (-1.0, 2.0, 0.0)) is None


def _two_level_world():
    """A 0.5 m map (8 x 4) and a 1 m planning grid (4 x 2) built by hand."""
    fine = np.zeros((4, 8), dtype=bool)
    fine[0:2, 5] = True                                  # a wall piece in planning cell (2, 0)
    grid = GridMap(fine, 0.5, (0.0, 0.0, 0.0))
    plan_blocked = np.zeros((2, 4), dtype=bool)
    plan_blocked[0, 2] = True
    return grid, GridMap(plan_blocked, 1.0, (0.0, 0.0, 0.0))


def test_sim_counts_episode_cells_on_the_planning_grid_and_collides_with_the_map():
    grid, plan = _two_level_world()
    sim = GridSim(grid, (0, 0), (1, 1), plan=plan)
    assert sim.budget == 4 * plan.free_count()
    sim.new_episode()
    assert (sim.x, sim.y) == (0.5, 0.5)                  # centre of planning cell (0, 0)
    for _ in range(10):                                  # 1 m east at 0.5 m/s
        sim.step(0.5, 0.0, 0.2)
    assert sim.cell == (1, 0) and sim.episode.steps == 1  # one planning cell entered
    assert sim.episode.cells == [(0, 0), (1, 0)]
    collided = [sim.step(0.5, 0.0, 0.2) for _ in range(10)]
    assert any(collided) and sim.x < 2.5                 # the map wall at x = 2.5 m stops it
    sim.teleport(1.5, 0.5, math.pi / 2)
    while sim.check_episode() is None:
        sim.step(0.5, 0.0, 0.1)
    assert sim.check_episode() == SUCCESS and sim.cell == (1, 1)
    with pytest.raises(ValueError, match='planning grid'):
        GridSim(grid, (2, 0), (1, 1), plan=plan)        # blocked planning cell


def _sim_values(**given):
    values = {p.name: p.default for p in SIM_PARAMS}
    values.update(given)
    return values


def test_sim_world_resolves_start_and_goal_planning_cells():
    world = load_sim_world(_sim_values())
    assert world.start == (0, 0) and world.goal == (9, 9)
    assert (world.plan.blocked == resolve_map('builtin:paper10').blocked).all()
    assert world.occupancy.dtype == np.int8 and set(np.unique(world.occupancy)) == {0, 100}
    assert '10x10 planning cells of 1 m' in world.summary
    with pytest.raises(StartupError, match="map 'builtin:nope'"):
        load_sim_world(_sim_values(map='builtin:nope'))
    with pytest.raises(StartupError, match=r'goal_cell \[4, 3\] is blocked'):
        load_sim_world(_sim_values(goal_cell=[4, 3]))


class _Planner:
    """A scripted agent that tells a route with one off-map id among it."""

    uses_goal_cue = True

    def __init__(self):
        self.cues = []

    def cue_goal(self, goal):
        self.cues.append(goal)

    def begin_episode(self, obs):
        pass

    def act(self, obs):
        return 1                                         # east

    def observe(self, *args):
        pass

    def end_episode(self, success):
        pass

    def plan(self, cell, max_len):
        return [cell + 1, 999, cell + 2][:max_len]


def test_session_cues_the_goal_plans_and_drops_memory_on_a_new_geometry(monkeypatch):
    from snan_nav.ros import session as session_module
    agents = []
    monkeypatch.setattr(session_module, 'make_agent',
                        lambda *a, **k: agents.append(_Planner()) or agents[-1])
    s = NavigationSession(AgentSpec('snan', 0, None), goal_cue=True)
    grid = grid_from_rows(ROWS, 'u', (0, 0), (3, 0))
    s.set_grid(grid)
    assert s.goal_problem((0, 0), (1, 1), (1.5, 1.5)).startswith('goal cell (1, 1) is occupied')
    assert s.goal_problem((0, 0), None, (9.0, 9.0)).startswith('goal (9.00, 9.00) m is outside')
    assert s.goal_problem((0, 0), (3, 0), (3.5, 0.5)) is None
    assert s.start((0, 0), (3, 0)) is None
    assert agents[0].cues == [3] and s.target == (1, 0)
    assert s.plan(3) == [2, 3]                           # off-map ids are dropped
    assert s.plan(0) == []
    s.goal_cue = False
    s.abort('test')
    s.start((0, 0), (3, 0))
    assert agents[0].cues == [3, None]
    aborted, dropped = s.set_grid(GridMap(np.zeros((2, 2), dtype=bool)))
    assert aborted['outcome'] == 'map changed' and dropped and s.agent is None


def test_executor_choice(monkeypatch):
    monkeypatch.setenv('SNAN_NAV_EXECUTOR', 'single')
    assert executor_kind() == 'single'
    monkeypatch.setenv('SNAN_NAV_EXECUTOR', 'threads')
    with pytest.raises(ValueError, match='SNAN_NAV_EXECUTOR'):
        executor_kind()
