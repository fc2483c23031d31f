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
"""Planning grids for real maps: inflate a fine occupancy grid by the robot, then coarsen it.

A nav2 map has cells of a few centimetres; the navigator decides on cells about the robot's
size. The rule (pure NumPy/SciPy, no ROS):

1. Classify each fine cell by its OccupancyGrid value ``v`` (as nav2's map_server does with
   its thresholds): ``v > occupied_threshold`` occupied, ``0 <= v < free_threshold`` free,
   anything else (``-1`` and values in between) unknown.
2. Inflate: every fine cell whose centre lies within ``robot_radius`` of the centre of an
   occupied cell (and, with ``inflate_unknown``, of an unknown cell or of the outside of the
   map, which is unknown) is blocked, so a robot centred on a free fine cell keeps about
   ``robot_radius`` from every obstacle cell centre (nav2's inscribed-radius rule).
3. Coarsen: planning cell ``(i, j)`` covers fine cells ``[i*k, (i+1)*k) x [j*k, (j+1)*k)``
   (``k`` fine cells per side). It is blocked if ANY fine cell in it is not free after
   inflation, or if it sticks out past the fine map's edge.

The planning grid keeps the fine map's origin (the lower-left corner of cell (0, 0)) and the
REP-103 conventions of :mod:`snan_nav.world.grid` (row 0 at the bottom, x east, y north).

Why SciPy's exact Euclidean distance transform for step 2: one O(cells) call whatever the
radius, exact distances, and a well-tested implementation; a disc dilation costs O(cells x
radius^2) and would be hand-written code to get right at the disc's rim.
"""
from dataclasses import dataclass
import math
import os
from typing import Optional, Sequence, Tuple

import numpy as np
from scipy import ndimage

from snan_nav.world.grid import Cell, GridMap
from snan_nav.world.map_io import load_occupancy, MapError

#: Defaults for OccupancyGrid values 0..100, nav2 map_server's 0.65 and 0.25 in percent.
OCCUPIED_THRESHOLD = 65
FREE_THRESHOLD = 25
#: Relative slack for floating-point sizes (0.4 / 0.05 is 7.999999999999999).
SIZE_TOLERANCE = 1e-9
#: Relative slack of the inflation radius: MapMetaData carries the resolution as float32 (0.05 m
#: arrives as 0.0500000007 m, relative error up to 6e-8), and a robot radius of exactly N map
#: cells must inflate N cells whether the resolution came from a YAML file or a message.
RADIUS_TOLERANCE = 1e-6
#: Upper bound on a planning cell's side in fine cells (a bigger one covers no real map).
MAX_FINE_CELLS_PER_SIDE = 1_000_000


@dataclass(frozen=True, eq=False)
class OccupancyMap:
    """A fine occupancy grid as nav_msgs/OccupancyGrid carries it.

    ``data``: int8 ``(height, width)`` values ``[my, mx]``, -1 unknown, 0..100 occupancy
    (row 0 at the bottom). ``resolution``: m per cell. ``origin``: ``(x, y, yaw)`` (m, m, rad)
    of the lower-left corner of cell (0, 0). ``occupied_threshold``/``free_threshold``: the
    value limits of step 1 of the module's rule. ``start``/``goal``: optional fine cells.
    """

    data: np.ndarray
    resolution: float
    origin: Tuple[float, float, float] = (0.0, 0.0, 0.0)
    occupied_threshold: float = OCCUPIED_THRESHOLD
    free_threshold: float = FREE_THRESHOLD
    name: str = ''
    start: Optional[Cell] = None
    goal: Optional[Cell] = None

    def __post_init__(self):
        data = check_occupancy(self.data)
        data.setflags(write=False)
        object.__setattr__(self, 'data', data)
        check_map_geometry(self.resolution, self.origin)
        check_thresholds(self.occupied_threshold, self.free_threshold)


