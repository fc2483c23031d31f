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
"""What ``snan-nav perf`` times: the core's decisions on the script, by phase.

The core agent runs the :mod:`benchmarks.workload` script on ``builtin:random<g>`` (a ``g`` x
``g`` grid, 25 % random obstacles, the largest free component kept) until it has run at least
``min_ticks`` network ticks in decision windows and ``min_switches`` goal switches. Every
``SNANAgent.act`` call is timed from Python (``perf_counter_ns``, dispatch included) and
labelled by phase, read from the network after the call:

- ``goal_change``: the call reran the goal wave (the goal changed: a new cue, a goal tag
  switched on or off);
- ``goal_known``: else, the goal wave reaches a neighbour of the robot;
- ``exploring``: else (no known goal on the map: the exploration wave drives).
"""
import time

import numpy as np

from snan_nav.core.state import C_RACE_TICKS, C_TICK, C_WAVE_RESETS, NEVER
from snan_nav.world.builtin import resolve_map

PHASES = ('exploring', 'goal_known', 'goal_change')


def perf_map(side: int, seed: int):
    """Return the benchmark's map for a ``side`` x ``side`` grid."""
    return resolve_map(f'builtin:random{int(side)}', seed)


def latency_stats(ns) -> dict:
    """Return median, p99, max and mean (us) and the count of nanosecond samples."""
    if len(ns) == 0:
        return {'median': None, 'p99': None, 'max': None, 'mean': None, 'n': 0}
    us = np.asarray(ns, dtype=np.float64) / 1000.0
    return {'median': float(np.median(us)), 'p99': float(np.percentile(us, 99)),
            'max': float(us.max()), 'mean': float(us.mean()), 'n': int(us.size)}


class TimedDecisions:
    """``decide`` for :func:`~benchmarks.workload.run_legs`: times ``agent.act``, labels phases."""

    def __init__(self, agent, clock=time.perf_counter_ns):
        self.agent = agent
        self.clock = clock
        self.ns = []
        self.phase = []
        self.actions = []

    def __call__(self, obs) -> int:
        """Return ``agent.act(obs)``, timed and labelled."""
        counters = self.agent.state.counters
        resets = counters[C_WAVE_RESETS]
        t0 = self.clock()
        action = self.agent.act(obs)
        t1 = self.clock()
        self.ns.append(t1 - t0)
        self.actions.append(action)
        self.phase.append(phase_after(self.agent, obs, resets))
        return action

    def by_phase(self) -> dict:
        """Return the latency statistics overall and per phase."""
        ns = np.asarray(self.ns)
        phase = np.asarray(self.phase)
        out = latency_stats(ns)
        out['phases'] = {name: latency_stats(ns[phase == k]) for k, name in enumerate(PHASES)}
        return out


class BeginTimer:
    """The agent, with ``begin_episode`` timed (it reruns the goal wave after a goal change)."""

    def __init__(self, agent, clock=time.perf_counter_ns):
        self.agent = agent
        self.clock = clock
        self.ns = []

    def __getattr__(self, name):
        return getattr(self.agent, name)

    def begin_episode(self, obs) -> None:
        """Start the episode, timed."""
        t0 = self.clock()
        self.agent.begin_episode(obs)
        self.ns.append(self.clock() - t0)


def weighted_mean_us(stats: dict, weights) -> float:
    """Return the mean latency (us) over phases weighted by ``weights`` (decisions per phase).

    Phases without samples are left out (the remaining weights are renormalised); None when
    no phase has samples.
    """
    total, norm = 0.0, 0.0
    for k, name in enumerate(PHASES):
        phase = stats[name]
        if phase['n'] and weights[k]:
            total += weights[k] * phase['mean']
            norm += weights[k]
    return total / norm if norm else None


def phase_after(agent, obs, resets_before: int) -> int:
    """Return the index in :data:`PHASES` of the decision the agent just took at ``obs``."""
    s = agent.state
    if s.counters[C_WAVE_RESETS] > resets_before:
        return 2
    nbr = np.asarray(obs.neighbours)
    reached = s.wave_t[nbr[nbr >= 0]]
    return 1 if reached.size and int(reached.min()) < NEVER else 0


def make_stop(agent, counts: dict, min_ticks: int, min_switches: int):
    """Return ``stop()``: True once enough decision ticks and goal switches have run."""
    def stop() -> bool:
        ticks = agent.state.counters[C_RACE_TICKS]
        return ticks >= min_ticks and counts['switch_legs'] >= min_switches

    return stop


class LegCounter:
    """Counts the goal-switch legs a script has started (its legs after the first)."""

    def __init__(self, legs):
        self.legs = legs
        self.counts = {'switch_legs': -1}

    def __iter__(self):
        for leg in self.legs:
            self.counts['switch_legs'] += 1
            yield leg


def snapshot(agent) -> dict:
    """Return the core agent's state as plain arrays and numbers, brought to the current tick.

    The format :meth:`benchmarks.reference.DenseReference.from_snapshot` reads.
    """
    from snan_nav.core.network import calcium_now
    from snan_nav.core.state import (
        C_NEW_PLACES, F_BOUND_ROUTE, F_CUE, F_GOAL_EPISODES, F_LAST_ACTION, F_N_GOALS,
        F_ONSET, F_PLACES_AT_START, F_ROUTE_AT_START, F_START)
    agent._flush()  # apply the pending arrival now (same result as inside the next decision)
    s, p = agent.state, agent.params
    tick = int(s.counters[C_TICK])
    gap = tick - s.place_tick
    return {
        'target': s.map_nbr.astype(np.int64), 'weight': s.w_map.copy(),
        'familiar': s.familiar.copy(), 'goal_w': s.goal_w.copy(),
        'goals': s.goals[:int(s.flags[F_N_GOALS])].copy(),
        'cue': int(s.flags[F_CUE]), 'goal_episodes': int(s.flags[F_GOAL_EPISODES]),
        'onset': int(s.flags[F_ONSET]), 'last_action': int(s.flags[F_LAST_ACTION]),
        'start': int(s.flags[F_START]), 'route_at_start': int(s.flags[F_ROUTE_AT_START]),
        'bound_route': int(s.flags[F_BOUND_ROUTE]),
        'goals_on': s.goals[:int(s.flags[F_N_GOALS])][s.goal_on[:int(s.flags[F_N_GOALS])] != 0],
        'places_at_start': int(np.count_nonzero(s.familiar))
        - int(s.counters[C_NEW_PLACES] - s.flags[F_PLACES_AT_START]),
        'tick': tick, 'episodes': int(agent._episodes), 'cell': int(agent._cell),
        'sensed': int(agent._cell), 'rng': s.rng.copy(), 'ca': calcium_now(s, p),
        'place_v': p.v_rest + (s.place_v - p.v_rest) * np.exp(-gap * p.dt_ms / p.tau_m_ms),
        'action_v': s.action_v.copy(),
    }


def race_ticks(agent) -> int:
    """Return the network ticks the agent has run in decision windows."""
    return int(agent.state.counters[C_RACE_TICKS])
