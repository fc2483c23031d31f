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
"""Run agents x start/goal pairs x seeds x episodes and build the bench JSON dict.

A *run* is one fresh agent (one fresh memory) on one (pair, seed) for ``episodes`` episodes;
memory persists across the episodes of a run. :func:`run_job` is a pure function of its
:class:`Job` (results identical wherever it runs, e.g. in a process pool); only the measured
wall times differ. The agent seed of a run depends on (seed index, pair index) only, so all
agents see the same seeds.
"""
from dataclasses import dataclass
from typing import Callable, Dict, List, Mapping, Optional, Sequence

import numpy as np

from snan_nav.agents.registry import make_agent
from snan_nav.bench.metrics import add_random_walk_ratio, CI_METHOD, summarise
from snan_nav.world.bfs import path_length
from snan_nav.world.episode import GridWorld, Pair, run_episode
from snan_nav.world.grid import GridMap


def run_seed(seed_index: int, pair_index: int) -> int:
    """Return the agent seed of run (seed index, pair index), a 32-bit int (SeedSequence)."""
    return int(np.random.SeedSequence([int(seed_index), int(pair_index)]).generate_state(1)[0])


@dataclass(frozen=True)
class Job:
    """Everything one run depends on (picklable)."""

    grid: GridMap
    agent: str
    start: tuple
    goal: tuple
    budget: int
    episodes: int
    seed: int
    params: object = None
    keep_trace: bool = False
    crossbar: object = None
    goal_cue: bool = False
    memory: object = None   # a MemoryStore: load before, save after every episode it allows

    def run(self) -> 'JobResult':
        """Run this job (what every executor calls)."""
        return run_job(self)

    def warm_up(self) -> None:
        """Run a short throwaway episode of this agent kind (see :func:`warm_up`)."""
        warm_up(self)


@dataclass(frozen=True)
class JobResult:
    """Outcome of one run.

    Per-episode ``steps`` (int32) and ``success`` (bool), ``seconds`` of decision loops, and
    for traced runs the last episode's cells and the calcium map after the last episode.
    """

    agent: str
    steps: np.ndarray
    success: np.ndarray
    seconds: float
    last_cells: Optional[np.ndarray] = None
    calcium: Optional[np.ndarray] = None
    energy: Optional[dict] = None
    crossbar_trace: Optional[dict] = None
    goal_cue_used: bool = False
    trace_meta: Optional[dict] = None


def cue(agent, world: GridWorld, goal_cue: bool) -> None:
    """Give ``agent`` the goal cell of the coming episode, or withdraw the cue."""
    agent.cue_goal(world.goal if goal_cue else None)


def run_job(job: Job) -> JobResult:
    """Run one fresh agent for ``job.episodes`` episodes on one start/goal pair.

    Before every episode the agent is cued with the goal cell (``job.goal_cue``) or told
    that there is no cue. With ``job.memory`` the agent starts from the memory file and saves
    it after every episode, unless the load left a refused file at the path
    (``may_overwrite`` False: nothing is saved).
    """
    world = GridWorld(job.grid, job.start, job.goal, job.budget)
    agent = make_agent(job.agent, job.grid, world.goal, job.seed, job.params, job.crossbar)
    steps = np.zeros(job.episodes, dtype=np.int32)
    success = np.zeros(job.episodes, dtype=bool)
    seconds = 0.0
    result = None
    xtrace = None
    if getattr(agent, 'synapses', None) is not None:
        xtrace = CrossbarTrace(agent, job.keep_trace)
    # a refused file that could not be moved aside is still at the path: never save over it
    save = job.memory is not None and job.memory.begin_run(agent, job.grid).may_overwrite
    for e in range(job.episodes):
        cue(agent, world, job.goal_cue)
        result = run_episode(agent, world)
        steps[e], success[e] = result.steps, result.success
        seconds += result.seconds
        if save:
            job.memory.episode_done(agent, job.grid, e + 1)
        if xtrace is not None:
            xtrace.episode_done()
    calcium = None
    if job.keep_trace and hasattr(agent, 'calcium_map'):
        calcium = np.asarray(agent.calcium_map(), dtype=np.float64).copy()
    energy = None if xtrace is None else xtrace.energy()
    meta = None
    if job.keep_trace:
        meta = {'start': tuple(job.start), 'goal': tuple(job.goal), 'seed': int(job.seed),
                'episode': int(job.episodes)}
    return JobResult(job.agent, steps, success, seconds,
                     result.cells if job.keep_trace else None, calcium, energy,
                     None if xtrace is None or not job.keep_trace else xtrace.as_dict(),
                     bool(job.goal_cue and agent.uses_goal_cue), meta)


