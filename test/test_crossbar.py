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
"""The map synapses on the VTEAM array: mapping, pulses, non-idealities, and the network
reading the realised weights (a device below threshold stops carrying the wave)."""
import numpy as np
import pytest

from snan_nav.agents.snan import make_snan_agent
from snan_nav.crossbar.array import CrossbarParams, MapArray
from snan_nav.crossbar.config import CrossbarConfig
from snan_nav.crossbar.synapses import CrossbarSynapses
from snan_nav.crossbar.vteam import conductance, VTEAM_MEMTORCH_DEFAULT, VteamParams
from snan_nav.world.builtin import resolve_map
from snan_nav.world.episode import GridWorld, run_episode
from snan_nav.world.grid import GridMap

DEV = VteamParams()
W_SCALE = 1.5
N, E, S, W = 0, 1, 2, 3


def programmed_on(dev=DEV, params=CrossbarParams()):
    """The weight a SET pulse realises: aimed g_tol of the range inside g_on."""
    return W_SCALE * (1.0 - params.g_tol * (1.0 - dev.g_off / dev.g_on))


def test_binary_mapping_realises_off_and_full_on():
    arr = MapArray(1, 4, CrossbarParams(), DEV)
    w = arr.load(np.array([[0.0, 0.2, 1.168, 1.5]]), W_SCALE)
    np.testing.assert_array_equal(arr.level, [[0.0, 0.0, 1.0, 1.0]])
    off = W_SCALE * DEV.g_off / DEV.g_on
    np.testing.assert_allclose(w, [[off, off, 1.5, 1.5]], rtol=1e-12)
    assert off < 0.01  # an OFF device is far below any useful threshold


@pytest.mark.parametrize('n_levels', [0, 5])
def test_multilevel_and_analog_mappings(n_levels):
    arr = MapArray(1, 4, CrossbarParams(n_levels=n_levels), DEV)
    nominal = np.array([[0.0, 0.5, 1.168, 1.5]])
    w = arr.load(nominal, W_SCALE)
    frac = arr.params.level_fraction(nominal / W_SCALE)
    g = DEV.g_off + frac * (DEV.g_on - DEV.g_off)
    np.testing.assert_allclose(w, W_SCALE * g / DEV.g_on, rtol=1e-12)
    if n_levels == 5:
        np.testing.assert_allclose(frac, [[0.0, 0.25, 0.75, 1.0]])


def test_set_then_reset_pulses_with_vteam_energy():
    arr = MapArray(2, 4, CrossbarParams(), DEV)
    w = arr.write(1, 2, 1.2, W_SCALE)
    # Programmed to g_tol inside g_on (ON, not saturated: the default 1e-2 gives 0.99 g_on).
    tol = arr.params.g_tol * (DEV.g_on - DEV.g_off)
    assert w == pytest.approx(W_SCALE * (DEV.g_on - tol) / DEV.g_on, rel=1e-6)
    assert w > 0.98 * W_SCALE and arr.n_pulses == 1
    p = arr.last_pulse
    assert p.kind == 'SET' and p.v < DEV.v_on and p.width > 0 and p.energy_j > 0
    assert arr.pulse_energy_j == pytest.approx(p.energy_j)
    assert arr.pulse_time_s == pytest.approx(p.width)
    # the device now conducts about g_on: the pulse energy lies between v^2 G t at both ends
    g1 = conductance(arr.state[1, 2], DEV)
    assert p.v ** 2 * DEV.g_off * p.width < p.energy_j < p.v ** 2 * g1 * p.width
    before = arr.n_pulses
    assert arr.write(1, 2, 1.5, W_SCALE) == pytest.approx(w)   # same level: no pulse
    assert arr.n_pulses == before
    w = arr.write(1, 2, 0.0, W_SCALE)
    assert arr.last_pulse.kind == 'RESET' and arr.last_pulse.v > DEV.v_off
    assert w == pytest.approx(W_SCALE * (DEV.g_off + tol) / DEV.g_on, rel=1e-6)
    assert w < 0.02 * W_SCALE  # far below the threshold (2/3 of W_SCALE)
    assert arr.n_pulses == 2


