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
"""The bench decides on the planning cells the nodes build from a nav2 map, not on its pixels."""
import json

import numpy as np
import pytest

from snan_nav.bench.suite_bench import bench_map
from snan_nav.cli import main
from snan_nav.ros.planning import closed_doors_warning
from snan_nav.ros.ros_params import StartupError
from snan_nav.ros.sim_world import load_sim_world
from snan_nav.world.builtin import resolve_map
from snan_nav.world.grid import GridMap
from snan_nav.world.map_io import save_map

RES = 0.05  # m per pixel, as nav2 maps


def fine_office(tmp_path, start=(10, 10), goal=(100, 60), name='office'):
    """A 6 m x 4 m room at 5 cm (120 x 80 pixels), a wall with a 1.6 m door; start/goal pixels."""
    blocked = np.zeros((80, 120), dtype=bool)
    blocked[0, :] = blocked[-1, :] = blocked[:, 0] = blocked[:, -1] = True
    blocked[:, 58:62] = True
    blocked[24:56, 58:62] = False
    path = tmp_path / f'{name}.yaml'
    save_map(GridMap(blocked, RES, (-1.0, -2.0, 0.0), name, start, goal), str(path))
    return str(path)


def sim_values(path, **extra):
    values = {'map': path, 'seed': 0, 'cell_size': 0.0, 'robot_radius': 0.2,
              'start_cell': [-1, -1], 'goal_cell': [-1, -1]}
    values.update(extra)
    return values


def test_planning_grid_is_the_simulators(tmp_path):
    path = fine_office(tmp_path)
    grid = bench_map(path)
    world = load_sim_world(sim_values(path))
    assert np.array_equal(grid.blocked, world.plan.blocked)
    assert grid.resolution == pytest.approx(world.plan.resolution)
    assert grid.origin == world.plan.origin
    assert (grid.start, grid.goal) == (world.start, world.goal)
    # Cells about the robot's size, not pixels: far fewer cells than the image has.
    assert grid.width < 120 // 4 and grid.resolution >= 4 * RES
    assert resolve_map(path).width == 120  # the loader keeps the pixels (the sim needs them)


def test_cell_size_and_radius_are_the_nodes_parameters(tmp_path):
    path = fine_office(tmp_path)
    narrow = bench_map(path, cell_size=0.25, robot_radius=0.1)
    world = load_sim_world(sim_values(path, cell_size=0.25, robot_radius=0.1))
    assert np.array_equal(narrow.blocked, world.plan.blocked)
    assert narrow.resolution == pytest.approx(0.25)
    # A wider robot keeps farther from the walls: fewer free planning cells.
    wide = bench_map(path, cell_size=0.25, robot_radius=0.3)
    assert wide.free_count() < narrow.free_count()


def test_start_in_a_wall_after_inflation_is_refused(tmp_path, capsys):
    path = fine_office(tmp_path, start=(2, 2))  # 10 cm from the corner walls
    with pytest.raises(ValueError, match=r'start \(2, 2\) lies in planning cell .* blocked'):
        bench_map(path)
    assert main(['bench', '--map', path, '--agents', 'bfs', '--seeds', '1']) == 2
    assert 'start (2, 2) lies in planning cell' in capsys.readouterr().err
    # The simulator refuses it with the same words, and says what to set.
    with pytest.raises(StartupError, match=r'start \(2, 2\) lies in planning cell .* blocked '
                       r'.*: set start_cell to a free planning cell'):
        load_sim_world(sim_values(path))
    # A multi-map bench draws its own pairs: the map's unusable start does not matter there.
    assert bench_map(path, task=False).start is None
    assert main(['bench', '--maps', path, '--agents', 'bfs', '--seeds', '1', '--episodes', '1',
                 '--jobs', '1']) == 0


