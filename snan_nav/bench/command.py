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
"""``snan-nav bench``: agents x start/goal pairs x seeds x episodes on one map or many.

One map (``--map``, with optional ``--scenarios`` pairs or goal sequences), a list of maps
(``--maps``) or a generated suite (``--suite train|test``). Prints tables and optionally
writes the JSON report and the figures. Path lengths and budgets are in steps; intervals
are 95 % bootstrap intervals over runs (one run = one fresh agent on one (pair, seed)).
"""
from contextlib import ExitStack
import os
import sys
import time

from snan_nav.agents.registry import AGENT_NAMES, parse_agent_list
from snan_nav.bench.suite_bench import add_planning_args, bench_map, check_planning_args
from snan_nav.bench.suite_bench import parse_pair_distance, with_ranged_pairs
from snan_nav.bench.tables import format_table
from snan_nav.cli import (episodes_flag_error, fail, memory_file_error, output_dir_error,
                          output_file_error, write_json)
from snan_nav.world.episode import load_scenario_file, scenario_pairs, validate_pair

PROG = 'snan-nav bench'
DEFAULT_EPISODES = 30
DEFAULT_SEEDS = 20
DEFAULT_PAIRS = 10
DEFAULT_PAIRS_PER_MAP = 3
PAIR_SEED = 0
SUITES = ('train', 'test')  # snan_nav.world.suites.SUITE_NAMES (not imported: fast --help)
EXECUTORS = ('process', 'ray')


def add_parser(subparsers) -> None:
    """Register the ``bench`` subcommand."""
    p = subparsers.add_parser('bench', help='benchmark agents on a map or a map suite',
                              description=__doc__)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument('--map', metavar='MAP',
                       help='builtin:NAME (paper10, open16, fourrooms, mazeN, randomN), '
                            'gen:FAMILY:SIZE:SEED, a nav2 map YAML or a Moving AI map '
                            'PATH.map[:K] (K x K characters per planning cell)')
    where.add_argument('--maps', metavar='MAP,MAP,...',
                       help='comma list of map specs; per-family tables (gen: maps by their '
                            'family, others as "other")')
    where.add_argument('--suite', choices=SUITES,
                       help='the generated train or test suite (per-family tables)')
    p.add_argument('--suite-maps', metavar='FILTER',
                   help='with --suite/--maps: keep only maps matching a comma list of sizes, '
                        'families and map specs (e.g. "16,32" or "maze1,rooms")')
    p.add_argument('--pairs-per-map', type=int, default=DEFAULT_PAIRS_PER_MAP, metavar='N',
                   help='with --suite/--maps: far start/goal pairs per map (default '
                        f'{DEFAULT_PAIRS_PER_MAP})')
    p.add_argument('--scenarios', metavar='FILE',
                   help='with --map: JSON {"pairs": [{"start": {"mx", "my"}, "goal": {...}}]} '
                        'or {"sequences": [[{"start", "goal", "episodes"}, ...], ...]} (cells '
                        "of the planning grid); default: the map's start/goal, else 10 seeded "
                        'pairs')
    p.add_argument('--pair-distance', metavar='LO:HI',
                   help='with --suite/--maps: draw each map\'s pairs with a shortest path of '
                        'LO..HI steps instead of far pairs (e.g. 5:50 for short pairs; seeded '
                        'by the map spec)')
    add_planning_args(p)
    p.add_argument('--agents', default=','.join(AGENT_NAMES), metavar='LIST',
                   help=f'comma list from {",".join(AGENT_NAMES)} (default: all)')
    p.add_argument('--episodes', type=int, default=DEFAULT_EPISODES, metavar='E',
                   help=f'episodes per run, memory kept across them (default {DEFAULT_EPISODES})')
    p.add_argument('--seeds', type=int, default=DEFAULT_SEEDS, metavar='S',
                   help=f'runs (fresh agents) per pair (default {DEFAULT_SEEDS})')
    p.add_argument('--budget', type=int, metavar='B',
                   help='steps per episode, 1 to 2147483647 as the navigator\'s '
                        'episode_budget (default 4 x free cells of each map)')
    p.add_argument('--params', metavar='FILE.yaml',
                   help="ROS 2 parameter file (the navigator's parameters as snan_navigator "
                        'gets them: snn.* for the SNAN agents, qlearning.*/dynaq.* for the '
                        'baselines, crossbar.*), or a bare mapping of those; unknown names '
                        'and invalid values are errors')
    p.add_argument('--allow-unknown', action='store_true',
                   help='run although --params has unknown names (reported, then ignored)')
    p.add_argument('--memory', metavar='FILE',
                   help="with --map and one agent: run 0 (first pair, seed 0) starts from the "
                        "agent's long-term memory in FILE (when it fits) and saves it there "
                        'after every episode; the other runs start fresh')
    p.add_argument('--goal-cue', action='store_true',
                   help="cue every episode's goal cell to the agents (cue_goal) before it "
                        'starts; the JSON says per agent whether it used the cue')
    p.add_argument('--json', metavar='OUT', help='write the JSON report here')
    p.add_argument('--plot', metavar='DIR', help='write the figures into this directory')
    p.add_argument('--crossbar', action='store_true',
                   help='run the SNAN agents on the emulated VTEAM crossbar (settings from the '
                        '"crossbar" block of --params) and report energy per decision')
    p.add_argument('--executor', choices=EXECUTORS, default='process',
                   help='process: a local fork pool of --jobs workers (default); ray: the Ray '
                        'cluster at RAY_ADDRESS, else a local Ray with --jobs CPUs; results '
                        'are identical')
    p.add_argument('--jobs', type=int, default=0, metavar='N',
                   help='worker processes for independent runs (default: all cores; results '
                        'are identical to a serial run)')
    p.set_defaults(func=run)


