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
"""One decision of the SNAN, the events around it, and idle time.

A decision at place ``x`` with the observation ``nbr`` (the place each move leads to, -1 if
blocked):

1. learn the map from the observation (:func:`~snan_nav.core.cognitive_map.learn_observation`);
2. if the goal changed (cue, new tag, extinction) or a synapse was lost, rerun the goal wave;
3. read each neighbour's first-spike latency: from the goal wave, and from the curiosity wave
   (frontier places, or quiet familiar places) when it can beat the goal wave;
4. race the four action neurons (:func:`~snan_nav.core.race.race`).

The outcome of each move (what is seen at the new place, reward or its absence there, the
efference copy) is applied at the start of the next decision (:func:`_arrive`), so an agent
step is one call into numba. Episode events: :func:`begin_kernel` (idle inter-episode time,
the curiosity onset for this episode), :func:`arrive_kernel` (the last arrival of an
episode), :func:`end_kernel`.

Only the current place, its neighbours, the places a wave or search reaches and the astrocytes
read are touched; in steady state (map known, goal fixed, curiosity habituated) a decision
costs the same on any map size.
"""
import math

import numpy as np
from numba import njit

from snan_nav.core.cognitive_map import learn_observation, no_reward_at, reward_at
from snan_nav.core.curiosity import (
    advance_route, certified_depth, certify, CERTIFY_REACH, CURIOSITY, drop_certificate, EXPLORE,
    GUIDED, remember_route, route_step, search, source_onset)
from snan_nav.core.lif import lif_relax
from snan_nav.core.params import (
    P_DT, P_EXPLORE_ANNEAL, P_EXPLORE_ONSET, P_GOAL_TH, P_HORIZON, P_TAU_CA, P_TAU_M,
    P_V_REST, SNANParams)
from snan_nav.core.race import NO_ACTION, race
from snan_nav.core.state import (
    C_DECISIONS, C_NEW_PLACES, C_TICK, F_BOUND_ROUTE, F_CUE, F_EPISODE_TICK, F_GOAL_EPISODES,
    F_LAST_ACTION, F_N_FRONTIER, F_N_GOALS, F_ONSET, F_PLACES_AT_START, F_PLAN_KIND,
    F_ROUTE_AT_START, F_START, F_WAVE_DIRTY, N_ACTIONS, NetworkState, NEVER, ONSET_OFF,
    PLAN_NONE, PLAN_ROUTE)
from snan_nav.core.wave import goals_changed, route_from, wave_run

BIG = 1 << 50


@njit(cache=True)
def _curiosity(x, nbr, s, p, kind, onset, limit, horizon, tick, decay_ca, value, rep):
    """Lower ``value[a]`` to the exploration/curiosity wave's latency where it is ``<= limit``.

    ``rep[a]`` receives the source of a newly found route through ``a`` (for
    :func:`remember_route`), -2 when the value came from the cached route, -1 otherwise.
    """
    for a in range(N_ACTIONS):
        rep[a] = -1
    # A source next to the robot that fires at the wave's onset cannot be beaten by a deeper
    # one: then the neighbours' latencies are known without a search.
    # (Each neighbour is asked once: the answer costs calcium reads, bound tests and goal
    # distances; the earliest neighbour source is kept for the guided route check below.)
    at_onset = 0
    nearest = NEVER
    for a in range(N_ACTIONS):
        j = nbr[a]
        if j >= 0 and j != x:
            extra = source_onset(s, p, j, kind, tick, decay_ca)
            if extra == 0:
                at_onset |= 1 << a
            if 0 <= extra < nearest:
                nearest = extra
    if at_onset != 0:
        for a in range(N_ACTIONS):
            if (at_onset >> a) & 1 and onset <= limit and onset < value[a]:
                value[a] = onset
        return
    if onset + 1 > limit:
        return
    if kind != EXPLORE and s.flags[F_N_FRONTIER] <= 0:
        return  # no novel place anywhere
    best, mask = route_step(x, nbr, s, p, kind, tick, decay_ca, onset)
    if best != NEVER and kind == GUIDED and onset + nearest < best:
        # A novel place seen only now (a neighbour; in this regime only novel places are
        # sources) lies nearer the goal than the cached route's end: the search decides.
        s.flags[F_PLAN_KIND] = PLAN_NONE
        best = NEVER
    if best != NEVER:
        if best <= limit:
            for a in range(N_ACTIONS):
                if (mask >> a) & 1 and best < value[a]:
                    value[a] = best
                    rep[a] = -2
        return
    reach = 0
    if kind == CURIOSITY:
        need = limit - onset + 1  # hops within which a source would count
        if certified_depth(s) >= need:
            return
        reach = CERTIFY_REACH * need
    best, mask, searched = search(x, nbr, s, p, kind, onset, limit, horizon, reach, tick,
                                  decay_ca, rep)
    if best == NEVER:
        if kind == CURIOSITY:
            certify(searched, s)
        return
    for a in range(N_ACTIONS):
        if (mask >> a) & 1 and best < value[a]:
            value[a] = best
        else:
            rep[a] = -1


