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
"""Goal sequences: many goals on one map, the legs run in order on one agent memory.

One sequence run is one fresh agent (one fresh memory) for one (sequence, seed); its legs
run in order on that agent, each for its own number of episodes. For every leg, a *fresh*
agent with the same seed also runs one episode on the leg's pair: the reference for the first
episode of a later leg (does the memory of an earlier goal help, or mislead?). Per leg index,
figures pool the runs of all sequences that have that leg (see :func:`sequence_report`).
"""
from dataclasses import dataclass
from typing import List, Mapping, Optional, Sequence, Tuple

import numpy as np

from snan_nav.agents.registry import make_agent
from snan_nav.bench.metrics import bootstrap_ci, CI_METHOD, MEDIAN, median_or_none, summarise
from snan_nav.bench.runner import cue, Job, params_for, run_seed, warm_up
from snan_nav.world.bfs import path_length
from snan_nav.world.episode import GridWorld, Leg, run_episode
from snan_nav.world.grid import GridMap

#: Agents given the goal when they are built (they cannot carry over to a new goal).
REBUILT_PER_LEG = ('bfs',)


@dataclass(frozen=True)
class SequenceJob:
    """One agent memory through all legs of one sequence (picklable)."""

    grid: GridMap
    agent: str
    legs: Tuple[Leg, ...]
    budget: int
    seed: int
    params: object = None
    crossbar: object = None
    goal_cue: bool = False

    def run(self) -> 'SequenceResult':
        """Run this job (what every executor calls)."""
        return run_sequence_job(self)

    def warm_up(self) -> None:
        """Run a short throwaway episode of this agent kind."""
        leg = self.legs[0]
        warm_up(Job(self.grid, self.agent, leg.start, leg.goal, self.budget, 1, 0,
                    self.params, crossbar=self.crossbar))


@dataclass(frozen=True)
class SequenceResult:
    """Per-leg episode ``steps`` and ``success`` arrays of one sequence run."""

    agent: str
    steps: Tuple[np.ndarray, ...]
    success: Tuple[np.ndarray, ...]
    seconds: float
    goal_cue_used: bool = False


def run_sequence_job(job: SequenceJob) -> SequenceResult:
    """Run the legs of ``job`` in order on one fresh agent; return per-leg outcomes."""
    agent, steps, success, seconds, used = None, [], [], 0.0, False
    for leg in job.legs:
        world = GridWorld(job.grid, leg.start, leg.goal, job.budget)
        if agent is None or job.agent in REBUILT_PER_LEG:
            agent = make_agent(job.agent, job.grid, world.goal, job.seed, job.params,
                               job.crossbar)
        leg_steps = np.zeros(leg.episodes, dtype=np.int32)
        leg_success = np.zeros(leg.episodes, dtype=bool)
        for e in range(leg.episodes):
            cue(agent, world, job.goal_cue)
            result = run_episode(agent, world)
            leg_steps[e], leg_success[e] = result.steps, result.success
            seconds += result.seconds
        used = used or bool(job.goal_cue and agent.uses_goal_cue)
        steps.append(leg_steps)
        success.append(leg_success)
    return SequenceResult(job.agent, tuple(steps), tuple(success), seconds, used)


def plan_sequence_jobs(grid: GridMap, sequences: Sequence[Sequence[Leg]],
                       agents: Sequence[str], seeds: int, budget: int,
                       params: Optional[Mapping[str, object]] = None, crossbar=None,
                       goal_cue: bool = False) -> Tuple[List[SequenceJob], List[Job]]:
    """Return the sequence jobs and the fresh first-episode jobs, in a fixed order.

    Sequence jobs: agent, then sequence, then seed; the seed of (sequence s, seed k) is
    ``run_seed(k, s)``. Fresh jobs: agent, sequence, leg, seed; one episode each, same seed.
    """
    seq_jobs, fresh = [], []
    for name in agents:
        for s, legs in enumerate(sequences):
            for k in range(seeds):
                seq_jobs.append(SequenceJob(grid, name, tuple(legs), int(budget),
                                            run_seed(k, s), params_for(params, name),
                                            crossbar, bool(goal_cue)))
        for s, legs in enumerate(sequences):
            for leg in legs:
                fresh.extend(Job(grid, name, leg.start, leg.goal, int(budget), 1,
                                 run_seed(k, s), params_for(params, name),
                                 crossbar=crossbar, goal_cue=bool(goal_cue))
                             for k in range(seeds))
    return seq_jobs, fresh


def _leg_summary(runs, fresh, bfs_by_run, budget: int, bfs_by_sequence) -> dict:
    steps = np.stack([r[0] for r in runs])
    success = np.stack([r[1] for r in runs])
    out = summarise(steps, success, bfs_by_run, budget, int(steps.sum()), 0.0)
    out.pop('decisions_per_s')
    first = np.where(np.stack([f.success[0] for f in fresh]),
                     np.stack([f.steps[0] for f in fresh]), budget).astype(np.float64)
    out['bfs'] = bfs_by_sequence
    out['fresh_first_episode_steps_median'] = median_or_none(first)
    out['fresh_first_episode_steps_ci95'] = bootstrap_ci(first, MEDIAN)
    out['fresh_first_episode_over_bfs_median'] = median_or_none(
        first / np.asarray(bfs_by_run, dtype=np.float64))
    return out


