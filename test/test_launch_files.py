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
"""Launch files and RViz config, checked here WITHOUT launch/launch_ros, and for real where any.

launch and launch_ros are not on the package index, so the tests that need them skip
themselves; everything a broken launch file would hide behind that skip is checked here
anyway: the declared arguments and their defaults (from the source, with ``ast``), that every
executable a Node action names is a console script of setup.py, that every file a default
points to exists and is installed, and, with stand-ins for the launch classes, that bad
arguments, missing maps and missing packages stop the launch before any node starts while
every node that does start is watched by a shutdown-on-exit handler.
"""
import ast
import importlib
import importlib.util
import json
import os
import sys
import threading
import types

import pytest
import yaml

from ros_testing import HISTORY, next_domain, PACKAGE_ROOT, RosFixture, ros_env

from snan_nav.ros.launch_checks import (flag, LaunchCheckError, missing_packages,  # noqa: E402
                                        number, require_packages, server_map_problem,
                                        sim_map_problem)

LAUNCH = os.path.join(PACKAGE_ROOT, 'launch')
FILES = ('snan_sim.launch.py', 'snan_nav.launch.py')
COMMON = {'params_file', 'map', 'use_sim_time', 'autostart', 'namespace', 'log_level',
          'use_rviz', 'rviz_config'}
DEFAULTS = {
    'snan_sim.launch.py': {'use_rviz': 'false', 'use_sim_time': 'true', 'autostart': 'true',
                           'speed_factor': '', 'map': '', 'namespace': '',
                           'log_level': 'info'},
    'snan_nav.launch.py': {'use_rviz': 'false', 'use_sim_time': 'false', 'autostart': 'true',
                           'map': '', 'namespace': '', 'log_level': 'info'},
}
SHARE_DEFAULTS = {'params_file': 'config/snan_nav.yaml', 'rviz_config': 'config/snan_nav.rviz'}


# --- static: the source of the launch files and setup.py ----------------------------------------
def _tree(path):
    with open(path, encoding='utf-8') as handle:
        return ast.parse(handle.read(), path)


def _calls(tree, name):
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and
            (getattr(n.func, 'id', None) == name or getattr(n.func, 'attr', None) == name)]


def _kw(call, key):
    return next((k.value for k in call.keywords if k.arg == key), None)


def _share_path(node):
    """Return 'config/x' for ``os.path.join(share, 'config', 'x')``, else None."""
    if isinstance(node, ast.Call) and getattr(node.func, 'attr', '') == 'join':
        parts = node.args[1:]
        if all(isinstance(p, ast.Constant) for p in parts):
            return '/'.join(p.value for p in parts)
    return None


def declared(path):
    """Return ``{argument: default}``: a string, or 'share:<relative path>'."""
    out = {}
    for call in _calls(_tree(path), 'DeclareLaunchArgument'):
        name = call.args[0].value
        default = _kw(call, 'default_value')
        if isinstance(default, ast.Constant):
            out[name] = default.value
        else:
            out[name] = 'share:' + str(_share_path(default))
    return out


def console_scripts():
    """Return ``{script: 'module:function'}`` from setup.py's entry_points."""
    tree = _tree(os.path.join(PACKAGE_ROOT, 'setup.py'))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == 'console_scripts':
                    entries = [e.value for e in value.elts]
                    return dict((s.strip() for s in e.split('=')) for e in entries)
    raise AssertionError('setup.py declares no console_scripts')


@pytest.mark.parametrize('name', FILES)
def test_declared_arguments_and_defaults(name):
    args = declared(os.path.join(LAUNCH, name))
    assert COMMON <= set(args)
    for arg, default in DEFAULTS[name].items():
        assert args[arg] == default, f'{name}: {arg} defaults to {args[arg]!r}'
    for arg, rel in SHARE_DEFAULTS.items():
        assert args[arg] == 'share:' + rel
        assert os.path.isfile(os.path.join(PACKAGE_ROOT, rel)), rel
    tree = _tree(os.path.join(LAUNCH, name))
    listed = next(n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) and
                  getattr(n.targets[0], 'id', '') == 'ARGUMENTS')
    assert {e.value for e in listed.elts} == set(args), 'ARGUMENTS must list every argument'


