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
"""Planar geometry of grid cells in the map frame (pure functions, no ROS imports).

Units and frames (REP-103/105): metres, radians, yaw about +z. A grid's ``origin`` is the pose
``(x, y, yaw)`` of the lower-left corner of cell ``(0, 0)`` (nav_msgs/MapMetaData semantics,
including the origin's yaw); cell ``(mx, my)`` covers ``[mx, mx + 1) x [my, my + 1)``
resolutions in the origin's frame.
"""
import math
from typing import Optional, Sequence, Tuple

from snan_nav.world.coarsen import cell_coordinates, cell_of_point, centre_of
from snan_nav.world.grid import Cell, GridMap


def wrap_angle(angle: float) -> float:
    """Wrap an angle (rad) to ``[-pi, pi)``."""
    return (angle + math.pi) % (2.0 * math.pi) - math.pi


def world_to_cell(x: float, y: float, resolution: float,
                  origin: Sequence[float]) -> Tuple[int, int]:
    """Return the cell ``(mx, my)`` containing map-frame point ``(x, y)`` m (may lie outside).

    Raises ``ValueError`` when the point is not finite or so far away that its cell index is
    not (1e308 m overflows).
    """
    fx, fy = cell_coordinates(x, y, resolution, origin)
    if not (math.isfinite(fx) and math.isfinite(fy)):
        raise ValueError(f'point ({x}, {y}) m has no finite cell index')
    return int(math.floor(fx)), int(math.floor(fy))


def cell_center(cell: Cell, resolution: float, origin: Sequence[float]) -> Tuple[float, float]:
    """Return the map-frame centre ``(x, y)`` m of cell ``(mx, my)``."""
    return centre_of(cell, resolution, origin)


def grid_cell_of_point(grid: GridMap, x: float, y: float) -> Optional[Cell]:
    """Return the cell of ``grid`` containing ``(x, y)`` m, or None outside the map.

    Non-finite points, and points too far away for a finite cell index, are outside.
    """
    return cell_of_point(grid, x, y)


def grid_cell_center(grid: GridMap, cell: Cell) -> Tuple[float, float]:
    """Return the map-frame centre ``(x, y)`` m of ``cell`` in ``grid``."""
    return centre_of(cell, grid.resolution, grid.origin)


def cell_yaw(grid: GridMap, action_dx: int, action_dy: int) -> float:
    """Return the map-frame heading (rad) of a move by ``(dmx, dmy)`` cells."""
    return wrap_angle(grid.origin[2] + math.atan2(action_dy, action_dx))


def same_geometry(a: GridMap, b: GridMap) -> bool:
    """Return True when two grids share width, height, resolution and origin."""
    return (a.width == b.width and a.height == b.height
            and math.isclose(a.resolution, b.resolution, rel_tol=1e-9)
            and all(math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-9)
                    for u, v in zip(a.origin, b.origin)))
