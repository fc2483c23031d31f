"""``snan_navigator``: the SNAN agent on a robot (thin rclpy node).

Callbacks convert messages (:mod:`snan_nav.ros.conversions`) and hand cells to an
:class:`~snan_nav.ros.stepper.EpisodeStepper`, which calls the agent exactly like the headless
runner. A timer on the node clock (``control_frequency``, ``use_sim_time`` works) discretises the
pose, completes moves, asks for decisions and drives to the next cell centre with a bounded
turn-then-drive controller. Missing or stale inputs and unusable goals give zero velocity, a
throttled warning and a diagnostic; no callback exception stops the node.

Topics (relative names, remappable): sub ``map`` (reliable, transient local, depth 1),
``odom`` (best effort, depth 10: matches reliable and best-effort publishers), ``goal_pose``
(reliable, volatile, depth 10: RViz's goal tool; one message starts one episode, a repeated
message with the same stamp and position is ignored); pub ``cmd_vel`` (Twist or TwistStamped,
reliable, volatile, depth 10), ``/diagnostics``, ``~/markers``, ``~/astrocyte_calcium``
(reliable, transient local, depth 1), ``~/episode`` (std_msgs/String JSON per episode: steps,
success, outcome, cells, sim_time_s; reliable, transient local, depth 100). The QoS of
``map``, ``odom``, ``goal_pose`` and ``cmd_vel`` can be overridden with the usual
``qos_overrides.<topic>.<publisher|subscription>.<policy>`` parameters.

Frames: with ``use_tf_pose`` false the odom pose is taken as the pose in ``map_frame`` (an
identity ``map->odom``, as in the grid sim and nav2_loopback_sim); with it true the pose is
the tf ``map_frame->base_frame`` (needs tf2_ros).
"""
from collections import deque
import json
import math
import time
from typing import Dict, NamedTuple, Optional

from diagnostic_msgs.msg import DiagnosticArray, DiagnosticStatus, KeyValue
from geometry_msgs.msg import Point, PoseStamped, Twist, TwistStamped
from nav_msgs.msg import OccupancyGrid, Odometry
import numpy as np
from rcl_interfaces.msg import SetParametersResult
from rclpy.node import Node
from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy
from rclpy.qos_overriding_options import QoSOverridingOptions
from rclpy.time import Time
from std_msgs.msg import ColorRGBA, String
from visualization_msgs.msg import Marker, MarkerArray

from snan_nav.agents.registry import AGENT_NAMES, make_agent, SNAN_NAMES
from snan_nav.core.params import SNANParams
from snan_nav.ros import ros_params
from snan_nav.ros.control import Command, ControlLimits, distance, drive_to, STOP
from snan_nav.ros.conversions import (calcium_to_occupancy, grid_cell_center,
                                      grid_cell_of_point, grid_from_occupancy, pose_xy_yaw,
                                      same_geometry)
from snan_nav.ros.node_runner import run_node
from snan_nav.ros.ros_params import NodeParam, StartupError
from snan_nav.ros.stepper import EpisodeStepper
from snan_nav.world.bfs import distances

NODE_NAME = 'snan_navigator'
WARN_PERIOD_S = 2.0
LATENCY_WINDOW = 1000
MAX_LATENCY_LOG = 1_000_000

