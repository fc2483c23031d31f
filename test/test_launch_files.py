"""Launch files and RViz config: static checks here, real ``ros2 launch`` where available.

``launch``/``launch_ros`` are not on the package index: the tests that need them skip
themselves (``pytest.importorskip('launch_ros')``); the static checks always run.
"""
import ast
import importlib.util
import json
import os
import threading

import pytest
import yaml

from ros_testing import HISTORY, next_domain, PACKAGE_ROOT, RosFixture, ros_env

LAUNCH = os.path.join(PACKAGE_ROOT, 'launch')
FILES = ('snan_sim.launch.py', 'snan_nav.launch.py')
ARGS = {'params_file', 'map', 'use_sim_time', 'namespace', 'log_level', 'use_rviz'}


def _declared(path):
    tree = ast.parse(open(path, encoding='utf-8').read(), path)
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, 'id', '') ==
            'DeclareLaunchArgument' and node.args and isinstance(node.args[0], ast.Constant)}


@pytest.mark.parametrize('name', FILES)
def test_launch_files_parse_and_declare_the_arguments(name):
    path = os.path.join(LAUNCH, name)
    text = open(path, encoding='utf-8').read()
    assert ARGS <= _declared(path)
    assert "get_package_share_directory('snan_nav')" in text
    assert 'def generate_launch_description' in text


def test_rviz_config_uses_transient_local_maps_and_the_map_frame():
    cfg = yaml.safe_load(open(os.path.join(PACKAGE_ROOT, 'config', 'snan_nav.rviz')))
    manager = cfg['Visualization Manager']
    assert manager['Global Options']['Fixed Frame'] == 'map'
    maps = [d for d in manager['Displays'] if d['Class'] == 'rviz_default_plugins/Map']
    assert {d['Topic']['Value'] for d in maps} == {'map', 'snan_navigator/astrocyte_calcium'}
    assert all(d['Topic']['Durability Policy'] == 'Transient Local' for d in maps)
    tools = {t['Class']: t for t in manager['Tools']}
    assert tools['rviz_default_plugins/SetGoal']['Topic']['Value'] == 'goal_pose'


def test_setup_installs_launch_config_and_console_scripts():
    text = open(os.path.join(PACKAGE_ROOT, 'setup.py'), encoding='utf-8').read()
    for needle in ("glob('launch/*launch.py')", "glob('config/*.yaml')", "glob('config/*.rviz')",
                   'snan_navigator = snan_nav.ros.navigator:main',
                   'grid_sim = snan_nav.ros.grid_sim:main'):
        assert needle in text


def _load(name):
    spec = importlib.util.spec_from_file_location(name.replace('.', '_'),
                                                  os.path.join(LAUNCH, name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('name,expected', [
    ('snan_sim.launch.py', {'/robot1/grid_sim', '/robot1/snan_navigator'}),
    ('snan_nav.launch.py', {'/robot1/snan_navigator'}),
])
def test_launch_descriptions_build_namespaced_nodes_with_their_parameters(name, expected,
                                                                          monkeypatch):
    pytest.importorskip('launch_ros')
    from launch import LaunchContext
    module = _load(name)
    monkeypatch.setattr(module, 'get_package_share_directory', lambda pkg: PACKAGE_ROOT)
    description = module.generate_launch_description()
    args = {a.name: a for a in description.get_launch_arguments()}
    assert ARGS <= set(args)
    context = LaunchContext()
    for arg in args.values():
        context.launch_configurations[arg.name] = ''.join(
            s.perform(context) for s in arg.default_value)
    context.launch_configurations.update(use_rviz='false', namespace='robot1',
                                         map='builtin:open16' if 'sim' in name else '')
    nodes = module._launch_setup(context)
    params = {}
    for node in nodes:
        node._perform_substitutions(context)
        files = [path for path, is_file in node._Node__expanded_parameter_arguments if is_file]
        for path in files:
            with open(path, encoding='utf-8') as handle:
                params.update(yaml.load(handle, Loader=yaml.FullLoader))  # python/tuple
    assert {node.node_name for node in nodes} == expected
    nav = params['/robot1/snan_navigator']['ros__parameters']
    assert nav['use_sim_time'] is ('sim' in name)
    assert nav['snn.tau_m_ms'] == 10.0 or 'snn.tau_m_ms' in nav
    if 'sim' in name:
        sim = params['/robot1/grid_sim']['ros__parameters']
        assert sim['map'] == 'builtin:open16' and sim['publish_clock'] is True


def _installed_share():
    from ament_index_python.packages import (get_package_share_directory,
                                             PackageNotFoundError)
    try:
        return get_package_share_directory('snan_nav')
    except PackageNotFoundError:
        return None


def test_launch_service_runs_sim_and_navigator_and_shuts_down_cleanly(monkeypatch):
    """``ros2 launch snan_nav snan_sim.launch.py`` minus the CLI: needs launch_ros and an
    installed package (colcon build), so it runs under ``colcon test`` on a ROS install."""
    pytest.importorskip('launch_ros')
    share = _installed_share()
    if share is None:
        pytest.skip('snan_nav is not installed (colcon build; source install/setup.bash)')
    from launch import LaunchService
    from launch.actions import IncludeLaunchDescription
    from launch.launch_description_sources import PythonLaunchDescriptionSource
    from geometry_msgs.msg import Twist
    domain = next_domain()
    for key, value in ros_env(domain).items():
        monkeypatch.setenv(key, value)
    service = LaunchService(noninteractive=True)
    service.include_launch_description(IncludeLaunchDescription(
        PythonLaunchDescriptionSource(os.path.join(share, 'launch', 'snan_sim.launch.py')),
        launch_arguments={'use_rviz': 'false', 'namespace': 'lt',
                          'map': 'builtin:paper10'}.items()))
    cmds, episodes, result = [], [], {}

    def probe():
        ros = RosFixture(domain)
        try:
            node = ros.node('launch_probe')
            node.create_subscription(Twist, '/lt/cmd_vel', cmds.append, 10)
            node.create_subscription(String, '/lt/snan_navigator/episode',
                                     lambda m: episodes.append(json.loads(m.data)), HISTORY)
            result['moving'] = ros.spin_until(lambda: any(c.linear.x > 0 for c in cmds),
                                              timeout=90.0)
        finally:
            ros.close()
            service.shutdown()

    from std_msgs.msg import String
    thread = threading.Thread(target=probe)
    thread.start()
    code = service.run()
    thread.join(timeout=60)
    assert result.get('moving'), 'no motion command from the launched navigator'
    assert code == 0
