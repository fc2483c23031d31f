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
"""The SNAN core and agent: parameters, map learning, the read-out race, memory (no ROS)."""
from dataclasses import fields

import numpy as np
import pytest

from snan_nav.agents.snan import make_snan_agent, SNANAgent
from snan_nav.config import ConfigError, load_snan_params
from snan_nav.core.network import decide, neighbour_values
from snan_nav.core.params import PARAM_SPECS, SNANParams
from snan_nav.core.state import (
    C_WAVE_RESETS, F_LAST_ACTION, F_N_FRONTIER, init_state, NEVER)
from snan_nav.world.builtin import resolve_map
from snan_nav.world.episode import GridWorld, run_episode
from snan_nav.world.grid import GridMap

N, E, S, W = 0, 1, 2, 3


def open_grid(w=5, h=5, **kw):
    return GridMap(np.zeros((h, w), dtype=bool), **kw)


def test_param_spec_defaults_match_dataclass_defaults():
    spec_defaults = {s.name: s.default for s in PARAM_SPECS}
    assert spec_defaults == {f.name: f.default for f in fields(SNANParams)}


@pytest.mark.parametrize('changes, needle', [
    ({'tau_m_ms': 0.0}, 'tau_m_ms'),
    ({'astro_alpha': 1.5}, 'astro_alpha'),
    ({'ticks_per_decision': 2.5}, 'ticks_per_decision'),
    ({'tau_ca_ms': float('nan')}, 'tau_ca_ms'),
    ({'v_reset': 1.0}, 'v_reset'),
    ({'map_w_max': 0.5}, 'map_w_max'),
    ({'wave_delay_ticks': 10}, 'wave_delay_ticks'),
    ({'explore_onset': -0.1}, 'explore_onset'),
])
def test_invalid_parameters_name_the_field(changes, needle):
    with pytest.raises(ValueError, match=needle):
        SNANParams(**changes)


def test_unknown_parameter_names_are_rejected():
    with pytest.raises(ValueError, match='unknown SNAN parameter'):
        SNANParams.from_mapping({'tau_mem': 3.0})


def test_one_observation_pairs_both_directions_and_marks_the_frontier():
    p = SNANParams()
    grid = open_grid(3, 3)
    table = grid.neighbour_table()
    s = init_state(p, 3, 3, seed=1)
    centre = grid.cell_id((1, 1))
    decide(s, p.packed(), centre, table[centre])
    for a in range(4):
        j = table[centre, a]
        assert s.map_nbr[centre, a] == j and s.w_map[centre, a] >= p.v_threshold
        back = (a + 2) % 4
        assert s.map_nbr[j, back] == centre and s.w_map[j, back] >= p.v_threshold
    assert s.familiar[centre] == 1 and s.familiar.sum() == 1
    assert s.flags[F_N_FRONTIER] == 4  # the four neighbours: known, never visited
    # Nothing else was written: only the observed row and its partners.
    rows = set(np.flatnonzero(np.any(s.map_nbr >= 0, axis=1)))
    assert rows == {centre} | set(int(j) for j in table[centre])


def test_a_neighbour_observed_blocked_depresses_its_synapses():
    p = SNANParams()
    s = init_state(p, 3, 1, seed=0)
    decide(s, p.packed(), 1, np.array([-1, 2, -1, 0], dtype=np.int32))
    assert s.map_nbr[1, E] == 2
    decide(s, p.packed(), 1, np.array([-1, -1, -1, 0], dtype=np.int32))  # east now blocked
    assert s.map_nbr[1, E] == -1 and s.w_map[1, E] == 0.0
    assert s.map_nbr[2, W] == -1 and s.w_map[2, W] == 0.0
    assert s.flags[F_N_FRONTIER] == 1  # only the west neighbour is left as a frontier


def test_no_stdp_stores_no_map_and_no_goal():
    grid = open_grid(6, 6)
    agent = make_snan_agent('snan-no-stdp', grid, None, seed=2)
    world = GridWorld(grid, (0, 0), (5, 5))
    for _ in range(3):
        run_episode(agent, world)
    memory = agent.memory()
    assert np.all(memory['map_nbr'] == -1) and not memory['w_map'].any()
    assert not memory['familiar'].any() and not memory['goal_w'].any()


def _learned_agent(grid, start, goal, episodes=1, seed=0, **params):
    agent = make_snan_agent('snan', grid, SNANParams(**params), seed=seed)
    world = GridWorld(grid, start, goal)
    results = [run_episode(agent, world) for _ in range(episodes)]
    return agent, world, results


def test_goal_wave_gives_hop_distances_and_the_race_follows_it():
    grid = open_grid(7, 7)
    agent, world, results = _learned_agent(grid, (0, 0), (6, 6), episodes=1,
                                           explore_onset=1.0)
    assert results[0].success
    # After the first episode the goal is tagged; later episodes walk a shortest known route.
    later = [run_episode(agent, world) for _ in range(3)]
    assert all(r.success for r in later)
    s = agent.state
    for cell in np.flatnonzero(s.wave_t < NEVER):
        assert s.wave_t[cell] >= 0
    assert s.wave_t[world.goal] == 0
    # With the whole route known, every later episode is as short as the known map allows.
    assert later[-1].steps == s.wave_t[world.start]


