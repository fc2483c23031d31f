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
"""The seed write-up's formulation applied to the SNAN: one all-to-all place-to-place matrix.

The seed write-up (a ``SpikingNeuronAstrocyteNetwork`` of ``cells + 4`` LIF neurons) keeps its
recurrent synapses in one dense ``N x N`` weight matrix and multiplies the whole matrix with
the spike trace on every tick. Its network is not the SNAN any more (no map synapses, no waves,
no goal memory), so the only faithful comparison is its *form* applied to today's network:
:class:`SeedFormReference` is :class:`benchmarks.reference.DenseReference` with the
place-to-place synapses in a dense all-to-all ``C x C`` float32 matrix (PyTorch's default
dtype, as in the write-up), every entry of which, zeros included, is read on each delivery.
It takes the same decisions as the reference (checked by the tests); only the cost differs.

A lower bound of the write-up's cost: it also ran STDP over the whole matrix on every tick,
which this form does not (plasticity touches only the synapses an observation pairs). The
matrix needs ``4 C^2`` bytes, so large grids are skipped (:func:`fits_in_memory`).
"""
import os

import numpy as np

from benchmarks.reference import DenseReference
from benchmarks.reference_waves import DenseWaves


class AllToAllWaves(DenseWaves):
    """:class:`DenseWaves` with a dense ``C x C`` float32 matrix ``W[post, pre]``."""

    def spike_dtype(self):
        """Spike vectors in float32, the matrix's dtype."""
        return np.float32

    def set_synapses(self, pre: np.ndarray, post: np.ndarray, weight: np.ndarray) -> None:
        """Write the synapses into the all-to-all matrix (every other entry is 0)."""
        if self.matrix is None:
            self.matrix = np.zeros((self.n, self.n), dtype=np.float32)
        else:
            self.matrix[self._written] = 0.0  # only the entries written last time
        self.matrix[post, pre] = weight
        self._written = (post.copy(), pre.copy())


class SeedFormReference(DenseReference):
    """The dense reference in the seed write-up's all-to-all form (cost O(C^2) a delivery)."""

    waves_class = AllToAllWaves


def matrix_bytes(n_cells: int) -> int:
    """Return the bytes of the all-to-all float32 matrix for ``n_cells`` places."""
    return 4 * int(n_cells) ** 2


def fits_in_memory(n_cells: int, available_bytes: int) -> bool:
    """Return True when the matrix fits in a quarter of the available memory."""
    return matrix_bytes(n_cells) < 0.25 * available_bytes


def available_memory_bytes() -> int:
    """Return MemAvailable from /proc/meminfo, or the physical memory as a fallback."""
    try:
        with open('/proc/meminfo') as f:
            for line in f:
                if line.startswith('MemAvailable:'):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES'))
