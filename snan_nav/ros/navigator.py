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
"""``snan_navigator``: the SNAN agent on a robot (thin rclpy lifecycle node).

Managed like a Nav2 node (:mod:`snan_nav.ros.lifecycle`): ``configure`` creates the topics,
``activate`` starts the control timer, ``deactivate`` sends one zero command and stops it,
``cleanup`` drops map, agent and memory; ``autostart`` (default true) runs configure and
activate at start-up. No command leaves the node unless it is active.

Callbacks convert messages (:mod:`snan_nav.ros.conversions`), the map becomes the planning
grid (:mod:`snan_nav.ros.planning`) and a :class:`~snan_nav.ros.session.NavigationSession`
calls the agent exactly like the headless runner. The control timer (``control_frequency``,
node clock) checks the inputs (:mod:`snan_nav.ros.watchdog`), asks for decisions and drives
from planning-cell centre to centre with a bounded turn-then-drive controller; missing or
stale inputs and unusable goals give zero velocity, a throttled warning and a diagnostic.

Topics (relative, remappable): sub ``map`` (reliable, transient local, depth 1; processed on
a worker thread, capped at ``max_map_cells``), ``odom`` (best effort, depth 10), ``goal_pose``
twice (reliable, volatile, depth 10 for RViz; reliable, transient local, depth 1 for a goal a
simulator latched before a restart; a repeated message with the same stamp and position is
ignored); pub ``cmd_vel`` (Twist or TwistStamped, reliable, depth 10), ``/diagnostics`` (name
and hardware_id: the node's full name; published on the wall clock), ``~/markers``,
``~/plan`` (nav_msgs/Path of the agent's intended route, agents with ``plan()`` only),
``~/astrocyte_calcium`` (transient local), ``~/episode`` (JSON per episode, transient local,
depth 100). Services ``~/save_memory`` and ``~/reset_memory`` (std_srvs/Trigger, see
:mod:`snan_nav.ros.navigator_memory`). ``qos_overrides.<topic>...`` parameters override the
QoS of map, odom, goal_pose (the volatile subscription) and cmd_vel. Frames: without
``use_tf_pose`` the odom pose is the pose in ``map_frame`` (an identity ``map->odom``); with it
the pose is tf ``map_frame->base_frame`` (needs tf2_ros). Parameters the node does not
declare are reported at start-up and in /diagnostics, with the closest valid name.
"""
from collections import Counter
import time
from typing import Optional

from diagnostic_msgs.msg import DiagnosticArray
from geometry_msgs.msg import PoseStamped, Twist, TwistStamped
from nav_msgs.msg import OccupancyGrid, Odometry, Path
from rcl_interfaces.msg import SetParametersResult
from rclpy.clock import Clock, ClockType
from rclpy.event_handler import SubscriptionEventCallbacks
from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy
from rclpy.qos_overriding_options import QoSOverridingOptions
from std_msgs.msg import String
from visualization_msgs.msg import MarkerArray

from snan_nav.core.params import SNANParams
from snan_nav.ros import nav_messages, ros_params, watchdog
from snan_nav.ros.control import ControlLimits, STOP
from snan_nav.ros.lifecycle import ManagedNode
from snan_nav.ros.loop_stats import LatencyLog, LoopMonitor
from snan_nav.ros.map_intake import MapIntake
from snan_nav.ros.navigator_control import NavigatorControl
from snan_nav.ros.navigator_inputs import NavigatorInputs
from snan_nav.ros.navigator_memory import NavigatorMemory
from snan_nav.ros.navigator_outputs import NavigatorOutputs
from snan_nav.ros.navigator_params import (  # noqa: F401 (ALL_PARAMS, NAV_PARAMS re-exported)
    agent_record, ALL_PARAMS, crossbar_config, NAV_PARAMS, NODE_NAME, snn_values, validate)
from snan_nav.ros.navigator_watchdog import NavigatorWatchdog, PERIOD_S
from snan_nav.ros.node_runner import run_node
from snan_nav.ros.ros_params import StartupError
from snan_nav.ros.session import AgentSpec, NavigationSession, warm_up
from snan_nav.ros.topic_types import TypeMismatchMonitor

LATCHED = QoSProfile(depth=1, reliability=ReliabilityPolicy.RELIABLE,
                     durability=DurabilityPolicy.TRANSIENT_LOCAL)
HISTORY = QoSProfile(depth=100, reliability=ReliabilityPolicy.RELIABLE,
                     durability=DurabilityPolicy.TRANSIENT_LOCAL)


