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
"""The goal wave: a spike wavefront over the learned map (Ponulak and Hopfield 2013).

The goal place cells fire at hop 0; a place cell fires one synaptic delay after the first
spike that reaches it through a map synapse of weight ``>= v_threshold`` (one such spike is
suprathreshold) and is refractory for the rest of the wave, so every place cell fires once, at
a latency equal to its hop distance to the nearest goal over the learned map (Hwu, Wang, Oros
and Krichmar 2018 use axonal delays the same way). ``wave_t[i]`` holds that latency in hops
(``NEVER`` when the wave does not reach ``i``).

Event-driven: the wave is simulated spike by spike (a FIFO of pending spikes, all delays
equal), touches only the places it reaches, and is kept between decisions. When a new map
synapse appears, only the latencies it lowers are repaired (:func:`wave_lower`); when the goal
changes or a synapse is lost, the wave is rerun from scratch (:func:`wave_run`). Each spike and
each synapse it reads is counted (``C_WAVE_SPIKES``, ``C_WAVE_READS``) for the energy model.
"""
from numba import njit

from snan_nav.core.astrocyte import silences
from snan_nav.core.params import P_ALPHA, P_CA_TH, P_GOAL_TH, P_MAP_TH
from snan_nav.core.state import (
    C_CA_READS, C_GOAL_READS, C_WAVE_CLEARS, C_WAVE_READS, C_WAVE_RESETS, C_WAVE_SPIKES, F_CUE,
    F_EPISODE_TICK, F_N_GOALS, F_N_REACHED, F_WAVE_DIRTY, N_ACTIONS, NEVER)


@njit(cache=True)
def _reach(s, i, t):
    """Set the latency of place ``i`` to ``t`` and remember it was reached."""
    if s.wave_t[i] == NEVER:
        n = s.flags[F_N_REACHED]
        s.reached[n] = i
        s.flags[F_N_REACHED] = n + 1
    s.wave_t[i] = t


@njit(cache=True)
def _propagate(s, p, head, tail):
    """Deliver the pending spikes ``queue[head:tail]`` until the wave dies out."""
    th = p[P_MAP_TH]
    while head < tail:
        j = s.queue[head]
        head += 1
        t = s.wave_t[j] + 1
        s.counters[C_WAVE_SPIKES] += 1
        for a in range(N_ACTIONS):
            i = s.map_nbr[j, a]
            if i < 0:
                continue
            s.counters[C_WAVE_READS] += 1
            if s.w_map[j, a] >= th and s.wave_t[i] > t:
                _reach(s, i, t)
                s.queue[tail] = i
                tail += 1


@njit(cache=True)
def wave_clear(s):
    """Silence the wave: every place it reached gets ``NEVER`` again (cost: those places)."""
    for k in range(s.flags[F_N_REACHED]):
        s.wave_t[s.reached[k]] = NEVER
    s.counters[C_WAVE_CLEARS] += s.flags[F_N_REACHED]
    s.flags[F_N_REACHED] = 0


@njit(cache=True)
def goal_is_on(s, p, g, here, tick, decay_ca):
    """Return True when tagged place ``g`` fires the goal wave now.

    Its tag must be at least ``goal_threshold``, the robot must not stand on it (it would be
    rewarded there if it were the goal) and its astrocyte must be quiet and must not have been
    active in this episode: a goal place the robot stood on without reward (the place it
    started from, which no arrival extinguishes) is silenced by the astrocyte (the fast
    memory), so the robot tries the next remembered goal or searches instead of returning.
    """
    s.counters[C_GOAL_READS] += 1
    if g == here or s.goal_w[g] < p[P_GOAL_TH]:
        return False
    if p[P_ALPHA] <= 0.0:
        return True
    s.counters[C_CA_READS] += 1
    return not silences(s.ca, s.ca_tick, s.territory[g], tick, decay_ca, p[P_CA_TH],
                        s.flags[F_EPISODE_TICK])


@njit(cache=True)
def goals_changed(s, p, here, tick, decay_ca):
    """Return True when a tagged place turned on or off since the wave was last run."""
    if s.flags[F_CUE] >= 0:
        return False
    for k in range(s.flags[F_N_GOALS]):
        if goal_is_on(s, p, s.goals[k], here, tick, decay_ca) != (s.goal_on[k] != 0):
            return True
    return False


@njit(cache=True)
def goal_sources(s, p, here, tick, decay_ca, out):
    """Write the places that fire at hop 0 into ``out``; return how many.

    The cued goal when there is one (the user named it), else every tagged place that is on
    (:func:`goal_is_on`); ``goal_on`` records which.
    """
    cue = s.flags[F_CUE]
    if cue >= 0:
        out[0] = cue
        return 1
    n = 0
    for k in range(s.flags[F_N_GOALS]):
        g = s.goals[k]
        on = goal_is_on(s, p, g, here, tick, decay_ca)
        s.goal_on[k] = 1 if on else 0
        if on:
            out[n] = g
            n += 1
    return n


@njit(cache=True)
def wave_run(s, p, here, tick, decay_ca):
    """Rerun the goal wave from scratch (after a goal change or a lost synapse)."""
    wave_clear(s)
    s.counters[C_WAVE_RESETS] += 1
    n = goal_sources(s, p, here, tick, decay_ca, s.queue)
    for k in range(n):
        _reach(s, s.queue[k], 0)
    _propagate(s, p, 0, n)
    s.flags[F_WAVE_DIRTY] = 0


@njit(cache=True)
def wave_lower(s, p, pre, post):
    """Repair the wave after the synapse ``pre -> post`` started to carry it.

    If ``pre`` fires early enough to make ``post`` fire earlier than before, ``post`` and the
    places downstream of it get their lower latencies; nothing else is touched.
    """
    if s.flags[F_WAVE_DIRTY] != 0 or s.wave_t[pre] == NEVER:
        return
    t = s.wave_t[pre] + 1
    if s.wave_t[post] <= t:
        return
    _reach(s, post, t)
    s.queue[0] = post
    _propagate(s, p, 0, 1)


@njit(cache=True)
def route_from(s, p, cell, out):
    """Write the places the goal wave leads through from ``cell`` (descending latency).

    Starting at ``cell``, repeatedly step to a neighbour over a carrying synapse whose latency
    is one hop lower, until a goal (latency 0). Returns the number of places written (0 when
    the wave does not reach ``cell``). Used for the ``~/plan`` read-out, not for decisions.
    """
    t = s.wave_t[cell]
    if t == NEVER:
        return 0
    n = 0
    here = cell
    th = p[P_MAP_TH]
    while t > 0 and n < out.shape[0]:
        nxt = -1
        for a in range(N_ACTIONS):
            i = s.map_nbr[here, a]
            if i >= 0 and s.w_map[here, a] >= th and s.wave_t[i] == t - 1:
                nxt = i
                break
        if nxt < 0:
            break
        out[n] = nxt
        n += 1
        here = nxt
        t -= 1
    return n