NAV_PARAMS = (
    NodeParam('map_frame', 'map', 'global frame of the map, goals and markers (REP-105)',
              read_only=True),
    NodeParam('odom_frame', 'odom', 'odometry frame (REP-105)', read_only=True),
    NodeParam('base_frame', 'base_link', 'robot base frame; frame_id of TwistStamped commands',
              read_only=True),
    NodeParam('use_tf_pose', False,
              'take the pose from tf map_frame->base_frame (needs tf2_ros) instead of odom',
              read_only=True),
    NodeParam('control_frequency', 20.0, 'decision and control loop rate (node clock)', 'Hz',
              0.5, 1000.0),
    NodeParam('pose_timeout', 0.5, 'pose older than this stops the robot', 's', 0.001, 3600.0),
    NodeParam('max_linear_vel', 0.5, 'forward speed limit', 'm/s', 0.0, 10.0),
    NodeParam('max_angular_vel', 2.0, 'turn rate limit', 'rad/s', 0.0, 20.0),
    NodeParam('linear_gain', 2.0, 'proportional gain on the distance to the cell centre', '1/s',
              0.01, 100.0),
    NodeParam('angular_gain', 4.0, 'proportional gain on the heading error', '1/s',
              0.01, 100.0),
    NodeParam('xy_goal_tolerance', 0.05,
              'distance to a cell centre counted as arrived (capped at 0.45 cell)', 'm',
              0.001, 10.0),
    NodeParam('heading_tolerance', 0.3, 'heading error above which the robot turns in place',
              'rad', 0.01, math.pi),
    NodeParam('enable_stamped_cmd_vel', False,
              'publish geometry_msgs/TwistStamped instead of Twist on cmd_vel', read_only=True),
    NodeParam('publish_idle_cmd', True,
              'publish zero velocity every control period while idle or holding (false: one '
              'zero command when stopping, then silence)'),
    NodeParam('seed', 0, 'agent random seed (same seed and map: same cell sequence as the '
              'headless runner)', '', 0, ros_params.INT32_MAX, read_only=True),
    NodeParam('agent', 'snan', 'agent variant', '', read_only=True, choices=AGENT_NAMES),
    NodeParam('use_crossbar', False,
              'run the plastic synapses on the emulated VTEAM crossbar (SNAN agents only)',
              read_only=True),
    NodeParam('episode_budget', 0, 'decisions per episode before giving up (0: 4 x free cells, '
              'as headless); applies from the next episode', 'steps', 0, ros_params.INT32_MAX),
    NodeParam('occupied_threshold', 50, 'OccupancyGrid value from which a cell is blocked '
              '(unknown -1 is always blocked)', '', 1, 100, read_only=True),
    NodeParam('diagnostics_period', 1.0, 'period of /diagnostics and the calcium layer', 's',
              0.05, 60.0, read_only=True),
    NodeParam('recent_visits', 50, 'cells shown as recent visits in ~/markers', 'cells',
              0, 100000),
)
SNN_PARAMS = ros_params.snn_params()
CROSSBAR_PARAMS = ros_params.crossbar_params()
ALL_PARAMS = NAV_PARAMS + SNN_PARAMS + CROSSBAR_PARAMS
_BY_NAME = ros_params.by_name(ALL_PARAMS)


class PoseSample(NamedTuple):
    """A pose in the map frame: ``x``, ``y`` (m), ``yaw`` (rad), times of the sample."""

    x: float
    y: float
    yaw: float
    stamp_ns: int
    received_ns: int
    wall_s: float


class GoalRequest(NamedTuple):
    """A goal_pose message waiting to start an episode."""

    x: float
    y: float
    stamp_ns: int
    received_ns: int


def snn_values(values: Dict[str, object]) -> Dict[str, object]:
    """Return the ``snn.*`` entries of a parameter dict without the prefix."""
    n = len(ros_params.SNN_PREFIX)
    return {k[n:]: v for k, v in values.items() if k.startswith(ros_params.SNN_PREFIX)}


def validate(values: Dict[str, object]) -> Optional[str]:
    """Return why a full set of navigator parameter values is inconsistent (None if fine)."""
    for name, value in values.items():
        p = _BY_NAME.get(name)
        if p is not None:
            reason = ros_params.check(p, value)
            if reason:
                return reason
    if values.get('use_crossbar') and values.get('agent') not in SNAN_NAMES:
        return (f"use_crossbar needs a SNAN agent ({', '.join(SNAN_NAMES)}), "
                f"not {values.get('agent')!r}")
    try:
        SNANParams.from_mapping(snn_values(values))
    except (TypeError, ValueError) as exc:
        return f'snn.{exc}' if not str(exc).startswith('snn.') else str(exc)
    try:
        crossbar_config(values)
    except (TypeError, ValueError) as exc:
        return f'crossbar: {exc}'
    return None


def crossbar_config(values: Dict[str, object]):
    """Return the ``CrossbarConfig`` built from the ``crossbar.*`` parameter values."""
    from snan_nav.crossbar.config import CrossbarConfig
    return CrossbarConfig.from_mapping(ros_params.crossbar_values(values))


