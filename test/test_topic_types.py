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
"""A Twist/TwistStamped mix-up on cmd_vel is reported, not silent (both nodes' diagnostics)."""
import pytest

from ros_testing import make_params, ros_fixture, RosFixture  # noqa: F401

from diagnostic_msgs.msg import DiagnosticArray  # noqa: E402
from geometry_msgs.msg import Twist, TwistStamped  # noqa: E402

from snan_nav.ros.grid_sim import GridSimNode  # noqa: E402
from snan_nav.ros.topic_types import other_types, TypeMismatchMonitor, type_name  # noqa: E402


pytestmark = pytest.mark.ros


@pytest.fixture(name='peer')
def peer_fixture(ros):
    """A second context on the same domain: DDS refuses two types of one topic per process."""
    fixture = RosFixture(domain=ros.domain)
    try:
        yield fixture
    finally:
        fixture.close()


def test_other_types_sees_a_publisher_of_another_type(ros, peer):
    pub_node = peer.node('stamped_publisher')
    pub_node.create_publisher(TwistStamped, 'cmd_vel', 10)
    probe = ros.node('probe')
    probe.create_subscription(Twist, 'cmd_vel', lambda m: None, 10)
    want = ['geometry_msgs/msg/TwistStamped']
    assert ros.spin_until(lambda: other_types(probe, 'cmd_vel', type_name(Twist), True) == want,
                          timeout=10.0)
    assert other_types(probe, 'cmd_vel', type_name(TwistStamped), True) == []
    monitor = TypeMismatchMonitor(pub_node, 'cmd_vel', TwistStamped, publishers=False)
    text = ('subscriptions of type geometry_msgs/msg/Twist while this node uses '
            'geometry_msgs/msg/TwistStamped')
    assert peer.spin_until(lambda: text in monitor.check(), timeout=10.0)
    assert 'enable_stamped_cmd_vel' in monitor.text


def test_grid_sim_diagnostics_warn_about_a_stamped_navigator_on_its_twist_topic(ros, peer):
    ros.add(GridSimNode(context=ros.context, parameter_overrides=make_params({})))
    other = peer.node('stamped_navigator')
    other.create_publisher(TwistStamped, 'cmd_vel', 10)
    statuses = []
    probe = ros.node('probe')
    probe.create_subscription(DiagnosticArray, '/diagnostics',
                              lambda m: statuses.extend(m.status), 10)

    def warned():
        return any(s.level in (1, b'\x01')
                   and any(kv.key == 'cmd_vel_type_mismatch' for kv in s.values)
                   for s in statuses)
    assert ros.spin_until(warned, timeout=15.0)
