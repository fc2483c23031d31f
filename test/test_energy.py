"""Energy per decision, digital baseline and area (snan_nav.crossbar.energy / synapses)."""
import math

import numpy as np
import pytest

from snan_nav.crossbar.array import CrossbarParams
from snan_nav.crossbar.energy import (area_report, digital_cost, EnergyMeter, EnergyParams,
                                      periphery_energy, read_energy)
from snan_nav.crossbar.synapses import CrossbarSynapses
from snan_nav.crossbar.vteam import conductance, VteamParams

DEV = VteamParams()


def test_cited_defaults():
    p = EnergyParams()
    assert p.e_adc_j == pytest.approx(1.6667e-12, rel=1e-4)     # ISAAC 16 mW / 8 / 1.2 GS/s
    assert p.e_row_driver_j == pytest.approx(0.41667e-12)
    assert p.e_fp32_mult_j == 3.7e-12 and p.e_fp32_add_j == 0.9e-12
    assert p.e_int8_mult_j == 0.2e-12 and p.e_int8_add_j == 0.03e-12
    assert p.e_sram_read_32b_j == 5e-12 and p.e_dram_read_32b_j == 640e-12


def test_read_energy_is_v2_g_t():
    g = np.array([1e-3, 2e-6, 5e-4])
    assert read_energy(g, 0.2, 1e-8) == pytest.approx(0.04 * 1e-8 * g.sum())


def test_decision_cost_hand_calculation():
    """A decision reading k cells costs k * V^2 * G * t plus periphery."""
    v_read, t_read = 0.15, 20e-9
    w = 0.4
    cp = CrossbarParams(v_read=v_read, t_read=t_read)
    syn = CrossbarSynapses(3, 4, cp, DEV, EnergyParams(), seed=0)
    syn.program(np.full((3, 4), w))
    n_ticks, n_pre = 20, 5
    weights = syn.read_row(1, n_ticks=n_ticks, n_pre_spikes=n_pre)
    np.testing.assert_allclose(weights, w, atol=1e-9)

    span = DEV.g_on - DEV.g_off
    g_plus = DEV.g_off + w * span
    g_minus = DEV.g_off
    k = n_pre * 4   # cells per device polarity read in the decision
    read_hand = k * v_read ** 2 * t_read * (g_plus + g_minus)
    e = EnergyParams()
    periphery_hand = (n_pre * e.e_row_driver_j + n_pre * 4 * e.e_adc_j
                      + n_ticks * 5 * e.e_neuron_update_j)
    digital_hand = (n_pre * 4 * (3.7e-12 + 0.9e-12) + n_pre * 4 * 5e-12
                    + n_ticks * 5 * (3.7e-12 + 2 * 0.9e-12))
    rep = syn.energy_report()
    assert rep['n_decisions'] == 1
    assert rep['energy_breakdown_j']['read'] == pytest.approx(read_hand, rel=1e-9)
    assert rep['energy_breakdown_j']['periphery'] == pytest.approx(periphery_hand, rel=1e-12)
    assert rep['energy_breakdown_j']['write'] == 0.0
    assert rep['energy_per_decision_j'] == pytest.approx(read_hand + periphery_hand, rel=1e-9)
    assert rep['digital_energy_per_decision_j'] == pytest.approx(digital_hand, rel=1e-12)


def test_write_energy_is_pulse_energy_plus_drivers():
    syn = CrossbarSynapses(2, 4, seed=0)
    syn.program(np.full((2, 4), 0.2))
    realised = syn.write(0, 1, 0.3)
    assert realised == pytest.approx(0.3, abs=1e-6)
    rec = syn.last_write
    assert rec.n_pulses == 1 and rec.energy_j > 0
    syn.read_row(0, n_ticks=0, n_pre_spikes=0)   # closes the decision the write landed in
    rep = syn.energy_report()
    e = EnergyParams()
    assert rep['energy_breakdown_j']['write'] == pytest.approx(rec.energy_j)
    assert rep['energy_breakdown_j']['periphery'] == pytest.approx(e.e_write_driver_j)
    assert rep['digital_energy_per_decision_j'] == pytest.approx(0.9e-12 + 5e-12)
    assert rep['n_writes'] == 1 and rep['n_pulses'] == 1


def test_pulse_energy_bounds():
    """SET pulse energy lies between v^2 G t at the start and at the end conductance."""
    syn = CrossbarSynapses(1, 4, seed=0)
    syn.program(np.full((1, 4), 0.2))
    syn.write(0, 0, 0.5)
    p = syn.last_write.pulses[0]
    g0 = conductance(p.w_before, DEV)
    g1 = conductance(p.w_after, DEV)
    assert p.v ** 2 * g0 * p.width < p.energy_j < p.v ** 2 * g1 * p.width