class CrossbarTrace:
    """The usage of a crossbar run at every episode end (energy per episode, plots).

    ``keep`` also keeps the device conductances after every episode and the per-episode
    ledgers for the figures.
    """

    def __init__(self, agent, keep: bool = False):
        self.agent = agent
        self.synapses = agent.synapses
        self.keep = keep
        self.usages = [self.synapses.usage(agent.event_counts())]
        self.snapshots = [self.synapses.conductance_snapshot()] if keep else []

    def episode_done(self) -> None:
        """Record the cumulative usage (and, if kept, the conductances) after an episode."""
        self.usages.append(self.synapses.usage(self.agent.event_counts()))
        if self.keep:
            self.snapshots.append(self.synapses.conductance_snapshot())

    def episodes(self) -> List[dict]:
        """Return the style-analog ledger of every episode (see ``episode_ledgers``)."""
        from snan_nav.crossbar.summary import episode_ledgers
        s = self.synapses
        return episode_ledgers(self.usages, s.energy, s.n_places)

    def energy(self) -> dict:
        """Return the run's energy report, its ``energy_totals`` and ``episode_energy_j``.

        ``episode_energy_j``: J per episode, style analog.
        """
        report = self.agent.energy_report()
        report['energy_totals'] = self.synapses.totals(self.agent.event_counts())
        report['episode_energy_j'] = [ep['energy_j'] for ep in self.episodes()]
        return report

    def as_dict(self) -> dict:
        """Return the trace as plain data (picklable across processes)."""
        s = self.synapses
        return {'snapshots': self.snapshots, 'episodes': self.episodes(),
                'threshold': s.threshold, 'w_scale': s.w_scale,
                'g_on': s.array.device.g_on}


def params_for(params: Optional[Mapping[str, object]], agent: str):
    """Return the parameter record of ``agent`` from a name -> record mapping (or None)."""
    return None if params is None else params.get(agent)


def plan_jobs(grid: GridMap, pairs: Sequence[Pair], agents: Sequence[str], episodes: int,
              seeds: int, budget: int, params: Optional[Mapping[str, object]] = None,
              crossbar=None, goal_cue: bool = False) -> List[Job]:
    """Return the jobs of a bench in a fixed order: agent, then pair, then seed.

    ``params`` maps agent names to their parameter records (absent: defaults). The run
    (seed 0, pair 0) of every agent keeps its trace for the plots.
    """
    return [Job(grid, name, tuple(start), tuple(goal), int(budget), int(episodes),
                run_seed(s, p), params_for(params, name), keep_trace=(p == 0 and s == 0),
                crossbar=crossbar, goal_cue=bool(goal_cue))
            for name in agents for p, (start, goal) in enumerate(pairs) for s in range(seeds)]


def warm_up(job: Job) -> None:
    """Run one short throwaway episode so one-off costs (numba loading) are not timed."""
    run_job(Job(job.grid, job.agent, job.start, job.goal, min(job.budget, 8), 1, 0,
                job.params, crossbar=job.crossbar))


def warm_up_kinds(jobs: Sequence[Job]) -> None:
    """Warm up once per agent kind (and crossbar setting) found in ``jobs``."""
    seen = set()
    for job in jobs:
        kind = (job.agent, job.crossbar is not None)
        if kind not in seen:
            seen.add(kind)
            warm_up(job)


def run_jobs(jobs: Sequence[Job], workers: int = 1, progress: bool = True) -> List[JobResult]:
    """Run ``jobs`` serially or on a pool of ``workers`` processes; results in job order.

    Each job is a pure function of its inputs, so the results do not depend on ``workers``
    (only the measured wall times do). See :mod:`snan_nav.bench.executors` for Ray.
    """
    from snan_nav.bench.executors import open_executor
    with open_executor('process', workers) as execute:
        return execute(jobs, progress)


