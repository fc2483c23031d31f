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
"""What the navigator publishes besides cmd_vel: episodes, markers, plan, calcium, diagnostics.

A mixin of :class:`~snan_nav.ros.navigator.SnanNavigator`; the messages themselves are built
by :mod:`snan_nav.ros.nav_messages`. Displays (markers, plan) are refreshed on decisions and
episode ends only; the plan is asked from the agent only while someone subscribes to it.
"""
import json

import numpy as np
from std_msgs.msg import String

from snan_nav.ros import nav_messages, watchdog
from snan_nav.ros.conversions import calcium_to_occupancy
from snan_nav.ros.session import planner_of


def log_line(logger, level: str, text: str) -> None:
    """Log ``text`` at ``level`` (error, warning, else info).

    rclpy refuses a logging call site whose severity changes between calls, so each severity
    has its own line here.
    """
    if level == 'error':
        logger.error(text)
    elif level == 'warning':
        logger.warning(text)
    else:
        logger.info(text)


class NavigatorOutputs:
    """Publishing helpers of the navigator node."""

    def _publish_record(self, out: dict) -> None:
        """Publish one episode summary (JSON) on ``~/episode`` with its sim time."""
        out['sim_time_s'] = round((self._now_ns() - self.episode_start_ns) * 1e-9, 6)
        self.last_success = bool(out['success'])
        self.episode_pub.publish(String(data=json.dumps(out)))

    def _warn(self, key: str, text: str, error: bool = False) -> None:
        """Log ``text`` at most once per throttle period for ``key``."""
        if self.throttle.ready(key):
            log = self.get_logger()
            log_line(log, 'error' if error else 'warning', text)

    def _drain_notices(self) -> None:
        """Log what the session queued (memory loaded, refused, save failures)."""
        notices = self.session.notices if self.session is not None else ()
        log = self.get_logger()
        while notices:
            level, text = notices.popleft()
            log_line(log, level, text)

    def _publish_markers(self) -> None:
        s = self.session
        if s.grid is not None:
            self.marker_pub.publish(nav_messages.marker_array(
                s.grid, s.goal_cell, s.target, list(s.visits), self.values['map_frame'],
                self._stamp()))

    def _publish_plan(self) -> None:
        """Publish the agent's intended route on ``~/plan`` (an empty path when none)."""
        s = self.session
        length = int(self.values['plan_length'])
        if s.grid is None or length <= 0 or self.plan_pub.get_subscription_count() == 0:
            return
        if planner_of(s.agent) is None:
            return  # this agent cannot tell its route: publish nothing
        self.plan_pub.publish(nav_messages.plan_path(
            s.grid, s.plan(length), self.values['map_frame'], self._stamp()))

    def _publish_calcium(self) -> None:
        s = self.session
        if s is None or s.grid is None:
            return
        agent = s.agent
        ca = np.zeros(s.grid.n_cells)
        scale = 1.0
        if agent is not None and hasattr(agent, 'calcium_map'):
            ca = np.asarray(agent.calcium_map(), dtype=np.float64)
            scale = float(agent.calcium_scale()) if hasattr(agent, 'calcium_scale') else max(
                1e-12, float(ca.max(initial=0.0)))
        if ca.size == s.grid.n_cells:
            self.calcium_pub.publish(calcium_to_occupancy(
                ca, scale, s.grid, self.values['map_frame'], self._stamp()))

    def _publish_diagnostics(self) -> None:
        try:
            self._publish_calcium()
            self.diag_pub.publish(self.diagnostics())
        except Exception as exc:  # noqa: BLE001
            self._warn('diagnostics', f'diagnostics failed: {exc}', error=True)

    def _safety_values(self) -> dict:
        """Return the diagnostics of inputs, watchdogs, loop and memory."""
        s, cmd = self.session, self.cmd
        values = dict(self.loop.summary())
        values.update({
            'clock': self.clock_problem or 'ok',
            'commands_sent': str(cmd.sent),
            'command_limit_violations': str(cmd.violations),
            'exceptions': str(self.exceptions),
            'pose_problem': self.pose_problem or 'none',
            'quaternions_renormalised': str(self.renormalised),
            'memory': s.memory_status,
            'memory_saves': str(s.saves),
        })
        values.update({f'rejected.{k}': str(n) for k, n in sorted(self.rejected.items())})
        values.update({f'holds.{k}': str(n) for k, n in sorted(self.holds.items())})
        values.update({f'maps.{k}': str(n) for k, n in self.intake.counts.items()})
        if self.clock_rate_problem:
            values['clock_rate'] = self.clock_rate_problem
        if cmd.last_violation:
            values['last_command_violation'] = cmd.last_violation
        if self.config_warnings:
            values['unknown_parameters'] = ' | '.join(self.config_warnings)
        return values

    def diagnostics(self):
        """Return the current DiagnosticArray (one status named after the node's full name).

        Its level is at least WARN while unknown parameters were given, /clock is capping
        the loop, cmd_vel has peers of the other message type, the last map was refused, or
        the memory file cannot be saved.
        """
        now = self._now_ns()

        def age(ns):
            return 'never' if ns is None else f'{(now - ns) * 1e-9:.3f}'

        s = self.session
        values = {
            'state': self.state,
            'lifecycle_state': self.lifecycle_state,
            'agent': self.values['agent'],
            'map_age_s': age(self.map_received_ns),
            'pose_age_s': age(self.pose.received_ns if self.pose else None),
            'goal_age_s': age(self.goal_received_ns),
            'episode': str(s.episode_count),
            'episode_active': str(s.active),
            'steps': str(s.steps),
            'episodes_succeeded': str(s.successes),
            'episodes_finished': str(s.finished),
            'decisions': str(s.decision_count),
            'control_frequency_hz': str(self.values['control_frequency']),
        }
        values.update(self.latency.summary())
        values.update(self._safety_values())
        if s.grid is not None:
            values['planning_cell_m'] = f'{s.grid.resolution:g}'
        if self.fault:
            values['last_fault'] = self.fault
        report = getattr(s.agent, 'energy_report', None)
        energy = report() if callable(report) else None
        if isinstance(energy, dict):
            for key, val in nav_messages.flatten(energy).items():
                values['energy.' + key] = val
        level = self.level
        monitor = getattr(self, 'cmd_types', None)
        mismatch = monitor.check() if monitor is not None and self.is_active else ''
        if mismatch:
            values['cmd_vel_type_mismatch'] = mismatch
        # a map source sending garbage stays visible until a good map arrives (fault cleared)
        map_refused = self.fault.startswith('map rejected')
        # memory that is not being kept must be visible to an aggregator, not only in a value
        memory_lost = s.memory_status.startswith(('save failed', 'refused, not saved'))
        if (self.config_warnings or self.clock_rate_problem or mismatch or map_refused
                or memory_lost):
            level = max(level, watchdog.WARN) if level != watchdog.STALE else level
        return nav_messages.diagnostic_array(self.get_fully_qualified_name(), level,
                                             self.state, values, self._stamp())
