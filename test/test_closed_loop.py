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
"""Closed loop in one process: grid_sim + snan_navigator over real ROS 2 topics.

The robot must reach the goal, the steps must fall over the episodes, and the cell sequence of
every episode must equal the headless runner's with the same seed (the determinism contract
of the closed loop, docs/architecture.md).
"""
import json
import os
import subprocess
import sys

import pytest

from ros_testing import next_domain, PACKAGE_ROOT, ros_env

pytest.importorskip('rclpy')

from snan_nav.ros import launcher  # noqa: E402
from snan_nav.world.bfs import path_length  # noqa: E402
from snan_nav.world.builtin import grid_from_rows  # noqa: E402
from snan_nav.world.map_io import save_map  # noqa: E402

pytestmark = pytest.mark.ros

ROWS = ('......', '.####.', '......', '.#..#.', '......')
FAST = {'max_linear_vel': 1.0, 'max_angular_vel': 6.0, 'linear_gain': 4.0,
        'angular_gain': 8.0, 'xy_goal_tolerance': 0.05}


@pytest.fixture
def small_map(tmp_path):
    """A 6 x 5 map, 0.5 m cells and a shifted origin, saved as a nav2 map YAML."""
    grid = grid_from_rows(ROWS, 'small', (0, 0), (5, 4))
    from snan_nav.world.grid import GridMap
    grid = GridMap(grid.blocked, 0.5, (-1.0, 2.0, 0.0), 'small', (0, 0), (5, 4))
    path = str(tmp_path / 'small.yaml')
    save_map(grid, path)
    return path, grid


def test_closed_loop_reaches_goal_learns_and_matches_headless(small_map, monkeypatch):
    path, grid = small_map
    monkeypatch.setenv('ROS_DOMAIN_ID', str(next_domain()))
    doc = {'snan_navigator': {'ros__parameters': dict(FAST, agent='snan')},
           'grid_sim': {'ros__parameters': {'map': path}}}
    cfg = launcher.SimConfig(episodes=6, seed=0, params_document=doc, timeout_s=240.0)
    result = launcher.run_closed_loop(cfg)
    report = result.report
    assert result.complete, f'only {len(result.episodes)} episodes in time'
    steps = [e['steps'] for e in report['episodes']]
    assert all(e['success'] for e in report['episodes']), steps
    assert report['completion_rate'] == 1.0
    shortest = path_length(grid, grid.start, grid.goal)
    assert min(steps) >= shortest
    assert sum(steps[-3:]) / 3 < steps[0] or steps[0] == shortest, steps
    assert report['headless']['same_cell_sequence'], report['headless']
    assert report['headless']['steps'] == steps
    assert [e['success'] for e in report['sim_episodes']] == [True] * 6
    lat = report['decision_latency_ms']
    assert 0 < lat['n'] <= sum(steps) + len(steps) and lat['median'] > 0.0


def test_sim_command_writes_the_json_report(small_map, tmp_path):
    path, _ = small_map
    params = tmp_path / 'params.yaml'
    params.write_text('snan_navigator:\n  ros__parameters:\n'
                      + ''.join(f'    {k}: {v}\n' for k, v in FAST.items()))
    out = tmp_path / 'run.json'
    proc = subprocess.run(
        [sys.executable, '-m', 'snan_nav.cli', 'sim', '--map', path, '--episodes', '2',
         '--seed', '1', '--params', str(params), '--json', str(out), '--plot',
         str(tmp_path / 'plots'), '--timeout', '240'],
        env=ros_env(next_domain()), cwd=PACKAGE_ROOT, capture_output=True, text=True,
        timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(out.read_text())
    assert set(report) >= {'episodes', 'completion_rate', 'median_steps',
                           'decision_latency_ms'}
    assert len(report['episodes']) == 2
    assert set(report['episodes'][0]) >= {'steps', 'success', 'sim_time_s'}
    assert set(report['decision_latency_ms']) >= {'median', 'p99'}
    for name in ('learning_curve', 'paths', 'cmd_vel', 'latency'):
        assert os.path.isfile(tmp_path / 'plots' / f'closed_loop_{name}.png'), name
    assert report['planning_cell_m'] == 0.5 and report['goal_cue'] is True
    assert 'same cell sequence' in proc.stdout


@pytest.mark.parametrize('args,needle', [
    (['--map', 'builtin:nope'], 'unknown built-in map'),
    (['--episodes', '0'], '--episodes'),
    (['--params', '/nonexistent.yaml'], 'does not exist'),
    (['--cell-size', '-1'], '--cell-size must lie in [0, 100] m'),
    (['--robot-radius', 'nan'], '--robot-radius must lie in [0, 10] m'),
])
def test_sim_command_bad_arguments_exit_2_with_one_line(args, needle):
    proc = subprocess.run([sys.executable, '-m', 'snan_nav.cli', 'sim'] + args,
                          env=ros_env(next_domain()), cwd=PACKAGE_ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], proc.stderr


def test_sim_command_out_of_range_parameter_exits_2(tmp_path):
    params = tmp_path / 'bad.yaml'
    params.write_text('snan_navigator:\n  ros__parameters:\n    snn:\n      tau_m_ms: 0.0\n')
    proc = subprocess.run([sys.executable, '-m', 'snan_nav.cli', 'sim', '--episodes', '1',
                           '--params', str(params)],
                          env=ros_env(next_domain()), cwd=PACKAGE_ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2
    assert 'snn.tau_m_ms' in proc.stderr and 'out of range' in proc.stderr.lower() or \
        'snn.tau_m_ms' in proc.stderr and '[0.1, 1000.0]' in proc.stderr, proc.stderr
