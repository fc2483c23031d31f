"""SNAN navigator only, for a real robot or another simulator: ``ros2 launch snan_nav
snan_nav.launch.py``.

The navigator needs ``map`` (nav_msgs/OccupancyGrid, latched), ``odom`` and ``goal_pose``
and publishes ``cmd_vel``; remap them to your stack. Arguments: ``params_file`` (default: the
package's config/snan_nav.yaml), ``map`` (a nav2 map YAML served by nav2_map_server with a
lifecycle manager; empty: another node publishes ``map``), ``use_sim_time``, ``namespace``,
``log_level``, ``use_rviz``, ``rviz_config``.
"""
import os

from ament_index_python.packages import get_package_share_directory
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument, OpaqueFunction, SetEnvironmentVariable
from launch.substitutions import LaunchConfiguration
from launch_ros.actions import Node

from snan_nav.ros.param_file import load_document, node_parameters

LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'fatal']


def _truthy(text):
    return str(text).strip().lower() in ('true', '1', 'yes', 'on')


def _launch_setup(context):
    cfg = {k: LaunchConfiguration(k).perform(context) for k in (
        'params_file', 'map', 'use_sim_time', 'namespace', 'log_level', 'use_rviz',
        'rviz_config')}
    namespace = cfg['namespace'].strip('/')
    use_sim_time = _truthy(cfg['use_sim_time'])
    doc = load_document(cfg['params_file'])
    nav = node_parameters(doc, 'snan_navigator')
    if namespace:
        nav.update(node_parameters(doc, 'snan_navigator', '/' + namespace))
    nav['use_sim_time'] = use_sim_time
    ros_args = ['--log-level', cfg['log_level']]
    actions = [Node(package='snan_nav', executable='snan_navigator', name='snan_navigator',
                    namespace=namespace, parameters=[nav], ros_arguments=ros_args,
                    output='screen')]
    if cfg['map'].strip():
        actions += [
            Node(package='nav2_map_server', executable='map_server', name='map_server',
                 namespace=namespace, output='screen', ros_arguments=ros_args,
                 parameters=[{'yaml_filename': cfg['map'].strip(),
                              'use_sim_time': use_sim_time}]),
            Node(package='nav2_lifecycle_manager', executable='lifecycle_manager',
                 name='lifecycle_manager_map', namespace=namespace, output='screen',
                 ros_arguments=ros_args,
                 parameters=[{'node_names': ['map_server'], 'autostart': True,
                              'use_sim_time': use_sim_time}]),
        ]
    if _truthy(cfg['use_rviz']):
        actions.append(Node(package='rviz2', executable='rviz2', name='rviz2',
                            namespace=namespace, arguments=['-d', cfg['rviz_config']],
                            parameters=[{'use_sim_time': use_sim_time}], output='screen'))
    return actions


def generate_launch_description():
    """Return the launch description (arguments, then the nodes built from them)."""
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
        DeclareLaunchArgument('namespace', default_value='',
                              description='namespace of the node and its topics'),
        DeclareLaunchArgument('log_level', default_value='info', choices=LOG_LEVELS,
                              description='logging level'),
        DeclareLaunchArgument('use_rviz', default_value='false', description='start RViz'),
        DeclareLaunchArgument('rviz_config',
                              default_value=os.path.join(share, 'config', 'snan_nav.rviz'),
                              description='RViz configuration'),
        OpaqueFunction(function=_launch_setup),
    ])
