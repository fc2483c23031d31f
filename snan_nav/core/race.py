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
"""The action race: four LIF action neurons read the wave out; the first spike is the move.

For each free neighbour ``n_a`` the race gets the first-spike latency of ``n_a`` (``value[a]``,
in hops, from the goal or the curiosity wave). Relative to the earliest neighbour,
``delta_a = value[a] - min value`` hops, the neighbour's spike reaches action neuron ``a`` at
tick ``1 + delta_a * wave_delay_ticks`` of the decision window through a synapse of weight
``wave_weight (1 - alpha G)``, where ``G`` is the gliotransmitter of the astrocyte of ``n_a``:
a place visited a moment ago drives its action more weakly (fast memory). Each tick the place
cell of the current cell integrates ``place_current`` (LIF; its spikes feed its astrocyte's
calcium), and the action neurons integrate

    I_a = action_bias + urgency ramp (until the first action spike) - blocked_inhibition [blocked]

plus Gaussian membrane noise; while the robot explores (no goal wave reaches any neighbour),
the read-out synapse of the last move is facilitated by ``momentum`` (an efference copy: among
equally near unexplored places the robot keeps its heading, so it sweeps an open area in long
lanes instead of leaving holes it must walk back to; with a goal wave the wave decides). Hard
winner-take-all: at most one action spike per tick (the most depolarised supra-threshold
neuron), the others lose ``lateral_inhibition``. With the default
weights even a fully suppressed read-out synapse is suprathreshold, so the wave order decides
and the astrocytes, the efference copy (momentum) and the noise break its ties, in that order
of strength. Neighbours the waves do not reach get no read-out spike; when none is reached at
all, every free neighbour gets one at tick 1 (nothing is known: the fast memory decides).
"""
import math

from numba import njit

from snan_nav.core.astrocyte import calcium_at, calcium_spike, gliotransmitter
from snan_nav.core.lif import lif_relax, lif_step
from snan_nav.core.params import (
    P_ALPHA, P_BIAS, P_CA_GAIN, P_CA_SLOPE, P_CA_TH, P_DT, P_ENCLOSURE, P_I_BLOCK, P_I_PLACE,
    P_MOMENTUM,
    P_NOISE, P_TAU_CA, P_TAU_M, P_URGENCY, P_V_RESET, P_V_REST, P_V_TH, P_W_INH,
    P_WAVE_DELAY, P_WAVE_W)
from snan_nav.core.rng import normal_pair
from snan_nav.core.state import (
    C_ACTION_SPIKES, C_CA_READS, C_CA_UPDATES, C_PLACE_SPIKES, C_RACE_TICKS, C_READOUT_SPIKES,
    C_TICK, F_LAST_ACTION, N_ACTIONS, NEVER)

NO_ACTION = -1
#: Read-out spikes more than this many hops behind the earliest one are not delivered.
MAX_DELTA = 2


@njit(cache=True)
def _familiar_around(s, p, j):
    """Count the familiar places a map synapse from ``j`` reaches (0..4)."""
    n = 0
    for b in range(N_ACTIONS):
        k = s.map_nbr[j, b]
        if k >= 0 and s.w_map[j, b] >= p[P_V_TH] and s.familiar[k] != 0:
            n += 1
    return n