def sequence_report(map_label: str, grid: GridMap, sequences: Sequence[Sequence[Leg]],
                    agents: Sequence[str], seeds: int, budget: int,
                    seq_results: Sequence[SequenceResult], fresh_results: Sequence,
                    goal_cue: bool = False) -> dict:
    """Return the sequence bench JSON dict from the results of :func:`plan_sequence_jobs`.

    ``results[AGENT]['legs'][i]`` pools leg ``i`` of every sequence that has one (runs =
    sequences x seeds): the :func:`~snan_nav.bench.metrics.summarise` figures of that leg
    (its own episodes; ``cumulative_steps_median`` is the leg's total), ``bfs`` (one length
    per sequence), and the fresh agent's first episode on the same pairs and seeds.
    """
    bfs = [[path_length(grid, leg.start, leg.goal) for leg in legs] for legs in sequences]
    report = {'map': map_label, 'seeds': int(seeds), 'budget': int(budget),
              'goal_cue': bool(goal_cue), 'ci': dict(CI_METHOD),
              'sequences': [[{'start': {'mx': int(leg.start[0]), 'my': int(leg.start[1])},
                              'goal': {'mx': int(leg.goal[0]), 'my': int(leg.goal[1])},
                              'episodes': int(leg.episodes), 'bfs': b}
                             for leg, b in zip(legs, lengths)]
                            for legs, lengths in zip(sequences, bfs)],
              'results': {}}
    n_fresh = sum(len(legs) for legs in sequences) * seeds
    for a, name in enumerate(agents):
        mine = [r for r in seq_results if r.agent == name]
        fresh = list(fresh_results[a * n_fresh:(a + 1) * n_fresh])
        legs_out = []
        for i in range(max(len(legs) for legs in sequences)):
            having = [s for s, legs in enumerate(sequences) if len(legs) > i]
            runs = [(mine[s * seeds + k].steps[i], mine[s * seeds + k].success[i])
                    for s in having for k in range(seeds)]
            offsets = [sum(len(legs) for legs in sequences[:s]) for s in having]
            fresh_i = [fresh[(off + i) * seeds + k] for off in offsets for k in range(seeds)]
            legs_out.append(_leg_summary(runs, fresh_i, [bfs[s][i] for s in having
                                                         for _ in range(seeds)],
                                         budget, [bfs[s][i] for s in having]))
        totals = np.array([sum(int(x.sum()) for x in r.steps) for r in mine], dtype=np.float64)
        seconds = sum(r.seconds for r in mine)
        report['results'][name] = {
            'runs': len(mine), 'goal_cue_used': any(r.goal_cue_used for r in mine),
            'cumulative_steps_median': median_or_none(totals),
            'cumulative_steps_ci95': bootstrap_ci(totals, MEDIAN),
            'decisions_per_s': float(totals.sum() / seconds) if seconds > 0 else None,
            'legs': legs_out}
    return report


def format_sequence_table(report: dict) -> str:
    """Return one text row per (agent, leg) of a sequence report."""
    def fmt(value, spec='.1f'):
        return '-' if value is None else format(value, spec)

    head = (f"{'agent':<14} {'leg':>3} {'done %':>6} {'1st ep':>7} {'fresh 1st':>9} "
            f"{'1st/BFS':>7} {'late/BFS':>8} {'late/BFS c':>10} {'leg steps':>9}")
    lines = [f"map {report['map']}: {len(report['sequences'])} sequence(s) x "
             f"{report['seeds']} seed(s), budget {report['budget']} steps, goal cue "
             f"{'on' if report['goal_cue'] else 'off'}", head, '-' * len(head)]
    for name, res in report['results'].items():
        for i, leg in enumerate(res['legs']):
            lines.append(
                f"{name:<14} {i:>3} {100 * leg['completion_rate']:6.1f} "
                f"{fmt(leg['first_episode_steps_median']):>7} "
                f"{fmt(leg['fresh_first_episode_steps_median']):>9} "
                f"{fmt(leg['first_episode_over_bfs_median'], '.2f'):>7} "
                f"{fmt(leg['late_path_over_bfs_median'], '.2f'):>8} "
                f"{fmt(leg['late_path_over_bfs_censored_median'], '.2f'):>10} "
                f"{fmt(leg['cumulative_steps_median'], '.0f'):>9}")
    lines.append('medians over runs (sequence x seed); fresh 1st = a fresh agent\'s first '
                 'episode on the leg\'s pair; late/BFS c = failures counted as the budget')
    return '\n'.join(lines)


def run_sequences(grid: GridMap, sequences, agents, seeds: int, budget: int, run,
                  params=None, crossbar=None, goal_cue: bool = False,
                  map_label: str = '', progress: bool = True) -> dict:
    """Plan, run (with ``run(jobs, progress)``, an open executor) and report sequences."""
    seq_jobs, fresh_jobs = plan_sequence_jobs(grid, sequences, agents, seeds, budget, params,
                                              crossbar, goal_cue)
    seen = set()
    for job in seq_jobs:  # warm up in this process before any fork
        if job.agent not in seen:
            seen.add(job.agent)
            job.warm_up()
    results = run(list(seq_jobs) + list(fresh_jobs), progress)
    report = sequence_report(map_label or grid.name, grid, sequences, agents, seeds, budget,
                             results[:len(seq_jobs)], results[len(seq_jobs):], goal_cue)
    return report
