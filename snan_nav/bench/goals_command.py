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
"""``snan-nav goals``: goal switching on the maps of a suite or a list (many goals, one memory).

Per map, three places give the five-leg sequence A->B, B->C, C->A, A->C, B->A, each leg
``--leg-episodes`` episodes on one agent memory: A and B are the map's first pair, C the first
cell of the later pairs (in order, start before goal) that is neither A nor B, i.e. the start
of the second pair unless that is A or B (far from its own goal, not necessarily from A or
B: B->C and C->A may be short legs). Suite maps and ``gen:`` specs use their suite's far
pairs, other maps (``--maps``, e.g. nav2 YAML files) seeded far pairs as ``snan-nav bench
--maps`` does. Reported per leg (pooled over maps) and per family:

- with ``--goal-cue`` (the robot regime): the first episode of a leg over the shortest path,
  for legs whose goal the robot stood on in an earlier leg (legs 2-4: A, C, A);
- without the cue (the goal is recognised only on arrival): the first episode of every later
  leg over a fresh agent's first episode on the same pair and seeds (does an old goal's memory
  mislead?).

Medians are over runs (sequence x seed); per map the leg figures come from
:func:`snan_nav.bench.sequences.run_sequences`.
"""
from contextlib import ExitStack
import os
import sys

import numpy as np

from snan_nav.bench.suite_bench import add_planning_args, check_planning_args
from snan_nav.cli import fail, output_file_error, write_json

PROG = 'snan-nav goals'
#: (start, goal) of the five legs, as indices into (A, B, C).
LEGS = ((0, 1), (1, 2), (2, 0), (0, 2), (1, 0))
#: Legs whose goal the robot stood on in an earlier leg: A (leg 0's start), C (leg 1's goal).
REVISITED = (2, 3, 4)


def add_parser(subparsers) -> None:
    """Register the ``goals`` subcommand."""
    p = subparsers.add_parser('goals', help='goal switching on a suite or maps (5 legs per map)',
                              description=__doc__)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument('--suite', choices=('train', 'test'),
                       help='the generated suite whose maps are used')
    where.add_argument('--maps', metavar='MAP,MAP,...',
                       help='comma list of map specs (gen:FAMILY:SIZE:SEED, builtin:NAME, a '
                            'nav2 map YAML or a Moving AI PATH.map[:K]); maps that are not '
                            'gen: are reported as "other"')
    p.add_argument('--suite-maps', metavar='FILTER',
                   help='keep only maps matching a comma list of sizes, families, specs')
    add_planning_args(p)
    p.add_argument('--agents', default='snan', metavar='LIST',
                   help='comma list of agents (default snan)')
    p.add_argument('--seeds', type=int, default=5, metavar='S',
                   help='runs (fresh memories) per map (default 5)')
    p.add_argument('--leg-episodes', type=int, default=10, metavar='E',
                   help='episodes per leg (default 10)')
    p.add_argument('--goal-cue', action='store_true',
                   help='cue each episode\'s goal cell (the robot regime)')
    p.add_argument('--params', metavar='FILE.yaml', help='parameter file (as for bench)')
    p.add_argument('--json', metavar='OUT', help='write the JSON report here')
    p.add_argument('--executor', choices=('process', 'ray'), default='process',
                   help='where the runs go (results identical)')
    p.add_argument('--jobs', type=int, default=0, metavar='N',
                   help='worker processes (default: all cores)')
    p.set_defaults(func=run)


def sequence_of(pairs):
    """Return the five legs' (start, goal) cells from a map's far pairs.

    A and B are the first pair; C is the first cell of the later pairs (start before goal)
    that is neither A nor B. Published figures depend on this choice.
    """
    a, b = pairs[0]
    c = next((cell for pair in pairs[1:] for cell in pair if cell not in (a, b)), None)
    if c is None:
        raise ValueError('a goal-switching map needs a third place: give it two pairs')
    places = (a, b, c)
    return [(places[s], places[g]) for s, g in LEGS]


def _legs_of(case):
    try:
        return sequence_of(case.pairs)
    except ValueError as exc:
        raise ValueError(f'map {case.name}: {exc}') from None


def _ratio(num, den):
    return None if num is None or not den else float(num) / float(den)


def summarise_maps(per_map, agents, goal_cue: bool) -> dict:
    """Pool the per-map leg figures into per-leg and per-family medians over maps."""
    out = {}
    for name in agents:
        rows = []
        for m in per_map:
            for i, leg in enumerate(m['report']['results'][name]['legs']):
                rows.append({'map': m['map'], 'family': m['family'], 'leg': i,
                             'completion_rate': leg['completion_rate'],
                             'first_over_bfs': leg['first_episode_over_bfs_median'],
                             'first_over_fresh': _ratio(
                                 leg['first_episode_steps_median'],
                                 leg['fresh_first_episode_steps_median']),
                             'late_over_bfs': leg['late_path_over_bfs_median']})
        legs = {}
        for i in range(len(LEGS)):
            mine = [r for r in rows if r['leg'] == i]
            key = 'first_over_bfs' if goal_cue else 'first_over_fresh'
            values = [r[key] for r in mine if r[key] is not None]
            legs[i] = {'maps': len(mine), key + '_median': _median(values),
                       'maps_at_most_1': float(np.mean([v <= 1.0 for v in values]))
                       if values else None,
                       'completion_min': min(r['completion_rate'] for r in mine)}
        families = {}
        for fam in sorted({r['family'] for r in rows}):
            mine = [r for r in rows if r['family'] == fam and r['leg'] >= 1]
            if goal_cue:
                vals = [r['first_over_bfs'] for r in mine if r['leg'] in REVISITED]
                families[fam] = {'first_over_bfs_median_revisited_goals': _median(vals)}
            else:
                vals = [r['first_over_fresh'] for r in mine if r['first_over_fresh']]
                families[fam] = {'first_over_fresh_median_later_legs': _median(vals)}
        revisited = [r['first_over_bfs'] for r in rows if r['leg'] in REVISITED
                     and r['first_over_bfs'] is not None]
        later = [r['first_over_fresh'] for r in rows if r['leg'] >= 1
                 and r['first_over_fresh'] is not None]
        out[name] = {'rows': rows, 'legs': legs, 'families': families,
                     'first_over_bfs_median_revisited_goals': _median(revisited),
                     'first_over_fresh_median_later_legs': _median(later),
                     'later_legs_no_worse_than_fresh': float(np.mean([v <= 1.0
                                                                      for v in later]))
                     if later else None}
    return out