def test_pulse_width_resolution_and_clipping():
    arr = MapArray(1, 4, CrossbarParams(t_pulse_step=1e-9, t_pulse_max=5e-8), DEV)
    arr.write(0, 0, 1.5, W_SCALE)
    width = arr.last_pulse.width
    assert width <= 5e-8 + 1e-18 and width / 1e-9 == pytest.approx(round(width / 1e-9))


def test_device_variation_is_seeded_lognormal_and_scales_the_realised_weight():
    params = CrossbarParams(sigma_d2d=0.3)
    a = MapArray(50, 4, params, DEV, seed=11)
    b = MapArray(50, 4, params, DEV, seed=11)
    c = MapArray(50, 4, params, DEV, seed=12)
    np.testing.assert_array_equal(a.variation, b.variation)
    assert not np.allclose(a.variation, c.variation)
    assert abs(np.log(a.variation).std() - 0.3) < 0.05
    w = a.load(np.full((50, 4), 1.5), W_SCALE)
    np.testing.assert_allclose(w, W_SCALE * a.variation, rtol=1e-12)
    assert np.any(w < 1.0)  # some devices cannot carry a wave at threshold 1


def test_read_noise_is_sampled_per_write_and_seeded():
    params = CrossbarParams(sigma_read=0.1)
    runs = []
    for _ in range(2):
        arr = MapArray(1, 4, params, DEV, seed=5)
        runs.append([arr.write(0, 0, 1.5, W_SCALE) for _ in range(3)])
    assert runs[0] == runs[1]
    assert len(set(runs[0])) == 3


def test_read_energies_come_from_the_conductances():
    params = CrossbarParams(v_read=0.2, t_read=5e-9)
    arr = MapArray(2, 4, params, DEV)
    e_on, e_off = arr.read_energies()
    assert e_on == pytest.approx(0.04 * 5e-9 * DEV.g_on)    # nominal while nothing is ON
    arr.load(np.array([[1.5, 0, 0, 0], [0, 0, 0, 0]]), W_SCALE)
    e_on, e_off = arr.read_energies()
    assert e_on == pytest.approx(0.04 * 5e-9 * DEV.g_on)
    assert e_off == pytest.approx(0.04 * 5e-9 * DEV.g_off)


@pytest.mark.parametrize('kwargs,needle', [
    ({'v_read': 0.5}, 'v_read'), ({'v_read': -1.6}, 'v_read'),
    ({'v_set': -1.0}, 'v_set'), ({'v_reset': 0.2}, 'v_reset'),
])
def test_voltages_checked_against_device(kwargs, needle):
    with pytest.raises(ValueError, match=needle):
        MapArray(2, 4, CrossbarParams(**kwargs), DEV)


def test_memtorch_device_needs_tiny_read_voltage():
    with pytest.raises(ValueError, match='threshold window'):
        MapArray(2, 4, CrossbarParams(v_set=-0.3, v_reset=0.05), VTEAM_MEMTORCH_DEFAULT)
    params = CrossbarParams(v_read=0.01, v_set=-0.3, v_reset=0.05)
    arr = MapArray(2, 4, params, VTEAM_MEMTORCH_DEFAULT)
    assert arr.write(0, 0, 1.5, W_SCALE) == pytest.approx(
        programmed_on(VTEAM_MEMTORCH_DEFAULT, params))


@pytest.mark.parametrize('kwargs,needle', [
    ({'t_read': 0.0}, 't_read'), ({'t_pulse_max': -1.0}, 't_pulse_max'),
    ({'t_pulse_step': -1e-9}, 't_pulse_step'), ({'n_levels': 1}, 'n_levels'),
    ({'n_levels': 2.5}, 'n_levels'), ({'sigma_d2d': -0.1}, 'sigma_d2d'),
    ({'sigma_read': float('inf')}, 'finite'), ({'v_read': 0.0}, 'v_read'),
    ({'g_tol': 0.5}, 'g_tol'), ({'n_levels': True}, 'n_levels'),
])
def test_bad_array_params(kwargs, needle):
    with pytest.raises(ValueError, match=needle):
        CrossbarParams(**kwargs)


