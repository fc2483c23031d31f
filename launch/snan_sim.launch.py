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
"""Grid-world simulator + SNAN navigator (+ RViz): ``ros2 launch snan_nav snan_sim.launch.py``.

Arguments (``ros2 launch snan_nav snan_sim.launch.py --show-args``):

- ``params_file``: parameter file (default: the package's config/snan_nav.yaml); each node gets
  its own block (root keys ``/**``, ``snan_navigator``, ``grid_sim``, or namespaced keys);
- ``map``: builtin:NAME or a nav2 map YAML (empty: grid_sim.map from the file);
- ``use_sim_time`` (default true): the simulator publishes /clock and both nodes follow it;
- ``speed_factor``: simulated seconds per wall second (empty: 5.0 with use_sim_time, else 1.0;
  other values than 1.0 need use_sim_time); overrides the file;
- ``autostart`` (default true): false leaves both lifecycle nodes unconfigured for a manager;
- ``namespace``, ``log_level``;
- ``use_rviz`` (default false: RViz is opt-in and needs the rviz2 package), ``rviz_config``.

Before any node starts, the arguments, the parameter file, the map and (with use_rviz) the
rviz2 package are checked; a problem stops the launch with one message and exit code 1. Once
running, the exit of any node shuts the whole launch down, naming the node and its exit code.
"""
import os

from ament_index_python.packages import get_package_share_directory
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, OpaqueFunction, SetEnvironmentVariable
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node

from snan_nav.ros.launch_actions import checked_actions, rviz_node
from snan_nav.ros.launch_checks import (flag, LaunchCheckError, node_params, number,
                                        params_document, params_warnings, require_file,
                                        require_packages, sim_map_problem)
from snan_nav.ros.ros_params import by_name
from snan_nav.ros.sim_params import SIM_PARAMS

LAUNCH_FILE = 'snan_sim.launch.py'
LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'fatal']
SPEED_WITH_SIM_TIME = 5.0
ARGUMENTS = ('params_file', 'map', 'use_sim_time', 'speed_factor', 'autostart', 'namespace',
             'log_level', 'use_rviz', 'rviz_config')


def _nodes(cfg):
    """Check the arguments; return the Node actions and warnings (raise LaunchCheckError)."""
    namespace = cfg['namespace'].strip('/')
    use_sim_time = flag('use_sim_time', cfg['use_sim_time'])
    autostart = flag('autostart', cfg['autostart'])
    use_rviz = flag('use_rviz', cfg['use_rviz'])
    text = cfg['speed_factor'].strip()
    speed = number('speed_factor', text, 0.01, 1000.0) if text else (
        SPEED_WITH_SIM_TIME if use_sim_time else 1.0)
    if speed != 1.0 and not use_sim_time:
        raise LaunchCheckError(f'speed_factor:={text} needs use_sim_time:=true (without /clock '
                               'the navigator runs on wall time)')
    require_file('params_file', cfg['params_file'])
    doc = params_document(cfg['params_file'])
    warnings = params_warnings(cfg['params_file'], doc, namespace)
    sim = node_params(doc, 'grid_sim', namespace)
    if cfg['map'].strip():
        sim['map'] = cfg['map'].strip()
    spec = sim.get('map', by_name(SIM_PARAMS)['map'].default)
    problem = sim_map_problem(spec, int(sim.get('seed', 0)))
    if problem:
        raise LaunchCheckError(f'map:={spec}: {problem}; nothing was started')
    if use_rviz:
        require_packages(['rviz2'], 'use_rviz:=true')
        require_file('rviz_config', cfg['rviz_config'])
    # The simulator owns /clock: it never follows one itself.
    sim.update(publish_clock=use_sim_time, use_sim_time=False, speed_factor=speed,
               autostart=autostart)
    nav = node_params(doc, 'snan_navigator', namespace)
    nav.update(use_sim_time=use_sim_time, autostart=autostart)
    ros_args = ['--log-level', cfg['log_level']]
    nodes = [
        Node(package='snan_nav', executable='grid_sim', name='grid_sim', namespace=namespace,
             parameters=[sim], ros_arguments=ros_args, output='screen'),
        Node(package='snan_nav', executable='snan_navigator', name='snan_navigator',
             namespace=namespace, parameters=[nav], ros_arguments=ros_args, output='screen'),
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
                              description='ROS 2 parameter file for both nodes'),
        DeclareLaunchArgument('map', default_value='',
                              description='builtin:NAME or nav2 map YAML (empty: from the '
                                          'parameter file)'),
        DeclareLaunchArgument('use_sim_time', default_value='true',
                              description='simulator publishes /clock, both nodes use it'),
        DeclareLaunchArgument('speed_factor', default_value='',
                              description='sim seconds per wall second (empty: 5.0 with '
                                          'use_sim_time, else 1.0)'),
        DeclareLaunchArgument('autostart', default_value='true',
                              description='configure and activate both lifecycle nodes'),
        DeclareLaunchArgument('namespace', default_value='',
                              description='namespace of all nodes and topics'),
        DeclareLaunchArgument('log_level', default_value='info', choices=LOG_LEVELS,
                              description='logging level of the nodes'),
        DeclareLaunchArgument('use_rviz', default_value='false',
                              description='start RViz (needs the rviz2 package)'),
        DeclareLaunchArgument('rviz_config',
                              default_value=os.path.join(share, 'config', 'snan_nav.rviz'),
                              description='RViz configuration'),
        OpaqueFunction(function=_launch_setup),
    ])
