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
"""Checks shared by the agents' :meth:`~snan_nav.agents.base.Agent.restore` implementations.

A restored memory feeds numba kernels that do not check bounds, so names, shapes, dtypes and
index ranges are all verified before anything is copied (a rejected memory changes nothing).
"""
from typing import Dict, Mapping, Optional, Tuple

import numpy as np

#: name -> (shape, dtype); a shape entry of None accepts any length on that axis.
Layout = Mapping[str, Tuple[Tuple[Optional[int], ...], type]]


def checked_memory(agent: str, memory: Mapping[str, np.ndarray],
                   layout: Layout) -> Dict[str, np.ndarray]:
    """Return copies of the arrays of ``memory`` after checking them against ``layout``.

    Raises ``ValueError`` naming the agent and the array whose name, shape or dtype differs.
    """
    if not isinstance(memory, Mapping):
        raise ValueError(f'agent {agent!r}: a memory is a mapping of named arrays, got '
                         f'{type(memory).__name__}')
    missing = sorted(set(layout) - set(memory))
    extra = sorted(set(memory) - set(layout))
    if missing or extra:
        raise ValueError(f'agent {agent!r}: memory arrays must be {sorted(layout)}; '
                         f'missing {missing}, unexpected {extra}')
    out = {}
    for name, (shape, dtype) in layout.items():
        array = memory[name]
        if not isinstance(array, np.ndarray):
            raise ValueError(f'agent {agent!r}: memory array {name!r} must be a NumPy array, '
                             f'got {type(array).__name__}')
        fits = array.ndim == len(shape) and all(
            want is None or want == got for want, got in zip(shape, array.shape))
        if not fits:
            raise ValueError(f'agent {agent!r}: memory array {name!r} has shape {array.shape}, '
                             f'expected {tuple("any" if s is None else s for s in shape)}')
        if array.dtype != np.dtype(dtype):
            raise ValueError(f'agent {agent!r}: memory array {name!r} has dtype {array.dtype}, '
                             f'expected {np.dtype(dtype)}')
        out[name] = np.array(array, dtype=dtype, order='C', copy=True)
    return out


def check_range(agent: str, name: str, array: np.ndarray, lo: int, hi: int) -> None:
    """Raise ``ValueError`` unless every entry of ``array`` lies in ``[lo, hi]``."""
    if array.size and (array.min() < lo or array.max() > hi):
        raise ValueError(f'agent {agent!r}: memory array {name!r} has entries outside '
                         f'[{lo}, {hi}]')


def check_finite(agent: str, name: str, array: np.ndarray) -> None:
    """Raise ``ValueError`` when ``array`` holds NaN or infinite values."""
    if not np.isfinite(array).all():
        raise ValueError(f'agent {agent!r}: memory array {name!r} has non-finite values')
