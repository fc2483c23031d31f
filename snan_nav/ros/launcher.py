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
"""Run the simulator and the navigator in one process over real ROS 2 topics (rclpy only).

This is what ``snan-nav sim`` calls, and what CI exercises end to end: both nodes are created
in one rclpy context with their parameters from the same YAML file the launch files use
(``/**`` and node-name keys honoured), spun by one executor, talk over DDS on loopback, and
run on the simulator's ``/clock`` (``use_sim_time``). By default the simulator runs in
lockstep with the navigator (one tick per stamped command that answers the latest tick: faster
than real time and independent of machine load; cmd_vel is TwistStamped then);
``speed_factor`` switches to a free-running clock instead.
"""
from dataclasses import dataclass, field
import json
import os
import shutil
import time
from typing import Any, Callable, Dict, List, Optional

from snan_nav.ros.param_file import (document_from_mapping, EMPTY, node_parameters,
                                     ParamDocument, read_document)
from snan_nav.ros.sim_replay import headless_reference, memory_snapshot
from snan_nav.ros.sim_report import (format_curve, format_summary,  # noqa: F401 (re-exported)
                                     summarise)

NAV_NAME = 'snan_navigator'
SIM_NAME = 'grid_sim'


def ensure_ros_env() -> None:
    """Keep DDS on loopback and pick a private domain unless the user chose otherwise.

    Sets ``ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST`` and ``ROS_DOMAIN_ID`` (100 + pid mod 100)
    only when they are unset; never touches ``RMW_IMPLEMENTATION``.
    """
    os.environ.setdefault('ROS_AUTOMATIC_DISCOVERY_RANGE', 'LOCALHOST')
    os.environ.setdefault('ROS_DOMAIN_ID', str(100 + os.getpid() % 100))


@dataclass
class SimConfig:
    """What one closed-loop run needs; ``None`` fields keep the YAML (or node) value."""

    episodes: int = 30
    map_spec: Optional[str] = None
    seed: Optional[int] = None
    agent: Optional[str] = None
    params_document: Any = EMPTY      # a ParamDocument, or nested dicts like a YAML file
    memory_file: Optional[str] = None
    speed_factor: Optional[float] = None
    timeout_s: float = 0.0
    compare_headless: bool = True
    cell_size: Optional[float] = None
    robot_radius: Optional[float] = None
    record_trace: bool = False


@dataclass
class SimResult:
    """Outcome of :func:`run_closed_loop`.

    ``trace``: per-tick arrays of :mod:`snan_nav.ros.trace` (with ``record_trace``);
    ``latency_ms``: every decision latency; ``grid`` and ``plan_grid``: the simulated map
    and its planning grid (for the figures).
    """

    report: dict
    complete: bool
    episodes: List[dict]
    trace: Optional[dict] = None
    latency_ms: List[float] = field(default_factory=list)
    grid: Any = None
    plan_grid: Any = None


def overrides(cfg: SimConfig):
    """Return ``(navigator, sim)`` parameter dicts: YAML values plus the launcher's settings."""
    doc = cfg.params_document or EMPTY
    if not isinstance(doc, ParamDocument):       # nested dicts, as a YAML file would hold
        doc = document_from_mapping(doc)
    nav = node_parameters(doc, NAV_NAME)
    sim = node_parameters(doc, SIM_NAME)
    nav['use_sim_time'] = True
    sim['publish_clock'] = True
    sim['max_episodes'] = int(cfg.episodes)
    if cfg.map_spec is not None:
        sim['map'] = cfg.map_spec
    if cfg.seed is not None:
        nav['seed'] = int(cfg.seed)
        sim['seed'] = int(cfg.seed)
    if cfg.agent is not None:
        nav['agent'] = cfg.agent
    if cfg.memory_file is not None:
        nav['memory_file'] = str(cfg.memory_file)
    for name in ('cell_size', 'robot_radius'):   # both nodes must plan on the same cells
        value = getattr(cfg, name)
        if value is not None:
            nav[name] = sim[name] = float(value)
    if cfg.speed_factor is None:
        sim['lockstep'] = True
        sim['update_rate'] = float(nav.get('control_frequency', 20.0))
        nav['enable_stamped_cmd_vel'] = True
        nav['publish_idle_cmd'] = True          # every period answers a tick
        sim['enable_stamped_cmd_vel'] = True
    else:
        sim['lockstep'] = False
        sim['speed_factor'] = float(cfg.speed_factor)
    return nav, sim


