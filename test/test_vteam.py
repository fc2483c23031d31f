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
"""Behaviour of the VTEAM device model (snan_nav.crossbar.vteam)."""
import dataclasses
import math

import numpy as np
import pytest

from snan_nav.crossbar.vteam import (apply_pulse, apply_pulse_many, conductance, drift, dw_dt,
                                     pulse_for_delta, resistance, state_from_conductance,
                                     VTEAM_MEMTORCH_DEFAULT, VTEAM_NGSPICE_MEMR2, VteamParams,
                                     window_value)

P = VteamParams()


def _ref_dw_dt(v, w, p):
    """Independent VTEAM state equation (normalised state), written from the paper."""
    if v > p.v_off:
        k = p.k_off * (v / p.v_off - 1.0) ** p.alpha_off
    elif v < p.v_on:
        k = p.k_on * (v / p.v_on - 1.0) ** p.alpha_on
    else:
        return 0.0
    if p.window == 'none':
        f = 1.0
    elif p.window == 'biolek':
        f = 1.0 - (w - (1.0 if v < 0 else 0.0)) ** (2 * p.p)
    elif p.window == 'joglekar':
        f = 1.0 - (2 * w - 1.0) ** (2 * p.p)
    else:
        d = p.d
        if v >= 0:
            f = math.exp(-math.exp((w * d + p.w_on - p.a_off) / p.w_c))
        else:
            f = math.exp(-math.exp(-(w * d + p.w_on - p.a_on) / p.w_c))
    return k * f / p.d


def _ref_integrate(w, v, width, p, n):
    """Fine fixed-step RK4 reference (pure Python) with clipping to [0, 1]."""
    h = width / n
    for _ in range(n):
        k1 = _ref_dw_dt(v, w, p)
        k2 = _ref_dw_dt(v, min(max(w + 0.5 * h * k1, 0.0), 1.0), p)
        k3 = _ref_dw_dt(v, min(max(w + 0.5 * h * k2, 0.0), 1.0), p)
        k4 = _ref_dw_dt(v, min(max(w + h * k3, 0.0), 1.0), p)
        w = min(max(w + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4), 0.0), 1.0)
    return w


def test_defaults_are_the_cited_set_and_sign_rule_holds():
    assert VTEAM_NGSPICE_MEMR2 == P
    for p in (VTEAM_NGSPICE_MEMR2, VTEAM_MEMTORCH_DEFAULT):
        assert p.k_on < 0 < p.k_off
        assert p.v_on < 0 < p.v_off
        assert p.r_on < p.r_off


@pytest.mark.parametrize('params', [VTEAM_NGSPICE_MEMR2, VTEAM_MEMTORCH_DEFAULT])
def test_zero_change_inside_threshold_window(params):
    for v in np.linspace(params.v_on, params.v_off, 41):
        for w in (0.0, 0.3, 0.77, 1.0):
            assert dw_dt(v, w, params) == 0.0
            w1, e = apply_pulse(w, v, 1.0e-3, params)
            assert w1 == w
            assert e == pytest.approx(v * v * conductance(w, params) * 1.0e-3, rel=1e-12)


def test_sign_outside_window_and_rate_grows_with_voltage():
    w = 0.5
    ups = [dw_dt(v, w, P) for v in (0.31, 0.4, 0.6, 1.0)]
    downs = [dw_dt(v, w, P) for v in (-1.51, -1.6, -2.0, -3.0)]
    assert all(r > 0 for r in ups), 'v > v_off must increase w (toward OFF)'
    assert all(r < 0 for r in downs), 'v < v_on must decrease w (toward ON)'
    assert all(b > a for a, b in zip(ups, ups[1:]))
    assert all(abs(b) > abs(a) for a, b in zip(downs, downs[1:]))
    # the same holds for the state reached by equal-width pulses
    reached = [apply_pulse(0.5, v, 5e-9, P)[0] for v in (0.4, 0.5, 0.6)]
    assert reached[0] < reached[1] < reached[2]


def test_drift_matches_vteam_equation():
    v = 0.6
    assert drift(v, P) == pytest.approx(P.k_off * (v / P.v_off - 1.0) ** P.alpha_off)
    v = -2.0
    assert drift(v, P) == pytest.approx(P.k_on * (v / P.v_on - 1.0) ** P.alpha_on)


@pytest.mark.parametrize('window', ['none', 'joglekar', 'biolek', 'kvatinsky'])
def test_state_bounded_by_window(window):
    p = dataclasses.replace(P, window=window)
    for w0, v in ((0.5, 3.0), (0.5, -4.0), (0.99, 1.0), (0.01, -2.0)):
        w1, e = apply_pulse(w0, v, 1.0e-3, p)
        assert 0.0 <= w1 <= 1.0
        assert e > 0.0
    many, _ = apply_pulse_many(np.linspace(0, 1, 11), 2.0, 1.0e-6, p)
    assert np.all((many >= 0.0) & (many <= 1.0))


def test_window_values():
    assert window_value(0.3, 0.5, dataclasses.replace(P, window='none')) == 1.0
    jog = dataclasses.replace(P, window='joglekar', p=1.0)
    assert window_value(0.5, 1.0, jog) == pytest.approx(1.0)
    assert window_value(0.0, 1.0, jog) == pytest.approx(0.0)
    bio = dataclasses.replace(P, window='biolek', p=1.0)
    assert window_value(1.0, 1.0, bio) == pytest.approx(0.0)     # OFF bound stops RESET
    assert window_value(0.0, 1.0, bio) == pytest.approx(1.0)     # but not SET from OFF
    assert window_value(0.0, -2.0, bio) == pytest.approx(0.0)
    kv = dataclasses.replace(P, window='kvatinsky')
    assert window_value(P.a_off / P.d, 1.0, kv) == pytest.approx(math.exp(-1.0))


