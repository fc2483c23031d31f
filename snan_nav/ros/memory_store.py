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
"""One agent's memory file as the navigator, ``sim --memory`` and ``bench --memory`` use it.

A thin policy over :mod:`snan_nav.persistence` (no ROS):

- the file is bound to what shapes the memory: the agent kind, the planning grid's size and,
  for the SNAN variants, the structural (read-only) network parameters
  (:func:`shaping_params`); a file learned with other values is refused and moved aside;
- :meth:`MemoryStore.load` restores a fresh agent from the file when it fits (on a map that
  changed in a few cells the memory of the unchanged cells is kept) and never raises for a
  bad file; :meth:`MemoryStore.save` writes atomically (temp file, fsync, rename, fsync of the
  directory) and raises :class:`~snan_nav.persistence.MemoryFileError` when it cannot;
- :meth:`MemoryStore.reset` moves the file to ``<file>.reset`` (the memory before the last
  reset is kept there) so that the next agent starts fresh.

Picklable, so a bench job can carry it into a worker process.
"""
from dataclasses import dataclass
import os
from typing import Dict, Mapping, Optional

import numpy as np

from snan_nav.agents.registry import SNAN_NAMES
from snan_nav.core.params import PARAM_SPECS, SNANParams
from snan_nav.persistence import (LOADED, LoadOutcome, MemoryFileError, restore_agent_memory,
                                  save_agent_memory)
from snan_nav.persistence.atomic import fsync_directory

RESET_SUFFIX = '.reset'
#: The SNAN parameters that fix the network's structure (its arrays' shapes and meaning).
STRUCTURAL_SNN = tuple(s.name for s in PARAM_SPECS if s.read_only)


def shaping_params(agent: str, blocked: np.ndarray, snn=None) -> Dict[str, object]:
    """Return the parameters a memory file is bound to (flat scalars).

    ``agent``: agent kind; ``blocked``: the planning grid's ``[my, mx]`` mask (its size is
    stored); ``snn``: the run's ``SNANParams`` (its read-only fields count for SNAN agents;
    None: the defaults, which is what a SNAN agent built without parameters runs with).
    """
    height, width = np.shape(blocked)
    out: Dict[str, object] = {'agent': str(agent), 'grid_width': int(width),
                              'grid_height': int(height)}
    if agent in SNAN_NAMES:
        snn = SNANParams() if snn is None else snn
        out.update({f'snn.{name}': getattr(snn, name) for name in STRUCTURAL_SNN})
    return out


@dataclass(frozen=True)
class MemoryStore:
    """The memory file at ``path`` for agents of kind ``agent`` with SNAN parameters ``snn``."""

    path: str
    agent: str
    snn: object = None

    def shaping(self, blocked: np.ndarray) -> Dict[str, object]:
        """Return :func:`shaping_params` for the grid ``blocked``."""
        return shaping_params(self.agent, blocked, self.snn)

    def load(self, agent, blocked: np.ndarray) -> LoadOutcome:
        """Restore ``agent`` (fresh) from the file when it fits; never raises for a bad file."""
        if not agent.memory():
            return LoadOutcome('missing', f'agent {self.agent!r} keeps no long-term memory; '
                                          f'{self.path} is not used')
        return restore_agent_memory(self.path, agent, blocked, self.shaping(blocked))

    def save(self, agent, blocked: np.ndarray,
             metadata: Optional[Mapping[str, object]] = None) -> int:
        """Save ``agent``'s memory atomically; return the bytes written (0: nothing to keep).

        Raises :class:`~snan_nav.persistence.MemoryFileError` when the file cannot be written
        (the previous file is then intact).
        """
        if not agent.memory():
            return 0
        return save_agent_memory(self.path, agent, blocked, self.shaping(blocked),
                                 dict(metadata or {}))

    def reset(self) -> Optional[str]:
        """Move the file to ``<path>.reset`` (replacing an older one); return that name.

        Returns None when there was no file. Raises ``OSError`` when it cannot be moved.
        """
        if not os.path.exists(self.path):
            return None
        target = self.path + RESET_SUFFIX
        os.replace(self.path, target)
        fsync_directory(os.path.dirname(os.path.abspath(self.path)))
        return target

    # --- the bench's per-run hooks (snan_nav.bench.runner.run_job) ---------------------------
    def begin_run(self, agent, grid) -> LoadOutcome:
        """Load the file into the run's fresh agent before its first episode."""
        return self.load(agent, grid.blocked)

    def episode_done(self, agent, grid, episodes: int) -> int:
        """Save after an episode of the run (``episodes`` done so far in this run)."""
        return self.save(agent, grid.blocked, {'run_episodes': int(episodes)})


def loaded(outcome: LoadOutcome) -> bool:
    """Return True when ``outcome`` restored a memory."""
    return outcome.status == LOADED


__all__ = ['loaded', 'MemoryFileError', 'MemoryStore', 'RESET_SUFFIX', 'shaping_params',
           'STRUCTURAL_SNN']
