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
"""Time the dense reference (or the seed form) on the core's own work, sampled by phase.

The reference costs far more per decision, so on large grids it cannot run the whole script
within a time budget; it replays samples of it instead. The core runs the script twice
(deterministic: the same seed gives the same run). Pass 1 splits the run into segments (a
segment starts at every episode, every goal switch and every ``SEGMENT_DECISIONS`` decisions)
and counts each segment's decisions per phase. For each phase, up to ``SEGMENTS_PER_PHASE``
segments that hold that phase are picked, evenly spread over the run. Pass 2 snapshots the
core's state at the start of each picked segment (:func:`benchmarks.perf_work.snapshot`),
records the segment's events, and lets a fresh reference built from the snapshot replay them:
the same observations, cues, rewards and moves as the core (the core's actions drive), timing
each of its decisions. A phase's replays stop when its budget (``budget_s`` seconds of its
own decisions) is spent, at the end of the segment's decisions of that phase, or after
``budget_s / picked segments`` in one segment; a picked segment always gets its first such
decision. The actions the reference chose are compared with the core's; disagreements are
counted apart at decisions where the core may take one of its documented shortcuts
(:func:`core_shortcut`), after which the reference's action membranes are set to the core's,
as in the lockstep check (:mod:`benchmarks.equivalence`).
"""
import time

import numpy as np

from benchmarks.perf_work import (
    latency_stats, LegCounter, make_stop, perf_map, phase_after, PHASES, snapshot)
from benchmarks.workload import perf_legs, run_legs
from snan_nav.agents.snan import make_snan_agent
from snan_nav.core.params import SNANParams
from snan_nav.core.state import (
    C_TICK, C_WAVE_RESETS, F_CUE, F_PLAN_CELL, F_PLAN_KIND, NEVER, PLAN_ROUTE)
from snan_nav.world.grid import Observation

SEGMENT_DECISIONS = 1000
SEGMENTS_PER_PHASE = 10


class SegmentRecorder:
    """Listener and ``decide`` for the core's run: segments, phases, events of picked ones."""

    def __init__(self, agent, picked=(), on_segment=None):
        self.agent = agent
        self.picked = set(picked)
        self.on_segment = on_segment
        self.phase_counts = []
        self.events = None
        self.snap = None
        self._in_segment = SEGMENT_DECISIONS

    def segment(self):
        """Close the current segment and open the next."""
        if self.events is not None and self.on_segment is not None:
            self.on_segment(len(self.phase_counts) - 1, self.snap, self.events)
        self.events, self.snap = None, None
        self.phase_counts.append([0] * len(PHASES))
        self._in_segment = 0
        if len(self.phase_counts) - 1 in self.picked:
            self.snap, self.events = snapshot(self.agent), []

    def finish(self):
        """Close the last segment."""
        self.segment()
        self.phase_counts.pop()

    def _event(self, *event):
        if self.events is not None:
            self.events.append(event)

    def cue_goal(self, goal):
        """Record a cue."""
        self._event('cue', goal)

    def begin_episode(self, obs):
        """Record an episode start."""
        self._event('begin', int(obs.cell))

    def observe(self, action, next_obs, reward, done):
        """Record a move's outcome."""
        self._event('observe', int(action), int(next_obs.cell), float(reward), bool(done))

    def end_episode(self, success):
        """Record an episode end."""
        self._event('end', bool(success))

    def decide(self, obs) -> int:
        """Return the core's decision at ``obs`` (untimed), recorded with its phase."""
        if self._in_segment >= SEGMENT_DECISIONS:
            self.segment()
        self._in_segment += 1
        shortcut = core_shortcut(self.agent, obs) if self.events is not None else False
        resets = self.agent.state.counters[C_WAVE_RESETS]
        action = self.agent.act(obs)
        phase = phase_after(self.agent, obs, resets)
        self.phase_counts[-1][phase] += 1
        self._event('act', int(obs.cell), phase, int(action), shortcut,
                    self.agent.state.action_v.copy())
        return action


def core_shortcut(agent, obs) -> bool:
    """Return True when the core's next decision may take a documented shortcut.

    The two shortcuts of :mod:`benchmarks.equivalence`: the robot stands on the core's cached
    curiosity route, or it explores (no cue, no goal wave at its neighbours, revisits at
    the onset) next to both a novel place and a familiar place whose astrocyte is quiet.
    """
    s, p = agent.state, agent.params
    if s.flags[F_PLAN_KIND] == PLAN_ROUTE and s.flags[F_PLAN_CELL] == obs.cell:
        return True
    nbr = np.asarray(obs.neighbours)
    nbr = nbr[nbr >= 0]
    if p.revisit_onset != 0 or s.flags[F_CUE] >= 0 or nbr.size == 0 \
            or int(s.wave_t[nbr].min()) < NEVER:
        return False
    familiar = s.familiar[nbr] != 0
    k = s.territory[nbr]
    calcium = s.ca[k] * np.exp(-(s.counters[C_TICK] - s.ca_tick[k]) * p.dt_ms / p.tau_ca_ms)
    quiet = calcium < p.ca_threshold if p.astro_alpha > 0 else np.ones(nbr.size, dtype=bool)
    return bool((~familiar).any() and (familiar & quiet).any())


