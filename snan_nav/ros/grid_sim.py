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
"""``grid_sim``: a grid-world robot simulator node (thin lifecycle wrapper of :class:`GridSim`).

Loads ``builtin:NAME`` or a nav2 map YAML, integrates unicycle kinematics with collisions
against occupied map cells, runs episodes from the start to the goal planning cell and resets
(teleports) after success, budget or stall. Episodes are counted on the same planning grid
as the navigator's (``cell_size``, ``robot_radius``: :mod:`snan_nav.ros.planning`). Seeded
and deterministic: the same seed and command sequence give the same trajectory.

Lifecycle (:mod:`snan_nav.ros.lifecycle`): ``configure`` loads the map, ``activate`` publishes
it and starts simulating, ``deactivate`` pauses the simulation; ``autostart`` (default true)
does both at start-up.

Time: the simulator owns the clock when ``publish_clock`` is true: every tick advances sim time
by ``1 / update_rate`` s and is published on ``/clock``; ticks run ``speed_factor`` times faster
than real time, or, with ``lockstep``, one tick per received ``cmd_vel`` (as fast as the
navigator answers; ``lockstep_timeout`` s of wall time without a command advance one idle
tick). Lockstep matches a command to the tick it answers by its stamp, so it needs
``enable_stamped_cmd_vel`` (TwistStamped, stamped with the navigator's clock) on both nodes and
the navigator's ``control_frequency`` equal to ``update_rate``.

Topics: pub ``map`` and ``map_metadata`` (reliable, transient local, depth 1), ``odom``
(reliable, depth 10), ``/clock``, ``goal_pose`` (reliable, transient local, depth 1; one
message per episode: a navigator that (re)starts mid-episode receives the current goal),
``~/episode`` (std_msgs/String JSON per episode, transient local, depth 100),
``/diagnostics`` (every second of wall time: ticks, episodes, unknown parameters), tf
``odom->base_frame`` and static ``map->odom`` (only when tf2_ros is importable); sub
``cmd_vel`` (Twist, or TwistStamped with ``enable_stamped_cmd_vel``) and ``initialpose``.
"""
import json
import math
import time

from diagnostic_msgs.msg import DiagnosticArray
from geometry_msgs.msg import PoseStamped, PoseWithCovarianceStamped, Twist, TwistStamped
from nav_msgs.msg import MapMetaData, OccupancyGrid, Odometry
from rclpy.clock import Clock, ClockType
from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy
from rclpy.time import Time
from rosgraph_msgs.msg import Clock as ClockMsg
from std_msgs.msg import String

from snan_nav.ros import nav_messages, ros_params, sim_messages
from snan_nav.ros.conversions import grid_cell_center, make_pose, pose_xy_yaw
from snan_nav.ros.lifecycle import ManagedNode
from snan_nav.ros.node_runner import run_node
from snan_nav.ros.planning import closed_doors_warning
from snan_nav.ros.ros_params import StartupError
from snan_nav.ros.sim_core import GridSim, SUCCESS
from snan_nav.ros.sim_params import NODE_NAME, SIM_PARAMS  # noqa: F401 (re-exported)
from snan_nav.ros.sim_world import load_sim_world
from snan_nav.ros.topic_types import TypeMismatchMonitor

LATCHED = QoSProfile(depth=1, reliability=ReliabilityPolicy.RELIABLE,
                     durability=DurabilityPolicy.TRANSIENT_LOCAL)
HISTORY = QoSProfile(depth=100, reliability=ReliabilityPolicy.RELIABLE,
                     durability=DurabilityPolicy.TRANSIENT_LOCAL)