def _finite_number(value, what: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f'{what} must be a number, got {value!r}')
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f'{what} must be a number, got {value!r}') from None
    if not math.isfinite(number):
        raise ValueError(f'{what} must be finite, got {value!r}')
    return number


def check_occupancy(occupancy) -> np.ndarray:
    """Return ``occupancy`` as a C-ordered int8 copy; raise ``ValueError`` naming the problem.

    Values must be whole numbers in -1..100 (OccupancyGrid's range) in a non-empty 2-D array.
    """
    try:
        values = np.array(occupancy, copy=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f'occupancy must be a 2-D array of values -1..100: {exc}') from None
    if values.ndim != 2 or values.size == 0:
        raise ValueError(f'occupancy must be a non-empty 2-D array, got shape {values.shape}')
    if values.dtype.kind not in 'biuf':
        raise ValueError(f'occupancy must hold numbers, got dtype {values.dtype}')
    if values.dtype.kind == 'f' and not np.all(np.isfinite(values)):
        raise ValueError('occupancy holds NaN or infinite values')
    if values.min() < -1 or values.max() > 100 or np.any(values != np.round(values)):
        raise ValueError('occupancy values must be whole numbers in -1..100 '
                         f'(found {values.min()}..{values.max()})')
    return np.ascontiguousarray(values, dtype=np.int8)


def check_map_geometry(resolution, origin) -> None:
    """Raise ``ValueError`` unless ``resolution`` > 0 m and ``origin`` is 3 finite numbers."""
    if _finite_number(resolution, 'resolution') <= 0.0:
        raise ValueError(f'resolution must be > 0 m per cell, got {resolution!r}')
    if not isinstance(origin, Sequence) or isinstance(origin, str) or len(origin) != 3:
        raise ValueError(f'origin must be (x, y, yaw) in m, m, rad, got {origin!r}')
    for value in origin:
        _finite_number(value, 'origin')


def check_thresholds(occupied_threshold, free_threshold) -> None:
    """Raise ``ValueError`` unless ``0 <= free_threshold <= occupied_threshold <= 100``."""
    occupied = _finite_number(occupied_threshold, 'occupied_threshold')
    free = _finite_number(free_threshold, 'free_threshold')
    if not 0.0 <= free <= occupied <= 100.0:
        raise ValueError('thresholds must satisfy 0 <= free_threshold <= occupied_threshold '
                         f'<= 100, got free {free_threshold!r}, occupied {occupied_threshold!r}')


def fine_cells_per_planning_cell(resolution: float, robot_radius: float,
                                 cell_size: Optional[float] = None) -> int:
    """Return ``k``, the planning cell's side in fine cells (>= 1).

    ``cell_size`` (m) None or 0 means automatic: the robot's diameter ``2 * robot_radius``
    rounded to a whole number of fine cells, never below one fine cell (a map whose resolution
    is already as coarse as the robot is left as it is). An explicit ``cell_size`` is rounded
    to a whole number of fine cells and must not be smaller than ``resolution``.
    """
    resolution = _finite_number(resolution, 'resolution')
    radius = _finite_number(robot_radius, 'robot_radius')
    if resolution <= 0.0:
        raise ValueError(f'resolution must be > 0 m per cell, got {resolution!r}')
    if radius < 0.0:
        raise ValueError(f'robot_radius must be >= 0 m, got {robot_radius!r}')
    if cell_size is None or cell_size == 0:
        what, ratio = f'the robot diameter {2.0 * radius} m', 2.0 * radius / resolution
    else:
        size = _finite_number(cell_size, 'cell_size')
        if size < 0.0:
            raise ValueError(f'cell_size must be > 0 m (or 0 for automatic), got {cell_size!r}')
        if size < resolution * (1.0 - SIZE_TOLERANCE):
            raise ValueError(f'cell_size {size} m is smaller than the map resolution '
                             f'{resolution} m; a planning cell cannot be finer than the map')
        what, ratio = f'cell_size {size} m', size / resolution
    if not ratio <= MAX_FINE_CELLS_PER_SIDE:
        raise ValueError(f'{what} spans more than {MAX_FINE_CELLS_PER_SIDE} cells of '
                         f'{resolution} m')
    return max(1, int(round(ratio)))


