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
"""``snan-nav soak``: a long run with the memory saved every episode (a benchmark, not a test).

Runs 10,000 headless episodes of one long-lived agent (restored from its memory file every
1,000 episodes), then a 10-minute closed loop (simulator + navigator over ROS 2) on a clock
running ``--speed-factor`` times real time, the navigator saving its memory file after every
episode. Prints resident memory (RSS) at the start and the end of each part, episodes per
second and exceptions; exit 0 when both parts ran without exceptions, every restart and the
final check loaded the memory file, and RSS grew by at most 5 %, 1 otherwise, 2 on bad
arguments. The default agent keeps a long-term memory, so every
episode writes a file.
"""
import math
import os
import sys
import tempfile

from snan_nav.cli import episodes_flag_error, fail, output_file_error, write_json

PROG = 'snan-nav soak'
MAX_GROWTH_PERCENT = 5.0
#: The memory files a soak writes in its directory (one per part).
HEADLESS_FILE, CLOSED_LOOP_FILE = 'headless.snanmem', 'closed_loop.snanmem'


def add_parser(subparsers) -> None:
    """Register the ``soak`` subcommand."""
    p = subparsers.add_parser('soak', help='long run with memory saved every episode: RSS, '
                              'episodes/s, exceptions', description=__doc__)
    p.add_argument('--map', default='builtin:paper10', metavar='MAP',
                   help='builtin:NAME or a map YAML with a goal (default builtin:paper10)')
    p.add_argument('--agent', default='snan', metavar='NAME',
                   help='agent (default snan; any agent whose memory() is not empty writes '
                        'a memory file every episode)')
    p.add_argument('--episodes', type=int, default=10000, metavar='N',
                   help='headless episodes (default 10000; 0 skips the part)')
    p.add_argument('--restart-every', type=int, default=1000, metavar='N',
                   help='restore a fresh agent from the file every N episodes (default 1000)')
    p.add_argument('--minutes', type=float, default=10.0, metavar='M',
                   help='wall minutes of closed loop (default 10; 0 skips the part)')
    p.add_argument('--speed-factor', type=float, default=10.0, metavar='X',
                   help='simulated seconds per wall second in the closed loop (default 10)')
    p.add_argument('--seed', type=int, default=0, metavar='S', help='seed (default 0)')
    p.add_argument('--dir', metavar='DIR',
                   help='directory of the memory files (default: a new temporary directory)')
    p.add_argument('--json', metavar='OUT', help='write the figures here')
    p.set_defaults(func=run)


def _check(args):
    from snan_nav.agents.registry import AGENT_NAMES
    from snan_nav.ros.navigator_params import seed_flag_error
    if args.agent not in AGENT_NAMES:
        return f'unknown agent {args.agent!r}; valid: {", ".join(AGENT_NAMES)}'
    if args.episodes < 0 or args.restart_every < 0:
        return '--episodes and --restart-every must be >= 0'
    too_many = args.episodes and episodes_flag_error('--episodes', args.episodes)
    if too_many:
        return too_many + ' (or 0: skip the part)'
    if not (math.isfinite(args.minutes) and args.minutes >= 0.0):
        return f'--minutes must be >= 0, got {args.minutes}'
    if not args.episodes and not args.minutes:
        return '--episodes 0 and --minutes 0 skip both parts: nothing to do'
    if not 0.01 <= args.speed_factor <= 1000.0:
        return '--speed-factor must lie in [0.01, 1000]'
    problem = seed_flag_error('--seed', args.seed)
    if problem:
        return problem
    for path in (args.dir,):
        if path and not os.path.isdir(path):
            return f'--dir {path} is not a directory'
    for name, used in ((HEADLESS_FILE, args.episodes), (CLOSED_LOOP_FILE, args.minutes)):
        if args.dir and used and os.path.lexists(os.path.join(args.dir, name)):
            return (f'--dir {args.dir} holds {name} (an earlier soak\'s?): a soak starts from '
                    'a fresh memory and saves over its file every episode; move it or choose '
                    'another --dir')
    problem = output_file_error('--json', args.json)
    if problem:
        return problem
    from snan_nav.bench.suite_bench import bench_map
    from snan_nav.world.map_io import MapError
    try:
        grid = bench_map(args.map, args.seed)
    except (MapError, ValueError, OSError) as exc:
        return f'map {args.map}: {exc}'
    if grid.goal is None:
        return f'map {args.map} defines no goal'
    return None