def test_the_race_picks_a_neighbour_with_the_lowest_latency_whatever_the_calcium():
    grid = resolve_map('gen:random20:16:1')
    start, goal = grid.start, grid.goal
    agent, world, _ = _learned_agent(grid, start, goal, episodes=4, seed=3)
    table = grid.neighbour_table()
    rng = np.random.default_rng(0)
    packed = agent.params.packed()
    checked = 0
    for _ in range(60):
        cell = int(rng.choice(np.flatnonzero(agent.state.wave_t < NEVER)))
        if cell == world.goal:
            continue
        agent.state.ca[:] = rng.random(agent.state.ca.shape) * 5.0  # arbitrary fast memory
        values = neighbour_values(agent.state, packed, cell, table[cell])
        a = agent.act(grid.observe(cell, table))
        free = table[cell] >= 0
        assert values[a] == values[free].min()
        checked += 1
    assert checked > 40


def _tie_at_the_middle(params, seed, visit_west):
    """Decide at the middle of a 3x1 corridor with no map: both neighbours equally novel."""
    grid = open_grid(3, 1)
    table = grid.neighbour_table()
    agent = SNANAgent(3, 1, params, seed=seed)
    if visit_west:
        agent.act(grid.observe(0, table))  # stood on the west cell a moment ago
    s = agent.state
    s.map_nbr[:] = -1  # forget the map: only the fast memory differs between the neighbours
    s.w_map[:] = 0.0
    s.familiar[:] = 0
    s.flags[F_LAST_ACTION] = -1
    return agent.act(grid.observe(1, table))


def test_astrocytes_break_ties_toward_the_neighbour_not_visited_recently():
    chosen = [_tie_at_the_middle(SNANParams(momentum=0.0), seed, True) for seed in range(20)]
    assert chosen == [E] * 20


def test_without_a_recent_visit_or_astrocytes_the_same_tie_is_a_coin_flip():
    # P(all 40 the same | fair coin) = 2 * 2**-40 for each of the two checks.
    fresh = [_tie_at_the_middle(SNANParams(momentum=0.0), seed, False) for seed in range(40)]
    assert 0 < fresh.count(E) < 40
    no_astro = [_tie_at_the_middle(SNANParams(momentum=0.0, astro_alpha=0.0), seed, True)
                for seed in range(40)]
    assert 0 < no_astro.count(E) < 40


def test_momentum_keeps_the_heading_among_equal_routes():
    grid = open_grid(5, 5)
    table = grid.neighbour_table()
    centre = grid.cell_id((2, 2))
    headings = []
    for seed in range(10):
        agent = SNANAgent(5, 5, SNANParams(momentum=0.05), seed=seed)
        agent.state.flags[F_LAST_ACTION] = E  # the robot just moved east
        headings.append(agent.act(grid.observe(centre, table)))
    assert headings == [E] * 10


def test_same_seed_same_trajectory_and_different_seed_differs():
    grid = resolve_map('gen:rooms:16:3')
    runs = []
    for seed in (11, 11, 12):
        agent = make_snan_agent('snan', grid, None, seed=seed)
        world = GridWorld(grid, grid.start, grid.goal)
        runs.append([run_episode(agent, world).cells.tolist() for _ in range(3)])
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_wave_is_rerun_only_when_the_goal_changes():
    grid = open_grid(8, 8)
    agent, world, _ = _learned_agent(grid, (0, 0), (7, 7), episodes=3, explore_onset=1.0)
    resets = agent.state.counters[C_WAVE_RESETS]
    for _ in range(3):
        run_episode(agent, world)  # new places on equally short routes only repair locally
    assert agent.state.counters[C_WAVE_RESETS] == resets, 'steady state: no wave rerun'
    agent.cue_goal(grid.cell_id((7, 0)))
    run_episode(agent, GridWorld(grid, (0, 0), (7, 0)))
    assert agent.state.counters[C_WAVE_RESETS] == resets + 1


def test_a_cued_goal_on_the_map_is_reached_by_a_shortest_known_route():
    grid = open_grid(8, 8)
    agent, _, _ = _learned_agent(grid, (0, 0), (7, 7), episodes=2)
    target = grid.cell_id((0, 7))
    known = agent.state.wave_t  # noqa: F841 (the wave of the old goal)
    agent.cue_goal(target)
    world = GridWorld(grid, (7, 7), (0, 7))
    result = run_episode(agent, world)
    assert result.success
    plan = agent.plan(grid.cell_id((7, 7)))
    assert result.steps == len(plan)


