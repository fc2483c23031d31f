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
"""Tabular Dyna-Q baseline (Sutton & Barto 2018, section 8.2), the strongest tabular learner.

Acting and the real-step update are Q-learning's (:mod:`snan_nav.agents.qlearning`: same
observation, reward, epsilon schedule and blocked-move rule). After every real step the agent
also records the transition in a deterministic model ``(cell, action) -> (reward,
next cell, terminal)`` (the last outcome seen wins; the grid is deterministic) and replays
``planning_steps`` moves drawn uniformly, with the agent's seeded generator, from the moves
tried so far, each as a Q update through the model. ``kappa > 0`` turns it into Dyna-Q+
(section 8.3): replayed rewards get ``kappa * sqrt(tau)``, ``tau`` the real steps since that
move was last tried; ``kappa = 0`` (the default) is plain Dyna-Q. Only tried moves are replayed
(the book's footnote variant that also replays untried moves is not used).

The update and the planning loop are one numba kernel over preallocated arrays
(:func:`snan_nav.agents.tabular_kernels.dyna_q_observe`).
"""
from typing import Dict, Optional

import numpy as np

from snan_nav.agents.baseline_params import DynaQParams
from snan_nav.agents.memory_arrays import check_finite, check_range
from snan_nav.agents.qlearning import QLearningAgent
from snan_nav.agents.tabular_kernels import CLOCK, dyna_q_observe, N_OBSERVED

_MODEL_TABLES = ('model_next', 'model_reward', 'model_terminal', 'last_tried')


class DynaQAgent(QLearningAgent):
    """Q-learning plus ``planning_steps`` model-based updates per real step."""

    name = 'dynaq'
    params_class = DynaQParams

    def __init__(self, n_cells: int, seed: int = 0, params: Optional[DynaQParams] = None):
        super().__init__(n_cells, seed, params)
        n = self.n_cells
        self.model_next = np.full((n, 4), -1, dtype=np.int32)
        self.model_reward = np.zeros((n, 4), dtype=np.float64)
        self.model_terminal = np.zeros((n, 4), dtype=bool)
        self.last_tried = np.zeros((n, 4), dtype=np.int64)
        self.observed = np.zeros(4 * n, dtype=np.int32)
        self.counters = np.zeros(2, dtype=np.int64)

    def _learn(self, action: int, next_cell: int, next_nbrs: np.ndarray, reward: float) -> None:
        dyna_q_observe(self.q, self.open_moves, self.model_next, self.model_reward,
                       self.model_terminal, self.last_tried, self.observed, self.counters,
                       self._cell, action, reward, reward > 0.0, next_cell, next_nbrs,
                       self._packed, self.rng)

    def memory(self) -> Dict[str, np.ndarray]:
        """Return Q-learning's arrays plus the model and what planning needs to continue.

        ``open_moves`` (bool, cells x 4: moves last observed open, read when bootstrapping),
        ``model_next`` (int32, -1 untried), ``model_reward`` (float64), ``model_terminal``
        (bool), ``last_tried`` (int64 real-step clock), ``observed`` (int32 ``cell * 4 +
        action`` of the tried moves in first-tried order) and ``clock`` (int64, shape (1,)).
        """
        out = super().memory()
        out.update(open_moves=self.open_moves.copy(), model_next=self.model_next.copy(),
                   model_reward=self.model_reward.copy(),
                   model_terminal=self.model_terminal.copy(),
                   last_tried=self.last_tried.copy(),
                   observed=self.observed[:self.counters[N_OBSERVED]].copy(),
                   clock=np.array([self.counters[CLOCK]], dtype=np.int64))
        return out

    def carry_over_memory(self, merged: Dict[str, np.ndarray],
                          keep_cells: np.ndarray) -> Dict[str, np.ndarray]:
        """Bring a memory carried over to a changed map in line with it (see the base class).

        A modelled move into a cell not kept is forgotten (a fresh agent's entry); the list of
        tried moves keeps the moves still modelled, in their order.
        """
        keep = np.asarray(keep_cells, dtype=bool)
        out = dict(merged)
        check_range(self.name, 'model_next', np.asarray(out['model_next']), -1, keep.size - 1)
        check_range(self.name, 'observed', np.asarray(out['observed']), 0, 4 * keep.size - 1)
        nxt = np.asarray(out['model_next'])
        stale = (nxt >= 0) & ~keep[np.maximum(nxt, 0)]
        for name in _MODEL_TABLES:
            table = np.array(out[name], copy=True)
            table[stale] = getattr(self, name)[stale]
            out[name] = table
        tried = out['model_next'].ravel() >= 0
        observed = np.asarray(out['observed'])
        out['observed'] = observed[tried[observed]]
        return out

    def _layout(self) -> dict:
        n = self.n_cells
        layout = super()._layout()
        layout.update(open_moves=((n, 4), bool), model_next=((n, 4), np.int32),
                      model_reward=((n, 4), np.float64), model_terminal=((n, 4), bool),
                      last_tried=((n, 4), np.int64), observed=((None,), np.int32),
                      clock=((1,), np.int64))
        return layout

    def _load(self, arrays: Dict[str, np.ndarray]) -> None:
        n = self.n_cells
        check_range(self.name, 'model_next', arrays['model_next'], -1, n - 1)
        check_finite(self.name, 'model_reward', arrays['model_reward'])
        tried = np.flatnonzero(arrays['model_next'].ravel() >= 0)
        observed = arrays['observed']
        if observed.size != tried.size or not np.array_equal(np.sort(observed), tried):
            raise ValueError(f'agent {self.name!r}: memory array \'observed\' must list each '
                             'tried move (model_next >= 0) exactly once')
        check_range(self.name, 'clock', arrays['clock'], 0, 2 ** 62)
        clock = int(arrays['clock'][0])
        check_range(self.name, 'last_tried', arrays['last_tried'], 0, clock)
        super()._load(arrays)
        self.open_moves[...] = arrays['open_moves']
        for name in _MODEL_TABLES:
            getattr(self, name)[...] = arrays[name]
        self.observed[:] = 0
        self.observed[:observed.size] = observed
        self.counters[N_OBSERVED] = observed.size
        self.counters[CLOCK] = clock
