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
"""The grid-world simulator without ROS: unicycle kinematics, collisions and episodes.

The :class:`~snan_nav.ros.grid_sim.GridSimNode` wraps this class; tests drive it directly.
Units: metres, radians, seconds. The robot is a point; it may not enter a blocked or
off-map cell of the map (it stops at the last free position, rotation still applies).
Episodes (start, goal, cell entries, budget) are counted on the planning grid, the cells the
navigator decides on (:mod:`snan_nav.ros.planning`; the map itself when none is given).
Randomness (random starts) comes from one seeded ``numpy.random.Generator``, so a seed and a
command sequence give one trajectory.
"""
from dataclasses import dataclass, field
import math
from typing import List, Optional

import numpy as np

from snan_nav.ros.geometry import (grid_cell_center, grid_cell_of_point, same_geometry,
                                   wrap_angle)
from snan_nav.world.bfs import distances
from snan_nav.world.grid import Cell, GridMap

#: Episode outcomes.
SUCCESS = 'success'
BUDGET = 'budget'
STALL = 'stall'
ABORTED = 'aborted'


@dataclass
class SimEpisode:
    """Book-keeping of one sim episode (steps are cell entries, not agent decisions)."""

    index: int
    start: Cell
    goal: Cell
    start_time_s: float
    steps: int = 0
    collisions: int = 0
    outcome: Optional[str] = None
    end_time_s: float = 0.0
    cells: List[Cell] = field(default_factory=list)

    def summary(self) -> dict:
        """Return the JSON-ready summary published on ``~/episode``."""
        return {
            'episode': self.index,
            'steps': self.steps,
            'success': self.outcome == SUCCESS,
            'outcome': self.outcome,
            'sim_time_s': round(self.end_time_s - self.start_time_s, 6),
            'collisions': self.collisions,
            'start': list(self.start),
            'goal': list(self.goal),
        }


