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
"""Message <-> core conversions, cell geometry, the controller, the sim core and the stepper."""
import math

import numpy as np
import pytest

pytest.importorskip('nav_msgs')

from geometry_msgs.msg import Quaternion  # noqa: E402
from nav_msgs.msg import OccupancyGrid  # noqa: E402

from snan_nav.agents.registry import make_agent  # noqa: E402
from snan_nav.ros.control import ControlLimits, drive_to, STOP  # noqa: E402
from snan_nav.ros.conversions import (calcium_to_occupancy, cell_center,  # noqa: E402
                                      grid_cell_of_point, grid_from_occupancy, make_pose,
                                      occupancy_from_grid, pose_xy_yaw, quaternion_from_yaw,
                                      world_to_cell, yaw_from_quaternion)
from snan_nav.ros.sim_core import GridSim, STALL, SUCCESS  # noqa: E402
from snan_nav.ros.stepper import EpisodeStepper  # noqa: E402
from snan_nav.world.builtin import grid_from_rows, resolve_map  # noqa: E402
from snan_nav.world.episode import GridWorld, run_episode  # noqa: E402
from snan_nav.world.grid import GridMap  # noqa: E402


def occupancy(width, height, data, resolution=0.5, origin=(1.0, -2.0, 0.0)):
    msg = OccupancyGrid()
    msg.info.width, msg.info.height = width, height
    msg.info.resolution = resolution
    msg.info.origin = make_pose(*origin)
    msg.data = list(data)
    return msg


# --- orientation and cell geometry ----------------------------------------------------------
@pytest.mark.parametrize('yaw', [0.0, 0.3, -1.2, math.pi / 2, 3.0, -3.0])
def test_yaw_quaternion_round_trip(yaw):
    assert yaw_from_quaternion(quaternion_from_yaw(yaw)) == pytest.approx(yaw)


def test_yaw_of_unnormalised_quaternion_and_invalid_one():
    q = quaternion_from_yaw(0.7)
    q2 = Quaternion(x=0.0, y=0.0, z=3 * q.z, w=3 * q.w)
    assert yaw_from_quaternion(q2) == pytest.approx(0.7)
    with pytest.raises(ValueError):
        yaw_from_quaternion(Quaternion(x=0.0, y=0.0, z=0.0, w=0.0))
    with pytest.raises(ValueError):
        yaw_from_quaternion(Quaternion(x=0.0, y=0.0, z=float('nan'), w=1.0))


def test_cells_use_lower_left_origin_and_resolution():
    origin = (1.0, -2.0, 0.0)
    assert world_to_cell(1.0, -2.0, 0.5, origin) == (0, 0)
    assert world_to_cell(1.49, -1.51, 0.5, origin) == (0, 0)
    assert world_to_cell(1.5, -1.5, 0.5, origin) == (1, 1)
    assert world_to_cell(0.99, -2.0, 0.5, origin) == (-1, 0)
    assert cell_center((0, 0), 0.5, origin) == pytest.approx((1.25, -1.75))
    assert cell_center((3, 1), 0.5, origin) == pytest.approx((2.75, -1.25))


def test_cells_with_a_rotated_origin():
    origin = (2.0, 1.0, math.pi / 2)  # cell x axis along map +y, cell y axis along map -x
    assert cell_center((0, 0), 1.0, origin) == pytest.approx((1.5, 1.5))
    assert cell_center((2, 0), 1.0, origin) == pytest.approx((1.5, 3.5))
    assert cell_center((0, 1), 1.0, origin) == pytest.approx((0.5, 1.5))
    for cell in [(0, 0), (2, 0), (0, 1), (4, 3)]:
        assert world_to_cell(*cell_center(cell, 1.0, origin), 1.0, origin) == cell


def test_point_outside_the_grid_has_no_cell():
    grid = GridMap(np.zeros((2, 3), dtype=bool), 1.0, (0.0, 0.0, 0.0))
    assert grid_cell_of_point(grid, 2.5, 1.5) == (2, 1)
    assert grid_cell_of_point(grid, 3.0, 0.5) is None
    assert grid_cell_of_point(grid, -0.01, 0.5) is None
    assert grid_cell_of_point(grid, float('nan'), 0.5) is None
    # huge but finite: the cell index overflows (it raised OverflowError in the control loop)
    tiny = GridMap(np.zeros((40, 40), dtype=bool), 0.05, (0.0, 0.0, 0.0))
    for x, y in ((1e308, 1.0), (-1e308, 1.0), (1.0, 1e308), (1e308, 1e308)):
        assert grid_cell_of_point(tiny, x, y) is None
    with pytest.raises(ValueError, match='no finite cell index'):
        world_to_cell(1e308, 0.0, 0.05, (0.0, 0.0, 0.0))


