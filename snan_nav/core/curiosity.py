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
"""The curiosity wave: places worth visiting fire a wave the robot follows (exploration by spikes).

Three regimes:

- *explore* (no goal known): novel places (known: a map synapse reaches them; never visited)
  fire at hop 0, and familiar places whose astrocyte is quiet fire ``revisit_onset`` hops later.
  The robot heads for the nearest novel place (frontier exploration, Yamauchi 1997, done by
  spikes) unless a place it has not visited for a long time is much nearer. The calcium of a
  place visited a moment ago silences it, so the revisit drive does not make the robot loop:
  that is the fast memory's job. Without astrocytes every familiar place fires and the robot
  dithers between them.
- *curiosity* (a goal is known): only novel places fire, ``onset = beta_k g`` hops after the
  goal wave (``g``: the goal latency where the robot stands); they win only where an
  unexplored place is nearer than ``(1 - beta_k) g``, a fraction of the route still ahead,
  which finds the shortcuts the first route missed anywhere along it. ``beta_k`` grows with
  every episode toward the same goal (habituation), so exploration fades. A novel place
  through which no route from the start could beat the known one does not fire at all
  (:mod:`~snan_nav.core.shortcut_bound`).
- *guided* (a cued goal, not on the learned map yet: the goal wave reaches no neighbour): only
  novel places fire (a familiar place would be on the map), each :func:`goal_gap` hops late,
  its grid distance to the goal (``goal_vector``): the first spike at a neighbour is then the
  least ``hops to a novel place + its distance to the goal``, frontier exploration ordered like
  A* under the free-space assumption (Koenig, Likhachev and Furcy 2004; the goal vector of
  vector navigation, Bush, Barry, Manson and Burgess 2015). The search skips places through
  which no source could beat the best one found (the same bound), and a cached route is
  dropped when a novel neighbour seen only now lies nearer the goal.

For an action toward neighbour ``n`` the value is the first-spike latency at ``n``:
``onset + source onset + (hops from n to the source)``, minimised over sources.

How it is computed: the map is symmetric and every synapse has the same delay, so the first
spike a wave from all sources delivers to the robot's neighbours can be found by a
breadth-first search from the robot's place outward; it gives exactly those latencies but
touches only the places nearer than the first useful source (the places a wave from the
sources would have crossed before reaching the robot). Each place the search reaches is
counted as a spike (``C_SEARCH_SPIKES``), each synapse read likewise.

Routes are cached: after a search, the route to the chosen source is kept while the robot walks
it (its value falls by one hop per step; a new novel place can only appear next to the robot,
which is checked directly). So a long walk to a far frontier costs one search, not one per
step.

In the curiosity regime a search that finds nothing within reach certifies that no source lies
within ``D`` hops of the place ``c`` it started from; ``k`` moves later the robot is at most
``k`` hops from ``c``, so no source lies within ``D - k`` hops of it, and it needs no search
while that covers the budget ``(1 - beta_k) g``. The certificate holds while the map only loses
sources and synapses: a synapse that starts to carry (a new place, a new way), a teleport or a
rerun of the goal wave (a lost way or other goal places: the shortcut bound is lifted) drops
it. A failed search goes on to ``CERTIFY_REACH`` times the budget (or the first source beyond
it): the budget shrinks by ``1 - beta_k`` hops per step toward the goal and the certificate by
one, so a certificate only as deep as the budget would be spent after one step and the search
repeated at every place of the route.
"""
from numba import njit

from snan_nav.core.astrocyte import silences
from snan_nav.core.params import (
    P_ALPHA, P_CA_TH, P_GOAL_VECTOR, P_MAP_TH, P_REVISIT, P_SHORTCUT_BOUND)
from snan_nav.core.shortcut_bound import could_shorten, grid_distance
from snan_nav.core.state import (
    C_CA_READS, C_DECISIONS, C_ROUTE_READS, C_SEARCH_READS, C_SEARCH_SPIKES, F_CUE,
    F_EPISODE_TICK, F_PLAN_CELL, F_PLAN_KIND, F_PLAN_LEN, F_PLAN_POS, F_PLAN_VALUE, F_STAMP,
    F_WIDTH, N_ACTIONS, NEVER, PLAN_EMPTY, PLAN_NONE, PLAN_ROUTE)

#: Regimes: no goal known; a goal wave reaches the robot; a cued goal not on the map yet.
EXPLORE, CURIOSITY, GUIDED = 0, 1, 2
#: A failed curiosity search certifies this many times the detour budget (see the module doc).
CERTIFY_REACH = 2


