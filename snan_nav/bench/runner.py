"""Run agents x start/goal pairs x seeds x episodes and build the bench JSON dict.

A *run* is one fresh agent (one fresh memory) on one (pair, seed) for ``episodes`` episodes;
memory persists across the episodes of a run. :func:`run_job` is a pure function of its
:class:`Job` (results identical wherever it runs, e.g. in a process pool); only the measured
wall times differ. The agent seed of a run depends on (seed index, pair index) only, so all
agents see the same seeds.
"""
import sys
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

from snan_nav.agents.registry import make_agent
from snan_nav.bench.metrics import summarise
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
    snan_params: object = None
    keep_trace: bool = False
    crossbar: object = None


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


def run_job(job: Job) -> JobResult:
    """Run one fresh agent for ``job.episodes`` episodes on one start/goal pair."""
    world = GridWorld(job.grid, job.start, job.goal, job.budget)
    agent = make_agent(job.agent, job.grid, world.goal, job.seed, job.snan_params,
                       job.crossbar)
    steps = np.zeros(job.episodes, dtype=np.int32)
    success = np.zeros(job.episodes, dtype=bool)
    seconds = 0.0
    result = None
    synapses = getattr(agent, 'synapses', None) if job.keep_trace else None
    xtrace = None if synapses is None else CrossbarTrace(synapses)
    for e in range(job.episodes):
        result = run_episode(agent, world)
        steps[e], success[e] = result.steps, result.success
        seconds += result.seconds
        if xtrace is not None:
            xtrace.episode_done()
    calcium = None
    if job.keep_trace and hasattr(agent, 'calcium_map'):
        calcium = np.asarray(agent.calcium_map(), dtype=np.float64).copy()
    energy = agent.energy_report() if hasattr(agent, 'energy_report') else None
    return JobResult(job.agent, steps, success, seconds,
                     result.cells if job.keep_trace else None, calcium, energy,
                     None if xtrace is None else xtrace.as_dict())


class CrossbarTrace:
    """Per-episode conductance snapshots and energy per decision of one crossbar run."""

    def __init__(self, synapses):
        self.synapses = synapses
        self.snapshots = [synapses.conductance_snapshot()]
        self.energy_j: List[float] = []
        self.digital_j: List[float] = []
        self._seen = (0, 0.0, 0.0)

    def episode_done(self) -> None:
        """Record the state after an episode and the mean energy of its decisions."""
        meter = self.synapses.meter
        totals = meter.totals()
        n, total, digital = meter.n_decisions, totals.total_j, totals.digital_j
        n0, total0, digital0 = self._seen
        k = max(n - n0, 1)
        self.energy_j.append((total - total0) / k)
        self.digital_j.append((digital - digital0) / k)
        self._seen = (n, total, digital)
        self.snapshots.append(self.synapses.conductance_snapshot())

    def as_dict(self) -> dict:
        """Return the trace as plain data (picklable across processes)."""
        return {'snapshots': self.snapshots, 'energy_j': self.energy_j,
                'digital_j': self.digital_j}


def plan_jobs(grid: GridMap, pairs: Sequence[Pair], agents: Sequence[str], episodes: int,
              seeds: int, budget: int, snan_params=None, crossbar=None) -> List[Job]:
    """Return the jobs of a bench in a fixed order: agent, then pair, then seed.

    The run (seed 0, pair 0) of every agent keeps its trace for the plots.
    """
    return [Job(grid, name, tuple(start), tuple(goal), int(budget), int(episodes),
                run_seed(s, p), snan_params, keep_trace=(p == 0 and s == 0),
                crossbar=crossbar)
            for name in agents for p, (start, goal) in enumerate(pairs) for s in range(seeds)]