def test_pose_xy_yaw_rejects_non_finite_positions():
    assert pose_xy_yaw(make_pose(1.0, 2.0, 0.5)) == pytest.approx((1.0, 2.0, 0.5))
    with pytest.raises(ValueError):
        pose_xy_yaw(make_pose(float('inf'), 0.0))


# --- OccupancyGrid <-> GridMap ----------------------------------------------------------------
def test_occupancy_thresholds_unknown_and_row_order():
    # row 0 (bottom): free, 49, 50 ; row 1 (top): unknown, 100, 0
    msg = occupancy(3, 2, [0, 49, 50, -1, 100, 0])
    grid = grid_from_occupancy(msg)
    assert grid.width == 3 and grid.height == 2
    assert grid.blocked.tolist() == [[False, False, True], [True, True, False]]
    assert grid.resolution == 0.5 and grid.origin == pytest.approx((1.0, -2.0, 0.0))
    assert grid_from_occupancy(msg, occupied_threshold=40).blocked[0, 1]
    assert not grid_from_occupancy(msg, occupied_threshold=65).blocked[0, 2]


def test_grid_to_occupancy_round_trip():
    grid = grid_from_rows(('..#', '#..'), 'tiny', (0, 0), (2, 1))
    msg = occupancy_from_grid(grid, 'map')
    assert msg.header.frame_id == 'map'
    assert list(msg.data) == [100, 0, 0, 0, 0, 100]
    back = grid_from_occupancy(msg)
    assert np.array_equal(back.blocked, grid.blocked)
    assert back.resolution == grid.resolution


@pytest.mark.parametrize('width,height,data,resolution,reason', [
    (3, 2, [0] * 5, 0.5, 'expected width x height'),
    (3, 2, [0] * 7, 0.5, 'expected width x height'),
    (0, 2, [], 0.5, 'zero size'),
    (3, 0, [], 0.5, 'zero size'),
    (2, 2, [0] * 4, 0.0, 'resolution'),
    (2, 2, [0] * 4, -1.0, 'resolution'),
    (2, 2, [0] * 4, float('nan'), 'resolution'),
    (2, 2, [0] * 4, float('inf'), 'resolution'),
    (2, 2, [0, 0, 101, 0], 0.5, 'values must lie in'),
    (2, 2, [0, -5, 0, 0], 0.5, 'values must lie in'),
])
def test_malformed_occupancy_grids_are_rejected(width, height, data, resolution, reason):
    with pytest.raises(ValueError, match=reason):
        grid_from_occupancy(occupancy(width, height, data, resolution))


def test_calcium_layer_scaled_to_0_100():
    grid = GridMap(np.zeros((1, 4), dtype=bool), 1.0)
    msg = calcium_to_occupancy(np.array([0.0, 0.5, 1.0, 7.0]), 1.0, grid, 'map')
    assert list(msg.data) == [0, 50, 100, 100]
    msg = calcium_to_occupancy(np.array([np.nan, 1.0, 0.0, 0.0]), 0.0, grid, 'map')
    assert list(msg.data) == [0, 0, 0, 0]


# --- controller ------------------------------------------------------------------------------
def test_controller_is_bounded_turns_first_and_stops_inside_tolerance():
    lim = ControlLimits(max_linear_vel=0.4, max_angular_vel=1.0, xy_tolerance=0.05,
                        heading_tolerance=0.3, linear_gain=2.0, angular_gain=4.0)
    assert drive_to(0.0, 0.0, 0.0, 0.03, 0.0, lim) == STOP
    turn = drive_to(0.0, 0.0, 0.0, 0.0, 1.0, lim)           # target to the left
    assert turn.linear == 0.0 and turn.angular == pytest.approx(1.0)
    go = drive_to(0.0, 0.0, 0.0, 5.0, 0.1, lim)
    assert 0.0 < go.linear <= 0.4 and abs(go.angular) <= 1.0
    back = drive_to(0.0, 0.0, 0.0, -1.0, 0.0, lim)           # behind: turn, never reverse
    assert back.linear == 0.0 and abs(back.angular) == pytest.approx(1.0)