class GridSimNode(ManagedNode):
    """The simulator node (see the module docstring for topics and parameters).

    Attach a :class:`~snan_nav.ros.trace.Trace` to :attr:`trace` to record every tick.
    """

    def __init__(self, **node_kwargs):
        super().__init__(NODE_NAME, **node_kwargs)
        v = self.values = ros_params.declare(self, SIM_PARAMS)
        self.config_warnings = []
        self.add_config_warnings(ros_params.unknown_overrides(self, v))
        if v['lockstep'] and not (v['publish_clock'] and v['enable_stamped_cmd_vel']):
            raise StartupError('lockstep needs publish_clock:=true and '
                               'enable_stamped_cmd_vel:=true (the simulator owns the clock and '
                               'matches each command to a tick by its stamp)')
        self.dt = 1.0 / v['update_rate']
        self.dt_ns = int(round(1e9 / v['update_rate']))
        self.trace = None
        self.sim = None
        self.tick_errors = 0
        self._entities = []
        self._timer = None
        if v['autostart']:
            self.autostart()

    # --- lifecycle ---------------------------------------------------------------------------
    def configure(self) -> None:
        """Load the map and planning grid, create the simulator and the topics."""
        v = self.values
        world = load_sim_world(v)
        self.grid, self.plan_grid, self.occupancy = world.grid, world.plan, world.occupancy
        try:
            self.sim = GridSim(world.grid, world.start, world.goal, v['seed'], v['budget'],
                               v['stall_timeout'], v['random_start'], plan=world.plan)
        except ValueError as exc:
            raise StartupError(str(exc)) from None
        self.ticks = 0
        self.cmd = (0.0, 0.0)
        self.cmd_time_s = -math.inf
        self.cmd_fresh = False
        self.cmds_in_episode = 0
        self.navigator_silent = False  # an episode passed without a single cmd_vel
        # Per diagnostics period: commands received, ticks, ticks run on a stale command.
        self.cmd_window = [0, 0, 0]
        self.last_step_wall = time.monotonic()
        self.reset_at = 0.0
        self.finished = []
        self.done = False
        pub = self.create_publisher
        self.map_pub = pub(OccupancyGrid, 'map', LATCHED)
        self.meta_pub = pub(MapMetaData, 'map_metadata', LATCHED)
        self.odom_pub = pub(Odometry, 'odom', 10)
        self.goal_pub = pub(PoseStamped, 'goal_pose', LATCHED)
        self.episode_pub = pub(String, '~/episode', HISTORY)
        self.clock_pub = pub(ClockMsg, '/clock', 10) if v['publish_clock'] else None
        self.diag_pub = pub(DiagnosticArray, '/diagnostics', 10)
        self._entities = [self.map_pub, self.meta_pub, self.odom_pub, self.goal_pub,
                          self.episode_pub, self.diag_pub] + (
                              [self.clock_pub] if self.clock_pub else [])
        self._entities.append(self.create_timer(
            1.0, self._publish_diagnostics, clock=Clock(clock_type=ClockType.STEADY_TIME)))
        sub = self.create_subscription
        cmd_type = TwistStamped if v['enable_stamped_cmd_vel'] else Twist
        self.cmd_types = TypeMismatchMonitor(self, 'cmd_vel', cmd_type, publishers=True)
        self._entities += [
            sub(cmd_type, 'cmd_vel', self._on_cmd, 10),
            sub(PoseWithCovarianceStamped, 'initialpose', self._on_initialpose, 10)]
        self.tf = sim_messages.make_tf_publisher(self, v) if v['publish_tf'] else None
        self._odom = sim_messages.OdometryMessage(v['odom_frame'], v['base_frame'])
        self.sim.teleport_cell(self.sim.start, v['start_yaw'])
        self.get_logger().info(
            f"map {v['map']}: {world.summary}; start {self.sim.start}, goal {self.sim.goal}, "
            f"{v['update_rate']} Hz, "
            + ('lockstep' if v['lockstep'] else f"speed x{v['speed_factor']}")
            + (', publishing /clock' if v['publish_clock'] else ''))
        split = closed_doors_warning(world.plan)
        if split:
            self.get_logger().warning(split)

    def activate(self) -> None:
        """Publish the map and the state, then start simulating."""
        v = self.values
        self._publish_map()
        self._publish_state()
        steady = Clock(clock_type=ClockType.STEADY_TIME)
        if v['lockstep']:
            period = min(v['lockstep_timeout'], 0.05)
            self._timer = self.create_timer(period, self._on_lockstep_timeout, clock=steady)
        else:
            self._timer = self.create_timer(self.dt / v['speed_factor'], self._tick,
                                            clock=steady)

    def deactivate(self) -> None:
        """Pause the simulation (sim time stands still)."""
        if self._timer is not None:
            self.destroy_timer(self._timer)
            self._timer = None

    def cleanup(self) -> None:
        """Destroy the topics and forget the simulator."""
        for entity in self._entities:
            destroy = {'Subscription': self.destroy_subscription,
                       'Timer': self.destroy_timer}.get(type(entity).__name__,
                                                        self.destroy_publisher)
            destroy(entity)
        self._entities = []
        self.tf = None
        self.sim = None

    def add_config_warnings(self, warnings) -> None:
        """Log configuration warnings (unknown parameters) and keep them for /diagnostics."""
        for text in warnings:
            self.get_logger().warning(text)
            self.config_warnings.append(text)

    def _publish_diagnostics(self) -> None:
        sim = self.sim
        values = {'lifecycle_state': self.lifecycle_state, 'ticks': str(self.ticks),
                  'sim_time_s': f'{sim.time_s:.3f}', 'episodes_started':
                  str(sim.episodes_started), 'episodes_finished': str(len(self.finished))}
        if self.config_warnings:
            values['unknown_parameters'] = ' | '.join(self.config_warnings)
        level = 1 if self.config_warnings else 0
        mismatch = self.cmd_types.check() if self.is_active else ''
        if mismatch:
            values['cmd_vel_type_mismatch'] = mismatch
            level = 1
        lagging = self._navigator_lag()
        if lagging:
            values['cmd_vel_stale'] = lagging
            level = 1
            self.get_logger().warning(lagging, throttle_duration_sec=10.0)
        self.diag_pub.publish(nav_messages.diagnostic_array(
            self.get_fully_qualified_name(), level, 'simulating' if self.is_active else
            self.lifecycle_state, values, self._stamp(), 'simulator'))

    def _navigator_lag(self) -> str:
        """Return why the navigator lagged this diagnostics period ('' if not); restart counts.

        A navigator that publishes (at least two commands this period) while most ticks still
        run on a command older than ``cmd_timeout`` answers slower than the simulation runs:
        the robot mostly stands still and episodes stall for reasons that are not its own.
        """
        received, ticks, stale = self.cmd_window
        self.cmd_window = [0, 0, 0]
        if received < 2 or ticks < 10 or 2 * stale <= ticks:
            return ''
        v = self.values
        return (f'{100 * stale // ticks} % of the last {ticks} ticks ran on a cmd_vel older '
                f"than cmd_timeout {v['cmd_timeout']:g} s of simulated time: the navigator "
                f"does not keep up with speed_factor {v['speed_factor']:g} (lower it, or run "
                'lockstep)')

    # --- time --------------------------------------------------------------------------------
    def _sim_ns(self) -> int:
        return self.ticks * self.dt_ns

    def _stamp(self):
        if self.values['publish_clock']:
            return Time(nanoseconds=self._sim_ns()).to_msg()
        return self.get_clock().now().to_msg()

    # --- callbacks ---------------------------------------------------------------------------
    def _on_cmd(self, msg) -> None:
        twist = msg.twist if isinstance(msg, TwistStamped) else msg
        v, w = float(twist.linear.x), float(twist.angular.z)
        if not (math.isfinite(v) and math.isfinite(w)):
            self.get_logger().warning('ignored non-finite cmd_vel', throttle_duration_sec=2.0)
            return
        self.cmd = (v, w)
        self.cmd_time_s = self.sim.time_s
        self.cmd_fresh = True
        self.cmds_in_episode += 1
        self.cmd_window[0] += 1
        if self.navigator_silent:
            self.navigator_silent = False
            self.get_logger().info('cmd_vel again: episodes resume')
        if self.values['lockstep'] and self._timer is not None:
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
            if self.is_active:
                self._publish_state()
        else:
            self.get_logger().warning(f'initialpose ({x:.2f}, {y:.2f}) is in an occupied or '
                                      'off-map cell: ignored')

    def _tick(self) -> None:
        """Advance one simulation tick, then handle episodes and publish the state."""
        try:
            self._step()
        except Exception as exc:  # noqa: BLE001 -- keep simulating
            self.tick_errors += 1
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
            self.cmd_window[1] += 1
            self.cmd_window[2] += int(stale)
        self.cmd_fresh = False
        self.ticks += 1
        sim = self.sim
        sim.step(cmd[0], cmd[1], self.dt)
        sim.time_s = self.ticks * self.dt
        if self.trace is not None:
            self.trace.add(sim.time_s, sim.x, sim.y, sim.yaw, cmd[0], cmd[1],
                           sim.episode.index if sim.episode is not None else 0)
        outcome = sim.check_episode()
        if outcome is not None:
            self._end_episode(outcome)
        reset_goal = False
        if sim.episode is None and self.reset_at is not None and sim.time_s >= self.reset_at:
            if not v['wait_for_goal_subscriber'] or (
                    self.goal_pub.get_subscription_count() > 0 and not self.navigator_silent):
                self.cmds_in_episode = 0
                sim.new_episode()
                sim.yaw = v['start_yaw']
                self.reset_at = None
                reset_goal = True
        self._publish_state()
        if reset_goal:
            self._publish_goal()

    def _end_episode(self, outcome: str) -> None:
        ep = self.sim.finish(outcome)
        summary = ep.summary()
        self.finished.append(summary)
        self.episode_pub.publish(String(data=json.dumps(summary)))
        text = (f'episode {ep.index}: {outcome} after {ep.steps} cell entries, '
                f'{summary["sim_time_s"]:.1f} s')
        if outcome == SUCCESS:   # one severity per logging call site (rclpy's rule)
            self.get_logger().info(text)
        else:
            self.get_logger().warning(text)
        self.reset_at = self.sim.time_s + self.values['reset_delay']
        if self.cmds_in_episode == 0 and outcome != SUCCESS and not self.navigator_silent:
            # No navigator drove this episode (it died, is inactive or not started): a killed
            # process stays a goal_pose subscriber until DDS's lease expires (about 20 s), and
            # until then every episode would end the same way.
            self.navigator_silent = True
            self.get_logger().warning(
                f'episode {ep.index} ended without a single cmd_vel: the next episode starts '
                'when a navigator publishes cmd_vel')
        max_ep = self.values['max_episodes']
        if max_ep and self.sim.episodes_started >= max_ep:
            self.done = True
            self.reset_at = None
            self.get_logger().info(f'{max_ep} episodes done')

    # --- outputs -----------------------------------------------------------------------------
    def _publish_map(self) -> None:
        msg = sim_messages.occupancy_message(self.occupancy, self.grid,
                                             self.values['map_frame'], self._stamp())
        self.map_pub.publish(msg)
        self.meta_pub.publish(msg.info)

    def _publish_goal(self) -> None:
        msg = PoseStamped()
        msg.header.frame_id = self.values['map_frame']
        msg.header.stamp = self._stamp()
        x, y = grid_cell_center(self.plan_grid, self.sim.goal)
        msg.pose = make_pose(x, y, 0.0)
        self.goal_pub.publish(msg)
        self.get_logger().info(f'episode {self.sim.episodes_started}: goal {self.sim.goal}, '
                               f'start {self.sim.episode.start}')

    def _publish_state(self) -> None:
        stamp = self._stamp()
        sim = self.sim
        # /clock first: a pose stamped ahead of the subscriber's clock is refused as from the
        # future (one whole tick ahead at low update rates)
        if self.clock_pub is not None:
            self.clock_pub.publish(ClockMsg(clock=stamp))
        self.odom_pub.publish(self._odom.update(stamp, sim.x, sim.y, sim.yaw, sim.v, sim.w))
        if self.tf is not None:
            self.tf.send(stamp, sim.x, sim.y, sim.yaw)


def main(args=None) -> int:
    """Console script ``grid_sim``."""
    return run_node(GridSimNode, NODE_NAME, args,
                    'A grid-world robot simulator: publishes map, odom, goal_pose (and /clock), '
                    'follows cmd_vel,\nruns episodes from start to goal.')


if __name__ == '__main__':
    import sys
    sys.exit(main())