class GridSim:
    """Unicycle robot on a :class:`GridMap` with episodes from ``start`` to ``goal``.

    ``grid`` is the map the robot collides with; ``plan`` the planning grid whose cells
    ``start``, ``goal``, the cell entries and the budget refer to (default: ``grid``).
    ``budget`` is the maximum number of cell entries per episode (0: ``4 x free cells``);
    ``stall_timeout`` (s, 0 disables) ends an episode in which the robot stayed in one cell
    that long; ``random_start`` draws each episode's start among the free cells from which
    the goal is reachable, with the seeded generator.
    """

    def __init__(self, grid: GridMap, start: Cell, goal: Cell, seed: int = 0,
                 budget: int = 0, stall_timeout: float = 0.0, random_start: bool = False,
                 plan: Optional[GridMap] = None):
        plan = grid if plan is None else plan
        for label, cell in (('start', start), ('goal', goal)):
            if not plan.is_free(tuple(cell)):
                raise ValueError(f'{label} cell {tuple(cell)} is blocked or outside the '
                                 f'{plan.width}x{plan.height} planning grid')
        if not random_start and distances(plan, tuple(start))[plan.cell_id(tuple(goal))] < 0:
            # the navigator would refuse every goal and each episode end in a stall
            raise ValueError(f'goal cell {tuple(goal)} cannot be reached from start cell '
                             f'{tuple(start)} on the {plan.width}x{plan.height} planning grid '
                             '(cell_size and robot_radius may close a passage)')
        self.grid = grid
        self.plan = plan
        self._plan_is_map = same_geometry(plan, grid)   # one cell lookup per sub-step then
        self.start = (int(start[0]), int(start[1]))
        self.goal = (int(goal[0]), int(goal[1]))
        self.rng = np.random.default_rng(seed)
        self.budget = int(budget) if budget > 0 else 4 * plan.free_count()
        self.stall_timeout = float(stall_timeout)
        self.random_start = bool(random_start)
        self.time_s = 0.0
        self.x, self.y = grid_cell_center(plan, self.start)
        self.yaw = 0.0
        self.v = 0.0
        self.w = 0.0
        self.cell = self.start
        self.episode: Optional[SimEpisode] = None
        self.episodes_started = 0
        self._cell_since = 0.0

    # --- episodes ------------------------------------------------------------------------
    def new_episode(self) -> SimEpisode:
        """Teleport the robot to the (possibly random) start and open the next episode."""
        start = self._draw_start() if self.random_start else self.start
        self.teleport_cell(start)
        self.episodes_started += 1
        self.episode = SimEpisode(self.episodes_started, start, self.goal, self.time_s,
                                  cells=[start])
        return self.episode

    def finish(self, outcome: str) -> SimEpisode:
        """Close the current episode with ``outcome`` and return it."""
        ep = self.episode
        if ep is None:
            raise RuntimeError('no episode is running')
        ep.outcome = outcome
        ep.end_time_s = self.time_s
        self.episode = None
        return ep

    def check_episode(self) -> Optional[str]:
        """Return the outcome that ends the running episode now, or None."""
        ep = self.episode
        if ep is None:
            return None
        if self.cell == self.goal:
            return SUCCESS
        if ep.steps >= self.budget:
            return BUDGET
        if self.stall_timeout > 0.0 and self.time_s - self._cell_since >= self.stall_timeout:
            return STALL
        return None

    def _draw_start(self) -> Cell:
        reachable = self._reachable_from_goal()
        candidates = sorted(c for c in reachable if c != self.goal)
        if not candidates:
            return self.start
        return candidates[int(self.rng.integers(len(candidates)))]

    def _reachable_from_goal(self) -> set:
        table = self.plan.neighbour_table()
        seen = {self.plan.cell_id(self.goal)}
        frontier = [self.plan.cell_id(self.goal)]
        while frontier:
            nxt = []
            for cid in frontier:
                for n in table[cid]:
                    n = int(n)
                    if n >= 0 and n not in seen:
                        seen.add(n)
                        nxt.append(n)
            frontier = nxt
        return {self.plan.cell_of(c) for c in seen}

    # --- kinematics ----------------------------------------------------------------------
    def teleport(self, x: float, y: float, yaw: float) -> bool:
        """Place the robot at ``(x, y, yaw)``; refuse (return False) a blocked position."""
        cell = grid_cell_of_point(self.grid, x, y)
        if cell is None or not self.grid.is_free(cell):
            return False
        self.x, self.y, self.yaw = float(x), float(y), wrap_angle(float(yaw))
        self.v = self.w = 0.0
        self._enter(grid_cell_of_point(self.plan, x, y), count=False)
        return True

    def teleport_cell(self, cell: Cell, yaw: float = 0.0) -> None:
        """Place the robot at the centre of planning cell ``cell`` with heading ``yaw``."""
        x, y = grid_cell_center(self.plan, cell)
        if not self.teleport(x, y, yaw):
            raise ValueError(f'cannot teleport into blocked cell {cell}')

    def step(self, v: float, w: float, dt: float) -> bool:
        """Integrate unicycle motion for ``dt`` s at ``v`` m/s, ``w`` rad/s.

        The translation is split into sub-steps of at most a quarter cell; the robot stops at
        the last free position before a blocked or off-map cell. Returns True on a collision.
        """
        self.time_s += dt
        v, w = float(v), float(w)
        if not (math.isfinite(v) and math.isfinite(w)):
            v = w = 0.0
        dist = abs(v) * dt
        n_sub = max(1, int(math.ceil(dist / (0.25 * self.grid.resolution))))
        h = dt / n_sub
        collided = False
        for _ in range(n_sub):
            mid = self.yaw + 0.5 * w * h
            nx = self.x + v * math.cos(mid) * h
            ny = self.y + v * math.sin(mid) * h
            cell = grid_cell_of_point(self.grid, nx, ny)
            if cell is None or not self.grid.is_free(cell):
                collided = True
                v = 0.0
            else:
                self.x, self.y = nx, ny
                if not self._plan_is_map:
                    cell = grid_cell_of_point(self.plan, nx, ny)
                if cell != self.cell:
                    self._enter(cell, count=True)
            self.yaw = wrap_angle(self.yaw + w * h)
        self.v, self.w = v, w
        if collided and self.episode is not None:
            self.episode.collisions += 1
        return collided

    def _enter(self, cell: Cell, count: bool) -> None:
        self.cell = cell
        self._cell_since = self.time_s
        if count and self.episode is not None:
            self.episode.steps += 1
            self.episode.cells.append(cell)
