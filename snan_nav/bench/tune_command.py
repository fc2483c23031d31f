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
"""``snan-nav tune``: tune one agent's parameters on the train suite with Optuna.

Same objective and trial count for every agent (see :mod:`snan_nav.bench.tune`); search
spaces in :mod:`snan_nav.bench.tune_spaces`. Writes the study summary as JSON and the best
parameters as a YAML block that ``snan-nav bench --params`` reads.
"""
from contextlib import ExitStack
import os
import sys

from snan_nav.cli import episodes_flag_error, fail, output_file_error, write_json

PROG = 'snan-nav tune'
TUNABLE = ('qlearning', 'dynaq', 'snan')  # snan_nav.bench.tune_spaces.SPACES (fast --help)
DEFAULT_TUNE_MAPS = '16,32'
DEFAULT_TRIALS = 50


def add_parser(subparsers) -> None:
    """Register the ``tune`` subcommand."""
    p = subparsers.add_parser('tune', help='tune an agent on the train suite (Optuna)',
                              description=__doc__)
    p.add_argument('--agent', required=True, choices=TUNABLE, help='agent to tune')
    p.add_argument('--suite', default='train', choices=('train', 'test'),
                   help='suite to tune on (only train is accepted: never tune on the test '
                        'suite you report on)')
    p.add_argument('--trials', type=int, default=DEFAULT_TRIALS, metavar='N',
                   help=f'Optuna trials (default {DEFAULT_TRIALS}; use the same N for every '
                        'agent)')
    p.add_argument('--tune-maps', default=DEFAULT_TUNE_MAPS, metavar='FILTER',
                   help='train maps used: comma list of sizes, families and gen: specs '
                        f'(default "{DEFAULT_TUNE_MAPS}": every family at 16 and 32 cells)')
    p.add_argument('--pairs-per-map', type=int, default=3, metavar='P',
                   help='far start/goal pairs per map (default 3)')
    p.add_argument('--seeds', type=int, default=3, metavar='S',
                   help='runs (fresh agents) per pair and trial (default 3)')
    p.add_argument('--episodes', type=int, default=30, metavar='E',
                   help='episodes per run (default 30)')
    p.add_argument('--budget', type=int, metavar='B',
                   help='steps per episode, 1 to 2147483647 as the navigator\'s '
                        'episode_budget (default 4 x free cells of each map)')
    p.add_argument('--sampler-seed', type=int, default=0, metavar='K',
                   help='seed of the TPE sampler (default 0)')
    p.add_argument('--executor', choices=('process', 'ray'), default='process',
                   help='where the runs of each trial go (results identical)')
    p.add_argument('--jobs', type=int, default=0, metavar='J',
                   help='worker processes / local Ray CPUs (default: all cores)')
    p.add_argument('--json', metavar='OUT', help='write the study summary here')
    p.add_argument('--yaml', metavar='OUT',
                   help='write the best parameters here (a bench --params file)')
    p.set_defaults(func=run)


def _check_args(args) -> None:
    from snan_nav.ros.navigator_params import budget_flag_error, seed_flag_error
    if args.suite != 'train':
        raise ValueError('tuning on the test suite is refused: tune on train, report on test')
    for label in ('trials', 'pairs_per_map', 'seeds'):
        value = getattr(args, label)
        if value < 1:
            raise ValueError(f'--{label.replace("_", "-")} must be >= 1, got {value}')
    if args.jobs < 0:
        raise ValueError(f'--jobs must be >= 0 (0 = all cores), got {args.jobs}')
    problem = (budget_flag_error(args.budget) or episodes_flag_error('--episodes', args.episodes)
               or seed_flag_error('--sampler-seed', args.sampler_seed)
               or output_file_error('--json', args.json) or output_file_error('--yaml', args.yaml))
    if problem:
        raise ValueError(problem)


def run(args) -> int:
    """Run the study; return 0, or 2 with one error line for bad input."""
    from snan_nav.bench.executors import open_executor
    from snan_nav.bench.suite_bench import parse_map_filter, select_cases, suite_cases
    from snan_nav.bench.tune import params_yaml, run_study
    from snan_nav.bench.tune_spaces import check_space
    try:
        _check_args(args)
        check_space(args.agent)
        cases = select_cases(suite_cases(args.suite, args.pairs_per_map),
                             parse_map_filter(args.tune_maps))
        import optuna  # noqa: F401  (a clear error before any run)
    except ImportError:
        return fail(PROG, 'needs the "optuna" package (pip install -r requirements.txt)')
    except ValueError as exc:
        return fail(PROG, str(exc))
    workers = args.jobs or os.cpu_count() or 1
    print(f'tuning {args.agent}: {args.trials} trials on {len(cases)} train map(s) x '
          f'{args.pairs_per_map} pair(s) x {args.seeds} seed(s) x {args.episodes} episodes '
          f'({args.executor} executor, {workers} worker(s))')
    with ExitStack() as stack:
        try:
            execute = stack.enter_context(open_executor(args.executor, workers))
        except ValueError as exc:
            return fail(PROG, str(exc))
        summary = run_study(args.agent, cases, args.trials, execute, args.episodes, args.seeds,
                            args.sampler_seed, args.budget)
    summary.update({'suite': args.suite, 'tune_maps': args.tune_maps,
                    'executor': args.executor, 'jobs': workers})
    print(f"best objective {summary['best_value']:.4f} (trial {summary['best_trial']}), "
          f"wall time {summary['wall_time_s']:.1f} s; best parameters:")
    for key, value in summary['best_params'].items():
        print(f'  {key}: {value:.6g}')
    # every flag that changes the study, so that the comment's command reruns this study
    budget = '' if args.budget is None else f' --budget {args.budget}'
    comment = (f"snan-nav tune --agent {args.agent} --suite {args.suite} --trials "
               f"{args.trials} --tune-maps {args.tune_maps} --pairs-per-map "
               f"{args.pairs_per_map} --seeds {args.seeds} --episodes {args.episodes}{budget} "
               f"--sampler-seed {args.sampler_seed}\nbest objective "
               f"{summary['best_value']:.6f} (trial {summary['best_trial']})")
    if args.json:
        write_json(args.json, summary)
    if args.yaml:
        with open(args.yaml, 'w', encoding='utf-8') as handle:
            handle.write(params_yaml(args.agent, summary['best_params'], comment))
        print(f'wrote {args.yaml}')
    sys.stdout.flush()
    return 0