@njit(cache=True)
def race(cell, nbr, value, s, p):
    """Run one decision window at ``cell``; return the winning action or ``NO_ACTION``.

    ``value[a]`` (int64) is the wave latency of neighbour ``nbr[a]`` in hops (``NEVER``:
    unreached). Returns the first action neuron to win the WTA; if none spiked, the most
    depolarised unblocked one; ``NO_ACTION`` when all four moves are blocked.
    """
    dt = p[P_DT]
    n_ticks = s.raster.shape[0]
    decay_m = math.exp(-dt / p[P_TAU_M])
    decay_ca = math.exp(-dt / p[P_TAU_CA])
    v_rest, v_reset, v_th = p[P_V_REST], p[P_V_RESET], p[P_V_TH]
    ca_inc = p[P_CA_GAIN] / p[P_TAU_CA]
    t0 = s.counters[C_TICK]

    best_value = NEVER
    for a in range(N_ACTIONS):
        if nbr[a] >= 0 and value[a] < best_value:
            best_value = value[a]
    # The efference copy steers exploration only: with a goal wave the wave decides.
    exploring = True
    for a in range(N_ACTIONS):
        if nbr[a] >= 0 and s.wave_t[nbr[a]] < NEVER:
            exploring = False
    arrival_tick = [-1, -1, -1, -1]
    pulse = [0.0, 0.0, 0.0, 0.0]
    delay = int(p[P_WAVE_DELAY])
    for a in range(N_ACTIONS):
        j = nbr[a]
        if j < 0:
            continue
        if best_value == NEVER:
            delta = 0
        elif value[a] == NEVER or value[a] - best_value > MAX_DELTA:
            continue
        else:
            delta = value[a] - best_value
        arrival_tick[a] = delta * delay
        ca_n = calcium_at(s.ca, s.ca_tick, s.territory[j], t0, decay_ca)
        s.counters[C_CA_READS] += 1
        glio = gliotransmitter(ca_n, p[P_CA_TH], p[P_CA_SLOPE])
        pulse[a] = p[P_WAVE_W] * (1.0 - p[P_ALPHA] * glio)
        if exploring and a == s.flags[F_LAST_ACTION]:
            pulse[a] += p[P_MOMENTUM]
        if s.familiar[j] == 0 and p[P_ENCLOSURE] > 0.0:
            pulse[a] += p[P_ENCLOSURE] * _familiar_around(s, p, j)

    # The place cell of the current cell (lazy catch-up since it was last driven).
    v = lif_relax(s.place_v[cell], v_rest, decay_m, t0 - s.place_tick[cell])
    k_own = s.territory[cell]
    committed = NO_ACTION
    for k in range(n_ticks):
        t = t0 + k + 1
        for col in range(N_ACTIONS + 1):
            s.raster[k, col] = 0
        v = lif_step(v, p[P_I_PLACE], v_rest, decay_m)
        if v >= v_th:
            v = v_reset
            s.raster[k, 0] = 1
            s.counters[C_PLACE_SPIKES] += 1
            calcium_spike(s.ca, s.ca_tick, k_own, t, decay_ca, ca_inc)
            s.counters[C_CA_UPDATES] += 1
        drive = p[P_BIAS]
        if committed == NO_ACTION:
            drive += p[P_URGENCY] * dt * (k + 1)
        for a in range(0, N_ACTIONS, 2):
            z0, z1 = normal_pair(s.rng)
            for b, z in ((a, z0), (a + 1, z1)):
                i_b = drive
                if nbr[b] < 0:
                    i_b -= p[P_I_BLOCK]
                s.action_v[b] = lif_step(s.action_v[b], i_b, v_rest, decay_m) + p[P_NOISE] * z
                if arrival_tick[b] == k:
                    s.action_v[b] += pulse[b]
                    s.counters[C_READOUT_SPIKES] += 1
        winner = NO_ACTION
        top = v_th
        for a in range(N_ACTIONS):
            if s.action_v[a] >= top:
                if winner == NO_ACTION or s.action_v[a] > top:
                    winner = a
                    top = s.action_v[a]
        if winner != NO_ACTION:
            for a in range(N_ACTIONS):
                if a == winner:
                    s.action_v[a] = v_reset
                else:
                    s.action_v[a] -= p[P_W_INH]
                    if s.action_v[a] >= v_th:
                        s.action_v[a] = v_reset
            s.raster[k, 1 + winner] = 1
            s.counters[C_ACTION_SPIKES] += 1
            if committed == NO_ACTION:
                committed = winner
    s.place_v[cell] = v
    s.place_tick[cell] = t0 + n_ticks
    s.counters[C_TICK] = t0 + n_ticks
    s.counters[C_RACE_TICKS] += n_ticks
    if committed != NO_ACTION:
        return committed
    # No action spiked in the window: read the race out by membrane potential.
    for a in range(N_ACTIONS):
        if nbr[a] >= 0 and (committed == NO_ACTION
                            or s.action_v[a] > s.action_v[committed]):
            committed = a
    return committed
