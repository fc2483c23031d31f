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
"""The navigator node in-process: safety holds, malformed maps, goals, outputs and QoS."""
import json

import pytest

from ros_testing import HISTORY, LATCHED, make_params, ros_fixture  # noqa: F401

from diagnostic_msgs.msg import DiagnosticArray, DiagnosticStatus  # noqa: E402
from geometry_msgs.msg import PoseStamped, Twist, TwistStamped  # noqa: E402
from nav_msgs.msg import OccupancyGrid, Odometry  # noqa: E402
from rcl_interfaces.msg import Log  # noqa: E402
from rclpy.qos import QoSProfile, ReliabilityPolicy, DurabilityPolicy  # noqa: E402
from std_msgs.msg import String  # noqa: E402
from visualization_msgs.msg import MarkerArray  # noqa: E402

from snan_nav.agents.registry import AGENT_NAMES  # noqa: E402
from snan_nav.ros.conversions import make_pose, occupancy_from_grid  # noqa: E402
from snan_nav.ros.navigator import SnanNavigator  # noqa: E402
from snan_nav.world.builtin import grid_from_rows  # noqa: E402

pytestmark = pytest.mark.ros

#: 4 x 3 map, wall at (1, 1) and (2, 1); drawn top row first.
GRID = grid_from_rows(('....', '.##.', '....'), 'u', (0, 0), (0, 2))


class FakeRobot:
    """Publishes map/odom/goal and records what the navigator sends back."""

    def __init__(self, ros, stamped=False):
        self.ros = ros
        self.node = ros.node('fake_robot')
        n = self.node
        self.map_pub = n.create_publisher(OccupancyGrid, 'map', LATCHED)
        self.odom_pub = n.create_publisher(Odometry, 'odom', 10)
        self.goal_pub = n.create_publisher(PoseStamped, 'goal_pose', 10)
        self.cmds = []
        n.create_subscription(TwistStamped if stamped else Twist, 'cmd_vel',
                              self.cmds.append, 10)
        self.diags = []
        n.create_subscription(DiagnosticArray, '/diagnostics', self.diags.append, 10)
        self.calcium = []
        n.create_subscription(OccupancyGrid, '/snan_navigator/astrocyte_calcium',
                              self.calcium.append, LATCHED)
        self.episodes = []
        n.create_subscription(String, '/snan_navigator/episode',
                              lambda m: self.episodes.append(json.loads(m.data)), HISTORY)
        self.markers = []
        n.create_subscription(MarkerArray, '/snan_navigator/markers', self.markers.append, 10)
        self.logs = []
        n.create_subscription(Log, '/rosout', self.logs.append, QoSProfile(
            depth=100, reliability=ReliabilityPolicy.RELIABLE,
            durability=DurabilityPolicy.TRANSIENT_LOCAL))
        self.x, self.y, self.yaw = 0.5, 0.5, 0.0
        self.odom_on = True
        n.create_timer(0.05, self._odom)

    def _odom(self):
        if self.odom_on:
            msg = Odometry()
            msg.header.frame_id = 'odom'
            msg.header.stamp = self.node.get_clock().now().to_msg()
            msg.pose.pose = make_pose(self.x, self.y, self.yaw)
            self.odom_pub.publish(msg)

    def send_goal(self, x, y):
        msg = PoseStamped()
        msg.header.frame_id = 'map'
        msg.header.stamp = self.node.get_clock().now().to_msg()
        msg.pose = make_pose(x, y)
        self.goal_pub.publish(msg)

    def last_state(self):
        if not self.diags:
            return None
        return {kv.key: kv.value for kv in self.diags[-1].status[0].values}

    def moving(self):
        return any(abs(_twist(c).linear.x) + abs(_twist(c).angular.z) > 0 for c in self.cmds)


def _twist(cmd):
    return cmd.twist if isinstance(cmd, TwistStamped) else cmd


def start_with_plan_listener(ros, **params):
    """Return ``(robot, nav, paths)``: a navigator with a map, a pose and a ~/plan listener."""
    from nav_msgs.msg import Path
    robot = FakeRobot(ros)
    paths = []
    robot.node.create_subscription(Path, '/snan_navigator/plan', paths.append, 10)
    nav = navigator(ros, **params)
    robot.map_pub.publish(occupancy_from_grid(GRID, 'map'))
    assert ros.spin_until(lambda: nav.session.grid is not None and nav.pose is not None and
                          robot.node.count_subscribers('goal_pose') > 0 and
                          nav.plan_pub.get_subscription_count() > 0)
    return robot, nav, paths


