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
"""The action race of the dense reference: the core's race semantics, every element every tick.

Same equations, order of operations and SplitMix64 noise draws as
:func:`snan_nav.core.race.race` (see its docstring for the model); what differs is that the
whole place population and every astrocyte are updated on every tick of the window (the core
touches the current place cell and its own astrocyte only, and decays the rest lazily).
"""
import math

import numpy as np

from snan_nav.core.rng import normal_pair
from snan_nav.core.state import NEVER

N_ACTIONS = 4
NO_ACTION = -1
#: Read-out spikes more than this many hops behind the earliest one are not delivered.
MAX_DELTA = 2


def int_power(x: float, n: int) -> float:
    """Return ``x ** n`` for an integer ``n >= 0`` as the core's compiled kernels compute it.

    numba raises a float to an integer power by repeated squaring up to ``n = 65536`` and with
    ``pow`` beyond; taking the same steps keeps the closed-form decays equal to the last bit.
    """
    if n > 0x10000:
        return math.pow(x, float(n))
    result = 1.0
    while n:
        if n & 1:
            result *= x
        n >>= 1
        x *= x
    return result


class PlaceAndGlia:
    """Dense fast state: every place membrane (C,) and every astrocyte's calcium (K,)."""

    def __init__(self, params, territory: np.ndarray):
        p = params
        self.params = p
        self.territory = territory
        self.n_territories = int(territory.max()) + 1
        self.place_v = np.full(territory.size, p.v_rest)
        self.ca = np.zeros(self.n_territories)
        self.active = np.zeros(self.n_territories, dtype=bool)  # took up calcium this episode
        self.action_v = np.full(N_ACTIONS, p.v_rest)
        self.decay_m = math.exp(-p.dt_ms / p.tau_m_ms)
        self.decay_ca = math.exp(-p.dt_ms / p.tau_ca_ms)
        self.ca_inc = p.ca_gain_ms / p.tau_ca_ms
        self._i_place = np.zeros(territory.size)

    def glio(self, cell: int) -> float:
        """Return the gliotransmitter ``G`` of the astrocyte of ``cell`` now."""
        p = self.params
        ca = self.ca[self.territory[cell]]
        return 1.0 / (1.0 + math.exp(-(ca - p.ca_threshold) / p.ca_slope))

    def quiet(self) -> np.ndarray:
        """Return a mask of the places whose astrocyte is quiet.

        Quiet: calcium below ``ca_threshold`` and no calcium uptake in this episode.
        """
        if self.params.astro_alpha <= 0.0:
            return np.ones(self.territory.size, dtype=bool)
        return ((self.ca < self.params.ca_threshold) & ~self.active)[self.territory]

    def new_episode(self) -> None:
        """Start an episode: no astrocyte has been active in it yet."""
        self.active[:] = False

    def idle(self, n_ticks: int) -> None:
        """Let ``n_ticks`` pass without input or noise (closed form for every element)."""
        if n_ticks <= 0:
            return
        p = self.params
        dm = int_power(self.decay_m, n_ticks)
        self.action_v = p.v_rest + (self.action_v - p.v_rest) * dm
        self.place_v = p.v_rest + (self.place_v - p.v_rest) * dm
        self.ca *= int_power(self.decay_ca, n_ticks)

    def race(self, cell: int, nbr: np.ndarray, value: np.ndarray, heading: int, rng,
             raster: np.ndarray, enclosed=(0, 0, 0, 0)) -> int:
        """Run one decision window at ``cell``; return the action (``NO_ACTION``: all blocked).

        ``value[a]``: first-spike latency (hops) of neighbour ``nbr[a]``; ``raster`` (T, 5)
        receives the spikes of the current place cell and of the 4 action neurons;
        ``heading``: the action the efference copy facilitates (-1: none); ``enclosed[a]``:
        familiar places next to ``nbr[a]`` when it is novel (0 otherwise), each changing its
        read-out weight by ``enclosure_bonus``.
        """
        p = self.params
        n_ticks = raster.shape[0]
        free = [int(j) >= 0 for j in nbr]
        best = min((int(value[a]) for a in range(N_ACTIONS) if free[a]), default=NEVER)
        arrival = [-1] * N_ACTIONS
        pulse = [0.0] * N_ACTIONS
        for a in range(N_ACTIONS):
            if not free[a]:
                continue
            if best == NEVER:
                delta = 0
            elif value[a] == NEVER or value[a] - best > MAX_DELTA:
                continue
            else:
                delta = int(value[a] - best)
            arrival[a] = delta * p.wave_delay_ticks
            pulse[a] = p.wave_weight * (1.0 - p.astro_alpha * self.glio(int(nbr[a])))
            if a == heading:
                pulse[a] += p.momentum
            if enclosed[a] and p.enclosure_bonus != 0.0:
                pulse[a] += p.enclosure_bonus * enclosed[a]
        i_place = self._i_place
        i_place[cell] = p.place_current
        v_inf_place = p.v_rest + i_place
        raster[:] = 0
        committed = NO_ACTION
        for k in range(n_ticks):
            self.place_v = v_inf_place + (self.place_v - v_inf_place) * self.decay_m
            spikes = self.place_v >= p.v_threshold
            self.ca *= self.decay_ca
            if spikes.any():
                self.place_v[spikes] = p.v_reset
                self.ca += self.ca_inc * np.bincount(self.territory, weights=spikes,
                                                     minlength=self.n_territories)
                self.active[self.territory[spikes]] = True
                raster[k, 0] = spikes[cell]
            drive = p.action_bias
            if committed == NO_ACTION:
                drive += p.action_urgency_per_ms * p.dt_ms * (k + 1)
            for a in range(0, N_ACTIONS, 2):
                z0, z1 = normal_pair(rng)
                for b, z in ((a, z0), (a + 1, z1)):
                    i_b = drive
                    if not free[b]:
                        i_b -= p.blocked_inhibition
                    v_inf = p.v_rest + i_b
                    self.action_v[b] = v_inf + (self.action_v[b] - v_inf) * self.decay_m \
                        + p.action_noise * z
                    if arrival[b] == k:
                        self.action_v[b] += pulse[b]
            committed = self._winner_takes_all(k, committed, raster)
        i_place[cell] = 0.0
        if committed != NO_ACTION:
            return committed
        for a in range(N_ACTIONS):
            if free[a] and (committed == NO_ACTION
                            or self.action_v[a] > self.action_v[committed]):
                committed = a
        return committed

    def _winner_takes_all(self, k: int, committed: int, raster: np.ndarray) -> int:
        """Hard WTA of tick ``k``: at most one action spike; return the committed action."""
        p = self.params
        v = self.action_v
        winner, top = NO_ACTION, p.v_threshold
        for a in range(N_ACTIONS):
            if v[a] >= top and (winner == NO_ACTION or v[a] > top):
                winner, top = a, v[a]
        if winner == NO_ACTION:
            return committed
        for a in range(N_ACTIONS):
            if a == winner:
                v[a] = p.v_reset
            else:
                v[a] -= p.lateral_inhibition
                if v[a] >= p.v_threshold:
                    v[a] = p.v_reset
        raster[k, 1 + winner] = 1
        return winner if committed == NO_ACTION else committed
