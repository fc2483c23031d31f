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
"""The energy ledger is decided by the run: counted events priced by cited constants.

These tests fail for a figure that follows from constants alone: a hand-computed ledger of a
3-decision run, energy that changes by exactly the priced difference of the counted events,
and ratios that move when the work moves.
"""
import math

import numpy as np
import pytest

from snan_nav.agents.snan import make_snan_agent
from snan_nav.core.state import COUNTER_NAMES
from snan_nav.crossbar.area import area_report, STATE_BITS
from snan_nav.crossbar.energy import EnergyParams
from snan_nav.crossbar.ledger import (COMPONENTS, EVENT_OPS, MACHINES, operation_counts,
                                      price, Usage)
from snan_nav.crossbar.summary import per_decision, pool
from snan_nav.crossbar.synapses import CrossbarSynapses
from snan_nav.world.builtin import resolve_map
from snan_nav.world.episode import GridWorld, run_episode
from snan_nav.world.grid import GridMap

E = EnergyParams()


def test_cited_defaults():
    assert E.e_adc_j == pytest.approx(1.6667e-12, rel=1e-4)        # ISAAC 16 mW / 8 / 1.2 GS/s
    assert E.e_row_driver_j == pytest.approx(0.41667e-12)
    assert (E.e_fp32_mult_j, E.e_fp32_add_j) == (3.7e-12, 0.9e-12)  # Horowitz 45 nm
    assert (E.e_int32_mult_j, E.e_int32_add_j) == (3.1e-12, 0.1e-12)
    assert (E.e_int8_mult_j, E.e_int8_add_j) == (0.2e-12, 0.03e-12)
    assert (E.e_reg_j, E.e_sram_j, E.e_dram_j) == (1e-12, 5e-12, 640e-12)
    assert E.e_spike_j == 1.61e-15 and E.neuron_area_m2 == 34e-12   # Besrour
    assert E.cpu_core_power_w == pytest.approx(400 / 96)
    assert E.cpu_core_area_m2 == pytest.approx(70.6e-6 / 8)


def test_every_counted_event_is_priced():
    assert set(EVENT_OPS) == set(COUNTER_NAMES) - {'tick'}   # idle ticks: power-gated
    for ops in EVENT_OPS.values():
        assert all(component in COMPONENTS for component, _, _ in ops)
    with pytest.raises(ValueError, match='unknown event counter'):
        operation_counts({'flops': 1})
    with pytest.raises(ValueError, match='must be >= 0'):
        operation_counts({'wave_spikes': -1})


def _corridor_run(**energy):
    """Three decisions: a 4x1 corridor walked east to a cued goal (every step novel)."""
    grid = GridMap(np.zeros((1, 4), dtype=bool))
    syn = CrossbarSynapses(4, energy=EnergyParams(**energy))
    agent = make_snan_agent('snan', grid, seed=0, synapses=syn)
    agent.cue_goal(3)
    result = run_episode(agent, GridWorld(grid, (0, 0), (3, 0)))
    return agent, syn, result


