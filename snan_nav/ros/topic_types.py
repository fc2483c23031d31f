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
"""Peers of another message type on a topic: the silent failure of a Twist/TwistStamped mix-up.

DDS delivers nothing between a publisher and a subscription whose types differ, and neither
side reports it: with ``enable_stamped_cmd_vel`` set on one node only, the simulator simply
never moves. The nodes ask the ROS graph (cheap, local) at every diagnostics period and say it.
"""
from typing import List


def other_types(node, topic: str, expected: str, publishers: bool) -> List[str]:
    """Return the types other than ``expected`` of the publishers (or subscriptions) on ``topic``.

    ``topic`` is resolved like the node's own entities (namespace, remapping); types are
    graph names such as ``geometry_msgs/msg/Twist``. Sorted and unique.
    """
    name = node.resolve_topic_name(topic)
    infos = (node.get_publishers_info_by_topic(name) if publishers
             else node.get_subscriptions_info_by_topic(name))
    return sorted({info.topic_type for info in infos if info.topic_type != expected})


def mismatch_text(topic: str, expected: str, others: List[str], publishers: bool,
                  param: str = 'enable_stamped_cmd_vel') -> str:
    """Return the one-line warning for :func:`other_types`' answer (``others`` not empty)."""
    kind = 'publishers' if publishers else 'subscriptions'
    return (f"{topic} has {kind} of type {', '.join(others)} while this node uses {expected}: "
            f'no message crosses a type mismatch; set {param} alike on both nodes')


def type_name(msg_type) -> str:
    """Return the graph name of a message class, e.g. ``geometry_msgs/msg/Twist``."""
    module = msg_type.__module__.split('.')
    return f'{module[0]}/msg/{msg_type.__name__}'


class TypeMismatchMonitor:
    """Watches one topic of ``node`` for peers of another type; warns once per new answer."""

    def __init__(self, node, topic: str, msg_type, publishers: bool):
        self.node = node
        self.topic = topic
        self.expected = type_name(msg_type)
        self.publishers = publishers
        self.text = ''

    def check(self) -> str:
        """Ask the graph now; return the warning text ('' when every peer has our type)."""
        others = other_types(self.node, self.topic, self.expected, self.publishers)
        text = mismatch_text(self.topic, self.expected, others, self.publishers) if others else ''
        if text and text != self.text:
            self.node.get_logger().warning(text)
        self.text = text
        return text
