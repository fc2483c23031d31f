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
"""``snan-nav perf --node`` contract: a tiny real-time run, JSON keys, clear errors (no timing)."""
import json
import os

import pytest

from snan_nav.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROW_KEYS = {'rate_hz', 'latency_ms', 'cpu_ms_per_tick', 'ticks'}


@pytest.mark.ros
def test_node_latency_json_contract(tmp_path, monkeypatch, capsys):
    pytest.importorskip('rclpy')
    from ros_testing import next_domain
    monkeypatch.setenv('ROS_DOMAIN_ID', str(next_domain()))
    monkeypatch.chdir(ROOT)
    out = tmp_path / 'node.json'
    rc = main(['perf', '--node', '--rates', '20,50', '--node-seconds', '2',
               '--json', str(out)])
    printed = capsys.readouterr().out
    assert rc == 0
    report = json.loads(out.read_text())
    assert set(report) == {'node'}
    assert [row['rate_hz'] for row in report['node']] == [20.0, 50.0]
    for row in report['node']:
        assert set(row) >= ROW_KEYS
        assert set(row['latency_ms']) >= {'median', 'p99'}
        assert row['ticks'] > 0
        assert row['latency_ms']['median'] > 0 and row['cpu_ms_per_tick'] > 0
    assert 'node pose->cmd_vel p99' in printed and 'CPU per control tick' in printed
    assert printed.count('PASS') + printed.count('FAIL') == 2
    assert {row['executor'] for row in report['node']} <= {'events', 'single'}


@pytest.mark.parametrize('argv, message', [
    (['perf', '--node', '--grids', '10'], 'apply to the core benchmark'),
    (['perf', '--rates', '20'], 'need --node'),
    (['perf', '--node-seconds', '3'], 'need --node'),
])
def test_node_and_core_options_do_not_mix(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize('argv', [
    ['perf', '--node', '--rates', '0'],
    ['perf', '--node', '--rates', 'fast'],
    ['perf', '--node', '--episodes', '0'],
])
def test_node_rejects_bad_input(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert 'snan-nav perf: error' in capsys.readouterr().err
