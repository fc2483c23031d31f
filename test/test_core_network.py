"""Network-level behaviour of the SNAN core and agent (no ROS)."""
from dataclasses import fields

import numpy as np
import pytest

from snan_nav.agents.snan import make_snan_agent, SNANAgent
from snan_nav.config import ConfigError, load_snan_params
from snan_nav.core.network import advance_clock, decide, deliver_reward, synaptic_drive
from snan_nav.core.params import PARAM_SPECS, SNANParams
from snan_nav.core.state import init_state
from snan_nav.world.grid import GridMap


def open_grid(w=5, h=5, **kw):
    return GridMap(np.zeros((h, w), dtype=bool), **kw)


def walk(agent, grid, start, goal, budget):
    table = grid.neighbour_table()
    cell = grid.cell_id(start)
    obs = grid.observe(cell, table)
    agent.begin_episode(obs)
    cells = [cell]
    for _ in range(budget):
        a = agent.act(obs)
        nxt = int(table[cell, a])
        cell = nxt if nxt >= 0 else cell
        cells.append(cell)
        obs = grid.observe(cell, table)
        if cell == grid.cell_id(goal):
            agent.end_episode(True)
            return cells, True
    agent.end_episode(False)
    return cells, False


def test_param_spec_defaults_match_dataclass_defaults():
    spec_defaults = {s.name: s.default for s in PARAM_SPECS}
    assert spec_defaults == {f.name: f.default for f in fields(SNANParams)}


@pytest.mark.parametrize('changes, needle', [
    ({'tau_m_ms': 0.0}, 'tau_m_ms'),
    ({'astro_alpha': 1.5}, 'astro_alpha'),
    ({'ticks_per_decision': 2.5}, 'ticks_per_decision'),
    ({'tau_ca_ms': float('nan')}, 'tau_ca_ms'),
    ({'w_init': 2.0, 'w_max': 1.0}, 'w_init'),
    ({'v_reset': 1.0}, 'v_reset'),
    ({'learning_rate': 1.0, 'reward': 2.0}, 'learning_rate'),
])
def test_invalid_parameters_name_the_field(changes, needle):
    with pytest.raises(ValueError, match=needle):
        SNANParams(**changes)


def test_unknown_parameter_names_are_rejected():
    with pytest.raises(ValueError, match='unknown SNAN parameter'):
        SNANParams.from_mapping({'tau_mem': 3.0})


def test_decision_touches_only_the_active_row():
    p = SNANParams()
    s = init_state(p, 6, 6, seed=1)
    before = {k: v.copy() for k, v in s._asdict().items()}
    nbr = np.array([13, 8, 1, 6], dtype=np.int32)
    decide(s, p.packed(), 7, nbr)
    changed_rows = np.nonzero(np.any(s.elig != before['elig'], axis=1))[0]
    assert set(changed_rows) <= {7}
    changed_cells = np.nonzero(s.place_v != before['place_v'])[0]
    assert set(changed_cells) <= {7}
    assert np.array_equal(s.w, before['w'])  # weights change only with reward


def test_reward_changes_only_taken_synapses():
    grid = open_grid(6, 6)
    agent = make_snan_agent('snan', grid, SNANParams(), seed=3)
    w0 = agent.state.w.copy()
    table = grid.neighbour_table()
    cell = grid.cell_id((0, 0))
    agent.begin_episode(grid.observe(cell, table))
    taken = set()
    for _ in range(12):
        a = agent.act(grid.observe(cell, table))
        taken.add((cell, a))
        nxt = int(table[cell, a])
        cell = nxt if nxt >= 0 else cell
    agent.end_episode(True)
    changed = {tuple(ix) for ix in np.argwhere(agent.state.w != w0)}
    assert changed, 'a rewarded episode must change some weights'
    assert changed <= taken


def test_unrewarded_episode_leaves_weights_alone():
    grid = open_grid(5, 5)
    agent = make_snan_agent('snan', grid, SNANParams(), seed=4)
    w0 = agent.state.w.copy()
    walk(agent, grid, (0, 0), (4, 4), budget=3)
    assert np.array_equal(agent.state.w, w0)


