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
"""The one parameter reader: rcl's own answer is the reference, strict checks, hostile text.

The ROS tests hand the same file to rcl (through rclpy: ``--params-file`` and a node) and to
:mod:`snan_nav.ros.param_file`, and require the same values for every node name.
"""
import math
import os

from hypothesis import given, HealthCheck, settings, strategies as st
import pytest

from snan_nav.config import ConfigError, load_snan_params
from snan_nav.ros.param_check import check_document, checked_values, package_nodes
from snan_nav.ros.param_file import (node_parameters, parse_document, ParamFileError,
                                     read_document, read_documents, section_matches)
from snan_nav.ros.rcl_values import scalar_value

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(PACKAGE_ROOT, 'config', 'snan_nav.yaml')
ISSUE_EXAMPLE = ('/**:\n  ros__parameters:\n    snn: {tau_m_ms: 5.0}\n'
                 'snan_navigator:\n  ros__parameters:\n    snn: {tau_m_ms: 12.0}\n')


# --- what rcl gives a node (through rclpy) ----------------------------------------------------
def rcl_overrides(files, node_name='snan_navigator', namespace=None, extra=()):
    """Return the overrides rcl gives ``namespace/node_name`` for ``--params-file`` s."""
    rclpy = pytest.importorskip('rclpy')
    from rclpy.context import Context
    from rclpy.signals import SignalHandlerOptions
    from ros_testing import next_domain
    args = ['prog', '--ros-args'] + [a for f in files for a in ('--params-file', f)]
    context = Context()
    rclpy.init(args=args + list(extra), context=context, domain_id=next_domain(),
               signal_handler_options=SignalHandlerOptions.NO)
    try:
        node = rclpy.create_node(node_name, namespace=namespace, context=context,
                                 start_parameter_services=False)
        try:
            return {k: p.value for k, p in node._parameter_overrides.items()}
        finally:
            node.destroy_node()
    finally:
        rclpy.try_shutdown(context=context)


def same_values(a: dict, b: dict) -> bool:
    def same(x, y):
        if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
            return True
        return type(x) is type(y) and x == y
    return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)


SECTION_NAMES = ['/**', 'snan_navigator', '/snan_navigator', 'robot1/snan_navigator',
                 '/robot1/snan_navigator', '/robot1/*', '/**/snan_navigator', '*', 'grid_sim',
                 '/*/snan_navigator', '/**/grid_sim', 'robot2/snan_navigator']
SCALARS = ['1', '1.0', '-2.5', '1e-3', '1.5e+3', '010', '08', '0x10', '+5', '-0', '.5', '5.',
           'true', 'True', 'yes', 'on', 'No', 'off', 'Y', 'n', '"5"', "'1.0'", 'abc', '1_000',
           '.inf', '-.Inf', 'Infinity', '~', 'null', '1e999', '2001-12-14', '[1, 2]',
           '[1.0, 2.5]', '[true, false]', '[a, "b"]', '{}', '[]', '{x: 1, y.z: 2.0}']
NAMES = ['a', 'b', 'snn.tau_m_ms', 'c.d', 'control_frequency', 'e.f.g']
FQNS = [('snan_navigator', None), ('snan_navigator', '/robot1'), ('grid_sim', None),
        ('snan_navigator', '/robot2')]


def render(sections) -> str:
    """Write sections as YAML text; a name with a slash is sometimes nested instead."""
    lines = []
    for name, params, nest in sections:
        head, _, node = name.rpartition('/')
        if nest and head and head != '/**' and '*' not in name:
            lines += [f"'{head}':", f"  '{node}':", '    ros__parameters:']
            pad = '      '
        else:
            lines += [f"'{name}':", '  ros__parameters:']
            pad = '    '
        if not params:
            lines[-1] += ' {}'
        for key, text in params:
            if '.' in key and nest:
                outer, inner = key.split('.', 1)
                lines += [f'{pad}{outer}:', f'{pad}  {inner}: {text}']
            else:
                lines.append(f'{pad}{key}: {text}')
    return '\n'.join(lines) + '\n'


section = st.tuples(st.sampled_from(SECTION_NAMES),
                    st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(SCALARS)),
                             max_size=4),
                    st.booleans())


@pytest.mark.ros
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(section, min_size=1, max_size=5))
def test_reader_gives_every_node_exactly_what_rcl_gives_it(tmp_path, sections):
    path = tmp_path / 'p.yaml'
    text = render(sections)
    path.write_text(text)
    try:
        doc = read_document(str(path))
    except ParamFileError:
        doc = None
    for name, ns in FQNS:
        try:
            want = rcl_overrides([str(path)], name, ns)
        except Exception as exc:  # noqa: BLE001 -- rclpy's RCLError: rcl refused the file
            assert "Couldn't parse params file" in str(exc), exc
            assert doc is None, (text, 'rcl refused it, the reader did not', str(exc))
            return
        assert doc is not None, (text, 'the reader refused what rcl reads')
        got = node_parameters(doc, name, ns or '/')
        assert same_values(got, want), (text, name, ns, got, want)


