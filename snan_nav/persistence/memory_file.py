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
"""Save and load an agent's long-term memory: atomic saves, checked loads, quarantine.

Policy (what a caller such as the navigator or ``snan-nav bench --memory`` gets):

- :func:`save_memory` replaces the file atomically (:mod:`snan_nav.persistence.atomic`): after
  a crash at any moment the file is the previous complete save or the new one.
- :func:`load_memory` never raises for a bad file. A missing file is a fresh start. A file
  that is corrupt, truncated, too large, of another format version, another agent kind, another
  grid size, another map or other shaping parameters is refused with a message naming the
  problem, moved aside (:mod:`snan_nav.persistence.quarantine`) and the caller starts fresh.
- "Another map": maps of the same size whose blocked cells differ in more than
  ``max_changed_fraction`` (default 5 %) of the cells that are free in either map. Fewer
  changes are the same map that changed (a door closed, furniture moved): the load succeeds and
  reports the changed cells; :func:`snan_nav.persistence.carry_over.carry_over` then keeps the
  memory of the cells free in both maps. The fraction counts free cells, not all cells, so a
  narrow corridor map drawn on a large blocked canvas cannot lose most of its corridor unnoticed.
"""
from dataclasses import dataclass, field
import os
from typing import Mapping, Optional, Tuple

import numpy as np

from snan_nav.persistence.atomic import atomic_write, remove_stale_temps
from snan_nav.persistence.memory_format import DEFAULT_MAX_BYTES, read_memory, write_memory
from snan_nav.persistence.quarantine import quarantine
from snan_nav.persistence.record import (check_scalars, MemoryFileError, MemoryRecord, Scalar)

DEFAULT_MAX_CHANGED_FRACTION = 0.05
LOADED, MISSING, REFUSED = 'loaded', 'missing', 'refused'


def _no_cells() -> np.ndarray:
    cells = np.zeros(0, dtype=np.int64)
    cells.setflags(write=False)
    return cells


@dataclass(frozen=True, eq=False)
class MemoryExpectation:
    """What the running agent needs from a memory file.

    ``agent_kind``: ``Agent.name``. ``blocked``: the current planning grid's mask ``[my, mx]``
    (its shape is the cell indexing). ``shaping_params``: the run's network-shaping parameters
    (flat scalars; compared key by key). ``max_changed_fraction``: the share of the cells free in
    either map that may differ for the map to count as the same map that changed, in [0, 1].
    """

    agent_kind: str
    blocked: np.ndarray
    shaping_params: Mapping[str, Scalar] = field(default_factory=dict)
    max_changed_fraction: float = DEFAULT_MAX_CHANGED_FRACTION

    def __post_init__(self):
        if not isinstance(self.agent_kind, str) or not self.agent_kind:
            raise ValueError(f'agent_kind must be a non-empty string, got {self.agent_kind!r}')
        blocked = np.array(self.blocked, dtype=bool, order='C', copy=True)
        if blocked.ndim != 2 or blocked.size == 0:
            raise ValueError(f'blocked must be a non-empty 2-D mask, got shape {blocked.shape}')
        blocked.setflags(write=False)
        object.__setattr__(self, 'blocked', blocked)
        object.__setattr__(self, 'shaping_params',
                           check_scalars(self.shaping_params, 'shaping_params'))
        fraction = float(self.max_changed_fraction)
        if not 0.0 <= fraction <= 1.0:
            raise ValueError(f'max_changed_fraction must lie in [0, 1], got {fraction}')
        object.__setattr__(self, 'max_changed_fraction', fraction)


@dataclass(frozen=True, eq=False)
class LoadOutcome:
    """The result of :func:`load_memory`.

    ``status``: ``'loaded'``, ``'missing'`` (no file: fresh start) or ``'refused'`` (fresh
    start). ``record``: the memory when loaded, else None. ``message``: one line for the log.
    ``quarantined_to``: where a refused file was moved, or None. ``changed_cells``: sorted flat
    cell ids whose blocked state differs between the file's map and the current one (empty
    unless the map changed a little).
    """

    status: str
    message: str
    record: Optional[MemoryRecord] = None
    quarantined_to: Optional[str] = None
    changed_cells: np.ndarray = field(default_factory=_no_cells)

    @property
    def may_overwrite(self) -> bool:
        """Return True unless a refused file is still at the path (saving would destroy it)."""
        return self.status != REFUSED or self.quarantined_to is not None


def _same_value(a: Scalar, b: Scalar) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    return a == b


