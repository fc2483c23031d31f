"""Throughput and latency of the SNAN core against a dense reference and the seed's form.

Run from the repository root::

    snan-nav perf [--grids 10,32,100,256] [--ticks T] [--json OUT]
    python -m benchmarks.perf [same options]

Input (identical for the three implementations): an open ``g`` x ``g`` grid, a seeded random
walk over its cells, the place input switching to the next cell every ``ticks_per_decision``
(20) ticks, i.e. one decision; an episode ends every ``EPISODE_DECISIONS`` decisions with a
reward (alternately ``reward`` and 0). The timed runs use no idle gap between decisions (the
network runs continuously, every tick is a full SNAN tick with STDP); the raster check below
uses the default gaps. Ticks/s counts simulated network ticks.

Every measurement runs in its own fresh process (``--worker``), so peak RSS
(``getrusage``) belongs to one implementation on one grid and the core's numba compile time is
a real compile (an empty ``NUMBA_CACHE_DIR``), measured apart from the steady state (which is
timed after a warm-up). The references run fewer ticks on large grids (a time budget); the
output says how many. The raster check runs the core and :mod:`benchmarks.reference` side by
side on 10x10 in float64 and compares every decision's spike raster and action.

Thresholds of the issue appear only in the printed verdict.
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

import numpy as np

from snan_nav.bench.perf_command import (
    add_arguments, DEFAULT_CHECK_DECISIONS, DEFAULT_LATENCY_DECISIONS, DEFAULT_REF_SECONDS,
    DEFAULT_TICKS)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EPISODE_DECISIONS = 100
CHECK_GRID = 10
CHECK_EPISODE_DECISIONS = 50
CHECK_INTER_EPISODE_MS = 1000.0

# Targets of the performance issue (printed verdict only).
TARGET_TICKS_PER_S = 1_000_000
TARGET_FLATNESS = 2.0
TARGET_RATIO_REFERENCE_100 = 20.0
TARGET_RATIO_SEED_10 = 25.0
TARGET_RATIO_SEED_100 = 10_000.0
TARGET_LATENCY_MEDIAN_US = 20.0


# --- input ------------------------------------------------------------------------------------
def open_table(width: int, height: int) -> np.ndarray:
    """Return the neighbour table ``(cells, 4)`` int32 of an open grid (N, E, S, W; -1 = wall).

    Same convention as :meth:`snan_nav.world.grid.GridMap.neighbour_table`: cell id
    ``my * width + mx``, N is +my, E is +mx.
    """
    ids = np.arange(width * height)
    mx, my = ids % width, ids // width
    table = np.full((width * height, 4), -1, dtype=np.int32)
    table[my < height - 1, 0] = (ids + width)[my < height - 1]
    table[mx < width - 1, 1] = (ids + 1)[mx < width - 1]
    table[my > 0, 2] = (ids - width)[my > 0]
    table[mx > 0, 3] = (ids - 1)[mx > 0]
    return table


def seeded_walk(table: np.ndarray, n_decisions: int, seed: int) -> np.ndarray:
    """Return ``n_decisions`` cells of a seeded random walk (uniform over free moves)."""
    rng = np.random.default_rng(seed)
    draws = rng.random(n_decisions)
    free = [row[row >= 0] for row in table]
    cells = np.empty(n_decisions, dtype=np.int64)
    cell = len(table) // 2
    for i in range(n_decisions):
        cells[i] = cell
        moves = free[cell]
        cell = int(moves[int(draws[i] * len(moves))])
    return cells


def bench_params(**changes):
    """Return the timed runs' parameters: defaults without idle gaps (continuous network)."""
    from snan_nav.core.params import SNANParams
    return SNANParams(inter_decision_ms=0.0, inter_episode_ms=0.0).with_changes(**changes)


def episode_reward(index: int, params) -> float:
    """Return the modulator at the end of episode ``index`` (alternately reward and 0)."""
    return params.reward if index % 2 == 0 else 0.0


