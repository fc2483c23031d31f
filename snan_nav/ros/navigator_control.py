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
"""The navigator's control loop and safety: one call per control period, active state only.

A mixin of :class:`~snan_nav.ros.navigator.SnanNavigator`. Each tick applies a map the
worker finished, checks the state (:func:`snan_nav.ros.watchdog.tick_hold`: no map, no pose,
a refused or stale pose, off the map, in an occupied or unknown cell -> zero command), starts
a pending goal, reports the robot's planning cell to the session (which asks the agent when a
move completed) and drives toward the target cell centre. Every tick publishes exactly one
command (the lockstep simulator relies on it), measured by the loop monitor (rate, deadline
overruns); an exception inside a tick stops the robot and is reported, never raised.
"""
import time

from snan_nav.ros import watchdog
from snan_nav.ros.control import distance, drive_to, STOP
from snan_nav.ros.conversions import grid_cell_center


class NavigatorControl:
    """Control tick, holds and episode progress of the navigator node."""

    def _on_tick(self) -> None:
        t0 = time.perf_counter()
        try:
            self._tick()
        except Exception as exc:  # noqa: BLE001 -- a callback must never kill the node
            self.exceptions += 1
            self.fault = f'{type(exc).__name__}: {exc}'
            self.level = watchdog.ERROR
            self._warn('exception', f'control loop error (robot stopped): {self.fault}',
                       error=True)
            self.cmd.send(STOP, self._stamp(), force=True)
        finally:
            self.loop.tick(self._now_ns(), time.perf_counter() - t0)

    def _tick_state(self) -> watchdog.TickState:
        session, pose = self.session, self.pose
        cell = self._current_cell()
        return watchdog.TickState(
            session.grid is not None, pose.received_ns if pose is not None else None,
            self.pose_problem, self._now_ns(), self.values['pose_timeout'], cell,
            cell is not None and session.grid.is_free(cell), *self._input_names)

    def _tick(self) -> None:
        self._poll_map()
        if self._tf_buffer is not None:
            self._tf_pose()
        session, pose = self.session, self.pose
        hold = watchdog.tick_hold(self._tick_state())
        if hold is not None:
            return self._hold(hold)
        if self.goal_request is not None:
            self._try_start()
        if not session.active:
            if self.goal_request is None and self.state != 'goal rejected':
                self.state = {None: 'idle', True: 'goal reached',
                              False: 'episode over'}[self.last_success]
                self.level = watchdog.OK
            self.cmd.send(STOP, self._stamp())
            return
        cell = self._current_cell()
        decided, compute_s = self._advance(cell)
        if not session.active:
            self.cmd.send(STOP, self._stamp())
            return
        self.state, self.level = 'navigating', watchdog.OK
        target = session.target
        cmd = STOP
        if target is not None:
            tx, ty = grid_cell_center(session.grid, target)
            cmd = drive_to(pose.x, pose.y, pose.yaw, tx, ty, self._tol_limits())
        self.cmd.send(cmd, self._stamp())
        if decided:
            self.latency.add((time.perf_counter() - pose.wall_s) * 1e3, compute_s * 1e3)
            self._publish_markers()
            self._publish_plan()

    def _hold(self, hold: watchdog.Hold) -> None:
        """Stop the robot: zero velocity, a throttled warning and the diagnostic state."""
        self.state, self.level = hold.state, hold.level
        self.holds[hold.state] += 1
        self._warn(hold.state, hold.text, error=hold.level == watchdog.ERROR)
        self.cmd.send(STOP, self._stamp())

    def _tol_limits(self):
        limits, warning = watchdog.capped_limits(self.limits, self.session.grid.resolution)
        if warning:
            self._warn('tolerance', warning)
        return limits

    def _advance(self, cell):
        """Report the robot's cell to the session; return (decided, agent seconds)."""
        session = self.session
        if not session.active or cell is None:
            return False, 0.0
        target = session.target
        at_centre = False
        if target is not None and cell == target:
            tx, ty = grid_cell_center(session.grid, target)
            at_centre = distance(self.pose.x, self.pose.y, tx, ty) <= \
                self._tol_limits().xy_tolerance
        t0 = time.perf_counter()
        decided, finished = session.advance(cell, at_centre)
        compute_s = time.perf_counter() - t0
        if finished is not None:
            self._finish(finished)
        return decided, compute_s

    def _finish(self, summary) -> None:
        """Publish a finished episode, request one zero command, refresh the displays."""
        if summary is None:
            return
        self._drain_notices()
        self._publish_record(summary)
        self.get_logger().info(f"episode {summary['episode']}: {summary['outcome']} after "
                               f"{summary['steps']} steps ({summary['sim_time_s']:.1f} s)")
        self.cmd.request_stop()
        self._publish_markers()
        self._publish_plan()
        self._publish_calcium()
