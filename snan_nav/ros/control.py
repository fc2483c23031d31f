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
"""A bounded turn-then-drive controller toward a cell centre (pure functions, no ROS).

Units: metres, radians, seconds; velocities in m/s and rad/s.
"""
import math
from typing import NamedTuple

from snan_nav.ros.geometry import wrap_angle


class ControlLimits(NamedTuple):
    """Gains and limits of :func:`drive_to`.

    ``xy_tolerance`` (m): distance to the target counted as arrived; ``heading_tolerance``
    (rad): the robot drives only while its heading error is below it; ``linear_gain`` and
    ``angular_gain`` (1/s): proportional gains; ``max_linear_vel`` (m/s) and
    ``max_angular_vel`` (rad/s): output bounds.
    """

    max_linear_vel: float = 0.5
    max_angular_vel: float = 2.0
    xy_tolerance: float = 0.05
    heading_tolerance: float = 0.3
    linear_gain: float = 2.0
    angular_gain: float = 4.0


class Command(NamedTuple):
    """A velocity command: ``linear`` m/s along +x of the base, ``angular`` rad/s about +z."""

    linear: float
    angular: float


STOP = Command(0.0, 0.0)


def clamp(value: float, bound: float) -> float:
    """Clamp ``value`` to ``[-bound, bound]`` (``bound`` >= 0)."""
    return max(-bound, min(bound, value))


def distance(x: float, y: float, tx: float, ty: float) -> float:
    """Return the Euclidean length in metres from ``(x, y)`` to ``(tx, ty)``."""
    return math.hypot(tx - x, ty - y)


def drive_to(x: float, y: float, yaw: float, tx: float, ty: float,
             limits: ControlLimits) -> Command:
    """Return the command that turns toward ``(tx, ty)`` and drives there.

    Zero inside ``xy_tolerance``; pure rotation while the heading error exceeds
    ``heading_tolerance``; otherwise ``v = min(max_linear_vel, linear_gain * d) * cos(err)``
    and ``w = clamp(angular_gain * err, max_angular_vel)``. Never moves backwards.
    """
    d = distance(x, y, tx, ty)
    if d <= limits.xy_tolerance:
        return STOP
    err = wrap_angle(math.atan2(ty - y, tx - x) - yaw)
    w = clamp(limits.angular_gain * err, limits.max_angular_vel)
    if abs(err) >= limits.heading_tolerance:
        return Command(0.0, w)
    v = min(limits.max_linear_vel, limits.linear_gain * d) * math.cos(err)
    return Command(max(0.0, v), w)


def command_problem(cmd: Command, limits: ControlLimits) -> str:
    """Return why ``cmd`` must not be published ('' when it is finite and within the limits).

    The one place that asserts the invariant of every published command: finite,
    ``|linear| <= max_linear_vel`` and ``|angular| <= max_angular_vel``.
    """
    v, w = float(cmd.linear), float(cmd.angular)
    if not (math.isfinite(v) and math.isfinite(w)):
        return f'command ({v}, {w}) is not finite'
    if abs(v) > limits.max_linear_vel or abs(w) > limits.max_angular_vel:
        return (f'command ({v:.6g} m/s, {w:.6g} rad/s) exceeds the limits '
                f'({limits.max_linear_vel} m/s, {limits.max_angular_vel} rad/s)')
    return ''
