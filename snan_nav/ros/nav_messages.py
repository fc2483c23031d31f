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
"""Messages the navigator publishes, built from plain values (no node in here).

:class:`CommandSender` owns the one reusable cmd_vel message and the idle-command rule;
the builders return MarkerArray, Path and DiagnosticArray messages for given cells, frames
and stamps. Units: metres, radians, seconds.
"""
from typing import Dict, Iterable, Optional, Sequence

from builtin_interfaces.msg import Time as TimeMsg
from diagnostic_msgs.msg import DiagnosticArray, DiagnosticStatus, KeyValue
from geometry_msgs.msg import Point, PoseStamped, Twist, TwistStamped
from nav_msgs.msg import Path
import numpy as np
from std_msgs.msg import ColorRGBA
from visualization_msgs.msg import Marker, MarkerArray

from snan_nav.ros.control import Command, command_problem, ControlLimits, STOP
from snan_nav.ros.geometry import grid_cell_center
from snan_nav.world.grid import Cell, GridMap


class CommandSender:
    """Publish velocity commands on ``publisher`` (Twist, or TwistStamped when ``stamped``).

    Zero commands are repeated every call only with ``publish_idle``; otherwise one zero
    command is sent when the robot stops (or when a stop is forced) and then nothing. Every
    command passes :func:`~snan_nav.ros.control.command_problem` against ``limits`` first: one
    that is not finite or exceeds a limit is replaced by a zero command and counted in
    :attr:`violations` (:attr:`last_violation` says why). The message object is reused:
    rclpy serialises it inside ``publish()``.
    """

    def __init__(self, publisher, stamped: bool, frame_id: str, publish_idle: bool = True,
                 limits: ControlLimits = ControlLimits()):
        self.publisher = publisher
        self.stamped = bool(stamped)
        self.publish_idle = bool(publish_idle)
        self.limits = limits
        self.violations = 0
        self.last_violation = ''
        self.sent = 0
        self._msg = TwistStamped() if self.stamped else Twist()
        if self.stamped:
            self._msg.header.frame_id = frame_id
        self._twist = self._msg.twist if self.stamped else self._msg
        self._stopped_sent = False
        self._stop_requested = False

    def request_stop(self) -> None:
        """Make the next zero command go out even when idle commands are suppressed."""
        self._stop_requested = True

    def send(self, cmd: Command, stamp: Optional[TimeMsg] = None, force: bool = False) -> bool:
        """Publish ``cmd`` (stamped with ``stamp``) unless it is a suppressed idle zero.

        Returns True when a message was published.
        """
        problem = command_problem(cmd, self.limits)
        if problem:
            self.violations += 1
            self.last_violation = problem
            cmd, force = STOP, True
        is_stop = cmd.linear == 0.0 and cmd.angular == 0.0
        force = force or self._stop_requested
        if is_stop and not force and not self.publish_idle and self._stopped_sent:
            return False
        self._stopped_sent = is_stop
        self._stop_requested = False
        if self.stamped and stamp is not None:
            self._msg.header.stamp = stamp
        self._twist.linear.x = float(cmd.linear)
        self._twist.angular.z = float(cmd.angular)
        self.publisher.publish(self._msg)
        self.sent += 1
        return True


def _marker(ns: str, mid: int, mtype: int, size: float, rgba: Sequence[float], frame: str,
            stamp: TimeMsg) -> Marker:
    m = Marker()
    m.header.frame_id = frame
    m.header.stamp = stamp
    m.ns, m.id, m.type = ns, mid, mtype
    m.action = Marker.ADD
    m.pose.orientation.w = 1.0
    m.scale.x = m.scale.y = size
    m.scale.z = 0.05 * size
    m.color = ColorRGBA(r=rgba[0], g=rgba[1], b=rgba[2], a=rgba[3])
    return m


def marker_array(grid: GridMap, goal: Optional[Cell], target: Optional[Cell],
                 visits: Sequence[int], frame: str, stamp: TimeMsg) -> MarkerArray:
    """Return the goal cylinder, the next-cell cube and the fading trail of recent visits."""
    res = grid.resolution
    out = MarkerArray()
    if goal is not None:
        m = _marker('goal', 0, Marker.CYLINDER, 0.7 * res, (0.1, 0.8, 0.1, 0.9), frame, stamp)
        m.pose.position.x, m.pose.position.y = grid_cell_center(grid, goal)
        out.markers.append(m)
    m = _marker('next_cell', 1, Marker.CUBE, 0.5 * res, (0.1, 0.3, 1.0, 0.8), frame, stamp)
    if target is None:
        m.action = Marker.DELETE
    else:
        m.pose.position.x, m.pose.position.y = grid_cell_center(grid, target)
    out.markers.append(m)
    m = _marker('recent_visits', 2, Marker.CUBE_LIST, 0.3 * res, (1.0, 0.5, 0.0, 0.6), frame,
                stamp)
    n = len(visits)
    for i, cid in enumerate(visits):
        if not 0 <= cid < grid.n_cells:
            continue
        x, y = grid_cell_center(grid, grid.cell_of(cid))
        m.points.append(Point(x=x, y=y, z=0.0))
        m.colors.append(ColorRGBA(r=1.0, g=0.5, b=0.0, a=0.2 + 0.7 * (i + 1) / n))
    if not m.points:
        m.action = Marker.DELETE
    out.markers.append(m)
    return out


def plan_path(grid: GridMap, cells: Iterable[int], frame: str, stamp: TimeMsg) -> Path:
    """Return a nav_msgs/Path through the centres of planning cells ``cells`` (ids)."""
    path = Path()
    path.header.frame_id = frame
    path.header.stamp = stamp
    for cid in cells:
        pose = PoseStamped()
        pose.header = path.header
        pose.pose.position.x, pose.pose.position.y = grid_cell_center(grid, grid.cell_of(cid))
        pose.pose.orientation.w = 1.0
        path.poses.append(pose)
    return path


def flatten(d: dict, prefix: str = '') -> Dict[str, str]:
    """Flatten nested dicts of scalars to ``{'a.b': 'text'}`` (floats with 6 digits)."""
    out = {}
    for k, val in d.items():
        if isinstance(val, dict):
            out.update(flatten(val, f'{prefix}{k}.'))
        elif isinstance(val, (int, float, str, bool, np.number)):
            out[f'{prefix}{k}'] = f'{val:.6g}' if isinstance(val, (float, np.floating)) else \
                str(val)
    return out


def diagnostic_array(node_name: str, level: int, message: str, values: Dict[str, object],
                     stamp: TimeMsg, what: str = 'navigation') -> DiagnosticArray:
    """Return one DiagnosticStatus named ``<node_name>: <what>`` in a DiagnosticArray.

    ``level`` is 0..3 (OK, WARN, ERROR, STALE); ``node_name`` is the node's fully qualified
    name (``/robot1/snan_navigator``), so that navigators in different namespaces report
    apart; it is also the ``hardware_id``.
    """
    status = DiagnosticStatus(level=bytes([level]), name=f'{node_name}: {what}',
                              hardware_id=node_name, message=message)
    status.values = [KeyValue(key=k, value=str(v)) for k, v in values.items()]
    msg = DiagnosticArray()
    msg.header.stamp = stamp
    msg.status = [status]
    return msg