class SnanNavigator(NavigatorInputs, NavigatorControl, NavigatorOutputs, NavigatorMemory,
                    NavigatorWatchdog, ManagedNode):
    """The navigator node (see the module docstring for topics and parameters)."""

    def __init__(self, **node_kwargs):
        super().__init__(NODE_NAME, **node_kwargs)
        self.values = ros_params.declare(self, ALL_PARAMS)
        reason = validate(self.values)
        if reason:
            raise StartupError(reason)
        self.config_warnings = []
        self.add_config_warnings(ros_params.unknown_overrides(self, self.values))
        self.snn = SNANParams.from_mapping(snn_values(self.values))
        self.agent_params = (agent_record(self.values)
                             if self.values['agent'] in ('qlearning', 'dynaq') else None)
        self.exceptions = 0
        self.crossbar = crossbar_config(self.values) if self.values['use_crossbar'] else None
        self.limits = self._limits()
        self.throttle = watchdog.Throttle()
        self.latency = LatencyLog()
        self.session: Optional[NavigationSession] = None
        self.timer = None
        self._entities = []
        self.add_on_set_parameters_callback(self._on_set_parameters)
        self.add_post_set_parameters_callback(self._on_parameters_set)
        if self.values['autostart']:
            self.autostart()

    # --- lifecycle ---------------------------------------------------------------------------
    def configure(self) -> None:
        """Create topics, the diagnostics timer and a fresh session (no agent yet)."""
        v = self.values
        self._tf_buffer = self._setup_tf() if v['use_tf_pose'] else None
        self._input_names = (self.resolve_topic_name('map'), 'tf' if v['use_tf_pose'] else
                             self.resolve_topic_name('odom'))   # for hold messages
        spec = AgentSpec(v['agent'], v['seed'], self.snn, self.crossbar, self.agent_params)
        started = time.perf_counter()
        warm_up(spec)                # before any goal can arrive (see session.warm_up)
        self.get_logger().info(f'decision kernels ready in {time.perf_counter() - started:.1f} s')
        self.session = NavigationSession(spec, self._budget(), v['goal_cue'],
                                         v['recent_visits'], self._memory_store())
        self.intake = MapIntake(self._convert_map, v['max_map_cells'])
        self.loop = LoopMonitor(v['control_frequency'])
        self.holds = Counter()
        self._reset_inputs()
        self._reset_watchdog()
        self.episode_start_ns = 0
        self.last_success = None
        self.state, self.level, self.fault = 'waiting for map', watchdog.WARN, ''
        overridable = QoSOverridingOptions.with_default_policies()
        sub = self.create_subscription
        self._entities = [
            sub(OccupancyGrid, 'map', self._on_map, LATCHED, qos_overriding_options=overridable),
            sub(PoseStamped, 'goal_pose', self._on_goal, 10, qos_overriding_options=overridable),
            # A volatile publisher (RViz, ros2 topic pub) cannot serve this one; the volatile
            # subscription above takes its goals, so rclpy's "incompatible QoS, no messages will
            # be received" warning here would only mislead: logged at debug level instead.
            sub(PoseStamped, 'goal_pose', self._on_latched_goal, LATCHED,
                event_callbacks=SubscriptionEventCallbacks(
                    incompatible_qos=self._on_latched_goal_qos))]
        if self._tf_buffer is None:
            self._entities.append(sub(Odometry, 'odom', self._on_odom, QoSProfile(
                depth=10, reliability=ReliabilityPolicy.BEST_EFFORT),
                qos_overriding_options=overridable))
        stamped = bool(v['enable_stamped_cmd_vel'])
        cmd_type = TwistStamped if stamped else Twist
        cmd_pub = self.create_lifecycle_publisher(cmd_type, 'cmd_vel', 10,
                                                  qos_overriding_options=overridable)
        self.cmd_types = TypeMismatchMonitor(self, 'cmd_vel', cmd_type, publishers=False)
        self.cmd = nav_messages.CommandSender(cmd_pub, stamped, v['base_frame'],
                                              v['publish_idle_cmd'], self.limits)
        self.marker_pub = self.create_lifecycle_publisher(MarkerArray, '~/markers', 10)
        self.plan_pub = self.create_lifecycle_publisher(Path, '~/plan', 10)
        self.diag_pub = self.create_publisher(DiagnosticArray, '/diagnostics', 10)
        self.calcium_pub = self.create_publisher(OccupancyGrid, '~/astrocyte_calcium', LATCHED)
        self.episode_pub = self.create_publisher(String, '~/episode', HISTORY)
        steady = Clock(clock_type=ClockType.STEADY_TIME)   # runs without /clock too
        self._entities += [cmd_pub, self.marker_pub, self.plan_pub, self.diag_pub,
                           self.calcium_pub, self.episode_pub,
                           self.create_timer(v['diagnostics_period'], self._publish_diagnostics,
                                             clock=steady),
                           self.create_timer(PERIOD_S, self._on_watchdog, clock=steady)]
        self._entities += self._memory_services()
        self.get_logger().info(
            f"agent {v['agent']} (seed {v['seed']}, crossbar {v['use_crossbar']}, goal cue "
            f"{v['goal_cue']}), {v['control_frequency']} Hz, pose from "
            + (f"tf {v['map_frame']}->{v['base_frame']}" if v['use_tf_pose'] else 'odom')
            + f", cmd_vel as {'TwistStamped' if stamped else 'Twist'}"
            + (f", memory file {v['memory_file']}" if v['memory_file'] else ''))

    def activate(self) -> None:
        """Start the control timer."""
        self.loop.set_frequency(self.values['control_frequency'])
        self.timer = self.create_timer(1.0 / self.values['control_frequency'], self._on_tick)
        if self.state == 'inactive':
            self.state = 'idle'

    def deactivate(self) -> None:
        """Send one zero command, stop the control timer and end a running episode."""
        self.cmd.send(STOP, self._stamp(), force=True)
        if self.timer is not None:
            self.destroy_timer(self.timer)
            self.timer = None
        if self.session is not None and self.session.active:
            self._finish(self.session.abort('deactivated'))
        self._save_memory_now('deactivate')
        self.state, self.level = 'inactive', watchdog.OK

    def cleanup(self) -> None:
        """Save the memory, destroy topics, services and timers, forget map, pose and agent."""
        self._save_memory_now('cleanup')
        intake = getattr(self, 'intake', None)
        if intake is not None:
            intake.close()
        for entity in self._entities:
            destroy = {'Subscription': self.destroy_subscription, 'Timer': self.destroy_timer,
                       'Service': self.destroy_service}.get(type(entity).__name__,
                                                            self.destroy_publisher)
            destroy(entity)
        self._managed_entities.clear()
        self._entities = []
        listener = getattr(self, '_tf_listener', None)
        if listener is not None:
            listener.unregister()
            self._tf_listener = None
        self.session = None

    def _setup_tf(self):
        try:
            from tf2_ros import Buffer, TransformListener
        except ImportError:
            raise StartupError('use_tf_pose is true but tf2_ros cannot be imported (it is not '
                               'among the pip wheels): install ros-<distro>-tf2-ros or set '
                               'use_tf_pose:=false to take the pose from odom') from None
        buffer = Buffer()
        self._tf_listener = TransformListener(buffer, self)
        return buffer

    def add_config_warnings(self, warnings) -> None:
        """Log configuration warnings (unknown parameters) and keep them for /diagnostics."""
        for text in warnings:
            self.get_logger().warning(text)
            self.config_warnings.append(text)

    # --- time ------------------------------------------------------------------------------
    def _now_ns(self) -> int:
        return self.get_clock().now().nanoseconds

    def _stamp(self):
        return self.get_clock().now().to_msg()

    # --- parameters --------------------------------------------------------------------------
    def _limits(self) -> ControlLimits:
        v = self.values
        return ControlLimits(v['max_linear_vel'], v['max_angular_vel'], v['xy_goal_tolerance'],
                             v['heading_tolerance'], v['linear_gain'], v['angular_gain'])

    def _budget(self) -> Optional[int]:
        return int(self.values['episode_budget']) or None

    def _on_set_parameters(self, params) -> SetParametersResult:
        """Validate a (possibly partial) change against the full parameter set."""
        candidate = dict(self.values)
        candidate.update({p.name: p.value for p in params})
        reason = validate(candidate)
        return SetParametersResult(successful=reason is None, reason=reason or '')

    def _on_parameters_set(self, params) -> None:
        """Apply an accepted change atomically (callbacks share one exclusive group)."""
        changed = {p.name: p.value for p in params if p.name in self.values}
        if not changed:
            return  # e.g. qos_overrides.* declared while configuring
        self.values.update(changed)
        self.limits = self._limits()
        if self.session is not None:
            self.cmd.limits = self.limits
        if 'control_frequency' in changed and self.timer is not None:
            self.destroy_timer(self.timer)
            self.timer = self.create_timer(1.0 / changed['control_frequency'], self._on_tick)
            self.loop.set_frequency(changed['control_frequency'])
        if any(name.startswith(ros_params.SNN_PREFIX) for name in changed):
            self.snn = SNANParams.from_mapping(snn_values(self.values))
            setter = getattr(self.session and self.session.agent, 'set_params', None)
            if setter is not None:  # baselines have no network parameters
                setter(self.snn)
        s = self.session
        if s is not None:
            s.spec = s.spec._replace(snn=self.snn)
            s.set_budget(self._budget())
            s.goal_cue = bool(self.values['goal_cue'])
            s.set_recent_visits(self.values['recent_visits'])
            self.cmd.publish_idle = bool(self.values['publish_idle_cmd'])
        self.get_logger().info(f'parameters updated: {changed}')


def main(args=None) -> int:
    """Console script ``snan_navigator``."""
    return run_node(SnanNavigator, NODE_NAME, args,
                    'Navigates a robot on a grid, deciding every move with the spiking '
                    'neuron-astrocyte network;\nneeds map, odom (or tf) and goal_pose; '
                    'publishes cmd_vel.')


if __name__ == '__main__':
    import sys
    sys.exit(main())
