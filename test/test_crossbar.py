"""Weight <-> conductance mapping, reads and writes of the VTEAM crossbar."""
import dataclasses

import numpy as np
import pytest

from snan_nav.crossbar.array import (conductances_to_weights, Crossbar, CrossbarParams,
                                     weights_to_conductances)
from snan_nav.crossbar.vteam import VTEAM_MEMTORCH_DEFAULT, VteamParams

DEV = VteamParams()


def _weights(shape, lo, hi, seed=0):
    return np.random.default_rng(seed).uniform(lo, hi, shape)


@pytest.mark.parametrize('r_model', ['linear', 'exponential'])
def test_analog_round_trip(r_model):
    dev = dataclasses.replace(DEV, r_model=r_model)
    cb = Crossbar(6, 4, CrossbarParams(), dev, seed=3)
    w = _weights((6, 4), 0.0, 1.0)
    cb.program_weights(w)
    np.testing.assert_allclose(cb.weights(), w, atol=1e-9)


@pytest.mark.parametrize('n_levels', [2, 5, 17, 256])
def test_quantised_round_trip_within_step(n_levels):
    params = CrossbarParams(w_min=-1.0, w_max=1.0, n_levels=n_levels)
    cb = Crossbar(8, 4, params, DEV)
    w = _weights((8, 4), -1.0, 1.0, seed=n_levels)
    cb.program_weights(w)
    step = params.w_scale / (n_levels - 1)
    err = np.abs(cb.weights() - w)
    assert np.all(err <= 0.5 * step + 1e-9)
    levels = np.round(cb.weights() / step)
    np.testing.assert_allclose(cb.weights(), levels * step, atol=1e-9)


def test_mapping_keeps_one_device_at_g_off_and_decodes_sign():
    params = CrossbarParams(w_min=-2.0, w_max=2.0)
    g = weights_to_conductances(np.array([-2.0, -0.5, 0.0, 1.0, 3.0]), params, DEV)
    assert np.all(np.min(g, axis=-1) == pytest.approx(DEV.g_off))
    np.testing.assert_allclose(conductances_to_weights(g, params, DEV),
                               [-2.0, -0.5, 0.0, 1.0, 2.0], atol=1e-12)
    assert g[0, 1] == pytest.approx(DEV.g_on) and g[-1, 0] == pytest.approx(DEV.g_on)


def test_variation_is_seeded():
    params = CrossbarParams(sigma_d2d=0.2)
    a = Crossbar(5, 4, params, DEV, seed=11)
    b = Crossbar(5, 4, params, DEV, seed=11)
    c = Crossbar(5, 4, params, DEV, seed=12)
    np.testing.assert_array_equal(a.variation, b.variation)
    assert not np.allclose(a.variation, c.variation)
    assert np.all(a.variation > 0)
    # the variation shows up as weight error (open-loop programming), identically per seed
    w = _weights((5, 4), 0.0, 1.0)
    a.program_weights(w)
    b.program_weights(w)
    np.testing.assert_array_equal(a.weights(), b.weights())
    assert not np.allclose(a.weights(), w)


def test_read_does_not_disturb_state():
    params = CrossbarParams(sigma_read=0.05, v_read=0.25)
    cb = Crossbar(4, 4, params, DEV, seed=1)
    cb.program_weights(_weights((4, 4), 0.0, 1.0))
    before = cb.state.copy()
    for _ in range(50):
        for row in range(4):
            cb.read_row(row)
    np.testing.assert_array_equal(cb.state, before)


def test_read_currents_weights_and_energy():
    params = CrossbarParams(v_read=0.2, t_read=5e-9)
    cb = Crossbar(3, 4, params, DEV)
    w = _weights((3, 4), 0.0, 1.0)
    cb.program_weights(w)
    res = cb.read_row(2)
    g = cb.conductances()[2]
    np.testing.assert_allclose(res.currents, 0.2 * g)
    np.testing.assert_allclose(res.column_currents, 0.2 * (g[:, 0] - g[:, 1]))
    np.testing.assert_allclose(res.weights, w[2], atol=1e-9)
    assert res.energy_j == pytest.approx(0.2 ** 2 * 5e-9 * g.sum(), rel=1e-12)


def test_read_noise_is_seeded():
    params = CrossbarParams(sigma_read=0.1)
    runs = []
    for _ in range(2):
        cb = Crossbar(2, 4, params, DEV, seed=5)
        cb.program_weights(np.full((2, 4), 0.5))
        runs.append([cb.read_row(0).weights for _ in range(3)])
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.allclose(runs[0][0], runs[0][1])


def test_apply_delta_positive_and_negative():
    cb = Crossbar(2, 4, CrossbarParams(), DEV)
    cb.program_weights(np.full((2, 4), 0.3))
    rec = cb.apply_delta(1, 2, 0.1)
    assert rec.realised_dw == pytest.approx(0.1, abs=1e-6)
    assert [(p.device, p.kind) for p in rec.pulses] == [(0, 'SET')]
    assert rec.pulses[0].v < DEV.v_on and rec.pulses[0].width > 0 and rec.energy_j > 0
    rec = cb.apply_delta(1, 2, -0.25)
    assert rec.realised_dw == pytest.approx(-0.25, abs=1e-6)
    assert [(p.device, p.kind) for p in rec.pulses] == [(0, 'RESET')]
    assert rec.pulses[0].v > DEV.v_off
    assert cb.weights()[1, 2] == pytest.approx(0.15, abs=1e-6)
    # neighbours untouched
    np.testing.assert_allclose(np.delete(cb.weights()[1], 2), 0.3, atol=1e-9)
    np.testing.assert_allclose(cb.weights()[0], 0.3, atol=1e-9)


