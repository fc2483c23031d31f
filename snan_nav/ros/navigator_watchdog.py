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
"""The navigator's wall-clock watchdog: what must happen even when the node clock stands still.

A mixin of :class:`~snan_nav.ros.navigator.SnanNavigator`. The control timer runs on the node
clock; under ``use_sim_time`` without /clock that clock never advances, and neither would a
timer on it. This watchdog runs on the steady (wall) clock every :data:`PERIOD_S` while the
node is configured and:

- reports a missing /clock: with ``use_sim_time`` and no clock change for ``clock_timeout``
  s of wall time, the state becomes ``no /clock`` (ERROR), a throttled warning is logged and
  zero velocity is published while active;
- warns when ``control_frequency`` exceeds the rate /clock advances at (the loop is capped);
- applies finished maps while the control timer is not running (inactive node);
- logs what the session queued (memory loads, refusals, save failures).
"""
import time

from snan_nav.ros import watchdog
from snan_nav.ros.control import STOP

PERIOD_S = 0.25


class NavigatorWatchdog:
    """Wall-clock checks of the navigator node (see the module docstring)."""

    def _reset_watchdog(self) -> None:
        self.clock_problem = ''
        self.clock_rate_problem = ''
        self._clock_seen = (None, time.monotonic())

    def _use_sim_time(self) -> bool:
        return bool(self.get_parameter('use_sim_time').value)

    def _on_watchdog(self) -> None:
        try:
            if self.timer is None:
                self._poll_map()
            self._check_clock()
            self.clock_rate_problem = self.loop.clock_limited(self._use_sim_time()) or ''
            if self.clock_rate_problem:
                self._warn('clock rate', self.clock_rate_problem)
            self._drain_notices()
        except Exception as exc:  # noqa: BLE001 -- the watchdog must keep running
            self.exceptions += 1
            self._warn('watchdog', f'watchdog error: {type(exc).__name__}: {exc}', error=True)

    def _check_clock(self) -> None:
        timeout = self.values['clock_timeout']
        if timeout <= 0.0 or not self._use_sim_time():
            self.clock_problem = ''
            return
        now_ns, wall = self._now_ns(), time.monotonic()
        seen_ns, seen_wall = self._clock_seen
        if now_ns != seen_ns:
            self._clock_seen = (now_ns, wall)
            self.clock_problem = ''
            return
        stalled = wall - seen_wall
        if stalled < timeout:
            return
        self.clock_problem = (f'no /clock for {stalled:.1f} s of wall time while use_sim_time '
                              'is true (is the simulator running and publishing /clock?)')
        self.state, self.level = 'no /clock', watchdog.ERROR
        self._warn('no clock', self.clock_problem + ': robot stopped')
        if self.is_active:
            self.cmd.send(STOP, self._stamp(), force=True)
