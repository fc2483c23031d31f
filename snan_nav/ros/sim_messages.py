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
"""Messages the simulator publishes every tick, reused from tick to tick (no node in here).

rclpy serialises a message inside ``publish()``, so one Odometry (and one TransformStamped)
object per node can be refilled each tick instead of being built anew.
"""
from nav_msgs.msg import OccupancyGrid, Odometry

from snan_nav.ros.conversions import occupancy_from_values, quaternion_from_yaw


class OdometryMessage:
    """One reusable nav_msgs/Odometry in ``odom_frame`` for ``base_frame``."""

    def __init__(self, odom_frame: str, base_frame: str):
        self.msg = Odometry()
        self.msg.header.frame_id = odom_frame
        self.msg.child_frame_id = base_frame

    def update(self, stamp, x: float, y: float, yaw: float, v: float, w: float) -> Odometry:
        """Fill in pose (m, rad) and twist (m/s, rad/s) at ``stamp``; return the message."""
        msg = self.msg
        msg.header.stamp = stamp
        msg.pose.pose.position.x = float(x)
        msg.pose.pose.position.y = float(y)
        msg.pose.pose.orientation = quaternion_from_yaw(yaw)
        msg.twist.twist.linear.x = float(v)
        msg.twist.twist.angular.z = float(w)
        return msg


def occupancy_message(occupancy, grid, frame_id: str, stamp) -> OccupancyGrid:
    """Return the OccupancyGrid of ``occupancy`` values (height x width) with grid's geometry."""
    return occupancy_from_values(occupancy.reshape(-1), grid, frame_id, stamp)


class TfPublisher:
    """Broadcast tf ``odom -> base`` per tick and a static identity ``map -> odom``.

    Needs tf2_ros (not among the pip wheels); without it the node logs once and publishes
    odom only: :func:`make_tf_publisher` returns None then.
    """

    def __init__(self, node, broadcaster_cls, static_cls, values):
        from geometry_msgs.msg import TransformStamped
        self._broadcaster = broadcaster_cls(node)
        self._static = static_cls(node)
        static = TransformStamped()
        static.header.stamp = node.get_clock().now().to_msg()
        static.header.frame_id = values['map_frame']
        static.child_frame_id = values['odom_frame']
        static.transform.rotation.w = 1.0
        self._static.sendTransform(static)
        self._tf = TransformStamped()
        self._tf.header.frame_id = values['odom_frame']
        self._tf.child_frame_id = values['base_frame']

    def send(self, stamp, x: float, y: float, yaw: float) -> None:
        """Broadcast ``odom -> base`` at ``(x, y, yaw)`` (m, m, rad)."""
        t = self._tf
        t.header.stamp = stamp
        t.transform.translation.x = float(x)
        t.transform.translation.y = float(y)
        t.transform.rotation = quaternion_from_yaw(yaw)
        self._broadcaster.sendTransform(t)


def make_tf_publisher(node, values):
    """Return a :class:`TfPublisher` for ``node``, or None (logged) without tf2_ros."""
    try:
        from tf2_ros import StaticTransformBroadcaster, TransformBroadcaster
    except ImportError:
        node.get_logger().info('tf not published: tf2_ros cannot be imported (it is not among '
                               'the pip wheels); odom is published as usual')
        return None
    return TfPublisher(node, TransformBroadcaster, StaticTransformBroadcaster, values)