def _median(values):
    return float(np.median(values)) if len(values) else None


def _number(value) -> str:
    """Format a ratio or share of the text output: 2 decimals, '-' when undefined (None)."""
    return '-' if value is None else format(value, '.2f')


def format_summary(summary: dict, goal_cue: bool) -> str:
    """Return the per-leg and per-family text tables."""
    lines = []
    for name, s in summary.items():
        lines.append(f'{name}: goal cue {"on" if goal_cue else "off"}')
        key = 'first_over_bfs' if goal_cue else 'first_over_fresh'
        label = '1st / BFS' if goal_cue else '1st / fresh 1st'
        lines.append(f"  {'leg':>3} {'maps':>5} {label + ' (median)':>22} {'share <= 1':>10} "
                     f"{'min completion %':>16}")
        for i, leg in s['legs'].items():
            med = leg[key + '_median']
            share = leg['maps_at_most_1']
            lines.append(f"  {i:>3} {leg['maps']:>5} {_number(med):>22} {_number(share):>10} "
                         f"{100 * leg['completion_min']:16.1f}")
        for fam, f in s['families'].items():
            (k, v), = f.items()
            lines.append(f"  {fam:<10} {k}: {_number(v)}")
        if goal_cue:
            revisited = s['first_over_bfs_median_revisited_goals']
            lines.append('  first episode toward a goal stood on in an earlier leg / BFS, '
                         f'median over maps: {_number(revisited)}')
        else:
            lines.append('  first episode of later legs / fresh agent first episode, median '
                         f"over (map, leg): {_number(s['first_over_fresh_median_later_legs'])}; "
                         f"share <= 1: {_number(s['later_legs_no_worse_than_fresh'])}")
    return '\n'.join(lines)


def run(args) -> int:
    """Run the goal-switching benchmark; return 0, or 2 with one error line for bad input."""
    from snan_nav.agents.registry import parse_agent_list
    from snan_nav.bench.executors import open_executor
    from snan_nav.bench.sequences import run_sequences
    from snan_nav.bench.suite_bench import parse_map_filter, parse_map_specs, select_cases
    from snan_nav.bench.suite_bench import spec_cases, suite_cases
    from snan_nav.world.episode import Leg
    try:
        agents = parse_agent_list(args.agents)
        for label in ('seeds', 'leg_episodes'):
            if getattr(args, label) < 1:
                raise ValueError(f'--{label.replace("_", "-")} must be >= 1')
        check_planning_args(args)
        problem = output_file_error('--json', args.json)
        if problem:
            raise ValueError(problem)
        cases = (suite_cases(args.suite, 3) if args.suite
                 else spec_cases(parse_map_specs(args.maps), 3, args.cell_size,
                                 args.robot_radius))
        cases = select_cases(cases, parse_map_filter(args.suite_maps))
        params = None
        if args.params:
            from snan_nav.bench.agent_params import load_agent_params
            params = load_agent_params(args.params, agents)
        plans = [(case, [Leg(s, g, args.leg_episodes) for s, g in _legs_of(case)])
                 for case in cases]
    except ValueError as exc:
        return fail(PROG, str(exc))
    per_map = []
    with ExitStack() as stack:
        try:
            execute = stack.enter_context(open_executor(args.executor,
                                                        args.jobs or os.cpu_count() or 1))
        except ValueError as exc:
            return fail(PROG, str(exc))
        for k, (case, legs) in enumerate(plans):
            print(f'[{k + 1}/{len(plans)}] {case.name}', file=sys.stderr, flush=True)
            report = run_sequences(case.grid, [legs], agents, args.seeds,
                                   4 * case.grid.free_count(), execute, params=params,
                                   goal_cue=args.goal_cue, map_label=case.name,
                                   progress=False)
            per_map.append({'map': case.name, 'family': case.family, 'size': case.size,
                            'report': report})
    summary = summarise_maps(per_map, agents, args.goal_cue)
    print(format_summary(summary, args.goal_cue))
    if args.json:
        write_json(args.json, {'suite': args.suite,
                               'maps_given': parse_map_specs(args.maps) if args.maps else None,
                               'goal_cue': args.goal_cue,
                               'seeds': args.seeds, 'leg_episodes': args.leg_episodes,
                               'legs': LEGS, 'summary': summary, 'maps': per_map})
    return 0