def auto_cell_size(resolution: float, robot_radius: float) -> float:
    """Return the automatic planning cell size (m): about the robot's diameter, see above."""
    return fine_cells_per_planning_cell(resolution, robot_radius) * float(resolution)


def classify(occupancy: np.ndarray, occupied_threshold: float = OCCUPIED_THRESHOLD,
             free_threshold: float = FREE_THRESHOLD) -> Tuple[np.ndarray, np.ndarray]:
    """Return boolean masks ``(occupied, free)`` of OccupancyGrid values; the rest is unknown."""
    check_thresholds(occupied_threshold, free_threshold)
    values = check_occupancy(occupancy).astype(np.int16)
    occupied = values > occupied_threshold
    free = (values >= 0) & (values < free_threshold)
    return occupied, free


def inflate(obstacle: np.ndarray, radius_cells: float, outside_is_obstacle: bool) -> np.ndarray:
    """Return the cells whose centre is within ``radius_cells`` cells of an obstacle centre.

    ``obstacle`` is a 2-D boolean mask; obstacle cells are in the result. With
    ``outside_is_obstacle`` the ring of cells around the map counts as obstacle too.
    """
    mask = np.asarray(obstacle, dtype=bool)
    if outside_is_obstacle:
        mask = np.pad(mask, 1, constant_values=True)
    if not mask.any():
        result = mask.copy()  # the transform needs at least one obstacle cell
    else:
        distance = ndimage.distance_transform_edt(~mask)
        result = distance <= radius_cells * (1.0 + RADIUS_TOLERANCE)
    return result[1:-1, 1:-1] if outside_is_obstacle else result