def peak_rss_mb() -> float:
    """Return this process's peak resident set size in MiB (``getrusage``, Linux KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# --- workers (each runs in its own process) -----------------------------------------------------
def work_core(grid: int, ticks: int, seed: int, latency_decisions: int) -> dict:
    """Time the core: compile, warm-up, throughput pass, per-call latency pass.

    One decision is one call of :func:`snan_nav.core.network.decide_and_idle` (the decision
    window plus the inter-decision gap, 0 here), timed from Python including dispatch;
    rewards at episode ends are inside the throughput time, outside the latency samples.
    """
    from snan_nav.core.network import advance_clock, decide_and_idle, deliver_reward
    from snan_nav.core.state import init_state

    p = bench_params()
    pk = p.packed()
    n_dec = max(1, ticks // p.ticks_per_decision)
    table = open_table(grid, grid)
    cells = seeded_walk(table, n_dec, seed).tolist()
    rows = list(table)
    gap = p.inter_decision_ms

    state = init_state(p, grid, grid, seed)
    t0 = time.perf_counter()
    decide_and_idle(state, pk, cells[0], rows[cells[0]], gap)
    deliver_reward(state, pk, p.reward)
    advance_clock(state, pk, p.inter_episode_ms)
    compile_s = time.perf_counter() - t0
    for i in range(min(n_dec, 2000)):
        decide_and_idle(state, pk, cells[i], rows[cells[i]], gap)

    def throughput(n):
        s = init_state(p, grid, grid, seed)
        start = time.perf_counter()
        for i in range(n):
            c = cells[i]
            decide_and_idle(s, pk, c, rows[c], gap)
            if (i + 1) % EPISODE_DECISIONS == 0:
                deliver_reward(s, pk, episode_reward(i // EPISODE_DECISIONS, p))
        return time.perf_counter() - start, s

    def latency(n):
        s = init_state(p, grid, grid, seed)
        lat = np.empty(n, dtype=np.int64)
        clock = time.perf_counter_ns
        for i in range(n):
            c = cells[i]
            t = clock()
            decide_and_idle(s, pk, c, rows[c], gap)
            lat[i] = clock() - t
            if (i + 1) % EPISODE_DECISIONS == 0:
                deliver_reward(s, pk, episode_reward(i // EPISODE_DECISIONS, p))
        return lat

    elapsed, s = throughput(n_dec)
    n_lat = min(n_dec, latency_decisions)
    lat = latency(n_lat)
    lat_us = lat / 1000.0
    return {
        'ticks': int(s.counters[0]),
        'seconds': elapsed,
        'ticks_per_s': n_dec * p.ticks_per_decision / elapsed,
        'latency_median_us': float(np.median(lat_us)),
        'latency_p99_us': float(np.percentile(lat_us, 99)),
        'latency_decisions': n_lat,
        'compile_s': compile_s,
        'peak_rss_mb': peak_rss_mb(),
    }


def work_core_load(grid: int, seed: int) -> dict:
    """Time the first kernel calls in a process whose numba cache is already populated."""
    t0 = time.perf_counter()
    from snan_nav.core.network import advance_clock, decide_and_idle, deliver_reward
    from snan_nav.core.state import init_state
    import_s = time.perf_counter() - t0

    p = bench_params()
    pk = p.packed()
    table = open_table(grid, grid)
    state = init_state(p, grid, grid, seed)
    cell = len(table) // 2
    t0 = time.perf_counter()
    decide_and_idle(state, pk, cell, table[cell], p.inter_decision_ms)
    deliver_reward(state, pk, p.reward)
    advance_clock(state, pk, p.inter_episode_ms)
    return {'cached_load_s': time.perf_counter() - t0, 'import_s': import_s}


def work_reference(grid: int, ticks: int, seed: int, budget_s: float) -> dict:
    """Time :class:`benchmarks.reference.DenseReference` on the same walk (time budget)."""
    from benchmarks.reference import DenseReference

    p = bench_params()
    n_dec = max(1, ticks // p.ticks_per_decision)
    table = open_table(grid, grid)
    cells = seeded_walk(table, n_dec, seed).tolist()
    DenseReference(p, grid, grid, seed, table).decide(cells[0])  # warm-up
    ref = DenseReference(p, grid, grid, seed, table)
    done = 0
    start = time.perf_counter()
    elapsed = 0.0
    while done < n_dec and (done == 0 or elapsed < budget_s):
        ref.decide(cells[done])
        ref.advance_ms(p.inter_decision_ms)
        done += 1
        if done % EPISODE_DECISIONS == 0:
            ref.reward(episode_reward(done // EPISODE_DECISIONS - 1, p))
        elapsed = time.perf_counter() - start
    return {'ticks': ref.tick, 'seconds': elapsed, 'ticks_per_s': ref.tick / elapsed,
            'peak_rss_mb': peak_rss_mb()}


def work_seed_form(grid: int, ticks: int, seed: int, budget_s: float) -> dict:
    """Time :class:`benchmarks.seed_form.SeedForm` on the same walk (time budget, >= 3 ticks)."""
    from benchmarks.seed_form import available_memory_bytes, fits_in_memory, SeedForm

    p = bench_params()
    n_cells = grid * grid
    avail = available_memory_bytes()
    if not fits_in_memory(n_cells, avail):
        need = 3 * SeedForm.matrix_bytes(n_cells) / 2 ** 30
        return {'skipped': f'needs ~{need:.1f} GiB for its N x N matrices, '
                           f'{avail / 2 ** 30:.1f} GiB available'}
    n_dec = max(1, ticks // p.ticks_per_decision)
    table = open_table(grid, grid)
    cells = seeded_walk(table, n_dec, seed)
    net = SeedForm(n_cells, seed=seed)
    inp = np.zeros(net.n, dtype=net.v.dtype)
    inp[cells[0]] = p.place_current
    net.forward(inp)  # warm-up
    done = 0
    start = time.perf_counter()
    elapsed = 0.0
    while done < n_dec * p.ticks_per_decision and (done < 3 or elapsed < budget_s):
        k, phase = divmod(done, p.ticks_per_decision)
        if phase == 0:
            inp[:] = 0.0
            inp[cells[k]] = p.place_current
        net.forward(inp)
        done += 1
        elapsed = time.perf_counter() - start
    return {'ticks': done, 'seconds': elapsed, 'ticks_per_s': done / elapsed,
            'peak_rss_mb': peak_rss_mb()}


def core_state_now(state, params) -> dict:
    """Return the core's lazily stored arrays brought to the current tick (for comparisons)."""
    from snan_nav.core.network import calcium_now
    from snan_nav.core.state import C_TICK

    tick = state.counters[C_TICK]
    d = params.dt_ms
    gap = tick - state.place_tick
    egap = tick - state.elig_tick
    return {
        'place_v': params.v_rest + (state.place_v - params.v_rest)
        * np.exp(-gap * d / params.tau_m_ms),
        'place_x': state.place_x * np.exp(-gap * d / params.tau_plus_ms),
        'elig': state.elig * np.exp(-egap * d / params.tau_elig_ms),
        'ca': calcium_now(state, params),
        'w': state.w,
        'action_v': state.action_v,
        'action_y': state.action_y,
    }