def _check_args(args):
    """Return the agent tuple; raise ValueError for a bad argument."""
    from snan_nav.ros.navigator_params import budget_flag_error
    agents = parse_agent_list(args.agents)
    if args.jobs < 0:
        raise ValueError(f'--jobs must be >= 0 (0 = all cores), got {args.jobs}')
    problem = episodes_flag_error('--episodes', args.episodes)
    if problem:
        raise ValueError(problem)
    for label in ('seeds', 'pairs_per_map'):
        value = getattr(args, label)
        if value < 1:
            raise ValueError(f'--{label.replace("_", "-")} must be >= 1, got {value}')
    if args.scenarios and not args.map:
        raise ValueError('--scenarios needs --map (its cells belong to one map)')
    if args.memory is not None:
        _check_memory_args(args, agents)
    if args.suite_maps and args.map:
        raise ValueError('--suite-maps needs --suite or --maps')
    check_planning_args(args)
    if args.pair_distance is not None:
        if args.map:
            raise ValueError('--pair-distance needs --suite or --maps (with --map use '
                             '--scenarios)')
        args.pair_range = parse_pair_distance(args.pair_distance)
    problem = (budget_flag_error(args.budget) or output_file_error('--json', args.json)
               or output_dir_error('--plot', args.plot))
    if problem:
        raise ValueError(problem)
    return agents


def _check_memory_args(args, agents) -> None:
    """Raise ValueError unless ``--memory`` can apply (one map, pairs, one agent, a file)."""
    if not args.map:
        raise ValueError('--memory needs --map: a memory file belongs to one map')
    if len(agents) != 1:
        raise ValueError(f'--memory needs exactly one agent (--agents NAME), got '
                         f'{",".join(agents)}')
    if args.executor != 'process':
        raise ValueError('--memory needs --executor process (a Ray worker on another machine '
                         'would write the file there)')
    problem = memory_file_error('--memory', args.memory)
    if problem:
        raise ValueError(problem)


def _pairs(args, grid):
    if grid.start is not None and grid.goal is not None:
        validate_pair(grid, grid.start, grid.goal, f'map {args.map}')
        return [(grid.start, grid.goal)]
    return scenario_pairs(grid, DEFAULT_PAIRS, PAIR_SEED)


def _load_inputs(args, agents) -> dict:
    """Resolve maps, pairs or sequences and parameters; raise ValueError for bad input."""
    inputs = {'params': None, 'crossbar': None}
    warn = _warning_printer()
    if args.params:
        from snan_nav.bench.agent_params import load_agent_params
        inputs['params'] = load_agent_params(args.params, agents, args.allow_unknown, warn)
    if args.crossbar:
        from snan_nav.config import load_crossbar_config
        inputs['crossbar'] = load_crossbar_config(args.params, True)
    if args.map:
        grid = bench_map(args.map, 0, args.cell_size, args.robot_radius)
        inputs['grid'] = grid
        scenarios = load_scenario_file(args.scenarios, grid) if args.scenarios else None
        if scenarios is not None and scenarios.sequences is not None:
            if args.memory:
                raise ValueError('--memory applies to start/goal pairs, not to --scenarios '
                                 'sequences (each sequence is its own memory)')
            inputs['sequences'] = scenarios.sequences
        else:
            inputs['pairs'] = scenarios.pairs if scenarios is not None else _pairs(args, grid)
        return inputs
    from snan_nav.bench.suite_bench import parse_map_filter, parse_map_specs, select_cases
    from snan_nav.bench.suite_bench import spec_cases
    from snan_nav.bench.suite_bench import suite_cases
    selector = parse_map_filter(args.suite_maps)
    cases = (suite_cases(args.suite, args.pairs_per_map) if args.suite
             else spec_cases(parse_map_specs(args.maps), args.pairs_per_map, args.cell_size,
                             args.robot_radius, far=args.pair_distance is None))
    cases = select_cases(cases, selector)
    if args.pair_distance is not None:
        cases = with_ranged_pairs(cases, args.pairs_per_map, *args.pair_range)
    inputs['cases'] = cases
    return inputs


def _warning_printer():
    """Return a function printing one ``snan-nav bench: warning: ...`` line on stderr."""
    def warn(text: str) -> None:
        print(f'{PROG}: {text}', file=sys.stderr)
    return warn