@pytest.mark.parametrize('name', FILES)
def test_node_executables_are_console_scripts_that_import(name):
    scripts = console_scripts()
    nodes = _calls(_tree(os.path.join(LAUNCH, name)), 'Node')
    ours = [n for n in nodes if _kw(n, 'package').value == 'snan_nav']
    assert ours, name
    for node in ours:
        executable = _kw(node, 'executable').value
        assert executable in scripts, f'{name}: no console script {executable!r} in setup.py'
        module, func = scripts[executable].split(':')
        assert callable(getattr(importlib.import_module(module), func))
        assert _kw(node, 'name').value == executable


@pytest.mark.parametrize('name', FILES)
def test_every_node_is_watched_and_shuts_the_launch_down(name):
    tree = _tree(os.path.join(LAUNCH, name))
    shared = _tree(os.path.join(PACKAGE_ROOT, 'snan_nav', 'ros', 'launch_actions.py'))
    handler = next(f for f in ast.walk(shared) if isinstance(f, ast.FunctionDef) and
                   f.name == 'shutdown_on_exit')
    assert _calls(handler, 'OnProcessExit') and _calls(handler, 'Shutdown')
    checked = next(f for f in ast.walk(shared) if isinstance(f, ast.FunctionDef) and
                   f.name == 'checked_actions')
    assert _calls(checked, 'shutdown_on_exit')
    build = next(f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and
                 f.name == 'build_actions')
    assert _calls(build, 'checked_actions')
    setup = next(f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and
                 f.name == '_launch_setup')
    assert _calls(setup, 'build_actions')


def test_setup_installs_launch_config_maps_and_every_default_file():
    text = open(os.path.join(PACKAGE_ROOT, 'setup.py'), encoding='utf-8').read()
    for needle in ("glob('launch/*launch.py')", "glob('config/*.yaml')", "glob('config/*.rviz')",
                   "glob('maps/*')"):
        assert needle in text
    for rel in SHARE_DEFAULTS.values():
        assert rel.startswith('config/')
    with open(os.path.join(PACKAGE_ROOT, 'config', 'snan_nav.yaml'), encoding='utf-8') as f:
        doc = yaml.safe_load(f)
    spec = doc['grid_sim']['ros__parameters'].get('map', 'builtin:paper10')
    assert sim_map_problem(spec) is None
    for yml in sorted(os.listdir(os.path.join(PACKAGE_ROOT, 'maps'))):
        if yml.endswith('.yaml'):
            assert server_map_problem(os.path.join(PACKAGE_ROOT, 'maps', yml)) is None, yml


def test_rviz_config_uses_transient_local_maps_and_the_map_frame():
    cfg = yaml.safe_load(open(os.path.join(PACKAGE_ROOT, 'config', 'snan_nav.rviz')))
    manager = cfg['Visualization Manager']
    assert manager['Global Options']['Fixed Frame'] == 'map'
    maps = [d for d in manager['Displays'] if d['Class'] == 'rviz_default_plugins/Map']
    assert {d['Topic']['Value'] for d in maps} == {'map', 'snan_navigator/astrocyte_calcium'}
    assert all(d['Topic']['Durability Policy'] == 'Transient Local' for d in maps)
    tools = {t['Class']: t for t in manager['Tools']}
    assert tools['rviz_default_plugins/SetGoal']['Topic']['Value'] == 'goal_pose'


# --- the checks the launch files run ----------------------------------------------------------
def test_argument_and_file_checks_name_the_problem(tmp_path):
    assert flag('use_rviz', 'True') is True and flag('use_rviz', '0') is False
    with pytest.raises(LaunchCheckError, match='use_rviz'):
        flag('use_rviz', 'maybe')
    assert number('speed_factor', '2.5', 0.01, 1000.0) == 2.5
    with pytest.raises(LaunchCheckError, match=r'speed_factor.*\[0.01, 1000\]'):
        number('speed_factor', '0', 0.01, 1000.0)
    assert 'does not exist' in sim_map_problem('/nonexistent.yaml')
    assert 'unknown built-in map' in sim_map_problem('builtin:nope')
    assert 'does not exist' in server_map_problem(str(tmp_path / 'none.yaml'))