@njit(cache=True)
def refresh_wave(s, p, cell, tick, decay_ca):
    """Rerun the goal wave at ``cell`` if it is stale (a lost synapse, a goal turned on or off).

    Either way the known route from the start no longer bounds a shortcut (a lost way made it
    longer, or it leads to other goal places): the shortcut bound is off for the rest of the
    episode, and a cached curiosity route or certificate (found with the old bound) is dropped.
    Without this a robot told where to go would not look for a way around a door that closed
    on its route when the way around is longer than the old route.
    """
    if s.flags[F_WAVE_DIRTY] != 0 or goals_changed(s, p, cell, tick, decay_ca):
        wave_run(s, p, cell, tick, decay_ca)
        s.flags[F_BOUND_ROUTE] = NEVER
        s.flags[F_PLAN_KIND] = PLAN_NONE


@njit(cache=True)
def curiosity_gap(p, k):
    """Return ``1 - beta_k = (1 - explore_onset) explore_anneal^(k-1)`` (detour budget share)."""
    return (1.0 - p[P_EXPLORE_ONSET]) * p[P_EXPLORE_ANNEAL] ** (k - 1)


@njit(cache=True)
def values_kernel(cell, nbr, s, p, value, rep):
    """Write each neighbour's first-spike latency (hops) into ``value``.

    Returns the onset (hops) of the curiosity or exploration wave it consulted, -1 if none: in
    the curiosity regime ``beta_k g``, ``g`` the goal latency here (the detour budget is a
    fraction ``1 - beta_k`` of the route still ahead). The goal wave's latency,
    lowered by the curiosity/exploration wave's where that one is earlier (see
    :mod:`~snan_nav.core.curiosity`); ``NEVER`` where no wave arrives. ``rep`` is bookkeeping
    for the route cache (see :func:`_curiosity`).
    """
    tick = s.counters[C_TICK]
    decay_ca = math.exp(-p[P_DT] / p[P_TAU_CA])
    refresh_wave(s, p, cell, tick, decay_ca)
    limit = BIG
    for a in range(N_ACTIONS):
        value[a] = NEVER
        rep[a] = -1
        j = nbr[a]
        if j >= 0:
            value[a] = s.wave_t[j]
            if value[a] < limit:
                limit = value[a]
    if limit < NEVER:  # a goal is known and its wave reaches here
        kind = CURIOSITY
        onset = s.flags[F_ONSET]
        if onset < ONSET_OFF:
            # Detour budget: a fraction of the route still ahead (limit + 1 hops from here).
            gap = curiosity_gap(p, s.flags[F_GOAL_EPISODES])
            onset = int(round((1.0 - gap) * (limit + 1)))
        horizon = int(p[P_HORIZON])
        limit -= 1  # the goal wins ties: curiosity must be strictly earlier
    else:
        # No goal to follow: explore. With a cued goal not on the map yet, only novel places
        # can hold it (a familiar place would be on the map), so revisits are pointless, and
        # the goal vector steers toward the novel places nearest the goal (guided).
        kind = EXPLORE if s.flags[F_CUE] < 0 else GUIDED
        onset = 0
        horizon = BIG
        limit = BIG
    if onset >= ONSET_OFF:
        return -1
    _curiosity(cell, nbr, s, p, kind, onset, limit, horizon, tick, decay_ca, value, rep)
    return onset


#: ``came_from`` of :func:`decision_kernel`: the observation was learned already.
LEARNED = -2
#: ``came_from``: learn the observation, no move to account for (a start, or a teleport).
NO_MOVE = -1


