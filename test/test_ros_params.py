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
"""Parameters: descriptors, the shipped YAML, file matching, start-up and run-time validation."""
import re
import signal
import subprocess
import sys

import pytest

from ros_testing import CONFIG, make_params, next_domain, PACKAGE_ROOT, ros_env
from ros_testing import ros_fixture  # noqa: F401

from rcl_interfaces.msg import ParameterType  # noqa: E402
from rclpy.parameter import Parameter  # noqa: E402
from rclpy.parameter_client import AsyncParameterClient  # noqa: E402

from snan_nav.core.params import PARAM_SPECS  # noqa: E402
from snan_nav.ros.grid_sim import SIM_PARAMS  # noqa: E402
from snan_nav.ros.navigator import ALL_PARAMS, SnanNavigator  # noqa: E402
from snan_nav.ros.param_file import (node_parameters, parse_document,  # noqa: E402
                                     read_document)
from snan_nav.ros.ros_params import StartupError  # noqa: E402
from snan_nav.ros.yaml_gen import document, shipped_document  # noqa: E402

STRUCTURAL = {'map_frame', 'odom_frame', 'base_frame', 'use_tf_pose', 'enable_stamped_cmd_vel',
              'seed', 'agent', 'use_crossbar', 'occupied_threshold'}


def test_descriptors_have_descriptions_units_ranges_and_read_only_flags(ros):
    nav = ros.add(SnanNavigator(context=ros.context))
    names = [p.name for p in ALL_PARAMS]
    assert len(names) == len(set(names))
    assert {'snn.' + s.name for s in PARAM_SPECS} <= set(names)
    for p, d in zip(ALL_PARAMS, nav.describe_parameters(names)):
        assert d.description, p.name
        if p.name.startswith('crossbar.'):
            assert d.read_only, p.name                          # configures the device
            continue
        if d.type == ParameterType.PARAMETER_DOUBLE:
            assert len(d.floating_point_range) == 1, p.name
            assert '[' in d.description or not p.unit, p.name     # unit in the description
        if d.type == ParameterType.PARAMETER_INTEGER:
            assert len(d.integer_range) == 1, p.name
        if p.name in STRUCTURAL:
            assert d.read_only, p.name
    specs = {'snn.' + s.name: s for s in PARAM_SPECS}
    for p, d in zip(ALL_PARAMS, nav.describe_parameters(names)):
        if p.name in specs:
            assert d.read_only == specs[p.name].read_only
            assert specs[p.name].unit in d.description


def test_shipped_yaml_lists_only_changes_and_the_full_listing_every_default():
    with open(CONFIG, encoding='utf-8') as handle:
        text = handle.read()
    hint = 'regenerate: python -m snan_nav.ros.yaml_gen > config/snan_nav.yaml'
    assert text == shipped_document(ALL_PARAMS, SIM_PARAMS), hint
    doc = read_document(CONFIG)
    assert [s.name for s in doc.sections] == ['snan_navigator', 'grid_sim']
    assert all(not s.params for s in doc.sections)        # nothing can shadow -p
    full = document(ALL_PARAMS, SIM_PARAMS)
    listing = parse_document(full)
    for name, params in (('snan_navigator', ALL_PARAMS), ('grid_sim', SIM_PARAMS)):
        values = node_parameters(listing, name)
        assert set(values) == {p.name for p in params} | {'use_sim_time'}
        for p in params:
            assert values[p.name] == p.default and type(values[p.name]) is type(p.default), \
                p.name
    leaves = [line for line in full.splitlines()
              if re.match(r'^\s+[A-Za-z_0-9]+: \S', line) and not line.lstrip().startswith('#')]
    assert len(leaves) == len(ALL_PARAMS) + len(SIM_PARAMS) + 1      # + use_sim_time
    assert not [line for line in leaves if '  # ' not in line]
    assert not re.search(r'\d[eE][-+]?\d', full.split('/**:')[1]), 'no exponents in YAML'
    changed = shipped_document(ALL_PARAMS, SIM_PARAMS, {'snan_navigator': {'seed': 3}})
    assert node_parameters(parse_document(changed), 'snan_navigator') == {'seed': 3}


def test_out_of_range_override_stops_start_up_with_a_clear_message(ros):
    with pytest.raises(StartupError, match=r'snn\.tau_m_ms.*0\.1'):
        SnanNavigator(context=ros.context,
                      parameter_overrides=make_params({'snn.tau_m_ms': 0.0}))
    with pytest.raises(StartupError, match='max_linear_vel.*decimal point'):
        SnanNavigator(context=ros.context,
                      parameter_overrides=make_params({'max_linear_vel': 1}))
    with pytest.raises(StartupError, match='v_reset'):
        SnanNavigator(context=ros.context, parameter_overrides=make_params(
            {'snn.v_reset': 2.0, 'snn.v_threshold': 1.0}))
    with pytest.raises(StartupError, match="agent = 'nope'"):
        SnanNavigator(context=ros.context, parameter_overrides=make_params({'agent': 'nope'}))
    with pytest.raises(StartupError, match='use_crossbar'):
        SnanNavigator(context=ros.context, parameter_overrides=make_params(
            {'agent': 'random', 'use_crossbar': True}))
    with pytest.raises(StartupError, match='crossbar: .*g_tol'):
        SnanNavigator(context=ros.context, parameter_overrides=make_params(
            {'crossbar.array.g_tol': 0.7}))