def drive_until_an_episode_ends(ros, nav, robot, timeout):
    """Spin as a perfect robot would drive (it jumps to each target cell's centre)."""
    def teleport_to_target():
        target = nav.session.target
        if target is not None:
            robot.x, robot.y = target[0] + 0.5, target[1] + 0.5
        return bool(robot.episodes)
    return ros.spin_until(teleport_to_target, timeout=timeout)


def navigator(ros, **params):
    values = {'agent': 'tremaux', 'diagnostics_period': 0.2, 'pose_timeout': 0.5}
    values.update(params)
    return ros.add(SnanNavigator(context=ros.context, parameter_overrides=make_params(values)))


def test_no_map_no_pose_gives_zero_velocity_and_a_diagnostic(ros):
    robot = FakeRobot(ros)
    robot.odom_on = False
    nav = navigator(ros)
    assert ros.spin_until(lambda: len(robot.cmds) >= 3 and robot.diags)
    assert not robot.moving()
    status = robot.diags[-1].status[0]
    assert status.level == DiagnosticStatus.WARN and status.message == 'waiting for map'
    robot.map_pub.publish(occupancy_from_grid(GRID, 'map'))
    assert ros.spin_until(lambda: nav.state == 'waiting for pose')
    assert ros.spin_until(lambda: robot.diags[-1].status[0].message == 'waiting for pose')
    assert not robot.moving()


def test_goal_drives_the_robot_and_stale_pose_stops_it(ros):
    robot = FakeRobot(ros)
    nav = navigator(ros)
    robot.map_pub.publish(occupancy_from_grid(GRID, 'map'))
    assert ros.spin_until(lambda: nav.session.grid is not None and nav.pose is not None)
    assert ros.spin_until(lambda: nav.goal_request is None and
                          robot.node.count_subscribers('goal_pose') > 0)
    robot.send_goal(3.5, 0.5)
    assert ros.spin_until(robot.moving), 'the navigator never commanded a motion'
    assert nav.session.active and nav.state == 'navigating'
    assert ros.spin_until(lambda: any(m.markers for m in robot.markers))
    robot.odom_on = False                      # the pose goes stale
    n_before = len(robot.cmds)

    def stopped():
        last = _twist(robot.cmds[-1])
        return len(robot.cmds) > n_before and last.linear.x == 0.0 and last.angular.z == 0.0

    assert ros.spin_until(stopped, timeout=10.0), 'no zero command after the pose went stale'
    assert nav.state == 'stale pose'
    assert ros.spin_until(lambda: robot.diags and
                          robot.diags[-1].status[0].level == DiagnosticStatus.STALE)
    state = robot.last_state()
    assert float(state['pose_age_s']) > 0.5 and state['episode_active'] == 'True'


def test_a_planning_grid_in_pieces_is_logged_once(ros):
    # Four pieces, the largest two cells of five: warned; a map update that changes the
    # finding warns again, one that mends it does not.
    robot = FakeRobot(ros)
    nav = navigator(ros)
    pieces = grid_from_rows(('.#.#.#.', '##.####'), 'pieces', (0, 0), (6, 0))

    def warnings():
        return [log.msg for log in robot.logs if 'largest connected free area' in log.msg]
    robot.map_pub.publish(occupancy_from_grid(pieces, 'map'))
    assert ros.spin_until(lambda: warnings())
    assert 'holds 2 of its 5 free planning cells' in warnings()[0]
    assert 'robot_radius' in warnings()[0]
    more = grid_from_rows(('.#.#.#.', '##.#.##'), 'pieces', (0, 0), (6, 0))
    robot.map_pub.publish(occupancy_from_grid(more, 'map'))
    assert ros.spin_until(lambda: len(warnings()) == 2)
    assert 'holds 2 of its 6' in warnings()[1]
    same = occupancy_from_grid(more, 'map')
    same.data[1] = -1                  # a wall becomes unknown: another map, the same finding
    received = nav.map_received_ns
    robot.map_pub.publish(same)
    assert ros.spin_until(lambda: nav.map_received_ns != received)
    assert len(warnings()) == 2        # not repeated on every map update
    robot.map_pub.publish(occupancy_from_grid(GRID, 'map'))  # one area: nothing to say
    assert ros.spin_until(lambda: nav.session.grid is not None and nav.session.grid.width == 4)
    ros.spin_until(lambda: len(warnings()) > 2, timeout=1.0)
    assert len(warnings()) == 2