# --- simulator core ---------------------------------------------------------------------------
def drive_cells(sim, cells, limits, dt=0.05, max_ticks=2000):
    """Drive the sim through cell centres with the navigator's controller."""
    for cell in cells:
        tx, ty = cell_center(cell, sim.grid.resolution, sim.grid.origin)
        for _ in range(max_ticks):
            cmd = drive_to(sim.x, sim.y, sim.yaw, tx, ty, limits)
            if cmd == STOP:
                break
            sim.step(cmd.linear, cmd.angular, dt)
    return sim


def test_sim_refuses_a_goal_it_cannot_reach():
    # the navigator refused every goal and `snan-nav sim` waited for episodes that never came
    grid = grid_from_rows(('..#..', '..#..'), 'split', (0, 0), (4, 0))
    with pytest.raises(ValueError, match=r'goal cell \(4, 0\) cannot be reached from start'):
        GridSim(grid, (0, 0), (4, 0))
    GridSim(grid, (0, 0), (1, 1))              # the same side: fine


def test_sim_collides_with_walls_and_counts_cell_entries():
    grid = grid_from_rows(('...', '.#.', '...'), 'ring', (0, 0), (2, 2))
    sim = GridSim(grid, (0, 0), (2, 2))
    sim.new_episode()
    sim.teleport(0.5, 1.5, math.pi / 4)       # in (0, 1), pointing at the wall
    sim.yaw = 0.0
    for _ in range(40):
        sim.step(1.0, 0.0, 0.05)               # drive east into the blocked centre cell
    assert sim.cell == (0, 1) and sim.x < 1.0
    assert sim.episode.collisions > 0
    drive_cells(sim, [(0, 2), (1, 2), (2, 2)], ControlLimits())
    assert sim.cell == (2, 2) and sim.check_episode() == SUCCESS
    ep = sim.finish(SUCCESS)
    assert ep.steps == 3 and ep.summary()['success']


def test_sim_is_deterministic_for_a_seed():
    grid = resolve_map('builtin:fourrooms')

    def run(seed):
        sim = GridSim(grid, grid.start, grid.goal, seed=seed, random_start=True)
        starts = []
        for _ in range(5):
            starts.append(sim.new_episode().start)
            for k in range(30):
                sim.step(0.4, 0.3 * math.sin(k), 0.1)
            sim.finish('aborted')
        return starts, (sim.x, sim.y, sim.yaw)

    assert run(3) == run(3)
    assert run(3)[0] != run(4)[0]


def test_sim_stall_timeout_ends_an_episode():
    grid = resolve_map('builtin:paper10')
    sim = GridSim(grid, grid.start, grid.goal, stall_timeout=1.0)
    sim.new_episode()
    for _ in range(21):
        sim.step(0.0, 0.0, 0.05)
    assert sim.check_episode() == STALL


# --- stepper: physical moves, headless semantics -----------------------------------------------
@pytest.mark.parametrize('name', ['tremaux', 'qlearning', 'random'])
def test_stepper_reproduces_the_headless_cell_sequence(name):
    grid = resolve_map('builtin:paper10')
    world = GridWorld(grid, grid.start, grid.goal, budget=150)
    head_agent = make_agent(name, grid, world.goal, 11)
    headless = [run_episode(head_agent, world) for _ in range(3)]
    stepper = EpisodeStepper(make_agent(name, grid, world.goal, 11), grid, budget=150)
    for ref in headless:
        rec = stepper.start(grid.start, grid.goal)
        while stepper.active:
            target = stepper.target
            assert stepper.update(stepper.source, False) is False   # still in the source cell
            stepper.update(target, False)                            # entered, not centred
            if stepper.active and stepper.target == target:
                stepper.update(target, True)
        assert rec.cells == list(ref.cells)
        assert (rec.steps, rec.success) == (ref.steps, ref.success)


def test_stepper_abort_and_resync():
    grid = resolve_map('builtin:open16')
    stepper = EpisodeStepper(make_agent('random', grid, 0, 1), grid)
    stepper.start((0, 0), (15, 15))
    assert stepper.active and stepper.target is not None
    stepper.update((5, 5), False)            # the robot shows up elsewhere: world follows it
    assert stepper.record.cells[-1] == grid.cell_id((5, 5))
    rec = stepper.abort('new goal')
    assert not stepper.active and not rec.success and rec.outcome == 'new goal'
