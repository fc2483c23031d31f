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
"""The simulator's world: the map it collides with and the planning grid of its episodes.

:func:`load_sim_world` loads ``builtin:NAME`` or a nav2 map YAML, builds the planning grid
exactly as the navigator does from the published map (:func:`snan_nav.ros.planning.
planning_grid` on the same OccupancyGrid values) and resolves the start and goal planning
cells. Every problem is a :class:`~snan_nav.ros.ros_params.StartupError` with the reason.
"""
from typing import Mapping, NamedTuple, Optional

import numpy as np

from snan_nav.ros.planning import (describe, free_planning_cell, LOADED_MAP_THRESHOLD,
                                   occupancy_values, planning_grid)
from snan_nav.ros.ros_params import StartupError
from snan_nav.world.builtin import resolve_map
from snan_nav.world.grid import Cell, GridMap
from snan_nav.world.map_io import MapError


class SimWorld(NamedTuple):
    """Map (collisions), its OccupancyGrid values, planning grid, start and goal cells."""

    grid: GridMap
    occupancy: np.ndarray
    plan: GridMap
    start: Cell
    goal: Cell
    summary: str


def load_sim_world(values: Mapping[str, object]) -> SimWorld:
    """Return the world for the simulator parameters ``values`` (map, seed, cells, sizes)."""
    spec = values['map']
    try:
        grid = resolve_map(spec, values['seed'])
    except (MapError, ValueError, OSError) as exc:
        raise StartupError(f'map {spec!r}: {exc}') from None
    occupancy = occupancy_values(grid)
    try:
        plan = planning_grid(occupancy, grid.resolution, grid.origin, values['cell_size'],
                             values['robot_radius'], LOADED_MAP_THRESHOLD, grid.name)
    except ValueError as exc:
        raise StartupError(f'map {spec!r}: no planning grid: {exc}') from None
    start = _cell('start_cell', values['start_cell'], grid.start, grid, plan,
                  values['robot_radius'])
    goal = _cell('goal_cell', values['goal_cell'], grid.goal, grid, plan,
                 values['robot_radius'])
    return SimWorld(grid, occupancy, plan, start, goal,
                    describe(plan, grid.blocked.shape, grid.resolution))


def _cell(name: str, value, map_cell: Optional[Cell], grid: GridMap, plan: GridMap,
          radius: float) -> Cell:
    """Return the planning cell of parameter ``name`` ([-1, -1]: the map's own cell)."""
    value = [int(c) for c in value]
    if len(value) != 2:
        raise StartupError(f'{name} must be [mx, my], got {value}')
    if value != [-1, -1]:
        if not plan.is_free(tuple(value)):
            raise StartupError(f'{name} {value} is blocked or outside the {plan.width}x'
                               f'{plan.height} planning grid')
        return tuple(value)
    if map_cell is None:
        raise StartupError(f'{name} is not set and the map defines none')
    try:
        return free_planning_cell(plan, grid, name.split('_')[0], radius)
    except ValueError as exc:
        raise StartupError(f'{exc}: set {name} to a free planning cell') from None
