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
"""The rows, tables and verdicts of ``snan-nav perf`` (thresholds live only here)."""
from benchmarks.perf_work import PHASES, weighted_mean_us

#: Issue 9 (speed): decision latency at 256x256, wave updates included.
TARGET_GRID = '256x256'
TARGET_MEDIAN_US = 20.0
TARGET_P99_US = 200.0
TICKS_PER_DECISION = 20


def _latency(stats: dict) -> dict:
    keep = ('median', 'p99', 'max', 'n')
    out = {k: stats[k] for k in keep}
    out['phases'] = {name: {k: stats['phases'][name][k] for k in keep} for name in PHASES}
    return out


def _reference_figures(found: dict, core_phase_decisions):
    """Return ``(ticks/s, latency dict)`` of a reference run, or ``(None, None)`` if skipped."""
    if 'skipped' in found:
        return None, None
    mean = weighted_mean_us(found['phases'], core_phase_decisions)
    rate = None if mean is None else TICKS_PER_DECISION * 1e6 / mean
    keep = ('median', 'p99', 'max', 'n')
    latency = {name: {k: found['phases'][name][k] for k in keep} for name in PHASES}
    return rate, {'phases': latency, 'n': found['decisions'],
                  'actions_agreeing': found['agree'],
                  'disagreeing_outside_shortcuts': found['decisions'] - found['agree']
                  - found['disagree_on_shortcut']}


def row(side: int, core: dict, reference: dict, seed_form: dict) -> dict:
    """Return one grid's row of the JSON contract."""
    weights = [core['latency_us']['phases'][name]['n'] for name in PHASES]
    ref_rate, ref_lat = _reference_figures(reference, weights)
    sf_rate, sf_lat = _reference_figures(seed_form, weights)
    return {
        'grid': f'{side}x{side}',
        'map': core['map'],
        'n_neurons': side * side + 5,
        'core_ticks_per_s': core['ticks_per_s'],
        'decision_latency_us': _latency(core['latency_us']),
        'reference_ticks_per_s': ref_rate,
        'reference_decision_latency_us': ref_lat,
        'ratio': None if ref_rate is None else core['ticks_per_s'] / ref_rate,
        'seed_form_ticks_per_s': sf_rate,
        'seed_form_decision_latency_us': sf_lat,
        'ratio_seed_form': None if sf_rate is None else core['ticks_per_s'] / sf_rate,
        'compile_s': core['compile_s'],
        'peak_rss_mb': core['peak_rss_mb'],
    }


def _us(x) -> str:
    if x is None:
        return 'n/a'
    return f'{x:,.0f}' if x >= 1000 else f'{x:.1f}'


def _med_p99(stats: dict) -> str:
    if not stats['n']:
        return '- (0)'
    return f"{_us(stats['median'])}/{_us(stats['p99'])} ({stats['n']:,})"


def _rate(x) -> str:
    return 'n/a' if x is None else f'{x:,.0f}'


def _ratio(x) -> str:
    return 'n/a' if x is None else f'{x:,.0f}x' if x >= 100 else f'{x:.1f}x'