def test_malformed_map_is_rejected_with_a_logged_reason_and_node_keeps_running(ros):
    robot = FakeRobot(ros)
    nav = navigator(ros)
    bad = occupancy_from_grid(GRID, 'map')
    bad.data = bad.data[:-1]
    robot.map_pub.publish(bad)
    assert ros.spin_until(lambda: any('rejected map' in log.msg and 'expected width x height'
                                      in log.msg for log in robot.logs))
    assert nav.session.grid is None
    nan_res = occupancy_from_grid(GRID, 'map')
    nan_res.info.resolution = float('nan')
    robot.map_pub.publish(nan_res)
    assert ros.spin_until(lambda: any('resolution' in log.msg for log in robot.logs))
    assert nav.session.grid is None and not robot.moving()
    robot.map_pub.publish(occupancy_from_grid(GRID, 'map'))
    assert ros.spin_until(lambda: nav.session.grid is not None)
    assert ros.spin_until(lambda: robot.calcium and robot.calcium[-1].info.width == 4)
    assert robot.calcium[-1].info.height == 3 and len(robot.calcium[-1].data) == 12
    # a garbage map after a good one: the good one stays, and diagnostics keep saying so (WARN)
    # until a good map arrives again (the level used to fall back to OK at the next tick)
    robot.map_pub.publish(bad)
    assert ros.spin_until(lambda: nav.fault.startswith('map rejected'))
    ros.spin_for(0.3)
    status = nav.diagnostics().status[0]
    assert status.level >= DiagnosticStatus.WARN and nav.session.grid is not None
    assert any(kv.key == 'last_fault' and kv.value.startswith('map rejected')
               for kv in status.values)
    robot.map_pub.publish(occupancy_from_grid(GRID, 'map'))
    assert ros.spin_until(lambda: nav.fault == '')


def test_goal_on_a_blocked_or_off_map_cell_is_rejected(ros):
    robot = FakeRobot(ros)
    nav = navigator(ros)
    robot.map_pub.publish(occupancy_from_grid(GRID, 'map'))
    assert ros.spin_until(lambda: nav.session.grid is not None and nav.pose is not None and
                          robot.node.count_subscribers('goal_pose') > 0)
    robot.send_goal(1.5, 1.5)                  # wall cell
    assert ros.spin_until(lambda: nav.state == 'goal rejected')
    assert 'occupied' in nav.fault and nav.session.stepper is None
    robot.send_goal(20.0, 0.5)                 # off the map
    assert ros.spin_until(lambda: 'outside the map' in nav.fault)
    assert ros.spin_until(lambda: robot.diags and
                          robot.diags[-1].status[0].message == 'goal rejected')
    assert not robot.moving()


def test_reaching_the_goal_ends_the_episode_with_success(ros):
    robot = FakeRobot(ros, stamped=True)
    nav = navigator(ros, enable_stamped_cmd_vel=True, xy_goal_tolerance=0.2)
    robot.map_pub.publish(occupancy_from_grid(GRID, 'map'))
    assert ros.spin_until(lambda: nav.session.grid is not None and nav.pose is not None and
                          robot.node.count_subscribers('goal_pose') > 0)
    robot.send_goal(1.5, 0.5)                  # the neighbour east of the start
    assert drive_until_an_episode_ends(ros, nav, robot, timeout=30.0)
    ep = robot.episodes[0]
    assert ep['success'] and ep['goal_cell'] == [1, 0] and ep['cells'][0] == 0
    assert ep['steps'] == len(ep['cells']) - 1
    cmd = robot.cmds[-1]
    assert cmd.header.frame_id == 'base_link'
    assert ros.spin_until(lambda: nav.state == 'goal reached')


def test_crossbar_energy_estimate_appears_in_diagnostics(ros):
    robot = FakeRobot(ros)
    nav = navigator(ros, agent='snan', use_crossbar=True)
    robot.map_pub.publish(occupancy_from_grid(GRID, 'map'))
    assert ros.spin_until(lambda: nav.session.grid is not None and nav.pose is not None and
                          robot.node.count_subscribers('goal_pose') > 0)
    robot.send_goal(3.5, 2.5)
    assert ros.spin_until(lambda: nav.session.decision_count > 0, timeout=120.0)
    assert ros.spin_until(lambda: robot.last_state() is not None and any(
        k.startswith('energy.') for k in robot.last_state()))
    assert robot.calcium and robot.calcium[-1].info.width == 4


