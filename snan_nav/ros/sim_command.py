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
"""``snan-nav sim``: the closed-loop demo, simulator + navigator over real ROS 2 topics.

Needs only rclpy (no ``ros2 launch``). Both nodes run in this process with parameters from the
same YAML file as the launch files; the simulator's ``/clock`` drives both. Prints the
learning curve (steps are navigator decisions, bumps included, as in the headless bench),
optionally writes the JSON report and figures (learning curve, driven paths on the map,
commanded velocities, decision-latency histogram). Exit 0 when all episodes ran, 1 on timeout
or interruption, 2 on bad arguments, parameters or maps.
"""
import math
import os
import signal
import sys

from snan_nav.cli import (fail, memory_file_error, output_dir_error, output_file_error,
                          write_json)
from snan_nav.ros.navigator_params import planning_flag_error, seed_flag_error

PROG = 'snan-nav sim'
DEFAULT_EPISODES = 30


def add_parser(subparsers) -> None:
    """Register the ``sim`` subcommand."""
    p = subparsers.add_parser('sim', help='closed loop: grid sim + navigator over ROS 2',
                              description=__doc__)
    p.add_argument('--map', metavar='MAP',
                   help='builtin:NAME or a nav2 map YAML (default: grid_sim.map in --params, '
                        'else builtin:paper10)')
    p.add_argument('--episodes', type=int, default=DEFAULT_EPISODES, metavar='N',
                   help=f'episodes to run (default {DEFAULT_EPISODES})')
    p.add_argument('--seed', type=int, metavar='S',
                   help='seed of the agent, seeded maps and random starts (default: YAML, '
                        'else 0)')
    p.add_argument('--params', metavar='FILE.yaml',
                   help='ROS 2 parameter file (snan_navigator:/grid_sim:/ /**: keys), e.g. '
                        'config/snan_nav.yaml')
    p.add_argument('--allow-unknown', action='store_true',
                   help='run although --params has unknown names (they are reported and '
                        'ignored); invalid values are always errors')
    p.add_argument('--memory', metavar='FILE',
                   help="the navigator's memory_file: load the agent's long-term memory from "
                        'FILE when it is built, save it after every episode and at the end '
                        '(a refused file is moved aside to FILE.corrupt)')
    p.add_argument('--agent', metavar='NAME', help='override snan_navigator.agent')
    p.add_argument('--speed-factor', type=float, metavar='X',
                   help='free-running sim clock at X times real time instead of lockstep')
    p.add_argument('--timeout', type=float, default=0.0, metavar='SECONDS',
                   help='give up after this much wall time (default: no limit)')
    p.add_argument('--cell-size', type=float, metavar='M',
                   help='planning cell side in metres for both nodes (0: automatic, about the '
                        'robot diameter; default: the YAML, else 0)')
    p.add_argument('--robot-radius', type=float, metavar='M',
                   help='obstacle inflation radius in metres for both nodes (default: the '
                        'YAML, else 0.2)')
    p.add_argument('--no-compare', action='store_true',
                   help='skip the headless replay with the same seed')
    p.add_argument('--json', metavar='OUT', help='write the JSON report here')
    p.add_argument('--plot', metavar='DIR',
                   help='write the figures here: learning curve, driven paths, cmd_vel, '
                        'latency histogram')
    p.set_defaults(func=run)


def _check(args):
    if args.episodes < 1:
        return '--episodes must be >= 1'
    seed_error = seed_flag_error('--seed', args.seed)
    if seed_error:
        return seed_error
    if args.speed_factor is not None and not 0.01 <= args.speed_factor <= 1000.0:
        return '--speed-factor must lie in [0.01, 1000]'
    if not (math.isfinite(args.timeout) and args.timeout >= 0):   # NaN slipped through
        return '--timeout must be a finite number of seconds >= 0'
    flag_error = planning_flag_error(args.cell_size, args.robot_radius)
    if flag_error:
        return flag_error
    if args.params and not os.path.isfile(args.params):
        return f'parameter file {args.params} does not exist'
    if args.map is not None:
        from snan_nav.world.builtin import resolve_map
        from snan_nav.world.map_io import MapError
        try:
            resolve_map(args.map, args.seed or 0)
        except (MapError, ValueError, OSError) as exc:
            text = str(exc)    # map errors usually name the map already
            return text if args.map in text else f'map {args.map}: {text}'
    return (output_file_error('--json', args.json) or output_dir_error('--plot', args.plot)
            or memory_file_error('--memory', args.memory))


def run(args) -> int:
    """Run the closed loop; see the module docstring for exit codes."""
    problem = _check(args)
    if problem:
        return fail(PROG, problem)
    try:
        from snan_nav.ros import launcher
        from snan_nav.ros.param_check import checked_values, package_nodes
        from snan_nav.ros.param_file import ParamFileError
        from snan_nav.ros.ros_params import StartupError
    except ImportError as exc:
        return fail(PROG, f'rclpy or a ROS 2 message package is missing ({exc}); see README')
    try:
        doc = launcher.read_params_file(args.params)
        checked_values(doc, package_nodes(), args.allow_unknown,
                       warn=lambda text: print(f'{PROG}: {text}', file=sys.stderr))
    except ParamFileError as exc:
        return fail(PROG, str(exc))
    cfg = launcher.SimConfig(episodes=args.episodes, map_spec=args.map, seed=args.seed,
                             agent=args.agent, params_document=doc, memory_file=args.memory,
                             speed_factor=args.speed_factor, timeout_s=args.timeout,
                             compare_headless=not args.no_compare, cell_size=args.cell_size,
                             robot_radius=args.robot_radius, record_trace=bool(args.plot))
    stopped = []

    def on_signal(signum, _frame):
        stopped.append(signum)

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}

    def on_episode(ep):
        print(f"episode {ep['episode']:>3}/{args.episodes}: {ep['outcome']:<8} "
              f"{ep['steps']:>5} steps, {ep['sim_time_s']:8.1f} s sim", flush=True)

    try:
        result = launcher.run_closed_loop(cfg, on_episode, stop=lambda: bool(stopped))
    except StartupError as exc:
        return fail(PROG, str(exc))
    except ValueError as exc:
        return fail(PROG, str(exc))
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    report = result.report
    print(launcher.format_curve(report))
    print(launcher.format_summary(report))
    if args.json:
        write_json(args.json, report, indent=2)
    if args.plot and report['episodes']:
        from snan_nav.ros.closed_loop_plots import plot_all
        for path in plot_all(result, args.plot):
            print(f'wrote {path}')
    if not result.complete:
        why = 'interrupted' if stopped else 'timed out'
        print(f'{PROG}: {why} after {len(result.episodes)} of {args.episodes} episodes',
              file=sys.stderr)
        return 1
    return 0
