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
"""Parameters of ``grid_sim``: declarations (no rclpy import).

The planning-grid parameters (``cell_size``, ``robot_radius``) are the navigator's own
(:data:`snan_nav.ros.navigator_params.PLANNING_PARAMS`): the simulator counts episodes, starts,
goals and budgets on the same planning cells as the navigator decides on.
"""
import math

from snan_nav.ros import ros_params
from snan_nav.ros.navigator_params import PLANNING_PARAMS
from snan_nav.ros.ros_params import NodeParam

NODE_NAME = 'grid_sim'

SIM_PARAMS = (
    NodeParam('autostart', True, 'configure and activate the lifecycle node at start-up '
              '(false: wait for a lifecycle manager); the simulation advances only while '
              'active', read_only=True),
    NodeParam('map', 'builtin:paper10', 'builtin:NAME (paper10, open16, fourrooms, mazeN, '
              'randomN) or a nav2 map_server YAML path', read_only=True),
    NodeParam('start_cell', [-1, -1], 'start planning cell [mx, my]; [-1, -1]: the map\'s '
              'start', 'cells', read_only=True),
    NodeParam('goal_cell', [-1, -1], 'goal planning cell [mx, my]; [-1, -1]: the map\'s goal',
              'cells', read_only=True),
    NodeParam('start_yaw', 0.0, 'heading of the robot at each episode start', 'rad',
              -math.pi, math.pi, read_only=True),
    NodeParam('random_start', False, 'draw each start among the free cells connected to the '
              'goal (seeded)', read_only=True),
    NodeParam('seed', 0, 'seed of seeded maps and random starts', '', 0, ros_params.INT32_MAX,
              read_only=True),
    NodeParam('update_rate', 20.0, 'simulation ticks per simulated second (odom comes once '
              'per tick: keep it above 1 / the navigator\'s pose_timeout, 2 Hz by default)',
              'Hz', 1.0, 1000.0, read_only=True),
    NodeParam('speed_factor', 1.0, 'simulated seconds per wall second (ignored in lockstep)',
              '', 0.01, 1000.0, read_only=True),
    NodeParam('publish_clock', False, 'publish /clock (run the other nodes with '
              'use_sim_time:=true)', read_only=True),
    NodeParam('lockstep', False, 'advance one tick per cmd_vel answering the latest tick (as '
              'fast as the navigator); needs publish_clock and enable_stamped_cmd_vel',
              read_only=True),
    NodeParam('lockstep_timeout', 0.5, 'wall time after which lockstep advances an idle tick',
              's', 0.001, 60.0, read_only=True),
    NodeParam('cmd_timeout', 0.5, 'a command older than this (sim time) is treated as zero; '
              '0 disables', 's', 0.0, 60.0),
    NodeParam('budget', 0, 'planning-cell entries per episode before it fails (0: 4 x free '
              'planning cells)', 'steps', 0, ros_params.INT32_MAX, read_only=True),
    NodeParam('stall_timeout', 10.0, 'an episode fails after the robot stayed this long in one '
              'cell (0 disables)', 's', 0.0, 1.0e6, read_only=True),
    NodeParam('reset_delay', 0.5, 'sim time between the end of an episode and the reset',
              's', 0.0, 60.0, read_only=True),
    NodeParam('max_episodes', 0, 'episodes to run (0: unlimited)', '', 0,
              ros_params.INT32_MAX, read_only=True),
    NodeParam('wait_for_goal_subscriber', True, 'start an episode only when goal_pose has a '
              'subscriber and, after an episode that received no cmd_vel at all, once cmd_vel '
              'arrives again', read_only=True),
    NodeParam('enable_stamped_cmd_vel', False, 'subscribe geometry_msgs/TwistStamped on '
              'cmd_vel instead of Twist', read_only=True),
    NodeParam('map_frame', 'map', 'map frame (REP-105)', read_only=True),
    NodeParam('odom_frame', 'odom', 'odometry frame (REP-105)', read_only=True),
    NodeParam('base_frame', 'base_link', 'robot base frame (REP-105)', read_only=True),
    NodeParam('publish_tf', True, 'broadcast tf odom->base and static map->odom (needs '
              'tf2_ros)', read_only=True),
) + PLANNING_PARAMS