@njit(cache=True)
def source_onset(s, p, i, kind, tick, decay_ca):
    """Return the hops after the wave onset at which place ``i`` fires, or -1 if it does not.

    Novel places fire at 0 (with ``shortcut_bound``, in the curiosity regime only those a
    shorter route could pass through, :func:`could_shorten`; with ``goal_vector``, in the
    guided regime :func:`goal_gap` hops late); while exploring, familiar places fire at
    ``revisit_onset`` when their astrocyte is quiet (calcium below ``ca_threshold``) and was
    not active in this episode (the robot has not checked them since the goal may have moved),
    or when there are no astrocytes at all.
    """
    if s.familiar[i] == 0:
        if kind == CURIOSITY and p[P_SHORTCUT_BOUND] > 0.0 and not could_shorten(s, i):
            return -1
        if kind == GUIDED:
            return goal_gap(s, p, i)
        return 0
    if kind != EXPLORE:
        return -1
    if p[P_ALPHA] > 0.0:
        s.counters[C_CA_READS] += 1
        if silences(s.ca, s.ca_tick, s.territory[i], tick, decay_ca, p[P_CA_TH],
                    s.flags[F_EPISODE_TICK]):
            return -1
    return int(p[P_REVISIT])


@njit(cache=True)
def goal_gap(s, p, i):
    """Return ``|x_i - x_G| + |y_i - y_G|`` for the cued goal ``G`` (0 without ``goal_vector``).

    The goal vector: where the cued goal lies on the place-cell sheet, read off the layout as
    the shortcut bound does (0 for a bare index space). A lower bound on any way from ``i`` to
    the goal, and it changes by at most one per move, so it also bounds the search below.
    """
    if p[P_GOAL_VECTOR] <= 0.0 or s.flags[F_WIDTH] <= 0 or s.flags[F_CUE] < 0:
        return 0
    return grid_distance(s, i, s.flags[F_CUE])


@njit(cache=True)
def search(x, nbr, s, p, kind, onset, limit, horizon, reach, tick, decay_ca, rep):
    """Breadth-first search from place ``x`` for the sources whose wave reaches it first.

    A source at depth ``d`` gives the first action toward it the value
    ``onset + source_onset + d - 1``; only values up to ``limit`` count, within ``horizon``
    hops. Returns ``(value, mask, depth_searched)``: the best value, the bit mask of the first
    actions that lead to a best source, and (when nothing was found) how many hops around
    ``x`` are known to hold no source (``NEVER`` if the whole known map was searched). When
    nothing counts, the search goes on to depth ``reach`` (at most ``horizon``) or the first
    source beyond the limit, only to certify more hops. ``rep[a]`` receives one best source
    reached through action ``a`` (-1 otherwise).
    """
    s.flags[F_STAMP] += 1
    stamp = s.flags[F_STAMP]
    for a in range(N_ACTIONS):
        rep[a] = -1
    s.mark[x] = stamp
    s.depth[x] = 0
    tail = 0
    for a in range(N_ACTIONS):
        j = nbr[a]
        if j >= 0 and s.mark[j] != stamp:
            s.mark[j] = stamp
            s.depth[j] = 1
            s.first[j] = 1 << a
            s.queue[tail] = j
            tail += 1
    th = p[P_MAP_TH]
    best = NEVER
    mask = 0
    head = 0
    while head < tail:
        y = s.queue[head]
        head += 1
        d = s.depth[y]
        floor = onset + d - 1  # no source at this depth can do better
        if d > horizon or floor > best:
            return best, mask, (d - 1 if best == NEVER else d)
        beyond = floor > limit  # only certifying from here on
        if beyond and d > reach:
            return best, mask, d - 1
        s.counters[C_SEARCH_SPIKES] += 1
        if kind == GUIDED:
            gap = goal_gap(s, p, y)  # read once: it prunes and it is y's own onset
            if best < NEVER and floor + gap > best:
                continue  # every source through y fires later than the best one (A*-like)
            extra = gap if s.familiar[y] == 0 else -1
        else:
            extra = source_onset(s, p, y, kind, tick, decay_ca)
        if beyond:
            if extra >= 0:
                return best, mask, d - 1  # the nearest source is this far
        elif extra >= 0 and floor + extra <= limit and floor + extra <= best:
            if floor + extra < best:
                best = floor + extra
                mask = 0
                for a in range(N_ACTIONS):
                    rep[a] = -1
            mask |= s.first[y]
            for a in range(N_ACTIONS):
                if (s.first[y] >> a) & 1 and rep[a] < 0:
                    rep[a] = y
            if extra == 0:
                continue  # nothing behind a source at its own onset can come sooner
        for b in range(N_ACTIONS):
            z = s.map_nbr[y, b]
            if z < 0:
                continue
            s.counters[C_SEARCH_READS] += 1
            if s.w_map[y, b] < th:
                continue
            if s.mark[z] != stamp:
                s.mark[z] = stamp
                s.depth[z] = d + 1
                s.first[z] = s.first[y]
                s.queue[tail] = z
                tail += 1
            elif s.depth[z] == d + 1:
                s.first[z] |= s.first[y]
    return best, mask, NEVER