def test_use_tf_pose_without_tf2_ros_refuses_to_start(ros):
    try:
        import tf2_ros  # noqa: F401
        pytest.skip('tf2_ros is installed here')
    except ImportError:
        pass
    with pytest.raises(StartupError, match='tf2_ros'):
        SnanNavigator(context=ros.context, parameter_overrides=make_params(
            {'use_tf_pose': True}))


@pytest.mark.ros
def test_navigator_process_exits_2_on_a_bad_yaml_value(tmp_path):
    bad = tmp_path / 'bad.yaml'
    bad.write_text('snan_navigator:\n  ros__parameters:\n    pose_timeout: -1.0\n')
    proc = subprocess.run(
        [sys.executable, '-m', 'snan_nav.ros.navigator', '--ros-args', '--params-file',
         str(bad)], env=ros_env(next_domain()), cwd=PACKAGE_ROOT, capture_output=True,
        text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert 'pose_timeout' in proc.stderr and '[0.001, 3600.0]' in proc.stderr, proc.stderr


def test_runtime_set_parameters_validated_with_reasons_and_applied(ros):
    nav = ros.add(SnanNavigator(context=ros.context,
                                parameter_overrides=make_params({'agent': 'tremaux'})))
    client_node = ros.node('param_client')
    client = AsyncParameterClient(client_node, 'snan_navigator')
    assert ros.spin_until(client.services_are_ready)

    def set_one(name, value):
        future = client.set_parameters([Parameter(name, value=value)])
        assert ros.spin_until(future.done)
        return future.result().results[0]

    bad = set_one('max_linear_vel', -1.0)
    assert not bad.successful and 'max_linear_vel' in bad.reason
    bad = set_one('snn.v_reset', 1.5)                 # above v_threshold = 1.0
    assert not bad.successful and 'v_reset' in bad.reason
    bad = set_one('seed', 3)
    assert not bad.successful and 'read-only' in bad.reason
    bad = set_one('heading_tolerance', float('nan'))
    assert not bad.successful and bad.reason
    assert nav.limits.max_linear_vel == 0.5 and nav.snn.v_reset == 0.0
    good = set_one('max_linear_vel', 0.3)
    assert good.successful
    assert nav.limits.max_linear_vel == 0.3
    good = set_one('snn.astro_alpha', 0.5)
    assert good.successful and nav.snn.astro_alpha == 0.5
    period = nav.timer.timer_period_ns
    assert set_one('control_frequency', 10.0).successful
    assert nav.timer.timer_period_ns == 2 * period
    future = client.set_parameters_atomically([Parameter('max_angular_vel', value=1.0),
                                               Parameter('pose_timeout', value=-5.0)])
    assert ros.spin_until(future.done)
    assert not future.result().result.successful
    assert nav.limits.max_angular_vel == 2.0          # nothing applied from a rejected batch


def test_unknown_overrides_are_warned_about_with_the_closest_name(ros):
    from snan_nav.ros.grid_sim import GridSimNode
    nav = ros.add(SnanNavigator(context=ros.context, parameter_overrides=make_params(
        {'control_frequncy': 5.0, 'snn.tau_ca_msx': 1.0, 'use_sim_time': False})))
    assert len(nav.config_warnings) == 2, nav.config_warnings
    assert any("'control_frequncy'" in w and "did you mean 'control_frequency'" in w
               for w in nav.config_warnings)
    assert any("did you mean 'snn.tau_ca_ms'" in w for w in nav.config_warnings)
    diag = nav.diagnostics().status[0]
    assert diag.level >= bytes([1])
    assert "control_frequncy" in {v.key: v.value for v in diag.values}['unknown_parameters']
    sim = ros.add(GridSimNode(context=ros.context, parameter_overrides=make_params(
        {'mapp': 'builtin:open16'})))
    assert len(sim.config_warnings) == 1 and "did you mean 'map'" in sim.config_warnings[0]


@pytest.mark.ros
def test_navigator_process_warns_about_a_section_that_misses_it(tmp_path):
    typo = tmp_path / 'typo.yaml'
    typo.write_text('snan_navigatr:\n  ros__parameters:\n    seed: 3\n')
    proc = subprocess.Popen(
        [sys.executable, '-m', 'snan_nav.ros.navigator', '--ros-args', '--params-file',
         str(typo)], env=ros_env(next_domain()), cwd=PACKAGE_ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        for line in proc.stdout:             # ends when the process does
            lines.append(line)
            if "did you mean 'snan_navigator'" in line:
                break
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    assert any("section 'snan_navigatr'" in line and 'does not apply to this node' in line
               for line in lines), ''.join(lines)
    assert proc.returncode == 0


def test_the_parameter_tables_of_docs_ros_md_are_the_generated_ones():
    import os
    from snan_nav.ros.yaml_gen import parameter_tables
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, 'docs', 'ros.md'), encoding='utf-8') as handle:
        text = handle.read()
    assert parameter_tables() in text, ('docs/ros.md is out of date: regenerate its tables '
                                        'with python -m snan_nav.ros.yaml_gen --markdown')


def test_a_relation_between_network_constants_is_reported_as_such():
    # it read 'snn.1 + 2 x wave_delay_ticks ...', as if '1 + 2 x ...' were a parameter's name
    from snan_nav.ros.navigator_params import validate
    assert validate({'snn.wave_delay_ticks': 10}).startswith('snn: 1 + 2 x wave_delay_ticks')
    assert validate({'snn.tau_m_ms': 0.0}).startswith('snn.tau_m_ms = 0.0')