def compare_with_reference(params, grid: int, decisions: int, seed: int,
                           episode: int, walk_seed: int) -> dict:
    """Run the core and the dense reference side by side; compare rasters, actions, state.

    Mirrors :class:`snan_nav.agents.snan.SNANAgent`: the core runs
    :func:`~snan_nav.core.network.decide_and_idle` (decision window, then
    ``inter_decision_ms`` idle; the call the timed runs use), a reward every ``episode``
    decisions, then ``inter_episode_ms`` idle. Returns a summary
    with ``match`` (every raster and action equal), the ticks compared and the largest
    relative state difference.
    """
    from benchmarks.reference import DenseReference
    from snan_nav.core.network import advance_clock, decide_and_idle, deliver_reward
    from snan_nav.core.state import C_ACTION_SPIKES, C_PLACE_SPIKES, C_TICK, init_state

    pk = params.packed()
    table = open_table(grid, grid)
    cells = seeded_walk(table, decisions, walk_seed)
    core = init_state(params, grid, grid, seed)
    ref = DenseReference(params, grid, grid, seed, table)
    mismatches = []
    ref_place_spikes = 0
    ref_action_spikes = 0
    for i, cell in enumerate(cells.tolist()):
        a_core = decide_and_idle(core, pk, cell, table[cell], params.inter_decision_ms)
        a_ref = ref.decide(cell)
        ref.advance_ms(params.inter_decision_ms)
        ref_place_spikes += int(ref.raster[:, 0].sum())
        ref_action_spikes += int(ref.raster[:, 1:].sum())
        if a_core != a_ref or not np.array_equal(core.raster, ref.raster):
            mismatches.append(i)
        if (i + 1) % episode == 0:
            r = episode_reward(i // episode, params)
            deliver_reward(core, pk, r)
            ref.reward(r)
            advance_clock(core, pk, params.inter_episode_ms)
            ref.advance_ms(params.inter_episode_ms)
    now = core_state_now(core, params)
    rel = 0.0
    for name, value in now.items():
        other = getattr(ref, name)
        scale = max(1.0, float(np.abs(other).max()))
        rel = max(rel, float(np.abs(value - other).max()) / scale)
    counters_equal = (int(core.counters[C_PLACE_SPIKES]) == ref_place_spikes
                      and int(core.counters[C_ACTION_SPIKES]) == ref_action_spikes
                      and int(core.counters[C_TICK]) == ref.tick)
    return {
        'match': not mismatches and counters_equal,
        'mismatched_decisions': mismatches[:10],
        'decisions': int(decisions),
        'ticks': int(ref.tick),
        'place_spikes': ref_place_spikes,
        'action_spikes': ref_action_spikes,
        'weights_changed': int((ref.w != params.w_init).sum()),
        'max_state_difference': rel,
    }


def work_check(decisions: int, seed: int) -> dict:
    """Raster check on 10x10: default gaps (shortened inter-episode), and the timed input."""
    from snan_nav.core.params import SNANParams

    with_gaps = SNANParams(inter_episode_ms=CHECK_INTER_EPISODE_MS)
    a = compare_with_reference(with_gaps, CHECK_GRID, decisions, seed,
                               CHECK_EPISODE_DECISIONS, seed)
    b = compare_with_reference(bench_params(), CHECK_GRID, decisions, seed,
                               EPISODE_DECISIONS, seed)
    return {'with_gaps': a, 'timed_input': b, 'match': a['match'] and b['match']}


# --- orchestration ------------------------------------------------------------------------------
def _spawn(kind: str, args: list, numba_cache_dir: str = None) -> dict:
    """Run one worker in a fresh interpreter (optionally with its own numba cache dir).

    Returns the worker's JSON result.
    """
    env = dict(os.environ)
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
            ref_seconds: float = DEFAULT_REF_SECONDS,
            latency_decisions: int = DEFAULT_LATENCY_DECISIONS,
            check_decisions: int = DEFAULT_CHECK_DECISIONS, log=print) -> dict:
    """Run the check and every (grid, implementation) worker; return the full result.

    The result has the JSON contract's ``grids`` list plus ``details`` (ticks run by each
    implementation, reference RSS, skips) and ``check`` (raster comparison).
    """
    log(f'raster check: core vs reference on {CHECK_GRID}x{CHECK_GRID}, float64, '
        f'{check_decisions} decisions ...')
    check = _spawn('check', ['--check-decisions', check_decisions, '--seed', seed])
    rows, details = [], []
    for g in grids:
        log(f'{g}x{g}: core ...')
        cache_dir = tempfile.mkdtemp(prefix='snan_perf_numba_')
        try:
            core = _spawn('core', ['--grid', g, '--ticks', ticks, '--seed', seed,
                                   '--latency-decisions', latency_decisions], cache_dir)
            core.update(_spawn('core_load', ['--grid', g, '--seed', seed], cache_dir))
        finally:
            shutil.rmtree(cache_dir, ignore_errors=True)
        log(f'{g}x{g}: reference ...')
        ref = _spawn('reference', ['--grid', g, '--ticks', ticks, '--seed', seed,
                                   '--ref-seconds', ref_seconds])
        log(f'{g}x{g}: seed_form ...')
        sf = _spawn('seed_form', ['--grid', g, '--ticks', ticks, '--seed', seed,
                                  '--ref-seconds', ref_seconds])
        sf_rate = sf.get('ticks_per_s')
        rows.append({
            'grid': f'{g}x{g}',
            'n_neurons': g * g + 4,
            'core_ticks_per_s': core['ticks_per_s'],
            'reference_ticks_per_s': ref['ticks_per_s'],
            'seed_form_ticks_per_s': sf_rate,
            'ratio': core['ticks_per_s'] / ref['ticks_per_s'],
            'ratio_seed_form': None if sf_rate is None else core['ticks_per_s'] / sf_rate,
            'decision_latency_us': {'median': core['latency_median_us'],
                                    'p99': core['latency_p99_us']},
            'compile_s': core['compile_s'],
            'peak_rss_mb': core['peak_rss_mb'],
        })
        details.append({'grid': f'{g}x{g}', 'core': core, 'reference': ref, 'seed_form': sf})
    return {'grids': rows, 'details': details, 'check': check}


