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
"""The interface every navigation agent implements (SNAN, ablations, baselines).

Life cycle, driven by :func:`snan_nav.world.episode.run_episode` and by the ROS navigator:

0. optionally ``cue_goal(cell_id)`` before an episode: the goal cell of the episodes to come
   (the robot regime, where a goal_pose names the goal); ``cue_goal(None)`` withdraws the cue
   (the paper regime: the goal is recognised only on arrival);
1. ``begin_episode(obs)`` once at the start cell (memory from earlier episodes persists);
2. per step: ``action = act(obs)``; the world moves; ``observe(action, next_obs, reward, done)``;
3. ``end_episode(success)`` once; ``success`` is True when the goal cell was reached
   (the reward is delivered there for agents that learn from it).

A fresh agent object is a fresh memory: runs over different (pair, seed) never share one.
Long-term memory can be exported and restored (:meth:`Agent.memory`, :meth:`Agent.restore`)
as named NumPy arrays, for persistence across restarts.
"""
from abc import ABC, abstractmethod
from typing import Dict, Optional

import numpy as np

from snan_nav.world.grid import Observation


class Agent(ABC):
    """Base class of all agents. Subclasses set ``name`` and implement :meth:`act`.

    ``uses_goal_cue`` is True for agents whose behaviour changes with :meth:`cue_goal`
    (reported by the bench as ``goal_cue_used``).
    """

    name = 'agent'
    uses_goal_cue = False

    def cue_goal(self, goal_cell: Optional[int]) -> None:
        """Receive the goal cell id of the coming episodes (None: no cue). Default: ignore."""

    def begin_episode(self, obs: Observation) -> None:
        """Start an episode at ``obs.cell``; long-term memory is kept."""

    @abstractmethod
    def act(self, obs: Observation) -> int:
        """Return the next action (0..3 = N, E, S, W) for observation ``obs``."""

    def observe(self, action: int, next_obs: Observation, reward: float, done: bool) -> None:
        """Receive the outcome of ``action`` (per-step learners such as Q-learning use it)."""

    def end_episode(self, success: bool) -> None:
        """Finish the episode; ``success`` means the goal was reached within the budget."""

    def memory(self) -> Dict[str, np.ndarray]:
        """Return the long-term memory as named arrays ({} for an agent without one).

        The arrays are copies; cell-indexed arrays have the cell id (``my * width + mx``) as
        their first axis so that a memory can be carried over to a map that changed.
        """
        return {}

    def carry_over_memory(self, merged: Dict[str, np.ndarray],
                          keep_cells: np.ndarray) -> Dict[str, np.ndarray]:
        """Make a memory carried over to a changed map consistent again; return it.

        ``merged`` comes from :func:`snan_nav.persistence.carry_over`: cell-indexed arrays
        hold the stored rows where ``keep_cells`` is True (free in both maps) and a fresh
        agent's rows elsewhere; other arrays are the stored ones whole. Agents whose memory
        refers to cells in other ways (lists of cells, links to a cell) drop those references
        to cells not kept here. Default: ``merged`` unchanged.
        """
        return merged

    def restore(self, memory: Dict[str, np.ndarray]) -> None:
        """Load a memory returned by :meth:`memory` of the same agent kind and map size.

        Raises ``ValueError`` naming the array when a name, shape or dtype does not match.
        """
        if memory:
            raise ValueError(f'agent {self.name!r} keeps no long-term memory, got arrays '
                             f'{sorted(memory)}')