@pytest.mark.parametrize('r_model', ['linear', 'exponential'])
def test_resistance_limits(r_model):
    p = dataclasses.replace(P, r_model=r_model)
    assert resistance(0.0, p) == pytest.approx(p.r_on)
    assert resistance(1.0, p) == pytest.approx(p.r_off)
    w = np.linspace(0, 1, 17)
    r = resistance(w, p)
    assert np.all(np.diff(r) > 0)
    np.testing.assert_allclose(state_from_conductance(1.0 / r, p), w, atol=1e-12)
    if r_model == 'exponential':
        assert resistance(0.5, p) == pytest.approx(p.r_on * math.exp(0.5 * math.log(
            p.r_off / p.r_on)))
    else:
        assert resistance(0.5, p) == pytest.approx(0.5 * (p.r_on + p.r_off))


@pytest.mark.parametrize('window', ['none', 'biolek', 'kvatinsky'])
def test_pulse_train_matches_fine_reference(window):
    p = dataclasses.replace(P, window=window)
    train = [(0.45, 100e-9), (-1.65, 20e-9), (0.2, 50e-9), (0.6, 10e-9), (-1.7, 30e-9),
             (0.5, 200e-9)]
    w = 0.4
    w_ref = 0.4
    for v, width in train:
        w, _ = apply_pulse(w, v, width, p)
        w_ref = _ref_integrate(w_ref, v, width, p, 20000)
        assert w == pytest.approx(w_ref, abs=2e-6)


def test_pulse_energy_matches_reference_quadrature():
    p = dataclasses.replace(P, window='none')
    v, width, w0 = 0.45, 300e-9, 0.2
    w1, e = apply_pulse(w0, v, width, p)
    r = drift(v, p) / p.d
    t = np.linspace(0.0, width, 200001)
    w = np.clip(w0 + r * t, 0.0, 1.0)
    g = 1.0 / (p.r_on + (p.r_off - p.r_on) * w)
    e_ref = np.trapezoid(v * v * g, t)
    assert e == pytest.approx(e_ref, rel=1e-6)
    assert w1 == pytest.approx(min(w0 + r * width, 1.0))


@pytest.mark.parametrize('window', ['none', 'biolek', 'kvatinsky'])
def test_pulse_for_delta_reaches_target(window):
    p = dataclasses.replace(P, window=window)
    for w_now, w_tgt, v in ((0.2, 0.7, 0.45), (0.7, 0.05, -1.65), (0.0, 0.01, 0.6)):
        width = pulse_for_delta(w_now, w_tgt, p, v)
        assert width > 0.0
        w1, _ = apply_pulse(w_now, v, width, p)
        assert w1 == pytest.approx(w_tgt, abs=1e-6)
    # analytic width for the window-free constant-voltage case
    p0 = dataclasses.replace(P, window='none')
    width = pulse_for_delta(0.1, 0.6, p0, 0.45)
    assert width == pytest.approx(0.5 * p0.d / drift(0.45, p0), rel=1e-7)


def test_pulse_for_delta_rejects_useless_amplitude():
    with pytest.raises(ValueError, match='threshold window'):
        pulse_for_delta(0.2, 0.7, P, 0.1)
    with pytest.raises(ValueError, match='v_amp > v_off'):
        pulse_for_delta(0.2, 0.7, P, -2.0)
    with pytest.raises(ValueError, match='v_amp < v_on'):
        pulse_for_delta(0.7, 0.2, P, 0.5)
    assert pulse_for_delta(0.4, 0.4, P, 0.5) == 0.0


def test_joglekar_boundary_lock_returns_t_max():
    p = dataclasses.replace(P, window='joglekar')
    assert pulse_for_delta(1.0, 0.5, p, -2.0, t_max=1e-6) == 1e-6


@pytest.mark.parametrize('field,value,needle', [
    ('k_on', 5.0, 'k_on'), ('k_off', -1.0, 'k_off'), ('v_on', 0.27, 'v_on'),
    ('v_off', -0.3, 'v_off'), ('r_off', 500.0, 'r_off'), ('r_on', 0.0, 'r_on'),
    ('alpha_on', 0.0, 'alpha_on'), ('w_off', -1.0, 'w_off'), ('k_off', float('nan'), 'finite'),
    ('window', 'hann', 'window'), ('r_model', 'cubic', 'r_model'), ('p', -1.0, 'p'),
])
def test_bad_parameters_raise_with_field_name(field, value, needle):
    with pytest.raises(ValueError, match=needle):
        dataclasses.replace(P, **{field: value})


def test_seed_sketch_positive_v_on_is_rejected():
    """The seed write-up's dict had v_on = +0.27 V, breaking v_on < 0 < v_off."""
    with pytest.raises(ValueError, match='v_on < 0 < v_off'):
        VteamParams(v_on=0.27, v_off=0.37, r_on=100.0, r_off=1.0e4, alpha_on=1.0,
                    alpha_off=1.0)


def test_negative_pulse_width_rejected():
    with pytest.raises(ValueError, match='width'):
        apply_pulse(0.5, 1.0, -1e-9, P)


def test_from_mapping():
    p = VteamParams.from_mapping({'r_model': 'exponential', 'v_off': 0.4})
    assert p.r_model == 'exponential' and p.v_off == 0.4 and p.k_on == P.k_on
    with pytest.raises(ValueError, match='unknown VteamParams key'):
        VteamParams.from_mapping({'Ron': 1.0})
    with pytest.raises(ValueError, match='v_on'):
        VteamParams.from_mapping({'v_on': 0.1})


def test_packed_parameters_are_read_only():
    with pytest.raises(ValueError):
        P.packed[0] = 1.0