@njit(cache=True)
def remember_route(x, a, source, s, p, value):
    """Cache the route from ``x`` through action ``a`` to ``source`` (found by :func:`search`).

    Walks back from the source along places one hop shallower that are reachable through
    ``a`` (their first-action bit), so the route is one the search actually found.
    """
    stamp = s.flags[F_STAMP]
    bit = 1 << a
    d = s.depth[source]
    th = p[P_MAP_TH]
    s.plan[d - 1] = source
    here = source
    for k in range(d - 1, 0, -1):
        prev = -1
        for b in range(N_ACTIONS):
            z = s.map_nbr[here, b]
            s.counters[C_ROUTE_READS] += 1
            if z >= 0 and s.w_map[here, b] >= th and s.mark[z] == stamp \
                    and s.depth[z] == k and (s.first[z] & bit):
                prev = z
                break
        if prev < 0:
            s.flags[F_PLAN_KIND] = PLAN_NONE
            return
        s.plan[k - 1] = prev
        here = prev
    s.flags[F_PLAN_KIND] = PLAN_ROUTE
    s.flags[F_PLAN_LEN] = d
    s.flags[F_PLAN_POS] = 0
    s.flags[F_PLAN_VALUE] = value
    s.flags[F_PLAN_CELL] = s.plan[0]


@njit(cache=True)
def route_step(x, nbr, s, p, kind, tick, decay_ca, onset):
    """Follow a cached route at place ``x``: return ``(value, mask)`` or ``(NEVER, 0)``.

    Valid while the robot is where the route says, the next place is still an observed
    neighbour and the route's end is still a source.
    """
    if s.flags[F_PLAN_KIND] != PLAN_ROUTE or s.flags[F_PLAN_CELL] != x:
        return NEVER, 0
    pos = s.flags[F_PLAN_POS]
    n = s.flags[F_PLAN_LEN]
    if pos + 1 >= n or source_onset(s, p, s.plan[n - 1], kind, tick, decay_ca) < 0:
        s.flags[F_PLAN_KIND] = PLAN_NONE
        return NEVER, 0
    nxt = s.plan[pos + 1]
    for a in range(N_ACTIONS):
        if nbr[a] == nxt:
            return onset + s.flags[F_PLAN_VALUE] - (pos + 1), 1 << a
    s.flags[F_PLAN_KIND] = PLAN_NONE
    return NEVER, 0


@njit(cache=True)
def advance_route(x, a, nbr, s):
    """After choosing action ``a`` at ``x``: keep the route if ``a`` follows it, else drop it."""
    if s.flags[F_PLAN_KIND] != PLAN_ROUTE:
        return
    pos = s.flags[F_PLAN_POS] + 1
    if s.flags[F_PLAN_CELL] == x and pos < s.flags[F_PLAN_LEN] and nbr[a] == s.plan[pos]:
        s.flags[F_PLAN_POS] = pos
        s.flags[F_PLAN_CELL] = s.plan[pos]
    else:
        s.flags[F_PLAN_KIND] = PLAN_NONE


@njit(cache=True)
def certified_depth(s):
    """Hops around the robot known to hold no source (a certificate, see the module doc), or -1.

    ``D - k`` for a certificate of ``D`` hops issued ``k`` decisions ago (each decision moves
    the robot at most one hop).
    """
    if s.flags[F_PLAN_KIND] != PLAN_EMPTY:
        return -1
    return s.flags[F_PLAN_VALUE] - (s.counters[C_DECISIONS] - s.flags[F_PLAN_POS])


@njit(cache=True)
def certify(depth, s):
    """Record that no source lies within ``depth`` hops of the robot (as of this decision)."""
    s.flags[F_PLAN_KIND] = PLAN_EMPTY
    s.flags[F_PLAN_VALUE] = depth
    s.flags[F_PLAN_POS] = s.counters[C_DECISIONS]


@njit(cache=True)
def drop_certificate(s):
    """Forget a certificate: the map gained a way or a place, or the robot jumped."""
    if s.flags[F_PLAN_KIND] == PLAN_EMPTY:
        s.flags[F_PLAN_KIND] = PLAN_NONE