def coarsen(occupancy, resolution: float, origin: Sequence[float],
            cell_size: Optional[float], robot_radius: float,
            occupied_threshold: float = OCCUPIED_THRESHOLD,
            free_threshold: float = FREE_THRESHOLD, inflate_unknown: bool = True,
            name: str = '') -> GridMap:
    """Return the planning grid of a fine occupancy grid (the module's rule).

    ``occupancy``: OccupancyGrid values ``[my, mx]`` (-1, 0..100), row 0 at the bottom.
    ``resolution``: m per fine cell. ``origin``: ``(x, y, yaw)`` (m, m, rad). ``cell_size``:
    planning cell side in m (None/0: automatic). ``robot_radius``: inflation radius in m.
    The result's ``resolution`` is the actual planning cell size (a whole number of fine
    cells) and its ``origin`` is ``origin``. Raises ``ValueError`` naming a bad input.
    """
    check_map_geometry(resolution, origin)
    k = fine_cells_per_planning_cell(resolution, robot_radius, cell_size)
    occupied, free = classify(occupancy, occupied_threshold, free_threshold)
    radius_cells = float(robot_radius) / float(resolution)
    if inflate_unknown:
        inflated = inflate(~free, radius_cells, outside_is_obstacle=True)
    else:
        inflated = ~free | inflate(occupied, radius_cells, outside_is_obstacle=False)
    height, width = inflated.shape
    full_rows, full_cols = height // k, width // k
    blocked = np.ones((-(-height // k), -(-width // k)), dtype=bool)  # past the edge: blocked
    inside = inflated[:full_rows * k, :full_cols * k]
    blocked[:full_rows, :full_cols] = inside.reshape(full_rows, k, full_cols, k).any(axis=(1, 3))
    return GridMap(blocked, float(resolution) * k, tuple(float(v) for v in origin), name)


def centre_of(cell: Cell, resolution: float, origin: Sequence[float]) -> Tuple[float, float]:
    """Return the map-frame centre ``(x, y)`` m of cell ``(mx, my)`` of a grid's geometry."""
    ox, oy, yaw = origin
    local_x = (cell[0] + 0.5) * resolution
    local_y = (cell[1] + 0.5) * resolution
    cos, sin = math.cos(yaw), math.sin(yaw)
    return ox + cos * local_x - sin * local_y, oy + sin * local_x + cos * local_y


def cell_coordinates(x: float, y: float, resolution: float,
                     origin: Sequence[float]) -> Tuple[float, float]:
    """Return map-frame point ``(x, y)`` m in cells from the origin, along the grid's axes."""
    ox, oy, yaw = origin
    cos, sin = math.cos(yaw), math.sin(yaw)
    return ((cos * (x - ox) + sin * (y - oy)) / resolution,
            (-sin * (x - ox) + cos * (y - oy)) / resolution)


def cell_centre(grid: GridMap, cell: Cell) -> Tuple[float, float]:
    """Return the map-frame centre ``(x, y)`` m of ``cell = (mx, my)`` of ``grid``."""
    return centre_of(cell, grid.resolution, grid.origin)


def cell_of_point(grid: GridMap, x: float, y: float) -> Optional[Cell]:
    """Return the cell ``(mx, my)`` of ``grid`` that contains map-frame point ``(x, y)`` m.

    None when the point is outside the grid, not finite, or so far away that its cell index
    is not finite (1e308 m).
    """
    fx, fy = cell_coordinates(x, y, grid.resolution, grid.origin)
    if not (0.0 <= fx < grid.width and 0.0 <= fy < grid.height):   # False for NaN too
        return None
    return int(fx), int(fy)


def _planning_cell(fine: OccupancyMap, planning: GridMap, label: str) -> Optional[Cell]:
    cell = getattr(fine, label)
    if cell is None:
        return None
    height, width = fine.data.shape
    if not (0 <= cell[0] < width and 0 <= cell[1] < height):
        raise ValueError(f'{label} {cell} is outside the {width}x{height} fine map')
    k = int(round(planning.resolution / fine.resolution))
    coarse = (cell[0] // k, cell[1] // k)
    if not planning.is_free(coarse):
        x, y = centre_of(cell, fine.resolution, fine.origin)
        raise ValueError(f'{label} fine cell {cell} ({x:.2f}, {y:.2f} m) lies in planning cell '
                         f'{coarse}, which is blocked after inflation by the robot radius')
    return coarse


def coarsen_map(fine: OccupancyMap, robot_radius: float,
                cell_size: Optional[float] = None, inflate_unknown: bool = True) -> GridMap:
    """Return the planning grid of ``fine`` with its own thresholds, start and goal.

    Start and goal fine cells map to the planning cells that contain them; ``ValueError`` when
    such a planning cell is blocked (the robot would not fit there).
    """
    planning = coarsen(fine.data, fine.resolution, fine.origin, cell_size, robot_radius,
                       fine.occupied_threshold, fine.free_threshold, inflate_unknown, fine.name)
    start = _planning_cell(fine, planning, 'start')
    goal = _planning_cell(fine, planning, 'goal')
    return GridMap(planning.blocked, planning.resolution, planning.origin, planning.name,
                   start, goal)


def load_occupancy_map(path: str) -> OccupancyMap:
    """Load a nav2 map YAML keeping its OccupancyGrid values; raise ``MapError`` on failure.

    Trinary and scale maps come already classified by the loader (0 free, 100 occupied, the
    rest unknown); raw maps keep their values and use the YAML's thresholds x 100.
    """
    data, settings = load_occupancy(str(path))
    raw = settings['mode'] == 'raw'
    occupied = 100.0 * settings['occupied_thresh'] if raw else 99.0
    free = 100.0 * settings['free_thresh'] if raw else 1.0
    try:
        return OccupancyMap(data, settings['resolution'], settings['origin'], occupied, free,
                            os.path.splitext(os.path.basename(str(path)))[0],
                            settings['start'], settings['goal'])
    except ValueError as exc:
        raise MapError(f'map {path}: {exc}') from None