def test_missing_package_is_reported_with_its_install_name():
    if 'rviz2' not in missing_packages(['rviz2']):
        pytest.skip('rviz2 is installed here')
    with pytest.raises(LaunchCheckError, match=r'use_rviz:=true needs rviz2.*ros-\$ROS_DISTRO-'
                                               r'rviz2.*nothing was started'):
        require_packages(['rviz2'], 'use_rviz:=true')


# --- the launch logic, run with stand-ins for launch and launch_ros ---------------------------
class _Recorded:
    """Stands in for a launch class: keeps its arguments."""

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs


class _Node(_Recorded):
    pass


@pytest.fixture
def stand_ins(monkeypatch):
    """Install fake launch/launch_ros modules for one test (real ones, if any, come back)."""
    names = {'launch': ['LaunchDescription'],
             'launch.actions': ['DeclareLaunchArgument', 'LogInfo', 'OpaqueFunction',
                                'RegisterEventHandler', 'SetEnvironmentVariable', 'Shutdown'],
             'launch.event_handlers': ['OnProcessExit'],
             'launch.substitutions': ['LaunchConfiguration'],
             'launch_ros': [], 'launch_ros.actions': []}
    for module, classes in names.items():
        fake = types.ModuleType(module)
        for cls in classes:
            setattr(fake, cls, type(cls, (_Recorded,), {}))
        monkeypatch.setitem(sys.modules, module, fake)
    sys.modules['launch_ros.actions'].Node = _Node


