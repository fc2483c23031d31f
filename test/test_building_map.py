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
"""The shipped building map: reproducible, nav2-shaped, and connected after coarsening."""
import importlib.util
import os

import numpy as np
import pytest

from snan_nav.world.bfs import distances
from snan_nav.world.coarsen import (cell_of_point, coarsen, coarsen_map, load_occupancy_map)
from snan_nav.world.map_io import load_map

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAP_YAML = os.path.join(ROOT, 'maps', 'building.yaml')
ROBOT_RADIUS = 0.2  # m, the nodes' default


def generator():
    spec = importlib.util.spec_from_file_location(
        'make_building_map', os.path.join(ROOT, 'scripts', 'make_building_map.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_reproduces_the_shipped_files_byte_for_byte(tmp_path):
    generator().write(str(tmp_path / 'building.yaml'))
    for name in ('building.yaml', 'building.pgm'):
        with open(os.path.join(ROOT, 'maps', name), 'rb') as shipped:
            assert (tmp_path / name).read_bytes() == shipped.read(), name


def test_the_map_is_a_nav2_map_of_a_building():
    fine = load_occupancy_map(MAP_YAML)
    height, width = fine.data.shape
    assert fine.resolution == 0.05
    assert 25.0 <= width * 0.05 <= 40.0 and 15.0 <= height * 0.05 <= 25.0
    values = set(np.unique(fine.data).tolist())
    assert values == {-1, 0, 100}
    assert np.all(fine.data[0, :] == -1) and np.all(fine.data[:, 0] == -1)  # unknown outside
    layout = generator()
    assert len(layout.ROOMS) >= 10 and 'hall' in layout.ROOMS
    assert layout.DOOR_PX * 0.05 == pytest.approx(0.9)
    grid = load_map(MAP_YAML)  # the fine-grid loader accepts it too (start/goal free)
    assert grid.is_free(grid.start) and grid.is_free(grid.goal)


def test_every_room_is_reachable_on_the_default_planning_grid():
    grid = coarsen_map(load_occupancy_map(MAP_YAML), ROBOT_RADIUS)
    assert grid.resolution == pytest.approx(0.4)  # automatic: the robot's diameter
    steps = distances(grid, grid.start)
    centres = generator().room_centres_m()
    for name, (x, y) in centres.items():
        cell = cell_of_point(grid, x, y)
        assert cell is not None and grid.is_free(cell), name
        assert steps[grid.cell_id(cell)] >= 0, f'{name} is cut off'
    assert steps[grid.cell_id(grid.goal)] > 0
    reachable = int((steps >= 0).sum())
    print(f'\nbuilding planning grid {grid.width}x{grid.height} cells of {grid.resolution} m, '
          f'{grid.free_count()} free, {reachable} reachable from the start, '
          f'start->goal {steps[grid.cell_id(grid.goal)]} steps')
    assert reachable == grid.free_count()


@pytest.mark.parametrize('offset', range(8))
def test_a_09m_door_stays_open_only_on_the_planning_lattice(offset):
    # Why the generator puts doors at 4 mod 8 pixels: 0.9 m - 2 x 0.2 m leaves 0.5 m, which
    # holds a whole 0.4 m planning cell only for 3 of the 8 alignments.
    occupancy = np.zeros((64, 64), dtype=np.int8)
    occupancy[30:33, :] = 100
    occupancy[30:33, 16 + offset:16 + offset + 18] = 0
    grid = coarsen(occupancy, 0.05, (0.0, 0.0, 0.0), None, ROBOT_RADIUS)
    open_door = distances(grid, (3, 1))[grid.cell_id((3, 6))] >= 0
    assert open_door == ((16 + offset) % 8 in (2, 3, 4))


def test_the_nodes_planning_grid_equals_the_fine_map_tools_grid():
    # The navigator gets the resolution from MapMetaData (float32: 0.0500000007 m). A radius of
    # exactly 4 map cells must still inflate 4 cells, as from the YAML's 0.05 m: before the
    # radius slack, the nodes' grid had 2,194 free cells and this one 2,103.
    from snan_nav.ros.planning import planning_grid
    fine = load_occupancy_map(MAP_YAML)
    tools = coarsen_map(fine, ROBOT_RADIUS)
    nodes = planning_grid(fine.data, np.float32(fine.resolution), fine.origin, 0.0, ROBOT_RADIUS)
    assert np.array_equal(nodes.blocked, tools.blocked)
    assert nodes.free_count() == tools.free_count() == 2103
