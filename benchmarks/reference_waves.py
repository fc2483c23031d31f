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
"""Clock-driven spike waves over the place population, as a general SNN simulator runs them.

Every place cell is a LIF neuron updated on every tick (``tau_m dV/dt = -(V - V_rest)``, exact
step, spike at ``V >= V_th``, reset to ``V_reset``, then refractory for the rest of the sweep).
Place-to-place synapses form one matrix ``W`` (``W[post, pre]``, scipy.sparse CSR by default);
a spike emitted at tick ``t`` is delivered at tick ``t + wave_delay_ticks`` to every
postsynaptic place by ``V += W @ s`` (the spike vector of tick ``t`` waits in a ring buffer of
``wave_delay_ticks`` slots). Sources (goal places, curiosity sources) are driven above
threshold by external input at their onset tick. A place's first-spike latency in hops is
its first spike tick divided by ``wave_delay_ticks``.

scipy.sparse is chosen for ``W`` because it is what a NumPy simulator of a sparse network
uses: the delivery is one library matrix-vector product whose cost grows with the number of
synapses, with no per-synapse Python code. :mod:`benchmarks.seed_form` swaps in a dense
all-to-all matrix.
"""
import math

import numpy as np
import scipy.sparse

from snan_nav.core.state import NEVER


class Sweep:
    """What one sweep found: first-spike tick of each target (``NEVER``: none) and its cost."""

    __slots__ = ('fired_tick', 'ticks')

    def __init__(self, fired_tick, ticks):
        self.fired_tick = fired_tick
        self.ticks = ticks


class DenseWaves:
    """The place population and its synaptic matrix for ``n_cells`` places (float64 LIF)."""

    def __init__(self, n_cells: int, params):
        p = params
        self.n = int(n_cells)
        self.delay = int(p.wave_delay_ticks)
        self.v_rest, self.v_reset, self.v_th = p.v_rest, p.v_reset, p.v_threshold
        self.decay = math.exp(-p.dt_ms / p.tau_m_ms)
        self.matrix = None
        self._v = np.empty(self.n)
        self._ready = np.empty(self.n, dtype=bool)
        self._fire = np.empty(self.n, dtype=bool)
        self._ring = np.zeros((self.delay, self.n), dtype=self.spike_dtype())

    def spike_dtype(self):
        """Dtype of the spike vectors multiplied by the matrix."""
        return np.float64

    def set_synapses(self, pre: np.ndarray, post: np.ndarray, weight: np.ndarray) -> None:
        """Replace ``W`` by the synapses ``pre[k] -> post[k]`` of weight ``weight[k]``."""
        keep = weight != 0.0
        self.matrix = scipy.sparse.csr_matrix(
            (weight[keep], (post[keep], pre[keep])), shape=(self.n, self.n))

    def sweep(self, groups, targets: np.ndarray, first_only: bool, last_tick: int) -> Sweep:
        """Run one wave tick by tick from fresh membranes; return the targets' first spikes.

        ``groups``: ``(tick, cells)`` pairs in increasing tick order, the sources driven above
        threshold at that tick. ``targets``: place ids (-1: none). The sweep stops when every
        target has fired (``first_only`` False) or at the end of the first tick on which any
        target fires (``first_only`` True), when the wave has died out (no spike in flight,
        no source left) or after ``last_tick``.
        """
        v, ready, fire, ring = self._v, self._ready, self._fire, self._ring
        v.fill(self.v_rest)
        ready.fill(True)
        in_flight = [0] * self.delay
        want = [k for k, c in enumerate(targets) if c >= 0]
        n_targets = len(want)
        fired_tick = np.full(len(targets), NEVER, dtype=np.int64)
        g, t = 0, 0
        while t <= last_tick:
            slot = t % self.delay
            v -= self.v_rest  # every neuron leaks every tick
            v *= self.decay
            v += self.v_rest
            if in_flight[slot]:  # the spikes of tick t - delay arrive
                v += self.matrix @ ring[slot]
            while g < len(groups) and groups[g][0] == t:
                cells = groups[g][1]
                v[cells] = np.maximum(v[cells], self.v_th)
                g += 1
            np.greater_equal(v, self.v_th, out=fire)
            fire &= ready
            k = int(np.count_nonzero(fire))
            in_flight[slot] = k
            ring[slot] = fire
            if k:
                v[fire] = self.v_reset
                ready &= ~fire
                for a in list(want):
                    if fire[targets[a]]:
                        fired_tick[a] = t
                        want.remove(a)
            t += 1
            if not want or (first_only and len(want) < n_targets):
                break
            if g == len(groups) and not any(in_flight):
                break
        return Sweep(fired_tick, t)