def _fmt_rate(x):
    return 'n/a' if x is None else f'{x:,.0f}'


def _fmt_ratio(x):
    return 'n/a' if x is None else f'{x:,.0f}x' if x >= 100 else f'{x:.1f}x'


def report(result: dict) -> str:
    """Return the printed table, the notes on tick counts and the verdict lines."""
    lines = []
    head = (f"{'grid':>8} {'neurons':>8} {'core ticks/s':>13} {'lat med/p99 us':>15} "
            f"{'reference/s':>12} {'ratio':>7} {'seed_form/s':>12} {'ratio':>10} "
            f"{'compile s':>9} {'RSS MB':>7}")
    lines += [head, '-' * len(head)]
    for row in result['grids']:
        lat = row['decision_latency_us']
        lines.append(
            f"{row['grid']:>8} {row['n_neurons']:>8,} {_fmt_rate(row['core_ticks_per_s']):>13} "
            f"{lat['median']:>7.2f}/{lat['p99']:<7.2f} "
            f"{_fmt_rate(row['reference_ticks_per_s']):>12} {_fmt_ratio(row['ratio']):>7} "
            f"{_fmt_rate(row['seed_form_ticks_per_s']):>12} "
            f"{_fmt_ratio(row['ratio_seed_form']):>10} {row['compile_s']:>9.2f} "
            f"{row['peak_rss_mb']:>7.0f}")
    lines.append('')
    lines.append('ticks run (the references run fewer on large grids: time budget):')
    for d in result['details']:
        sf = d['seed_form']
        sf_txt = (f"skipped ({sf['skipped']})" if 'skipped' in sf
                  else f"{sf['ticks']:,} ticks in {sf['seconds']:.1f} s, "
                       f"RSS {sf['peak_rss_mb']:.0f} MB")
        lines.append(f"  {d['grid']:>8}: core {d['core']['ticks']:,} ticks "
                     f"(latency over {d['core']['latency_decisions']:,} decisions); "
                     f"reference {d['reference']['ticks']:,} ticks in "
                     f"{d['reference']['seconds']:.1f} s, RSS "
                     f"{d['reference']['peak_rss_mb']:.0f} MB; seed_form {sf_txt}")
    loads = ', '.join(f"{d['grid']} {d['core']['cached_load_s']:.3f} s"
                      for d in result['details'])
    lines.append('  compile s: first kernel calls in a fresh process with an empty numba cache '
                 f'(cache=True; later processes load the cached kernels: {loads}); '
                 'RSS MB: peak of the core process')
    chk = result['check']
    for label in ('with_gaps', 'timed_input'):
        c = chk[label]
        lines.append(f"raster check {CHECK_GRID}x{CHECK_GRID} float64 ({label}): "
                     f"{'MATCH' if c['match'] else 'MISMATCH'} over {c['decisions']} decisions, "
                     f"{c['ticks']:,} ticks, {c['place_spikes']} place and "
                     f"{c['action_spikes']} action spikes, {c['weights_changed']} weights "
                     f"changed by reward, max state difference "
                     f"{c['max_state_difference']:.1e}"
                     + ('' if c['match'] else f", first decisions {c['mismatched_decisions']}"))
    lines.append('')
    lines += verdicts(result)
    return '\n'.join(lines)


