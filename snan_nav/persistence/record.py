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
"""The long-term memory of one agent on one map, as an immutable record.

A :class:`MemoryRecord` holds what :meth:`snan_nav.agents.base.Agent.memory` returns (named
NumPy arrays; cell-indexed arrays have the flat cell id ``my * width + mx`` as their first axis)
plus what is needed to reuse it safely: the agent kind, the blocked mask of the planning grid
the cell ids refer to (its shape gives the cell indexing), the parameters that shape the network
and free metadata. The file format is in :mod:`snan_nav.persistence.memory_format`.
"""
from dataclasses import dataclass, field
import hashlib
import math
from types import MappingProxyType
from typing import Mapping, Union

import numpy as np

#: Version of the on-disk layout; a reader refuses files of any other version.
FORMAT_VERSION = 1
#: Array element types a memory file may hold, by NumPy little-endian type string. Object,
#: string and structured types are refused: they cannot be stored without pickle.
ALLOWED_DTYPES = frozenset(
    ['|b1', '|i1', '|u1', '<i2', '<u2', '<i4', '<u4', '<i8', '<u8', '<f2', '<f4', '<f8'])
MAX_NAME_CHARS = 200
MAX_ARRAY_DIMS = 32

Scalar = Union[None, bool, int, float, str]


class MemoryFileError(Exception):
    """A memory file that cannot be used; the message names the file and the problem.

    ``quarantine`` is True when the file's content is at fault (corrupt, truncated, foreign),
    so the file should be moved aside; False when it could not be read at all (permissions,
    not a regular file), so moving it would not help.
    """

    def __init__(self, message: str, quarantine: bool = True):
        super().__init__(message)
        self.quarantine = quarantine


def map_fingerprint(blocked: np.ndarray) -> str:
    """Return the SHA-256 hex digest of a blocked mask's width, height and cells.

    ``blocked`` is a 2-D boolean array ``[my, mx]``; two maps have the same fingerprint exactly
    when they have the same size and the same blocked cells.
    """
    mask = np.ascontiguousarray(blocked, dtype=bool)
    if mask.ndim != 2:
        raise ValueError(f'blocked must be a 2-D array, got shape {mask.shape}')
    height, width = mask.shape
    digest = hashlib.sha256(b'snan_nav map v1\0')
    digest.update(int(width).to_bytes(8, 'little') + int(height).to_bytes(8, 'little'))
    digest.update(np.packbits(mask.ravel()).tobytes())
    return digest.hexdigest()


def check_scalars(values: Mapping[str, Scalar], what: str) -> Mapping[str, Scalar]:
    """Return a read-only copy of a flat dict of JSON scalars, or raise ``ValueError``.

    Keys are non-empty strings; values are None, bool, int, finite float or str.
    """
    if not isinstance(values, Mapping):
        raise ValueError(f'{what} must be a mapping of names to scalars, got '
                         f'{type(values).__name__}')
    out = {}
    for key, value in values.items():
        if not isinstance(key, str) or not key or len(key) > MAX_NAME_CHARS:
            raise ValueError(f'{what}: keys must be strings of 1..{MAX_NAME_CHARS} characters, '
                             f'got {key!r}')
        if isinstance(value, (np.bool_, np.integer, np.floating)):
            value = value.item()  # NumPy scalars from parameter records are plain values
        if value is not None and not isinstance(value, (bool, int, float, str)):
            raise ValueError(f'{what}: {key} must be None, a bool, a number or a string, got '
                             f'{type(value).__name__}')
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f'{what}: {key} must be finite, got {value}')
        out[key] = value
    return MappingProxyType(out)


def check_array(name: str, array: np.ndarray) -> np.ndarray:
    """Return a read-only little-endian C-ordered copy of ``array``, or raise ``ValueError``."""
    if not isinstance(name, str) or not name or len(name) > MAX_NAME_CHARS:
        raise ValueError(f'array names must be strings of 1..{MAX_NAME_CHARS} characters, '
                         f'got {name!r}')
    if not isinstance(array, np.ndarray):
        raise ValueError(f'array {name!r} must be a NumPy array, got {type(array).__name__}')
    little = array.dtype.newbyteorder('<') if array.dtype.byteorder == '>' else array.dtype
    if little.str not in ALLOWED_DTYPES:
        raise ValueError(f'array {name!r} has dtype {array.dtype}; allowed: bool, (u)int8..64, '
                         'float16..64')
    if array.ndim > MAX_ARRAY_DIMS:
        raise ValueError(f'array {name!r} has {array.ndim} dimensions, above {MAX_ARRAY_DIMS}')
    copy = np.array(array, dtype=little, order='C', copy=True)
    copy.setflags(write=False)
    return copy


@dataclass(frozen=True, eq=False)
class MemoryRecord:
    """One agent's long-term memory and what is needed to reuse it.

    ``agent_kind``: the agent's name (``Agent.name``). ``blocked``: boolean ``(height, width)``
    mask ``[my, mx]`` of the planning grid the cell ids refer to. ``arrays``: the named arrays
    of ``Agent.memory()``. ``shaping_params``: the parameters that shape the network (flat
    dict of scalars; a file whose values differ is refused). ``metadata``: free scalars chosen
    by the caller (episodes done, created-at, ...). All fields are stored as read-only copies.
    """

    agent_kind: str
    blocked: np.ndarray
    arrays: Mapping[str, np.ndarray]
    shaping_params: Mapping[str, Scalar] = field(default_factory=dict)
    metadata: Mapping[str, Scalar] = field(default_factory=dict)

    def __post_init__(self):
        if (not isinstance(self.agent_kind, str) or not self.agent_kind
                or len(self.agent_kind) > MAX_NAME_CHARS):
            raise ValueError(f'agent_kind must be a string of 1..{MAX_NAME_CHARS} characters, '
                             f'got {self.agent_kind!r}')
        blocked = np.array(self.blocked, dtype=bool, order='C', copy=True)
        if blocked.ndim != 2 or blocked.size == 0:
            raise ValueError(f'blocked must be a non-empty 2-D mask, got shape {blocked.shape}')
        blocked.setflags(write=False)
        if not isinstance(self.arrays, Mapping):
            raise ValueError(f'arrays must be a mapping of names to arrays, got '
                             f'{type(self.arrays).__name__}')
        arrays = {name: check_array(name, array) for name, array in self.arrays.items()}
        object.__setattr__(self, 'blocked', blocked)
        object.__setattr__(self, 'arrays', MappingProxyType(arrays))
        object.__setattr__(self, 'shaping_params',
                           check_scalars(self.shaping_params, 'shaping_params'))
        object.__setattr__(self, 'metadata', check_scalars(self.metadata, 'metadata'))

    @property
    def width(self) -> int:
        """Return the number of columns of the planning grid (the mx range)."""
        return int(self.blocked.shape[1])

    @property
    def height(self) -> int:
        """Return the number of rows of the planning grid (the my range)."""
        return int(self.blocked.shape[0])

    @property
    def n_cells(self) -> int:
        """Return the number of cells (the length of a cell-indexed array's first axis)."""
        return self.width * self.height

    @property
    def map_fingerprint(self) -> str:
        """Return :func:`map_fingerprint` of :attr:`blocked`."""
        return map_fingerprint(self.blocked)
