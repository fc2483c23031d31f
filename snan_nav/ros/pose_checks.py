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
"""Is an incoming pose usable? Pure checks of position, orientation, frame and stamp (no ROS).

The navigator stops the robot on any pose these checks refuse and keeps it stopped until a
good pose arrives; each refusal has a category (counted in /diagnostics) and a reason (logged,
throttled). Units: metres, radians, nanoseconds of the node clock.

- ``non-finite``: a NaN or infinite coordinate or quaternion component;
- ``quaternion``: a quaternion whose squared norm is off 1 by more than
  :data:`QUATERNION_TOLERANCE` (tf2's own tolerance for "not normalized"), or zero; smaller
  errors (rounding in a publisher) are renormalised and the pose is used;
- ``frame``: a frame_id other than the accepted ones (an empty one included);
- ``future stamp``: a stamp more than ``max_skew_s`` ahead of the node clock;
- ``old stamp``: a stamp more than ``timeout_s`` behind the node clock.
"""
import math
from typing import NamedTuple, Optional, Sequence, Tuple

#: Largest accepted ``|x^2 + y^2 + z^2 + w^2 - 1|`` (tf2's QUATERNION_NORMALIZATION_TOLERANCE).
QUATERNION_TOLERANCE = 0.01

NON_FINITE, QUATERNION, FRAME, FUTURE, OLD = (
    'non-finite', 'quaternion', 'frame', 'future stamp', 'old stamp')
CATEGORIES = (NON_FINITE, QUATERNION, FRAME, FUTURE, OLD)


class PoseCheck(NamedTuple):
    """Outcome: ``pose`` ``(x, y, yaw)`` when usable, else None with ``category`` and ``reason``.

    ``renormalised`` is True when a slightly unnormalised quaternion was corrected.
    """

    pose: Optional[Tuple[float, float, float]]
    category: str = ''
    reason: str = ''
    renormalised: bool = False


def yaw_of(qx: float, qy: float, qz: float, qw: float) -> Tuple[Optional[float], str, bool]:
    """Return ``(yaw, problem, renormalised)`` of a quaternion (yaw in rad about +z).

    ``problem`` is '' when usable; otherwise ``yaw`` is None and ``problem`` names the
    category and the reason.
    """
    q = (float(qx), float(qy), float(qz), float(qw))
    if not all(math.isfinite(v) for v in q):
        return None, f'{NON_FINITE}: orientation {q} is not finite', False
    norm2 = sum(v * v for v in q)
    if not math.isfinite(norm2) or abs(norm2 - 1.0) > QUATERNION_TOLERANCE:
        return None, (f'{QUATERNION}: orientation {q} has squared norm {norm2:.6g}, more than '
                      f'{QUATERNION_TOLERANCE} from 1'), False
    norm = math.sqrt(norm2)
    x, y, z, w = (v / norm for v in q)
    yaw = math.atan2(2.0 * (w * z + x * y), 1.0 - 2.0 * (y * y + z * z))
    return yaw, '', abs(norm2 - 1.0) > 1e-12


def check_pose(x: float, y: float, q: Sequence[float], frame: Optional[str],
               accepted_frames: Sequence[str], stamp_ns: int, now_ns: int,
               timeout_s: float, max_skew_s: float) -> PoseCheck:
    """Check one pose (see the module docstring); ``frame`` None skips the frame check.

    ``q`` is ``(x, y, z, w)``; ``stamp_ns`` the message stamp and ``now_ns`` the node clock.
    """
    x, y = float(x), float(y)
    if not (math.isfinite(x) and math.isfinite(y)):
        return PoseCheck(None, NON_FINITE, f'position ({x}, {y}) is not finite')
    yaw, problem, renormalised = yaw_of(*q)
    if yaw is None:
        category, _, reason = problem.partition(': ')
        return PoseCheck(None, category, reason)
    if frame is not None and frame not in accepted_frames:
        wanted = ' or '.join(repr(f) for f in accepted_frames)
        return PoseCheck(None, FRAME, f'frame_id {frame!r} is not {wanted}')
    age_s = (int(now_ns) - int(stamp_ns)) * 1e-9
    if -age_s > max_skew_s:
        return PoseCheck(None, FUTURE, f'stamp is {-age_s:.3f} s ahead of the node clock '
                                       f'(max_stamp_skew {max_skew_s} s)')
    if age_s > timeout_s:
        return PoseCheck(None, OLD, f'stamp is {age_s:.3f} s old (pose_timeout {timeout_s} s)')
    return PoseCheck((x, y, yaw), renormalised=renormalised)
