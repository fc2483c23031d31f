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
"""BFS distances, shortest paths and connected components on hand-made grids."""
import numpy as np
import pytest

from snan_nav.world.bfs import (
    as_cell_id, connected_components, distances, farthest_pair, largest_component, path_length,
    shortest_path)
from snan_nav.world.grid import GridMap


def grid_of(*rows):
    """Rows drawn top first; '#' blocked."""
    return GridMap(np.array([[c == '#' for c in r] for r in rows], dtype=bool)[::-1])


U_MAP = grid_of('...',
                '.#.',
                '.#.')


def test_distances_around_a_wall():
    d = distances(U_MAP, (0, 0))
    # bottom row is my = 0: (0,0) -> (2,0) must go around the wall through the top row
    assert d[U_MAP.cell_id((2, 0))] == 6
    assert d[U_MAP.cell_id((1, 2))] == 3
    assert d[U_MAP.cell_id((1, 0))] == -1  # blocked
    assert d.dtype == np.int32


def test_shortest_path_is_connected_and_minimal():
    path = shortest_path(U_MAP, (0, 0), (2, 0))
    assert len(path) == 7 and path[0] == 0 and path[-1] == 2
    for a, b in zip(path[:-1], path[1:]):
        (ax, ay), (bx, by) = U_MAP.cell_of(a), U_MAP.cell_of(b)
        assert abs(ax - bx) + abs(ay - by) == 1
        assert not U_MAP.blocked[by, bx]
    assert path_length(U_MAP, 0, 2) == 6


def test_unreachable_and_blocked_source():
    grid = grid_of('.#.',
                   '.#.')
    assert path_length(grid, (0, 0), (2, 1)) is None
    assert shortest_path(grid, (0, 0), (2, 0)) is None
    assert (distances(grid, (1, 0)) == -1).all()


def test_components_and_largest():
    grid = grid_of('..#.',
                   '###.',
                   '.#..')
    labels, count = connected_components(grid)
    assert count == 3
    assert labels[grid.cell_id((0, 0))] == 0  # numbered by lowest cell id
    assert labels[grid.cell_id((1, 1))] == -1
    mask = largest_component(grid)
    assert mask.sum() == 4
    assert mask[0, 2] and mask[2, 3] and not mask[2, 0]


def test_farthest_pair_and_cell_ids():
    a, b = farthest_pair(U_MAP)
    assert {a, b} == {0, 2}
    assert as_cell_id(U_MAP, (2, 1)) == 5 and as_cell_id(U_MAP, 5) == 5
    with pytest.raises(ValueError, match='outside'):
        as_cell_id(U_MAP, (3, 0))
    with pytest.raises(ValueError, match='outside'):
        as_cell_id(U_MAP, 9)