def test_hand_computed_ledger_of_a_three_decision_run():
    agent, syn, result = _corridor_run()
    assert result.success and result.steps == 3
    c = agent.event_counts()
    # what the run must have counted, by hand
    assert c['decisions'] == 3 and c['race_ticks'] == 3 * 20
    assert c['map_reads'] == 4 * 4              # 4 observations (start, 3 arrivals) x 4 sides
    assert c['sensory_spikes'] == 1 + 2 + 2 + 1  # free neighbours seen at cells 0..3
    assert syn.array.n_pulses == 6              # 3 corridor links, both directions, one SET each
    u = syn.usage(c)
    e = E
    v2t = syn.array.params.v_read ** 2 * syn.array.params.t_read
    assert u.e_read_on_j == pytest.approx(v2t * e_g_on()) and u.e_read_off_j == pytest.approx(
        v2t * e_g_off())
    rows = (c['sensory_spikes'] + c['map_reads'] / 4 + c['wave_spikes'] + c['search_spikes']
            + c['route_reads'])
    reads = (c['sensory_spikes'] + c['map_reads'] + c['wave_reads'] + c['search_reads']
             + c['route_reads'])
    add, mult, sram, reg = e.e_int32_add_j, e.e_int32_mult_j, e.e_sram_j, e.e_reg_j
    active = 60 * e.t_tick_s + rows * e.t_row_s + syn.array.pulse_time_s
    hand = {
        'crossbar_read': rows * e.e_row_driver_j + reads * u.e_read_on_j
        + (4 * rows - reads) * u.e_read_off_j,
        'crossbar_write': syn.array.pulse_energy_j + 6 * e.e_write_driver_j,
        'neurons': e.e_spike_j * (c['place_spikes'] + c['action_spikes'] + c['sensory_spikes']
                                  + c['wave_spikes'] + c['search_spikes'] + c['readout_spikes'])
        + (4 + 5) * e.p_neuron_static_w * active,
        'astrocytes': c['calcium_updates'] * (3 * reg + mult + add) + 3 * 4 * sram
        + c['calcium_reads'] * (2 * sram + 2 * reg + mult + add)
        + c['readout_spikes'] * (2 * mult + add),
        'plasticity': c['map_writes'] * (reg + 2 * add)
        + c['goal_writes'] * (2 * sram + mult + 2 * add),
        'periphery': 3 * (4 * sram + 2 * reg) + c['map_reads'] * add + c['known_reads'] * sram
        + c['wave_spikes'] * (sram + 2 * reg + add) + c['wave_reads'] * (sram + add)
        + c['wave_resets'] * 2 * reg + c['wave_clears'] * sram
        + c['search_spikes'] * (4 * sram + 2 * reg + add) + c['search_reads'] * (2 * sram + add)
        + c['route_reads'] * 2 * sram + c['goal_reads'] * (sram + add)
        + c['new_places'] * (sram + reg) + c['bound_tests'] * (sram + add)
        + c['bound_distances'] * (reg + 5 * add),
    }
    ledger = price(u, e, 4, 'analog')
    for comp in COMPONENTS:
        assert ledger.components[comp] == pytest.approx(hand[comp], rel=1e-12), comp
    assert ledger.active_time_s == pytest.approx(active, rel=1e-12)
    report = agent.energy_report()
    assert report['energy_per_decision_j'] == pytest.approx(sum(hand.values()) / 3, rel=1e-12)
    # the digital baseline of the same counts (fp32, weights in SRAM), by hand
    fadd, fmult = e.e_fp32_add_j, e.e_fp32_mult_j
    neuron = fmult + 2 * fadd + 2 * reg
    digital = (60 * (5 * neuron + 4 * (4 * fmult + 4 * fadd))
               + 3 * (4 * sram + 2 * reg + 5 * (reg + fmult) + 4 * sram + 4 * sram)
               + reg * (c['place_spikes'] + c['action_spikes'] + c['sensory_spikes']
                        + c['wave_spikes'] + c['search_spikes'])
               + c['readout_spikes'] * (fadd + 2 * fmult + fadd)
               + reads * sram + c['map_writes'] * (reg + 2 * fadd + sram)
               + c['calcium_updates'] * (3 * reg + fmult + fadd)
               + c['calcium_reads'] * (2 * sram + 2 * reg + fmult + fadd)
               + c['goal_writes'] * (2 * sram + fmult + 2 * fadd)
               + c['map_reads'] * fadd + c['known_reads'] * sram
               + c['wave_spikes'] * (sram + 2 * reg + fadd) + c['wave_reads'] * (sram + fadd)
               + c['wave_resets'] * 2 * reg + c['wave_clears'] * sram
               + c['search_spikes'] * (4 * sram + 2 * reg + fadd)
               + c['search_reads'] * (2 * sram + fadd) + c['route_reads'] * 2 * sram
               + c['goal_reads'] * (sram + fadd) + c['new_places'] * (sram + reg)
               + c['bound_tests'] * (sram + fadd) + c['bound_distances'] * (reg + 5 * fadd))
    assert price(u, e, 4, 'digital').total_j == pytest.approx(digital, rel=1e-12)
    assert report['digital_energy_per_decision_j'] == pytest.approx(digital / 3, rel=1e-12)


def e_g_on():
    from snan_nav.crossbar.vteam import VteamParams
    return VteamParams().g_on


def e_g_off():
    from snan_nav.crossbar.vteam import VteamParams
    return VteamParams().g_off


def _unit(event, e_on, e_off, **pulses):
    return Usage({event: 1} if event else {}, e_read_on_j=e_on, e_read_off_j=e_off, **pulses)