def _file_loads(path: str, part: dict, map_spec: str, seed: int) -> str:
    """Return whether the file left by a part loads into a fresh agent (its load message)."""
    from snan_nav.agents.registry import make_agent
    from snan_nav.ros.memory_store import MemoryStore
    from snan_nav.bench.suite_bench import bench_map
    if not os.path.exists(path):
        return 'no file'
    grid = bench_map(map_spec, seed)
    agent = make_agent(part['agent'], grid, grid.cell_id(grid.goal), seed)
    return MemoryStore(path, part['agent']).load(agent, grid.blocked).message


def _keeps_memory(agent_name: str, map_spec: str, seed: int) -> bool:
    """Return True when ``agent_name`` keeps a long-term memory (so it writes a file)."""
    from snan_nav.agents.registry import make_agent
    from snan_nav.bench.suite_bench import bench_map
    grid = bench_map(map_spec, seed)
    return bool(make_agent(agent_name, grid, grid.cell_id(grid.goal), seed).memory())


def memory_lost(part: dict) -> bool:
    """Return True when a part's memory file failed to load (at a restart or at the end)."""
    if not part.get('keeps_memory', True):
        return False
    return (part.get('restarts_loaded', 0) < part.get('restarts', 0)
            or not str(part.get('file_at_end', '')).startswith('loaded'))


def _print(part: dict) -> None:
    rss = part['rss_mb']
    growth = part['rss_growth_percent']
    print(f"soak {part['part']}: agent {part['agent']} on {part['map']}, "
          f"{part['episodes']} episodes in {part['wall_s']:.1f} s "
          f"({part['episodes_per_s']} episodes/s), exceptions: {part['exceptions']}")
    print(f"  RSS {rss['start']:.1f} MiB at the start (after the first episode; "
          f"{rss['process_start']:.1f} MiB before it), {rss['end']:.1f} MiB at the end: "
          + ('n/a' if growth is None else f'{growth:+.2f} %'))
    print(f"  memory file {part['memory_file']}: {part['file_at_end']}")
    if part.get('restarts'):
        print(f"  restarts from the file: {part['restarts_loaded']} of {part['restarts']} "
              'loaded the memory')
    for text in part['errors']:
        print(text, file=sys.stderr)


def run(args) -> int:
    """Run the soak; see the module docstring for exit codes."""
    problem = _check(args)
    if problem:
        return fail(PROG, problem)
    from snan_nav.bench.soak import closed_loop_soak, headless_soak
    directory = args.dir or tempfile.mkdtemp(prefix='snan_soak_')
    parts = []
    if args.episodes:
        path = os.path.join(directory, HEADLESS_FILE)
        part = headless_soak(args.map, args.agent, args.episodes, path, args.seed,
                             args.restart_every,
                             progress=lambda d, n: print(f'  {d}/{n} episodes', flush=True))
        part['file_at_end'] = _file_loads(path, part, args.map, args.seed)
        parts.append(part)
        _print(part)
    if args.minutes:
        path = os.path.join(directory, CLOSED_LOOP_FILE)
        print(f'closed loop for {args.minutes:g} min at x{args.speed_factor:g} ...', flush=True)
        part = closed_loop_soak(args.map, args.agent, args.minutes, args.speed_factor, path,
                                args.seed)
        part['file_at_end'] = _file_loads(path, part, args.map, args.seed)
        part['keeps_memory'] = _keeps_memory(args.agent, args.map, args.seed)
        parts.append(part)
        _print(part)
    if args.json:
        write_json(args.json, {'parts': parts})
    bad = [p for p in parts if p['exceptions'] or memory_lost(p)
           or (p['rss_growth_percent'] or 0.0) > MAX_GROWTH_PERCENT]
    return 1 if bad else 0