@pytest.mark.ros
def test_issue_example_node_section_wins_in_the_node_and_the_bench(tmp_path):
    path = tmp_path / 'p.yaml'
    path.write_text(ISSUE_EXAMPLE)
    assert rcl_overrides([str(path)])['snn.tau_m_ms'] == 12.0
    assert load_snan_params(str(path)).tau_m_ms == 12.0
    flipped = tmp_path / 'q.yaml'                 # rcl: the order of first appearance decides
    flipped.write_text('snan_navigator:\n  ros__parameters:\n    snn: {tau_m_ms: 12.0}\n'
                       '/**:\n  ros__parameters:\n    snn: {tau_m_ms: 5.0}\n')
    assert rcl_overrides([str(flipped)])['snn.tau_m_ms'] == 5.0
    assert load_snan_params(str(flipped)).tau_m_ms == 5.0


@pytest.mark.ros
def test_two_files_combine_as_rcl_combines_them(tmp_path):
    a, b = tmp_path / 'a.yaml', tmp_path / 'b.yaml'
    a.write_text('snan_navigator:\n  ros__parameters:\n    x: 1\n    y: 1\n')
    b.write_text('/**:\n  ros__parameters:\n    x: 2\n    z: 2\nsnan_navigator:\n'
                 '  ros__parameters:\n    y: 3\n')
    merged = read_documents([str(a), str(b)])
    assert node_parameters(merged, 'snan_navigator') == rcl_overrides([str(a), str(b)]) == {
        'x': 2, 'y': 3, 'z': 2}


@pytest.mark.ros
def test_shipped_file_never_shadows_the_command_line():
    p, f = ['-p', 'control_frequency:=7.0'], ['--params-file', CONFIG]
    for extra in (f + p, p + f):
        assert rcl_overrides([], extra=extra)['control_frequency'] == 7.0, extra


@pytest.mark.ros
def test_a_key_under_the_node_name_shadows_an_earlier_p(tmp_path):
    """Why the shipped file lists nothing: rcl applies the node's section after /** values."""
    path = tmp_path / 'full.yaml'
    path.write_text('snan_navigator:\n  ros__parameters:\n    control_frequency: 20.0\n')
    before = rcl_overrides([], extra=['-p', 'control_frequency:=7.0', '--params-file',
                                      str(path)])
    after = rcl_overrides([str(path)], extra=['-p', 'control_frequency:=7.0'])
    assert (before['control_frequency'], after['control_frequency']) == (20.0, 7.0)


@pytest.mark.parametrize('text, value', [
    ('1', 1), ('1.0', 1.0), ('1e-3', 0.001), ('010', 8), ('0x10', 16), ('08', 8.0),
    ('yes', True), ('Off', False), ('tRUE', 'tRUE'), ('1_000', '1_000'), ('1e999', '1e999'),
    ('-.inf', -math.inf), ('~', '~'), ('99999999999999999999', 1e20)])
def test_scalars_are_typed_as_rcl_types_them(text, value):
    assert scalar_value(text) == value and type(scalar_value(text)) is type(value)
    assert scalar_value(text, quoted=True) == text


@pytest.mark.parametrize('name, fqn, hit', [
    ('/**', '/a/b/node', True), ('snan_navigator', '/robot1/snan_navigator', False),
    ('/**/snan_navigator', '/snan_navigator', True), ('/robot1/*', '/robot1/x', True),
    ('/robot1/*', '/robot1/x/y', False), ('*', '/x', True), ('robot1/x', '/robot1/x', True)])
def test_section_matching(name, fqn, hit):
    assert section_matches(name, fqn) is hit


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300).map(
    lambda b: b.decode('latin-1'))))
def test_any_text_is_read_or_refused_with_a_reason(text):
    try:
        doc = parse_document(text, 'fuzz.yaml', bare_node='snan_navigator')
    except ParamFileError as exc:
        assert 'fuzz.yaml' in str(exc)
        return
    result = check_document(doc, package_nodes())
    assert all(isinstance(m, str) for m in result.unknown + result.invalid)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(['control_frequency', 'snn.tau_m_ms', 'seed',
                                           'agent', 'use_sim_time', 'qlearning.alpha',
                                           'crossbar.array.sigma_d2d', 'start_cell']),
                          st.sampled_from(SCALARS)), max_size=6))
def test_checked_values_are_valid_or_refused_with_the_name(pairs):
    text = 'snan_navigator:\n  ros__parameters:\n' + ''.join(
        f'    {k}: {v}\n' for k, v in pairs) if pairs else ''
    try:
        doc = parse_document(text, 'p.yaml')
        values = checked_values(doc, package_nodes())
    except ParamFileError as exc:
        assert 'p.yaml' in str(exc) or 'parameters' in str(exc)
        return
    from snan_nav.ros.navigator_params import validate
    assert validate(values['snan_navigator']) is None