class Progress:
    """A plain-text progress bar on stderr (one carriage-returned line), shown when slow.

    It appears once the whole bench is expected to take more than ``min_seconds``.
    """

    def __init__(self, total: int, stream=None, min_seconds: float = 2.0, width: int = 30):
        self.total, self.width, self.min_seconds = max(1, total), width, min_seconds
        self.stream = sys.stderr if stream is None else stream
        self.t0 = self.last = time.perf_counter()
        self.shown = False

    def update(self, done: int, label: str = '') -> None:
        """Report ``done`` of ``total`` units finished."""
        now = time.perf_counter()
        elapsed = now - self.t0
        if not self.shown:
            expected = elapsed / max(done, 1) * self.total
            if elapsed < 0.25 or expected < self.min_seconds or done >= self.total:
                return
            self.shown = True
        elif now - self.last < 0.1 and done < self.total:
            return  # at most ten redraws per second
        self.last = now
        filled = int(self.width * done / self.total)
        bar = '#' * filled + '.' * (self.width - filled)
        self.stream.write(f'\r[{bar}] {done}/{self.total} {label:<14} {elapsed:6.1f} s')
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line (only if it was shown)."""
        if self.shown:
            self.update(self.total, 'done')
            self.stream.write('\n')
            self.stream.flush()


def warm_up(job: Job) -> None:
    """Run one short throwaway episode so one-off costs (numba loading) are not timed."""
    run_job(Job(job.grid, job.agent, job.start, job.goal, min(job.budget, 8), 1, 0,
                job.snan_params, crossbar=job.crossbar))


def run_jobs(jobs: Sequence[Job], workers: int = 1, progress: bool = True) -> List[JobResult]:
    """Run ``jobs`` serially or on a pool of ``workers`` processes; results in job order.

    Each job is a pure function of its inputs, so the results do not depend on ``workers``
    (only the measured wall times do).
    """
    bar = Progress(len(jobs)) if progress else None
    results: List[JobResult] = []
    if workers <= 1:
        for i, job in enumerate(jobs):
            results.append(run_job(job))
            if bar is not None:
                bar.update(i + 1, job.agent)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        # fork: workers inherit the loaded numba kernels; chunks keep the IPC cost small.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context('fork'),
                                 initializer=_worker_init) as pool:
            chunk = max(1, len(jobs) // (8 * workers))
            for i, result in enumerate(pool.map(run_job, jobs, chunksize=chunk)):
                results.append(result)
                if bar is not None:
                    bar.update(i + 1, result.agent)
    if bar is not None:
        bar.close()
    return results


def _worker_init():
    """Keep each worker on one thread (numba/BLAS) so workers do not oversubscribe cores."""
    import os
    os.environ.setdefault('NUMBA_NUM_THREADS', '1')


def run_bench(grid: GridMap, pairs: Sequence[Pair], agents: Sequence[str], episodes: int,
              seeds: int, budget: int, snan_params=None, progress: bool = True,
              map_label: str = '', job_runner: Optional[Callable] = None, crossbar=None,
              workers: int = 1) -> dict:
    """Run the whole bench; return ``{'report': <JSON dict>, 'traces': {agent: JobResult}}``.

    ``job_runner(jobs) -> results`` replaces the built-in loop; it must return results in the
    order of ``jobs``. Otherwise the jobs run on ``workers`` processes (1 = serial).
    ``crossbar`` (a ``CrossbarConfig``) runs the SNAN variants on the emulated crossbar and
    adds the energy figures to their results.
    """
    jobs = plan_jobs(grid, pairs, agents, episodes, seeds, budget, snan_params, crossbar)
    for name in agents:
        warm_up(next(j for j in jobs if j.agent == name))
    if job_runner is not None:
        results = list(job_runner(jobs))
    else:
        results = run_jobs(jobs, workers, progress)
    return {'report': build_report(map_label or grid.name, grid, pairs, agents, episodes,
                                   seeds, budget, results),
            'traces': {r.agent: r for r in results if r.last_cells is not None}}


def _cell_json(cell) -> Dict[str, int]:
    return {'mx': int(cell[0]), 'my': int(cell[1])}


def build_report(map_label: str, grid: GridMap, pairs: Sequence[Pair], agents: Sequence[str],
                 episodes: int, seeds: int, budget: int,
                 results: Sequence[JobResult]) -> dict:
    """Return the bench JSON dict (the ``snan-nav bench`` contract) from job results."""
    bfs = [path_length(grid, s, g) for s, g in pairs]
    report = {'map': map_label, 'episodes': int(episodes), 'seeds': int(seeds),
              'budget': int(budget),
              'pairs': [{'start': _cell_json(s), 'goal': _cell_json(g), 'bfs': b}
                        for (s, g), b in zip(pairs, bfs)],
              'results': {}}
    run_bfs = [bfs[p] for p in range(len(pairs)) for _ in range(seeds)]
    for name in agents:
        mine = [r for r in results if r.agent == name]
        report['results'][name] = summarise(
            np.stack([r.steps for r in mine]), np.stack([r.success for r in mine]), run_bfs,
            budget, int(sum(int(r.steps.sum()) for r in mine)),
            float(sum(r.seconds for r in mine)))
        energies = [r.energy for r in mine if r.energy]
        if energies:
            report['results'][name].update(pooled_energy(energies))
    return report


def pooled_energy(reports: Sequence[dict]) -> dict:
    """Pool per-run crossbar energy reports into per-decision means over all decisions."""
    n = np.array([max(int(r['n_decisions']), 0) for r in reports], dtype=np.float64)
    total = max(float(n.sum()), 1.0)

    def mean(get):
        return float(sum(get(r) * k for r, k in zip(reports, n)) / total)

    return {
        'energy_per_decision_j': mean(lambda r: r['energy_per_decision_j']),
        'energy_breakdown_j': {part: mean(lambda r, p=part: r['energy_breakdown_j'][p])
                               for part in ('read', 'write', 'periphery')},
        'digital_energy_per_decision_j': mean(lambda r: r['digital_energy_per_decision_j']),
        'area_mm2': float(reports[0]['area_mm2']),
        'neurons_per_mm2': float(reports[0]['neurons_per_mm2']),
    }
