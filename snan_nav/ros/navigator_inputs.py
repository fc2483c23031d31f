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
"""The navigator's inputs and goal handling: map, pose (odom or tf), goal_pose, episode start.

A mixin of :class:`~snan_nav.ros.navigator.SnanNavigator` (it shares the node's state). Maps
go to a worker thread (:class:`~snan_nav.ros.map_intake.MapIntake`) and come back as
planning grids that the control loop applies; poses are checked
(:mod:`snan_nav.ros.pose_checks`) before they become :class:`~snan_nav.ros.session.PoseSample`
s, and a refused pose stops the robot until a good one arrives; a goal becomes a
:class:`~snan_nav.ros.session.GoalRequest` that the next control tick turns into an episode,
or a rejection with the reason (diagnostics WARN, logged). Goals arrive on two subscriptions
of ``goal_pose``: a volatile one (RViz's tool) and a transient-local one that also receives
the goal a simulator latched before this node (re)started, so a restarted navigator resumes
it; the copy a message gets through both is ignored.
"""
from collections import Counter
import time

from geometry_msgs.msg import PoseStamped
from nav_msgs.msg import OccupancyGrid, Odometry
from rclpy.time import Time

from snan_nav.ros import watchdog
from snan_nav.ros.conversions import grid_cell_of_point, occupancy_array, pose_xy_yaw
from snan_nav.ros.map_intake import ACCEPTED
from snan_nav.ros.planning import closed_doors_warning, describe, planning_grid
from snan_nav.ros.pose_checks import check_pose
from snan_nav.ros.session import GoalRequest, PoseSample

#: A goal equal to the previous one (stamp and position) within this wall time is a copy.
GOAL_COPY_WINDOW_S = 1.0