def test_built_in_generated_and_movingai_maps_are_unchanged(tmp_path):
    for spec in ('builtin:fourrooms', 'gen:rooms:16:7'):
        assert np.array_equal(bench_map(spec).blocked, resolve_map(spec).blocked)
    text = 'type octile\nheight 3\nwidth 4\nmap\n....\n.@..\n....\n'
    (tmp_path / 'm.map').write_text(text)
    spec = str(tmp_path / 'm.map')
    assert np.array_equal(bench_map(spec).blocked, resolve_map(spec).blocked)


def test_bench_cli_on_a_fine_map(tmp_path, capsys):
    path = fine_office(tmp_path)
    out = tmp_path / 'b.json'
    assert main(['bench', '--map', path, '--agents', 'snan,bfs', '--seeds', '1', '--episodes',
                 '3', '--jobs', '1', '--json', str(out)]) == 0
    report = json.loads(out.read_text())
    plan = bench_map(path)
    # The map's own start/goal, in planning cells; the shortest path is counted in those cells.
    bfs = report['results']['bfs']
    assert report['results']['snan']['completion_rate'] == 1.0
    assert bfs['median_path_success'] < plan.width + plan.height
    capsys.readouterr()
    # The nodes' ranges, as snan-nav sim checks them.
    assert main(['bench', '--map', path, '--robot-radius', '-1', '--agents', 'bfs']) == 2
    assert '--robot-radius must lie in [0, 10] m, got -1' in capsys.readouterr().err
    assert main(['bench', '--map', path, '--robot-radius', '50', '--agents', 'bfs']) == 2
    assert '--robot-radius must lie in [0, 10] m, got 50' in capsys.readouterr().err
    assert main(['goals', '--maps', path, '--cell-size', 'nan', '--seeds', '1']) == 2
    assert '--cell-size must lie in [0, 100] m, got nan' in capsys.readouterr().err


def test_a_map_whose_door_closes_in_planning_is_reported(tmp_path, capsys):
    # Three rooms joined by 0.3 m doors: open at 5 cm, closed once the 0.2 m robot radius
    # inflates their jambs, so the planning grid falls apart into three rooms, of which runs
    # would use one without a word.
    blocked = np.zeros((80, 120), dtype=bool)
    blocked[0, :] = blocked[-1, :] = blocked[:, 0] = blocked[:, -1] = True
    for x in (38, 78):
        blocked[:, x:x + 4] = True
        blocked[37:43, x:x + 4] = False
    path = tmp_path / 'narrow.yaml'
    save_map(GridMap(blocked, RES, (0.0, 0.0, 0.0), 'narrow', None, None), str(path))
    plan = bench_map(str(path), task=False)
    err = capsys.readouterr().err
    assert 'largest connected free area holds' in err and '--robot-radius' in err
    # The nodes log the same finding, in their parameters' names.
    assert 'robot_radius' in closed_doors_warning(plan)
    assert closed_doors_warning(bench_map(fine_office(tmp_path), task=False)) is None
    capsys.readouterr()
    # A small robot passes the door: the planning grid is one area, and nothing is printed.
    bench_map(str(path), robot_radius=0.05, cell_size=0.1, task=False)
    assert capsys.readouterr().err == ''
    # The office's door is wide: no warning either.
    bench_map(fine_office(tmp_path), task=False)
    assert capsys.readouterr().err == ''


def test_fragmentation_note_counts_the_largest_area():
    from snan_nav.world.bfs import fragmentation_note

    def grid_of(blocked):
        return GridMap(blocked.copy(), 1.0, (0.0, 0.0, 0.0), 'areas', None, None)

    blocked = np.ones((5, 9), dtype=bool)
    blocked[1:4, 1:3] = False  # 6 cells
    blocked[1:4, 4:8] = False  # 12 cells
    assert fragmentation_note(grid_of(blocked)) is None  # the largest holds two thirds
    blocked[1:4, 6:8] = True  # 6 and 6 cells: half is enough
    assert fragmentation_note(grid_of(blocked)) is None
    dots = np.ones((3, 13), dtype=bool)
    dots[1, 0:13:2] = False  # seven single cells
    note = fragmentation_note(grid_of(dots))
    assert note.startswith('its largest connected free area holds 1 of its 7 free')
