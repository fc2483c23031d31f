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
"""The curiosity search's certificate ("no novel place within D hops") is exact and saves work.

At every decision of episodes toward a learned goal, with teleports in between, the latencies
the core reads with its certificate equal those of a fresh search (no certificate, no cached
route), wherever it does not follow a cached route (that shortcut is compared in
``test_reference_matches_core``). And the certificate does skip searches.
"""
import numpy as np

from benchmarks.equivalence import read_values, state_before_decision
from snan_nav.agents.snan import make_snan_agent
from snan_nav.core.params import SNANParams
from snan_nav.core.state import C_SEARCH_SPIKES, F_PLAN_KIND, PLAN_EMPTY, PLAN_NONE
from snan_nav.world.bfs import largest_component
from snan_nav.world.builtin import resolve_map
from snan_nav.world.episode import GridWorld

#: Curiosity that habituates slowly, so that most goal-known decisions consult it.
CURIOUS = SNANParams(explore_onset=0.2, explore_anneal=0.95)
MAPS = ('gen:open:24:5', 'gen:rooms:24:6', 'gen:random20:24:7')
TELEPORT_EVERY = 11


def values_read(agent, obs, keep_caches: bool):
    """Return ``(value, rep, skipped)`` the next decision at ``obs`` reads, on a copy.

    ``skipped``: a certificate spared the search.
    """
    state = state_before_decision(agent, obs)
    if not keep_caches:
        state.flags[F_PLAN_KIND] = PLAN_NONE
    certified = state.flags[F_PLAN_KIND] == PLAN_EMPTY
    before = state.counters[C_SEARCH_SPIKES]
    value, rep = read_values(state, agent.params.packed(), obs)
    return value, rep, certified and state.counters[C_SEARCH_SPIKES] == before


def run_and_compare(spec):
    """Run episodes on ``spec`` with teleports; return decisions compared, searches skipped."""
    grid = resolve_map(spec, 0)
    world = GridWorld(grid, grid.start, grid.goal)
    agent = make_snan_agent('snan', grid, CURIOUS, seed=1)
    rng = np.random.default_rng(3)
    cells = np.flatnonzero(largest_component(grid))
    compared = skipped = 0
    for _ in range(8):
        obs = world.reset()
        agent.begin_episode(obs)
        done = False
        while not done:
            if world.steps % TELEPORT_EVERY == TELEPORT_EVERY - 1:
                world.cell = int(rng.choice(cells))   # picked up, put down elsewhere
                obs = world.observation()
            cached, rep, saved = values_read(agent, obs, keep_caches=True)
            fresh, _, _ = values_read(agent, obs, keep_caches=False)
            if not (rep == -2).any():
                assert np.array_equal(cached, fresh), (world.steps, obs.cell, cached, fresh)
                compared += 1
                skipped += int(saved)
            action = agent.act(obs)
            obs, reward, done, reached = world.step(action)
            agent.observe(action, obs, reward, done)
        agent.end_episode(reached)
    return compared, skipped


def test_certified_decisions_read_what_a_fresh_search_reads():
    counts = np.array([run_and_compare(spec) for spec in MAPS])
    compared, skipped = counts.sum(axis=0)
    assert compared > 1500
    assert skipped > 50, f'the certificate skipped {skipped} of {compared} searches'
