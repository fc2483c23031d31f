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
"""Managed lifecycle of both nodes, driven through their ``~/change_state`` services.

The navigator must publish no command unless active, send one zero command on deactivate,
and come back to a clean state on cleanup; the simulator must advance only while active.
Absence of commands is checked against the node's own diagnostics (which keep coming while
inactive), never against a fixed wait.
"""
from lifecycle_msgs.msg import Transition
from lifecycle_msgs.srv import ChangeState, GetState
import pytest

from ros_testing import make_params, ros_fixture  # noqa: F401
from test_navigator_node import FakeRobot, GRID, _twist

from snan_nav.ros.conversions import occupancy_from_grid  # noqa: E402
from snan_nav.ros.grid_sim import GridSimNode  # noqa: E402
from snan_nav.ros.navigator import SnanNavigator  # noqa: E402

pytestmark = pytest.mark.ros


class Lifecycle:
    """Clients of a node's ``~/change_state`` and ``~/get_state`` services."""

    def __init__(self, ros, node_name):
        self.ros = ros
        client_node = ros.node(f'lc_client_{node_name.strip("/").replace("/", "_")}')
        self.change = client_node.create_client(ChangeState, f'{node_name}/change_state')
        self.get = client_node.create_client(GetState, f'{node_name}/get_state')
        assert ros.spin_until(lambda: self.change.service_is_ready() and
                              self.get.service_is_ready())

    def state(self) -> str:
        future = self.get.call_async(GetState.Request())
        assert self.ros.spin_until(future.done)
        return future.result().current_state.label

    def set(self, transition_id) -> bool:
        future = self.change.call_async(ChangeState.Request(
            transition=Transition(id=transition_id)))
        assert self.ros.spin_until(future.done)
        return future.result().success


def zero(cmd) -> bool:
    twist = _twist(cmd)
    return twist.linear.x == 0.0 and twist.angular.z == 0.0


def test_navigator_transitions_and_cmd_vel_in_each_state(ros):
    robot = FakeRobot(ros)
    nav = ros.add(SnanNavigator(context=ros.context, parameter_overrides=make_params(
        {'agent': 'tremaux', 'autostart': False, 'diagnostics_period': 0.1})))
    lc = Lifecycle(ros, '/snan_navigator')
    assert lc.state() == 'unconfigured'
    assert robot.node.count_publishers('cmd_vel') == 0      # nothing exists yet
    assert not lc.set(Transition.TRANSITION_ACTIVATE)        # not allowed from unconfigured

    assert lc.set(Transition.TRANSITION_CONFIGURE)
    assert lc.state() == 'inactive'
    robot.map_pub.publish(occupancy_from_grid(GRID, 'map'))
    assert ros.spin_until(lambda: nav.session.grid is not None and nav.pose is not None)
    robot.send_goal(3.5, 0.5)                               # rejected while inactive
    assert ros.spin_until(lambda: nav.state == 'goal rejected' and 'not active' in nav.fault)
    n_diag = len(robot.diags)
    assert ros.spin_until(lambda: len(robot.diags) >= n_diag + 3)   # time passes in the node
    assert robot.cmds == [], 'an inactive navigator published a command'
    assert robot.diags[-1].status[0].values[1].value == 'inactive'  # lifecycle_state

    assert lc.set(Transition.TRANSITION_ACTIVATE)
    assert lc.state() == 'active'
    assert ros.spin_until(lambda: robot.cmds)               # idle zero commands flow
    assert all(zero(c) for c in robot.cmds)
    assert ros.spin_until(lambda: robot.node.count_subscribers('goal_pose') > 0)
    robot.send_goal(3.5, 0.5)
    assert ros.spin_until(robot.moving), 'the active navigator never commanded a motion'

    assert lc.set(Transition.TRANSITION_DEACTIVATE)
    assert lc.state() == 'inactive'
    assert ros.spin_until(lambda: zero(robot.cmds[-1]))     # one zero command on deactivate
    n_cmds, n_diag = len(robot.cmds), len(robot.diags)
    assert ros.spin_until(lambda: len(robot.diags) >= n_diag + 3)
    assert len(robot.cmds) == n_cmds and zero(robot.cmds[-1]), 'commands after deactivate'
    assert ros.spin_until(lambda: robot.episodes and
                          robot.episodes[-1]['outcome'] == 'deactivated')

    assert lc.set(Transition.TRANSITION_CLEANUP)
    assert lc.state() == 'unconfigured'
    assert nav.session is None
    assert ros.spin_until(lambda: robot.node.count_publishers('cmd_vel') == 0)
    assert lc.set(Transition.TRANSITION_CONFIGURE)          # configure again: a fresh start
    assert nav.session.grid is None and nav.session.episode_count == 0
    assert lc.set(Transition.TRANSITION_INACTIVE_SHUTDOWN)
    assert lc.state() == 'finalized'
    assert len(robot.cmds) == n_cmds


