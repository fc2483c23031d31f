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
"""The planning grid: the cells the agent decides on, built from a (fine) occupancy map.

A nav2 map has cells of about 5 cm; the agent must decide on cells about the robot's size, on
a map whose obstacles are inflated by the robot's radius. :func:`planning_grid` is the one
place that turns OccupancyGrid values into planning cells, for the navigator and the
simulator alike: both must obtain the same cells from the same map. The coarsening itself is
the pure function :func:`snan_nav.world.coarsen.coarsen`.

Units: metres; OccupancyGrid values -1 (unknown) or 0..100, row 0 at the bottom (REP-103).
"""
import math
from typing import Optional, Sequence, Tuple

import numpy as np

from snan_nav.ros.geometry import cell_center, grid_cell_of_point
from snan_nav.world.bfs import fragmentation_note
from snan_nav.world.coarsen import coarsen
from snan_nav.world.grid import Cell, GridMap

#: :func:`occupancy_values` holds 0/100, so any threshold in 1..100 gives the same grid.
LOADED_MAP_THRESHOLD = 50


def occupancy_values(grid: GridMap) -> np.ndarray:
    """Return OccupancyGrid values (int8, height x width): 100 blocked, 0 free."""
    return np.where(grid.blocked, 100, 0).astype(np.int8)


def planning_grid(occupancy: np.ndarray, resolution: float, origin: Sequence[float],
                  cell_size: float, robot_radius: float, occupied_threshold: int = 50,
                  name: str = '') -> GridMap:
    """Return the planning grid of an occupancy map.

    ``occupancy``: int8 values (height, width) in -1..100, row 0 at the bottom;
    ``resolution`` (m/cell) and ``origin`` ``(x, y, yaw)`` (m, m, rad) as in MapMetaData;
    ``cell_size`` (m, 0 = automatic, about the robot's diameter) and ``robot_radius`` (m).
    A planning cell is blocked when any map cell in it is occupied (value >=
    ``occupied_threshold``) or unknown after inflating obstacles by ``robot_radius``. The
    result keeps the map's origin; its resolution is the planning cell size. Raises
    ``ValueError`` with the reason for inputs that cannot give a planning grid.

    The resolution is first rounded to float32, the precision MapMetaData carries: the
    simulator (which knows the map's own value) and the navigator (which gets it from the
    message) then compute the same cells and the same planning resolution. The inflation
    itself tolerates the rounding (a radius of exactly four 0.05 m cells inflates four cells
    from 0.0500000007 m too: ``coarsen.RADIUS_TOLERANCE``).
    """
    occ = np.asarray(occupancy)
    if occ.ndim != 2 or occ.size == 0:
        raise ValueError(f'occupancy must be a non-empty 2-D array, got shape {occ.shape}')
    for label, value in (('cell_size', cell_size), ('robot_radius', robot_radius)):
        if not (math.isfinite(value) and value >= 0.0):
            raise ValueError(f'{label} must be a finite value >= 0 m, got {value}')
    origin = tuple(float(v) for v in origin)
    resolution = float(np.float32(resolution))
    return coarsen(occ, resolution, origin, float(cell_size) or None, float(robot_radius),
                   occupied_threshold=int(occupied_threshold), name=name)


def planning_cell_of_map_cell(plan: GridMap, cell: Cell, resolution: float,
                              origin: Sequence[float]) -> Optional[Cell]:
    """Return the planning cell containing the centre of map cell ``cell`` (None: off-map)."""
    x, y = cell_center(cell, resolution, origin)
    return grid_cell_of_point(plan, x, y)


def planning_map(grid: GridMap, cell_size: float, robot_radius: float,
                 task: bool = True) -> GridMap:
    """Return the planning grid of a loaded map with its start/goal (if any) in planning cells.

    What the nodes build from the same map (:func:`planning_grid` on :func:`occupancy_values`),
    so a headless benchmark decides on the cells the closed loop decides on. Raises
    ``ValueError`` when a start or goal the map names lies in a planning cell that is blocked
    after inflation (or off the grid). ``task`` False: the grid alone, without start/goal.
    """
    plan = planning_grid(occupancy_values(grid), grid.resolution, grid.origin, cell_size,
                         robot_radius, LOADED_MAP_THRESHOLD, grid.name)
    cells = [None if not task or getattr(grid, label) is None
             else free_planning_cell(plan, grid, label, robot_radius)
             for label in ('start', 'goal')]
    return GridMap(plan.blocked, plan.resolution, plan.origin, plan.name, *cells)


def free_planning_cell(plan: GridMap, grid: GridMap, label: str, robot_radius: float) -> Cell:
    """Return the free planning cell of the map's own ``label`` cell ('start' or 'goal').

    Raises ``ValueError`` naming both cells when inflation by ``robot_radius`` blocks it.
    """
    map_cell = getattr(grid, label)
    cell = planning_cell_of_map_cell(plan, map_cell, grid.resolution, grid.origin)
    if cell is None or not plan.is_free(cell):
        raise ValueError(f'the map\'s {label} {map_cell} lies in planning cell {cell}, which '
                         f'is blocked after inflating obstacles by robot_radius {robot_radius} m')
    return cell


def closed_doors_warning(plan: GridMap) -> Optional[str]:
    """Return a warning when inflation or coarsening split the planning grid into pieces."""
    note = fragmentation_note(plan)
    if note is None:
        return None
    return (f'planning grid: {note}: passages narrower than about a planning cell plus '
            f'twice robot_radius close (a smaller cell_size or robot_radius may open them)')


def describe(plan: GridMap, fine_shape: Tuple[int, int], resolution: float) -> str:
    """Return a one-line summary: planning cells, their size and the map they come from."""
    height, width = fine_shape
    return (f'{plan.width}x{plan.height} planning cells of {plan.resolution:g} m '
            f'({plan.free_count()} free) from a {width}x{height} map at {resolution:g} m')
