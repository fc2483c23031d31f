"""``snan-nav perf``: core ticks/s and decision latency vs a dense reference and the seed form.

The measurement code lives in the source checkout (``benchmarks/perf.py``, not installed with
the package): the command looks for it in ``$SNAN_NAV_SOURCE``, the current directory and its
parents, and beside the imported package, and says so when it is absent. Prints a table, the
ticks each implementation ran and one verdict line per target of the performance issue;
``--json OUT`` writes ``{"grids": [...]}``. Exit status 1 if the reference raster differs
from the core's, 2 on bad input.
"""
import argparse
import importlib
import os
import sys
from typing import Optional

PROG = 'snan-nav perf'
ENV_SOURCE = 'SNAN_NAV_SOURCE'
DEFAULT_GRIDS = (10, 32, 100, 256)
DEFAULT_TICKS = 1_000_000
DEFAULT_REF_SECONDS = 2.0
DEFAULT_LATENCY_DECISIONS = 20_000
DEFAULT_CHECK_DECISIONS = 300


def parse_grids(text: str) -> list:
    """Parse ``10,32,100`` (or ``10x10,32x32``) into square grid sides (each >= 2)."""
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
        if side < 2:
            raise argparse.ArgumentTypeError(f'grid side must be >= 2, got {side}')
        grids.append(side)
    if not grids:
        raise argparse.ArgumentTypeError('no grid sizes given')
    return grids


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
                        help='network ticks timed for the core per grid (default 1000000); the '
                             'references stop earlier when their time budget runs out')
    parser.add_argument('--json', metavar='OUT', default=None,
                        help='write {"grids": [...]} as JSON to OUT')
    parser.add_argument('--seed', type=int, default=0, help='walk and network seed (default 0)')
    parser.add_argument('--ref-seconds', type=_positive(float), default=DEFAULT_REF_SECONDS,
                        metavar='S', help='time budget of each reference run per grid '
                                          f'(default {DEFAULT_REF_SECONDS:g} s)')
    parser.add_argument('--latency-decisions', type=_positive(int),
                        default=DEFAULT_LATENCY_DECISIONS, metavar='N',
                        help='decisions timed one by one for the latency '
                             f'(default {DEFAULT_LATENCY_DECISIONS})')
    parser.add_argument('--check-decisions', type=_positive(int),
                        default=DEFAULT_CHECK_DECISIONS, metavar='N',
                        help='decisions of the 10x10 core-vs-reference raster check '
                             f'(default {DEFAULT_CHECK_DECISIONS})')


def add_parser(subparsers) -> None:
    """Register the ``perf`` subcommand."""
    p = subparsers.add_parser('perf', help='core throughput/latency vs dense reference',
                              description=__doc__)
    add_arguments(p)
    p.set_defaults(func=run)


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


def load_benchmark(root: str):
    """Import ``benchmarks.perf`` from the checkout at ``root``."""
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module('benchmarks.perf')


def run(args) -> int:
    """Locate the checkout's benchmark, run it with ``args`` and return its exit status."""
    root = find_source_root()
    if root is None:
        print(f'{PROG}: error: benchmarks/perf.py not found: the benchmark ships with the '
              'source checkout only. Run from the repository root (or below it), or set '
              f'{ENV_SOURCE}=/path/to/snan_nav', file=sys.stderr)
        return 2
    if args.json:
        parent = os.path.dirname(os.path.abspath(args.json))
        if not os.path.isdir(parent):
            print(f'{PROG}: error: --json: directory {parent} does not exist', file=sys.stderr)
            return 2
    return int(load_benchmark(root).run(args))
