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
import time
from typing import Any, Callable, Dict, List, Optional

import numpy as np

from snan_nav.ros.param_file import load_document, node_parameters

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
    params_document: Dict[str, Any] = field(default_factory=dict)
    speed_factor: Optional[float] = None
    timeout_s: float = 0.0
    compare_headless: bool = True


@dataclass
class SimResult:
    """Outcome of :func:`run_closed_loop`."""

    report: dict
    complete: bool
    episodes: List[dict]


def overrides(cfg: SimConfig):
    """Return ``(navigator, sim)`` parameter dicts: YAML values plus the launcher's settings."""
    doc = cfg.params_document or {}
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


def percentile(values, q: float) -> Optional[float]:
    """Return the ``q``-th percentile of ``values`` or None when empty."""
    arr = np.asarray(values, dtype=float)
    return float(np.percentile(arr, q)) if arr.size else None


def headless_reference(grid, agent_name: str, seed: int, snn, crossbar,
                       budget: Optional[int], episodes: List[dict]) -> dict:
    """Replay the same episodes (same starts and goals) with the headless runner.

    Returns per-episode steps and success and whether every cell sequence matches.
    """
    from snan_nav.ros.navigator import build_agent
    from snan_nav.world.episode import GridWorld, run_episode

    steps, success, same, first_diff = [], [], True, None
    agent = None
    for i, ep in enumerate(episodes):
        if 'start' not in ep or ep.get('outcome') == 'already at goal':
            same = False
            break
        world = GridWorld(grid, grid.cell_of(ep['start']), grid.cell_of(ep['goal']), budget)
        if agent is None:
            agent = build_agent(agent_name, grid, world.goal, seed, snn, crossbar)
        res = run_episode(agent, world)
        steps.append(int(res.steps))
        success.append(bool(res.success))
        if ep.get('outcome') not in ('success', 'budget') or list(res.cells) != ep['cells']:
            same = False
            if first_diff is None:
                first_diff = i + 1
    return {'steps': steps, 'success': success, 'same_cell_sequence': same,
            'first_different_episode': first_diff}


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
    from rclpy.executors import SingleThreadedExecutor
    from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy
    from rclpy.signals import SignalHandlerOptions
    from std_msgs.msg import String

    from snan_nav.ros.grid_sim import GridSimNode
    from snan_nav.ros.navigator import SnanNavigator
    from snan_nav.ros.node_runner import close_nodes

    nav_values, sim_values = overrides(cfg)
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
        sim = (sim_class or GridSimNode)(
            context=context, parameter_overrides=to_parameters(sim_values))
        nodes.append(sim)
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
        executor = SingleThreadedExecutor(context=context)
        for node in nodes:
            executor.add_node(node)
        t0 = time.monotonic()
        timed_out = False
        while context.ok() and len(episodes) < cfg.episodes:
            executor.spin_once(timeout_sec=0.1)
            if stop is not None and stop():
                break
            if cfg.timeout_s > 0 and time.monotonic() - t0 > cfg.timeout_s:
                timed_out = True
                break
        wall = time.monotonic() - t0
        latency = list(nav.latency_log_ms)
        compute = list(nav.compute_ms)
        nav_params = dict(nav.values)
        snn = nav.snn
        crossbar = nav.crossbar
        grid = sim.grid
        map_label = sim.values['map']
        sim_time_s = sim.sim.time_s
    finally:
        close_nodes(nodes, executor)
        rclpy.try_shutdown(context=context)

    report = summarise(episodes, latency, compute, wall, sim_time_s)
    report.update({'map': map_label, 'agent': nav_params['agent'], 'seed': nav_params['seed'],
                   'episodes_requested': cfg.episodes, 'timed_out': timed_out,
                   'control_frequency_hz': nav_params['control_frequency'],
                   'clock': ('lockstep' if cfg.speed_factor is None
                             else f'speed_factor {cfg.speed_factor}'),
                   'sim_episodes': sim_episodes})
    if episodes and 'start' in episodes[0]:
        from snan_nav.world.bfs import path_length
        report['bfs_shortest_steps'] = path_length(grid, grid.cell_of(episodes[0]['start']),
                                                   grid.cell_of(episodes[0]['goal']))
    if cfg.compare_headless and episodes:
        budget = int(nav_params['episode_budget']) or None
        report['headless'] = headless_reference(grid, nav_params['agent'], nav_params['seed'],
                                                snn, crossbar, budget, episodes)
    return SimResult(report, len(episodes) >= cfg.episodes, episodes)


