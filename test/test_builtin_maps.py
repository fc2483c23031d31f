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
"""Built-in layouts: sizes, connectivity, start/goal, seeding, shipped map files."""
import os

import numpy as np
import pytest

from snan_nav.world.bfs import connected_components, path_length
from snan_nav.world.builtin import builtin_map, resolve_map
from snan_nav.world.map_io import load_map, MapError

MAPS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'maps')


def check_connected_task(grid):
    _, count = connected_components(grid)
    assert count == 1
    assert grid.is_free(grid.start) and grid.is_free(grid.goal)
    assert grid.start != grid.goal
    return path_length(grid, grid.start, grid.goal)


def test_paper10():
    grid = builtin_map('paper10')
    assert (grid.width, grid.height) == (10, 10)
    assert 0.20 <= grid.blocked.mean() <= 0.25
    assert {grid.start, grid.goal} == {(0, 0), (9, 9)}
    assert check_connected_task(grid) >= 16


def test_open16():
    grid = builtin_map('open16')
    assert grid.blocked.shape == (16, 16) and not grid.blocked.any()
    assert check_connected_task(grid) == 30


def test_fourrooms_start_and_goal_in_opposite_rooms():
    grid = builtin_map('fourrooms')
    assert grid.blocked.shape == (13, 13)
    assert grid.blocked[0].all() and grid.blocked[-1].all()
    assert grid.blocked[:, 0].all() and grid.blocked[:, -1].all()
    (sx, sy), (gx, gy) = grid.start, grid.goal
    assert sx < 6 and sy < 6 and gx > 6 and gy > 6
    assert check_connected_task(grid) > 12


@pytest.mark.parametrize('n', [5, 11, 21])
def test_maze_is_perfect_and_seeded(n):
    grid = builtin_map(f'maze{n}', seed=3)
    assert grid.blocked.shape == (n, n)
    assert grid.start == (0, 0) and grid.goal == (n - 1, n - 1)
    check_connected_task(grid)
    # a perfect maze is a tree: edges = free cells - 1
    free = ~grid.blocked
    edges = (free[:, 1:] & free[:, :-1]).sum() + (free[1:, :] & free[:-1, :]).sum()
    assert edges == free.sum() - 1
    assert np.array_equal(builtin_map(f'maze{n}', seed=3).blocked, grid.blocked)
    if n >= 11:  # a 3x3-cell maze has few variants; bigger ones differ across seeds
        assert not np.array_equal(builtin_map(f'maze{n}', seed=4).blocked, grid.blocked)


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_random_keeps_largest_component(seed):
    grid = builtin_map('random20', seed=seed)
    assert grid.blocked.shape == (20, 20)
    assert 0.2 <= grid.blocked.mean() <= 0.5
    assert check_connected_task(grid) >= 20
    assert np.array_equal(builtin_map('random20', seed=seed).blocked, grid.blocked)


@pytest.mark.parametrize('name', ['nope', 'maze4', 'maze3', 'random2', 'maze', ''])
def test_bad_names_list_valid_ones(name):
    with pytest.raises(MapError) as info:
        builtin_map(name)
    assert 'maze' in str(info.value) and 'random' in str(info.value)


def test_resolve_map_builtin_and_file():
    assert resolve_map('builtin:open16').name == 'open16'
    assert resolve_map(os.path.join(MAPS_DIR, 'paper10.yaml')).name == 'paper10'
    with pytest.raises(MapError, match='valid'):
        resolve_map('builtin:bogus')


@pytest.mark.parametrize('name', ['paper10', 'fourrooms'])
def test_shipped_map_files_round_trip(name):
    shipped = load_map(os.path.join(MAPS_DIR, f'{name}.yaml'))
    built = builtin_map(name)
    assert np.array_equal(shipped.blocked, built.blocked)
    assert (shipped.start, shipped.goal) == (built.start, built.goal)
    assert shipped.resolution == built.resolution and shipped.origin == built.origin