def verdicts(result: dict) -> list:
    """Return one verdict line per target of the performance issue."""
    by = {row['grid']: row for row in result['grids']}
    rates = [row['core_ticks_per_s'] for row in result['grids']]
    out = []

    def line(ok, text):
        out.append(f"{'n/a ' if ok is None else 'PASS' if ok else 'FAIL'}  {text}")

    missing = [g for g in ('10x10', '32x32', '100x100', '256x256') if g not in by]
    note = f' (not measured: {", ".join(missing)})' if missing else ''
    flat = max(rates) / min(rates) if rates else None
    line(bool(rates) and min(rates) >= TARGET_TICKS_PER_S and flat <= TARGET_FLATNESS,
         f'core >= {TARGET_TICKS_PER_S:,} ticks/s at every size, flat within '
         f'{TARGET_FLATNESS:g}x: min {_fmt_rate(min(rates) if rates else None)}, '
         f'max/min {flat:.2f}{note}')
    row = by.get('100x100')
    line(None if row is None else row['ratio'] >= TARGET_RATIO_REFERENCE_100,
         f'core >= {TARGET_RATIO_REFERENCE_100:g}x reference at 100x100: '
         f"{'not measured' if row is None else _fmt_ratio(row['ratio'])}")
    for grid, target in (('10x10', TARGET_RATIO_SEED_10), ('100x100', TARGET_RATIO_SEED_100)):
        row = by.get(grid)
        r = None if row is None else row['ratio_seed_form']
        line(None if r is None else r >= target,
             f'core >= {target:,g}x seed_form at {grid}: '
             f"{'not measured' if r is None else _fmt_ratio(r)}")
    meds = [row['decision_latency_us']['median'] for row in result['grids']]
    line(bool(meds) and max(meds) <= TARGET_LATENCY_MEDIAN_US,
         f'decision latency median <= {TARGET_LATENCY_MEDIAN_US:g} us at every size: '
         f"worst {max(meds):.2f} us" if meds else 'no grid measured')
    line(result['check']['match'],
         f'reference raster equals the core raster on {CHECK_GRID}x{CHECK_GRID} (float64)')
    return out


