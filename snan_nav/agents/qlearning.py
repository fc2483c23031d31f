"""Tabular Q-learning baseline on the same observation as SNAN (cell id, open moves).

Reward: 1.0 on the goal (terminal, no bootstrap) and ``step_reward`` (default -0.01) for every
other step, so untried moves look better than tried ones (Q starts at 0) and the agent explores
systematically instead of as a random walk. Moves the observation reports as blocked are never
chosen (``skip_blocked=True``); a cell with no open move makes it pick any action. Greedy ties
are broken uniformly at random by the seeded generator.
"""
import numpy as np

from snan_nav.agents.base import Agent
from snan_nav.world.grid import Observation


class QLearningAgent(Agent):
    """Epsilon-greedy one-step Q-learning on a ``(n_cells, 4)`` table."""

    name = 'qlearning'

    def __init__(self, n_cells: int, seed: int = 0, alpha: float = 0.5, gamma: float = 0.95,
                 epsilon: float = 0.1, step_reward: float = -0.01, skip_blocked: bool = True):
        for label, value in (('alpha', alpha), ('gamma', gamma), ('epsilon', epsilon)):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f'{label} must lie in [0, 1], got {value}')
        if n_cells < 1:
            raise ValueError(f'n_cells must be >= 1, got {n_cells}')
        self.q = np.zeros((int(n_cells), 4), dtype=np.float64)
        self.alpha, self.gamma, self.epsilon = float(alpha), float(gamma), float(epsilon)
        self.step_reward = float(step_reward)
        self.skip_blocked = bool(skip_blocked)
        self.rng = np.random.default_rng(seed)
        self._cell = -1

    def _allowed(self, obs: Observation) -> np.ndarray:
        if self.skip_blocked:
            open_moves = np.flatnonzero(np.asarray(obs.neighbours) >= 0)
            if open_moves.size:
                return open_moves
        return np.arange(4)

    def act(self, obs: Observation) -> int:
        """Return an epsilon-greedy action at ``obs.cell``."""
        allowed = self._allowed(obs)
        if self.rng.random() < self.epsilon:
            action = allowed[self.rng.integers(allowed.size)]
        else:
            values = self.q[obs.cell, allowed]
            best = allowed[values == values.max()]
            action = best[self.rng.integers(best.size)] if best.size > 1 else best[0]
        self._cell = obs.cell
        return int(action)

    def observe(self, action: int, next_obs: Observation, reward: float, done: bool) -> None:
        """Apply the one-step Q update for the last (cell, action)."""
        if self._cell < 0:
            return
        if reward > 0.0:
            target = reward
        else:
            target = self.step_reward + self.gamma * float(
                self.q[next_obs.cell, self._allowed(next_obs)].max())
        q = self.q[self._cell, action]
        self.q[self._cell, action] = q + self.alpha * (target - q)
