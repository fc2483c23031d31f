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
"""Decision latency and ticks/s of the SNAN core against the dense reference and the seed form.

Run from the repository root::

    snan-nav perf [--grids 10,32,100,256] [--ticks T] [--switches N] [--json OUT]
    python -m benchmarks.perf [same options]

Per grid ``g``: the core runs the script of :mod:`benchmarks.workload` on ``builtin:random<g>``
(:mod:`benchmarks.perf_work`: every ``act`` timed and labelled exploring / goal known / goal
change); the dense reference (:mod:`benchmarks.reference`) and the seed form
(:mod:`benchmarks.seed_form`) replay samples of the same work within a time budget per phase
(:mod:`benchmarks.perf_reference`). Ticks/s counts network ticks of decision windows
(``ticks_per_decision`` = 20 per decision) per second of decision wall time, for all three;
the references' figure weights their per-phase mean latency by the core's decisions per phase.
Every measurement runs in its own fresh process, all with one private ``NUMBA_CACHE_DIR``: the
first process compiles the kernels into it (the compile time reported: a warm-up run on a
6x6 grid, imports included), the second loads them (the cached load time); each timed run
follows such a warm-up. Before
the grids, the lockstep check (:mod:`benchmarks.equivalence`) runs core and reference side by
side on small generated maps. Thresholds appear only in the printed verdict
(:mod:`benchmarks.perf_report`).
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from benchmarks.perf_report import report, row
from snan_nav.bench.perf_command import (
    add_arguments, argument_problem, DEFAULT_CHECK_DECISIONS, DEFAULT_REF_SECONDS,
    DEFAULT_SWITCHES, DEFAULT_TICKS)
from snan_nav.cli import fail

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECK_MAPS = ('gen:rooms:16:1', 'gen:random20:16:2', 'gen:maze2:16:3')
WARM_UP = {'side': 6, 'ticks': 2000, 'switches': 2}
#: Every implementation runs on one thread (the core is single-threaded; NumPy's BLAS would
#: otherwise spread the seed form's matrix products over the cores other processes use).
SINGLE_THREADED = {'OMP_NUM_THREADS': '1', 'OPENBLAS_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1',
                   'NUMBA_NUM_THREADS': '1'}


def peak_rss_mb() -> float:
    """Return this process's peak resident set size in MiB (``getrusage``, Linux KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# --- workers (each runs in its own process) -----------------------------------------------------
def run_script(side: int, seed: int, min_ticks: int, min_switches: int) -> dict:
    """Run the core on the script for a ``side`` grid, every decision timed; return figures."""
    from benchmarks.perf_work import (
        BeginTimer, latency_stats, LegCounter, make_stop, perf_map, race_ticks,
        TimedDecisions)
    from benchmarks.workload import perf_legs, run_legs
    from snan_nav.agents.snan import make_snan_agent

    grid = perf_map(side, seed)
    agent = make_snan_agent('snan', grid, None, seed=seed)
    timed, begin = TimedDecisions(agent), BeginTimer(agent)
    legs = LegCounter(perf_legs(grid, seed))
    counts = run_legs(grid, begin, legs, decide=timed,
                      stop=make_stop(agent, legs.counts, min_ticks, min_switches))
    seconds = sum(timed.ns) / 1e9
    ticks = race_ticks(agent)
    return {'map': f'builtin:random{side}', 'free_cells': grid.free_count(),
            'ticks': ticks, 'seconds': seconds, 'ticks_per_s': ticks / seconds,
            'latency_us': timed.by_phase(), 'begin_episode_us': latency_stats(begin.ns),
            'script': counts, 'events': agent.event_counts()}


def work_core(side: int, seed: int, min_ticks: int, min_switches: int) -> dict:
    """Warm up (a small grid), then the timed run; with the process's peak RSS."""
    run_script(WARM_UP['side'], seed, WARM_UP['ticks'], WARM_UP['switches'])
    out = run_script(side, seed, min_ticks, min_switches)
    out['peak_rss_mb'] = peak_rss_mb()
    return out


def work_warm_up(seed: int) -> dict:
    """Time the warm-up run (imports, kernel compile or cache load, a small grid)."""
    t0 = time.perf_counter()
    run_script(WARM_UP['side'], seed, WARM_UP['ticks'], WARM_UP['switches'])
    return {'seconds': time.perf_counter() - t0}


def work_reference(form: str, side: int, seed: int, min_ticks: int, min_switches: int,
                   budget_s: float) -> dict:
    """Time the dense reference (``form`` reference) or the seed form on the same work."""
    from benchmarks.perf_reference import time_reference
    from benchmarks.reference import DenseReference
    from benchmarks.seed_form import (
        available_memory_bytes, fits_in_memory, matrix_bytes, SeedFormReference)

    cls = DenseReference
    if form == 'seed_form':
        cls = SeedFormReference
        avail = available_memory_bytes()
        if not fits_in_memory(side * side, avail):
            return {'skipped': f'its {side * side} x {side * side} matrix needs '
                               f'{matrix_bytes(side * side) / 2 ** 30:.1f} GiB, '
                               f'{avail / 2 ** 30:.1f} GiB available'}
    time_reference(cls, WARM_UP['side'], seed, WARM_UP['ticks'], WARM_UP['switches'], 0.05)
    out = time_reference(cls, side, seed, min_ticks, min_switches, budget_s)
    out['peak_rss_mb'] = peak_rss_mb()
    return out


