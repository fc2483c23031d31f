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
"""A map update of the same size during an episode applies at once (the navigator's stepper).

Before, the running episode kept its old world: a robot whose route a new map blocked drove
into the occupied cell and then held there in error for the rest of the episode.
"""
import numpy as np

from snan_nav.agents.registry import make_agent
from snan_nav.ros.stepper import EpisodeStepper
from snan_nav.world.builtin import grid_from_rows
from snan_nav.world.grid import GridMap

ROWS = ['........',
        '........',
        '........']          # 8 x 3, drawn top first; row 0 of the grid is the last string


def open_grid() -> GridMap:
    return grid_from_rows(ROWS, 'corridor', (0, 0), (7, 0))


def with_blocked(grid: GridMap, cells) -> GridMap:
    blocked = grid.blocked.copy()
    for mx, my in cells:
        blocked[my, mx] = True
    return GridMap(blocked, grid.resolution, grid.origin, grid.name, grid.start, grid.goal)


class GoEast:
    """Step east when the east neighbour is free, else north; records what it observed."""

    def __init__(self):
        self.seen = []

    def begin_episode(self, obs):
        self.seen.append((int(obs.cell), tuple(int(n) for n in obs.neighbours)))

    def act(self, obs):
        return 1 if obs.neighbours[1] >= 0 else 0

    def observe(self, action, obs, reward, done):
        self.seen.append((int(obs.cell), tuple(int(n) for n in obs.neighbours)))

    def end_episode(self, success):
        pass


def drive(stepper: EpisodeStepper, moves: int) -> None:
    """Let the robot complete ``moves`` moves (it reaches each target's centre)."""
    for _ in range(moves):
        if not stepper.active:
            return
        stepper.update(stepper.target, True)


def east_run(moves: int):
    """Return ``(grid, agent, stepper)`` after ``moves`` moves of :class:`GoEast` to (7, 0)."""
    grid = open_grid()
    agent = GoEast()
    stepper = EpisodeStepper(agent, grid)
    stepper.start((0, 0), (7, 0))
    drive(stepper, moves)
    return grid, agent, stepper


def test_a_move_whose_target_becomes_blocked_fails_like_a_wall_and_the_agent_decides_again():
    grid, agent, stepper = east_run(2)
    assert stepper.source == (2, 0) and stepper.target == (3, 0)
    assert stepper.set_grid(with_blocked(grid, [(3, 0)])) is None
    # the agent was told the move left it where it was, and saw the cell east of it blocked
    cell, neighbours = agent.seen[-1]
    assert cell == grid.cell_id((2, 0)) and neighbours[1] == -1
    # and it decided again: north, around the obstacle
    assert stepper.active and stepper.source == (2, 0) and stepper.target == (2, 1)
    assert stepper.record.cells[-2:] == [grid.cell_id((2, 0)), grid.cell_id((2, 0))]


def test_a_target_still_free_is_kept_and_its_observation_shows_the_new_map():
    grid, agent, stepper = east_run(1)
    assert stepper.target == (2, 0)
    assert stepper.set_grid(with_blocked(grid, [(3, 0)])) is None
    assert stepper.target == (2, 0)                       # the running move goes on
    drive(stepper, 1)
    cell, neighbours = agent.seen[-1]
    assert cell == grid.cell_id((2, 0)) and neighbours[1] == -1   # arrived: sees the new wall
    assert stepper.target == (2, 1)


def test_an_update_that_blocks_the_goal_the_robot_or_the_way_ends_the_episode():
    grid = open_grid()
    cases = {'map update blocked the goal cell': [(7, 0)],
             "map update blocked the robot's cell": [(1, 0)],
             'map update cut the goal off from the robot': [(5, 0), (5, 1), (5, 2)]}
    for reason, cells in cases.items():
        stepper = EpisodeStepper(GoEast(), grid)
        stepper.start((0, 0), (7, 0))
        drive(stepper, 1)
        assert stepper.source == (1, 0)
        assert stepper.set_grid(with_blocked(grid, cells)) == reason


def test_between_episodes_the_update_is_simply_used_by_the_next_one():
    grid = open_grid()
    stepper = EpisodeStepper(GoEast(), grid)
    assert stepper.set_grid(with_blocked(grid, [(3, 0)])) is None
    stepper.start((0, 0), (7, 0))
    drive(stepper, 2)
    assert stepper.target == (2, 1)


def test_the_snan_never_enters_a_cell_the_update_blocked_and_still_reaches_the_goal():
    # A wall with one gap appears across the route while the robot drives; the robot must
    # not enter any of its cells afterwards, and must reach the goal through the gap.
    rows = ['..........'] * 7
    grid = grid_from_rows(rows, 'room', (0, 3), (9, 3))
    for seed in range(5):
        agent = make_agent('snan', grid, -1, seed)
        stepper = EpisodeStepper(agent, grid)
        for _ in range(2):          # a learned route first
            stepper.start((0, 3), (9, 3))
            while stepper.active:
                drive(stepper, 1)
        stepper.start((0, 3), (9, 3))
        drive(stepper, 3)
        wall = [(5, y) for y in range(7) if y != 6]
        new = with_blocked(grid, wall)
        assert stepper.set_grid(new) is None
        entered = []
        while stepper.active:
            target = stepper.target
            assert new.is_free(target), (seed, target)
            entered.append(target)
            drive(stepper, 1)
        assert stepper.record.success and (5, 6) in entered, seed
        assert not any(c in wall for c in entered)
        assert np.all(new.blocked.flat[stepper.record.cells] == 0)
