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
"""The held-out check on public benchmark maps: the README's "Held out" tables, reproduced.

    python -m benchmarks.heldout --dir DIR [--yaml A.yaml,B.yaml] [--out OUT] [--jobs N]

``DIR`` holds the Moving AI ``.map`` files of :data:`HELDOUT` (from movingai.com/benchmarks, the
MAPF set; they are not shipped). Runs, through the ``snan-nav`` commands, writing their JSON
into ``OUT`` (default ``heldout/``):

1. ``bench --maps M --agents snan,tremaux,bfs,qlearning,dynaq --seeds 3`` (30 episodes);
2. ``bench --maps M --agents snan,tremaux --seeds 10 --episodes 1`` (first episodes);
3. ``goals --maps M --seeds 3`` without and with ``--goal-cue``;

then prints, per group of maps, the figures of the science issue (medians over a map's runs,
then median / worst over the group's maps) and the goal-switching legs. ``--yaml`` adds nav2
map YAML files as one more group (coarsened as the nodes do). ``--table-only`` prints the tables
from the JSON already in ``OUT``. The project tunes on its generated train suite only; these
maps are for reporting.
"""
import argparse
import json
import os
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

#: (file stem, planning cell side in characters) of the held-out Moving AI maps.
HELDOUT: Tuple[Tuple[str, int], ...] = (
    ('random-32-32-10', 1), ('random-32-32-20', 1), ('random-64-64-10', 1),
    ('random-64-64-20', 1), ('maze-32-32-2', 1), ('maze-32-32-4', 1), ('maze-128-128-1', 1),
    ('maze-128-128-2', 1), ('maze-128-128-10', 1), ('room-32-32-4', 1), ('room-64-64-8', 1),
    ('room-64-64-16', 1), ('empty-48-48', 1), ('arena', 1), ('warehouse-10-20-10-2-1', 1),
    ('den312d', 1), ('den520d', 2), ('ht_chantry', 2), ('ht_mansion_n', 2), ('lak303d', 2),
    ('lt_gallowstemplar_n', 2), ('ost003d', 2), ('brc202d', 4), ('Berlin_1_256', 2),
    ('Boston_0_256', 2), ('Paris_1_256', 2))
AGENTS = 'snan,tremaux,bfs,qlearning,dynaq'
GROUPS = (('random', ('random-',)), ('maze', ('maze-',)), ('room', ('room-',)),
          ('empty, arena, warehouse', ('empty-', 'arena', 'warehouse-')),
          ('city', ('Berlin_', 'Boston_', 'Paris_')))
LEG_NAMES = ('A->B', 'B->C', 'C->A', 'A->C', 'B->A')


def map_specs(directory: str, only: Optional[Sequence[str]] = None) -> List[str]:
    """Return the ``PATH.map[:K]`` specs of the held-out maps in ``directory``.

    Raise ValueError listing the missing files (and where to get them).
    """
    chosen = [(stem, k) for stem, k in HELDOUT if not only or stem in only]
    if only:
        unknown = sorted(set(only) - {stem for stem, _ in HELDOUT})
        if unknown:
            raise ValueError(f'not held-out maps: {", ".join(unknown)}')
    missing = [f'{stem}.map' for stem, _ in chosen
               if not os.path.isfile(os.path.join(directory, f'{stem}.map'))]
    if missing:
        raise ValueError(f'{len(missing)} map file(s) missing in {directory}: '
                         f'{", ".join(missing)} (Moving AI benchmarks, '
                         'https://movingai.com/benchmarks/)')
    return [os.path.join(directory, f'{stem}.map') + (f':{k}' if k > 1 else '')
            for stem, k in chosen]


def group_of(spec: str) -> str:
    """Return the table group of a map spec (by its file name)."""
    name = os.path.basename(spec)
    if name.split(':')[0].endswith(('.yaml', '.yml')):
        return 'ROS maps'
    for group, prefixes in GROUPS:
        if name.startswith(prefixes):
            return group
    return 'game'


def map_rows(bench: dict, first: dict) -> List[Dict[str, float]]:
    """Return one row of figures per map from the two bench reports."""
    firsts = {m['map']: m['results'] for m in first['maps']}
    rows = []
    for m in bench['maps']:
        r = m['results']
        s, t = r['snan'], r['tremaux']
        f = firsts[m['map']]
        rows.append({
            'map': m['map'], 'group': group_of(m['map']),
            'completion': s['completion_rate'],
            'late': s['late_path_over_bfs_censored_median'],
            'first3': s['first_episode_steps_median'] / t['first_episode_steps_median'],
            'first10': (f['snan']['first_episode_steps_median']
                        / f['tremaux']['first_episode_steps_median']),
            'cum_t': s['cumulative_steps_median'] / t['cumulative_steps_median'],
            'cum_q': s['cumulative_steps_median'] / r['qlearning']['cumulative_steps_median'],
            'cum_dq': s['cumulative_steps_median'] / r['dynaq']['cumulative_steps_median']})
    return rows


