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
"""Save and restore an agent's long-term memory in one call each (for the nodes and the CLI).

The agent is anything with the :class:`snan_nav.agents.base.Agent` memory interface: ``name``,
``memory() -> dict of arrays`` and ``restore(dict)`` (which raises ``ValueError`` naming the
array that does not fit, before it changes anything). ``blocked`` is the planning grid's
``[my, mx]`` mask the agent's cell ids refer to; ``shaping_params`` the flat parameters that
shape its network (a file learned with other values is refused).
"""
from typing import Mapping, Optional

import numpy as np

from snan_nav.persistence.carry_over import carry_over, cells_to_keep
from snan_nav.persistence.memory_file import (DEFAULT_MAX_CHANGED_FRACTION, LOADED,
                                              load_memory, LoadOutcome, MemoryExpectation,
                                              refuse, save_memory)
from snan_nav.persistence.memory_format import DEFAULT_MAX_BYTES
from snan_nav.persistence.record import MemoryRecord, Scalar


def save_agent_memory(path: str, agent, blocked: np.ndarray,
                      shaping_params: Mapping[str, Scalar],
                      metadata: Optional[Mapping[str, Scalar]] = None) -> int:
    """Save ``agent.memory()`` to ``path`` atomically; return the file size in bytes.

    Raises :class:`~snan_nav.persistence.record.MemoryFileError` when the file cannot be
    written (the previous file is then intact) and ``ValueError`` for values that cannot be
    stored (object arrays, non-finite parameters).
    """
    record = MemoryRecord(agent.name, blocked, agent.memory(), shaping_params, metadata or {})
    return save_memory(path, record)


def restore_agent_memory(path: str, agent, blocked: np.ndarray,
                         shaping_params: Mapping[str, Scalar],
                         max_changed_fraction: float = DEFAULT_MAX_CHANGED_FRACTION,
                         max_bytes: int = DEFAULT_MAX_BYTES) -> LoadOutcome:
    """Load the memory at ``path`` into ``agent`` when it fits; never raises for a bad file.

    On a map that changed in a few cells the memory of the cells free in both maps is kept and
    the agent's own (fresh) rows are used elsewhere. A file that passes its checks but does
    not fit the agent (other array names or shapes) is refused and moved aside like any other
    refused file; the agent then keeps its fresh memory. Returns the :class:`LoadOutcome`.
    """
    outcome = load_memory(path, MemoryExpectation(agent.name, blocked, shaping_params,
                                                  max_changed_fraction), max_bytes)
    if outcome.status != LOADED:
        return outcome
    arrays = outcome.record.arrays
    try:
        if outcome.changed_cells.size:
            keep = cells_to_keep(outcome.record.blocked, blocked)
            arrays = agent.carry_over_memory(carry_over(arrays, agent.memory(), keep), keep)
        agent.restore({name: np.array(array, copy=True) for name, array in arrays.items()})
    except ValueError as exc:
        return refuse(path, f'memory file {path} does not fit agent {agent.name!r}: {exc}')
    return outcome
