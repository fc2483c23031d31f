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
"""Learning the map from one observation, and the goal memory (see :mod:`plasticity`).

A place is *known* when a map synapse into it carries the wave, *familiar* once the robot has
stood on it (its place field formed), and a *frontier* when it is known but not familiar: the
edge of the explored map. ``flags[F_N_FRONTIER]`` counts the frontier places so that the
curiosity search can be skipped when there is none.
"""
from numba import njit

from snan_nav.core.curiosity import drop_certificate
from snan_nav.core.params import (
    P_GOAL_ETA, P_GOAL_EXT, P_GOAL_TH, P_MAP_A, P_MAP_TAU, P_MAP_TH, P_MAP_WMAX, P_REWARD,
    P_SENSORY_DELAY)
from snan_nav.core.plasticity import goal_extinguish, goal_reward, symmetric_stdp
from snan_nav.core.state import (
    C_GOAL_WRITES, C_KNOWN_READS, C_MAP_READS, C_MAP_WRITES, C_NEW_PLACES, C_SENSORY_SPIKES,
    F_CUE, F_GOAL_EPISODES, F_N_FRONTIER, F_N_GOALS, F_PLAN_KIND, F_WAVE_DIRTY, MAX_GOALS,
    N_ACTIONS, PLAN_NONE)
from snan_nav.core.wave import wave_lower

#: The move that undoes action ``a`` (N<->S, E<->W): the synapse back from the neighbour.
OPPOSITE = (2, 3, 0, 1)


@njit(cache=True)
def is_known(s, p, i):
    """Return True when a map synapse leaving place ``i`` carries the wave (symmetric map)."""
    s.counters[C_KNOWN_READS] += 1
    for a in range(N_ACTIONS):
        if s.map_nbr[i, a] >= 0 and s.w_map[i, a] >= p[P_MAP_TH]:
            return True
    return False


@njit(cache=True)
def _potentiate(s, p, i, a, j):
    """Pair place ``i`` with its observed neighbour ``j`` (direction ``a``): both synapses."""
    th = p[P_MAP_TH]
    b = OPPOSITE[a]
    j_was_known = is_known(s, p, j)
    before_ij = s.w_map[i, a] if s.map_nbr[i, a] == j else 0.0
    before_ji = s.w_map[j, b] if s.map_nbr[j, b] == i else 0.0
    w_ij = symmetric_stdp(before_ij, p[P_SENSORY_DELAY], p[P_MAP_A], p[P_MAP_TAU],
                          p[P_MAP_WMAX])
    w_ji = symmetric_stdp(before_ji, p[P_SENSORY_DELAY], p[P_MAP_A], p[P_MAP_TAU],
                          p[P_MAP_WMAX])
    if w_ij != before_ij or s.map_nbr[i, a] != j:
        s.counters[C_MAP_WRITES] += 1
    if w_ji != before_ji or s.map_nbr[j, b] != i:
        s.counters[C_MAP_WRITES] += 1
    s.map_nbr[i, a] = j
    s.w_map[i, a] = w_ij
    s.map_nbr[j, b] = i
    s.w_map[j, b] = w_ji
    if not j_was_known and w_ji >= th and s.familiar[j] == 0:
        s.flags[F_N_FRONTIER] += 1
    # New carrying synapses can only make the wave arrive earlier: repair it locally. They
    # may also bring a curiosity source nearer than a certificate says.
    if before_ji < th <= w_ji:
        wave_lower(s, p, j, i)
        drop_certificate(s)
    if before_ij < th <= w_ij:
        wave_lower(s, p, i, j)
        drop_certificate(s)


@njit(cache=True)
def _depress(s, p, i, a):
    """Remove the synapse ``i -> map_nbr[i, a]`` and its partner (the way is gone)."""
    j = s.map_nbr[i, a]
    th = p[P_MAP_TH]
    j_was_known = is_known(s, p, j)
    carried = s.w_map[i, a] >= th
    s.w_map[i, a] = 0.0
    s.map_nbr[i, a] = -1
    s.counters[C_MAP_WRITES] += 1
    b = OPPOSITE[a]
    if s.map_nbr[j, b] == i:
        carried = carried or s.w_map[j, b] >= th
        s.w_map[j, b] = 0.0
        s.map_nbr[j, b] = -1
        s.counters[C_MAP_WRITES] += 1
    if s.familiar[j] == 0 and j_was_known and not is_known(s, p, j):
        s.flags[F_N_FRONTIER] -= 1
    if carried:
        s.flags[F_WAVE_DIRTY] = 1
        s.flags[F_PLAN_KIND] = PLAN_NONE