@pytest.mark.parametrize('machine', MACHINES)
def test_energy_changes_by_the_priced_difference_of_the_counted_events(machine):
    grid = resolve_map('gen:rooms:16:5')
    usages = []
    for seed, goal in ((1, (14, 14)), (2, (3, 12))):
        syn = CrossbarSynapses(grid.n_cells)
        agent = make_snan_agent('snan', grid, seed=seed, synapses=syn)
        for _ in range(3):
            run_episode(agent, GridWorld(grid, (1, 1), goal))
        usages.append(syn.usage(agent.event_counts()))
    u1, u2 = usages
    assert u1.e_read_on_j == pytest.approx(u2.e_read_on_j, rel=1e-12)  # ideal devices
    n = grid.n_cells
    diff = price(u1, E, n, machine).total_j - price(u2, E, n, machine).total_j
    expected = sum((u1.counts[k] - u2.counts[k]) * price(_unit(k, u1.e_read_on_j,
                                                               u1.e_read_off_j), E, n,
                                                         machine).total_j
                   for k in COUNTER_NAMES)
    pulses = price(_unit(None, 0, 0, pulse_energy_j=u1.pulse_energy_j - u2.pulse_energy_j,
                         n_pulses=u1.n_pulses - u2.n_pulses,
                         pulse_time_s=u1.pulse_time_s - u2.pulse_time_s), E, n, machine)
    expected += pulses.total_j
    assert diff == pytest.approx(expected, rel=1e-9, abs=1e-18)
    assert abs(diff) > 0.05 * price(u2, E, n, machine).total_j   # the runs did differ


def _run(driver_seed=None, episodes=6, spec='gen:rooms:16:5'):
    """A SNAN run on the crossbar; with ``driver_seed`` the moves are random (the network still
    decides and observes them)."""
    grid = resolve_map(spec)
    syn = CrossbarSynapses(grid.n_cells)
    agent = make_snan_agent('snan', grid, seed=5, synapses=syn)
    world = GridWorld(grid, (1, 1), (14, 14), 300)
    rng = None if driver_seed is None else np.random.default_rng(driver_seed)
    marks = [syn.usage(agent.event_counts())]
    for _ in range(episodes):
        obs = world.reset()
        agent.begin_episode(obs)
        done = False
        while not done:
            action = agent.act(obs)
            if rng is not None:
                action = int(rng.integers(4))
            obs, reward, done, reached = world.step(action)
            agent.observe(action, obs, reward, done)
        agent.end_episode(reached)
        marks.append(syn.usage(agent.event_counts()))
    return agent, syn, marks


def test_the_ratios_change_when_the_work_changes():
    # 15 episodes: the network's own run must reach its learned phase (cheap decisions); in its
    # first episodes it explores, and exploring costs about what a random walk costs.
    # The adc style's digital neurons cost what the digital baseline's do, decision for
    # decision (both about 1.6 nJ), so its ratio to the baseline hardly depends on the work
    # (1.331 vs 1.334 here) while its energy does; the analog chip's ratio must move.
    own = _run(episodes=15)[0].energy_report()
    rand = _run(driver_seed=7, episodes=15)[0].energy_report()
    for style in ('analog', 'adc'):
        a, b = own['energy_styles'][style], rand['energy_styles'][style]
        ratio_a = a['digital_energy_per_decision_j'] / a['energy_per_decision_j']
        ratio_b = b['digital_energy_per_decision_j'] / b['energy_per_decision_j']
        if style == 'analog':
            assert abs(ratio_a - ratio_b) > 0.2 * ratio_a, (ratio_a, ratio_b)
        assert abs(a['energy_per_decision_j'] - b['energy_per_decision_j']) > \
            0.1 * a['energy_per_decision_j'], style


def test_an_exploring_episode_costs_more_per_decision_than_a_learned_one():
    from snan_nav.crossbar.summary import episode_ledgers
    agent, syn, marks = _run(episodes=8)
    eps = episode_ledgers(marks, E, syn.n_places)
    first, last = eps[0], eps[-1]
    assert first['decisions'] > last['decisions']
    assert first['energy_j'] / first['decisions'] > 1.3 * last['energy_j'] / last['decisions']
    # the first episode learns the map (writes), the last one writes nothing
    assert first['ledger_j']['crossbar_write'] > 0 and last['ledger_j']['crossbar_write'] == 0
    assert sum(ep['energy_j'] for ep in eps) == pytest.approx(
        price(marks[-1].minus(marks[0]), E, syn.n_places, 'analog').total_j, rel=1e-9)


