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
"""The shortcut bound: curiosity only toward novel places a shorter route could pass through.

Curiosity looks for shortcuts the known route missed. A route from the episode's start ``s``
to a goal ``G`` through a novel place ``p`` is at least ``|s - p|_1 + |p - G|_1`` moves long
(4-connected moves: the grid distance is a lower bound on any path), whatever lies beyond
``p``. When that bound is not shorter than the known route ``L`` (the goal latency at the
start; forgotten when the goal places change or a way is lost during the episode, see
:func:`~snan_nav.core.network.refresh_wave`), no detour through ``p`` can pay off, so ``p``
does not fire the curiosity wave (Edvardsen, Bicanski and Burgess 2020, Hippocampus 30:220,
pair a place-cell map with a grid-cell vector toward the goal the same way; planning under the
free-space assumption, Koenig, Tovey and Smirnov 2003, uses the same optimistic bound). The
bound is admissible, so it never hides a real shortcut: the routes still converge to the
shortest; it only removes detours that cannot pay off.

Where the positions come from: map synapse ``a`` of a place points north, east, south or west
(the efference copy of move ``a`` formed it), so the learned map fixes the displacement between
any two places it connects; a grid-cell path integrator fed by the efference copies holds the
same displacement (Bush, Barry, Manson and Burgess 2015, Neuron 87:507). Place cell ``i`` is
laid out at column ``i mod W``, row ``i div W`` (its astrocyte territory is laid out the same
way), so the kernels read the displacement off the layout instead of integrating it: the same
numbers for every place the check looks at (the start, the novel place and the goals lie on
one connected map whenever the goal wave reaches the robot).

Each check is counted for the energy model: ``C_BOUND_TESTS`` (the place's position read) and
``C_BOUND_DISTANCES`` (one grid distance each, to the start and to each goal place; the goal
vector of :func:`~snan_nav.core.curiosity.goal_gap` counts its distances there too).
"""
from numba import njit

from snan_nav.core.state import (
    C_BOUND_DISTANCES, C_BOUND_TESTS, F_BOUND_ROUTE, F_CUE, F_N_GOALS, F_START, F_WIDTH,
    NEVER)

_FAR = 1 << 40


@njit(cache=True)
def grid_distance(s, i, j):
    """Return ``|x_i - x_j| + |y_i - y_j|`` (moves) between the fields of places ``i``, ``j``."""
    s.counters[C_BOUND_DISTANCES] += 1
    w = s.flags[F_WIDTH]
    return abs(i % w - j % w) + abs(i // w - j // w)


@njit(cache=True)
def could_shorten(s, i):
    """Return True when a route from the start through place ``i`` could beat the known route.

    ``|start - i|_1 + min_G |i - G|_1 < L`` over the goal places firing the goal wave (the cued
    one, else the tagged places that are on), ``L`` the goal latency at the episode's start
    (``F_BOUND_ROUTE``). True when there is no such route to compare with, or no layout
    (``F_WIDTH`` 0: a bare index space).
    """
    start = s.flags[F_START]
    route = s.flags[F_BOUND_ROUTE]
    if start < 0 or route >= NEVER or s.flags[F_WIDTH] <= 0:
        return True
    s.counters[C_BOUND_TESTS] += 1
    to_goal = _FAR
    cue = s.flags[F_CUE]
    if cue >= 0:
        to_goal = grid_distance(s, i, cue)
    else:
        for k in range(s.flags[F_N_GOALS]):
            if s.goal_on[k] != 0:
                d = grid_distance(s, i, s.goals[k])
                if d < to_goal:
                    to_goal = d
    if to_goal >= _FAR:
        return True
    return grid_distance(s, start, i) + to_goal < route
