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
"""A dense, clock-driven NumPy reference of the SNAN, behind the agent interface.

The same network as :class:`snan_nav.agents.snan.SNANAgent` (see :mod:`snan_nav.core`), run
the way a general SNN simulator would run it. Per decision at place ``x``:

1. **goal wave**: the goal places (the cued one, else every tagged place whose astrocyte is
   quiet and that the robot does not stand on) are driven above threshold at tick 0 and the
   wave runs tick by tick over the whole place population (:mod:`benchmarks.reference_waves`)
   until every free neighbour of ``x`` has fired or the wave has died out. Nothing is kept
   between decisions: the wave is rerun every time.
2. **curiosity / exploration wave**, with the core's regimes
   (:mod:`snan_nav.core.curiosity`): while the goal wave reaches a neighbour, unvisited places
   fire ``onset`` hops after tick 0 and count only where they reach a neighbour strictly
   before the goal wave does (and within ``explore_horizon`` hops); otherwise unvisited places
   fire at 0 (with a cue, ``goal_vector``: each as many hops later as its grid distance to the
   cued goal) and, without a cue, familiar places whose astrocyte is quiet fire
   ``revisit_onset`` hops later (the current place is never a source). This sweep stops at the
   first tick on which a neighbour fires: those neighbours get its latency, the others keep
   the goal wave's.
3. **race**: :class:`benchmarks.reference_race.PlaceAndGlia` (the core's race semantics, dense).

Map learning and the goal memory follow :mod:`snan_nav.core.cognitive_map`, written again on a
synapse table (:mod:`benchmarks.reference_memory`); after any change the synaptic matrix is
rebuilt. The cue and the episode bookkeeping follow :mod:`snan_nav.agents.snan`.

Idle time between decisions and episodes is not ticked through: every element relaxes in
closed form, as in the core (a clock-driven simulator would spend ``inter_decision_ms`` more
ticks per decision; leaving them out favours the reference). The two waves are separate sweeps
on fresh membranes, apart from the membranes of the race (the core's waves are latencies that
do not touch the place membranes either).

Where it may differ from the core, by design of the core's shortcuts (documented in
``benchmarks/README.md`` and checked by ``test/test_reference_matches_core.py``): the core's
cached curiosity route may name fewer of the equally early neighbours than a wave does, and the
core's "a novel neighbour fires first" rule ignores a quiet familiar neighbour that fires at
the same onset (``revisit_onset = 0``).
"""
from typing import Optional

import numpy as np

from benchmarks.reference_memory import SlowMemory
from benchmarks.reference_race import int_power, NO_ACTION, PlaceAndGlia
from benchmarks.reference_waves import DenseWaves
from snan_nav.agents.base import Agent
from snan_nav.core.params import SNANParams
from snan_nav.core.rng import seeded
from snan_nav.core.state import NEVER, territories

N_ACTIONS = 4
ONSET_OFF = 1 << 40
BIG = 1 << 50
EXPLORE, CURIOSITY, GUIDED = 'explore', 'curiosity', 'guided'


