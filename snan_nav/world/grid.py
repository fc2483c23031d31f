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
"""Grid maps in OccupancyGrid cell indices and the agent's partial observation.

Conventions (REP-103, nav_msgs/OccupancyGrid):
- a cell is ``(mx, my)``: ``mx`` is the column, ``my`` the row counted from the bottom;
- the flat cell id is ``my * width + mx`` (the OccupancyGrid data index);
- actions are N, E, S, W = 0, 1, 2, 3; N is +my (+y in the map frame), E is +mx (+x).
"""
from dataclasses import dataclass, field
from typing import Optional, Tuple

import numpy as np

N, E, S, W = 0, 1, 2, 3
ACTION_NAMES = ('N', 'E', 'S', 'W')
#: (dmx, dmy) per action.
ACTION_DELTAS = ((0, 1), (1, 0), (0, -1), (-1, 0))
NO_CELL = -1

Cell = Tuple[int, int]


@dataclass(frozen=True)
class Observation:
    """What a policy sees at one decision (partial observability, docs/architecture.md).

    ``cell`` is the flat id of the current cell (the active place population);
    ``neighbours[a]`` is the flat id of the cell action ``a`` leads to, or ``NO_CELL`` (-1)
    when that neighbour is blocked, unknown or outside the map. No coordinates, no goal
    direction.
    """

    cell: int
    neighbours: np.ndarray = field(repr=False)

    def blocked(self, action: int) -> bool:
        """Return True when ``action`` leads into a wall or off the map."""
        return int(self.neighbours[action]) == NO_CELL


@dataclass(frozen=True)
class GridMap:
    """A 4-connected occupancy grid.

    ``blocked`` is a boolean array of shape ``(height, width)`` indexed ``[my, mx]``
    (row 0 is the bottom row, as in OccupancyGrid data). Unknown cells are blocked.
    ``resolution`` is metres per cell; ``origin`` is the pose ``(x, y, yaw)`` in metres and
    radians of the lower-left corner of cell (0, 0) in the map frame.
    """

    blocked: np.ndarray
    resolution: float = 1.0
    origin: Tuple[float, float, float] = (0.0, 0.0, 0.0)
    name: str = ''
    start: Optional[Cell] = None
    goal: Optional[Cell] = None

    def __post_init__(self):
        blocked = np.ascontiguousarray(self.blocked, dtype=bool)
        if blocked.ndim != 2 or blocked.shape[0] < 1 or blocked.shape[1] < 1:
            raise ValueError(
                f'blocked must be a non-empty 2-D array, got shape {blocked.shape}')
        if not np.isfinite(self.resolution) or self.resolution <= 0.0:
            raise ValueError(
                f'resolution must be a finite value > 0 m/cell, got {self.resolution}')
        blocked.setflags(write=False)
        object.__setattr__(self, 'blocked', blocked)
        for label in ('start', 'goal'):
            cell = getattr(self, label)
            if cell is not None:
                cell = (int(cell[0]), int(cell[1]))
                object.__setattr__(self, label, cell)
                if not self.in_bounds(cell):
                    raise ValueError(
                        f'{label} {cell} is outside the {self.width}x{self.height} map')

    @property
    def width(self) -> int:
        """Return the number of columns (the mx range)."""
        return int(self.blocked.shape[1])

    @property
    def height(self) -> int:
        """Return the number of rows (the my range)."""
        return int(self.blocked.shape[0])

    @property
    def n_cells(self) -> int:
        """Return the number of cells, free or not (the place-cell index space)."""
        return self.width * self.height

    def in_bounds(self, cell: Cell) -> bool:
        """Return True when ``(mx, my)`` lies inside the map."""
        return 0 <= cell[0] < self.width and 0 <= cell[1] < self.height

    def is_free(self, cell: Cell) -> bool:
        """Return True when ``(mx, my)`` is inside the map and not blocked."""
        return self.in_bounds(cell) and not bool(self.blocked[cell[1], cell[0]])

    def cell_id(self, cell: Cell) -> int:
        """Flat id ``my * width + mx`` of ``(mx, my)``."""
        return int(cell[1]) * self.width + int(cell[0])

    def cell_of(self, cell_id: int) -> Cell:
        """Inverse of :meth:`cell_id`."""
        return int(cell_id) % self.width, int(cell_id) // self.width

    def free_count(self) -> int:
        """Return the number of free cells."""
        return int((~self.blocked).sum())

    def neighbour_table(self) -> np.ndarray:
        """Return an int32 array ``(n_cells, 4)``: the cell each action leads to, or -1.

        Blocked cells have all four entries -1.
        """
        h, w = self.blocked.shape
        table = np.full((h * w, 4), NO_CELL, dtype=np.int32)
        free = ~self.blocked
        ys, xs = np.nonzero(free)
        for a, (dx, dy) in enumerate(ACTION_DELTAS):
            nx, ny = xs + dx, ys + dy
            ok = (nx >= 0) & (nx < w) & (ny >= 0) & (ny < h)
            ok[ok] &= free[ny[ok], nx[ok]]
            table[ys[ok] * w + xs[ok], a] = ny[ok] * w + nx[ok]
        return table

    def observe(self, cell_id: int, table: Optional[np.ndarray] = None) -> Observation:
        """Return the partial observation at ``cell_id`` (pass a cached ``table`` for speed)."""
        if table is None:
            table = self.neighbour_table()
        return Observation(int(cell_id), table[cell_id].copy())