def _load(name):
    spec = importlib.util.spec_from_file_location(name.replace('.', '_'),
                                                  os.path.join(LAUNCH, name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cfg(name, **given):
    args = declared(os.path.join(LAUNCH, name))
    cfg = {k: (os.path.join(PACKAGE_ROOT, v[len('share:'):]) if v.startswith('share:') else v)
           for k, v in args.items()}
    cfg.update(given)
    return cfg


def _params(node):
    return node.kwargs['parameters'][0]


def test_sim_launch_builds_checked_nodes(stand_ins):
    module = _load('snan_sim.launch.py')
    actions = module.build_actions(_cfg('snan_sim.launch.py', namespace='robot1'))
    nodes = [a for a in actions if isinstance(a, _Node)]
    handlers = [a for a in actions if type(a).__name__ == 'RegisterEventHandler']
    assert [n.kwargs['executable'] for n in nodes] == ['grid_sim', 'snan_navigator']
    assert len(handlers) == len(nodes)
    assert actions.index(handlers[-1]) < actions.index(nodes[0]), 'handlers come first'
    sim, nav = (_params(n) for n in nodes)
    assert nodes[0].kwargs['namespace'] == 'robot1'
    assert sim['publish_clock'] is True and sim['use_sim_time'] is False
    assert sim['speed_factor'] == module.SPEED_WITH_SIM_TIME and sim['autostart'] is True
    assert nav == {'use_sim_time': True, 'autostart': True}   # the shipped file sets nothing
    nodes = module.build_actions(_cfg('snan_sim.launch.py', use_sim_time='false',
                                      autostart='false', map='builtin:open16'))
    sim, nav = (_params(n) for n in nodes if isinstance(n, _Node))
    assert sim['speed_factor'] == 1.0 and sim['map'] == 'builtin:open16'
    assert sim['autostart'] is False and nav['autostart'] is False


def test_launch_checks_the_params_file_strictly(stand_ins, tmp_path):
    module = _load('snan_sim.launch.py')
    bad = tmp_path / 'bad.yaml'
    bad.write_text('snan_navigator:\n  ros__parameters:\n    max_linear_vel: 1\n')
    with pytest.raises(module.LaunchCheckError, match='max_linear_vel.*decimal point.*nothing '
                       'was started'):
        module.build_actions(_cfg('snan_sim.launch.py', params_file=str(bad)))
    typo = tmp_path / 'typo.yaml'
    typo.write_text('snan_navigatr:\n  ros__parameters: {}\nsnan_navigator:\n  '
                    'ros__parameters:\n    control_frequncy: 5.0\n')
    actions = module.build_actions(_cfg('snan_sim.launch.py', params_file=str(typo)))
    notes = [a.kwargs['msg'] for a in actions if type(a).__name__ == 'LogInfo']
    assert any("did you mean 'snan_navigator'" in n for n in notes), notes
    assert any("did you mean 'control_frequency'" in n for n in notes), notes


@pytest.mark.parametrize('given,needle', [
    ({'map': '/nonexistent.yaml'}, 'map:=/nonexistent.yaml: map file /nonexistent.yaml does '
                                   'not exist; nothing was started'),
    ({'map': 'builtin:nope'}, 'unknown built-in map'),
    ({'use_rviz': 'true'}, 'use_rviz:=true needs rviz2'),
    ({'speed_factor': '3', 'use_sim_time': 'false'}, 'needs use_sim_time:=true'),
    ({'speed_factor': 'fast'}, "speed_factor:='fast' is not a number"),
    ({'params_file': '/nonexistent/params.yaml'}, 'params_file:=/nonexistent/params.yaml: no '
                                                  'such file'),
])
def test_sim_launch_stops_before_any_node_starts(stand_ins, given, needle):
    if given.get('use_rviz') and not missing_packages(['rviz2']):
        pytest.skip('rviz2 is installed here')
    module = _load('snan_sim.launch.py')
    with pytest.raises(LaunchCheckError, match='snan_sim.launch.py: ') as exc:
        module.build_actions(_cfg('snan_sim.launch.py', **given))
    assert needle in str(exc.value)


def test_nav_launch_needs_the_map_server_for_a_map(stand_ins, tmp_path):
    module = _load('snan_nav.launch.py')
    nodes = [a for a in module.build_actions(_cfg('snan_nav.launch.py'))
             if isinstance(a, _Node)]
    assert [n.kwargs['executable'] for n in nodes] == ['snan_navigator']
    assert _params(nodes[0])['use_sim_time'] is False
    with pytest.raises(LaunchCheckError, match='does not exist; nothing was started'):
        module.build_actions(_cfg('snan_nav.launch.py', map='/nonexistent.yaml'))
    if missing_packages(['nav2_map_server']):
        with pytest.raises(LaunchCheckError, match='needs nav2_map_server'):
            module.build_actions(_cfg(
                'snan_nav.launch.py', map=os.path.join(PACKAGE_ROOT, 'maps', 'paper10.yaml')))


# --- for real, where launch_ros exists (a ROS distro) -----------------------------------------
@pytest.mark.parametrize('name,expected', [
    ('snan_sim.launch.py', {'/robot1/grid_sim', '/robot1/snan_navigator'}),
    ('snan_nav.launch.py', {'/robot1/snan_navigator'}),
])
def test_launch_descriptions_build_namespaced_nodes_with_their_parameters(name, expected,
                                                                          monkeypatch):
    pytest.importorskip('launch_ros')
    from launch import LaunchContext
    from launch_ros.actions import Node
    module = _load(name)
    monkeypatch.setattr(module, 'get_package_share_directory', lambda pkg: PACKAGE_ROOT)
    description = module.generate_launch_description()
    args = {a.name: a for a in description.get_launch_arguments()}
    context = LaunchContext()
    for arg in args.values():
        context.launch_configurations[arg.name] = ''.join(
            s.perform(context) for s in arg.default_value)
    context.launch_configurations.update(namespace='robot1',
                                         map='builtin:open16' if 'sim' in name else '')
    nodes = [a for a in module._launch_setup(context) if isinstance(a, Node)]
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


@pytest.mark.ros
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
    from std_msgs.msg import String
    domain = next_domain()
    for key, value in ros_env(domain).items():
        monkeypatch.setenv(key, value)
    service = LaunchService(noninteractive=True)
    service.include_launch_description(IncludeLaunchDescription(
        PythonLaunchDescriptionSource(os.path.join(share, 'launch', 'snan_sim.launch.py')),
        launch_arguments={'namespace': 'lt', 'map': 'builtin:paper10'}.items()))
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

    thread = threading.Thread(target=probe)
    thread.start()
    code = service.run()
    thread.join(timeout=60)
    assert result.get('moving'), 'no motion command from the launched navigator'
    assert code == 0
