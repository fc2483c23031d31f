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
"""Safety checks of the navigator's state and its throttled warnings (pure, no ROS).

Every control tick asks :func:`tick_hold` whether the robot must stand still: no map, no
pose, a refused pose (:mod:`snan_nav.ros.pose_checks`), a stale pose, a pose off the map or
in an occupied or unknown planning cell. A hold gives a zero command, a throttled warning and
the diagnostic state; only a state with none of these problems lets a non-zero command out.
Levels are the ``diagnostic_msgs/DiagnosticStatus`` byte values.
"""
import time
from typing import Callable, Dict, NamedTuple, Optional, Tuple

from snan_nav.ros.control import ControlLimits
from snan_nav.world.grid import Cell

OK, WARN, ERROR, STALE = 0, 1, 2, 3

#: Warnings with the same key are logged at most once per this many seconds.
WARN_PERIOD_S = 2.0
#: Arrival tolerance is capped at this fraction of a planning cell.
MAX_TOLERANCE_CELLS = 0.45


class Hold(NamedTuple):
    """Why the robot stands still: diagnostic ``state`` and ``level``, warning ``text``."""

    state: str
    text: str
    level: int = WARN


def input_hold(has_map: bool, pose_received_ns: Optional[int], now_ns: int,
               pose_timeout_s: float, map_topic: str, pose_source: str) -> Optional[Hold]:
    """Return the hold for missing or stale inputs, or None when the robot may move.

    ``pose_received_ns``: node-clock time the last pose arrived (None: never); a pose older
    than ``pose_timeout_s`` seconds is stale.
    """
    if not has_map:
        return Hold('waiting for map', f'no map received on {map_topic}')
    if pose_received_ns is None:
        return Hold('waiting for pose', f'no pose received yet ({pose_source})')
    age = (now_ns - pose_received_ns) * 1e-9
    if age > pose_timeout_s:
        return Hold('stale pose', f'pose is {age:.2f} s old (pose_timeout {pose_timeout_s} s): '
                    'stopping', STALE)
    return None


class TickState(NamedTuple):
    """What a control tick knows about its inputs.

    ``pose_received_ns``: node-clock arrival of the last usable pose (None: none yet);
    ``pose_problem``: why the newest pose was refused ('' when it was usable); ``cell``: the
    robot's planning cell (None: off the map or no pose); ``cell_free``: whether it is free;
    ``map_topic`` and ``pose_source``: names for the messages.
    """

    has_map: bool
    pose_received_ns: Optional[int]
    pose_problem: str
    now_ns: int
    pose_timeout_s: float
    cell: Optional[Cell]
    cell_free: bool
    map_topic: str = 'map'
    pose_source: str = 'odom'


def tick_hold(t: TickState) -> Optional[Hold]:
    """Return the hold for the first problem of ``t`` (see the module), None when none."""
    hold = input_hold(t.has_map, t.pose_received_ns, t.now_ns, t.pose_timeout_s,
                      t.map_topic, t.pose_source) if not t.pose_problem or not t.has_map \
        else None
    if hold is not None:
        return hold
    if t.pose_problem:
        return Hold('invalid pose', f'pose refused ({t.pose_problem}): stopping', ERROR)
    if t.cell is None:
        return Hold('off map', 'robot pose is outside the map: stopping', ERROR)
    if not t.cell_free:
        return Hold('in blocked cell', f'robot pose lies in planning cell {tuple(t.cell)}, '
                    'which is occupied or unknown (or within robot_radius of an obstacle): '
                    'stopping', ERROR)
    return None


def capped_limits(limits: ControlLimits,
                  cell_size: float) -> Tuple[ControlLimits, Optional[str]]:
    """Cap the arrival tolerance at 0.45 of a planning cell (m); return the reason if capped."""
    cap = MAX_TOLERANCE_CELLS * cell_size
    if limits.xy_tolerance <= cap:
        return limits, None
    return limits._replace(xy_tolerance=cap), (
        f'xy_goal_tolerance {limits.xy_tolerance} m exceeds 0.45 planning cell ({cap:.3f} m); '
        f'using {cap:.3f} m')


class Throttle:
    """Let a message with a given key through at most once per ``period_s`` (monotonic)."""

    def __init__(self, period_s: float = WARN_PERIOD_S,
                 clock: Callable[[], float] = time.monotonic):
        self.period_s = float(period_s)
        self._clock = clock
        self._last: Dict[str, float] = {}

    def ready(self, key: str) -> bool:
        """Return True (and remember the time) when ``key`` may be logged now."""
        now = self._clock()
        if now - self._last.get(key, -float('inf')) >= self.period_s:
            self._last[key] = now
            return True
        return False