def test_apply_delta_clips_at_bounds():
    cb = Crossbar(1, 4, CrossbarParams(), DEV)
    cb.program_weights(np.full((1, 4), 0.9))
    rec = cb.apply_delta(0, 0, 0.5)
    assert rec.target_w == 1.0
    assert rec.realised_dw == pytest.approx(0.1, abs=1e-5)
    rec = cb.apply_delta(0, 1, -2.0)
    assert rec.target_w == 0.0
    assert rec.realised_dw == pytest.approx(-0.9, abs=1e-5)


def test_sign_change_uses_both_devices_reset_first():
    cb = Crossbar(1, 4, CrossbarParams(w_min=-1.0, w_max=1.0), DEV)
    cb.program_weights(np.array([[0.4, 0.0, 0.0, 0.0]]))
    rec = cb.apply_delta(0, 0, -0.7)
    assert [(p.device, p.kind) for p in rec.pulses] == [(0, 'RESET'), (1, 'SET')]
    assert cb.weights()[0, 0] == pytest.approx(-0.3, abs=1e-5)


def test_quantised_write_lands_on_levels():
    params = CrossbarParams(n_levels=11)
    cb = Crossbar(1, 4, params, DEV)
    cb.program_weights(np.full((1, 4), 0.5))
    cb.apply_delta(0, 3, 0.14)   # target 0.64 -> level 0.6
    assert cb.weights()[0, 3] == pytest.approx(0.6, abs=1e-4)


def test_pulse_width_quantisation_and_clipping():
    params = CrossbarParams(t_pulse_step=1e-9, t_pulse_max=5e-9)
    cb = Crossbar(1, 4, params, DEV)
    cb.program_weights(np.zeros((1, 4)))
    rec = cb.apply_delta(0, 0, 0.8)
    for p in rec.pulses:
        assert p.width <= 5e-9 + 1e-18
        assert p.width / 1e-9 == pytest.approx(round(p.width / 1e-9))


def test_zero_delta_is_a_no_op():
    cb = Crossbar(1, 4, CrossbarParams(), DEV)
    cb.program_weights(np.full((1, 4), 0.2))
    before = cb.state.copy()
    rec = cb.apply_delta(0, 1, 0.0)
    assert rec.pulses == () and rec.realised_dw == 0.0
    np.testing.assert_array_equal(cb.state, before)


@pytest.mark.parametrize('kwargs,needle', [
    ({'v_read': 0.5}, 'v_read'),             # above v_off = 0.3 V
    ({'v_read': -1.6}, 'v_read'),            # below v_on = -1.5 V
    ({'v_set': -1.0}, 'v_set'),
    ({'v_reset': 0.2}, 'v_reset'),
])
def test_voltages_checked_against_device(kwargs, needle):
    with pytest.raises(ValueError, match=needle):
        Crossbar(2, 4, CrossbarParams(**kwargs), DEV)


def test_memtorch_device_needs_tiny_read_voltage():
    with pytest.raises(ValueError, match='threshold window'):
        Crossbar(2, 4, CrossbarParams(v_set=-0.3, v_reset=0.05), VTEAM_MEMTORCH_DEFAULT)
    cb = Crossbar(2, 4, CrossbarParams(v_read=0.01, v_set=-0.3, v_reset=0.05),
                  VTEAM_MEMTORCH_DEFAULT)
    cb.program_weights(np.full((2, 4), 0.5))
    rec = cb.apply_delta(0, 0, 0.2)
    assert rec.realised_dw == pytest.approx(0.2, abs=1e-5)


@pytest.mark.parametrize('kwargs,needle', [
    ({'t_read': -1e-9}, 't_read'), ({'t_read': 0.0}, 't_read'),
    ({'t_pulse_max': -1.0}, 't_pulse_max'), ({'t_pulse_step': -1e-9}, 't_pulse_step'),
    ({'w_min': 1.0, 'w_max': 0.0}, 'w_max'), ({'n_levels': 1}, 'n_levels'),
    ({'sigma_d2d': -0.1}, 'sigma_d2d'), ({'sigma_read': float('inf')}, 'finite'),
    ({'v_read': 0.0}, 'v_read'),
])
def test_bad_crossbar_params(kwargs, needle):
    with pytest.raises(ValueError, match=needle):
        CrossbarParams(**kwargs)


def test_bad_indices_and_shapes():
    cb = Crossbar(2, 4, CrossbarParams(), DEV)
    with pytest.raises(ValueError, match='row'):
        cb.read_row(2)
    with pytest.raises(ValueError, match='col'):
        cb.apply_delta(0, 4, 0.1)
    with pytest.raises(ValueError, match='shape'):
        cb.program_weights(np.zeros((3, 4)))


def test_crossbar_params_from_mapping_and_row_weights():
    params = CrossbarParams.from_mapping({'n_levels': 9, 'v_read': 0.05})
    assert params.n_levels == 9 and params.v_read == 0.05
    with pytest.raises(ValueError, match='unknown CrossbarParams key'):
        CrossbarParams.from_mapping({'levels': 9})
    cb = Crossbar(3, 4, params, DEV)
    w = _weights((3, 4), 0.0, 1.0)
    cb.program_weights(w)
    np.testing.assert_array_equal(cb.row_weights(1), cb.weights()[1])