def test_astrocyte_suppresses_just_visited_neighbour_then_recovers():
    p = SNANParams()
    grid = open_grid(3, 1)
    table = grid.neighbour_table()
    s = init_state(p, 3, 1, seed=0)
    packed = p.packed()
    left, mid = 0, 1
    fresh = synaptic_drive(s, packed, mid, table[mid])
    decide(s, packed, left, table[left])  # the agent stood on the left cell
    after = synaptic_drive(s, packed, mid, table[mid])
    west, east = 3, 1
    assert after[west] < 0.75 * fresh[west], 'drive back toward the visited cell must drop'
    assert after[east] == pytest.approx(fresh[east]), 'unvisited neighbour is unaffected'
    advance_clock(s, packed, 0.5 * p.tau_ca_ms)
    half = synaptic_drive(s, packed, mid, table[mid])[west]
    advance_clock(s, packed, 4.5 * p.tau_ca_ms)
    recovered = synaptic_drive(s, packed, mid, table[mid])[west]
    assert after[west] < half < recovered
    assert recovered == pytest.approx(fresh[west], rel=0.02)


def test_same_seed_same_trajectory_and_different_seed_differs():
    grid = open_grid(8, 8)
    runs = []
    for seed in (11, 11, 12):
        agent = make_snan_agent('snan', grid, None, seed=seed)
        runs.append([walk(agent, grid, (0, 0), (7, 7), 200)[0] for _ in range(3)])
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_learning_shortens_paths_on_open_grid():
    grid = open_grid(8, 8)
    agent = make_snan_agent('snan', grid, None, seed=5)
    lengths = [len(walk(agent, grid, (0, 0), (7, 7), 256)[0]) - 1 for _ in range(15)]
    assert np.median(lengths[-5:]) < lengths[0]


def test_ablation_variants_set_their_switch():
    assert make_snan_agent('snan-no-astro', 4, None, 0).params.astro_alpha == 0.0
    assert make_snan_agent('snan-no-stdp', 4, None, 0).params.learning_rate == 0.0
    with pytest.raises(ValueError, match='variant'):
        make_snan_agent('snan-fast', 4, None, 0)


def test_reward_returns_the_updated_synapses():
    p = SNANParams()
    s = init_state(p, 3, 1, seed=0)
    table = open_grid(3, 1).neighbour_table()
    a = decide(s, p.packed(), 0, table[0])
    flat, dw = deliver_reward(s, p.packed(), 1.0)
    assert list(flat) == [0 * 4 + a]
    assert dw[0] > 0.0


def test_agent_rejects_cells_outside_its_grid():
    agent = SNANAgent(3, 3)
    grid = open_grid(4, 4)
    with pytest.raises(ValueError, match='outside'):
        agent.act(grid.observe(15))


def test_load_params_from_ros_yaml(tmp_path):
    f = tmp_path / 'p.yaml'
    f.write_text('snan_navigator:\n  ros__parameters:\n    control_frequency: 20.0\n'
                 '    snn:\n      tau_m_ms: 12.0\n      w_init: 0.4\n')
    p = load_snan_params(str(f))
    assert p.tau_m_ms == 12.0 and p.w_init == 0.4


@pytest.mark.parametrize('text, needle', [
    ('snn: {tau_m_ms: -1.0}\n', 'tau_m_ms'),
    ('snn: [1, 2\n', 'not valid YAML'),
    ('- 1\n- 2\n', 'mapping'),
])
def test_load_params_errors_are_clear(tmp_path, text, needle):
    f = tmp_path / 'p.yaml'
    f.write_text(text)
    with pytest.raises(ConfigError, match=needle):
        load_snan_params(str(f))


def test_load_params_missing_file():
    with pytest.raises(ConfigError, match='cannot read'):
        load_snan_params('/nonexistent/params.yaml')


def test_set_params_keeps_memory_and_variant_and_rejects_structural_changes():
    grid = open_grid(5, 5)
    agent = make_snan_agent('snan-no-stdp', grid, None, seed=1)
    walk(agent, grid, (0, 0), (4, 4), budget=10)
    w = agent.state.w.copy()
    agent.set_params(SNANParams(action_noise=0.05))
    assert agent.params.action_noise == 0.05
    assert agent.params.learning_rate == 0.0, 'the ablation must survive a parameter change'
    assert np.array_equal(agent.state.w, w)
    walk(agent, grid, (0, 0), (4, 4), budget=10)  # the hot path picks up the new vector
    with pytest.raises(ValueError, match='ticks_per_decision'):
        agent.set_params(SNANParams(ticks_per_decision=30))