def check_map(spec, seed) -> None:
    """Raise ``StartupError`` when the simulator's map cannot be loaded (before any node)."""
    from snan_nav.ros.ros_params import StartupError
    from snan_nav.world.builtin import resolve_map
    from snan_nav.world.map_io import MapError
    try:
        resolve_map(str(spec), int(seed) if isinstance(seed, int) else 0)
    except (MapError, ValueError, OSError) as exc:
        raise StartupError(f'grid_sim map {spec!r}: {exc}') from None


def to_parameters(values: Dict[str, Any]):
    """Convert ``{name: value}`` to rclpy Parameters (types as in a YAML file)."""
    from rclpy.parameter import Parameter
    return [Parameter(name, value=value) for name, value in values.items()]


#: Wall time the closed loop waits for the navigator's summaries after the simulator's last
#: episode (s): they arrive within a control period when the navigator ran them.
SIM_DONE_GRACE_S = 5.0


def run_closed_loop(cfg: SimConfig, on_episode: Optional[Callable[[dict], None]] = None,
                    stop: Optional[Callable[[], bool]] = None, navigator_class=None,
                    sim_class=None) -> SimResult:
    """Start both nodes in one process, run ``cfg.episodes`` episodes and summarise them.

    Raises :class:`~snan_nav.ros.ros_params.StartupError` (bad parameters or map) before any
    episode runs. ``on_episode`` is called with each navigator episode summary; ``stop()``
    returning True ends the run early (e.g. on SIGINT). ``navigator_class`` and
    ``sim_class`` replace :class:`SnanNavigator` and :class:`GridSimNode` by subclasses (the
    node-latency benchmark instruments them this way).
    """
    ensure_ros_env()
    import rclpy
    from rclpy.context import Context
    from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy
    from rclpy.signals import SignalHandlerOptions
    from std_msgs.msg import String

    from snan_nav.ros.executors import make_executor
    from snan_nav.ros.grid_sim import GridSimNode
    from snan_nav.ros.navigator import SnanNavigator
    from snan_nav.ros.node_runner import close_nodes
    from snan_nav.ros.session import AgentSpec

    nav_values, sim_values = overrides(cfg)
    snapshot = memory_snapshot(nav_values.get('memory_file'))   # the replay starts from it
    context = Context()
    rclpy.init(args=[], context=context, signal_handler_options=SignalHandlerOptions.NO)
    nodes = []
    executor = None
    episodes: List[dict] = []
    sim_episodes: List[dict] = []
    try:
        if 'map' in sim_values:
            check_map(sim_values['map'], sim_values.get('seed', 0))
        nav = (navigator_class or SnanNavigator)(
            context=context, parameter_overrides=to_parameters(nav_values))
        nodes.append(nav)
        nav.latency.record_all()  # the report gives the run's latency percentiles
        sim = (sim_class or GridSimNode)(
            context=context, parameter_overrides=to_parameters(sim_values))
        nodes.append(sim)
        trace = None
        if cfg.record_trace:
            from snan_nav.ros.trace import Trace
            trace = sim.trace = Trace()
        monitor = rclpy.create_node('snan_sim_monitor', context=context,
                                    start_parameter_services=False)
        nodes.append(monitor)
        history = QoSProfile(depth=100, reliability=ReliabilityPolicy.RELIABLE,
                             durability=DurabilityPolicy.TRANSIENT_LOCAL)

        def on_nav_episode(msg):
            ep = json.loads(msg.data)
            episodes.append(ep)
            if on_episode is not None:
                on_episode(ep)

        monitor.create_subscription(String, nav.resolve_topic_name('~/episode'),
                                    on_nav_episode, history)
        monitor.create_subscription(String, sim.resolve_topic_name('~/episode'),
                                    lambda msg: sim_episodes.append(json.loads(msg.data)),
                                    history)
        executor = make_executor(context)
        for node in nodes:
            executor.add_node(node)
        t0 = time.monotonic()
        timed_out = False
        sim_done_at = None
        while context.ok() and len(episodes) < cfg.episodes:
            executor.spin_once(timeout_sec=0.1)
            if stop is not None and stop():
                break
            if cfg.timeout_s > 0 and time.monotonic() - t0 > cfg.timeout_s:
                timed_out = True
                break
            # The simulator stops after cfg.episodes; a navigator that refused a goal never
            # reports that episode, so wait for its last summary a while, not forever.
            if len(sim_episodes) >= cfg.episodes:
                sim_done_at = sim_done_at or time.monotonic()
                if time.monotonic() - sim_done_at > SIM_DONE_GRACE_S:
                    break
        wall = time.monotonic() - t0
        latency = list(nav.latency.log_ms)
        compute = list(nav.latency.compute_ms)
        nav_params = dict(nav.values)
        snn, crossbar, agent_params = nav.snn, nav.crossbar, nav.agent_params
        health = {'navigator_exceptions': nav.exceptions, 'simulator_tick_errors':
                  sim.tick_errors, 'command_limit_violations': nav.cmd.violations,
                  'memory_saves': nav.session.saves, 'memory': nav.session.memory_status,
                  'unknown_parameters': list(nav.config_warnings + sim.config_warnings)}
        grid, map_grid = sim.plan_grid, sim.grid
        map_label = sim.values['map']
        sim_time_s = sim.sim.time_s
    finally:
        close_nodes(nodes, executor)
        rclpy.try_shutdown(context=context)

    report = summarise(episodes, latency, compute, wall, sim_time_s)
    report.update({'map': map_label, 'agent': nav_params['agent'], 'seed': nav_params['seed'],
                   'goal_cue': nav_params['goal_cue'],
                   'planning_cell_m': grid.resolution, 'map_resolution_m': map_grid.resolution,
                   'planning_grid': [grid.width, grid.height],
                   'robot_radius_m': nav_params['robot_radius'],
                   'episodes_requested': cfg.episodes, 'timed_out': timed_out,
                   'control_frequency_hz': nav_params['control_frequency'],
                   'clock': ('lockstep' if cfg.speed_factor is None
                             else f'speed_factor {cfg.speed_factor}'),
                   'sim_episodes': sim_episodes, 'health': health})
    if episodes and 'start' in episodes[0]:
        from snan_nav.world.bfs import path_length
        report['bfs_shortest_steps'] = path_length(grid, grid.cell_of(episodes[0]['start']),
                                                   grid.cell_of(episodes[0]['goal']))
    if cfg.compare_headless and episodes:
        budget = int(nav_params['episode_budget']) or None
        report['headless'] = headless_reference(
            grid, AgentSpec(nav_params['agent'], nav_params['seed'], snn, crossbar,
                            agent_params), budget, episodes, nav_params['goal_cue'],
            snapshot)
    if snapshot is not None:
        shutil.rmtree(os.path.dirname(snapshot), ignore_errors=True)
    return SimResult(report, len(episodes) >= cfg.episodes, episodes,
                     trace.arrays() if trace is not None else None, latency, map_grid, grid)


def read_params_file(path: Optional[str]) -> ParamDocument:
    """Read the parameter file at ``path`` with rcl's rules (empty when ``path`` is None)."""
    return read_document(path) if path else EMPTY