@njit(cache=True)
def learn_observation(cell, nbr, s, p):
    """Update the map from the observation at ``cell`` (``nbr[a]``: neighbour id or -1).

    The place field of ``cell`` forms (it becomes familiar: no longer a frontier) and every
    observed free neighbour is paired with it by symmetric STDP; a synapse toward a neighbour
    now observed blocked is depressed. Without map plasticity (``map_stdp_amplitude = 0``, the
    no-STDP ablation) nothing is stored: no synapse, no familiarity.
    """
    plastic = p[P_MAP_A] > 0.0
    if plastic and s.familiar[cell] == 0:
        if is_known(s, p, cell):
            s.flags[F_N_FRONTIER] -= 1
        s.familiar[cell] = 1
        s.counters[C_NEW_PLACES] += 1
    for a in range(N_ACTIONS):
        j = nbr[a]
        s.counters[C_MAP_READS] += 1
        if j >= 0:
            s.counters[C_SENSORY_SPIKES] += 1
            if s.map_nbr[cell, a] >= 0 and s.map_nbr[cell, a] != j:
                _depress(s, p, cell, a)  # the map changed under this synapse
            if plastic:
                _potentiate(s, p, cell, a, j)
        elif s.map_nbr[cell, a] >= 0:
            _depress(s, p, cell, a)


@njit(cache=True)
def _set_goal_changed(s):
    s.flags[F_WAVE_DIRTY] = 1
    s.flags[F_GOAL_EPISODES] = 0
    s.flags[F_PLAN_KIND] = PLAN_NONE


@njit(cache=True)
def reward_at(cell, s, p):
    """Reward-gated potentiation of the goal synapse of ``cell`` (modulator ``reward``)."""
    eta = p[P_GOAL_ETA]
    if eta <= 0.0 or p[P_REWARD] <= 0.0:
        return
    before = s.goal_w[cell]
    s.goal_w[cell] = goal_reward(before, p[P_REWARD], eta)
    s.counters[C_GOAL_WRITES] += 1
    if before < p[P_GOAL_TH] <= s.goal_w[cell]:
        _add_goal(s, cell)
        if s.flags[F_CUE] < 0:
            _set_goal_changed(s)


@njit(cache=True)
def no_reward_at(cell, s, p):
    """Extinction of a tagged goal place reached without reward (negative prediction error)."""
    if s.goal_w[cell] <= 0.0 or p[P_GOAL_EXT] <= 0.0:
        return
    before = s.goal_w[cell]
    s.goal_w[cell] = goal_extinguish(before, p[P_GOAL_EXT])
    s.counters[C_GOAL_WRITES] += 1
    if before >= p[P_GOAL_TH] > s.goal_w[cell]:
        _drop_goal(s, cell)
        if s.flags[F_CUE] < 0:
            _set_goal_changed(s)


@njit(cache=True)
def _add_goal(s, cell):
    n = s.flags[F_N_GOALS]
    for k in range(n):
        if s.goals[k] == cell:
            return
    if n == MAX_GOALS:
        # Full: forget the weakest tag (the goal memory is finite).
        weakest = 0
        for k in range(1, n):
            if s.goal_w[s.goals[k]] < s.goal_w[s.goals[weakest]]:
                weakest = k
        s.goal_w[s.goals[weakest]] = 0.0
        s.goals[weakest] = cell
        return
    s.goals[n] = cell
    s.flags[F_N_GOALS] = n + 1


@njit(cache=True)
def _drop_goal(s, cell):
    n = s.flags[F_N_GOALS]
    for k in range(n):
        if s.goals[k] == cell:
            s.goals[k] = s.goals[n - 1]
            s.goals[n - 1] = -1
            s.flags[F_N_GOALS] = n - 1
            return