def report(result: dict) -> str:
    """Return the printed tables, the notes and the verdict lines."""
    lines = ['Core: decision latency median/p99 in us (decisions), SNANAgent.act from Python', '']
    head = (f"{'grid':>8} {'core ticks/s':>13} {'all':>22} " +
            ' '.join(f'{name:>22}' for name in PHASES) + f" {'RSS MB':>7}")
    lines += [head, '-' * len(head)]
    for r in result['grids']:
        lat = r['decision_latency_us']
        lines.append(f"{r['grid']:>8} {_rate(r['core_ticks_per_s']):>13} {_med_p99(lat):>22} "
                     + ' '.join(f"{_med_p99(lat['phases'][name]):>22}" for name in PHASES)
                     + f" {r['peak_rss_mb']:>7.0f}")
    lines += ['', 'Dense reference and seed form on samples of the same work '
              '(latency median/p99 in us per phase, decisions run)', '']
    head = (f"{'grid':>8} {'form':>10} {'ticks/s':>10} {'ratio':>8} " +
            ' '.join(f'{name:>24}' for name in PHASES) + ' actions agree (off shortcuts)')
    lines += [head, '-' * len(head)]
    for r, d in zip(result['grids'], result['details']):
        for form, key in (('reference', 'reference'), ('seed form', 'seed_form')):
            lat = r[f'{key}_decision_latency_us']
            if lat is None:
                lines.append(f"{r['grid']:>8} {form:>10}   skipped: {d[key]['skipped']}")
                continue
            ratio = r['ratio'] if key == 'reference' else r['ratio_seed_form']
            lines.append(
                f"{r['grid']:>8} {form:>10} {_rate(r[f'{key}_ticks_per_s']):>10} "
                f"{_ratio(ratio):>8} "
                + ' '.join(f"{_med_p99(lat['phases'][name]):>24}" for name in PHASES)
                + f" {lat['actions_agreeing']:>6}/{lat['n']:<6} "
                f"({lat['n'] - lat['disagreeing_outside_shortcuts']}/{lat['n']})")
    lines += ['', 'Notes:']
    for d in result['details']:
        c = d['core']
        s = c['script']
        lines.append(
            f"  {d['grid']:>8} {c['map']} ({c['free_cells']:,} free cells): core ran "
            f"{c['latency_us']['n']:,} decisions ({c['ticks']:,} ticks) in {s['episodes']} "
            f"episodes ({s['successes']} reached), {s['switches']} goal switches; "
            f"begin_episode median/max {_us(c['begin_episode_us']['median'])}/"
            f"{_us(c['begin_episode_us']['max'])} us")
    if result['details']:
        c = result['details'][0]['core']
        lines.append(f"  numba: compile {c['compile_s']:.2f} s (empty cache; a warm-up run on "
                     f"6x6, imports included), cached load {c['cached_load_s']:.2f} s; RSS MB: "
                     'peak of the core process')
    lines.append('  actions agree: the reference\'s choice equals the core\'s; in brackets, '
                 'counting a disagreement only where the core could not take a documented '
                 'shortcut')
    lines.append('  ticks/s: decision-window ticks (20 a decision) per second of decision '
                 'time; the references weight their per-phase mean by the core\'s decisions '
                 'per phase')
    lines += _check_lines(result['check'])
    lines.append('')
    lines += verdicts(result)
    return '\n'.join(lines)


def _check_lines(check: dict) -> list:
    out = []
    for m in check['maps']:
        c = m['counts']
        out.append(f"lockstep check {m['map']} seed {m['seed']}: "
                   f"{'MATCH' if m['match'] else 'MISMATCH'} over {c['decisions']} decisions "
                   f"({c['equal']} identical latencies, actions and rasters; {c['route']} "
                   f"cached-route and {c['adjacent_tie']} adjacent-tie shortcuts; "
                   f"{c['goal_known']} with a goal wave, {c['explore']} exploration, "
                   f"{c['curiosity']} curiosity and {c.get('guided', 0)} guided read-outs)"
                   + ('' if m['match'] else f"; first: {m['mismatches'][:1]}"))
    return out


def verdicts(result: dict) -> list:
    """Return the verdict lines: issue 9's speed target and the lockstep check."""
    by = {r['grid']: r for r in result['grids']}
    out = []
    r = by.get(TARGET_GRID)
    text = (f'decision latency at {TARGET_GRID} incl. wave updates: median <= '
            f'{TARGET_MEDIAN_US:g} us and p99 <= {TARGET_P99_US:g} us')
    if r is None:
        out.append(f'n/a   {text}: not measured')
    else:
        lat = r['decision_latency_us']
        ok = lat['median'] <= TARGET_MEDIAN_US and lat['p99'] <= TARGET_P99_US
        out.append(f"{'PASS' if ok else 'FAIL'}  {text}: median {lat['median']:.2f} us, "
                   f"p99 {lat['p99']:.2f} us over {lat['n']:,} decisions")
    ok = result['check']['match']
    out.append(f"{'PASS' if ok else 'FAIL'}  the dense reference reproduces the core's "
               'latencies, actions and rasters (lockstep check)')
    return out