@njit(cache=True)
def _arrive(came_from, action, cell, nbr, rewarded, s, p):
    """Account for arriving at ``cell``: learn what is seen there, then the move's outcome.

    The observation is learned on arrival, also at a goal where no decision follows (the
    robot still perceives its surroundings). Reward at ``cell`` tags it as a goal; reaching a
    tagged place without reward extinguishes its tag. The efference copy remembers ``action``
    if the robot actually moved (``came_from`` is the place it left, or ``NO_MOVE``).
    """
    learn_observation(cell, nbr, s, p)
    if came_from < 0:
        drop_certificate(s)  # not a move: the robot may be anywhere
        return
    if rewarded:
        reward_at(cell, s, p)
    elif s.goal_w[cell] > 0.0:
        no_reward_at(cell, s, p)
    s.flags[F_LAST_ACTION] = action if cell != came_from else -1


@njit(cache=True)
def decision_kernel(cell, nbr, came_from, came_by, rewarded, idle_ticks, s, p):
    """Arrive at place ``cell``, decide, then let ``idle_ticks`` pass; return the action.

    ``came_from``: the place the last move started from (with ``came_by`` its action and
    ``rewarded`` its reward), ``NO_MOVE`` to learn the observation ``nbr`` without a move, or
    ``LEARNED`` when it was learned already. One call per agent step (a Python-to-numba call
    costs more than the decision itself). Returns 0..3, or ``NO_ACTION`` when all four moves
    are blocked.
    """
    if came_from != LEARNED:
        _arrive(came_from, came_by, cell, nbr, rewarded, s, p)
    value = np.empty(N_ACTIONS, dtype=np.int64)
    rep = np.empty(N_ACTIONS, dtype=np.int64)
    onset = values_kernel(cell, nbr, s, p, value, rep)
    action = race(cell, nbr, value, s, p)
    if action != NO_ACTION and onset >= 0:
        if rep[action] >= 0:
            remember_route(cell, action, rep[action], s, p, value[action] - onset)
        elif rep[action] == -2:
            advance_route(cell, action, nbr, s)
        elif s.flags[F_PLAN_KIND] == PLAN_ROUTE:
            s.flags[F_PLAN_KIND] = PLAN_NONE
    s.counters[C_DECISIONS] += 1
    idle_kernel(idle_ticks, s, p)
    return action


@njit(cache=True)
def idle_kernel(n_ticks, s, p):
    """Advance the clock by ``n_ticks`` without input or noise (closed form for the actions)."""
    if n_ticks <= 0:
        return
    decay_m = math.exp(-p[P_DT] / p[P_TAU_M])
    for a in range(N_ACTIONS):
        s.action_v[a] = lif_relax(s.action_v[a], p[P_V_REST], decay_m, n_ticks)
    s.counters[C_TICK] += n_ticks


@njit(cache=True)
def arrive_kernel(came_from, came_by, cell, nbr, rewarded, s, p):
    """Account for an arrival that no decision follows (see :func:`_arrive`)."""
    _arrive(came_from, came_by, cell, nbr, rewarded, s, p)


@njit(cache=True)
def begin_kernel(cell, nbr, idle_ticks, s, p):
    """Start an episode at ``cell`` (observation ``nbr``) after ``idle_ticks`` of idle time.

    Whether curiosity runs in the episode (``F_ONSET``: 0, or ``ONSET_OFF``): off while no goal
    is known from the start (then exploration drives), in the first episode toward a known goal
    (go straight) and once habituated (``1 - beta_k = (1 - explore_onset)
    explore_anneal^(k-1)`` below 1e-3 after ``k`` habituating episodes toward this goal, see
    :func:`end_kernel`). Its onset, ``beta_k g`` with ``g`` the goal latency where the robot
    stands, is set per decision (:func:`values_kernel`).
    """
    idle_kernel(idle_ticks, s, p)
    learn_observation(cell, nbr, s, p)
    tick = s.counters[C_TICK]
    s.flags[F_EPISODE_TICK] = tick  # astrocytes active from now on were checked this episode
    decay_ca = math.exp(-p[P_DT] / p[P_TAU_CA])
    if s.flags[F_WAVE_DIRTY] != 0 or goals_changed(s, p, cell, tick, decay_ca):
        wave_run(s, p, cell, tick, decay_ca)
    s.flags[F_LAST_ACTION] = -1
    s.flags[F_PLAN_KIND] = PLAN_NONE
    length = s.wave_t[cell]
    s.flags[F_START] = cell
    s.flags[F_ROUTE_AT_START] = length
    s.flags[F_BOUND_ROUTE] = length
    s.flags[F_PLACES_AT_START] = s.counters[C_NEW_PLACES]
    k = s.flags[F_GOAL_EPISODES]
    curious = length < NEVER and k >= 1 and curiosity_gap(p, k) > 1e-3
    s.flags[F_ONSET] = 0 if curious else ONSET_OFF


