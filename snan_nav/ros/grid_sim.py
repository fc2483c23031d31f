"""``grid_sim``: a grid-world robot simulator node (thin wrapper of :class:`GridSim`).

Loads ``builtin:NAME`` or a nav2 map YAML, integrates unicycle kinematics with collisions
against occupied cells, runs episodes from the start to the goal cell and resets (teleports)
after success, budget or stall. Seeded and deterministic: the same seed and command sequence
give the same trajectory.

Time: the simulator owns the clock when ``publish_clock`` is true: every tick advances sim time
by ``1 / update_rate`` s and is published on ``/clock``; ticks run ``speed_factor`` times faster
than real time, or, with ``lockstep``, one tick per received ``cmd_vel`` (as fast as the
navigator answers; ``lockstep_timeout`` s of wall time without a command advance one idle
tick). Lockstep matches a command to the tick it answers by its stamp, so it needs
``enable_stamped_cmd_vel`` (TwistStamped, stamped with the navigator's clock) on both nodes and
the navigator's ``control_frequency`` equal to ``update_rate``.

Topics: pub ``map`` and ``map_metadata`` (reliable, transient local, depth 1), ``odom``
(reliable, depth 10), ``/clock``, ``goal_pose`` (reliable, transient local, depth 1; one
message per episode), ``~/episode`` (std_msgs/String JSON per episode, transient local, depth
100), tf ``odom->base_frame`` and static ``map->odom`` (only when tf2_ros is importable); sub
``cmd_vel`` (Twist, or TwistStamped with ``enable_stamped_cmd_vel``) and ``initialpose``.
"""
import json
import math
import time
from typing import Optional

from geometry_msgs.msg import (PoseStamped, PoseWithCovarianceStamped, TransformStamped, Twist,
                               TwistStamped)
from nav_msgs.msg import MapMetaData, OccupancyGrid, Odometry
from rclpy.clock import Clock, ClockType
from rclpy.node import Node
from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy
from rclpy.time import Time
from rosgraph_msgs.msg import Clock as ClockMsg
from std_msgs.msg import String

from snan_nav.ros import ros_params
from snan_nav.ros.conversions import (grid_cell_center, make_pose, occupancy_from_grid,
                                      pose_xy_yaw, quaternion_from_yaw)
from snan_nav.ros.node_runner import run_node
from snan_nav.ros.ros_params import NodeParam, StartupError
from snan_nav.ros.sim_core import GridSim, SUCCESS
from snan_nav.world.builtin import resolve_map
from snan_nav.world.map_io import MapError

NODE_NAME = 'grid_sim'

SIM_PARAMS = (
    NodeParam('map', 'builtin:paper10', 'builtin:NAME (paper10, open16, fourrooms, mazeN, '
              'randomN) or a nav2 map_server YAML path', read_only=True),
    NodeParam('start_cell', [-1, -1], 'start cell [mx, my]; [-1, -1]: the map\'s start',
              'cells', read_only=True),
    NodeParam('goal_cell', [-1, -1], 'goal cell [mx, my]; [-1, -1]: the map\'s goal', 'cells',
              read_only=True),
    NodeParam('start_yaw', 0.0, 'heading of the robot at each episode start', 'rad',
              -math.pi, math.pi, read_only=True),
    NodeParam('random_start', False, 'draw each start among the free cells connected to the '
              'goal (seeded)', read_only=True),
    NodeParam('seed', 0, 'seed of seeded maps and random starts', '', 0, ros_params.INT32_MAX,
              read_only=True),
    NodeParam('update_rate', 20.0, 'simulation ticks per simulated second', 'Hz', 1.0, 1000.0,
              read_only=True),
    NodeParam('speed_factor', 1.0, 'simulated seconds per wall second (ignored in lockstep)',
              '', 0.01, 1000.0, read_only=True),
    NodeParam('publish_clock', False, 'publish /clock (run the other nodes with '
              'use_sim_time:=true)', read_only=True),
    NodeParam('lockstep', False, 'advance one tick per cmd_vel answering the latest tick (as '
              'fast as the navigator); needs publish_clock and enable_stamped_cmd_vel',
              read_only=True),
    NodeParam('lockstep_timeout', 0.5, 'wall time after which lockstep advances an idle tick',
              's', 0.001, 60.0, read_only=True),
    NodeParam('cmd_timeout', 0.5, 'a command older than this (sim time) is treated as zero; '
              '0 disables', 's', 0.0, 60.0),
    NodeParam('budget', 0, 'cell entries per episode before it fails (0: 4 x free cells)',
              'steps', 0, ros_params.INT32_MAX, read_only=True),
    NodeParam('stall_timeout', 10.0, 'an episode fails after the robot stayed this long in one '
              'cell (0 disables)', 's', 0.0, 1.0e6, read_only=True),
    NodeParam('reset_delay', 0.5, 'sim time between the end of an episode and the reset',
              's', 0.0, 60.0, read_only=True),
    NodeParam('max_episodes', 0, 'episodes to run (0: unlimited)', '', 0,
              ros_params.INT32_MAX, read_only=True),
    NodeParam('wait_for_goal_subscriber', True, 'start an episode only when goal_pose has a '
              'subscriber', read_only=True),
    NodeParam('enable_stamped_cmd_vel', False, 'subscribe geometry_msgs/TwistStamped on '
              'cmd_vel instead of Twist', read_only=True),
    NodeParam('map_frame', 'map', 'map frame (REP-105)', read_only=True),
    NodeParam('odom_frame', 'odom', 'odometry frame (REP-105)', read_only=True),
    NodeParam('base_frame', 'base_link', 'robot base frame (REP-105)', read_only=True),
    NodeParam('publish_tf', True, 'broadcast tf odom->base and static map->odom (needs '
              'tf2_ros)', read_only=True),
)


