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
"""Node latency: pose in -> cmd_vel out through rclpy, and CPU time per control tick.

Run from the repository root::

    snan-nav perf --node [--rates 20,50] [--episodes N] [--node-seconds S] [--json OUT]
    python -m benchmarks.node_latency [--rates 20,50] [--episodes N] [--node-seconds S]
                                      [--json OUT] [--seed S]

Set-up (per rate): the in-process launcher of ``snan-nav sim``
(:func:`snan_nav.ros.launcher.run_closed_loop`): ``grid_sim`` and ``snan_navigator`` in one
process and one executor (rclpy's EventsExecutor, or the SingleThreadedExecutor with
``SNAN_NAV_EXECUTOR=single``: :mod:`snan_nav.ros.executors`), talking over real ROS 2 topics
(DDS on loopback), on
``builtin:paper10`` with the SNAN agent and the nodes' default parameters. The simulator runs
free in real time (speed factor 1, not lockstep) at ``update_rate`` = the navigator's
``control_frequency`` = the rate, and publishes ``/clock``; the navigator's control timer runs
on that clock (``use_sim_time``), so each simulator tick (odom, then ``/clock``) triggers one
control tick. The numba kernels are loaded before the nodes start; the measurement window
opens at the control tick that starts the first episode (that tick is not counted) and lasts
``--node-seconds`` of wall time or ``--episodes`` finished episodes.

Both nodes are subclassed only to take timestamps (no change to what they do):

- **latency** of a control tick = ``perf_counter`` after ``cmd_vel`` ``publish()`` returned
  minus ``perf_counter`` when the navigator's odom callback received the pose that tick used
  (the ``wall_s`` of the navigator's pose sample). Every control tick publishes one command
  (``publish_idle_cmd``), so all ticks count, idle ones between episodes included; decision
  ticks (the agent ran) are also reported on their own.
- **odom publish -> cmd_vel**: from the simulator's odom ``publish()`` call to the command,
  DDS transport and the ``/clock`` hop included. A **stale pose** tick ran before the odom of
  its own simulator tick was taken (its latency then includes one period).
- **CPU ms per tick** = ``time.process_time()`` (user + system time of all threads of the
  process) over the window / control ticks: it includes the simulator node, the executor,
  rclpy and the DDS threads. The navigator's own callbacks (control tick, odom, diagnostics)
  and the simulator's tick are also timed with ``time.thread_time()``, and so is the executor
  thread as a whole (all callbacks plus rclpy's executor); the rest of the process time is
  spent in the middleware's own threads.

Thresholds of the issue appear only in the printed verdict.
"""
import argparse
import json
import sys
import time

import numpy as np

from snan_nav.bench.perf_command import add_node_arguments, node_settings
from snan_nav.cli import fail, output_file_error
from snan_nav.ros.navigator_params import seed_flag_error

MAP = 'builtin:paper10'
AGENT = 'snan'
STARTUP_TIMEOUT_S = 60.0
SENT_KEEP = 512

# Targets of the issues (printed verdicts only): pose->cmd_vel p99 and whole-process CPU per
# control tick at 50 Hz.
TARGET_RATE_HZ = 50.0
TARGET_P99_MS = 2.0
TARGET_CPU_MS = 1.5


class _TimedPublisher:
    """Wrap a publisher: call ``hook(msg, perf_counter)`` around each ``publish()``."""

    def __init__(self, publisher, before=None, after=None):
        self._publisher = publisher
        self._before = before
        self._after = after

    def publish(self, msg):
        """Publish ``msg`` and report the times."""
        if self._before is not None:
            self._before(msg, time.perf_counter())
        self._publisher.publish(msg)
        if self._after is not None:
            self._after(msg, time.perf_counter())

    def __getattr__(self, name):
        return getattr(self._publisher, name)


