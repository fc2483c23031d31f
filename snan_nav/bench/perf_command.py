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
"""``snan-nav perf``: SNAN decision latency and ticks/s vs a dense reference and the seed form.

The measurement code lives in the source checkout (``benchmarks/perf.py``, not installed with
the package): the command looks for it in ``$SNAN_NAV_SOURCE``, the current directory and its
parents, and beside the imported package, and says so when it is absent. Per grid it runs the
core on a scripted navigation workload (exploration, episodes toward a learned goal, goal
switches) timing every decision by phase, and the dense reference and the seed form on samples
of the same work; it prints tables, notes and verdict lines; ``--json OUT`` writes
``{"grids": [...]}``. Exit status 1 if the lockstep check finds the reference differing from
the core, 2 on bad input.

``--node`` runs the node-latency benchmark instead of the core grids
(``benchmarks/node_latency.py``): simulator and navigator in one process over real ROS 2
topics, in real time, timing pose in -> cmd_vel out and the CPU time per control tick at each
of ``--rates``; ``--json OUT`` then writes ``{"node": [...]}``. Exit status 1 if a rate
measured no control tick.
"""
import argparse
import importlib
import os
import sys
from typing import Optional

from snan_nav.cli import fail, output_file_error

PROG = 'snan-nav perf'
ENV_SOURCE = 'SNAN_NAV_SOURCE'
DEFAULT_GRIDS = (10, 32, 100, 256)
DEFAULT_TICKS = 1_000_000
DEFAULT_SWITCHES = 10
DEFAULT_REF_SECONDS = 3.0
DEFAULT_CHECK_DECISIONS = 600
DEFAULT_NODE_RATES = (20.0, 50.0)
DEFAULT_NODE_SECONDS = 45.0
MAX_NODE_RATE = 1000.0
#: Grid sides the benchmark's map ``builtin:random<N>`` accepts.
MIN_GRID, MAX_GRID = 4, 1025


def parse_grids(text: str) -> list:
    """Parse ``10,32,100`` (or ``10x10,32x32``) into square grid sides (each 4..1025)."""
    grids = []
    for part in text.split(','):
        part = part.strip().lower()
        if not part:
            continue
        sides = part.split('x')
        if len(sides) > 2 or (len(sides) == 2 and sides[0] != sides[1]):
            raise argparse.ArgumentTypeError(f'square grids only (N or NxN), got {part!r}')
        try:
            side = int(sides[0])
        except ValueError:
            raise argparse.ArgumentTypeError(f'not a grid size: {part!r}') from None
        if not MIN_GRID <= side <= MAX_GRID:
            raise argparse.ArgumentTypeError(
                f'grid side must lie in {MIN_GRID}..{MAX_GRID}, got {side}')
        grids.append(side)
    if not grids:
        raise argparse.ArgumentTypeError('no grid sizes given')
    return grids


def parse_rates(text: str) -> list:
    """Parse ``20,50`` into control frequencies in Hz (each in [1, 1000])."""
    rates = []
    for part in text.split(','):
        part = part.strip()
        if not part:
            continue
        try:
            rate = float(part)
        except ValueError:
            raise argparse.ArgumentTypeError(f'not a rate in Hz: {part!r}') from None
        if not 1.0 <= rate <= MAX_NODE_RATE:
            raise argparse.ArgumentTypeError(
                f'rate must lie in [1, {MAX_NODE_RATE:g}] Hz, got {part}')
        rates.append(rate)
    if not rates:
        raise argparse.ArgumentTypeError('no rates given')
    return rates