def summarise(episodes: List[dict], latency_ms, compute_ms, wall_s: float,
              sim_time_s: float) -> dict:
    """Build the JSON report of a closed-loop run (steps are navigator decisions)."""
    from snan_nav.bench.metrics import wilson_interval

    n = len(episodes)
    ok = [e for e in episodes if e['success']]
    lo, hi = wilson_interval(len(ok), n) if n else (None, None)
    return {
        'episodes': [{'steps': int(e['steps']), 'success': bool(e['success']),
                      'sim_time_s': float(e['sim_time_s']), 'outcome': e.get('outcome', '')}
                     for e in episodes],
        'completion_rate': len(ok) / n if n else None,
        'completion_ci95': [lo, hi],
        'median_steps': float(np.median([e['steps'] for e in ok])) if ok else None,
        'first_episode_steps': int(episodes[0]['steps']) if episodes else None,
        'decision_latency_ms': {'median': percentile(latency_ms, 50),
                                'p99': percentile(latency_ms, 99), 'n': len(latency_ms)},
        'agent_compute_ms': {'median': percentile(compute_ms, 50),
                             'p99': percentile(compute_ms, 99)},
        'wall_time_s': round(wall_s, 3),
        'sim_time_s': round(sim_time_s, 3),
    }


def format_curve(report: dict, width: int = 40) -> str:
    """Return the learning curve as a text table with one bar per episode."""
    eps = report['episodes']
    if not eps:
        return '(no episodes)'
    top = max(e['steps'] for e in eps) or 1
    head = report.get('headless', {}).get('steps', [])
    lines = [f'{"ep":>4} {"steps":>6} {"ok":>3} {"sim s":>8} {"headless":>8}  curve']
    for i, e in enumerate(eps):
        bar = '#' * max(1, int(round(width * e['steps'] / top)))
        ref = str(head[i]) if i < len(head) else '-'
        lines.append(f'{i + 1:>4} {e["steps"]:>6} {"yes" if e["success"] else "no":>3} '
                     f'{e["sim_time_s"]:>8.1f} {ref:>8}  {bar}')
    return '\n'.join(lines)


def format_summary(report: dict) -> str:
    """Return the closing summary lines of a run."""
    def fmt(x, spec='.2f'):
        return 'n/a' if x is None else format(x, spec)

    lat = report['decision_latency_ms']
    ci = report['completion_ci95']
    lines = [
        f"map {report['map']}, agent {report['agent']}, seed {report['seed']}, "
        f"{len(report['episodes'])} episodes ({report['clock']})",
        f"completion {fmt(report['completion_rate'])} (Wilson 95 % "
        f"[{fmt(ci[0])}, {fmt(ci[1])}]), median steps (successful) "
        f"{fmt(report['median_steps'], '.1f')}, first episode "
        f"{report['first_episode_steps']} steps, BFS shortest "
        f"{report.get('bfs_shortest_steps', 'n/a')}",
        f"decision latency (pose in -> cmd_vel out, wall clock) median "
        f"{fmt(lat['median'], '.3f')} ms, p99 {fmt(lat['p99'], '.3f')} ms over {lat['n']} "
        f"decisions at {report['control_frequency_hz']} Hz",
        f"wall {report['wall_time_s']:.1f} s for {report['sim_time_s']:.1f} s of sim time",
    ]
    head = report.get('headless')
    if head is not None:
        lines.append('headless runner, same seed: '
                     + ('same cell sequence in every episode' if head['same_cell_sequence']
                        else f"cell sequences differ from episode "
                             f"{head['first_different_episode']}"))
    return '\n'.join(lines)


def plot(report: dict, directory: str) -> List[str]:
    """Write the learning curve (and latency histogram) PNGs into ``directory``."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    os.makedirs(directory, exist_ok=True)
    paths = []
    eps = report['episodes']
    x = np.arange(1, len(eps) + 1)
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    steps = [e['steps'] for e in eps]
    ax.plot(x, steps, 'o-', label='closed loop (ROS 2 sim + navigator)')
    fail_x = [i + 1 for i, e in enumerate(eps) if not e['success']]
    if fail_x:
        ax.plot(fail_x, [steps[i - 1] for i in fail_x], 'rx', label='not reached')
    head = report.get('headless')
    if head and head['steps']:
        ax.plot(np.arange(1, len(head['steps']) + 1), head['steps'], '--', color='grey',
                label='headless, same seed')
    if report.get('bfs_shortest_steps'):
        ax.axhline(report['bfs_shortest_steps'], color='green', linestyle=':',
                   label='BFS shortest path')
    ax.set_xlabel('episode')
    ax.set_ylabel('steps to goal (decisions)')
    ax.set_title(f"{report['map']}: {report['agent']}, seed {report['seed']}")
    ax.legend()
    fig.tight_layout()
    path = os.path.join(directory, 'closed_loop_learning_curve.png')
    fig.savefig(path, dpi=120)
    plt.close(fig)
    paths.append(path)
    return paths


def read_params_file(path: Optional[str]) -> Dict[str, Any]:
    """Load the YAML parameter document (empty when ``path`` is None)."""
    return load_document(path) if path else {}
