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

A mixin of :class:`~snan_nav.ros.navigator.SnanNavigator` (it shares the node's state): the
map becomes the planning grid, poses become :class:`~snan_nav.ros.session.PoseSample` s, a
goal becomes a :class:`~snan_nav.ros.session.GoalRequest` that the next control tick turns
into an episode, or a rejection with the reason (diagnostics WARN, logged).
"""
import math
import time

from geometry_msgs.msg import PoseStamped
from nav_msgs.msg import OccupancyGrid, Odometry
from rclpy.time import Time

from snan_nav.ros import watchdog
from snan_nav.ros.conversions import grid_cell_of_point, occupancy_array, pose_xy_yaw
from snan_nav.ros.planning import COARSENING, describe, planning_grid
from snan_nav.ros.session import GoalRequest, PoseSample


class NavigatorInputs:
    """Input callbacks and episode start of the navigator node."""

    def _on_map(self, msg: OccupancyGrid) -> None:
        v = self.values
        try:
            values, resolution, origin = occupancy_array(msg)
            grid = planning_grid(values, resolution, origin, v['cell_size'], v['robot_radius'],
                                 v['occupied_threshold'])
        except ValueError as exc:
            self.get_logger().error(f'rejected map on {self.resolve_topic_name("map")}: {exc}')
            self.fault = f'map rejected: {exc}'
            return
        frame = msg.header.frame_id
        if frame and frame != v['map_frame']:
            self.get_logger().warning(f"map frame_id '{frame}' differs from map_frame "
                                      f"'{v['map_frame']}'; using it as the map frame")
        aborted, dropped = self.session.set_grid(grid)
        if aborted is not None:
            self._finish(aborted)
        if dropped:
            self.get_logger().warning('map geometry changed: the agent restarts with a fresh '
                                      'memory')
        self.map_received_ns = self._now_ns()
        self.fault = ''
        self.get_logger().info(describe(grid, values.shape, resolution) + (
            '' if COARSENING else ' (no coarsening in this build)'))
        self._publish_calcium()

    def _on_odom(self, msg: Odometry) -> None:
        try:
            x, y, yaw = pose_xy_yaw(msg.pose.pose)
        except ValueError as exc:
            return self._warn('bad odom', f'ignored odom: {exc}')
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
            return self._warn('tf', f"no transform {v['map_frame']}->{v['base_frame']}: {exc}")
        t, q = tf.transform.translation, tf.transform.rotation
        yaw = math.atan2(2.0 * (q.w * q.z + q.x * q.y), 1.0 - 2.0 * (q.y * q.y + q.z * q.z))
        stamp = Time.from_msg(tf.header.stamp).nanoseconds
        if self.pose is None or stamp != self.pose.stamp_ns:
            self.pose = PoseSample(float(t.x), float(t.y), yaw, stamp, self._now_ns(),
                                   time.perf_counter())

    def _current_cell(self):
        if self.pose is None or self.session.grid is None:
            return None
        return grid_cell_of_point(self.session.grid, self.pose.x, self.pose.y)

    # --- goals -------------------------------------------------------------------------------
    def _on_goal(self, msg: PoseStamped) -> None:
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
        if stamp != 0 and key == self._last_goal_key:
            return  # the same goal message again (e.g. re-delivered latched sample)
        self._last_goal_key = key
        if not self.is_active:
            return self._reject_goal('the navigator is not active (lifecycle state '
                                     f'{self.lifecycle_state})')
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
