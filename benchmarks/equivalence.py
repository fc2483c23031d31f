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
"""Decision-by-decision comparison of the core agent and the dense reference (lockstep).

The core agent drives the world; the reference receives every observation, cue, reward and
episode boundary too and decides at the same places. Per decision the comparison reads the
latencies the core's race gets (computed on a copy of its state, so the run is not disturbed)
and requires, from the reference:

- the goal wave's first-spike latency at every free neighbour: always equal;
- the four latencies the race reads: equal, and then the same action and the same spike
  raster (place cell and action neurons, tick by tick);
- except where the core takes a documented shortcut: **route** (the core followed its cached
  curiosity route: it names one of the equally early neighbours, the wave all of them; the
  earliest latency must still be equal and the core's neighbour among the reference's; while
  exploring the cached value may also be later than the wave's, when a familiar place near
  the route has quieted down since the route was found: it became a source the cache misses;
  while guided toward a cued goal, when a way seen only now leads nearer the goal) and
  **adjacent tie** (while exploring, the core lets a novel neighbour fire alone, but a quiet
  familiar neighbour fires at the same onset when ``revisit_onset = 0``; the core's
  neighbours must be among the reference's). After such a decision the race inputs differ,
  so the reference's action membranes are set to the core's before the next one.

Anything else is a mismatch.
"""
import numpy as np

from benchmarks.reference import DenseReference
from benchmarks.workload import Leg, perf_legs, run_legs
from snan_nav.agents.snan import make_snan_agent
from snan_nav.core.network import arrive_kernel, NO_MOVE, values_kernel
from snan_nav.core.state import NetworkState, NEVER
from snan_nav.world.bfs import largest_component
from snan_nav.world.builtin import resolve_map

EQUAL, ROUTE, ADJACENT_TIE, MISMATCH = 'equal', 'route', 'adjacent_tie', 'mismatch'


def state_before_decision(agent, obs) -> NetworkState:
    """Return a copy of ``agent``'s state as its next decision at ``obs`` starts reading it.

    The last move's outcome (or a teleport to ``obs``) is folded in as the agent would; the
    agent itself is not changed.
    """
    copy = NetworkState(*(a.copy() for a in agent.state))
    packed = agent.params.packed()
    pending = agent._pending  # the last move's outcome, folded into the next decision
    if pending is not None and pending[2] == obs.cell:
        came_from, came_by, cell, seen, rewarded = pending
        arrive_kernel(came_from, came_by, cell, seen, rewarded, copy, packed)
    elif pending is not None or agent._cell != obs.cell:
        nbr = np.asarray(obs.neighbours, dtype=np.int32)
        arrive_kernel(NO_MOVE, -1, int(obs.cell), nbr, False, copy, packed)
    return copy


def read_values(state: NetworkState, packed, obs):
    """Run the core's read-out at ``obs`` on ``state``; return ``(value, rep)``."""
    value = np.empty(4, dtype=np.int64)
    rep = np.empty(4, dtype=np.int64)
    values_kernel(int(obs.cell), np.asarray(obs.neighbours, dtype=np.int32), state, packed,
                  value, rep)
    return value, rep


def core_values(agent, obs):
    """Return ``(value, goal_latency, used_route)`` the core's next decision at ``obs`` reads.

    Runs the core's read-out on a copy of the state (the agent is not changed).
    """
    copy = state_before_decision(agent, obs)
    value, rep = read_values(copy, agent.params.packed(), obs)
    nbr = np.asarray(obs.neighbours, dtype=np.int32)
    goal = copy.wave_t[nbr].astype(np.int64)
    goal[nbr < 0] = NEVER
    return value, goal, bool((rep == -2).any())


def earliest(value: np.ndarray):
    """Return the earliest latency and the set of actions that have it."""
    first = int(value.min())
    return first, {a for a in range(4) if value[a] == first}


