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
"""Neuron, astrocyte and STDP dynamics against their analytic solutions."""
import math

import numpy as np
import pytest

from snan_nav.core.astrocyte import calcium_at, calcium_spike, gliotransmitter
from snan_nav.core.lif import first_spike_time_ms, lif_relax, lif_step
from snan_nav.core.params import SNANParams
from snan_nav.core.plasticity import goal_extinguish, goal_reward, symmetric_stdp


def test_lif_membrane_decay_matches_exponential():
    tau, dt, v0 = 10.0, 1.0, 0.8
    decay = math.exp(-dt / tau)
    v = v0
    for k in range(1, 31):
        v = lif_step(v, 0.0, 0.0, decay)
        assert v == pytest.approx(v0 * math.exp(-k * dt / tau), rel=1e-12)
    assert lif_relax(v0, 0.0, decay, 30) == pytest.approx(v, rel=1e-12)


@pytest.mark.parametrize('current', [1.2, 2.0, 3.0, 7.5])
def test_lif_threshold_crossing_time_within_one_step_of_analytic(current):
    tau, dt = 10.0, 0.1
    decay = math.exp(-dt / tau)
    v, t = 0.0, 0.0
    while v < 1.0:
        v = lif_step(v, current, 0.0, decay)
        t += dt
        assert t < 1000.0
    analytic = first_spike_time_ms(current, 0.0, 0.0, 1.0, tau)
    assert analytic <= t + 1e-9 < analytic + dt + 1e-9


def test_lif_below_rheobase_never_fires():
    assert first_spike_time_ms(0.9, 0.0, 0.0, 1.0, 10.0) == math.inf


def test_calcium_rise_and_decay_follow_exponentials():
    tau_ca, gain, dt, rate_per_tick = 200.0, 50.0, 1.0, 1
    decay = math.exp(-dt / tau_ca)
    ca = np.zeros(1)
    stamp = np.zeros(1, dtype=np.int64)
    # One spike per tick for 400 ticks: Ca approaches the steady state of the discrete drive.
    inc = gain / tau_ca
    for t in range(1, 401):
        calcium_spike(ca, stamp, 0, t, decay, inc)
    steady = inc / (1.0 - decay)
    expected = steady * (1.0 - decay ** 400)
    assert ca[0] == pytest.approx(expected, rel=1e-9)
    # Continuous-time check: R * rate (rate in spikes/ms) is the steady state of the ODE.
    assert steady == pytest.approx(gain * rate_per_tick / dt, rel=0.01)
    # Free decay: Ca(t) = Ca0 exp(-t / tau).
    c0 = ca[0]
    for gap in (1, 50, 200, 1000):
        assert calcium_at(ca, stamp, 0, 400 + gap, decay) == pytest.approx(
            c0 * math.exp(-gap * dt / tau_ca), rel=1e-9)


def test_gliotransmitter_is_sigmoid_of_calcium():
    assert gliotransmitter(0.5, 0.5, 0.25) == pytest.approx(0.5)
    assert gliotransmitter(10.0, 0.5, 0.25) > 0.999
    assert gliotransmitter(0.0, 0.5, 0.25) == pytest.approx(1.0 / (1.0 + math.exp(2.0)))


@pytest.mark.parametrize('delta', [0.0, 1.0, 5.0, 20.0, -1.0, -5.0, -20.0])
def test_symmetric_stdp_potentiates_both_orders_with_the_same_time_constant(delta):
    amp, tau = 1.5, 20.0
    got = symmetric_stdp(0.0, delta, amp, tau, 100.0)
    assert got == pytest.approx(amp * math.exp(-abs(delta) / tau), rel=1e-12)
    mirrored = symmetric_stdp(0.0, -delta, amp, tau, 100.0)
    assert symmetric_stdp(0.0, delta, amp, tau, 100.0) == mirrored


def test_symmetric_stdp_saturates_at_w_max():
    assert symmetric_stdp(1.4, 0.0, 1.5, 20.0, 1.5) == 1.5


def test_goal_rules_reward_potentiates_toward_one_and_extinction_scales_down():
    assert goal_reward(0.0, 1.0, 1.0) == 1.0
    assert goal_reward(0.2, 1.0, 0.5) == pytest.approx(0.6)
    assert goal_reward(0.5, 5.0, 1.0) == 1.0  # eta r is capped at 1: no overshoot
    assert goal_extinguish(1.0, 0.5) == 0.5
    assert goal_extinguish(0.5, 1.0) == 0.0


def test_default_params_make_one_pairing_suprathreshold():
    p = SNANParams()
    one = symmetric_stdp(0.0, p.sensory_delay_ms, p.map_stdp_amplitude, p.map_stdp_tau_ms,
                         p.map_w_max)
    assert one >= p.v_threshold


def test_params_refuse_an_stdp_amplitude_that_leaves_synapses_subthreshold():
    with pytest.raises(ValueError, match='map_stdp_amplitude'):
        SNANParams(map_stdp_amplitude=0.5)
    assert SNANParams(map_stdp_amplitude=0.0).map_stdp_amplitude == 0.0  # the ablation
