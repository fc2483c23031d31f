"""Grid-world simulator + SNAN navigator (+ RViz): ``ros2 launch snan_nav snan_sim.launch.py``.

Arguments: ``params_file`` (default: the package's config/snan_nav.yaml), ``map`` (builtin:NAME
or a nav2 map YAML; empty: grid_sim.map from the file), ``use_sim_time`` (true: the simulator
publishes /clock at its speed_factor and both nodes follow it), ``namespace``, ``log_level``,
``use_rviz``, ``rviz_config``. Each node gets its own block of the parameter file (root keys
``/**``, ``snan_navigator``, ``grid_sim``, or namespaced keys), whatever the namespace.
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


def _node_params(doc, name, namespace):
    params = node_parameters(doc, name)
    if namespace:
        params.update(node_parameters(doc, name, '/' + namespace))
    return params


def _launch_setup(context):
    cfg = {k: LaunchConfiguration(k).perform(context) for k in (
        'params_file', 'map', 'use_sim_time', 'namespace', 'log_level', 'use_rviz',
        'rviz_config')}
    namespace = cfg['namespace'].strip('/')
    use_sim_time = _truthy(cfg['use_sim_time'])
    doc = load_document(cfg['params_file'])
    sim = _node_params(doc, 'grid_sim', namespace)
    sim.update(publish_clock=use_sim_time, use_sim_time=False)   # the simulator owns /clock
    if cfg['map'].strip():
        sim['map'] = cfg['map'].strip()
    nav = _node_params(doc, 'snan_navigator', namespace)
    nav['use_sim_time'] = use_sim_time
    ros_args = ['--log-level', cfg['log_level']]
    actions = [
        Node(package='snan_nav', executable='grid_sim', name='grid_sim', namespace=namespace,
             parameters=[sim], ros_arguments=ros_args, output='screen'),
        Node(package='snan_nav', executable='snan_navigator', name='snan_navigator',
             namespace=namespace, parameters=[nav], ros_arguments=ros_args, output='screen'),
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
                              description='ROS 2 parameter file for both nodes'),
        DeclareLaunchArgument('map', default_value='',
                              description='builtin:NAME or nav2 map YAML (empty: from the '
                                          'parameter file)'),
        DeclareLaunchArgument('use_sim_time', default_value='true',
                              description='simulator publishes /clock, both nodes use it'),
        DeclareLaunchArgument('namespace', default_value='',
                              description='namespace of all nodes and topics'),
        DeclareLaunchArgument('log_level', default_value='info', choices=LOG_LEVELS,
                              description='logging level of the nodes'),
        DeclareLaunchArgument('use_rviz', default_value='true', description='start RViz'),
        DeclareLaunchArgument('rviz_config',
                              default_value=os.path.join(share, 'config', 'snan_nav.rviz'),
                              description='RViz configuration'),
        OpaqueFunction(function=_launch_setup),
    ])
