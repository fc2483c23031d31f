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
"""SNAN navigator only, for a real robot or another simulator: ``ros2 launch snan_nav
snan_nav.launch.py``.

The navigator needs ``map`` (nav_msgs/OccupancyGrid, latched), ``odom`` and ``goal_pose``
and publishes ``cmd_vel``; remap them to your stack. Arguments: ``params_file`` (default: the
package's config/snan_nav.yaml), ``map`` (a nav2 map YAML served by nav2_map_server with a
lifecycle manager; empty: another node publishes ``map``), ``use_sim_time`` (default false),
``autostart`` (default true; false leaves the navigator unconfigured for your lifecycle
manager), ``namespace``, ``log_level``, ``use_rviz`` (default false), ``rviz_config``.

Before any node starts, the arguments, the parameter file, the map YAML (and its image) and the
packages it needs (nav2_map_server and nav2_lifecycle_manager with ``map``, rviz2 with
``use_rviz``) are checked; a problem stops the launch with one message and exit code 1. Once
running, the exit of any node shuts the whole launch down, naming the node and its exit code.
"""
import os

from ament_index_python.packages import get_package_share_directory
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, OpaqueFunction, SetEnvironmentVariable
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node

from snan_nav.ros.launch_actions import checked_actions, rviz_node
from snan_nav.ros.launch_checks import (flag, LaunchCheckError, node_params, params_document,
                                        params_warnings, require_file, require_packages,
                                        server_map_problem)

LAUNCH_FILE = 'snan_nav.launch.py'
LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'fatal']
ARGUMENTS = ('params_file', 'map', 'use_sim_time', 'autostart', 'namespace', 'log_level',
             'use_rviz', 'rviz_config')


def _nodes(cfg):
    """Check the arguments; return the Node actions and warnings (raise LaunchCheckError)."""
    namespace = cfg['namespace'].strip('/')
    use_sim_time = flag('use_sim_time', cfg['use_sim_time'])
    autostart = flag('autostart', cfg['autostart'])
    use_rviz = flag('use_rviz', cfg['use_rviz'])
    map_yaml = cfg['map'].strip()
    require_file('params_file', cfg['params_file'])
    doc = params_document(cfg['params_file'])
    warnings = params_warnings(cfg['params_file'], doc, namespace)
    if map_yaml:
        problem = server_map_problem(map_yaml)
        if problem:
            raise LaunchCheckError(f'map:={map_yaml}: {problem}; nothing was started')
        require_packages(['nav2_map_server', 'nav2_lifecycle_manager'], 'map:=...')
    if use_rviz:
        require_packages(['rviz2'], 'use_rviz:=true')
        require_file('rviz_config', cfg['rviz_config'])
    nav = node_params(doc, 'snan_navigator', namespace)
    nav.update(use_sim_time=use_sim_time, autostart=autostart)
    ros_args = ['--log-level', cfg['log_level']]
    nodes = [Node(package='snan_nav', executable='snan_navigator', name='snan_navigator',
                  namespace=namespace, parameters=[nav], ros_arguments=ros_args,
                  output='screen')]
    if map_yaml:
        nodes += [
            Node(package='nav2_map_server', executable='map_server', name='map_server',
                 namespace=namespace, output='screen', ros_arguments=ros_args,
                 parameters=[{'yaml_filename': map_yaml, 'use_sim_time': use_sim_time}]),
            Node(package='nav2_lifecycle_manager', executable='lifecycle_manager',
                 name='lifecycle_manager_map', namespace=namespace, output='screen',
                 ros_arguments=ros_args,
                 parameters=[{'node_names': ['map_server'], 'autostart': True,
                              'use_sim_time': use_sim_time}]),
        ]
    if use_rviz:
        nodes.append(rviz_node(cfg['rviz_config'], namespace, use_sim_time))
    return nodes, warnings


def build_actions(cfg):
    """Return the exit handlers, then the nodes, for argument values ``cfg`` (all checked).

    Raises LaunchCheckError naming this file and the problem; then nothing starts.
    """
    return checked_actions(LAUNCH_FILE, _nodes, cfg)


def _launch_setup(context):
    return build_actions({k: LaunchConfiguration(k).perform(context) for k in ARGUMENTS})


def generate_launch_description():
    """Return the launch description (arguments, then the checked nodes built from them)."""
    share = get_package_share_directory('snan_nav')
    return LaunchDescription([
        SetEnvironmentVariable('RCUTILS_LOGGING_BUFFERED_STREAM', '1'),
        DeclareLaunchArgument('params_file',
                              default_value=os.path.join(share, 'config', 'snan_nav.yaml'),
                              description='ROS 2 parameter file (snan_navigator block)'),
        DeclareLaunchArgument('map', default_value='',
                              description='nav2 map YAML to serve with nav2_map_server '
                                          '(empty: map comes from elsewhere)'),
        DeclareLaunchArgument('use_sim_time', default_value='false',
                              description='follow /clock'),
        DeclareLaunchArgument('autostart', default_value='true',
                              description='configure and activate the lifecycle navigator'),
        DeclareLaunchArgument('namespace', default_value='',
                              description='namespace of the nodes and their topics'),
        DeclareLaunchArgument('log_level', default_value='info', choices=LOG_LEVELS,
                              description='logging level'),
        DeclareLaunchArgument('use_rviz', default_value='false',
                              description='start RViz (needs the rviz2 package)'),
        DeclareLaunchArgument('rviz_config',
                              default_value=os.path.join(share, 'config', 'snan_nav.rviz'),
                              description='RViz configuration'),
        OpaqueFunction(function=_launch_setup),
    ])