def test_price_is_additive_over_parts_of_a_run():
    _, syn, marks = _run(episodes=3)
    n = syn.n_places
    for machine in MACHINES:
        whole = price(marks[-1].minus(marks[0]), E, n, machine)
        parts = [price(b.minus(a), E, n, machine) for a, b in zip(marks[:-1], marks[1:])]
        for comp in COMPONENTS:
            assert whole.components[comp] == pytest.approx(
                sum(p.components[comp] for p in parts), rel=1e-9)


def test_pooled_figures_are_per_decision_over_all_runs():
    reports = []
    for seed in (1, 2):
        _, syn, marks = _run(driver_seed=seed, episodes=2)
        reports.append((syn, marks[-1]))
    from snan_nav.crossbar.cpu import CorePower
    from snan_nav.crossbar.summary import run_totals
    totals = [run_totals(m, E, syn.n_places, CorePower(4.0, 'cited')) for syn, m in reports]
    pooled = per_decision(pool(totals))
    d = sum(t['decisions'] for t in totals)
    energy = sum(sum(t['styles']['analog']['ledger_j'].values()) for t in totals)
    assert pooled['energy_per_decision_j'] == pytest.approx(energy / d)
    cpu = sum(m.cpu_s for _, m in reports) * 4.0
    assert pooled['energy_styles']['adc']['cpu_energy_per_decision_j'] == pytest.approx(cpu / d)
    parts = pooled['energy_breakdown_j']
    assert sum(parts.values()) == pytest.approx(pooled['energy_per_decision_j'])
    with pytest.raises(ValueError, match='nothing to pool'):
        pool([])


def test_digital_precision_and_weight_memory_move_the_baseline():
    _, syn, marks = _run(episodes=2)
    u = marks[-1]
    fp32 = price(u, E, syn.n_places, 'digital').total_j
    int8 = price(u, EnergyParams(digital_precision='int8'), syn.n_places, 'digital').total_j
    dram = price(u, EnergyParams(digital_weight_memory='dram'), syn.n_places,
                 'digital').total_j
    assert int8 < fp32 < dram
    # the chip does not depend on the baseline's choices
    assert price(u, EnergyParams(digital_precision='int8'), syn.n_places, 'analog').total_j == \
        pytest.approx(price(u, E, syn.n_places, 'analog').total_j)


def test_area_by_hand():
    n = 100
    a = area_report(n, 'analog', E)
    bits = sum(STATE_BITS.values())
    cells = n * 4 * 4 * (32e-9) ** 2
    periph = n * 0.166e-12 + 105 * 34e-12 + n * bits * E.mem_area_per_bit_m2
    assert a.cells_mm2 == pytest.approx(cells * 1e6)
    assert a.area_mm2 == pytest.approx((cells + periph) * 1e6)
    b = area_report(n, 'adc', E)
    periph_b = n * 0.166e-12 + 4 * 1200e-12 + 5 * 34e-12 + n * (bits + 16) * \
        E.mem_area_per_bit_m2
    assert b.area_mm2 == pytest.approx((cells + periph_b) * 1e6)
    with pytest.raises(ValueError, match='style'):
        area_report(n, 'optical', E)


def test_energy_params_validation():
    assert EnergyParams.from_mapping({'e_adc_j': 1e-12}).e_adc_j == 1e-12
    assert EnergyParams.from_mapping(None) == EnergyParams()
    for values, needle in (({'e_adc': 1.0}, 'unknown EnergyParams key'),
                           ({'e_adc_j': -1e-12}, 'e_adc_j'), ({'t_tick_s': 0.0}, 't_tick_s'),
                           ({'digital_precision': 'fp64'}, 'digital_precision'),
                           ({'cpu_power_source': 'wall'}, 'cpu_power_source'),
                           ({'e_fp32_add_j': math.nan}, 'finite')):
        with pytest.raises(ValueError, match=needle):
            EnergyParams.from_mapping(values)


def test_plots_render(tmp_path):
    from snan_nav.crossbar.plots import plot_episode_energy, plot_map_devices
    from snan_nav.crossbar.summary import episode_ledgers
    agent, syn, marks = _run(episodes=3)
    plot_episode_energy(episode_ledgers(marks, E, syn.n_places), str(tmp_path / 'e.png'))
    plot_map_devices([syn.conductance_snapshot()] * 2, str(tmp_path / 'g.png'))
    assert (tmp_path / 'e.png').stat().st_size > 0 and (tmp_path / 'g.png').stat().st_size > 0
    with pytest.raises(ValueError, match='empty'):
        plot_episode_energy([])