def _positive(kind):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f'not a number: {text!r}') from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f'must be > 0, got {text}')
        return value
    parse.__name__ = kind.__name__
    return parse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``snan-nav perf`` (also used by ``python -m benchmarks.perf``)."""
    parser.add_argument('--grids', type=parse_grids, default=list(DEFAULT_GRIDS), metavar='LIST',
                        help='comma-separated square grid sides (default 10,32,100,256)')
    parser.add_argument('--ticks', type=_positive(int), default=DEFAULT_TICKS, metavar='T',
                        help='the core goes on switching goals until it has run at least T '
                             'network ticks in decision windows, 20 a decision (default '
                             f'{DEFAULT_TICKS})')
    parser.add_argument('--switches', type=_positive(int), default=DEFAULT_SWITCHES,
                        metavar='N', help='and at least N goal switches with the cue '
                                          f'(default {DEFAULT_SWITCHES})')
    parser.add_argument('--json', metavar='OUT', default=None,
                        help='write {"grids": [...]} as JSON to OUT')
    parser.add_argument('--seed', type=int, default=0,
                        help='map, script and network seed (default 0)')
    parser.add_argument('--ref-seconds', type=_positive(float), default=DEFAULT_REF_SECONDS,
                        metavar='S', help='time budget of the reference and of the seed form '
                                          'per grid and per phase (default '
                                          f'{DEFAULT_REF_SECONDS:g} s)')
    parser.add_argument('--check-decisions', type=_positive(int),
                        default=DEFAULT_CHECK_DECISIONS, metavar='N',
                        help='decisions per map of the core-vs-reference lockstep check '
                             f'(default {DEFAULT_CHECK_DECISIONS})')


def add_node_arguments(parser: argparse.ArgumentParser, flag: bool = True) -> None:
    """Add the node-latency options (with the ``--node`` switch itself when ``flag``).

    Their defaults are None so that ``snan-nav perf`` can tell them from the core options;
    :func:`node_settings` resolves them.
    """
    if flag:
        parser.add_argument('--node', action='store_true',
                            help='run the node-latency benchmark instead of the core grids: '
                                 'grid_sim + snan_navigator in one process over ROS 2 topics '
                                 '(builtin:paper10, real time), pose in -> cmd_vel out and CPU '
                                 'per control tick; --json then writes {"node": [...]}')
    parser.add_argument('--rates', type=parse_rates, default=None, metavar='LIST',
                        help='control_frequency values in Hz, one run each (default 20,50)')
    parser.add_argument('--episodes', type=_positive(int), default=None, metavar='N',
                        help='end each rate after N finished episodes (with --node-seconds: '
                             'whichever comes first)')
    parser.add_argument('--node-seconds', type=_positive(float), default=None, metavar='S',
                        help='wall seconds measured per rate after the first episode started '
                             f'(default {DEFAULT_NODE_SECONDS:g}; none with --episodes)')


def node_settings(args) -> dict:
    """Return ``rates``, ``episodes`` and ``seconds`` (None = no limit) of a node run."""
    seconds = args.node_seconds
    if seconds is None and args.episodes is None:
        seconds = DEFAULT_NODE_SECONDS
    return {'rates': list(args.rates or DEFAULT_NODE_RATES), 'episodes': args.episodes,
            'seconds': seconds}


def add_parser(subparsers) -> None:
    """Register the ``perf`` subcommand."""
    p = subparsers.add_parser('perf', help='SNAN decision latency and ticks/s vs a dense '
                                           'reference; --node: ROS 2 node latency',
                              description=__doc__)
    add_arguments(p)
    add_node_arguments(p)
    p.set_defaults(func=run)


def option_conflict(args) -> Optional[str]:
    """Return why core and node options are mixed (None when they are not)."""
    if getattr(args, 'node', False):
        core = {'--grids': args.grids != list(DEFAULT_GRIDS),
                '--ticks': args.ticks != DEFAULT_TICKS,
                '--switches': args.switches != DEFAULT_SWITCHES,
                '--ref-seconds': args.ref_seconds != DEFAULT_REF_SECONDS,
                '--check-decisions': args.check_decisions != DEFAULT_CHECK_DECISIONS}
        given = [name for name, changed in core.items() if changed]
        if given:
            return (f"{', '.join(given)} apply to the core benchmark, not to --node (run "
                    'them separately)')
        return None
    given = [name for name, attr in (('--rates', 'rates'), ('--episodes', 'episodes'),
                                     ('--node-seconds', 'node_seconds'))
             if getattr(args, attr, None) is not None]
    if given:
        return f"{', '.join(given)} need --node"
    return None


def find_source_root() -> Optional[str]:
    """Return the checkout that holds ``benchmarks/perf.py``, or None when there is none."""
    candidates = []
    if os.environ.get(ENV_SOURCE):
        candidates.append(os.environ[ENV_SOURCE])
    here = os.path.abspath(os.getcwd())
    while True:
        candidates.append(here)
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    package_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    candidates.append(os.path.dirname(package_dir))
    for root in candidates:
        if os.path.isfile(os.path.join(root, 'benchmarks', 'perf.py')):
            return os.path.abspath(root)
    return None


def load_benchmark(root: str, module: str = 'benchmarks.perf'):
    """Import ``module`` (``benchmarks.perf`` by default) from the checkout at ``root``."""
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module(module)


def argument_problem(args) -> Optional[str]:
    """Return why ``args`` cannot run (None: they can); also used by ``python -m benchmarks.*``.

    Checked before the run: a bad seed or output path failed after minutes of measuring.
    """
    from snan_nav.ros.navigator_params import seed_flag_error
    return (option_conflict(args) or seed_flag_error('--seed', args.seed)
            or output_file_error('--json', args.json))


def run(args) -> int:
    """Locate the checkout's benchmark, run it with ``args`` and return its exit status."""
    problem = argument_problem(args)
    if problem:
        return fail(PROG, problem)
    node = getattr(args, 'node', False)
    name = 'node_latency' if node else 'perf'
    root = find_source_root()
    if root is not None and not os.path.isfile(os.path.join(root, 'benchmarks', name + '.py')):
        root = None
    if root is None:
        return fail(PROG, f'benchmarks/{name}.py not found: the benchmark ships with the '
                    'source checkout only. Run from the repository root (or below it), or set '
                    f'{ENV_SOURCE}=/path/to/snan_nav')
    return int(load_benchmark(root, 'benchmarks.' + name).run(args))
