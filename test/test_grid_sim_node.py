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
"""The grid_sim node in-process: latched map, odom, goals, motion, collisions, episodes."""
import json
import math
import time

import pytest

from ros_testing import HISTORY, LATCHED, make_params, ros_fixture  # noqa: F401

from diagnostic_msgs.msg import DiagnosticArray  # noqa: E402
from geometry_msgs.msg import PoseStamped, PoseWithCovarianceStamped, Twist  # noqa: E402
from nav_msgs.msg import OccupancyGrid, Odometry  # noqa: E402
from rosgraph_msgs.msg import Clock  # noqa: E402
from std_msgs.msg import String  # noqa: E402

from snan_nav.ros.conversions import grid_from_occupancy, make_pose, pose_xy_yaw  # noqa: E402
from snan_nav.ros.grid_sim import GridSimNode  # noqa: E402
from snan_nav.ros.ros_params import StartupError  # noqa: E402


pytestmark = pytest.mark.ros


class Probe:
    """Subscribes to everything the sim publishes; publishes commands and initial poses."""

    def __init__(self, ros):
        n = self.node = ros.node('probe')
        self.maps, self.odom, self.goals, self.clock, self.episodes = [], [], [], [], []
        n.create_subscription(OccupancyGrid, 'map', self.maps.append, LATCHED)
        n.create_subscription(Odometry, 'odom', self.odom.append, 10)
        n.create_subscription(PoseStamped, 'goal_pose', self.goals.append, LATCHED)
        n.create_subscription(Clock, '/clock', self.clock.append, 10)
        n.create_subscription(String, '/grid_sim/episode',
                              lambda m: self.episodes.append(json.loads(m.data)), HISTORY)
        self.cmd_pub = n.create_publisher(Twist, 'cmd_vel', 10)
        self.pose_pub = n.create_publisher(PoseWithCovarianceStamped, 'initialpose', 10)

    def pose(self):
        return pose_xy_yaw(self.odom[-1].pose.pose)

    def cmd(self, v, w):
        msg = Twist()
        msg.linear.x, msg.angular.z = float(v), float(w)
        self.cmd_pub.publish(msg)

    def teleport(self, x, y, yaw=0.0):
        msg = PoseWithCovarianceStamped()
        msg.header.frame_id = 'map'
        msg.pose.pose = make_pose(x, y, yaw)
        self.pose_pub.publish(msg)


def sim_node(ros, **params):
    values = {'map': 'builtin:paper10', 'speed_factor': 5.0, 'cmd_timeout': 0.0}
    values.update(params)
    return ros.add(GridSimNode(context=ros.context, parameter_overrides=make_params(values)))


def test_map_is_latched_and_matches_the_builtin_layout(ros):
    sim = sim_node(ros)
    probe = Probe(ros)                         # a late joiner still gets the map
    assert ros.spin_until(lambda: probe.maps)
    grid = grid_from_occupancy(probe.maps[0])
    assert (grid.width, grid.height) == (10, 10)
    assert (grid.blocked == sim.grid.blocked).all()
    assert probe.maps[0].header.frame_id == 'map'


def test_goal_is_published_per_episode_and_commands_move_the_robot(ros):
    sim_node(ros, publish_clock=True)
    probe = Probe(ros)
    assert ros.spin_until(lambda: probe.goals and probe.odom and probe.clock)
    goal = probe.goals[0]
    assert goal.header.frame_id == 'map'
    assert (goal.pose.position.x, goal.pose.position.y) == pytest.approx((9.5, 9.5))
    odom = probe.odom[-1]
    assert (odom.header.frame_id, odom.child_frame_id) == ('odom', 'base_link')
    x0, y0, _ = probe.pose()
    assert (x0, y0) == pytest.approx((0.5, 0.5))
    assert ros.spin_until(lambda: (probe.cmd(0.5, 0.0) or True) and probe.pose()[0] > 0.8)
    assert probe.pose()[1] == pytest.approx(0.5)
    t = [c.clock.sec + 1e-9 * c.clock.nanosec for c in probe.clock]
    assert t == sorted(t) and t[-1] > 0.0


def test_walls_stop_the_robot(ros):
    sim = sim_node(ros)
    probe = Probe(ros)
    assert ros.spin_until(lambda: probe.odom and sim.sim.episode is not None)
    probe.teleport(0.5, 2.5, math.pi / 2)      # below the wall row my = 3 of paper10
    assert ros.spin_until(lambda: probe.pose()[1] == pytest.approx(2.5))
    ros.spin_until(lambda: (probe.cmd(1.0, 0.0) or True) and sim.sim.episode.collisions > 3)
    assert sim.sim.episode.collisions > 3
    assert 2.5 < probe.pose()[1] < 3.0         # stopped in its cell, not inside the wall