def test_config_groups_and_unknown_keys():
    cfg = CrossbarConfig.from_mapping({'array': {'sigma_d2d': 0.1}, 'energy': {'e_adc_j': 1e-12}})
    assert cfg.array.sigma_d2d == 0.1 and cfg.energy.e_adc_j == 1e-12
    with pytest.raises(ValueError, match='arrays'):
        CrossbarConfig.from_mapping({'arrays': {}})
    with pytest.raises(ValueError, match='crossbar.array: unknown CrossbarParams key'):
        CrossbarConfig.from_mapping({'array': {'w_max': 1.0}})
    with pytest.raises(ValueError, match='v_on'):
        CrossbarConfig.from_mapping({'device': {'v_on': 0.27}})
    with pytest.raises(ValueError, match='shape'):
        MapArray(2, 4).load(np.zeros((3, 4)), W_SCALE)


# --- the network on the array --------------------------------------------------------------
def _agents(grid, seed, **array):
    cfg = CrossbarConfig.from_mapping({'array': array})
    ideal = make_snan_agent('snan', grid, seed=seed)
    chip = make_snan_agent('snan', grid, seed=seed, synapses=cfg.build(grid.n_cells, seed))
    return ideal, chip


def test_ideal_devices_give_exactly_the_ideal_network_behaviour():
    grid = resolve_map('gen:rooms:16:5')
    start, goal = (1, 1), (14, 14)
    ideal, chip = _agents(grid, 3)
    for _ in range(6):
        a = run_episode(ideal, GridWorld(grid, start, goal))
        b = run_episode(chip, GridWorld(grid, start, goal))
        np.testing.assert_array_equal(a.cells, b.cells)
    s = chip.state
    on = chip.synapses.array.level > 0
    # every synapse the network holds is ON on the array, and only those
    np.testing.assert_array_equal(on, s.map_nbr >= 0)
    np.testing.assert_allclose(s.w_map[on], programmed_on(), rtol=1e-5)
    assert chip.synapses.array.n_pulses == int(on.sum())


def test_device_variation_changes_the_walk():
    grid = resolve_map('builtin:maze15')
    ideal, chip = _agents(grid, 3, sigma_d2d=0.3)
    walks = [[tuple(run_episode(agent, GridWorld(grid, grid.start, grid.goal)).cells)
              for _ in range(8)] for agent in (ideal, chip)]
    assert walks[0] != walks[1]
    on = chip.synapses.array.level > 0
    np.testing.assert_allclose(chip.state.w_map[on],
                               programmed_on() * chip.synapses.array.variation[on], rtol=1e-5)


def _corridor_agent(failed=None):
    """A 5x1 corridor learned from end to end, goal cued at the east end."""
    grid = GridMap(np.zeros((1, 5), dtype=bool))
    syn = CrossbarSynapses(5)
    if failed is not None:
        syn.array.variation[failed] = 0.5     # realises about 0.74 < v_threshold = 1
    agent = make_snan_agent('snan', grid, seed=0, synapses=syn)
    agent.cue_goal(4)
    world = GridWorld(grid, (0, 0), (4, 0))
    run_episode(agent, world)
    return agent


def test_a_device_below_threshold_stops_carrying_the_wave():
    assert _corridor_agent().plan(0) == [1, 2, 3, 4]
    broken = _corridor_agent(failed=(2, W))  # the synapse 2 -> 1 the wave from cell 4 crosses
    assert broken.state.w_map[2, W] == pytest.approx(0.5 * programmed_on())
    assert broken.plan(0) == []
    assert broken.plan(2) == [3, 4]
    assert broken.synapses.reruns >= 1                  # the wave was corrected at once
    assert broken.synapses.excluded.sum() > 0           # and the correction is not charged


def test_restore_programs_the_devices_and_reads_back_realised_weights():
    grid = resolve_map('gen:rooms:16:5')
    ideal, _ = _agents(grid, 1)
    for _ in range(2):
        run_episode(ideal, GridWorld(grid, (1, 1), (14, 14)))
    syn = CrossbarSynapses(grid.n_cells, CrossbarParams(sigma_d2d=0.2), seed=4)
    chip = make_snan_agent('snan', grid, seed=1, synapses=syn)
    chip.restore(ideal.memory())
    on = syn.array.level > 0
    np.testing.assert_array_equal(on, ideal.state.w_map >= 0.75)
    np.testing.assert_allclose(chip.state.w_map[on], 1.5 * syn.array.variation[on])
    assert syn.array.n_pulses == 0          # an off-line load charges no pulses