CORPUS = [
    # (file text, words the one-line error must contain)
    ('snan_navigator:\n  ros__parameters:\n    control_frequncy: 5.0\n',
     ["'control_frequncy'", "did you mean 'control_frequency'"]),
    ('snan_navigator:\n  ros__parameters:\n    snn.tau_ca_msx: 5.0\n',
     ["'snn.tau_ca_msx'", "did you mean 'snn.tau_ca_ms'"]),
    ('grid_sim:\n  ros__parameters:\n    mapp: builtin:open16\n', ["'mapp'", "'map'"]),
    ('snan_navigatr:\n  ros__parameters:\n    seed: 1\n',
     ["section 'snan_navigatr'", "did you mean 'snan_navigator'"]),
    ('snan_navigator:\n  ros__parameters:\n    max_linear_vel: 1\n',
     ['max_linear_vel', 'decimal point']),
    ('snan_navigator:\n  ros__parameters:\n    pose_timeout: -1.0\n',
     ['pose_timeout', 'out of range', '[0.001, 3600.0]']),
    ('snan_navigator:\n  ros__parameters:\n    agent: robot\n', ["agent = 'robot'", 'one of']),
    ('snan_navigator:\n  ros__parameters:\n    seed: "3"\n', ['seed', 'integer']),
    ('snan_navigator:\n  ros__parameters:\n    use_tf_pose: 1\n', ['use_tf_pose', 'bool']),
    ('snan_navigator:\n  ros__parameters:\n    snn: {v_reset: 2.0}\n', ['v_reset']),
    ('snan_navigator:\n  ros__parameters:\n    qlearning: {alpha: 7.0}\n', ['qlearning.alpha']),
    ('snan_navigator:\n  ros__parameters:\n    crossbar.array.g_tol: 0.7\n', ['g_tol']),
    ('grid_sim:\n  ros__parameters:\n    start_cell: [1, 2.0]\n', ['line 3', 'one type']),
    ('snan_navigator:\n  ros__parameters:\n', ['ros__parameters must be a mapping']),
    ('snan_navigator:\n  control_frequency: 5.0\n', ['a value before ros__parameters']),
    ('snan_navigator:\n  ros__parameters:\n    a: &x 1\n    b: *x\n', ['aliases']),
    ('snan_navigator: [1, 2\n', ['not valid YAML']),
    ('- 1\n', ['mapping of node names']),
    # a single value (wrong syntax): rcl refuses it ("Uninitialized map level"); it was ignored
    ('snn.tau_m_ms = 500.0\n', ['single value', 'mapping of node names']),
    ('42\n', ['single value']),
]


@pytest.mark.parametrize('text, words', CORPUS)
def test_bad_parameter_files_are_refused_by_sim_and_bench_with_a_clear_line(
        tmp_path, capsys, text, words):
    from snan_nav.cli import main
    path = tmp_path / 'bad.yaml'
    path.write_text(text)
    for argv in (['sim', '--params', str(path), '--no-compare'],
                 ['bench', '--map', 'builtin:paper10', '--agents', 'tremaux', '--params',
                  str(path), '--episodes', '1', '--seeds', '1', '--jobs', '1']):
        assert main(argv) == 2, (argv, text)
        err = capsys.readouterr().err.strip()
        assert err.startswith(f'snan-nav {argv[0]}: error: ') and '\n' not in err, err
        for word in words:
            assert word in err, (word, err)


def test_allow_unknown_runs_the_bench_and_warns(tmp_path, capsys):
    from snan_nav.cli import main
    path = tmp_path / 'typo.yaml'
    path.write_text('snan_navigator:\n  ros__parameters:\n    control_frequncy: 5.0\n')
    assert main(['bench', '--map', 'builtin:paper10', '--agents', 'tremaux', '--params',
                 str(path), '--episodes', '1', '--seeds', '1', '--jobs', '1',
                 '--allow-unknown']) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "did you mean 'control_frequency'" in err


def test_config_loader_keeps_its_errors():
    with pytest.raises(ConfigError, match='cannot read parameter file'):
        load_snan_params('/nonexistent/params.yaml')


def test_bench_says_which_navigator_settings_of_a_file_it_ignores(tmp_path, capsys):
    # cell_size, goal_cue ... come from the bench's flags; the file's values were dropped silently
    from snan_nav.cli import main
    path = tmp_path / 'nav.yaml'
    path.write_text('snan_navigator:\n  ros__parameters:\n    cell_size: 0.5\n    goal_cue: true\n'
                    '    snn: {tau_m_ms: 20.0}\n')
    assert main(['bench', '--map', 'builtin:paper10', '--agents', 'tremaux', '--params',
                 str(path), '--episodes', '1', '--seeds', '1', '--jobs', '1']) == 0
    err = capsys.readouterr().err
    assert 'warning:' in err and 'cell_size (--cell-size), goal_cue (--goal-cue)' in err
