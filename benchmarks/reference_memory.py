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
"""The slow memory of the dense reference: map synapses and goal tags (plain NumPy).

The rules of :mod:`snan_nav.core.cognitive_map` and :mod:`snan_nav.core.plasticity`, written
again on a synapse table: ``target[i, a]`` is the place the synapse of place ``i`` in direction
``a`` contacts (-1: none) and ``weight[i, a]`` its weight. One observation at ``i`` pairs it
with each observed free neighbour by symmetric STDP (both directions,
``w <- min(w + A exp(-sensory_delay / tau), w_max)``) and depresses to 0 the synapses whose
neighbour is now blocked or another place. Reward tags a place as a goal
(``w <- w + min(eta r, 1) (1 - w)``); reaching a tagged place without reward extinguishes it
(``w <- w (1 - extinction)``); a tag counts from ``goal_threshold`` on.
"""
import math

import numpy as np

from snan_nav.core.state import MAX_GOALS

N_ACTIONS = 4
OPPOSITE = (2, 3, 0, 1)


class SlowMemory:
    """Map synapses, familiarity and goal tags of ``n_cells`` places."""

    def __init__(self, n_cells: int, params):
        self.params = params
        self.target = np.full((n_cells, N_ACTIONS), -1, dtype=np.int64)
        self.weight = np.zeros((n_cells, N_ACTIONS))
        self.familiar = np.zeros(n_cells, dtype=bool)
        self.goal_w = np.zeros(n_cells)
        self.goals = []
        self.changed = True  # the synapses changed since :meth:`synapses` was last read
        self.lost = False  # a carrying synapse was removed since the agent last asked

    def synapses(self):
        """Return ``(pre, post, weight)`` arrays of every stored synapse."""
        ok = self.target >= 0
        return np.nonzero(ok)[0], self.target[ok], self.weight[ok]

    def learn(self, cell: int, nbr: np.ndarray) -> None:
        """Pair ``cell`` with each observed free neighbour; depress synapses now blocked."""
        plastic = self.params.map_stdp_amplitude > 0.0
        if plastic:
            self.familiar[cell] = True
        for a in range(N_ACTIONS):
            j = int(nbr[a])
            if j >= 0:
                if self.target[cell, a] >= 0 and self.target[cell, a] != j:
                    self._depress(cell, a)
                if plastic:
                    self._pair(cell, a, j)
            elif self.target[cell, a] >= 0:
                self._depress(cell, a)

    def enclosed(self, nbr: np.ndarray):
        """Return, per neighbour, the familiar places a carrying synapse from it reaches.

        0 for a familiar or blocked neighbour (the count matters for novel places only).
        """
        out = [0] * N_ACTIONS
        th = self.params.v_threshold
        for a in range(N_ACTIONS):
            j = int(nbr[a])
            if j < 0 or self.familiar[j]:
                continue
            for b in range(N_ACTIONS):
                k = int(self.target[j, b])
                if k >= 0 and self.weight[j, b] >= th and self.familiar[k]:
                    out[a] += 1
        return out

    def _stdp(self, w: float) -> float:
        p = self.params
        w = w + p.map_stdp_amplitude * math.exp(-abs(p.sensory_delay_ms) / p.map_stdp_tau_ms)
        return w if w < p.map_w_max else p.map_w_max

    def _pair(self, i: int, a: int, j: int) -> None:
        b = OPPOSITE[a]
        before_ij = self.weight[i, a] if self.target[i, a] == j else 0.0
        before_ji = self.weight[j, b] if self.target[j, b] == i else 0.0
        self.target[i, a], self.weight[i, a] = j, self._stdp(before_ij)
        self.target[j, b], self.weight[j, b] = i, self._stdp(before_ji)
        self.changed = True

    def _depress(self, i: int, a: int) -> None:
        th = self.params.v_threshold
        j = int(self.target[i, a])
        carried = self.weight[i, a] >= th
        self.target[i, a], self.weight[i, a] = -1, 0.0
        b = OPPOSITE[a]
        if self.target[j, b] == i:
            carried = carried or self.weight[j, b] >= th
            self.target[j, b], self.weight[j, b] = -1, 0.0
        self.lost = self.lost or carried
        self.changed = True

    def reward_at(self, cell: int) -> bool:
        """Reward at ``cell``; return True when it became a goal (the goal set changed)."""
        p = self.params
        if p.goal_learning_rate <= 0.0 or p.reward <= 0.0:
            return False
        before = self.goal_w[cell]
        self.goal_w[cell] = before + min(p.goal_learning_rate * p.reward, 1.0) * (1.0 - before)
        if before < p.goal_threshold <= self.goal_w[cell]:
            self._add_goal(cell)
            return True
        return False

    def no_reward_at(self, cell: int) -> bool:
        """No reward at tagged ``cell``; return True when its tag fell below the threshold."""
        p = self.params
        if self.goal_w[cell] <= 0.0 or p.goal_extinction <= 0.0:
            return False
        before = self.goal_w[cell]
        self.goal_w[cell] = before * (1.0 - p.goal_extinction)
        if before >= p.goal_threshold > self.goal_w[cell]:
            k = self.goals.index(cell)
            self.goals[k] = self.goals[-1]
            self.goals.pop()
            return True
        return False

    def _add_goal(self, cell: int) -> None:
        if cell in self.goals:
            return
        if len(self.goals) == MAX_GOALS:  # forget the weakest tag (first of equals)
            weakest = 0
            for k in range(1, len(self.goals)):
                if self.goal_w[self.goals[k]] < self.goal_w[self.goals[weakest]]:
                    weakest = k
            self.goal_w[self.goals[weakest]] = 0.0
            self.goals[weakest] = cell
            return
        self.goals.append(cell)
