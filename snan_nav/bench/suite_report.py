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
"""Per-family aggregates and tables of a multi-map bench (suite or ``--maps``).

A family aggregate pools every run (pair x seed) of every map of the family, so its
intervals are over all those runs; per-run BFS lengths and budgets are kept, so ratios to
BFS and censoring stay per map. ``overall`` pools all maps.
"""
from typing import Dict, List, Sequence

import numpy as np

from snan_nav.bench.metrics import add_random_walk_ratio, censored, CI_METHOD
from snan_nav.bench.runner import pooled_energy, summarise_runs
from snan_nav.bench.tables import energy_table


def _run_context(report: dict) -> tuple:
    """Return per-run BFS lengths and the budget of a per-map report (plan_jobs order)."""
    bfs = [p['bfs'] for p in report['pairs'] for _ in range(report['seeds'])]
    return bfs, report['budget']


def aggregate(reports: Sequence[dict], runs: Sequence[Sequence], agents: Sequence[str]) -> dict:
    """Return ``{agent: pooled result}`` over the maps of ``reports`` (runs in map order).

    Each result has the :func:`~snan_nav.bench.metrics.summarise` keys over all pooled runs,
    ``goal_cue_used``, ``random_walk_ratio``, ``curve_over_bfs`` (median over runs of the
    censored steps / BFS per episode) and the pooled crossbar energy when present.
    """
    out = {}
    for name in agents:
        mine, bfs, budget = [], [], []
        for report, results in zip(reports, runs):
            r_bfs, r_budget = _run_context(report)
            own = [r for r in results if r.agent == name]
            mine.extend(own)
            bfs.extend(r_bfs)
            budget.extend([r_budget] * len(own))
        res = summarise_runs(mine, bfs, np.asarray(budget))
        cens = censored(np.stack([r.steps for r in mine]),
                        np.stack([r.success for r in mine]), np.asarray(budget))
        res['curve_over_bfs'] = [float(v) for v in np.median(
            cens / np.asarray(bfs, dtype=np.float64)[:, None], axis=0)]
        energies = [r.energy for r in mine if r.energy]
        if energies:
            res.update(pooled_energy(energies))
        out[name] = res
    add_random_walk_ratio(out)
    return out


def multi_report(reports: List[dict], runs: List[list], agents: Sequence[str], episodes: int,
                 seeds: int, pairs_per_map: int, budget, goal_cue: bool, suite=None,
                 wall_time_s=None, pair_distance=None) -> dict:
    """Return the multi-map JSON: per-map reports, per-family and overall aggregates.

    ``pair_distance``: ``(lo, hi)`` when the pairs were drawn at that shortest-path range
    instead of far pairs (None).
    """
    families: Dict[str, List[int]] = {}
    for i, report in enumerate(reports):
        families.setdefault(report['family'], []).append(i)
    return {
        'suite': suite, 'episodes': int(episodes), 'seeds': int(seeds),
        'pairs_per_map': int(pairs_per_map),
        'pair_distance': None if pair_distance is None else [int(v) for v in pair_distance],
        'budget': budget, 'goal_cue': bool(goal_cue), 'ci': dict(CI_METHOD),
        'agents': list(agents), 'wall_time_s': wall_time_s,
        'maps': reports,
        'families': {
            family: {'maps': [reports[i]['map'] for i in idx],
                     'sizes': [reports[i]['size'] for i in idx],
                     'runs_per_agent': sum(len(reports[i]['pairs']) * seeds for i in idx),
                     'results': aggregate([reports[i] for i in idx], [runs[i] for i in idx],
                                          agents)}
            for family, idx in families.items()},
        'overall': {'maps': [r['map'] for r in reports],
                    'results': aggregate(reports, runs, agents)},
    }


def _fmt(value, spec='.1f'):
    return '-' if value is None else format(value, spec)


def _ci(ci, scale=1.0, spec='.0f'):
    return '-' if not ci else f'[{format(ci[0] * scale, spec)}, {format(ci[1] * scale, spec)}]'


def family_table(title: str, results: dict) -> List[str]:
    """Return the text lines of one aggregate table (one row per agent)."""
    head = (f"{'agent':<14} {'done %':>6} {'95% CI':>11} {'1st ep':>7} {'1st/BFS':>7} "
            f"{'late/BFS':>8} {'late/BFS c':>10} {'95% CI c':>13} {'cum steps':>9} "
            f"{'RW ratio':>8}")
    lines = [title, head, '-' * len(head)]
    for name, r in results.items():
        lines.append(
            f"{name:<14} {100 * r['completion_rate']:6.1f} "
            f"{_ci(r['completion_ci95'], 100):>11} "
            f"{_fmt(r['first_episode_steps_median']):>7} "
            f"{_fmt(r['first_episode_over_bfs_median'], '.2f'):>7} "
            f"{_fmt(r['late_path_over_bfs_median'], '.2f'):>8} "
            f"{_fmt(r['late_path_over_bfs_censored_median'], '.2f'):>10} "
            f"{_ci(r['late_path_over_bfs_censored_ci95'], 1.0, '.2f'):>13} "
            f"{_fmt(r['cumulative_steps_median'], '.0f'):>9} "
            f"{_fmt(r['random_walk_ratio'], '.1f'):>8}")
    return lines


def format_multi(report: dict) -> str:
    """Return the per-family tables and the overall table of a multi-map report."""
    where = f"suite {report['suite']}" if report['suite'] else 'maps'
    span = report.get('pair_distance')
    kind = f' at {span[0]}..{span[1]} steps' if span else ''
    lines = [f"{where}: {len(report['maps'])} map(s) x {report['pairs_per_map']} pair(s){kind} x "
             f"{report['seeds']} seed(s) x {report['episodes']} episode(s); budget "
             f"{report['budget'] or '4 x free cells'} steps; goal cue "
             f"{'on' if report['goal_cue'] else 'off'}"]
    for family, fam in report['families'].items():
        sizes = ', '.join(str(s) for s in sorted(set(fam['sizes'])))
        lines.append('')
        lines.extend(family_table(f"family {family}: {len(fam['maps'])} map(s), sizes {sizes}; "
                                  f"{fam['runs_per_agent']} runs per agent", fam['results']))
        lines.extend(energy_table(fam['results']))
    lines.append('')
    lines.extend(family_table(f"all {len(report['maps'])} maps", report['overall']['results']))
    lines.extend(energy_table(report['overall']['results']))
    lines.append('medians over runs (pair x seed) unless noted; 95 % CI: bootstrap over runs; '
                 'late/BFS over successful late episodes, late/BFS c with failures at the '
                 'budget; RW ratio = random walk median censored path / agent\'s')
    return '\n'.join(lines)
