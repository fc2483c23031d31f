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
"""Conversions between ROS 2 messages and the core types (the only place that knows both).

Units and frames (REP-103/105): metres, radians, the map frame's x forward/y left, yaw about +z.
A grid's ``origin`` is the pose ``(x, y, yaw)`` of the lower-left corner of cell ``(0, 0)``
(nav_msgs/MapMetaData semantics, including the origin's yaw); cell ``(mx, my)`` covers
``[mx, mx + 1) x [my, my + 1)`` resolutions in the origin's frame, and OccupancyGrid data is
row-major with row 0 at the bottom (``index = my * width + mx``).
"""
import array
import math
from typing import Optional, Tuple

from builtin_interfaces.msg import Time as TimeMsg
from geometry_msgs.msg import Pose, Quaternion
from nav_msgs.msg import OccupancyGrid
import numpy as np

from snan_nav.ros.geometry import (  # noqa: F401 (re-exported)
    cell_center, grid_cell_center, grid_cell_of_point, same_geometry, world_to_cell, wrap_angle)
from snan_nav.world.grid import GridMap

#: OccupancyGrid values at or above this are occupied (nav_msgs convention, 0..100).
DEFAULT_OCCUPIED_THRESHOLD = 50
OCCUPIED = 100
FREE = 0
UNKNOWN = -1


def yaw_from_quaternion(q) -> float:
    """Return the yaw (rad, about +z) of a quaternion with fields ``x, y, z, w``.

    Raises ``ValueError`` for a non-finite or zero-norm quaternion.
    """
    x, y, z, w = float(q.x), float(q.y), float(q.z), float(q.w)
    norm = math.sqrt(x * x + y * y + z * z + w * w)
    if not math.isfinite(norm) or norm < 1e-9:
        raise ValueError(f'invalid orientation quaternion ({x}, {y}, {z}, {w})')
    x, y, z, w = x / norm, y / norm, z / norm, w / norm
    return math.atan2(2.0 * (w * z + x * y), 1.0 - 2.0 * (y * y + z * z))


def quaternion_from_yaw(yaw: float) -> Quaternion:
    """Return the geometry_msgs/Quaternion of a rotation by ``yaw`` rad about +z."""
    q = Quaternion()
    q.z = math.sin(0.5 * yaw)
    q.w = math.cos(0.5 * yaw)
    return q


def pose_xy_yaw(pose: Pose) -> Tuple[float, float, float]:
    """Return ``(x, y, yaw)`` (m, m, rad) of a geometry_msgs/Pose (planar projection)."""
    p = pose.position
    x, y = float(p.x), float(p.y)
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(f'invalid position ({x}, {y})')
    return x, y, yaw_from_quaternion(pose.orientation)


def make_pose(x: float, y: float, yaw: float = 0.0) -> Pose:
    """Return a geometry_msgs/Pose at ``(x, y)`` m with heading ``yaw`` rad."""
    pose = Pose()
    pose.position.x = float(x)
    pose.position.y = float(y)
    pose.orientation = quaternion_from_yaw(yaw)
    return pose


def occupancy_array(msg: OccupancyGrid) -> Tuple[np.ndarray, float, Tuple[float, float, float]]:
    """Return ``(values, resolution, origin)`` of a nav_msgs/OccupancyGrid, validated.

    ``values`` is int8 ``(height, width)`` with row 0 at the bottom. Raises ``ValueError``
    with the reason for a malformed map: zero width or height, a resolution that is not a
    finite value > 0, ``len(data) != width * height``, values outside ``[-1, 100]``, or a
    non-finite origin.
    """
    info = msg.info
    width, height = int(info.width), int(info.height)
    resolution = float(info.resolution)
    if width <= 0 or height <= 0:
        raise ValueError(f'map has zero size ({width} x {height} cells)')
    if not math.isfinite(resolution) or resolution <= 0.0:
        raise ValueError(f'map resolution must be a finite value > 0 m/cell, got {resolution}')
    n_data = len(msg.data)
    if n_data != width * height:
        raise ValueError(f'map data has {n_data} values, expected width x height = '
                         f'{width} x {height} = {width * height}')
    data = np.asarray(msg.data, dtype=np.int8)
    if data.size and (int(data.min()) < UNKNOWN or int(data.max()) > OCCUPIED):
        raise ValueError(f'map data values must lie in [-1, 100], found '
                         f'[{int(data.min())}, {int(data.max())}]')
    ox, oy, oyaw = pose_xy_yaw(info.origin)
    return data.reshape(height, width), resolution, (ox, oy, oyaw)


def grid_from_occupancy(msg: OccupancyGrid,
                        occupied_threshold: int = DEFAULT_OCCUPIED_THRESHOLD,
                        name: str = '') -> GridMap:
    """Convert a nav_msgs/OccupancyGrid into a :class:`GridMap` (one cell per map cell).

    A cell is blocked when its value is ``>= occupied_threshold`` or unknown (-1). Raises
    ``ValueError`` with the reason for a malformed map (see :func:`occupancy_array`).
    """
    if not 0 < int(occupied_threshold) <= 100:
        raise ValueError(f'occupied_threshold must lie in [1, 100], got {occupied_threshold}')
    values, resolution, origin = occupancy_array(msg)
    blocked = (values >= int(occupied_threshold)) | (values < 0)
    return GridMap(blocked=blocked, resolution=resolution, origin=origin, name=name)


def occupancy_from_values(values: np.ndarray, grid: GridMap, frame_id: str,
                          stamp: Optional[TimeMsg] = None) -> OccupancyGrid:
    """Return an OccupancyGrid with ``grid``'s geometry and ``values`` (n_cells,) in -1..100."""
    msg = OccupancyGrid()
    msg.header.frame_id = frame_id
    if stamp is not None:
        msg.header.stamp = stamp
        msg.info.map_load_time = stamp
    msg.info.resolution = float(grid.resolution)
    msg.info.width = grid.width
    msg.info.height = grid.height
    msg.info.origin = make_pose(*grid.origin)
    vals = np.clip(np.asarray(values).reshape(-1), UNKNOWN, OCCUPIED).astype(np.int8)
    if vals.size != grid.n_cells:
        raise ValueError(f'{vals.size} values for a map of {grid.n_cells} cells')
    msg.data = array.array('b', vals.tobytes())
    return msg


def occupancy_from_grid(grid: GridMap, frame_id: str,
                        stamp: Optional[TimeMsg] = None) -> OccupancyGrid:
    """Convert a :class:`GridMap` to an OccupancyGrid (100 blocked, 0 free)."""
    values = np.where(grid.blocked.reshape(-1), OCCUPIED, FREE)
    return occupancy_from_values(values, grid, frame_id, stamp)


def calcium_to_occupancy(calcium: np.ndarray, scale: float, grid: GridMap, frame_id: str,
                         stamp: Optional[TimeMsg] = None) -> OccupancyGrid:
    """Return the astrocytic calcium (n_cells,) as an OccupancyGrid scaled to 0..100.

    ``scale`` is the calcium value drawn as 100 (larger values saturate); non-finite values
    and a non-positive scale give 0.
    """
    ca = np.nan_to_num(np.asarray(calcium, dtype=np.float64).reshape(-1),
                       nan=0.0, posinf=0.0, neginf=0.0)
    if not (math.isfinite(scale) and scale > 0.0):
        ca = np.zeros_like(ca)
        scale = 1.0
    values = np.rint(np.clip(100.0 * ca / scale, 0.0, 100.0))
    return occupancy_from_values(values, grid, frame_id, stamp)