def test_plan_follows_the_goal_wave_down_to_the_goal():
    grid = open_grid(6, 6)
    agent, world, _ = _learned_agent(grid, (0, 0), (5, 5), episodes=2)
    plan = agent.plan(world.start)
    assert plan and plan[-1] == world.goal
    table = grid.neighbour_table()
    here = world.start
    for nxt in plan:
        assert nxt in table[here]
        here = nxt
    assert make_snan_agent('snan', grid, None, 0).plan(world.start) == []


def test_memory_round_trip_continues_identically():
    grid = open_grid(8, 8)
    agent, world, _ = _learned_agent(grid, (0, 0), (7, 7), episodes=3, seed=4)
    twin = make_snan_agent('snan', grid, None, seed=4)
    twin.restore(agent.memory())
    # The fast memory and the noise stream are not long-term memory: give the twin the same.
    for name in ('ca', 'ca_tick', 'place_v', 'place_tick', 'action_v', 'rng', 'counters'):
        getattr(twin.state, name)[...] = getattr(agent.state, name)
    twin.state.flags[:] = agent.state.flags
    twin._episodes = agent._episodes
    a = [run_episode(agent, world).cells.tolist() for _ in range(2)]
    b = [run_episode(twin, world).cells.tolist() for _ in range(2)]
    assert a == b


def test_restored_memory_makes_a_fresh_agent_take_the_learned_route():
    grid = resolve_map('gen:random20:16:2')
    agent, world, results = _learned_agent(grid, grid.start, grid.goal, episodes=8, seed=5)
    fresh = make_snan_agent('snan', grid, None, seed=99)
    fresh.restore(agent.memory())
    first = run_episode(fresh, world)
    assert first.success and first.steps <= results[-1].steps + 2
    naive = run_episode(make_snan_agent('snan', grid, None, seed=99), world)
    assert naive.steps > first.steps


@pytest.mark.parametrize('mutate, needle', [
    (lambda m: m.pop('goal_w'), 'missing'),
    (lambda m: m.update(extra=np.zeros(3)), 'unknown'),
    (lambda m: m.update(w_map=np.zeros((3, 4))), 'shape'),
    (lambda m: m.update(map_nbr=np.full((16, 4), 99, dtype=np.int32)), 'outside'),
    (lambda m: m.update(goal_w=np.full(16, np.nan)), 'finite'),
])
def test_restore_rejects_bad_memories_and_changes_nothing(mutate, needle):
    grid = open_grid(4, 4)
    agent = make_snan_agent('snan', grid, None, 0)
    before = agent.memory()
    bad = make_snan_agent('snan', grid, None, 0).memory()
    mutate(bad)
    with pytest.raises(ValueError, match=needle):
        agent.restore(bad)
    after = agent.memory()
    assert all(np.array_equal(before[k], after[k]) for k in before)


def test_ablation_variants_set_their_switch():
    assert make_snan_agent('snan-no-astro', 4, None, 0).params.astro_alpha == 0.0
    no_stdp = make_snan_agent('snan-no-stdp', 4, None, 0).params
    assert no_stdp.map_stdp_amplitude == 0.0 and no_stdp.goal_learning_rate == 0.0
    with pytest.raises(ValueError, match='variant'):
        make_snan_agent('snan-fast', 4, None, 0)


def test_agent_rejects_cells_outside_its_grid():
    agent = SNANAgent(3, 3)
    grid = open_grid(4, 4)
    with pytest.raises(ValueError, match='outside'):
        agent.act(grid.observe(15))
    with pytest.raises(ValueError, match='outside'):
        agent.cue_goal(9)


def test_load_params_from_ros_yaml(tmp_path):
    f = tmp_path / 'p.yaml'
    f.write_text('snan_navigator:\n  ros__parameters:\n    control_frequency: 20.0\n'
                 '    snn:\n      tau_m_ms: 12.0\n      momentum: 0.1\n')
    p = load_snan_params(str(f))
    assert p.tau_m_ms == 12.0 and p.momentum == 0.1


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
    world = GridWorld(grid, (0, 0), (4, 4), budget=10)
    run_episode(agent, world)
    memory = agent.memory()
    agent.set_params(SNANParams(action_noise=0.05))
    assert agent.params.action_noise == 0.05
    assert agent.params.map_stdp_amplitude == 0.0, 'the ablation must survive a change'
    assert all(np.array_equal(memory[k], v) for k, v in agent.memory().items())
    run_episode(agent, world)
    with pytest.raises(ValueError, match='ticks_per_decision'):
        agent.set_params(SNANParams(ticks_per_decision=30))


def test_plan_changes_nothing_in_the_network():
    grid = resolve_map('gen:rooms:16:4')
    agent, world, _ = _learned_agent(grid, grid.start, grid.goal, episodes=2)
    agent.cue_goal(grid.cell_id(grid.start))  # the wave is now stale: plan must not rerun it
    before = {k: v.copy() for k, v in agent.state._asdict().items()}
    agent.plan(world.goal)
    after = agent.state._asdict()
    assert all(np.array_equal(before[k], after[k]) for k in before)
