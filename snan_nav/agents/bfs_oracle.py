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
"""BFS oracle baseline: knows the whole map and the goal, walks a shortest path (the floor)."""
import numpy as np

from snan_nav.agents.base import Agent
from snan_nav.world.bfs import distances
from snan_nav.world.grid import GridMap, Observation


class BFSOracleAgent(Agent):
    """Follow the BFS distance field of the goal; ties between equally short moves are seeded.

    From a cell that cannot reach the goal it moves at random (it cannot do better).
    """

    name = 'bfs'

    def __init__(self, grid: GridMap, goal_cell_id: int, seed: int = 0):
        self.dist = distances(grid, int(goal_cell_id))
        self.rng = np.random.default_rng(seed)

    def act(self, obs: Observation) -> int:
        """Return a move to a neighbour one step closer to the goal."""
        here = self.dist[obs.cell]
        nbrs = obs.neighbours
        if here > 0:
            best = [a for a in range(4) if nbrs[a] >= 0 and self.dist[nbrs[a]] == here - 1]
            if best:
                return int(best[self.rng.integers(len(best))] if len(best) > 1 else best[0])
        return int(self.rng.integers(4))