def test_navigator_shutdown_while_active_sends_a_last_zero_command(ros):
    robot = FakeRobot(ros)
    nav = navigator_active(ros)
    robot.map_pub.publish(occupancy_from_grid(GRID, 'map'))
    assert ros.spin_until(lambda: nav.session.grid is not None and
                          robot.node.count_subscribers('goal_pose') > 0 and nav.pose)
    robot.send_goal(3.5, 2.5)
    assert ros.spin_until(robot.moving)
    n_cmds = len(robot.cmds)
    nav.finalize()                                          # what the runner does on SIGINT
    assert nav.lifecycle_state == 'finalized'
    assert ros.spin_until(lambda: len(robot.cmds) > n_cmds and zero(robot.cmds[-1]))


def navigator_active(ros):
    nav = ros.add(SnanNavigator(context=ros.context, parameter_overrides=make_params(
        {'agent': 'tremaux'})))
    assert nav.lifecycle_state == 'active'                  # autostart defaults to true
    return nav


def test_simulator_advances_only_while_active(ros):
    sim = ros.add(GridSimNode(context=ros.context, parameter_overrides=make_params(
        {'map': 'builtin:paper10', 'speed_factor': 20.0, 'autostart': False,
         'wait_for_goal_subscriber': False})))
    lc = Lifecycle(ros, '/grid_sim')
    assert lc.state() == 'unconfigured' and sim.sim is None
    assert lc.set(Transition.TRANSITION_CONFIGURE)
    assert sim.sim is not None and sim.ticks == 0
    assert lc.set(Transition.TRANSITION_ACTIVATE)
    assert ros.spin_until(lambda: sim.ticks > 5 and sim.sim.episodes_started == 1)
    assert lc.set(Transition.TRANSITION_DEACTIVATE)
    paused = sim.ticks
    probe = ros.node('tick_probe')
    beats = []
    probe.create_timer(0.01, lambda: beats.append(1))
    assert ros.spin_until(lambda: len(beats) >= 20)         # the executor keeps spinning
    assert sim.ticks == paused, 'the simulation advanced while inactive'
    assert lc.set(Transition.TRANSITION_ACTIVATE)
    assert ros.spin_until(lambda: sim.ticks > paused)


def test_configure_failure_keeps_the_node_unconfigured_with_the_reason(ros):
    sim = ros.add(GridSimNode(context=ros.context, parameter_overrides=make_params(
        {'map': '/nonexistent/map.yaml', 'autostart': False})))
    lc = Lifecycle(ros, '/grid_sim')
    assert not lc.set(Transition.TRANSITION_CONFIGURE)
    assert lc.state() == 'unconfigured'
    assert 'does not exist' in sim.transition_error


def test_a_destroyed_navigator_does_not_silence_the_rosout_of_the_next_one():
    # rclpy leaves a lifecycle node's state machine (holding the rcl node) to the garbage
    # collector, which then unregisters the node's name from /rosout: a restarted navigator
    # in the same process would log to the console only.
    import gc
    from rcl_interfaces.msg import Log
    from ros_testing import HISTORY, RosFixture
    first = RosFixture()
    first.add(SnanNavigator(context=first.context, parameter_overrides=make_params(
        {'agent': 'tremaux'})))
    first.close()
    del first
    second = RosFixture()
    try:
        logs = []
        listener = second.node('listener')
        listener.create_subscription(Log, '/rosout', logs.append, HISTORY)
        nav = second.add(SnanNavigator(context=second.context, parameter_overrides=make_params(
            {'agent': 'tremaux'})))
        gc.collect()                      # finalises whatever the first navigator left behind
        nav.get_logger().warning('the second navigator is heard')
        assert second.spin_until(lambda: any(log.msg == 'the second navigator is heard'
                                             for log in logs), timeout=10.0)
    finally:
        second.close()
