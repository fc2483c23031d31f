"""The interface every navigation agent implements (SNAN, ablations, baselines).

Life cycle, driven by :func:`snan_nav.world.episode.run_episode` and by the ROS navigator:

1. ``begin_episode(obs)`` once at the start cell (memory from earlier episodes persists);
2. per step: ``action = act(obs)``; the world moves; ``observe(action, next_obs, reward, done)``;
3. ``end_episode(success)`` once; ``success`` is True when the goal cell was reached
   (the reward is delivered there for agents that learn from it).

A fresh agent object is a fresh memory: runs over different (pair, seed) never share one.
"""
from abc import ABC, abstractmethod

from snan_nav.world.grid import Observation


class Agent(ABC):
    """Base class of all agents. Subclasses set ``name`` and implement :meth:`act`."""

    name = 'agent'

    def begin_episode(self, obs: Observation) -> None:
        """Start an episode at ``obs.cell``; long-term memory is kept."""

    @abstractmethod
    def act(self, obs: Observation) -> int:
        """Return the next action (0..3 = N, E, S, W) for observation ``obs``."""

    def observe(self, action: int, next_obs: Observation, reward: float, done: bool) -> None:
        """Receive the outcome of ``action`` (per-step learners such as Q-learning use it)."""

    def end_episode(self, success: bool) -> None:
        """Finish the episode; ``success`` means the goal was reached within the budget."""