class GridSimNode(Node):
    """The simulator node (see the module docstring for topics and parameters)."""

    def __init__(self, **node_kwargs):
        super().__init__(NODE_NAME, **node_kwargs)
        v = self.values = ros_params.declare(self, SIM_PARAMS)
        if v['lockstep'] and not (v['publish_clock'] and v['enable_stamped_cmd_vel']):
            raise StartupError('lockstep needs publish_clock:=true and '
                               'enable_stamped_cmd_vel:=true (the simulator owns the clock and '
                               'matches each command to a tick by its stamp)')
        try:
            grid = resolve_map(v['map'], v['seed'])
        except (MapError, ValueError, OSError) as exc:
            raise StartupError(f"map {v['map']!r}: {exc}") from None
        start = self._cell_param('start_cell', grid.start, grid)
        goal = self._cell_param('goal_cell', grid.goal, grid)
        try:
            self.sim = GridSim(grid, start, goal, v['seed'], v['budget'], v['stall_timeout'],
                               v['random_start'])
        except ValueError as exc:
            raise StartupError(str(exc)) from None
        self.grid = grid
        self.dt = 1.0 / v['update_rate']
        self.dt_ns = int(round(1e9 / v['update_rate']))
        self.ticks = 0
        self.cmd = (0.0, 0.0)
        self.cmd_time_s = -math.inf
        self.cmd_fresh = False
        self.last_step_wall = time.monotonic()
        self.reset_at: Optional[float] = 0.0
        self.finished = []
        self.done = False

        latched = QoSProfile(depth=1, reliability=ReliabilityPolicy.RELIABLE,
                             durability=DurabilityPolicy.TRANSIENT_LOCAL)
        self.map_pub = self.create_publisher(OccupancyGrid, 'map', latched)
        self.meta_pub = self.create_publisher(MapMetaData, 'map_metadata', latched)
        self.odom_pub = self.create_publisher(Odometry, 'odom', 10)
        self.goal_pub = self.create_publisher(PoseStamped, 'goal_pose', latched)
        self.episode_pub = self.create_publisher(
            String, '~/episode', QoSProfile(depth=100, reliability=ReliabilityPolicy.RELIABLE,
                                            durability=DurabilityPolicy.TRANSIENT_LOCAL))
        self.clock_pub = (self.create_publisher(ClockMsg, '/clock', 10)
                          if v['publish_clock'] else None)
        stamped = v['enable_stamped_cmd_vel']
        self.create_subscription(TwistStamped if stamped else Twist, 'cmd_vel',
                                 self._on_cmd, 10)
        self.create_subscription(PoseWithCovarianceStamped, 'initialpose',
                                 self._on_initialpose, 10)
        self._setup_tf()

        self.sim.teleport_cell(self.sim.start, v['start_yaw'])
        self._publish_map()
        self._publish_state()
        steady = Clock(clock_type=ClockType.STEADY_TIME)
        if v['lockstep']:
            period = min(v['lockstep_timeout'], 0.05)
            self.create_timer(period, self._on_lockstep_timeout, clock=steady)
        else:
            self.create_timer(self.dt / v['speed_factor'], self._tick, clock=steady)
        self.get_logger().info(
            f"map {v['map']} ({grid.width}x{grid.height}, {grid.resolution} m cells), start "
            f"{self.sim.start}, goal {self.sim.goal}, {v['update_rate']} Hz, "
            + ('lockstep' if v['lockstep'] else f"speed x{v['speed_factor']}")
            + (', publishing /clock' if v['publish_clock'] else ''))

    # --- set-up ----------------------------------------------------------------------------
    def _cell_param(self, name, default, grid):
        value = [int(c) for c in self.values[name]]
        if len(value) != 2:
            raise StartupError(f'{name} must be [mx, my], got {value}')
        if value == [-1, -1]:
            if default is None:
                raise StartupError(f'{name} is not set and the map defines none')
            return tuple(default)
        if not grid.is_free(tuple(value)):
            raise StartupError(f'{name} {value} is blocked or outside the '
                               f'{grid.width}x{grid.height} map')
        return tuple(value)

    def _setup_tf(self) -> None:
        self.tf_broadcaster = None
        if not self.values['publish_tf']:
            return
        try:
            from tf2_ros import StaticTransformBroadcaster, TransformBroadcaster
        except ImportError:
            self.get_logger().info('tf not published: tf2_ros cannot be imported (it is not '
                                   'among the pip wheels); odom is published as usual')
            return
        self.tf_broadcaster = TransformBroadcaster(self)
        self.static_broadcaster = StaticTransformBroadcaster(self)
        t = TransformStamped()
        t.header.stamp = self._stamp()
        t.header.frame_id = self.values['map_frame']
        t.child_frame_id = self.values['odom_frame']
        t.transform.rotation.w = 1.0
        self.static_broadcaster.sendTransform(t)

    # --- time ------------------------------------------------------------------------------
    def _sim_ns(self) -> int:
        return self.ticks * self.dt_ns

    def _stamp(self):
        if self.values['publish_clock']:
            return Time(nanoseconds=self._sim_ns()).to_msg()
        return self.get_clock().now().to_msg()

    # --- callbacks -------------------------------------------------------------------------
    def _on_cmd(self, msg) -> None:
        twist = msg.twist if isinstance(msg, TwistStamped) else msg
        v, w = float(twist.linear.x), float(twist.angular.z)
        if not (math.isfinite(v) and math.isfinite(w)):
            self.get_logger().warning('ignored non-finite cmd_vel', throttle_duration_sec=2.0)
            return
        self.cmd = (v, w)
        self.cmd_time_s = self.sim.time_s
        self.cmd_fresh = True
        if self.values['lockstep']:
            # One tick per command that answers the latest tick: a command stamped before
            # it (late, or answering an idle tick) updates the velocity but does not step.
            if Time.from_msg(msg.header.stamp).nanoseconds >= self._sim_ns():
                self._tick()

    def _on_lockstep_timeout(self) -> None:
        if time.monotonic() - self.last_step_wall >= self.values['lockstep_timeout']:
            self._tick()

    def _on_initialpose(self, msg: PoseWithCovarianceStamped) -> None:
        frame = msg.header.frame_id
        if frame not in ('', self.values['map_frame'], self.values['odom_frame']):
            self.get_logger().warning(f"initialpose in frame '{frame}' ignored (map or odom "
                                      'expected)')
            return
        try:
            x, y, yaw = pose_xy_yaw(msg.pose.pose)
        except ValueError as exc:
            self.get_logger().warning(f'initialpose ignored: {exc}')
            return
        if self.sim.teleport(x, y, yaw):
            self.get_logger().info(f'teleported to ({x:.2f}, {y:.2f}, {yaw:.2f})')
            self._publish_state()
        else:
            self.get_logger().warning(f'initialpose ({x:.2f}, {y:.2f}) is in an occupied or '
                                      'off-map cell: ignored')

    def _tick(self) -> None:
        """Advance one simulation tick, then handle episodes and publish the state."""
        try:
            self._step()
        except Exception as exc:  # noqa: BLE001 -- keep simulating
            self.get_logger().error(f'simulation tick failed: {exc}', throttle_duration_sec=2.0)

    def _step(self) -> None:
        v = self.values
        self.last_step_wall = time.monotonic()
        if v['lockstep']:
            cmd = self.cmd if self.cmd_fresh else (0.0, 0.0)
        else:
            timeout = v['cmd_timeout']
            stale = timeout > 0.0 and self.sim.time_s - self.cmd_time_s > timeout
            cmd = (0.0, 0.0) if stale else self.cmd
        self.cmd_fresh = False
        self.ticks += 1
        self.sim.step(cmd[0], cmd[1], self.dt)
        self.sim.time_s = self.ticks * self.dt
        outcome = self.sim.check_episode()
        if outcome is not None:
            ep = self.sim.finish(outcome)
            self.finished.append(ep.summary())
            self.episode_pub.publish(String(data=json.dumps(ep.summary())))
            text = (f'episode {ep.index}: {outcome} after {ep.steps} cell entries, '
                    f'{ep.summary()["sim_time_s"]:.1f} s')
            if outcome == SUCCESS:
                self.get_logger().info(text)
            else:
                self.get_logger().warning(text)
            self.reset_at = self.sim.time_s + v['reset_delay']
            max_ep = v['max_episodes']
            if max_ep and self.sim.episodes_started >= max_ep:
                self.done = True
                self.reset_at = None
                self.get_logger().info(f'{max_ep} episodes done')
        reset_goal = False
        if self.sim.episode is None and self.reset_at is not None and \
                self.sim.time_s >= self.reset_at:
            if not v['wait_for_goal_subscriber'] or self.goal_pub.get_subscription_count() > 0:
                self.sim.new_episode()
                self.sim.yaw = v['start_yaw']
                self.reset_at = None
                reset_goal = True
        self._publish_state()
        if reset_goal:
            self._publish_goal()

    # --- outputs ---------------------------------------------------------------------------
    def _publish_map(self) -> None:
        msg = occupancy_from_grid(self.grid, self.values['map_frame'], self._stamp())
        self.map_pub.publish(msg)
        self.meta_pub.publish(msg.info)

    def _publish_goal(self) -> None:
        msg = PoseStamped()
        msg.header.frame_id = self.values['map_frame']
        msg.header.stamp = self._stamp()
        x, y = grid_cell_center(self.grid, self.sim.goal)
        msg.pose = make_pose(x, y, 0.0)
        self.goal_pub.publish(msg)
        self.get_logger().info(f'episode {self.sim.episodes_started}: goal {self.sim.goal}, '
                               f'start {self.sim.episode.start}')

    def _publish_state(self) -> None:
        v = self.values
        stamp = self._stamp()
        odom = Odometry()
        odom.header.stamp = stamp
        odom.header.frame_id = v['odom_frame']
        odom.child_frame_id = v['base_frame']
        odom.pose.pose = make_pose(self.sim.x, self.sim.y, self.sim.yaw)
        odom.twist.twist.linear.x = self.sim.v
        odom.twist.twist.angular.z = self.sim.w
        self.odom_pub.publish(odom)
        if self.tf_broadcaster is not None:
            t = TransformStamped()
            t.header.stamp = stamp
            t.header.frame_id = v['odom_frame']
            t.child_frame_id = v['base_frame']
            t.transform.translation.x = self.sim.x
            t.transform.translation.y = self.sim.y
            t.transform.rotation = quaternion_from_yaw(self.sim.yaw)
            self.tf_broadcaster.sendTransform(t)
        if self.clock_pub is not None:
            self.clock_pub.publish(ClockMsg(clock=stamp))


def main(args=None) -> int:
    """Console script ``grid_sim``."""
    return run_node(GridSimNode, NODE_NAME, args)


if __name__ == '__main__':
    import sys
    sys.exit(main())