def test_episode_summary_on_success_then_reset_and_new_goal(ros):
    sim = sim_node(ros, reset_delay=0.1)
    probe = Probe(ros)
    assert ros.spin_until(lambda: len(probe.goals) == 1)
    probe.teleport(9.5, 8.5, math.pi / 2)      # just below the goal cell (9, 9)
    assert ros.spin_until(lambda: (probe.cmd(0.5, 0.0) or True) and probe.episodes)
    ep = probe.episodes[0]
    assert ep['success'] and ep['episode'] == 1 and ep['steps'] == 1 and ep['sim_time_s'] > 0
    assert ros.spin_until(lambda: sim.sim.episodes_started == 2)
    assert ros.spin_until(lambda: len(probe.goals) == 2 and
                          probe.pose()[:2] == pytest.approx((0.5, 0.5)))


def test_episodes_wait_for_a_navigator_after_one_without_any_command(ros):
    # A killed navigator stays a goal_pose subscriber until DDS's lease runs out; an inactive
    # one stays one for good. Episodes that nobody drives must not be used up meanwhile.
    sim = sim_node(ros, reset_delay=0.1, stall_timeout=1.0, speed_factor=20.0)
    probe = Probe(ros)
    assert ros.spin_until(lambda: probe.episodes)
    assert probe.episodes[0]['outcome'] == 'stall'
    ros.spin_until(lambda: sim.sim.episodes_started > 1, timeout=3.0)
    assert sim.sim.episodes_started == 1 and sim.navigator_silent   # held, not stalling on
    probe.cmd(0.0, 0.0)                          # a navigator (even one that stands still)
    assert ros.spin_until(lambda: sim.sim.episodes_started == 2)
    # It keeps commanding (a navigator publishes every control tick): stalls do not hold.
    assert ros.spin_until(lambda: (probe.cmd(0.0, 0.0) or True) and len(probe.episodes) == 2)
    assert probe.episodes[1]['outcome'] == 'stall' and not sim.navigator_silent
    assert ros.spin_until(lambda: sim.sim.episodes_started == 3)


def _stale_warnings(statuses):
    return [kv.value for s in statuses if s.level in (1, b'\x01')
            for kv in s.values if kv.key == 'cmd_vel_stale']


def _navigator_at(ros, period_s, **sim_params):
    """Start a sim; return (statuses, tick): ``tick()`` commands every ``period_s`` wall s."""
    sim_node(ros, cmd_timeout=0.5, **sim_params)
    probe = Probe(ros)
    statuses = []
    probe.node.create_subscription(DiagnosticArray, '/diagnostics',
                                   lambda m: statuses.extend(m.status), 10)
    last = [0.0]

    def tick():
        if time.monotonic() - last[0] > period_s:
            last[0] = time.monotonic()
            probe.cmd(0.0, 0.0)
    return statuses, tick


def test_a_navigator_slower_than_the_simulation_is_reported(ros):
    # Commands a few times a wall second while simulated time runs 100 x faster: most ticks
    # run on a command older than cmd_timeout, and the robot stands still for it.
    statuses, tick = _navigator_at(ros, 0.2, speed_factor=100.0)
    assert ros.spin_until(lambda: (tick() or True) and _stale_warnings(statuses), timeout=15.0)
    assert 'does not keep up with speed_factor 100' in _stale_warnings(statuses)[0]


def test_a_navigator_that_keeps_up_is_not_reported(ros):
    statuses, tick = _navigator_at(ros, 0.1, speed_factor=1.0)
    assert ros.spin_until(lambda: (tick() or True) and len(statuses) >= 3, timeout=15.0)
    assert _stale_warnings(statuses) == []


def test_bad_map_or_start_refuses_to_start(ros):
    with pytest.raises(StartupError, match='unknown built-in map'):
        GridSimNode(context=ros.context,
                    parameter_overrides=make_params({'map': 'builtin:nope'}))
    with pytest.raises(StartupError, match='blocked'):
        GridSimNode(context=ros.context,
                    parameter_overrides=make_params({'start_cell': [4, 3]}))
    with pytest.raises(StartupError, match='enable_stamped_cmd_vel'):
        GridSimNode(context=ros.context,
                    parameter_overrides=make_params({'lockstep': True}))


def test_clock_is_published_before_the_state_it_stamps(ros):
    # odom stamped ahead of the subscriber's /clock was refused as from the future (at 1 Hz a
    # whole tick ahead, so the robot never moved)
    sim = sim_node(ros, publish_clock=True)
    order = []

    class Recorder:
        def __init__(self, name):
            self.name = name

        def publish(self, msg):
            order.append(self.name)
    sim.clock_pub, sim.odom_pub = Recorder('clock'), Recorder('odom')
    sim._publish_state()
    assert order == ['clock', 'odom']