def run(args) -> int:
    """Run the benchmark from parsed arguments; print the table; return the exit status."""
    result = measure(args.grids, args.ticks, args.seed, args.ref_seconds,
                     args.latency_decisions, args.check_decisions,
                     log=lambda m: print(m, file=sys.stderr, flush=True))
    print(report(result))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'grids': result['grids']}, f, indent=2)
            f.write('\n')
    return 0 if result['check']['match'] else 1


def _worker_main(argv) -> int:
    parser = argparse.ArgumentParser(prog='benchmarks.perf --worker')
    parser.add_argument('--worker', required=True,
                        choices=('core', 'core_load', 'reference', 'seed_form', 'check'))
    parser.add_argument('--grid', type=int, default=CHECK_GRID)
    parser.add_argument('--ticks', type=int, default=DEFAULT_TICKS)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--ref-seconds', type=float, default=DEFAULT_REF_SECONDS)
    parser.add_argument('--latency-decisions', type=int, default=DEFAULT_LATENCY_DECISIONS)
    parser.add_argument('--check-decisions', type=int, default=DEFAULT_CHECK_DECISIONS)
    a = parser.parse_args(argv)
    if a.worker == 'core':
        out = work_core(a.grid, a.ticks, a.seed, a.latency_decisions)
    elif a.worker == 'core_load':
        out = work_core_load(a.grid, a.seed)
    elif a.worker == 'reference':
        out = work_reference(a.grid, a.ticks, a.seed, a.ref_seconds)
    elif a.worker == 'seed_form':
        out = work_seed_form(a.grid, a.ticks, a.seed, a.ref_seconds)
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
        description='SNAN core throughput and latency vs a dense reference and the seed form')
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == '__main__':
    sys.exit(main())