def _memory_execute(args, agents, inputs, execute):
    """Wrap ``execute`` so that run 0 of the agent uses the ``--memory`` file.

    When the file is refused and cannot be moved aside no run uses it (and none saves).
    """
    from dataclasses import replace
    from snan_nav.agents.registry import SNAN_NAMES
    from snan_nav.bench.runner import params_for
    from snan_nav.core.params import SNANParams
    from snan_nav.ros.memory_store import MemoryStore
    snn = None
    if agents[0] in SNAN_NAMES:
        snn = params_for(inputs['params'], agents[0]) or SNANParams()
    store = MemoryStore(os.path.abspath(args.memory), agents[0], snn)
    info = {'file': store.path, 'run': 'pair 0, seed 0 (the other runs start fresh)'}

    def run(jobs, *rest):
        jobs = list(jobs)
        first = next(i for i, job in enumerate(jobs) if job.keep_trace)
        probe = _fresh_agent(jobs[first])
        outcome = store.load(probe, jobs[first].grid.blocked)   # refuses/quarantines once
        print(f'{PROG}: --memory: {outcome.message}', file=sys.stderr)
        info['at_start'] = outcome.message
        if outcome.may_overwrite:
            jobs[first] = replace(jobs[first], memory=store)
        else:   # the refused file is still at the path: a save would destroy it
            info['run'] = 'none: the refused file was left in place, nothing is saved'
            print(f'{PROG}: --memory: memory is not saved: the refused file {store.path} was '
                  'left in place and is not overwritten', file=sys.stderr)
        return execute(jobs, *rest)
    run.memory_info = info
    return run


def _fresh_agent(job):
    from snan_nav.agents.registry import make_agent
    grid = job.grid
    return make_agent(job.agent, grid, grid.cell_id(job.goal), job.seed, job.params,
                      job.crossbar)


def _bench(args, agents, inputs, execute):
    """Run the bench in its mode; return ``(report, text, plot writer)``."""
    common = dict(params=inputs['params'], crossbar=inputs['crossbar'],
                  goal_cue=args.goal_cue)
    if 'sequences' in inputs:
        from snan_nav.bench.sequences import format_sequence_table, run_sequences
        grid = inputs['grid']
        budget = args.budget or 4 * grid.free_count()
        report = run_sequences(grid, inputs['sequences'], agents, args.seeds, budget, execute,
                               map_label=args.map, **common)

        def plots(directory):
            from snan_nav.bench.suite_plots import plot_sequence_curves
            os.makedirs(directory, exist_ok=True)
            return [plot_sequence_curves(report, os.path.join(directory, 'sequences.png'))]
        return report, format_sequence_table(report), plots
    if 'pairs' in inputs:
        from snan_nav.bench.runner import run_bench
        grid = inputs['grid']
        budget = args.budget or 4 * grid.free_count()
        out = run_bench(grid, inputs['pairs'], agents, args.episodes, args.seeds, budget,
                        map_label=args.map, job_runner=execute, **common)

        def plots(directory):
            from snan_nav.bench.plots import write_plots
            return write_plots(grid, out['report'], out['traces'], directory)
        return out['report'], format_table(out['report']), plots
    from snan_nav.bench.suite_bench import run_cases
    from snan_nav.bench.suite_report import format_multi, multi_report
    t0 = time.perf_counter()
    out = run_cases(inputs['cases'], agents, args.episodes, args.seeds, execute, args.budget,
                    **common)
    report = multi_report(out['reports'], out['runs'], agents, args.episodes, args.seeds,
                          args.pairs_per_map, args.budget, args.goal_cue, args.suite,
                          round(time.perf_counter() - t0, 3),
                          args.pair_range if args.pair_distance is not None else None)

    def plots(directory):
        from snan_nav.bench.suite_plots import write_suite_plots
        return write_suite_plots(report, directory)
    return report, format_multi(report), plots


def run(args) -> int:
    """Run the bench; return 0, or 2 with one error line for bad input."""
    from snan_nav.bench.executors import open_executor  # lazy: keeps --help fast
    from snan_nav.persistence import MemoryFileError
    try:
        agents = _check_args(args)
        inputs = _load_inputs(args, agents)
    except ValueError as exc:  # MapError, ConfigError and argument problems
        return fail(PROG, str(exc))
    workers = args.jobs or os.cpu_count() or 1
    with ExitStack() as stack:
        try:
            execute = stack.enter_context(open_executor(args.executor, workers))
        except ValueError as exc:  # Ray missing or not reachable
            return fail(PROG, str(exc))
        if args.memory:
            execute = _memory_execute(args, agents, inputs, execute)
        try:
            report, text, plots = _bench(args, agents, inputs, execute)
        except MemoryFileError as exc:
            return fail(PROG, str(exc))
        if args.memory:
            report['memory'] = execute.memory_info
    print(text)
    if args.json:
        write_json(args.json, report)
    if args.plot:
        for path in plots(args.plot):
            print(f'wrote {path}')
    sys.stdout.flush()
    return 0