def test_energy_report_keys_and_means():
    syn = CrossbarSynapses(10, 4, seed=2)
    syn.program(np.full((10, 4), 0.3))
    for row in range(4):
        syn.read_row(row, n_ticks=20, n_pre_spikes=5)
    rep = syn.energy_report()
    for key in ('energy_per_decision_j', 'energy_breakdown_j', 'digital_energy_per_decision_j',
                'area_mm2', 'neurons_per_mm2', 'n_decisions'):
        assert key in rep
    assert set(rep['energy_breakdown_j']) == {'read', 'write', 'periphery'}
    assert rep['n_decisions'] == 4
    hist = syn.meter.history
    assert rep['energy_per_decision_j'] == pytest.approx(np.mean([c.total_j for c in hist]))
    assert rep['digital_energy_per_decision_j'] > rep['energy_per_decision_j']


def test_periphery_and_digital_counts():
    e = EnergyParams()
    assert periphery_energy(e, n_row_activations=2, n_adc_conversions=3, n_neuron_updates=4,
                            n_spikes=1, n_write_pulses=2) == pytest.approx(
        2 * e.e_row_driver_j + 3 * e.e_adc_j + 4 * e.e_neuron_update_j + e.e_neuron_spike_j
        + 2 * e.e_write_driver_j)
    d = digital_cost({'mac': 10, 'weight_read': 10}, EnergyParams(digital_precision='int8'))
    assert d['total'] == pytest.approx(10 * (0.2e-12 + 0.03e-12) + 10 * 5e-12)
    d = digital_cost({'weight_read': 1}, EnergyParams(digital_weight_memory='dram'))
    assert d['total'] == pytest.approx(640e-12)
    with pytest.raises(ValueError, match='unknown op'):
        digital_cost({'flops': 1})
    with pytest.raises(ValueError, match='mac'):
        digital_cost({'mac': -1})


def test_meter_attributes_open_charges_to_next_decision():
    m = EnergyMeter()
    m.charge_read([1e-3], 0.1, 1e-8)
    c1 = m.close_decision()
    m.charge_write(2e-12, n_pulses=1)
    assert m.report()['energy_per_decision_j'] == pytest.approx(
        c1.total_j + 2e-12 + EnergyParams().e_write_driver_j)
    c2 = m.close_decision()
    assert c2.write_j == pytest.approx(2e-12) and m.n_decisions == 2


def test_from_mapping_overrides_and_validates():
    p = EnergyParams.from_mapping({'e_adc_j': 1e-12, 'digital_precision': 'int8'})
    assert p.e_adc_j == 1e-12 and p.e_mult_j == 0.2e-12
    assert EnergyParams.from_mapping(None) == EnergyParams()
    with pytest.raises(ValueError, match='unknown EnergyParams key'):
        EnergyParams.from_mapping({'e_adc': 1e-12})
    with pytest.raises(ValueError, match='e_adc_j'):
        EnergyParams.from_mapping({'e_adc_j': -1e-12})
    with pytest.raises(ValueError, match='feature_size_m'):
        EnergyParams.from_mapping({'feature_size_m': 0.0})
    with pytest.raises(ValueError, match='digital_precision'):
        EnergyParams.from_mapping({'digital_precision': 'fp64'})
    with pytest.raises(ValueError, match='finite'):
        EnergyParams.from_mapping({'e_fp32_add_j': math.nan})


def test_area_hand_calculation():
    e = EnergyParams()
    a = area_report(100, 4, e)
    cells = 100 * 4 * 2 * 4 * (32e-9) ** 2
    periph = 4 * 1200e-12 + 100 * 0.166e-12 + 104 * 34e-12
    assert a.cells_mm2 == pytest.approx(cells * 1e6)
    assert a.area_mm2 == pytest.approx((cells + periph) * 1e6)
    assert a.neurons_per_mm2 == pytest.approx(104 / ((cells + periph) * 1e6))


def test_bad_counts_rejected():
    syn = CrossbarSynapses(2, 4)
    with pytest.raises(ValueError, match='n_ticks'):
        syn.read_row(0, n_ticks=-1, n_pre_spikes=1)
    with pytest.raises(ValueError, match='n_pre_spikes'):
        syn.read_row(0, n_ticks=1, n_pre_spikes=1.5)


def test_plots_render(tmp_path):
    from snan_nav.crossbar.plots import plot_conductance_evolution, plot_energy_per_episode
    syn = CrossbarSynapses(3, 4, seed=0)
    syn.program(np.full((3, 4), 0.1))
    snaps = [syn.conductance_snapshot()]
    for i in range(3):
        syn.write(i, i, 0.2)
        snaps.append(syn.conductance_snapshot())
    plot_conductance_evolution(snaps, str(tmp_path / 'g.png'))
    plot_energy_per_episode([3e-11, 2.5e-11], str(tmp_path / 'e.png'), digital_j=[7e-10, 7e-10])
    assert (tmp_path / 'g.png').stat().st_size > 0 and (tmp_path / 'e.png').stat().st_size > 0
