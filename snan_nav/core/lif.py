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
"""Leaky integrate-and-fire neurons (exact integration for piecewise-constant input).

    tau_m dV/dt = -(V - V_rest) + I,   spike when V >= V_th, then V <- V_reset.

Over one step ``dt`` with constant ``I`` the solution is
``V(t + dt) = V_inf + (V(t) - V_inf) exp(-dt / tau_m)`` with ``V_inf = V_rest + I``
(Rotter and Diesmann, Biol. Cybern. 81, 1999), so the membrane is exact at every tick and a
threshold crossing is found within one tick of the analytic crossing time. Instantaneous
(delta) synaptic input adds ``w`` to ``V`` at the arrival tick. Units: ms and threshold units.
"""
import math

from numba import njit


@njit(cache=True)
def lif_step(v, i_ext, v_rest, decay):
    """Return V after one step of length dt; ``decay = exp(-dt / tau_m)``."""
    v_inf = v_rest + i_ext
    return v_inf + (v - v_inf) * decay


@njit(cache=True)
def lif_relax(v, v_rest, decay, n_steps):
    """Return V after ``n_steps`` steps without input (lazy decay toward V_rest)."""
    if n_steps <= 0:
        return v
    return v_rest + (v - v_rest) * decay ** n_steps


def first_spike_time_ms(i_ext, v0, v_rest, v_threshold, tau_m_ms):
    """Analytic time (ms) at which a LIF under constant ``i_ext`` first reaches threshold.

    ``t* = tau_m ln((V_inf - V0) / (V_inf - V_th))``; ``inf`` when ``V_inf <= V_th``.
    """
    v_inf = v_rest + i_ext
    if v0 >= v_threshold:
        return 0.0
    if v_inf <= v_threshold:
        return math.inf
    return tau_m_ms * math.log((v_inf - v0) / (v_inf - v_threshold))