class NavigatorInputs:
    """Input callbacks and episode start of the navigator node."""

    def _reset_inputs(self) -> None:
        """Forget poses, goals and input counters (configure)."""
        self.pose = None
        self.pose_problem = ''
        self.rejected = Counter()
        self.renormalised = 0
        self._last_goal = (None, 0.0)
        self.map_received_ns = self.goal_received_ns = self.goal_request = None
        self._split_warned = None  # the planning-grid warning last logged (not on every map)

    # --- map -------------------------------------------------------------------------------
    def _on_map(self, msg: OccupancyGrid) -> None:
        reason = self.intake.offer(msg)
        if reason:
            self._map_rejected(reason)

    def _convert_map(self, msg: OccupancyGrid):
        """Return ``(planning grid, fine shape, resolution, frame)`` (worker thread)."""
        v = self.values
        values, resolution, origin = occupancy_array(msg)
        grid = planning_grid(values, resolution, origin, v['cell_size'], v['robot_radius'],
                             v['occupied_threshold'])
        return grid, values.shape, resolution, msg.header.frame_id

    def _poll_map(self) -> None:
        """Apply the newest processed map, if any (executor thread only)."""
        result = self.intake.poll()
        if result is None:
            return
        if result.status != ACCEPTED:
            return self._map_rejected(result.reason)
        grid, shape, resolution, frame = result.value
        v = self.values
        if frame and frame != v['map_frame']:
            self._warn('map frame', f"map frame_id '{frame}' differs from map_frame "
                       f"'{v['map_frame']}': the map is taken as lying in '{v['map_frame']}', "
                       f"and goals and poses must be in '{v['map_frame']}' (start the node "
                       f"with map_frame:={frame} to use the map's frame)")
        aborted, dropped = self.session.set_grid(grid)
        if aborted is not None:
            self._finish(aborted)
        if dropped:
            self.get_logger().warning('map geometry changed: the agent restarts with a fresh '
                                      'memory')
        self.map_received_ns = self._now_ns()
        if self.fault.startswith('map rejected'):
            self.fault = ''
        self.get_logger().info(describe(grid, shape, resolution))
        split = closed_doors_warning(grid)
        if split and split != self._split_warned:
            self.get_logger().warning(split)
        self._split_warned = split
        self._publish_calcium()

    def _map_rejected(self, reason: str) -> None:
        self.rejected['map'] += 1
        self.fault = f'map rejected: {reason}'
        self._warn('map rejected: ' + reason, f'rejected map on {self._input_names[0]}: {reason}'
                   + (' (keeping the previous map)' if self.session.grid is not None else ''),
                   error=True)

    # --- pose ------------------------------------------------------------------------------
    def _accept_pose(self, x, y, q, frame, stamp_msg, frames) -> None:
        """Check a pose; keep it, or refuse it and hold the robot until a good one arrives."""
        stamp = Time.from_msg(stamp_msg).nanoseconds
        now = self._now_ns()
        result = check_pose(x, y, q, frame, frames, stamp, now, self.values['pose_timeout'],
                            self.values['max_stamp_skew'])
        if result.pose is None:
            self.rejected[result.category] += 1
            self.pose_problem = f'{result.category}: {result.reason}'
            return self._warn('pose ' + result.category, f'pose refused, robot stopped: '
                              f'{result.category}: {result.reason}')
        self.renormalised += int(result.renormalised)
        self.pose_problem = ''
        px, py, yaw = result.pose
        last = self.pose
        if last is None or stamp != last.stamp_ns or (px, py) != (last.x, last.y):
            self.pose = PoseSample(px, py, yaw, stamp, now, time.perf_counter())

    def _on_odom(self, msg: Odometry) -> None:
        p, q = msg.pose.pose.position, msg.pose.pose.orientation
        v = self.values
        self._accept_pose(p.x, p.y, (q.x, q.y, q.z, q.w), msg.header.frame_id,
                          msg.header.stamp, (v['odom_frame'], v['map_frame']))

    def _tf_pose(self) -> None:
        v = self.values
        try:
            tf = self._tf_buffer.lookup_transform(v['map_frame'], v['base_frame'], Time())
        except Exception as exc:  # noqa: BLE001 -- tf2 raises several exception types
            return self._warn('tf', f"no transform {v['map_frame']}->{v['base_frame']}: {exc}")
        t, q = tf.transform.translation, tf.transform.rotation
        self._accept_pose(t.x, t.y, (q.x, q.y, q.z, q.w), None, tf.header.stamp, ())

    def _current_cell(self):
        if self.pose is None or self.session.grid is None:
            return None
        return grid_cell_of_point(self.session.grid, self.pose.x, self.pose.y)

    # --- goals -------------------------------------------------------------------------------
    def _on_latched_goal(self, msg: PoseStamped) -> None:
        """Take a goal from the transient-local subscription (maybe latched before a restart)."""
        self._on_goal(msg, latched=True)

    def _on_latched_goal_qos(self, event) -> None:
        """Log at debug level that a volatile goal publisher met the latched subscription."""
        self.get_logger().debug('goal_pose publisher is volatile: its goals arrive through the '
                                'volatile subscription')

    def _on_goal(self, msg: PoseStamped, latched: bool = False) -> None:
        v = self.values
        frame = msg.header.frame_id
        if frame not in ('', v['map_frame']) + (() if v['use_tf_pose'] else (v['odom_frame'],)):
            return self._reject_goal(f"goal frame_id '{frame}' is not {v['map_frame']} (no tf "
                                     'transform of goals)')
        try:
            x, y, _ = pose_xy_yaw(msg.pose)
        except ValueError as exc:
            return self._reject_goal(f'goal pose is invalid: {exc}')
        stamp = Time.from_msg(msg.header.stamp).nanoseconds
        key = (stamp, round(x, 6), round(y, 6))
        last_key, last_wall = self._last_goal
        if key == last_key and (stamp != 0 or time.monotonic() - last_wall < GOAL_COPY_WINDOW_S):
            return  # the same message through the other subscription, or delivered again
        if not self.is_active and not latched:
            return self._reject_goal('the navigator is not active (lifecycle state '
                                     f'{self.lifecycle_state})')
        self._last_goal = (key, time.monotonic())
        if not self.is_active:       # a latched goal waits for activation (a restart resumes it)
            self.goal_request = GoalRequest(x, y, stamp, self._now_ns())
            self.get_logger().info(f'goal ({x:.2f}, {y:.2f}) kept until the navigator is '
                                   'activated')
            return
        if self.session.active:
            self._advance(self._current_cell())
            if self.session.active:
                self.get_logger().info('new goal: the running episode ends unsuccessfully')
                self._finish(self.session.abort('new goal'))
        self.goal_request = GoalRequest(x, y, stamp, self._now_ns())
        self.goal_received_ns = self.goal_request.received_ns

    def _try_start(self) -> None:
        """Turn the pending goal into an episode once a pose newer than the goal is in."""
        goal = self.goal_request
        if goal.stamp_ns and self.pose.stamp_ns < goal.stamp_ns:
            if (self._now_ns() - goal.received_ns) * 1e-9 < self.values['pose_timeout']:
                self.state = 'waiting for a pose newer than the goal'
                return
        self.goal_request = None
        session = self.session
        goal_cell = grid_cell_of_point(session.grid, goal.x, goal.y)
        start = self._current_cell()
        problem = session.goal_problem(start, goal_cell, (goal.x, goal.y))
        if problem:
            return self._reject_goal(problem)
        self.episode_start_ns = self._now_ns()
        t0 = time.perf_counter()
        done = session.start(start, goal_cell)
        self._drain_notices()
        if done is not None:
            self.get_logger().info(f'robot already in goal cell {goal_cell}')
            return self._publish_record(done)
        self.state, self.level = 'navigating', watchdog.OK
        self.get_logger().info(f'episode {session.episode_count}: {start} -> {goal_cell}')
        now = time.perf_counter()
        self.latency.add((now - self.pose.wall_s) * 1e3, (now - t0) * 1e3)
        self._publish_markers()
        self._publish_plan()

    def _reject_goal(self, reason: str) -> None:
        self.goal_request = None
        self.state, self.level, self.fault = 'goal rejected', watchdog.WARN, reason
        self.get_logger().warning(f'goal rejected: {reason}')
        if self.session is not None:
            self.cmd.request_stop()