class SnanNavigator(Node):
    """The navigator node (see the module docstring for topics and parameters)."""

    def __init__(self, **node_kwargs):
        super().__init__(NODE_NAME, **node_kwargs)
        self.values = ros_params.declare(self, ALL_PARAMS)
        reason = validate(self.values)
        if reason:
            raise StartupError(reason)
        self.snn = SNANParams.from_mapping(snn_values(self.values))
        self.crossbar = crossbar_config(self.values) if self.values['use_crossbar'] else None
        v = self.values
        self._tf_buffer = None
        if v['use_tf_pose']:
            self._setup_tf()
        self.limits = self._limits()

        latched = QoSProfile(depth=1, reliability=ReliabilityPolicy.RELIABLE,
                             durability=DurabilityPolicy.TRANSIENT_LOCAL)
        history = QoSProfile(depth=100, reliability=ReliabilityPolicy.RELIABLE,
                             durability=DurabilityPolicy.TRANSIENT_LOCAL)
        # Users may override these QoS with qos_overrides.<topic>.<entity>.<policy> parameters.
        overridable = QoSOverridingOptions.with_default_policies()
        self.create_subscription(OccupancyGrid, 'map', self._on_map, latched,
                                 qos_overriding_options=overridable)
        if not v['use_tf_pose']:
            self.create_subscription(
                Odometry, 'odom', self._on_odom,
                QoSProfile(depth=10, reliability=ReliabilityPolicy.BEST_EFFORT),
                qos_overriding_options=overridable)
        self.create_subscription(PoseStamped, 'goal_pose', self._on_goal, 10,
                                 qos_overriding_options=overridable)
        self._stamped = bool(v['enable_stamped_cmd_vel'])
        self.cmd_pub = self.create_publisher(TwistStamped if self._stamped else Twist,
                                             'cmd_vel', 10, qos_overriding_options=overridable)
        self.diag_pub = self.create_publisher(DiagnosticArray, '/diagnostics', 10)
        self.marker_pub = self.create_publisher(MarkerArray, '~/markers', 10)
        self.calcium_pub = self.create_publisher(OccupancyGrid, '~/astrocyte_calcium', latched)
        self.episode_pub = self.create_publisher(String, '~/episode', history)

        self.grid = None
        self.map_received_ns: Optional[int] = None
        self.pose: Optional[PoseSample] = None
        self.goal_request: Optional[GoalRequest] = None
        self.goal_cell = None
        self.goal_received_ns: Optional[int] = None
        self._last_goal_key = None
        self._agent_goal = None
        self.episode_count = 0
        self.agent = None
        self.stepper: Optional[EpisodeStepper] = None
        self.episode_start_ns = 0
        self.records = []
        self.successes = 0
        self.state = 'waiting for map'
        self.level = DiagnosticStatus.WARN
        self.fault = ''
        self._warned: Dict[str, float] = {}
        self._stopped_sent = False
        self._stop_requested = False
        self._visits = deque(maxlen=max(1, int(v['recent_visits'])))
        self.latency_ms = deque(maxlen=LATENCY_WINDOW)
        self.compute_ms = deque(maxlen=LATENCY_WINDOW)
        self.latency_log_ms = []
        self.decision_count = 0

        self.timer = self.create_timer(1.0 / v['control_frequency'], self._on_tick)
        self.create_timer(v['diagnostics_period'], self._publish_diagnostics)
        self.add_on_set_parameters_callback(self._on_set_parameters)
        self.add_post_set_parameters_callback(self._on_parameters_set)
        self.get_logger().info(
            f"agent {v['agent']} (seed {v['seed']}, crossbar {v['use_crossbar']}), "
            f"{v['control_frequency']} Hz, pose from "
            f"{'tf ' + v['map_frame'] + '->' + v['base_frame'] if v['use_tf_pose'] else 'odom'}"
            f", cmd_vel as {'TwistStamped' if self._stamped else 'Twist'}")

    # --- set-up ----------------------------------------------------------------------------
    def _setup_tf(self) -> None:
        try:
            from tf2_ros import Buffer, TransformListener
        except ImportError:
            raise StartupError('use_tf_pose is true but tf2_ros cannot be imported (it is not '
                               'among the pip wheels): install ros-<distro>-tf2-ros or set '
                               'use_tf_pose:=false to take the pose from odom') from None
        self._tf_buffer = Buffer()
        self._tf_listener = TransformListener(self._tf_buffer, self)

    def _limits(self) -> ControlLimits:
        v = self.values
        return ControlLimits(v['max_linear_vel'], v['max_angular_vel'], v['xy_goal_tolerance'],
                             v['heading_tolerance'], v['linear_gain'], v['angular_gain'])

    def _on_set_parameters(self, params) -> SetParametersResult:
        """Validate a (possibly partial) change against the full parameter set."""
        candidate = dict(self.values)
        for p in params:
            candidate[p.name] = p.value
        reason = validate(candidate)
        return SetParametersResult(successful=reason is None, reason=reason or '')

    def _on_parameters_set(self, params) -> None:
        """Apply an accepted change atomically (callbacks share one exclusive group)."""
        changed = {p.name: p.value for p in params}
        self.values.update(changed)
        self.limits = self._limits()
        if 'control_frequency' in changed:
            self.timer.cancel()
            self.destroy_timer(self.timer)
            self.timer = self.create_timer(1.0 / self.values['control_frequency'],
                                           self._on_tick)
        if 'recent_visits' in changed:
            self._visits = deque(self._visits, maxlen=max(1, int(changed['recent_visits'])))
        if any(name.startswith(ros_params.SNN_PREFIX) for name in changed):
            self.snn = SNANParams.from_mapping(snn_values(self.values))
            self._apply_snn()
        if 'episode_budget' in changed and self.stepper is not None:
            self.stepper.budget = self._budget()
        self.get_logger().info(f'parameters updated: {changed}')

    def _apply_snn(self) -> None:
        agent = self.agent
        if agent is None:
            return
        setter = getattr(agent, 'set_params', None)  # baselines have no SNN parameters
        if setter is not None:
            setter(self.snn)

    def _budget(self) -> Optional[int]:
        budget = int(self.values['episode_budget'])
        return budget if budget > 0 else None

    # --- inputs ----------------------------------------------------------------------------
    def _now_ns(self) -> int:
        return self.get_clock().now().nanoseconds

    def _on_map(self, msg: OccupancyGrid) -> None:
        try:
            grid = grid_from_occupancy(msg, self.values['occupied_threshold'])
        except ValueError as exc:
            self.get_logger().error(f'rejected map on {self._topic("map")}: {exc}')
            self.fault = f'map rejected: {exc}'
            return
        frame = msg.header.frame_id
        if frame and frame != self.values['map_frame']:
            self.get_logger().warning(f"map frame_id '{frame}' differs from map_frame "
                                      f"'{self.values['map_frame']}'; using it as the map frame")
        if self.grid is not None and not same_geometry(self.grid, grid):
            if self.stepper is not None and self.stepper.active:
                self._finish_record(self.stepper.abort('map changed'))
            if self.agent is not None:
                self.get_logger().warning('map geometry changed: the agent restarts with a '
                                          'fresh memory')
            self.agent = None
            self.stepper = None
        self.grid = grid
        if self.stepper is not None:
            self.stepper.set_grid(grid)
        self.map_received_ns = self._now_ns()
        self.fault = ''
        self.get_logger().info(f'map {grid.width}x{grid.height} cells at {grid.resolution} m, '
                               f'{grid.free_count()} free')
        self._publish_calcium()

    def _on_odom(self, msg: Odometry) -> None:
        try:
            x, y, yaw = pose_xy_yaw(msg.pose.pose)
        except ValueError as exc:
            self._warn('bad odom', f'ignored odom: {exc}')
            return
        frame = msg.header.frame_id
        if frame and frame not in (self.values['odom_frame'], self.values['map_frame']):
            self._warn('odom frame', f"odom frame_id '{frame}' is neither odom_frame nor "
                       'map_frame; using it as the map frame')
        stamp = Time.from_msg(msg.header.stamp).nanoseconds
        self.pose = PoseSample(x, y, yaw, stamp, self._now_ns(), time.perf_counter())

    def _tf_pose(self) -> None:
        v = self.values
        try:
            tf = self._tf_buffer.lookup_transform(v['map_frame'], v['base_frame'], Time())
        except Exception as exc:  # noqa: BLE001 -- tf2 raises several exception types
            self._warn('tf', f"no transform {v['map_frame']}->{v['base_frame']}: {exc}")
            return
        t, q = tf.transform.translation, tf.transform.rotation
        yaw = math.atan2(2.0 * (q.w * q.z + q.x * q.y), 1.0 - 2.0 * (q.y * q.y + q.z * q.z))
        stamp = Time.from_msg(tf.header.stamp).nanoseconds
        if self.pose is None or stamp != self.pose.stamp_ns:
            self.pose = PoseSample(float(t.x), float(t.y), yaw, stamp, self._now_ns(),
                                   time.perf_counter())

    def _on_goal(self, msg: PoseStamped) -> None:
        v = self.values
        frame = msg.header.frame_id
        ok_frames = ('', v['map_frame']) + (() if v['use_tf_pose'] else (v['odom_frame'],))
        if frame not in ok_frames:
            self._reject_goal(f"goal frame_id '{frame}' is not {v['map_frame']} (no tf "
                              'transform of goals)')
            return
        try:
            x, y, _ = pose_xy_yaw(msg.pose)
        except ValueError as exc:
            self._reject_goal(f'goal pose is invalid: {exc}')
            return
        stamp = Time.from_msg(msg.header.stamp).nanoseconds
        key = (stamp, round(x, 6), round(y, 6))
        if stamp != 0 and key == self._last_goal_key:
            return  # the same goal message again (e.g. re-delivered latched sample)
        self._last_goal_key = key
        if self.stepper is not None and self.stepper.active:
            self._advance(self._current_cell())
            if self.stepper.active:
                self.get_logger().info('new goal: the running episode ends unsuccessfully')
                self._finish_record(self.stepper.abort('new goal'))
        self.goal_request = GoalRequest(x, y, stamp, self._now_ns())
        self.goal_received_ns = self.goal_request.received_ns

    # --- decision and control loop ----------------------------------------------------------
    def _on_tick(self) -> None:
        try:
            self._tick()
        except Exception as exc:  # noqa: BLE001 -- a callback must never kill the node
            self.fault = f'{type(exc).__name__}: {exc}'
            self.level = DiagnosticStatus.ERROR
            self._warn('exception', f'control loop error (robot stopped): {self.fault}',
                       error=True)
            self._send(STOP, force=True)

    def _tick(self) -> None:
        if self._tf_buffer is not None:
            self._tf_pose()
        if self.grid is None:
            return self._hold('waiting for map', f'no map received on {self._topic("map")}')
        if self.pose is None:
            return self._hold('waiting for pose', 'no pose received yet ('
                              + ('tf' if self._tf_buffer is not None else self._topic('odom'))
                              + ')')
        age = (self._now_ns() - self.pose.received_ns) * 1e-9
        if age > self.values['pose_timeout']:
            return self._hold('stale pose', f'pose is {age:.2f} s old (pose_timeout '
                              f"{self.values['pose_timeout']} s): stopping",
                              level=DiagnosticStatus.STALE)
        if self.goal_request is not None:
            self._try_start()
        if self.stepper is None or not self.stepper.active:
            if self.goal_request is None and self.state not in ('goal rejected',):
                self.state = 'idle' if not self.records else (
                    'goal reached' if self.records[-1]['success'] else 'episode over')
                self.level = DiagnosticStatus.OK
            self._send(STOP)
            return
        cell = self._current_cell()
        if cell is None:
            return self._hold('off map', 'robot pose is outside the map: stopping')
        decided, compute = self._advance(cell)
        if self.stepper is None or not self.stepper.active:
            self._send(STOP)
            return
        self.state = 'navigating'
        self.level = DiagnosticStatus.OK
        if not self.grid.is_free(cell):
            self._warn('blocked pose', f'robot pose lies in blocked cell {cell}')
        target = self.stepper.target
        cmd = STOP
        if target is not None:
            tx, ty = grid_cell_center(self.grid, target)
            cmd = drive_to(self.pose.x, self.pose.y, self.pose.yaw, tx, ty, self._tol_limits())
        self._send(cmd)
        if decided:
            latency = (time.perf_counter() - self.pose.wall_s) * 1e3
            self.latency_ms.append(latency)
            self.compute_ms.append(compute * 1e3)
            if len(self.latency_log_ms) < MAX_LATENCY_LOG:
                self.latency_log_ms.append(latency)
            self._publish_markers()

    def _tol_limits(self) -> ControlLimits:
        cap = 0.45 * self.grid.resolution
        if self.limits.xy_tolerance > cap:
            self._warn('tolerance', f'xy_goal_tolerance {self.limits.xy_tolerance} m exceeds '
                       f'0.45 cell ({cap:.3f} m); using {cap:.3f} m')
            return self.limits._replace(xy_tolerance=cap)
        return self.limits

    def _current_cell(self):
        if self.pose is None or self.grid is None:
            return None
        return grid_cell_of_point(self.grid, self.pose.x, self.pose.y)

    def _advance(self, cell):
        """Report the robot's cell to the stepper; return (decided, compute seconds)."""
        if self.stepper is None or not self.stepper.active or cell is None:
            return False, 0.0
        target = self.stepper.target
        at_centre = False
        if target is not None and cell == target:
            tx, ty = grid_cell_center(self.grid, target)
            at_centre = distance(self.pose.x, self.pose.y, tx, ty) <= \
                self._tol_limits().xy_tolerance
        before = self.stepper.decisions
        t0 = time.perf_counter()
        self.stepper.update(cell, at_centre)
        compute = time.perf_counter() - t0
        decided = self.stepper.decisions > before
        self.decision_count += self.stepper.decisions - before
        if self.stepper.record is not None:
            visited = self.stepper.record.cells
            if visited and (not self._visits or self._visits[-1] != visited[-1]):
                self._visits.append(visited[-1])
        if not self.stepper.active:
            self._finish_record(self.stepper.record)
        return decided, compute

    def _try_start(self) -> None:
        goal = self.goal_request
        if goal.stamp_ns and self.pose.stamp_ns < goal.stamp_ns:
            waited = (self._now_ns() - goal.received_ns) * 1e-9
            if waited < self.values['pose_timeout']:
                self.state = 'waiting for a pose newer than the goal'
                return
        self.goal_request = None
        grid = self.grid
        goal_cell = grid_cell_of_point(grid, goal.x, goal.y)
        if goal_cell is None:
            return self._reject_goal(f'goal ({goal.x:.2f}, {goal.y:.2f}) m is outside the map')
        if not grid.is_free(goal_cell):
            return self._reject_goal(f'goal cell {goal_cell} is occupied or unknown')
        start = self._current_cell()
        if start is None or not grid.is_free(start):
            return self._reject_goal(f'robot cell {start} is outside the map or blocked')
        if distances(grid, start)[grid.cell_id(goal_cell)] < 0:
            return self._reject_goal(f'goal cell {goal_cell} cannot be reached from {start}')
        self.goal_cell = goal_cell
        self.episode_start_ns = self._now_ns()
        self.episode_count += 1
        if start == goal_cell:
            self.get_logger().info(f'robot already in goal cell {goal_cell}')
            cid = grid.cell_id(start)
            self._publish_record({'episode': self.episode_count, 'steps': 0, 'success': True,
                                  'outcome': 'already at goal', 'start': cid, 'goal': cid,
                                  'cells': [cid]})
            return
        self._ensure_agent(grid.cell_id(goal_cell))
        t0 = time.perf_counter()
        before = self.stepper.decisions
        self.stepper.start(start, goal_cell)
        self.decision_count += self.stepper.decisions - before
        self._visits.clear()
        self._visits.append(grid.cell_id(start))
        self.state = 'navigating'
        self.level = DiagnosticStatus.OK
        self.get_logger().info(f'episode {self.episode_count}: {start} -> {goal_cell}')
        if self.pose is not None:
            self.latency_ms.append((time.perf_counter() - self.pose.wall_s) * 1e3)
            self.compute_ms.append((time.perf_counter() - t0) * 1e3)
        self._publish_markers()

    def _ensure_agent(self, goal_id: int) -> None:
        v = self.values
        rebuild = self.agent is None or (v['agent'] == 'bfs' and goal_id != self._agent_goal)
        if rebuild:
            self.agent = build_agent(v['agent'], self.grid, goal_id, v['seed'], self.snn,
                                     self.crossbar)
            self._agent_goal = goal_id
            self.stepper = EpisodeStepper(self.agent, self.grid, self._budget())
        else:
            self.stepper.budget = self._budget()
            self.stepper.set_grid(self.grid)

    def _finish_record(self, rec) -> None:
        if rec is None:
            return
        out = rec.summary()
        out['episode'] = self.episode_count
        self._publish_record(out)
        self.get_logger().info(f"episode {self.episode_count}: {rec.outcome} after "
                               f"{rec.steps} steps ({out['sim_time_s']:.1f} s)")
        self._stop_requested = True
        self._publish_markers()
        self._publish_calcium()

    def _publish_record(self, out: dict) -> None:
        out['sim_time_s'] = round((self._now_ns() - self.episode_start_ns) * 1e-9, 6)
        out['start_cell'] = list(self.grid.cell_of(out['start']))
        out['goal_cell'] = list(self.grid.cell_of(out['goal']))
        keys = ('episode', 'steps', 'success', 'outcome', 'sim_time_s')
        self.records.append({k: out[k] for k in keys})
        if out['success']:
            self.successes += 1
        self.episode_pub.publish(String(data=json.dumps(out)))

    def _reject_goal(self, reason: str) -> None:
        self.goal_request = None
        self.state = 'goal rejected'
        self.level = DiagnosticStatus.WARN
        self.fault = reason
        self.get_logger().warning(f'goal rejected: {reason}')
        self._stop_requested = True

    def _hold(self, state: str, reason: str, level=DiagnosticStatus.WARN) -> None:
        """Stop the robot: zero velocity, a throttled warning and the diagnostic state."""
        self.state = state
        self.level = level
        self._warn(state, reason)
        self._send(STOP)

    # --- outputs ---------------------------------------------------------------------------
    def _send(self, cmd: Command, force: bool = False) -> None:
        """Publish ``cmd``; the control loop calls this once per period (lockstep relies on it).

        Zero commands are repeated only with ``publish_idle_cmd`` (or when a stop was
        requested since the last one).
        """
        is_stop = cmd.linear == 0.0 and cmd.angular == 0.0
        force = force or self._stop_requested
        if is_stop and not force and not self.values['publish_idle_cmd'] and \
                self._stopped_sent:
            return
        self._stopped_sent = is_stop
        self._stop_requested = False
        if self._stamped:
            msg = TwistStamped()
            msg.header.stamp = self.get_clock().now().to_msg()
            msg.header.frame_id = self.values['base_frame']
            twist = msg.twist
        else:
            msg = Twist()
            twist = msg
        twist.linear.x = float(cmd.linear)
        twist.angular.z = float(cmd.angular)
        self.cmd_pub.publish(msg)

    def _warn(self, key: str, text: str, error: bool = False) -> None:
        now = time.monotonic()
        if now - self._warned.get(key, -1e9) >= WARN_PERIOD_S:
            self._warned[key] = now
            if error:
                self.get_logger().error(text)
            else:
                self.get_logger().warning(text)

    def _topic(self, name: str) -> str:
        return self.resolve_topic_name(name)

    def _publish_markers(self) -> None:
        if self.grid is None:
            return
        grid = self.grid
        stamp = self.get_clock().now().to_msg()
        frame = self.values['map_frame']
        res = grid.resolution
        markers = MarkerArray()

        def marker(ns, mid, mtype, scale_xy, rgba):
            m = Marker()
            m.header.frame_id = frame
            m.header.stamp = stamp
            m.ns, m.id, m.type = ns, mid, mtype
            m.action = Marker.ADD
            m.pose.orientation.w = 1.0
            m.scale.x = m.scale.y = scale_xy
            m.scale.z = 0.05 * res
            m.color = ColorRGBA(r=rgba[0], g=rgba[1], b=rgba[2], a=rgba[3])
            return m

        if self.goal_cell is not None:
            m = marker('goal', 0, Marker.CYLINDER, 0.7 * res, (0.1, 0.8, 0.1, 0.9))
            m.pose.position.x, m.pose.position.y = grid_cell_center(grid, self.goal_cell)
            markers.markers.append(m)
        target = self.stepper.target if self.stepper is not None else None
        m = marker('next_cell', 1, Marker.CUBE, 0.5 * res, (0.1, 0.3, 1.0, 0.8))
        if target is None:
            m.action = Marker.DELETE
        else:
            m.pose.position.x, m.pose.position.y = grid_cell_center(grid, target)
        markers.markers.append(m)
        m = marker('recent_visits', 2, Marker.CUBE_LIST, 0.3 * res, (1.0, 0.5, 0.0, 0.6))
        n = len(self._visits)
        for i, cid in enumerate(self._visits):
            if not 0 <= cid < grid.n_cells:
                continue
            x, y = grid_cell_center(grid, grid.cell_of(cid))
            m.points.append(Point(x=x, y=y, z=0.0))
            m.colors.append(ColorRGBA(r=1.0, g=0.5, b=0.0, a=0.2 + 0.7 * (i + 1) / n))
        if not m.points:
            m.action = Marker.DELETE
        markers.markers.append(m)
        self.marker_pub.publish(markers)

    def _publish_calcium(self) -> None:
        if self.grid is None:
            return
        agent = self.agent
        ca = np.zeros(self.grid.n_cells)
        scale = 1.0
        if agent is not None and hasattr(agent, 'calcium_map'):
            ca = np.asarray(agent.calcium_map(), dtype=np.float64)
            scale = float(agent.calcium_scale()) if hasattr(agent, 'calcium_scale') else max(
                1e-12, float(ca.max(initial=0.0)))
        if ca.size != self.grid.n_cells:
            return
        self.calcium_pub.publish(calcium_to_occupancy(
            ca, scale, self.grid, self.values['map_frame'], self.get_clock().now().to_msg()))

    def _publish_diagnostics(self) -> None:
        try:
            self._publish_calcium()
            self.diag_pub.publish(self.diagnostics())
        except Exception as exc:  # noqa: BLE001
            self._warn('diagnostics', f'diagnostics failed: {exc}', error=True)

    def diagnostics(self) -> DiagnosticArray:
        """Return the current DiagnosticArray (one status for the navigator)."""
        now = self._now_ns()

        def age(ns):
            return 'never' if ns is None else f'{(now - ns) * 1e-9:.3f}'

        lat = np.asarray(self.latency_ms, dtype=float)
        comp = np.asarray(self.compute_ms, dtype=float)
        stepper = self.stepper
        active = stepper is not None and stepper.active
        values = {
            'state': self.state,
            'agent': self.values['agent'],
            'map_age_s': age(self.map_received_ns),
            'pose_age_s': age(self.pose.received_ns if self.pose else None),
            'goal_age_s': age(self.goal_received_ns),
            'episode': str(self.episode_count),
            'episode_active': str(active),
            'steps': str(stepper.record.steps if stepper and stepper.record else 0),
            'episodes_succeeded': str(self.successes),
            'episodes_finished': str(len(self.records)),
            'decisions': str(self.decision_count),
            'decision_latency_ms_median': f'{np.median(lat):.3f}' if lat.size else 'n/a',
            'decision_latency_ms_p99': f'{np.percentile(lat, 99):.3f}' if lat.size else 'n/a',
            'agent_compute_ms_median': f'{np.median(comp):.3f}' if comp.size else 'n/a',
            'control_frequency_hz': str(self.values['control_frequency']),
        }
        if self.fault:
            values['last_fault'] = self.fault
        report = getattr(self.agent, 'energy_report', None)
        energy = report() if callable(report) else None
        if isinstance(energy, dict):
            for key, val in _flatten(energy).items():
                values['energy.' + key] = val
        status = DiagnosticStatus(level=self.level, name=f'{self.get_name()}: navigation',
                                  hardware_id='snan_nav', message=self.state)
        status.values = [KeyValue(key=k, value=str(val)) for k, val in values.items()]
        msg = DiagnosticArray()
        msg.header.stamp = self.get_clock().now().to_msg()
        msg.status = [status]
        return msg

    def on_shutdown(self) -> None:
        """Send a last zero command (called by the runner before the node is destroyed)."""
        if self.context.ok():
            self._send(STOP, force=True)


def _flatten(d: dict, prefix: str = '') -> Dict[str, str]:
    out = {}
    for k, val in d.items():
        if isinstance(val, dict):
            out.update(_flatten(val, f'{prefix}{k}.'))
        elif isinstance(val, (int, float, str, bool, np.number)):
            out[f'{prefix}{k}'] = f'{val:.6g}' if isinstance(val, (float, np.floating)) else \
                str(val)
    return out


def build_agent(name: str, grid, goal_id: int, seed: int, snn: SNANParams, crossbar=None):
    """Return the agent ``name`` exactly as the headless bench builds it.

    ``crossbar`` (a ``CrossbarConfig``) runs the SNAN synapses on the emulated VTEAM crossbar.
    """
    return make_agent(name, grid, goal_id, seed, snn, crossbar=crossbar)


def main(args=None) -> int:
    """Console script ``snan_navigator``."""
    return run_node(SnanNavigator, NODE_NAME, args)


if __name__ == '__main__':
    import sys
    sys.exit(main())