class Recorder:
    """Per-tick samples of one run; opens its window at the first episode start."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.open = False
        self.finished = False
        self.t_open = None
        self.t_last = None
        self.cpu_open = None
        self.cpu_last = None
        self.thread_open = None
        self.thread_last = None
        self.latency_s = []
        self.decided = []
        self.e2e_s = []
        self.stale = 0
        self.ticks = 0
        self.nav_cpu_s = 0.0
        self.sim_cpu_s = 0.0
        self.episodes_started = 0
        self.decisions = 0
        self.sent = {}

    @property
    def counting(self) -> bool:
        """Return True while the window is open."""
        return self.open and not self.finished

    def odom_sent(self, msg, t: float) -> None:
        """Remember when the simulator published the odom stamped ``msg.header.stamp``."""
        stamp = msg.header.stamp.sec * 1_000_000_000 + msg.header.stamp.nanosec
        self.sent[stamp] = t
        if len(self.sent) > SENT_KEEP:
            del self.sent[next(iter(self.sent))]

    def tick(self, sample, cpu_s: float, started: bool, decisions: int) -> None:
        """Account one control tick; ``sample`` is None when it published no command."""
        if self.finished:
            return
        if not self.open:
            if started:
                self.open = True
                self.t_open = self.t_last = time.perf_counter()
                self.cpu_open = self.cpu_last = time.process_time()
                self.thread_open = self.thread_last = time.thread_time()
            return
        self.ticks += 1
        self.nav_cpu_s += cpu_s
        self.episodes_started += int(started)
        self.decisions += decisions
        if sample is not None:
            latency, stale, e2e = sample
            self.latency_s.append(latency)
            self.decided.append(decisions > 0)
            self.stale += int(stale)
            if e2e is not None:
                self.e2e_s.append(e2e)
        self.cpu_last = time.process_time()
        self.thread_last = time.thread_time()
        self.t_last = time.perf_counter()
        if self.seconds is not None and self.t_last - self.t_open >= self.seconds:
            self.finished = True

    def overdue(self) -> bool:
        """Return True when the window should have closed (no ticks arrive any more)."""
        return (self.open and self.seconds is not None
                and time.perf_counter() - self.t_open > self.seconds + 5.0)


def node_classes(rec: Recorder):
    """Return ``(navigator_class, sim_class)``: the nodes with timestamps for ``rec``."""
    from snan_nav.ros.grid_sim import GridSimNode
    from snan_nav.ros.navigator import SnanNavigator

    class TimedNavigator(SnanNavigator):
        """The navigator, timing its callbacks and each published command."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)          # autostart: configured and active
            self._sample = None
            self.cmd.publisher = _TimedPublisher(self.cmd.publisher, after=self._published)

        def _published(self, _msg, t):
            pose = self.pose
            if pose is None:
                return
            sent = rec.sent.get(pose.stamp_ns)
            self._sample = (t - pose.wall_s, self._now_ns() > pose.stamp_ns,
                            None if sent is None else t - sent)

        def _on_tick(self):
            self._sample = None
            session = self.session
            episodes, decisions = session.episode_count, session.decision_count
            cpu = time.thread_time()
            super()._on_tick()
            cpu = time.thread_time() - cpu
            rec.tick(self._sample, cpu, session.episode_count > episodes,
                     session.decision_count - decisions)

        def _on_odom(self, msg):
            cpu = time.thread_time()
            super()._on_odom(msg)
            if rec.counting:
                rec.nav_cpu_s += time.thread_time() - cpu

        def _publish_diagnostics(self):
            cpu = time.thread_time()
            super()._publish_diagnostics()
            if rec.counting:
                rec.nav_cpu_s += time.thread_time() - cpu

    class TimedSim(GridSimNode):
        """The simulator, timing its ticks and each odom publication."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.odom_pub = _TimedPublisher(self.odom_pub, before=rec.odom_sent)

        def _tick(self):
            cpu = time.thread_time()
            super()._tick()
            if rec.counting:
                rec.sim_cpu_s += time.thread_time() - cpu

    return TimedNavigator, TimedSim


def prewarm(seed: int) -> float:
    """Load the agent's numba kernels before the nodes start; return the seconds it took."""
    from snan_nav.agents.registry import make_agent
    from snan_nav.world.builtin import resolve_map
    from snan_nav.world.episode import GridWorld, run_episode

    t0 = time.perf_counter()
    grid = resolve_map(MAP, seed)
    world = GridWorld(grid, grid.start, grid.goal, 20)
    run_episode(make_agent(AGENT, grid, world.goal, seed), world)
    return time.perf_counter() - t0


def _stats(values_s) -> dict:
    arr = np.asarray(values_s, dtype=float) * 1e3
    if not arr.size:
        return {'median': None, 'p99': None, 'max': None, 'n': 0}
    return {'median': float(np.median(arr)), 'p99': float(np.percentile(arr, 99)),
            'max': float(arr.max()), 'n': int(arr.size)}