@njit(cache=True)
def end_kernel(s, p):
    """Habituate the curiosity wave once it no longer finds anything.

    One more episode toward the current goal counts (``k += 1``: the onset moves later) when
    the episode neither shortened the known route from its start nor made any novel place
    familiar: while curiosity still finds places or shortcuts within its reach, its drive
    stays where it is (novelty keeps it alive; Foster and Wilson's replay aside, a familiar
    stimulus is what habituates). An episode in which the goal was first found (or changed)
    counts as the first.
    """
    if s.flags[F_CUE] < 0 and _n_tagged(s, p) == 0:
        return
    start = s.flags[F_START]
    if s.flags[F_GOAL_EPISODES] == 0 or start < 0:
        s.flags[F_GOAL_EPISODES] = 1
        return
    tick = s.counters[C_TICK]
    decay_ca = math.exp(-p[P_DT] / p[P_TAU_CA])
    if s.flags[F_WAVE_DIRTY] != 0 or goals_changed(s, p, -1, tick, decay_ca):
        wave_run(s, p, -1, tick, decay_ca)  # every goal that is on, wherever the robot is
    shorter = s.wave_t[start] < s.flags[F_ROUTE_AT_START]
    novel = s.counters[C_NEW_PLACES] > s.flags[F_PLACES_AT_START]
    if not shorter and not novel:
        s.flags[F_GOAL_EPISODES] += 1


@njit(cache=True)
def _n_tagged(s, p):
    n = 0
    for k in range(s.flags[F_N_GOALS]):
        if s.goal_w[s.goals[k]] >= p[P_GOAL_TH]:
            n += 1
    return n


@njit(cache=True)
def cue_kernel(goal, s):
    """Cue the goal place ``goal`` (-1: withdraw the cue); a change reruns the wave."""
    if s.flags[F_CUE] != goal:
        s.flags[F_CUE] = goal
        s.flags[F_WAVE_DIRTY] = 1
        s.flags[F_GOAL_EPISODES] = 0
        s.flags[F_PLAN_KIND] = PLAN_NONE
        s.flags[F_BOUND_ROUTE] = NEVER  # the known route leads to the old goal


@njit(cache=True)
def plan_kernel(cell, s, p, out):
    """Write the places of the route the goal wave leads along from ``cell``; return count."""
    tick = s.counters[C_TICK]
    decay_ca = math.exp(-p[P_DT] / p[P_TAU_CA])
    refresh_wave(s, p, cell, tick, decay_ca)
    return route_from(s, p, cell, out)


def duration_ticks(packed: np.ndarray, duration_ms: float) -> int:
    """Return ``duration_ms`` in whole ticks (rounded half to even), as the idle kernels count."""
    return int(round(duration_ms / packed.item(P_DT)))


def decide(state: NetworkState, packed: np.ndarray, cell: int, neighbours: np.ndarray) -> int:
    """Learn the observation and run one decision at ``cell`` (no idle time); 0..3 or -1."""
    return int(decision_kernel(int(cell), np.asarray(neighbours, dtype=np.int32), NO_MOVE, -1,
                               False, 0, state, packed))


def neighbour_values(state: NetworkState, packed: np.ndarray, cell: int,
                     neighbours: np.ndarray) -> np.ndarray:
    """Return the 4 first-spike latencies (hops) the race would read at ``cell`` now.

    The cached curiosity route is ignored (a fresh search), so the result is what a wave from
    the current sources delivers; ``NEVER`` where nothing arrives. Does not learn or decide.
    """
    state.flags[F_PLAN_KIND] = PLAN_NONE
    value = np.empty(N_ACTIONS, dtype=np.int64)
    rep = np.empty(N_ACTIONS, dtype=np.int64)
    values_kernel(int(cell), np.asarray(neighbours, dtype=np.int32), state, packed, value, rep)
    state.flags[F_PLAN_KIND] = PLAN_NONE
    return value


def calcium_now(state: NetworkState, params: SNANParams) -> np.ndarray:
    """Return the calcium of every astrocyte brought to the current tick."""
    gap = state.counters[C_TICK] - state.ca_tick
    return state.ca * np.exp(-gap * params.dt_ms / params.tau_ca_ms)
