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
"""Planning grids from fine maps: inflation, coarsening, sizing, coordinates, hostile input."""
import math

from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
import numpy as np
import pytest

from snan_nav.world.bfs import distances
from snan_nav.world.builtin import builtin_map
from snan_nav.world.coarsen import (auto_cell_size, cell_centre, cell_of_point, coarsen,
                                    coarsen_map, fine_cells_per_planning_cell,
                                    load_occupancy_map, OccupancyMap)
from snan_nav.world.grid import GridMap
from snan_nav.world.map_io import MapError

PROPERTY = settings(derandomize=True, deadline=None, database=None, max_examples=300)


def free_grid(height, width):
    return np.zeros((height, width), dtype=np.int8)


def reference_planning_grid(occupancy, k, radius_cells, occupied_t=65, free_t=25,
                            inflate_unknown=True):
    """Brute force of the documented rule, cell by cell (small grids only)."""
    values = np.asarray(occupancy, dtype=np.int16)
    height, width = values.shape
    free = (values >= 0) & (values < free_t)
    occupied = values > occupied_t
    sources = ~free if inflate_unknown else occupied
    points = [(y, x) for y in range(height) for x in range(width) if sources[y, x]]
    if inflate_unknown:  # the ring outside the map is unknown
        points += [(y, x) for y in range(-1, height + 1) for x in range(-1, width + 1)
                   if not (0 <= y < height and 0 <= x < width)]
    blocked_fine = ~free.copy()
    for y in range(height):
        for x in range(width):
            if any((y - py) ** 2 + (x - px) ** 2 <= radius_cells ** 2 * (1 + 1e-9)
                   for py, px in points):
                blocked_fine[y, x] = True
    rows, cols = -(-height // k), -(-width // k)
    out = np.ones((rows, cols), dtype=bool)
    for j in range(rows):
        for i in range(cols):
            if (j + 1) * k <= height and (i + 1) * k <= width:
                out[j, i] = blocked_fine[j * k:(j + 1) * k, i * k:(i + 1) * k].any()
    return out


# --- hand-made grids with known answers ---------------------------------------------------------
def test_a_wall_grazing_a_planning_cell_blocks_it():
    occupancy = free_grid(8, 8)
    occupancy[0, 4] = 100  # the lower-left fine cell of planning cell (1, 0)
    grid = coarsen(occupancy, 0.1, (0.0, 0.0, 0.0), 0.4, 0.0)
    assert grid.resolution == pytest.approx(0.4)
    assert grid.blocked.tolist() == [[False, True], [False, False]]


def test_inflation_closes_a_gap_narrower_than_the_robot():
    def wall_with_gap(first, width):
        occupancy = free_grid(40, 40)
        occupancy[20:22, :] = 100
        occupancy[20:22, first:first + width] = 0
        return occupancy

    def connected(occupancy):
        grid = coarsen(occupancy, 0.05, (0.0, 0.0, 0.0), None, 0.1)  # k = 4 (0.2 m)
        assert grid.resolution == pytest.approx(0.2)
        steps = distances(grid, (1, 1))
        return steps[grid.cell_id((1, 8))] > 0

    assert not connected(wall_with_gap(18, 3))  # 0.15 m < 0.2 m robot
    assert connected(wall_with_gap(16, 12))  # 0.6 m: 0.2 m free after inflation, aligned
    # without inflation the narrow gap is open to the coarse grid as long as it fills a cell
    grid = coarsen(wall_with_gap(16, 4), 0.05, (0.0, 0.0, 0.0), 0.2, 0.0)
    assert distances(grid, (1, 1))[grid.cell_id((1, 8))] > 0


def test_a_radius_of_whole_cells_inflates_alike_from_yaml_and_from_a_message():
    # MapMetaData carries the resolution as float32 (0.05 -> 0.0500000007): a robot radius of
    # exactly 4 map cells must still reach the cells 4 away, as with the YAML's 0.05.
    occupancy = free_grid(24, 24)
    occupancy[12, 12] = 100
    for resolution in (0.05, float(np.float32(0.05))):
        grid = coarsen(occupancy, resolution, (0.0, 0.0, 0.0), resolution, 0.2)
        assert grid.blocked[12, 8] and grid.blocked[12, 16] and grid.blocked[8, 12]
        assert not grid.blocked[12, 7] and not grid.blocked[9, 9]  # 5 and 4.24 cells away


def test_unknown_blocks_and_is_inflated_when_asked():
    occupancy = free_grid(12, 12)
    occupancy[6, 6] = -1
    plain = coarsen(occupancy, 0.1, (0.0, 0.0, 0.0), 0.1, 0.0)
    assert plain.blocked.sum() == 1 and plain.blocked[6, 6]
    inflated = coarsen(occupancy, 0.1, (0.0, 0.0, 0.0), 0.1, 0.1, inflate_unknown=True)
    assert inflated.blocked[5:8, 6].all() and inflated.blocked[6, 5:8].all()
    assert not inflated.blocked[5, 5]  # diagonal neighbour is 0.14 m away
    kept = coarsen(occupancy, 0.1, (0.0, 0.0, 0.0), 0.1, 0.1, inflate_unknown=False)
    assert kept.blocked.sum() == 1 and kept.blocked[6, 6]
    assert not kept.blocked[0, :].any()  # the outside is not inflated either


def test_thresholds_classify_values():
    occupancy = np.array([[0, 24, 25, 65, 66, 100, -1]], dtype=np.int8)
    grid = coarsen(occupancy, 1.0, (0.0, 0.0, 0.0), 1.0, 0.0)
    assert grid.blocked.tolist() == [[False, False, True, True, True, True, True]]
    strict = coarsen(occupancy, 1.0, (0.0, 0.0, 0.0), 1.0, 0.0, occupied_threshold=99,
                     free_threshold=1)
    assert strict.blocked.tolist() == [[False, True, True, True, True, True, True]]


def test_planning_cells_past_the_fine_edge_are_blocked():
    grid = coarsen(free_grid(10, 9), 0.05, (0.0, 0.0, 0.0), 0.2, 0.0)
    assert (grid.height, grid.width) == (3, 3)
    assert grid.blocked[2, :].all() and grid.blocked[:, 2].all()
    assert not grid.blocked[:2, :2].any()


def test_the_map_edge_counts_as_unknown_for_inflation():
    grid = coarsen(free_grid(16, 16), 0.05, (0.0, 0.0, 0.0), 0.05, 0.1)
    # fine cells 1 and 2 cells from the outside ring are within 0.1 m of it
    assert grid.blocked[:2, :].all() and grid.blocked[:, -2:].all()
    assert not grid.blocked[2:-2, 2:-2].any()


def test_builtin_maps_with_1m_cells_are_left_as_they_are():
    for name in ('paper10', 'fourrooms', 'maze15'):
        builtin = builtin_map(name)
        occupancy = np.where(builtin.blocked, 100, 0).astype(np.int8)
        grid = coarsen(occupancy, builtin.resolution, builtin.origin, None, 0.2)
        assert grid.resolution == builtin.resolution
        assert grid.blocked.tolist() == builtin.blocked.tolist(), name


def test_keeps_origin_and_rep103_rows():
    occupancy = free_grid(8, 8)
    occupancy[0, 0] = 100  # bottom-left fine cell (row 0 is the bottom)
    grid = coarsen(occupancy, 0.05, (-1.5, 2.0, 0.3), 0.2, 0.0)
    assert grid.origin == (-1.5, 2.0, 0.3)
    assert grid.blocked[0, 0] and grid.blocked.sum() == 1


# --- sizing and validation ----------------------------------------------------------------------
@pytest.mark.parametrize('resolution, radius, cell_size, k', [
    (0.05, 0.2, None, 8), (0.05, 0.2, 0, 8), (0.05, 0.22, None, 9), (0.05, 0.0, None, 1),
    (1.0, 0.2, None, 1), (0.05, 0.2, 0.4, 8), (0.05, 0.2, 0.42, 8), (0.05, 0.2, 0.05, 1),
    (0.1, 0.2, 0.3, 3), (0.05, 0.2, 0.04999999999999, 1)])
def test_cells_per_planning_cell(resolution, radius, cell_size, k):
    assert fine_cells_per_planning_cell(resolution, radius, cell_size) == k


def test_auto_cell_size_is_about_the_robot_diameter():
    assert auto_cell_size(0.05, 0.2) == pytest.approx(0.4)
    assert auto_cell_size(0.05, 0.17) == pytest.approx(0.35)
    assert auto_cell_size(1.0, 0.2) == 1.0


@pytest.mark.parametrize('resolution, radius, cell_size, reason', [
    (0.05, 0.2, 0.03, 'smaller than the map resolution'),
    (0.05, 0.2, -0.4, 'cell_size must be > 0'),
    (0.05, 0.2, float('nan'), 'cell_size must be finite'),
    (0.05, 0.2, float('inf'), 'cell_size must be finite'),
    (0.05, -0.1, None, 'robot_radius must be >= 0'),
    (0.05, float('nan'), None, 'robot_radius must be finite'),
    (0.0, 0.2, None, 'resolution must be > 0'),
    (-0.05, 0.2, None, 'resolution must be > 0'),
    (float('inf'), 0.2, None, 'resolution must be finite'),
    (0.05, 0.2, 'big', 'cell_size must be a number'),
    (0.05, True, None, 'robot_radius must be a number'),
])
def test_bad_sizes_are_refused_with_the_reason(resolution, radius, cell_size, reason):
    with pytest.raises(ValueError, match=reason):
        coarsen(free_grid(4, 4), resolution, (0.0, 0.0, 0.0), cell_size, radius)


@pytest.mark.parametrize('occupancy, reason', [
    (np.zeros((0, 3)), 'non-empty 2-D'), (np.zeros(5), 'non-empty 2-D'),
    (np.array([[0, 101]]), '-1..100'), (np.array([[0, -2]]), '-1..100'),
    (np.array([[0.5, 0]]), 'whole numbers'), (np.array([[np.nan]]), 'NaN'),
    (np.array([['a']]), 'numbers'), ([[0, 1], [2]], '2-D array'),
])
def test_bad_occupancy_is_refused_with_the_reason(occupancy, reason):
    with pytest.raises(ValueError, match=reason):
        coarsen(occupancy, 0.05, (0.0, 0.0, 0.0), None, 0.2)


@pytest.mark.parametrize('resolution, cell_size, radius, reason', [
    (1e-300, 1e300, 0.2, 'cell_size 1e.300 m spans more than'),
    (0.05, None, 1e308, 'robot diameter .* spans more than'),
    (5e-324, None, 1.0, 'spans more than'),
])
def test_absurd_planning_cells_are_refused(resolution, cell_size, radius, reason):
    with pytest.raises(ValueError, match=reason):
        coarsen(free_grid(4, 4), resolution, (0.0, 0.0, 0.0), cell_size, radius)


def test_a_planning_cell_bigger_than_the_map_is_one_blocked_cell():
    grid = coarsen(free_grid(4, 6), 0.05, (0.0, 0.0, 0.0), 1e3, 0.0)
    assert grid.blocked.tolist() == [[True]] and grid.resolution == pytest.approx(1e3)


def test_bad_origin_and_thresholds_are_refused():
    with pytest.raises(ValueError, match='origin'):
        coarsen(free_grid(4, 4), 0.05, (0.0, float('nan'), 0.0), None, 0.2)
    with pytest.raises(ValueError, match='origin'):
        coarsen(free_grid(4, 4), 0.05, (0.0, 0.0), None, 0.2)
    with pytest.raises(ValueError, match='free_threshold <= occupied_threshold'):
        coarsen(free_grid(4, 4), 0.05, (0.0, 0.0, 0.0), None, 0.2, 20, 30)


# --- coordinates --------------------------------------------------------------------------------
@pytest.mark.parametrize('origin', [(0.0, 0.0, 0.0), (-3.2, 1.7, 0.0), (2.0, -1.0, 0.7),
                                    (0.5, 0.5, -2.5)])
def test_cell_centre_and_cell_of_point_round_trip(origin):
    grid = GridMap(np.zeros((7, 9), dtype=bool), 0.4, origin)
    for my in range(grid.height):
        for mx in range(grid.width):
            x, y = cell_centre(grid, (mx, my))
            assert cell_of_point(grid, x, y) == (mx, my)
            # a point just inside a corner of the cell maps to the same cell
            cos, sin = math.cos(origin[2]), math.sin(origin[2])
            lx, ly = mx * 0.4 + 0.01, my * 0.4 + 0.39
            px, py = origin[0] + cos * lx - sin * ly, origin[1] + sin * lx + cos * ly
            assert cell_of_point(grid, px, py) == (mx, my)
    assert cell_of_point(grid, float('nan'), 0.0) is None
    assert cell_of_point(grid, 1e308, 0.0) is None and cell_of_point(grid, 0.0, -1e308) is None
    far = cell_centre(grid, (grid.width + 3, 0))
    assert cell_of_point(grid, *far) is None


def test_fine_cell_centres_fall_in_their_planning_cell():
    occupancy = free_grid(24, 32)
    fine = GridMap(np.zeros(occupancy.shape, dtype=bool), 0.05, (1.0, -2.0, 0.4))
    grid = coarsen(occupancy, 0.05, fine.origin, 0.2, 0.0)
    for my in range(fine.height):
        for mx in range(fine.width):
            assert cell_of_point(grid, *cell_centre(fine, (mx, my))) == (mx // 4, my // 4)


# --- nav2 files ---------------------------------------------------------------------------------
def write_map(tmp_path, rows, mode='trinary', extra='', free=0.196):
    rows = np.asarray(rows, dtype=np.uint8)
    with open(tmp_path / 'm.pgm', 'wb') as handle:
        handle.write(f'P5\n{rows.shape[1]} {rows.shape[0]}\n255\n'.encode())
        handle.write(rows.tobytes())
    path = tmp_path / 'm.yaml'
    path.write_text(f'image: m.pgm\nmode: {mode}\nresolution: 0.1\norigin: [1.0, 2.0, 0.0]\n'
                    f'negate: 0\noccupied_thresh: 0.65\nfree_thresh: {free}\n{extra}')
    return str(path)


def test_load_occupancy_map_keeps_values_and_geometry(tmp_path):
    rows = np.full((4, 8), 254)
    rows[0, 0] = 0      # top-left: occupied
    rows[3, 7] = 205    # bottom-right: unknown (map_saver grey; free_thresh 0.196)
    fine = load_occupancy_map(write_map(tmp_path, rows, extra='start: [0, 0]\ngoal: [4, 2]\n'))
    assert isinstance(fine, OccupancyMap)
    assert fine.data[3, 0] == 100 and fine.data[0, 7] == -1 and fine.data[0, 0] == 0
    assert fine.resolution == 0.1 and fine.origin == (1.0, 2.0, 0.0) and fine.name == 'm'
    grid = coarsen_map(fine, 0.0, 0.2)
    assert (grid.width, grid.height) == (4, 2)
    assert grid.start == (0, 0) and grid.goal == (2, 1)
    assert grid.blocked.tolist() == [[False, False, False, True], [True, False, False, False]]


def test_raw_maps_use_their_own_thresholds(tmp_path):
    fine = load_occupancy_map(write_map(tmp_path, [[0, 20, 30, 70]], mode='raw', free=0.25))
    assert fine.data.tolist() == [[0, 20, 30, 70]]
    assert (fine.free_threshold, fine.occupied_threshold) == (25.0, 65.0)
    assert coarsen_map(fine, 0.0, 0.1).blocked.tolist() == [[False, False, True, True]]


def test_start_in_a_blocked_planning_cell_is_refused(tmp_path):
    rows = np.full((4, 8), 254)
    rows[3, 1] = 0  # bottom row: occupied next to the start
    fine = load_occupancy_map(write_map(tmp_path, rows, extra='start: [0, 0]\n'))
    with pytest.raises(ValueError, match=r'start fine cell \(0, 0\) .* blocked'):
        coarsen_map(fine, 0.0, 0.2)


def test_load_occupancy_map_errors_are_map_errors(tmp_path):
    with pytest.raises(MapError):
        load_occupancy_map(tmp_path / 'missing.yaml')


# --- properties ---------------------------------------------------------------------------------
SMALL_GRIDS = hnp.arrays(np.int8, hnp.array_shapes(min_dims=2, max_dims=2, max_side=12),
                         elements=st.sampled_from([-1, 0, 0, 0, 0, 10, 50, 100]))


@PROPERTY
@given(SMALL_GRIDS, st.integers(1, 5), st.sampled_from([0.0, 0.05, 0.1, 0.14, 0.2, 0.33]),
       st.booleans())
def test_coarsen_equals_the_brute_force_rule(occupancy, k, radius, inflate_unknown):
    resolution = 0.1
    grid = coarsen(occupancy, resolution, (0.0, 0.0, 0.0), k * resolution, radius,
                   inflate_unknown=inflate_unknown)
    expected = reference_planning_grid(occupancy, k, radius / resolution,
                                       inflate_unknown=inflate_unknown)
    assert grid.blocked.tolist() == expected.tolist()


@PROPERTY
@given(SMALL_GRIDS, st.integers(1, 6), st.floats(0.0, 0.5))
def test_never_unblocks_a_cell_that_holds_an_occupied_or_unknown_fine_cell(occupancy, k,
                                                                           radius):
    grid = coarsen(occupancy, 0.05, (0.0, 0.0, 0.0), k * 0.05, radius)
    height, width = occupancy.shape
    for my, mx in zip(*np.nonzero((occupancy > 65) | (occupancy < 0))):
        assert grid.blocked[my // k, mx // k]
    # and every free planning cell holds only free fine cells inside the map
    for my, mx in zip(*np.nonzero(~grid.blocked)):
        block = occupancy[my * k:(my + 1) * k, mx * k:(mx + 1) * k]
        assert block.shape == (k, k) and np.all((block >= 0) & (block < 25))


ANY_NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 50),
                       st.sampled_from([5e-324, 1e-300, 1e-9, 0.05, 0.2, 1e9, 1e300, 1e308]),
                       st.none(), st.just('0.2'), st.booleans())
ANY_GRID = st.one_of(
    hnp.arrays(st.sampled_from([np.int8, np.int16, np.float64, np.bool_, np.uint8]),
               hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6)),
    st.lists(st.lists(st.integers(-3, 120), max_size=5), max_size=5))


@PROPERTY
@given(ANY_GRID, ANY_NUMBER, ANY_NUMBER, ANY_NUMBER,
       st.one_of(st.just((0.0, 0.0, 0.0)), st.tuples(ANY_NUMBER, ANY_NUMBER, ANY_NUMBER),
                 st.just((1.0,)), st.none()))
def test_coarsen_raises_only_value_error(occupancy, resolution, cell_size, radius, origin):
    try:
        grid = coarsen(occupancy, resolution, origin, cell_size, radius)
    except ValueError:
        return
    assert isinstance(grid, GridMap)
    assert grid.resolution >= float(resolution) * (1 - 1e-9)