def work_check(decisions: int, seed: int) -> dict:
    """Run the lockstep check of core and reference on :data:`CHECK_MAPS`."""
    from benchmarks.equivalence import check_map
    maps = [check_map(spec, seed, decisions) for spec in CHECK_MAPS]
    return {'maps': maps, 'match': all(m['match'] for m in maps)}


# --- orchestration ------------------------------------------------------------------------------
def _spawn(kind: str, args: list, numba_cache_dir: str = None) -> dict:
    """Run one worker in a fresh single-threaded interpreter (optionally its own numba cache)."""
    env = dict(os.environ)
    env.update(SINGLE_THREADED)
    env['PYTHONPATH'] = os.pathsep.join([ROOT] + [x for x in [env.get('PYTHONPATH')] if x])
    if numba_cache_dir is not None:
        env['NUMBA_CACHE_DIR'] = numba_cache_dir
    cmd = [sys.executable, '-m', 'benchmarks.perf', '--worker', kind] + [str(a) for a in args]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f'perf worker {kind} {args} failed (exit {proc.returncode}):\n'
                           f'{proc.stderr[-3000:]}')
    return json.loads(lines[-1])


def measure(grids, ticks: int = DEFAULT_TICKS, seed: int = 0,
            ref_seconds: float = DEFAULT_REF_SECONDS, switches: int = DEFAULT_SWITCHES,
            check_decisions: int = DEFAULT_CHECK_DECISIONS, log=print) -> dict:
    """Run the check and every (grid, implementation) worker; return the full result.

    The result has the JSON contract's ``grids`` rows, ``details`` (everything the workers
    measured) and ``check`` (the lockstep comparison).
    """
    log(f"lockstep check: core vs reference on {', '.join(CHECK_MAPS)}, "
        f'{check_decisions} decisions each ...')
    check = _spawn('check', ['--check-decisions', check_decisions, '--seed', seed])
    rows, details = [], []
    work = ['--ticks', ticks, '--seed', seed, '--switches', switches]
    cache_dir = tempfile.mkdtemp(prefix='snan_perf_numba_')
    try:
        log('numba compile (empty cache) and cached load ...')
        kernels = {'compile_s': _spawn('warm_up', ['--seed', seed], cache_dir)['seconds'],
                   'cached_load_s': _spawn('warm_up', ['--seed', seed], cache_dir)['seconds']}
        for g in grids:
            found = {}
            for form in ('core', 'reference', 'seed_form'):
                log(f'{g}x{g}: {form} ...')
                extra = [] if form == 'core' else ['--ref-seconds', ref_seconds]
                found[form] = _spawn(form, ['--grid', g] + extra + work, cache_dir)
            found['core'].update(kernels)
            rows.append(row(g, found['core'], found['reference'], found['seed_form']))
            details.append({'grid': f'{g}x{g}', **found})
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    return {'grids': rows, 'details': details, 'check': check}


def run(args) -> int:
    """Run the benchmark from parsed arguments; print the tables; return the exit status."""
    result = measure(args.grids, args.ticks, args.seed, args.ref_seconds, args.switches,
                     args.check_decisions, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(report(result))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'grids': result['grids']}, f, indent=2)
            f.write('\n')
    return 0 if result['check']['match'] else 1


def _worker_main(argv) -> int:
    parser = argparse.ArgumentParser(prog='benchmarks.perf --worker')
    parser.add_argument('--worker', required=True,
                        choices=('core', 'warm_up', 'reference', 'seed_form', 'check'))
    parser.add_argument('--grid', type=int, default=WARM_UP['side'])
    parser.add_argument('--ticks', type=int, default=DEFAULT_TICKS)
    parser.add_argument('--switches', type=int, default=DEFAULT_SWITCHES)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--ref-seconds', type=float, default=DEFAULT_REF_SECONDS)
    parser.add_argument('--check-decisions', type=int, default=DEFAULT_CHECK_DECISIONS)
    a = parser.parse_args(argv)
    if a.worker == 'core':
        out = work_core(a.grid, a.seed, a.ticks, a.switches)
    elif a.worker == 'warm_up':
        out = work_warm_up(a.seed)
    elif a.worker in ('reference', 'seed_form'):
        out = work_reference(a.worker, a.grid, a.seed, a.ticks, a.switches, a.ref_seconds)
    else:
        out = work_check(a.check_decisions, a.seed)
    print(json.dumps(out))
    return 0


def main(argv=None) -> int:
    """Command-line entry point of ``python -m benchmarks.perf``."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if '--worker' in argv:
        return _worker_main(argv)
    parser = argparse.ArgumentParser(
        prog='python -m benchmarks.perf',
        description='SNAN decision latency and ticks/s vs the dense reference and seed form')
    add_arguments(parser)
    args = parser.parse_args(argv)
    problem = argument_problem(args)
    if problem:
        return fail('python -m benchmarks.perf', problem)
    return run(args)


if __name__ == '__main__':
    sys.exit(main())
