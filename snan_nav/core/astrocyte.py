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
"""Astrocytic calcium and gliotransmitter: the fast (short-term) memory.

One astrocyte covers a square territory of place cells. Its calcium integrates the spikes of
the place populations in its territory:

    tau_Ca dCa/dt = -Ca + R * sum_i s_i(t)     (s_i: spike trains, delta pulses)

so each spike raises Ca by ``R / tau_Ca`` and Ca relaxes exponentially in between. The
gliotransmitter is ``G = sigmoid((Ca - theta_Ca) / kappa)`` and scales every synapse that
leads into the territory: ``w_eff = w (1 - alpha G)``. A cell visited a moment ago thus
drives its action weakly, and recovers after a few ``tau_Ca``.

The astrocyte also keeps the tick of its last calcium uptake (``ca_tick``, which the lazy
decay needs anyway). :func:`silences` reads it: a territory the robot stood in during
the current episode does not call it back as a place worth searching, however long ago in the
episode that was (on a large map a search outlasts a calcium transient: the robot would
otherwise revisit places it checked earlier in the same search). The inter-episode interval
resets this, because a goal may have moved between episodes.
"""
import math

from numba import njit


@njit(cache=True)
def calcium_at(ca, ca_tick, k, tick, decay_per_tick):
    """Return the calcium of astrocyte ``k`` at ``tick`` (lazy exponential decay)."""
    gap = tick - ca_tick[k]
    if gap <= 0:
        return ca[k]
    return ca[k] * decay_per_tick ** gap


@njit(cache=True)
def calcium_spike(ca, ca_tick, k, tick, decay_per_tick, increment):
    """Bring astrocyte ``k`` to ``tick`` and add one spike (``increment = R / tau_Ca``)."""
    ca[k] = calcium_at(ca, ca_tick, k, tick, decay_per_tick) + increment
    ca_tick[k] = tick


@njit(cache=True)
def silences(ca, ca_tick, k, tick, decay_per_tick, threshold, episode_tick):
    """Return True when astrocyte ``k`` silences its places as goals or places to search.

    It does when its calcium is at least ``threshold`` at ``tick`` or when it took up calcium
    (a place spike in its territory) after ``episode_tick``, the start of the episode.
    """
    return ca_tick[k] > episode_tick \
        or calcium_at(ca, ca_tick, k, tick, decay_per_tick) >= threshold


@njit(cache=True)
def gliotransmitter(ca, theta, slope):
    """Return ``G = 1 / (1 + exp(-(Ca - theta) / slope))`` in (0, 1)."""
    return 1.0 / (1.0 + math.exp(-(ca - theta) / slope))


@njit(cache=True)
def modulated_weight(w, ca, theta, slope, alpha):
    """Return the effective weight ``w (1 - alpha G(Ca))``."""
    return w * (1.0 - alpha * gliotransmitter(ca, theta, slope))
