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
"""The slow memory: a map by symmetric STDP, goals by reward-gated plasticity.

**Map.** While the robot stands at place ``i``, the place cell of ``i`` fires (its place field)
and, ``sensory_delay_ms`` later, the place cell of each neighbour the robot observes as free
(the observation names that place). Place-to-place synapses follow a *symmetric* STDP window,

    dw = A exp(-|t_post - t_pre| / tau)      (both orders potentiate),

as measured at CA3-CA3 synapses (Mishra, Guzman and Jonas, Nat. Commun. 7:11552, 2016), so one
co-activation potentiates ``i -> j`` and ``j -> i``; ``w`` is capped at ``map_w_max``. A synapse
from ``v_threshold`` on is suprathreshold and carries the wave. Traversing ``i -> j`` pairs the
two place fields again (one decision window apart, a weak extra pairing). The map does not
depend on the goal. A neighbour observed blocked where a synapse exists depresses it to 0
(heterosynaptic depression: its presynaptic place fires without the partner), so a map that
changed is relearned.

**Goals.** A goal neuron projects onto every place cell. When reward arrives at place ``g``,
the neuromodulator gates potentiation of ``goal -> g`` (three-factor rule, Fremaux and
Gerstner, Front. Neural Circuits 9:85, 2016):

    dw = eta r (1 - w);

a tagged place (``w >= goal_threshold``) fires the goal wave. Reaching a tagged place without
reward is a negative reward-prediction error: ``dw = -goal_extinction w`` (extinction), so an
old goal stops pulling the robot once it has been found empty.
"""
import math

from numba import njit


@njit(cache=True)
def symmetric_stdp(w, delta_t_ms, amplitude, tau_ms, w_max):
    """Return ``min(w + A exp(-|dt| / tau), w_max)`` (one pre/post pairing, either order)."""
    w = w + amplitude * math.exp(-abs(delta_t_ms) / tau_ms)
    return w if w < w_max else w_max


@njit(cache=True)
def goal_reward(w, r, eta):
    """Return the goal synapse after reward ``r``: ``w + eta r (1 - w)`` (``eta r <= 1``)."""
    gain = eta * r
    if gain > 1.0:
        gain = 1.0
    return w + gain * (1.0 - w)


@njit(cache=True)
def goal_extinguish(w, extinction):
    """Return the goal synapse after an unrewarded visit: ``w (1 - extinction)``."""
    return w * (1.0 - extinction)
