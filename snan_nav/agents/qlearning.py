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
"""Tabular Q-learning baseline on the same observation as SNAN (cell id, open moves).

One-step Q-learning (Watkins 1989; Sutton & Barto 2018, section 6.5) with an epsilon-greedy
policy whose epsilon decays exponentially per episode (formula in
:mod:`snan_nav.agents.baseline_params`). Reward: the environment's 1.0 on the goal (terminal:
no bootstrap) and ``step_reward`` on every other step, so with ``q_init = 0`` untried moves
look better than tried ones and exploration is systematic rather than a random walk; a
``q_init`` above the goal reward is optimistic initialisation. Moves the observation reports as
blocked are never chosen nor bootstrapped from (``skip_blocked``); a cell with no open move
allows all four. Greedy ties are broken uniformly at random.

The per-step work runs in numba kernels (:mod:`snan_nav.agents.tabular_kernels`) over a
preallocated table; randomness comes from the agent's own SplitMix64 state seeded by ``seed``,
so a seed fixes the actions.
"""
from typing import Dict, Optional

import numpy as np

from snan_nav.agents.base import Agent
from snan_nav.agents.baseline_params import QLearningParams
from snan_nav.agents.memory_arrays import check_finite, check_range, checked_memory
from snan_nav.agents.tabular_kernels import epsilon_greedy, q_learning_observe
from snan_nav.core.rng import seeded
from snan_nav.world.grid import Observation


def neighbour_ids(obs: Observation) -> np.ndarray:
    """Return the observation's neighbour ids as the int32 vector the kernels read."""
    nbrs = obs.neighbours
    if isinstance(nbrs, np.ndarray) and nbrs.dtype == np.int32 and nbrs.shape == (4,):
        return nbrs
    nbrs = np.asarray(nbrs, dtype=np.int32)
    if nbrs.shape != (4,):
        raise ValueError(f'an observation has 4 neighbour ids, got shape {nbrs.shape}')
    return nbrs


class QLearningAgent(Agent):
    """Epsilon-greedy one-step Q-learning on a ``(n_cells, 4)`` table."""

    name = 'qlearning'
    params_class = QLearningParams

    def __init__(self, n_cells: int, seed: int = 0, params: Optional[QLearningParams] = None):
        if params is None:
            params = self.params_class()
        if type(params) is not self.params_class:
            raise TypeError(f'agent {self.name!r} takes a {self.params_class.__name__}, got '
                            f'{type(params).__name__}')
        if int(n_cells) < 1:
            raise ValueError(f'n_cells must be >= 1, got {n_cells}')
        self.params = params
        self.n_cells = int(n_cells)
        self._packed = params.packed()
        self.q = np.full((self.n_cells, 4), params.q_init, dtype=np.float64)
        self.open_moves = np.zeros((self.n_cells, 4), dtype=bool)
        self.rng = seeded(seed)
        self.episodes_done = 0
        self.epsilon = params.epsilon(0)
        self._cell = -1

    def _cell_id(self, cell) -> int:
        cell = int(cell)
        if not 0 <= cell < self.n_cells:
            raise ValueError(f'agent {self.name!r}: cell id {cell} is outside its table of '
                             f'{self.n_cells} cells (was the map resized?)')
        return cell

    def begin_episode(self, obs: Observation) -> None:
        """Set epsilon for this episode from the schedule; the table persists."""
        self.epsilon = self.params.epsilon(self.episodes_done)
        self._cell = -1

    def act(self, obs: Observation) -> int:
        """Return an epsilon-greedy action at ``obs.cell``."""
        cell = self._cell_id(obs.cell)
        action = epsilon_greedy(self.q, self.open_moves, cell, neighbour_ids(obs), self.epsilon,
                                self.params.skip_blocked, self.rng)
        self._cell = cell
        return int(action)

    def observe(self, action: int, next_obs: Observation, reward: float, done: bool) -> None:
        """Learn from the last (cell, action); reaching the goal (reward > 0) is terminal."""
        if self._cell < 0:
            return
        self._learn(int(action), self._cell_id(next_obs.cell), neighbour_ids(next_obs),
                    float(reward))

    def _learn(self, action: int, next_cell: int, next_nbrs: np.ndarray, reward: float) -> None:
        q_learning_observe(self.q, self.open_moves, self._cell, action, reward, reward > 0.0,
                           next_cell, next_nbrs, self._packed)

    def end_episode(self, success: bool) -> None:
        """Count the episode (it advances the epsilon schedule)."""
        self.episodes_done += 1
        self._cell = -1

    def memory(self) -> Dict[str, np.ndarray]:
        """Return ``q`` (float64, cells x 4) and ``episodes_done`` (int64, shape (1,))."""
        return {'q': self.q.copy(),
                'episodes_done': np.array([self.episodes_done], dtype=np.int64)}

    def _layout(self) -> dict:
        return {'q': ((self.n_cells, 4), np.float64), 'episodes_done': ((1,), np.int64)}

    def _load(self, arrays: Dict[str, np.ndarray]) -> None:
        check_finite(self.name, 'q', arrays['q'])
        check_range(self.name, 'episodes_done', arrays['episodes_done'], 0, 2 ** 62)
        self.q[...] = arrays['q']
        self.episodes_done = int(arrays['episodes_done'][0])
        self.epsilon = self.params.epsilon(self.episodes_done)

    def restore(self, memory: Dict[str, np.ndarray]) -> None:
        """Load a memory from :meth:`memory` (same agent kind and map size), or raise."""
        self._load(checked_memory(self.name, memory, self._layout()))