def measure_rate(rate: float, seconds, episodes, seed: int) -> dict:
    """Run the closed loop at ``rate`` Hz in real time and return one ``node`` row."""
    from snan_nav.ros import launcher
    from snan_nav.ros.executors import executor_kind

    rec = Recorder(seconds)
    nav_class, sim_class = node_classes(rec)
    doc = {'snan_navigator': {'ros__parameters': {'control_frequency': float(rate)}},
           'grid_sim': {'ros__parameters': {'update_rate': float(rate)}}}
    cfg = launcher.SimConfig(
        episodes=int(episodes) if episodes else 1_000_000, map_spec=MAP, seed=seed,
        agent=AGENT, params_document=doc, speed_factor=1.0,
        timeout_s=(seconds + STARTUP_TIMEOUT_S) if seconds is not None else 0.0,
        compare_headless=False)
    result = launcher.run_closed_loop(cfg, stop=lambda: rec.finished or rec.overdue(),
                                      navigator_class=nav_class, sim_class=sim_class)
    ticks = rec.ticks
    per_tick = (lambda s: s / ticks * 1e3 if ticks else None)
    decided = [lat for lat, d in zip(rec.latency_s, rec.decided) if d]
    lat = _stats(rec.latency_s)
    wall = (rec.t_last - rec.t_open) if rec.open else 0.0
    return {
        'rate_hz': float(rate),
        'executor': executor_kind(),
        'latency_ms': lat,
        'cpu_ms_per_tick': per_tick(rec.cpu_last - rec.cpu_open) if rec.open else None,
        'ticks': ticks,
        'cpu_includes': 'whole process: sim node, navigator, executor, rclpy, DDS threads',
        'executor_thread_cpu_ms_per_tick': (per_tick(rec.thread_last - rec.thread_open)
                                            if rec.open else None),
        'navigator_cpu_ms_per_tick': per_tick(rec.nav_cpu_s),
        'sim_cpu_ms_per_tick': per_tick(rec.sim_cpu_s),
        'decision_latency_ms': _stats(decided),
        'odom_publish_to_cmd_ms': _stats(rec.e2e_s),
        'stale_pose_ticks': rec.stale,
        'wall_s': round(wall, 3),
        'ticks_per_s': ticks / wall if wall > 0 else None,
        'episodes_finished': len(result.episodes),
        'decisions': rec.decisions,
    }


def measure(rates, seconds, episodes, seed: int = 0, log=None) -> dict:
    """Measure every rate in turn; return ``{"node": rows, "prewarm_s": s}``."""
    log = log or (lambda _m: None)
    warm = prewarm(seed)
    rows = []
    for rate in rates:
        limit = (f'{seconds:g} s' if seconds is not None else '') + (
            (' or ' if seconds is not None else '') + f'{episodes} episodes' if episodes
            else '')
        log(f'node latency: {rate:g} Hz, {limit} in real time ...')
        rows.append(measure_rate(rate, seconds, episodes, seed))
    return {'node': rows, 'prewarm_s': warm}


def _fmt(x, spec='.3f'):
    return 'n/a' if x is None else format(x, spec)


