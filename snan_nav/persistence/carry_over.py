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
"""Reuse a memory learned on a map that has since changed in a few cells.

Cell-indexed arrays (first axis = number of cells, the convention of
:meth:`snan_nav.agents.base.Agent.memory`) keep the rows of the cells that are free in both
the old and the new map and take a fresh agent's rows everywhere else (a cell that became free
has nothing learned; a cell that became blocked must not steer the agent). Arrays that are not
cell-indexed are kept whole: either they are not tied to the map, or they are lists whose
length varies (a stack of cells, the moves tried so far), which the agent itself brings in
line with the new map (:meth:`snan_nav.agents.base.Agent.carry_over_memory`).
"""
from typing import Dict, Mapping

import numpy as np


def cells_to_keep(old_blocked: np.ndarray, new_blocked: np.ndarray) -> np.ndarray:
    """Return a boolean mask over flat cell ids: True where the cell is free in both maps.

    Both masks are ``[my, mx]`` of the same shape; the result has shape ``(height * width,)``.
    """
    old = np.asarray(old_blocked, dtype=bool)
    new = np.asarray(new_blocked, dtype=bool)
    if old.shape != new.shape or old.ndim != 2:
        raise ValueError(f'the two maps must be 2-D masks of one shape, got {old.shape} and '
                         f'{new.shape}')
    return (~old & ~new).ravel()


def carry_over(old_arrays: Mapping[str, np.ndarray], fresh_arrays: Mapping[str, np.ndarray],
               keep_cells: np.ndarray) -> Dict[str, np.ndarray]:
    """Merge a stored memory into a fresh agent's memory of the changed map.

    ``keep_cells`` is the boolean mask of :func:`cells_to_keep` (its length is the cell count).
    For each array name (both memories must have the same names, dtypes and shapes, except
    that 1-D lists may differ in length): a cell-indexed array takes ``old`` rows where
    ``keep_cells`` is True and ``fresh`` rows elsewhere; any other array is taken from
    ``old``. Returns new writable arrays; raises ``ValueError`` naming the array when the two
    memories do not match.
    """
    keep = np.asarray(keep_cells)
    if keep.dtype != bool or keep.ndim != 1:
        raise ValueError(f'keep_cells must be a 1-D boolean mask over cells, got dtype '
                         f'{keep.dtype} and shape {keep.shape}')
    if set(old_arrays) != set(fresh_arrays):
        missing = sorted(set(fresh_arrays) - set(old_arrays))
        extra = sorted(set(old_arrays) - set(fresh_arrays))
        raise ValueError(f'the stored memory does not match the agent: missing arrays '
                         f'{missing}, unexpected arrays {extra}')
    n_cells = keep.shape[0]
    merged = {}
    for name, fresh in fresh_arrays.items():
        old = np.asarray(old_arrays[name])
        fresh = np.asarray(fresh)
        is_list = (old.ndim == 1 and fresh.ndim == 1
                   and n_cells not in (old.shape[0], fresh.shape[0]))
        if (old.shape != fresh.shape and not is_list) or old.dtype != fresh.dtype:
            raise ValueError(f'array {name!r}: stored {old.dtype}{list(old.shape)} does not '
                             f'match the agent\'s {fresh.dtype}{list(fresh.shape)}')
        if fresh.ndim >= 1 and fresh.shape[0] == n_cells:
            out = np.array(fresh, copy=True)
            out[keep] = old[keep]
        else:
            out = np.array(old, copy=True)
        merged[name] = out
    return merged