def _param_problems(stored: Mapping[str, Scalar], wanted: Mapping[str, Scalar]) -> list:
    problems = []
    for key in sorted(set(stored) | set(wanted)):
        if key not in stored:
            problems.append(f'shaping parameter {key} is absent in the file, {wanted[key]!r} '
                            'in this run')
        elif key not in wanted:
            problems.append(f'shaping parameter {key} is {stored[key]!r} in the file, absent '
                            'in this run')
        elif not _same_value(stored[key], wanted[key]):
            problems.append(f'shaping parameter {key} is {stored[key]!r} in the file, '
                            f'{wanted[key]!r} in this run')
    return problems


def compare_to_expectation(record: MemoryRecord,
                           expect: MemoryExpectation) -> Tuple[Optional[str], np.ndarray]:
    """Return ``(problem, changed_cells)``: why ``record`` cannot be used (None if it can).

    ``changed_cells`` are the flat ids of the cells whose blocked state differs (sorted int64).
    """
    if record.agent_kind != expect.agent_kind:
        return (f'it holds the memory of agent {record.agent_kind!r}, this run uses '
                f'{expect.agent_kind!r}'), _no_cells()
    if record.blocked.shape != expect.blocked.shape:
        return (f'its map is {record.width}x{record.height} cells, this run\'s map is '
                f'{expect.blocked.shape[1]}x{expect.blocked.shape[0]}'), _no_cells()
    problems = _param_problems(record.shaping_params, expect.shaping_params)
    if problems:
        return '; '.join(problems), _no_cells()
    changed = np.flatnonzero(record.blocked != expect.blocked).astype(np.int64)
    changed.setflags(write=False)
    free_either = int((~record.blocked | ~expect.blocked).sum())
    if changed.size and changed.size > expect.max_changed_fraction * free_either:
        share = 100.0 * changed.size / free_either
        return (f'it was learned on another map: {changed.size} of the {free_either} cells '
                f'free in either map differ ({share:.1f} % > '
                f'{100.0 * expect.max_changed_fraction:.1f} %)'), _no_cells()
    return None, changed


def refuse(path: str, problem: str, move_aside: bool = True) -> LoadOutcome:
    """Return the REFUSED outcome for ``path``, moving the file aside when ``move_aside``.

    Never raises: when the move fails the message says so (and ``may_overwrite`` is False).
    """
    if not move_aside:
        return LoadOutcome(REFUSED, f'{problem}; starting fresh (the file was left in place)')
    try:
        moved = quarantine(path)
    except OSError as exc:
        return LoadOutcome(REFUSED, f'{problem}; starting fresh, but the file could not be '
                                    f'moved aside ({exc.strerror or exc}) and must not be '
                                    'overwritten')
    return LoadOutcome(REFUSED, f'{problem}; moved aside to {moved}; starting fresh',
                       quarantined_to=moved)


def load_memory(path: str, expect: MemoryExpectation,
                max_bytes: int = DEFAULT_MAX_BYTES) -> LoadOutcome:
    """Load the memory file at ``path`` if it fits ``expect``; never raises for a bad file.

    Returns a :class:`LoadOutcome`. A refused file is moved to ``<path>.corrupt`` (or
    ``.corrupt.N``, never overwriting); files over ``max_bytes`` bytes are refused unread.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        return LoadOutcome(MISSING, f'no memory file at {path}; starting fresh')
    try:
        record = read_memory(path, max_bytes)
    except MemoryFileError as exc:
        return refuse(path, str(exc), exc.quarantine)
    problem, changed = compare_to_expectation(record, expect)
    if problem is not None:
        return refuse(path, f'memory file {path} refused: {problem}', True)
    message = (f'loaded memory of agent {record.agent_kind!r} from {path} '
               f'({record.width}x{record.height} cells, {len(record.arrays)} arrays)')
    if changed.size:
        message += (f'; the map changed in {changed.size} cells: their memory is reset, the '
                    'rest is kept')
    return LoadOutcome(LOADED, message, record, changed_cells=changed)


def save_memory(path: str, record: MemoryRecord) -> int:
    """Write ``record`` to ``path`` atomically and durably; return the file size in bytes.

    Temp files left next to ``path`` by writers that were killed are removed first. Raises
    :class:`MemoryFileError` (``quarantine`` False) when the file cannot be written; the
    previous file at ``path`` is then untouched.
    """
    path = os.fspath(path)
    if not isinstance(record, MemoryRecord):
        raise TypeError(f'record must be a MemoryRecord, got {type(record).__name__}')
    written = []
    try:
        remove_stale_temps(path)
        atomic_write(path, lambda stream: written.append(write_memory(stream, record)))
    except OSError as exc:
        raise MemoryFileError(f'cannot save memory to {path}: {exc.strerror or exc}',
                              quarantine=False) from None
    return written[0]
