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
"""The SNAN's map synapses on the emulated array: what the agent calls.

The network keeps its map weights in ``state.w_map``; on the crossbar that array holds the
*realised* weights (device variation, quantisation, read noise), so the goal wave, the
curiosity search and STDP itself read what the devices hold. The agent (see
:class:`~snan_nav.agents.snan.SNANAgent`) calls:

- :meth:`CrossbarSynapses.attach` once: the devices take the network's weights, and
  ``w_map`` receives their realised values; :meth:`program` again after a memory restore;
- around every learning step (the only kernel step that writes map synapses):
  :meth:`rows_touched` before, :meth:`realise` after. Every synapse the kernel changed is
  programmed with SET/RESET pulses (VTEAM) and replaced by its realised weight;
- :meth:`timed` to wrap its kernels (the CPU baseline's clock); :meth:`usage` and
  :meth:`energy_report` to read the run's energy.

When a realised synapse carries the wave differently than the value the kernel wrote (a
device realised below threshold), the kernel has already lowered wave latencies through it:
the wave is marked dirty (as the network does for a lost synapse), the frontier count is
recomputed, and the wave is rerun at once. The events of that rerun are an artefact of
emulating the array after the kernel, not work of the chip: they are counted separately and
left out of the ledger (:attr:`excluded`). The latencies lowered before the correction stay in
the ledger (an over-count, so the reported energy errs high).
"""
from typing import Dict, Optional

import numpy as np

from snan_nav.core.network import plan_kernel
from snan_nav.core.params import P_MAP_TH
from snan_nav.core.state import (COUNTER_NAMES, F_N_FRONTIER, F_PLAN_KIND, F_WAVE_DIRTY,
                                 N_ACTIONS, N_COUNTERS, PLAN_NONE)
from snan_nav.crossbar.array import CrossbarParams, MapArray
from snan_nav.crossbar.cpu import core_power, KernelClock
from snan_nav.crossbar.energy import EnergyParams
from snan_nav.crossbar.ledger import Usage
from snan_nav.crossbar.summary import per_decision, run_totals
from snan_nav.crossbar.vteam import VteamParams


class CrossbarSynapses:
    """The ``n_places x 4`` map synapses of one SNAN on a VTEAM array, with its energy."""

    def __init__(self, n_places: int, params: Optional[CrossbarParams] = None,
                 device: Optional[VteamParams] = None, energy: Optional[EnergyParams] = None,
                 seed: int = 0):
        """Build the array (every device OFF) for ``n_places`` place cells."""
        self.array = MapArray(n_places, N_ACTIONS, params, device, seed)
        self.energy = energy if energy is not None else EnergyParams()
        self.n_places = int(n_places)
        self.clock = KernelClock()
        self.w_scale = 1.0
        self.threshold = 1.0
        self.realised = np.zeros(self.array.shape)
        self.excluded = np.zeros(N_COUNTERS, dtype=np.int64)
        self.reruns = 0
        self._no_route = np.empty(0, dtype=np.int32)

    def attach(self, state, params) -> None:
        """Map the network's weights onto the devices; ``map_w_max`` is the full ON weight.

        The mapping is fixed here, as on a chip: a later live change of ``map_w_max`` changes
        what STDP writes, not what an ON device realises.
        """
        if state.w_map.shape != self.array.shape:
            raise ValueError(f'the network has {state.w_map.shape[0]} place cells, the array '
                             f'{self.n_places} rows')
        self.w_scale = float(params.map_w_max)
        self.threshold = float(params.v_threshold)
        self.program(state)

    def program(self, state) -> None:
        """Load ``state.w_map`` onto the devices off-line and write back the realised weights.

        No energy is charged (an initial load). The caller rebuilds what depends on which
        synapses carry the wave (the agent's restore does).
        """
        realised = self.array.load(state.w_map, self.w_scale)
        state.w_map[...] = realised
        self.realised = realised.copy()

    def timed(self, kernel):
        """Return ``kernel`` wrapped so its CPU time counts toward the CPU baseline."""
        return self.clock.timed(kernel)

    @staticmethod
    def rows_touched(state, cell: int, neighbours) -> np.ndarray:
        """Rows whose synapses learning at ``cell`` may write: it, its observed and old targets."""
        rows = [int(cell)] + [int(j) for j in neighbours if j >= 0]
        rows += [int(j) for j in state.map_nbr[cell] if j >= 0]
        return np.unique(np.asarray(rows, dtype=np.int64))

    def realise(self, state, packed: np.ndarray, rows: np.ndarray, here: int) -> int:
        """Program the synapses of ``rows`` the kernel changed; return how many were written.

        ``here`` is the place the robot stands on (where the wave is rerun if a realised
        synapse contradicts the kernel's value).
        """
        threshold = self.threshold = float(packed[P_MAP_TH])
        changed = np.argwhere(state.w_map[rows] != self.realised[rows])
        mismatch = False
        for k, a in changed:
            row = int(rows[k])
            nominal = float(state.w_map[row, a])
            w = self.array.write(row, int(a), nominal, self.w_scale)
            state.w_map[row, a] = w
            self.realised[row, a] = w
            mismatch = mismatch or ((nominal >= threshold) != (w >= threshold))
        if mismatch:
            self._correct_wave(state, packed, threshold, here)
        return len(changed)

    def _correct_wave(self, state, packed, threshold, here) -> None:
        carries = (state.map_nbr >= 0) & (state.w_map >= threshold)
        known = np.any(carries, axis=1)
        state.flags[F_N_FRONTIER] = int(np.count_nonzero(known & (state.familiar == 0)))
        state.flags[F_WAVE_DIRTY] = 1
        state.flags[F_PLAN_KIND] = PLAN_NONE
        before = state.counters.copy()
        plan_kernel(int(here), state, packed, self._no_route)
        self.excluded += state.counters - before
        self.reruns += 1

    def usage(self, counts: Dict[str, int]) -> Usage:
        """Return the chip's usage so far for the agent's cumulative event ``counts``."""
        excluded = dict(zip(COUNTER_NAMES, self.excluded.tolist()))
        net = {name: int(counts.get(name, 0)) - excluded[name] for name in COUNTER_NAMES}
        e_on, e_off = self.array.read_energies()
        return Usage(net, self.array.pulse_energy_j, self.array.n_pulses,
                     self.array.pulse_time_s, e_on, e_off, self.clock.seconds)

    def totals(self, counts: Dict[str, int]) -> dict:
        """Return the additive energy totals of the run so far (for pooling over runs)."""
        return run_totals(self.usage(counts), self.energy, self.n_places,
                          core_power(self.energy))

    def energy_report(self, counts: Dict[str, int]) -> Dict[str, object]:
        """Energy per decision on both chip styles, the baselines, area and device facts.

        Keys of :func:`~snan_nav.crossbar.summary.per_decision`, plus ``n_pulses``, ``n_on``
        (devices ON), ``n_failed`` (ON devices realised below the network's threshold at the
        last write) and ``realisation_reruns``; :meth:`totals` gives what pools over runs.
        """
        out = per_decision(self.totals(counts))
        on = self.array.level > 0.0
        out.update({'n_pulses': int(self.array.n_pulses),
                    'n_on': int(np.count_nonzero(on)),
                    'n_failed': int(np.count_nonzero(on & (self.realised < self.threshold))),
                    'realisation_reruns': int(self.reruns)})
        return out

    def conductance_snapshot(self) -> np.ndarray:
        """Copy of the device conductances (n_places, 4) in S, for plots."""
        return self.array.true_conductance().copy()