def pick_segments(phase_counts, budget_s: float) -> dict:
    """Return ``{segment: {phase: seconds cap}}``: evenly spread segments for each phase."""
    caps = {}
    counts = np.asarray(phase_counts).reshape(-1, len(PHASES))
    for phase in range(len(PHASES)):
        holding = np.flatnonzero(counts[:, phase] > 0)
        if holding.size == 0:
            continue
        take = holding[np.unique(np.linspace(0, holding.size - 1,
                                             min(SEGMENTS_PER_PHASE, holding.size)).round()
                                 .astype(int))]
        for seg in take.tolist():
            caps.setdefault(seg, {})[phase] = budget_s / take.size
    return caps


def run_core(grid, seed, min_ticks, min_switches, recorder_args=()):
    """Run the core script with a :class:`SegmentRecorder`; return it and the agent."""
    agent = make_snan_agent('snan', grid, None, seed=seed)
    rec = SegmentRecorder(agent, *recorder_args)
    legs = LegCounter(perf_legs(grid, seed))
    run_legs(grid, agent, legs, decide=rec.decide, listener=rec,
             stop=make_stop(agent, legs.counts, min_ticks, min_switches))
    rec.finish()
    return rec, agent


def time_reference(cls, side: int, seed: int, min_ticks: int, min_switches: int,
                   budget_s: float) -> dict:
    """Replay sampled segments of the core's script with reference class ``cls``."""
    grid = perf_map(side, seed)
    table = grid.neighbour_table()
    first, _ = run_core(grid, seed, min_ticks, min_switches)
    caps = pick_segments(first.phase_counts, budget_s)
    spent = [0.0] * len(PHASES)
    ns = [[] for _ in PHASES]
    totals = {'decisions': 0, 'agree': 0, 'shortcuts': 0, 'disagree_on_shortcut': 0,
              'dense_ticks': 0, 'race_ticks': 0, 'segments': 0}
    params = SNANParams()

    def replay(index, snap, events):
        cap = {p: c for p, c in caps[index].items() if spent[p] < budget_s}
        if not cap:
            return
        left = [sum(1 for e in events if e[0] == 'act' and e[2] == p)
                for p in range(len(PHASES))]
        here = [0.0] * len(PHASES)
        ref = cls.from_snapshot(snap, params, grid.width, grid.height)
        totals['segments'] += 1
        for event in events:
            if all(left[p] == 0 or here[p] >= c or spent[p] >= budget_s
                   for p, c in cap.items()):
                break
            kind = event[0]
            if kind == 'act':
                _, cell, phase, core_action, shortcut, core_membranes = event
                before = ref.counts['race_ticks'] + ref.counts['sweep_ticks']
                t0 = time.perf_counter_ns()
                action = ref.act(Observation(cell, table[cell]))
                dt = time.perf_counter_ns() - t0
                ns[phase].append(dt)
                here[phase] += dt / 1e9
                spent[phase] += dt / 1e9
                left[phase] -= 1
                totals['decisions'] += 1
                totals['agree'] += int(action == core_action)
                totals['shortcuts'] += int(shortcut)
                totals['disagree_on_shortcut'] += int(action != core_action and shortcut)
                if shortcut:  # the race inputs may differ: restart the next race equal
                    ref.fast.action_v[:] = core_membranes
                totals['dense_ticks'] += ref.counts['race_ticks'] + ref.counts['sweep_ticks'] \
                    - before
                totals['race_ticks'] += ref.raster.shape[0]
            elif kind == 'cue':
                ref.cue_goal(event[1])
            elif kind == 'begin':
                ref.begin_episode(Observation(event[1], table[event[1]]))
            elif kind == 'observe':
                _, action, cell, reward, done = event
                ref.observe(action, Observation(cell, table[cell]), reward, done)
            else:
                ref.end_episode(event[1])

    second, _ = run_core(grid, seed, min_ticks, min_switches, (caps, replay))
    if second.phase_counts != first.phase_counts:
        raise RuntimeError('the core did not repeat its run: the benchmark is not deterministic')
    seconds = sum(sum(x) for x in ns) / 1e9
    out = {name: latency_stats(ns[k]) for k, name in enumerate(PHASES)}
    return {'phases': out, 'seconds': seconds, **totals,
            'dense_ticks_per_s': totals['dense_ticks'] / seconds if seconds else None,
            'core_phase_decisions': np.asarray(first.phase_counts).sum(axis=0).tolist()}