class DenseReference(Agent):
    """Dense every-tick SNAN on a ``width`` x ``height`` index space (float64)."""

    uses_goal_cue = True
    waves_class = DenseWaves

    def __init__(self, width: int, height: int, params: Optional[SNANParams] = None,
                 seed: int = 0, name: str = 'reference'):
        p = params if params is not None else SNANParams()
        if not p.v_rest < p.v_threshold:
            raise ValueError('the dense reference needs v_rest < v_threshold (as in the core, '
                             'only driven place cells may fire)')
        self.name, self.params = name, p
        n = int(width) * int(height)
        self.n_cells = n
        self.slow = SlowMemory(n, p)
        self.cue, self.goal_episodes, self.onset, self.last_action = -1, 0, ONSET_OFF, -1
        self.start, self.route_at_start, self.places_at_start = -1, NEVER, 0
        self.width, self.bound_route, self.goal_set = int(width), NEVER, frozenset()
        self.goal_now = np.zeros(0, dtype=np.int64)
        self.tick, self.episodes, self.cell, self.sensed = 0, 0, -1, -1
        self.rng = seeded(seed)
        self.fast = PlaceAndGlia(p, territories(int(width), int(height), p.territory_size))
        self.waves = self.waves_class(n, p)
        self.gap_ticks = int(round(p.inter_decision_ms / p.dt_ms))
        self.episode_ticks = int(round(p.inter_episode_ms / p.dt_ms))
        self.raster = np.zeros((p.ticks_per_decision, 1 + N_ACTIONS), dtype=np.uint8)
        self.counts = {'decisions': 0, 'race_ticks': 0, 'sweep_ticks': 0, 'sweeps': 0}
        self.last = None

    # --- the agent life cycle ------------------------------------------------------------
    def cue_goal(self, goal_cell: Optional[int]) -> None:
        """Cue the goal place (None withdraws the cue)."""
        goal = -1 if goal_cell is None else int(goal_cell)
        if goal != self.cue:
            self.cue, self.goal_episodes = goal, 0
            self.bound_route = NEVER  # the known route leads to the old goal

    def begin_episode(self, obs) -> None:
        """Idle between episodes, sense the start, decide whether curiosity runs in the episode."""
        self._idle(self.episode_ticks if self.episodes > 0 else 0)
        self.fast.new_episode()
        self.last_action = -1
        self._sense(obs)
        self.slow.lost = False  # the wave of the new episode starts from the map as it is
        length = self._goal_latencies(obs.cell, np.array([obs.cell]))[0]
        self.start, self.route_at_start, self.bound_route = int(obs.cell), length, length
        self.places_at_start = int(np.count_nonzero(self.slow.familiar))
        curious = length < NEVER and self.goal_episodes >= 1 and self._curiosity_gap() > 1e-3
        self.onset = 0 if curious else ONSET_OFF  # on or off; the onset itself is per decision
        self.episodes += 1
        self.cell = int(obs.cell)

    def _curiosity_gap(self) -> float:
        """Return ``1 - beta_k`` for the current number of habituating episodes."""
        p = self.params
        return (1.0 - p.explore_onset) * int_power(p.explore_anneal, self.goal_episodes - 1)

    def act(self, obs) -> int:
        """Run one decision at ``obs.cell``; return 0..3 (N when all moves are blocked)."""
        cell = int(obs.cell)
        nbr = np.asarray(obs.neighbours, dtype=np.int64)
        if self.sensed != cell:
            self.slow.learn(cell, nbr)
        self.sensed = -1
        value, goal_latency, detail = self.values(cell, nbr)
        # The efference copy steers exploration only: with a goal wave the wave decides.
        heading = self.last_action if int(goal_latency.min()) >= NEVER else -1
        action = self.fast.race(cell, nbr, value, heading, self.rng, self.raster,
                                self.slow.enclosed(nbr))
        self.tick += self.raster.shape[0]
        self.counts['race_ticks'] += self.raster.shape[0]
        self.counts['decisions'] += 1
        self._idle(self.gap_ticks)
        self.cell = cell
        self.last = dict(detail, value=value, goal_latency=goal_latency, action=action)
        return 0 if action == NO_ACTION else action

    def observe(self, action: int, next_obs, reward: float, done: bool) -> None:
        """Sense the new place; reward tags it, an unrewarded tagged place is extinguished."""
        cell = int(next_obs.cell)
        self._sense(next_obs)
        mem = self.slow
        changed = mem.reward_at(cell) if reward > 0.0 else \
            mem.no_reward_at(cell) if mem.goal_w[cell] > 0.0 else False
        if changed:
            self.bound_route = NEVER  # the goal places changed (the core's dirty wave)
        if changed and self.cue < 0:
            self.goal_episodes = 0
        self.last_action = int(action) if cell != self.cell else -1
        self.cell = cell

    def end_episode(self, success: bool) -> None:
        """Habituate curiosity after an episode that found no novel place and no shorter route."""
        mem = self.slow
        if self.cue < 0 and not any(mem.goal_w[g] >= self.params.goal_threshold
                                    for g in mem.goals):
            return
        if self.goal_episodes == 0 or self.start < 0:
            self.goal_episodes = 1
            return
        route = self._goal_latencies(-1, np.array([self.start]))[0]
        novel = int(np.count_nonzero(mem.familiar)) > self.places_at_start
        if not route < self.route_at_start and not novel:
            self.goal_episodes += 1

    def _idle(self, n_ticks: int) -> None:
        self.fast.idle(n_ticks)
        self.tick += max(0, int(n_ticks))

    def _sense(self, obs) -> None:
        self.slow.learn(int(obs.cell), np.asarray(obs.neighbours, dtype=np.int64))
        self.sensed = int(obs.cell)

    # --- the waves ---------------------------------------------------------------------------
    def _sweep(self, groups, targets, first_only, last_hop):
        if self.slow.changed:
            self.waves.set_synapses(*self.slow.synapses())
            self.slow.changed = False
        delay = self.params.wave_delay_ticks
        last_tick = min(last_hop, groups[-1][0] // delay + self.n_cells) * delay
        found = self.waves.sweep(groups, targets, first_only, last_tick)
        self.counts['sweep_ticks'] += found.ticks
        self.counts['sweeps'] += 1
        hops = np.full(len(targets), NEVER, dtype=np.int64)
        hit = found.fired_tick < NEVER
        hops[hit] = found.fired_tick[hit] // delay
        return hops

    def goal_sources(self, here: int) -> np.ndarray:
        """Return the places the goal neuron drives at hop 0 while the robot is at ``here``."""
        if self.cue >= 0:
            return np.array([self.cue])
        quiet = self.fast.quiet()
        mem = self.slow
        return np.array([g for g in mem.goals if mem.goal_w[g] >= self.params.goal_threshold
                         and g != here and quiet[g]], dtype=np.int64)

    def _goal_latencies(self, here: int, targets: np.ndarray) -> np.ndarray:
        sources = self.goal_sources(here)
        if self.cue < 0:
            # The goal places changed during the episode: the known route from the start no
            # longer bounds a shortcut toward them (the core's refresh_wave).
            goal_set = frozenset(int(g) for g in sources)
            if goal_set != self.goal_set:
                self.bound_route, self.goal_set = NEVER, goal_set
        self.goal_now = sources
        if sources.size == 0:
            return np.full(len(targets), NEVER, dtype=np.int64)
        return self._sweep([(0, sources)], targets, False, BIG)

    def values(self, x: int, nbr: np.ndarray):
        """Return ``(value, goal_latency, detail)`` at place ``x`` (hops; ``NEVER``: none).

        ``detail``: the regime (``explore``/``curiosity``/None), the curiosity latency and
        ``adjacent_tie`` (a novel and a quiet familiar neighbour both fire at the onset).
        """
        p = self.params
        if self.slow.lost:  # a way that carried the wave is gone: the core reruns the wave
            self.bound_route, self.slow.lost = NEVER, False
        goal_latency = self._goal_latencies(x, nbr)
        goal_latency[nbr < 0] = NEVER
        value = goal_latency.copy()
        g_min = int(goal_latency.min())
        detail = {'regime': None, 'curiosity': NEVER, 'adjacent_tie': False}
        if g_min < NEVER:
            kind, onset = CURIOSITY, self.onset
            if onset < ONSET_OFF:
                gap = self._curiosity_gap()
                onset = int(round((1.0 - gap) * (g_min + 1)))
            last = min(g_min - 1, onset + p.explore_horizon - 1)
        else:
            kind, onset, last = (EXPLORE if self.cue < 0 else GUIDED), 0, BIG
        if onset >= ONSET_OFF:
            return value, goal_latency, detail
        detail['regime'] = kind
        familiar = self.slow.familiar
        novel = ~familiar
        novel_sources = novel.copy()
        novel_sources[x] = False  # the current place is driven by its place field instead
        if kind == CURIOSITY and p.shortcut_bound:
            novel_sources &= self._could_shorten()
        if kind == GUIDED and p.goal_vector:
            # The goal vector: a novel place fires its grid distance to the cued goal late.
            cells = np.flatnonzero(novel_sources)
            gx, gy = self.cue % self.width, self.cue // self.width
            gap = np.abs(cells % self.width - gx) + np.abs(cells // self.width - gy)
            groups = [(onset + int(g), cells[gap == g]) for g in np.unique(gap)]
        else:
            groups = [(onset, np.flatnonzero(novel_sources))]
        if kind == EXPLORE:
            revisit = familiar & self.fast.quiet()
            revisit[x] = False
            groups.append((onset + p.revisit_onset, np.flatnonzero(revisit)))
            free = nbr >= 0
            near = nbr[free]
            detail['adjacent_tie'] = bool(p.revisit_onset == 0 and novel[near].any()
                                          and revisit[near].any())
        delay = p.wave_delay_ticks
        merged = {}
        for hop, cells in groups:
            if cells.size:
                merged.setdefault(hop * delay, []).append(cells)
        if not merged:
            return value, goal_latency, detail
        sweep_groups = [(t, np.concatenate(merged[t])) for t in sorted(merged)]
        curiosity = self._sweep(sweep_groups, nbr, True, last)
        first = int(curiosity.min())
        if first <= last:
            detail['curiosity'] = first
            for a in range(N_ACTIONS):
                if curiosity[a] == first and first < value[a]:
                    value[a] = first
        return value, goal_latency, detail

    def _could_shorten(self) -> np.ndarray:
        """Return per place whether a route from the start through it could beat the known one.

        ``|start - i|_1 + min_G |i - G|_1 < L`` (the core's :mod:`snan_nav.core.shortcut_bound`)
        over the goal places of the last goal wave; all True without a route to compare with.
        """
        n = self.n_cells
        if self.start < 0 or self.bound_route >= NEVER or len(self.goal_now) == 0:
            return np.ones(n, dtype=bool)
        i = np.arange(n)
        x, y = i % self.width, i // self.width
        to_goal = np.min([np.abs(x - g % self.width) + np.abs(y - g // self.width)
                          for g in self.goal_now], axis=0)
        to_start = np.abs(x - self.start % self.width) + np.abs(y - self.start // self.width)
        return to_start + to_goal < self.bound_route

    # --- starting from a recorded core state -------------------------------------------------
    @classmethod
    def from_snapshot(cls, snap: dict, params: SNANParams, width: int, height: int):
        """Return a reference in the state ``snap`` (:func:`benchmarks.perf_work.snapshot`)."""
        ref = cls(width, height, params, 0)
        mem = ref.slow
        mem.target[...] = snap['target']
        mem.weight[...] = snap['weight']
        mem.familiar[...] = snap['familiar'] != 0
        mem.goal_w[...] = snap['goal_w']
        mem.goals = [int(g) for g in snap['goals']]
        for key in ('cue', 'goal_episodes', 'onset', 'last_action', 'tick', 'episodes',
                    'cell', 'sensed', 'start', 'route_at_start', 'places_at_start',
                    'bound_route'):
            setattr(ref, key, int(snap[key]))
        ref.goal_set = frozenset(int(g) for g in snap['goals_on'])
        ref.rng[...] = snap['rng']
        ref.fast.ca[...] = snap['ca']
        ref.fast.place_v[...] = snap['place_v']
        ref.fast.action_v[...] = snap['action_v']
        return ref
