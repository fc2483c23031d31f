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
"""A small counter-based random source for the kernels (SplitMix64).

Why not ``np.random`` inside numba: its state is global to the process, so two agents in one
process would interleave their draws. SplitMix64 (Steele, Lea and Flood, OOPSLA 2014) keeps
the whole state in one ``uint64`` that lives in the network state, so a seed fixes the
trajectory of one agent whatever else runs.
"""
import math

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0  # 2**-53


@njit(cache=True)
def next_u64(rng):
    """Advance ``rng[0]`` (uint64) and return the next 64-bit output."""
    rng[0] += _GOLDEN
    z = rng[0]
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True)
def uniform(rng):
    """Return a float in (0, 1) (never exactly 0, so ``log`` is safe)."""
    return (float(next_u64(rng) >> _S11) + 0.5) * _INV53


@njit(cache=True)
def normal_pair(rng):
    """Return two independent standard normal draws (Box-Muller)."""
    r = math.sqrt(-2.0 * math.log(uniform(rng)))
    phi = 2.0 * math.pi * uniform(rng)
    return r * math.cos(phi), r * math.sin(phi)


def seeded(seed: int) -> np.ndarray:
    """Return a fresh generator state for an integer seed (any Python int)."""
    mixed = np.random.SeedSequence(int(seed) & ((1 << 128) - 1)).generate_state(1, np.uint64)
    return np.array(mixed, dtype=np.uint64)
