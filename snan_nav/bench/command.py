"""``snan-nav bench``: agents x start/goal pairs x seeds x episodes on one map.

Prints a table and optionally writes the JSON report and the figures. Path lengths and budget
are in steps; completion is a fraction with its Wilson 95 % interval.
"""
import json
import os
import sys

from snan_nav.agents.registry import AGENT_NAMES, parse_agent_list
from snan_nav.cli import fail
from snan_nav.world.builtin import resolve_map
from snan_nav.world.episode import load_scenarios, scenario_pairs, validate_pair

PROG = 'snan-nav bench'
DEFAULT_EPISODES = 30
DEFAULT_SEEDS = 20
DEFAULT_PAIRS = 10
PAIR_SEED = 0


def add_parser(subparsers) -> None:
    """Register the ``bench`` subcommand."""
    p = subparsers.add_parser('bench', help='benchmark agents on a map', description=__doc__)
    p.add_argument('--map', required=True, metavar='MAP',
                   help='builtin:NAME (paper10, open16, fourrooms, mazeN, randomN) or a nav2 '
                        'map YAML')
    p.add_argument('--scenarios', metavar='FILE',
                   help='JSON {"pairs": [{"start": {"mx", "my"}, "goal": {"mx", "my"}}]}; '
                        "default: the map's start/goal, else 10 seeded pairs")
    p.add_argument('--agents', default=','.join(AGENT_NAMES), metavar='LIST',
                   help=f'comma list from {",".join(AGENT_NAMES)} (default: all)')
    p.add_argument('--episodes', type=int, default=DEFAULT_EPISODES, metavar='E',
                   help=f'episodes per run, memory kept across them (default {DEFAULT_EPISODES})')
    p.add_argument('--seeds', type=int, default=DEFAULT_SEEDS, metavar='S',
                   help=f'runs (fresh agents) per pair (default {DEFAULT_SEEDS})')
    p.add_argument('--budget', type=int, metavar='B',
                   help='steps per episode (default 4 x free cells)')
    p.add_argument('--params', metavar='FILE.yaml', help='SNAN parameter file')
    p.add_argument('--json', metavar='OUT', help='write the JSON report here')
    p.add_argument('--plot', metavar='DIR', help='write the figures into this directory')
    p.add_argument('--crossbar', action='store_true',
                   help='run the SNAN agents on the emulated VTEAM crossbar (settings from the '
                        '"crossbar" block of --params) and report energy per decision')
    p.add_argument('--jobs', type=int, default=0, metavar='N',
                   help='worker processes for independent runs (default: all cores; results '
                        'are identical to a serial run)')
    p.set_defaults(func=run)


def _check_args(args):
    """Return the agent tuple; raise ValueError for a bad argument."""
    agents = parse_agent_list(args.agents)
    if args.jobs < 0:
        raise ValueError(f'--jobs must be >= 0 (0 = all cores), got {args.jobs}')
    for label in ('episodes', 'seeds', 'budget'):
        value = getattr(args, label)
        if value is not None and value < 1:
            raise ValueError(f'--{label} must be >= 1, got {value}')
    if args.json:
        parent = os.path.dirname(os.path.abspath(args.json))
        if not os.path.isdir(parent):
            raise ValueError(f'--json: directory {parent} does not exist')
    return agents


def _pairs(args, grid):
    if args.scenarios:
        return load_scenarios(args.scenarios, grid)
    if grid.start is not None and grid.goal is not None:
        validate_pair(grid, grid.start, grid.goal, f'map {args.map}')
        return [(grid.start, grid.goal)]
    return scenario_pairs(grid, DEFAULT_PAIRS, PAIR_SEED)


def _fmt(value, spec='.1f'):
    return '-' if value is None else format(value, spec)


def format_table(report: dict) -> str:
    """Return the report as a fixed-width text table (one row per agent)."""
    head = (f"{'agent':<14} {'done %':>6} {'95% CI':>13} {'med ok':>7} {'med cens':>8} "
            f"{'1st ep':>7} {'late/BFS':>8} {'cum steps':>9} {'dec/s':>9}")
    lines = [f"map {report['map']}: {len(report['pairs'])} pair(s) x {report['seeds']} seed(s) "
             f"x {report['episodes']} episode(s), budget {report['budget']} steps",
             head, '-' * len(head)]
    for name, r in report['results'].items():
        lo, hi = r['completion_ci95']
        ci = f'[{100 * lo:.0f}, {100 * hi:.0f}]'
        lines.append(
            f"{name:<14} {100 * r['completion_rate']:6.1f} {ci:>13} "
            f"{_fmt(r['median_path_success']):>7} {_fmt(r['median_path_censored']):>8} "
            f"{_fmt(r['first_episode_steps_median']):>7} "
            f"{_fmt(r['late_path_over_bfs_median'], '.2f'):>8} "
            f"{_fmt(r['cumulative_steps_median'], '.0f'):>9} "
            f"{_fmt(r['decisions_per_s'], '.0f'):>9}")
    lines.append('paths in steps; med ok = median over successful episodes, med cens = failures '
                 'counted as the budget; late/BFS over the last 20 % of episodes')
    energy = {n: r for n, r in report['results'].items() if 'energy_per_decision_j' in r}
    if energy:
        lines.append('')
        lines.append(f"{'crossbar':<14} {'pJ/dec':>8} {'read':>7} {'write':>7} {'periph':>7} "
                     f"{'digital':>8} {'ratio':>6} {'area mm2':>9}")
        for name, r in energy.items():
            e, parts = r['energy_per_decision_j'], r['energy_breakdown_j']
            lines.append(
                f"{name:<14} {e * 1e12:8.2f} {parts['read'] * 1e12:7.2f} "
                f"{parts['write'] * 1e12:7.2f} {parts['periphery'] * 1e12:7.2f} "
                f"{r['digital_energy_per_decision_j'] * 1e12:8.2f} "
                f"{r['digital_energy_per_decision_j'] / e:6.1f} {r['area_mm2']:9.5f}")
        lines.append('energy per decision in pJ (mean over all decisions); ratio = digital / '
                     'crossbar for the same operation counts')
    return '\n'.join(lines)


def run(args) -> int:
    """Run the bench; return 0, or 2 with one error line for bad input."""
    from snan_nav.bench.runner import run_bench  # lazy: keeps `snan-nav --help` fast
    try:
        agents = _check_args(args)
        grid = resolve_map(args.map)
        pairs = _pairs(args, grid)
        budget = args.budget if args.budget is not None else 4 * grid.free_count()
        snan_params = crossbar = None
        if args.params:
            from snan_nav.config import load_snan_params
            snan_params = load_snan_params(args.params)
        if args.crossbar:
            from snan_nav.config import load_crossbar_config
            crossbar = load_crossbar_config(args.params)
    except ValueError as exc:  # MapError, ConfigError and argument problems
        return fail(PROG, str(exc))
    workers = args.jobs or os.cpu_count() or 1
    out = run_bench(grid, pairs, agents, args.episodes, args.seeds, budget, snan_params,
                    progress=True, map_label=args.map, crossbar=crossbar, workers=workers)
    report = out['report']
    print(format_table(report))
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as handle:
            json.dump(report, handle, indent=1)
            handle.write('\n')
        print(f'wrote {args.json}')
    if args.plot:
        from snan_nav.bench.plots import write_plots
        for path in write_plots(grid, report, out['traces'], args.plot):
            print(f'wrote {path}')
    sys.stdout.flush()
    return 0
