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
"""Random-walk baseline restricted to open moves (the reference of the random-walk ratio).

Each action is uniform over the moves the observation reports open (neighbour id >= 0), so the
walk never bumps into a wall it can see; at a cell with no open move it draws uniformly from
all four (it cannot do anything useful there). Restricting to open moves makes it the simple
random walk on the free-cell graph, a fairer reference than a walk that wastes steps on walls.
"""
import numpy as np

from snan_nav.agents.base import Agent
from snan_nav.world.grid import Observation


class RandomWalkAgent(Agent):
    """Uniform random choice among the open moves; ``seed`` fixes the action sequence."""

    name = 'random'

    def __init__(self, seed: int = 0):
        self.rng = np.random.default_rng(seed)

    def act(self, obs: Observation) -> int:
        """Return a uniformly random open move (any of 0..3 when none is open)."""
        open_moves = [a for a in range(4) if obs.neighbours[a] >= 0]
        if not open_moves:
            return int(self.rng.integers(4))
        return int(open_moves[self.rng.integers(len(open_moves))])