def report(result: dict, seed: int = 0) -> str:
    """Return the printed table, the notes and the verdict line."""
    lines = [f'node latency: {MAP}, agent {AGENT}, seed {seed}; grid_sim + snan_navigator in '
             'one process over ROS 2 topics (in-process launcher), real time (speed factor 1), '
             'sim update_rate = control_frequency, default node parameters']
    head = (f"{'rate Hz':>7} {'ticks':>6} {'ticks/s':>7}  {'pose->cmd_vel ms med/p99/max':>28}"
            f"  {'decision ticks med/p99 (n)':>27}  {'odom pub->cmd ms med/p99':>24}"
            f"  {'stale':>5}  {'CPU ms/tick process/executor/nav/sim':>36}")
    lines += [head, '-' * len(head)]
    for row in result['node']:
        lat, dec = row['latency_ms'], row['decision_latency_ms']
        e2e = row['odom_publish_to_cmd_ms']
        pose_cmd = f"{_fmt(lat['median'])}/{_fmt(lat['p99'])}/{_fmt(lat['max'])}"
        decision = f"{_fmt(dec['median'])}/{_fmt(dec['p99'])} ({dec['n']})"
        odom_cmd = f"{_fmt(e2e['median'])}/{_fmt(e2e['p99'])}"
        cpu = (f"{_fmt(row['cpu_ms_per_tick'])}/"
               f"{_fmt(row['executor_thread_cpu_ms_per_tick'])}/"
               f"{_fmt(row['navigator_cpu_ms_per_tick'])}/{_fmt(row['sim_cpu_ms_per_tick'])}")
        lines.append(f"{row['rate_hz']:>7g} {row['ticks']:>6} "
                     f"{_fmt(row['ticks_per_s'], '.1f'):>7}  {pose_cmd:>28}  {decision:>27}  "
                     f"{odom_cmd:>24}  {row['stale_pose_ticks']:>5}  {cpu:>36}")
    lines.append('')
    for row in result['node']:
        lines.append(f"  {row['rate_hz']:g} Hz: {row['ticks']} control ticks in "
                     f"{row['wall_s']:.1f} s wall, {row['decisions']} decisions, "
                     f"{row['episodes_finished']} episodes finished")
    lines.append('  pose->cmd_vel: odom callback of the navigator -> cmd_vel publish() returned, '
                 'every control tick after the first episode start; stale: ticks that ran on '
                 'the previous tick\'s pose')
    lines.append('  CPU ms/tick: process = time.process_time() of the whole process (sim node, '
                 'navigator, executor, rclpy, DDS threads) / control ticks; executor = the '
                 'thread that spins the executor (all callbacks + rclpy), nav = the '
                 'navigator\'s callbacks (tick, odom, diagnostics), sim = the simulator\'s tick '
                 f"(thread_time); numba kernels pre-loaded in {result['prewarm_s']:.2f} s")
    lines.append('')
    lines += verdicts(result)
    return '\n'.join(lines)


def verdicts(result: dict) -> list:
    """Return the verdict lines of the node targets (latency p99, CPU per tick) at 50 Hz."""
    row = next((r for r in result['node'] if r['rate_hz'] == TARGET_RATE_HZ), None)
    lat_text = f'node pose->cmd_vel p99 <= {TARGET_P99_MS:g} ms at {TARGET_RATE_HZ:g} Hz: '
    cpu_text = (f'node process CPU per control tick <= {TARGET_CPU_MS:g} ms at '
                f'{TARGET_RATE_HZ:g} Hz: ')
    if row is None or row['latency_ms']['p99'] is None:
        return [f'n/a   {lat_text}not measured', f'n/a   {cpu_text}not measured']
    p99, cpu = row['latency_ms']['p99'], row['cpu_ms_per_tick']
    return [f"{'PASS' if p99 <= TARGET_P99_MS else 'FAIL'}  {lat_text}p99 {p99:.3f} ms over "
            f"{row['latency_ms']['n']} ticks",
            f"{'PASS' if cpu <= TARGET_CPU_MS else 'FAIL'}  {cpu_text}{cpu:.3f} ms "
            f"({row['executor']} executor)"]


def run(args) -> int:
    """Run the benchmark from parsed arguments; print the table; return the exit status."""
    settings = node_settings(args)
    result = measure(settings['rates'], settings['seconds'], settings['episodes'], args.seed,
                     log=lambda m: print(m, file=sys.stderr, flush=True))
    print(report(result, args.seed))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'node': result['node']}, f, indent=2)
            f.write('\n')
    return 0 if all(row['ticks'] > 0 for row in result['node']) else 1


def main(argv=None) -> int:
    """Command-line entry point of ``python -m benchmarks.node_latency``."""
    parser = argparse.ArgumentParser(
        prog='python -m benchmarks.node_latency',
        description='ROS 2 node latency (pose in -> cmd_vel out) and CPU per control tick')
    add_node_arguments(parser, flag=False)
    parser.add_argument('--json', metavar='OUT', default=None,
                        help='write {"node": [...]} as JSON to OUT')
    parser.add_argument('--seed', type=int, default=0, help='agent and map seed (default 0)')
    args = parser.parse_args(argv)
    problem = seed_flag_error('--seed', args.seed) or output_file_error('--json', args.json)
    if problem:
        return fail('python -m benchmarks.node_latency', problem)
    return run(args)


if __name__ == '__main__':
    sys.exit(main())
