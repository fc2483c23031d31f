"""The dense reference in benchmarks/ reproduces the event-driven core spike for spike."""
import os
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks.perf import core_state_now, open_table, seeded_walk  # noqa: E402
from benchmarks.reference import DenseReference  # noqa: E402
from snan_nav.core.network import (  # noqa: E402
    advance_clock, decide, decide_and_idle, deliver_reward)
from snan_nav.core.params import SNANParams  # noqa: E402
from snan_nav.core.state import C_ACTION_SPIKES, C_PLACE_SPIKES, init_state  # noqa: E402


def walled_table(width, height, walls):
    """Open-grid neighbour table with the cells in ``walls`` blocked."""
    table = open_table(width, height)
    table[np.isin(table, list(walls))] = -1
    table[list(walls)] = -1
    return table


def run_side_by_side(params, width, height, table, decisions, episode, seed=3):
    """Drive core and reference like the agent does; return per-decision records and both."""
    pk = params.packed()
    free = [c for c in range(width * height) if (table[c] >= 0).any()]
    cells = seeded_walk(table, decisions, seed)
    assert all(c in free for c in cells)
    core = init_state(params, width, height, seed)
    ref = DenseReference(params, width, height, seed, table)
    records = []
    for i, cell in enumerate(cells.tolist()):
        a_core = decide(core, pk, cell, table[cell])
        a_ref = ref.decide(cell)
        records.append((a_core, a_ref, core.raster.copy(), ref.raster.copy()))
        advance_clock(core, pk, params.inter_decision_ms)
        ref.advance_ms(params.inter_decision_ms)
        if (i + 1) % episode == 0:
            r = params.reward if (i // episode) % 2 == 0 else 0.0
            flat, dw = deliver_reward(core, pk, r)
            dw_ref = ref.reward(r)
            assert np.allclose(dw_ref.ravel()[flat], dw, rtol=0.0, atol=1e-12)
            assert np.count_nonzero(dw_ref) <= len(flat)
            advance_clock(core, pk, params.inter_episode_ms)
            ref.advance_ms(params.inter_episode_ms)
    return records, core, ref


@pytest.mark.parametrize('params, width, height, walls', [
    (SNANParams(inter_episode_ms=500.0), 10, 10, ()),
    (SNANParams(inter_episode_ms=300.0, inter_decision_ms=37.0, territory_size=2), 10, 10,
     (22, 23, 24, 47, 57, 67)),
])
def test_reference_raster_equals_core_raster(params, width, height, walls):
    table = walled_table(width, height, walls)
    records, core, ref = run_side_by_side(params, width, height, table, 80, 40)
    for i, (a_core, a_ref, r_core, r_ref) in enumerate(records):
        assert a_core == a_ref, f'decision {i}: core chose {a_core}, reference {a_ref}'
        assert np.array_equal(r_core, r_ref), f'decision {i}: rasters differ'
    place = sum(int(r[2][:, 0].sum()) for r in records)
    action = sum(int(r[2][:, 1:].sum()) for r in records)
    assert place > 100 and action > 40, 'the run must exercise spikes'
    assert place == core.counters[C_PLACE_SPIKES]
    assert action == core.counters[C_ACTION_SPIKES]
    assert ref.tick == core.counters[0]
    assert np.any(core.w != params.w_init), 'the rewarded episode must change weights'


def test_reference_state_agrees_with_lazily_decayed_core_state():
    params = SNANParams(inter_episode_ms=500.0)
    table = open_table(10, 10)
    _, core, ref = run_side_by_side(params, 10, 10, table, 60, 30)
    now = core_state_now(core, params)
    for name, value in now.items():
        np.testing.assert_allclose(value, getattr(ref, name), rtol=1e-9, atol=1e-12,
                                   err_msg=name)
    assert np.array_equal(core.tagged.astype(bool), ref.tagged)


def test_fused_decision_kernel_is_bit_identical_to_decide_then_advance():
    params = SNANParams(inter_decision_ms=40.0)
    pk = params.packed()
    table = open_table(7, 5)
    cells = seeded_walk(table, 300, 1).tolist()
    a = init_state(params, 7, 5, 2)
    b = init_state(params, 7, 5, 2)
    for i, cell in enumerate(cells):
        x = decide(a, pk, cell, table[cell])
        advance_clock(a, pk, params.inter_decision_ms)
        y = decide_and_idle(b, pk, cell, table[cell], params.inter_decision_ms)
        assert x == y
        if (i + 1) % 50 == 0:
            deliver_reward(a, pk, 1.0)
            deliver_reward(b, pk, 1.0)
    for name, arr in a._asdict().items():
        assert np.array_equal(arr, getattr(b, name)), name


def test_agent_act_is_bit_identical_to_decide_then_advance():
    from snan_nav.agents.snan import SNANAgent
    from snan_nav.world.grid import Observation

    params = SNANParams()
    pk = params.packed()
    table = open_table(6, 6)
    agent = SNANAgent(6, 6, params, seed=4)
    ref = init_state(params, 6, 6, 4)
    cells = seeded_walk(table, 200, 5).tolist()
    agent.begin_episode(Observation(cells[0], table[cells[0]].copy()))
    for cell in cells:
        got = agent.act(Observation(cell, table[cell].copy()))
        want = decide(ref, pk, cell, table[cell])
        advance_clock(ref, pk, params.inter_decision_ms)
        assert got == max(want, 0)
    agent.end_episode(True)
    deliver_reward(ref, pk, params.reward)
    for name, arr in ref._asdict().items():
        assert np.array_equal(arr, getattr(agent.state, name)), name