def run_bench(grid: GridMap, pairs: Sequence[Pair], agents: Sequence[str], episodes: int,
              seeds: int, budget: int, params: Optional[Mapping[str, object]] = None,
              progress: bool = True, map_label: str = '',
              job_runner: Optional[Callable] = None, crossbar=None, workers: int = 1,
              goal_cue: bool = False) -> dict:
    """Run the whole bench; return ``{'report': <JSON dict>, 'traces': {agent: JobResult}}``.

    ``params`` maps agent names to parameter records. ``job_runner(jobs) -> results``
    (e.g. an open executor) replaces the built-in loop; it must return results in the order
    of ``jobs``. Otherwise the jobs run on ``workers`` processes (1 = serial).
    ``crossbar`` (a ``CrossbarConfig``) runs the SNAN variants on the emulated crossbar and
    adds the energy figures to their results; ``goal_cue`` cues every episode's goal cell.
    """
    jobs = plan_jobs(grid, pairs, agents, episodes, seeds, budget, params, crossbar, goal_cue)
    warm_up_kinds(jobs)
    if job_runner is not None:
        results = list(job_runner(jobs))
    else:
        results = run_jobs(jobs, workers, progress)
    report = build_report(map_label or grid.name, grid, pairs, agents, episodes, seeds,
                          budget, results, goal_cue)
    return {'report': report, 'traces': traces_of(results)}


def traces_of(results: Sequence[JobResult]) -> Dict[str, JobResult]:
    """Return the traced run of every agent (seed 0, pair 0), by agent name."""
    return {r.agent: r for r in results if r.last_cells is not None}


def _cell_json(cell) -> Dict[str, int]:
    return {'mx': int(cell[0]), 'my': int(cell[1])}


def summarise_runs(runs: Sequence[JobResult], bfs: Sequence[int], budget) -> dict:
    """Return :func:`~snan_nav.bench.metrics.summarise` of runs plus ``goal_cue_used``."""
    out = summarise(np.stack([r.steps for r in runs]), np.stack([r.success for r in runs]),
                    bfs, budget, int(sum(int(r.steps.sum()) for r in runs)),
                    float(sum(r.seconds for r in runs)))
    out['goal_cue_used'] = bool(any(r.goal_cue_used for r in runs))
    return out


def build_report(map_label: str, grid: GridMap, pairs: Sequence[Pair], agents: Sequence[str],
                 episodes: int, seeds: int, budget: int, results: Sequence[JobResult],
                 goal_cue: bool = False) -> dict:
    """Return the bench JSON dict (the ``snan-nav bench`` contract) from job results.

    ``results`` holds exactly the runs of :func:`plan_jobs` for these arguments, in order.
    """
    bfs = [path_length(grid, s, g) for s, g in pairs]
    report = {'map': map_label, 'episodes': int(episodes), 'seeds': int(seeds),
              'budget': int(budget), 'goal_cue': bool(goal_cue), 'ci': dict(CI_METHOD),
              'pairs': [{'start': _cell_json(s), 'goal': _cell_json(g), 'bfs': b}
                        for (s, g), b in zip(pairs, bfs)],
              'results': {}}
    run_bfs = [bfs[p] for p in range(len(pairs)) for _ in range(seeds)]
    for name in agents:
        mine = [r for r in results if r.agent == name]
        report['results'][name] = summarise_runs(mine, run_bfs, budget)
        energies = [r.energy for r in mine if r.energy]
        if energies:
            report['results'][name].update(pooled_energy(energies))
    add_random_walk_ratio(report['results'])
    return report


def pooled_energy(reports: Sequence[dict]) -> dict:
    """Pool per-run crossbar energy reports: per decision over all decisions of all runs.

    Returns the keys of :func:`snan_nav.crossbar.summary.per_decision` (``energy_styles``
    with both hardware styles; today's keys meaning style analog) plus
    ``episode_energy_j``: per episode, the median over runs of its energy (J, style analog).
    """
    from snan_nav.crossbar.summary import per_decision, pool
    out = per_decision(pool([r['energy_totals'] for r in reports]))
    episodes = [r['episode_energy_j'] for r in reports if r.get('episode_energy_j')]
    if episodes and len({len(e) for e in episodes}) == 1:
        out['episode_energy_j'] = [float(v) for v in np.median(np.asarray(episodes), axis=0)]
    out['realisation_reruns'] = int(sum(r.get('realisation_reruns', 0) for r in reports))
    n_on = sum(r.get('n_on', 0) for r in reports)
    out['failed_devices_fraction'] = float(sum(r.get('n_failed', 0) for r in reports)
                                           / max(n_on, 1))
    return out