class Lockstep:
    """Listener and ``decide`` for :func:`~benchmarks.workload.run_legs`: core vs reference."""

    def __init__(self, core, reference: DenseReference, keep: int = 10):
        self.core, self.ref = core, reference
        self.counts = {EQUAL: 0, ROUTE: 0, ADJACENT_TIE: 0, MISMATCH: 0, 'goal_known': 0,
                       'explore': 0, 'curiosity': 0, 'guided': 0, 'used_route': 0,
                       'decisions': 0}
        self.mismatches = []
        self.keep = keep

    def cue_goal(self, goal):
        """Forward the cue to the reference."""
        self.ref.cue_goal(goal)

    def begin_episode(self, obs):
        """Forward the episode start to the reference."""
        self.ref.begin_episode(obs)

    def observe(self, action, next_obs, reward, done):
        """Forward the move's outcome (the core's action) to the reference."""
        self.ref.observe(action, next_obs, reward, done)

    def end_episode(self, success):
        """Forward the episode end to the reference."""
        self.ref.end_episode(success)

    def segment(self):
        """Nothing to do at segment boundaries."""

    def decide(self, obs) -> int:
        """Let both decide at ``obs``; compare; return the core's action."""
        c_value, c_goal, used_route = core_values(self.core, obs)
        action = self.core.act(obs)
        self.ref.act(obs)
        last = self.ref.last
        verdict, why = self._verdict(np.asarray(obs.neighbours) >= 0, c_value, c_goal,
                                     used_route, last)
        self.counts[verdict] += 1
        self.counts['decisions'] += 1
        if int(c_goal.min()) < NEVER:
            self.counts['goal_known'] += 1
        self.counts['used_route'] += int(used_route)
        if last['regime'] is not None and last['curiosity'] < NEVER:
            self.counts[last['regime']] += 1
        if verdict in (ROUTE, ADJACENT_TIE):
            self.ref.fast.action_v[:] = self.core.state.action_v
        if verdict == MISMATCH and len(self.mismatches) < self.keep:
            self.mismatches.append({
                'decision': self.counts['decisions'] - 1, 'cell': int(obs.cell), 'why': why,
                'core_value': c_value.tolist(), 'reference_value': last['value'].tolist(),
                'core_goal': c_goal.tolist(), 'reference_goal': last['goal_latency'].tolist(),
                'core_action': int(self.core.last_action), 'reference_action': last['action']})
        return action

    def _verdict(self, free, c_value, c_goal, used_route, last):
        if not np.array_equal(c_goal[free], last['goal_latency'][free]):
            return MISMATCH, 'goal wave latencies differ'
        r_value = last['value']
        if np.array_equal(c_value, r_value):
            if int(self.core.last_action) != last['action']:
                return MISMATCH, 'same latencies, different action'
            if not np.array_equal(self.core.state.raster, self.ref.raster):
                return MISMATCH, 'same latencies, different spike raster'
            return EQUAL, ''
        c_first, c_set = earliest(c_value)
        r_first, r_set = earliest(r_value)
        shortcut = ROUTE if used_route else ADJACENT_TIE if last['adjacent_tie'] else None
        if shortcut is not None and c_first == r_first and c_set <= r_set:
            return shortcut, ''
        if shortcut == ROUTE and last['regime'] in ('explore', 'guided') and r_first < c_first:
            # A familiar place near the route quieted down meanwhile (explore), or a new way
            # at the robot leads nearer to the goal than the route's end (guided).
            return shortcut, ''
        return MISMATCH, 'latencies differ' + (f' beyond the {shortcut} shortcut'
                                               if shortcut else '')


def check_legs(grid, seed: int):
    """Yield the equivalence script: the benchmark's, with a leg without cue after 2 switches.

    The leg without cue sends the robot toward an untagged cell while earlier goals are still
    tagged: it visits them unrewarded (extinction, goal changes without cue) and explores.
    """
    legs = perf_legs(grid, seed)
    cells = np.flatnonzero(largest_component(grid))
    rng = np.random.default_rng(seed + 1)
    for k, leg in enumerate(legs):
        yield leg
        if k == 2:
            yield Leg(-1, int(rng.choice(cells)), False, 2)


def check_map(spec: str, seed: int, decisions: int, params=None,
              reference_class=DenseReference) -> dict:
    """Run core and reference in lockstep on map ``spec``; return counts and mismatches.

    The script (:func:`check_legs`) runs whole legs until at least ``decisions`` decisions.
    """
    grid = resolve_map(spec)
    core = make_snan_agent('snan', grid, params, seed=seed)
    ref = reference_class(grid.width, grid.height, core.params, seed=seed)
    lock = Lockstep(core, ref)
    run_legs(grid, core, check_legs(grid, seed), decide=lock.decide, listener=lock,
             stop=lambda: lock.counts['decisions'] >= decisions)
    return {'map': spec, 'seed': seed, 'counts': dict(lock.counts),
            'mismatches': lock.mismatches, 'match': lock.counts[MISMATCH] == 0}