def format_rows(rows: List[Dict[str, float]]) -> str:
    """Return the per-group table (markdown) of :func:`map_rows`."""
    lines = ['| maps | n | completion % (worst) | late path / BFS median / worst | 1st episode / '
             'Trémaux, 3 seeds | ... 10 seeds (share <= 1.1) | cumulative / Trémaux median / '
             'worst | cumulative / Q-learning, worst | ... / Dyna-Q, worst |',
             '|---|---|---|---|---|---|---|---|---|']
    order = [g for g, _ in GROUPS] + ['game', 'ROS maps']
    groups = [(g, [r for r in rows if r['group'] == g]) for g in order]
    for name, group in [g for g in groups if g[1]] + [('all', rows)]:
        def col(key, group=group):
            return np.array([r[key] for r in group])
        lines.append(
            f"| {name} | {len(group)} | {100 * col('completion').min():.0f} | "
            f"{np.median(col('late')):.2f} / {col('late').max():.2f} | "
            f"{np.median(col('first3')):.2f} | {np.median(col('first10')):.2f} "
            f"({100 * np.mean(col('first10') <= 1.1):.0f} %) | "
            f"{np.median(col('cum_t')):.2f} / {col('cum_t').max():.2f} | "
            f"{col('cum_q').max():.2f} | {col('cum_dq').max():.2f} |")
    return '\n'.join(lines)


def format_goals(nocue: dict, cue: dict) -> str:
    """Return the goal-switching legs: medians over maps, with and without the cue."""
    lines = ['| leg | with the cue: 1st / BFS | without: 1st / fresh agent\'s 1st (share <= 1) |',
             '|---|---|---|']
    for leg, name in enumerate(LEG_NAMES):
        with_cue = np.median([m['report']['results']['snan']['legs'][leg]
                              ['first_episode_over_bfs_median'] for m in cue['maps']])
        ratios = np.array([_over_fresh(m['report']['results']['snan']['legs'][leg])
                           for m in nocue['maps']])
        lines.append(f'| {name} | {with_cue:.2f} | {np.median(ratios):.2f} '
                     f'({100 * np.mean(ratios <= 1.0):.0f} %) |')
    return '\n'.join(lines)


def _over_fresh(leg: dict) -> float:
    return leg['first_episode_steps_median'] / leg['fresh_first_episode_steps_median']


def run_commands(specs: Sequence[str], out: str, jobs: int, seeds: int, episodes: int) -> None:
    """Run the four commands of the module docstring, writing their JSON into ``out``."""
    from snan_nav.cli import main as cli
    maps = ','.join(specs)
    common = ['--maps', maps, '--jobs', str(jobs)]
    commands = (
        ['bench'] + common + ['--agents', AGENTS, '--seeds', str(seeds), '--episodes',
                              str(episodes), '--json', os.path.join(out, 'bench.json')],
        ['bench'] + common + ['--agents', 'snan,tremaux', '--seeds', str(10 * seeds // 3),
                              '--episodes', '1', '--json', os.path.join(out, 'first.json')],
        ['goals'] + common + ['--seeds', str(seeds), '--json', os.path.join(out, 'goals.json')],
        ['goals'] + common + ['--seeds', str(seeds), '--goal-cue', '--json',
                              os.path.join(out, 'goals_cue.json')])
    for argv in commands:
        print('snan-nav ' + ' '.join(argv), file=sys.stderr, flush=True)
        if cli(argv) != 0:
            raise RuntimeError(f'snan-nav {argv[0]} failed (see above)')


def main(argv: Optional[List[str]] = None) -> int:
    """Run the held-out check and print its tables; return the exit code."""
    parser = argparse.ArgumentParser(prog='python -m benchmarks.heldout',
                                     description=__doc__.split('\n\n')[0])
    parser.add_argument('--dir', help='folder with the Moving AI .map files (not needed with '
                        '--table-only)')
    parser.add_argument('--yaml', default='', help='comma list of nav2 map YAML files to add')
    parser.add_argument('--only', default='', help='comma list of held-out map stems to keep')
    parser.add_argument('--out', default='heldout', help='folder for the JSON (default heldout)')
    parser.add_argument('--jobs', type=int, default=0, help='worker processes (0: all cores)')
    parser.add_argument('--seeds', type=int, default=3, help='seeds per pair (default 3; the '
                        'first-episode run uses 10/3 of it)')
    parser.add_argument('--episodes', type=int, default=30, help='episodes per run (default 30)')
    parser.add_argument('--table-only', action='store_true',
                        help='print the tables from the JSON already in --out')
    args = parser.parse_args(argv)
    if not args.table_only and not args.dir:
        parser.error('--dir is required (unless --table-only)')
    try:
        if not args.table_only:
            only = [s for s in args.only.split(',') if s]
            specs = map_specs(args.dir, only) + [y for y in args.yaml.split(',') if y]
            os.makedirs(args.out, exist_ok=True)
            run_commands(specs, args.out, args.jobs or os.cpu_count() or 1, args.seeds,
                         args.episodes)
        reports = {}
        for name in ('bench', 'first', 'goals', 'goals_cue'):
            path = os.path.join(args.out, f'{name}.json')
            with open(path) as handle:
                try:
                    reports[name] = json.load(handle)
                except ValueError as exc:
                    raise ValueError(f'{path} is not JSON: {exc}') from None
        try:
            tables = (format_rows(map_rows(reports['bench'], reports['first'])) + '\n\n'
                      + format_goals(reports['goals'], reports['goals_cue']))
        except (KeyError, TypeError, IndexError, AttributeError) as exc:
            raise ValueError(f'the JSON in {args.out} is not what this script writes '
                             f'(missing {exc})') from None
    except (ValueError, RuntimeError, OSError) as exc:
        print(f'python -m benchmarks.heldout: error: {exc}', file=sys.stderr)
        return 2
    print(tables)
    return 0


if __name__ == '__main__':
    sys.exit(main())
