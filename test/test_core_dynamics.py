"""Neuron, astrocyte and STDP dynamics against their analytic solutions."""
import math

import numpy as np
import pytest

from snan_nav.core.astrocyte import calcium_at, calcium_spike, gliotransmitter
from snan_nav.core.lif import first_spike_time_ms, lif_relax, lif_step
from snan_nav.core.params import SNANParams
from snan_nav.core.plasticity import depress, potentiate, stdp_window, trace_at


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


def _pair(delta_ticks, params):
    """Drive the trace implementation with one pre and one post spike; return e."""
    decay_x = math.exp(-params.dt_ms / params.tau_plus_ms)
    decay_y = math.exp(-params.dt_ms / params.tau_minus_ms)
    t_pre, t_post = (0, delta_ticks) if delta_ticks >= 0 else (-delta_ticks, 0)
    x = y = e = 0.0
    last = 0
    for t in sorted({t_pre, t_post}):
        x = trace_at(x, last, t, decay_x)
        y = trace_at(y, last, t, decay_y)
        last = t
        if t == t_pre:  # pre spike: depression from the post trace, then x += 1
            e = depress(e, y, params.a_minus, 1e9)
            x += 1.0
        if t == t_post:
            e = potentiate(e, x, params.a_plus, 1e9)
            y += 1.0
    return e


@pytest.mark.parametrize('delta', [1, 5, 10, 20, 40, -1, -5, -10, -20, -40])
def test_stdp_window_sign_and_time_constant_from_paired_spikes(delta):
    p = SNANParams(tau_plus_ms=15.0, tau_minus_ms=30.0, a_plus=1.0, a_minus=0.6)
    e = _pair(delta, p)
    expected = stdp_window(float(delta), p.a_plus, p.a_minus, p.tau_plus_ms, p.tau_minus_ms)
    assert e == pytest.approx(expected, rel=1e-9)
    assert (e > 0) == (delta > 0)
    if delta > 0:
        assert e == pytest.approx(p.a_plus * math.exp(-delta / p.tau_plus_ms))
    else:
        assert e == pytest.approx(-p.a_minus * math.exp(delta / p.tau_minus_ms))


def test_eligibility_saturates_at_its_bound():
    assert potentiate(0.9, 5.0, 1.0, 1.0) == 1.0
    assert depress(-0.9, 5.0, 1.0, 1.0) == -1.0
