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
"""The goal wave: event-driven latencies equal hop distances on the learned map, and the
local repairs after new synapses equal a rerun from scratch."""
from collections import deque
import math

import numpy as np
import pytest

from snan_nav.agents.snan import make_snan_agent
from snan_nav.core.network import neighbour_values
from snan_nav.core.state import C_TICK, F_CUE, NEVER
from snan_nav.core.wave import wave_run
from snan_nav.world.builtin import resolve_map
from snan_nav.world.episode import GridWorld

MAPS = ('gen:rooms:16:5', 'gen:random30:16:6', 'gen:cave:32:7')


def learned_graph_distances(state, params, sources):
    """Plain BFS over the synapses that carry the wave (the definition the wave must meet)."""
    dist = np.full(state.w_map.shape[0], NEVER, dtype=np.int64)
    queue = deque()
    for g in sources:
        dist[g] = 0
        queue.append(g)
    while queue:
        j = queue.popleft()
        for a in range(4):
            i = state.map_nbr[j, a]
            if i >= 0 and state.w_map[j, a] >= params.v_threshold and dist[i] == NEVER:
                dist[i] = dist[j] + 1
                queue.append(i)
    return dist


def walk_with_cue(spec, steps, seed):
    """Let an agent with a cued goal explore; yield its state after every step."""
    grid = resolve_map(spec)
    agent = make_snan_agent('snan', grid, None, seed=seed)
    world = GridWorld(grid, grid.start, grid.goal)
    agent.cue_goal(world.goal)
    obs = world.reset()
    agent.begin_episode(obs)
    for _ in range(steps):
        action = agent.act(obs)
        obs, reward, done, reached = world.step(action)
        agent.observe(action, obs, reward, done)
        yield agent, world
        if done:
            agent.end_episode(reached)
            obs = world.reset()
            agent.begin_episode(obs)


@pytest.mark.parametrize('spec', MAPS)
def test_wave_latencies_are_hop_distances_on_the_learned_map(spec):
    checked = 0
    for agent, world in walk_with_cue(spec, 400, seed=1):
        s = agent.state
        if s.flags[F_CUE] < 0 or s.wave_t[world.goal] != 0:
            continue
        expected = learned_graph_distances(s, agent.params, [world.goal])
        assert np.array_equal(s.wave_t, expected)
        checked += 1
    assert checked > 50


@pytest.mark.parametrize('spec', MAPS)
def test_local_repairs_equal_a_rerun_from_scratch(spec):
    for k, (agent, world) in enumerate(walk_with_cue(spec, 300, seed=2)):
        if k % 7:
            continue
        s = agent.state
        repaired = s.wave_t.copy()
        decay = math.exp(-agent.params.dt_ms / agent.params.tau_ca_ms)
        wave_run(s, agent.params.packed(), world.cell, s.counters[C_TICK], decay)
        assert np.array_equal(repaired, s.wave_t)


def test_the_wave_touches_only_the_places_it_reaches():
    spec = 'gen:maze1:32:3'
    for agent, world in walk_with_cue(spec, 200, seed=0):
        pass
    s = agent.state
    reached = int(np.count_nonzero(s.wave_t < NEVER))
    assert reached == s.flags[8]  # F_N_REACHED: the reset list holds exactly those places
    assert reached < s.wave_t.size // 2


def test_neighbour_values_in_exploration_are_hops_to_the_nearest_novel_place():
    grid = resolve_map('gen:open:16:4')
    agent = make_snan_agent('snan', grid, None, seed=3)
    world = GridWorld(grid, grid.start, grid.goal)
    obs = world.reset()
    agent.begin_episode(obs)
    table = grid.neighbour_table()
    packed = agent.params.packed()
    for _ in range(60):
        agent._flush()  # learn the arrival now (the agent folds it into its next decision)
        s = agent.state
        values = neighbour_values(s, packed, obs.cell, obs.neighbours)
        novel = [i for i in range(grid.n_cells) if s.familiar[i] == 0 and (
            np.any((s.map_nbr[i] >= 0) & (s.w_map[i] >= agent.params.v_threshold)))]
        dist = learned_graph_distances(s, agent.params, novel)
        for a in range(4):
            j = table[obs.cell, a]
            if j >= 0 and values[a] < NEVER and values[a] == values[table[obs.cell] >= 0].min():
                assert values[a] == dist[j]
        action = agent.act(obs)
        obs, reward, done, _ = world.step(action)
        agent.observe(action, obs, reward, done)
        if done:
            break