def test_diagnostics_carry_the_full_node_name_per_namespace(ros):
    listener = ros.node('diag_listener')
    diags = []
    listener.create_subscription(DiagnosticArray, '/diagnostics', diags.append, 10)
    for ns in ('robot1', 'robot2'):
        ros.add(SnanNavigator(context=ros.context, namespace=ns, parameter_overrides=make_params(
            {'agent': 'tremaux', 'diagnostics_period': 0.1})))

    def seen():
        return {(s.name, s.hardware_id) for d in diags for s in d.status}

    expected = {('/robot1/snan_navigator: navigation', '/robot1/snan_navigator'),
                ('/robot2/snan_navigator: navigation', '/robot2/snan_navigator')}
    assert ros.spin_until(lambda: expected <= seen())
    assert seen() == expected


class PlanningTremaux:
    """Wraps an agent: records goal cues and tells a fixed route (a stand-in for SNAN's)."""

    def __init__(self, agent, route):
        self._agent = agent
        self.route = route
        self.cues = []
        self.plan_calls = []

    def cue_goal(self, goal):
        self.cues.append(goal)
        self._agent.cue_goal(goal)

    def plan(self, cell, max_len):
        self.plan_calls.append((cell, max_len))
        return self.route[:max_len]

    def __getattr__(self, name):
        return getattr(self._agent, name)


@pytest.fixture
def wrapped_agents(monkeypatch):
    """Make the navigator build agents that record cues and tell a route (cells 4, 8, 9)."""
    from snan_nav.ros import session
    made = []
    real = session.make_agent

    def make(*args, **kwargs):
        made.append(PlanningTremaux(real(*args, **kwargs), [4, 8, 9]))
        return made[-1]

    monkeypatch.setattr(session, 'make_agent', make)
    return made


@pytest.mark.parametrize('goal_cue', [True, False])
def test_goal_cue_and_plan_path(ros, wrapped_agents, goal_cue):
    robot, nav, paths = start_with_plan_listener(ros, goal_cue=goal_cue, plan_length=2)
    robot.send_goal(3.5, 2.5)                  # cell (3, 2): id 11
    assert ros.spin_until(lambda: paths)
    agent = nav.session.agent                  # (wrapped_agents[0] is the warm-up's)
    assert agent in wrapped_agents and agent.cues == [11 if goal_cue else None]
    cell, max_len = agent.plan_calls[0]
    assert max_len == 2 and cell in (1, 4)     # from the first target cell, plan_length cells
    path = paths[0]
    assert path.header.frame_id == 'map'
    xy = [(p.pose.position.x, p.pose.position.y) for p in path.poses]
    assert xy == [(0.5, 1.5), (0.5, 2.5)]      # centres of cells 4 = (0, 1) and 8 = (0, 2)


def test_agent_without_plan_publishes_no_path(ros):
    # tremaux (the default here): no plan(), its own route is private
    robot, nav, paths = start_with_plan_listener(ros)
    robot.send_goal(3.5, 2.5)
    assert ros.spin_until(lambda: robot.markers)            # a decision was taken
    n_diag = len(robot.diags)
    assert ros.spin_until(lambda: len(robot.diags) >= n_diag + 2)
    assert nav.session.decision_count > 0 and paths == []
    assert nav.exceptions == 0, nav.fault          # nothing failed on the way either


@pytest.mark.parametrize('agent', AGENT_NAMES)
def test_every_agent_serves_every_output_through_an_episode(ros, agent):
    """Each decision maker with every output subscribed (RViz-like): no tick fails."""
    robot, nav, paths = start_with_plan_listener(ros, agent=agent, xy_goal_tolerance=0.2)
    robot.send_goal(3.5, 2.5)                  # the far corner of the U
    assert drive_until_an_episode_ends(ros, nav, robot, timeout=60.0)
    assert robot.episodes[0]['success'], robot.episodes[0]
    n_diag = len(robot.diags)
    assert ros.spin_until(lambda: len(robot.diags) >= n_diag + 2)
    assert nav.exceptions == 0, nav.fault
    assert robot.markers and robot.calcium and robot.last_state()['exceptions'] == '0'
    assert bool(paths) == callable(getattr(nav.session.agent, 'plan', None)), agent
