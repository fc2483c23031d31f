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
"""``snan-nav perf`` contract: runs on tiny grids, JSON keys, clear errors (no timing limits)."""
import json
import os
import sys

import numpy as np
import pytest

from snan_nav.bench import perf_command
from snan_nav.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks.perf_work import (  # noqa: E402
    LegCounter, make_stop, perf_map, PHASES, TimedDecisions)
from benchmarks.workload import perf_legs, run_legs  # noqa: E402
from snan_nav.agents.snan import make_snan_agent  # noqa: E402

ROW_KEYS = {'grid', 'map', 'n_neurons', 'core_ticks_per_s', 'decision_latency_us',
            'reference_ticks_per_s', 'reference_decision_latency_us', 'ratio',
            'seed_form_ticks_per_s', 'seed_form_decision_latency_us', 'ratio_seed_form',
            'compile_s', 'peak_rss_mb'}
STATS = {'median', 'p99', 'max', 'n'}


def test_perf_command_json_contract(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    out = tmp_path / 'perf.json'
    rc = main(['perf', '--grids', '4,5x5', '--ticks', '400', '--switches', '2',
               '--ref-seconds', '0.05', '--check-decisions', '20', '--json', str(out)])
    printed = capsys.readouterr().out
    assert rc == 0
    report = json.loads(out.read_text())
    assert set(report) == {'grids'}
    assert [row['grid'] for row in report['grids']] == ['4x4', '5x5']
    for row in report['grids']:
        side = int(row['grid'].split('x')[0])
        assert set(row) == ROW_KEYS
        assert row['map'] == f'builtin:random{side}'
        assert row['n_neurons'] == side * side + 5
        lat = row['decision_latency_us']
        assert set(lat) == STATS | {'phases'} and set(lat['phases']) == set(PHASES)
        assert lat['n'] == sum(lat['phases'][p]['n'] for p in PHASES) >= 400 // 20
        assert lat['phases']['goal_change']['n'] >= 2  # one per switch
        for form in ('reference', 'seed_form'):
            ref = row[f'{form}_decision_latency_us']
            assert set(ref) == {'phases', 'n', 'actions_agreeing',
                                'disagreeing_outside_shortcuts'}
            assert ref['n'] == sum(ref['phases'][p]['n'] for p in PHASES) > 0
            assert 0 <= ref['actions_agreeing'] <= ref['n']
            assert ref['disagreeing_outside_shortcuts'] == 0
        for key in ('core_ticks_per_s', 'reference_ticks_per_s', 'seed_form_ticks_per_s',
                    'ratio', 'ratio_seed_form', 'compile_s', 'peak_rss_mb'):
            assert row[key] > 0, key
        assert row['ratio'] == pytest.approx(
            row['core_ticks_per_s'] / row['reference_ticks_per_s'])
    assert 'MATCH' in printed and 'MISMATCH' not in printed
    assert printed.count('lockstep check gen:') == 3
    assert 'n/a   decision latency at 256x256' in printed  # the target grid was not run


def test_the_perf_script_is_deterministic_and_reaches_every_phase():
    grid = perf_map(8, 3)
    runs = []
    for _ in range(2):
        agent = make_snan_agent('snan', grid, None, seed=3)
        timed = TimedDecisions(agent)
        legs = LegCounter(perf_legs(grid, 3))
        counts = run_legs(grid, agent, legs, decide=timed,
                          stop=make_stop(agent, legs.counts, 2000, 4))
        runs.append((timed.actions, timed.phase, counts))
    assert runs[0] == runs[1]
    actions, phase, counts = runs[0]
    assert counts['switches'] == 4 and counts['successes'] == counts['episodes'] == 8
    assert len(actions) * 20 >= 2000
    assert np.bincount(phase, minlength=3).min() >= 4  # exploring, goal known, goal change


@pytest.mark.parametrize('argv', [
    ['perf', '--grids', '10x12'],
    ['perf', '--grids', '3'],
    ['perf', '--grids', '2000'],
    ['perf', '--ticks', '0'],
    ['perf', '--switches', '-1'],
    ['perf', '--ref-seconds', 'soon'],
])
def test_perf_command_rejects_bad_input(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert 'snan-nav perf: error' in capsys.readouterr().err


def test_node_options_and_core_options_do_not_mix(capsys):
    assert main(['perf', '--node', '--switches', '3']) == 2
    assert '--switches apply to the core benchmark' in capsys.readouterr().err


def test_perf_command_says_when_the_checkout_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(perf_command, 'find_source_root', lambda: None)
    assert main(['perf', '--grids', '4']) == 2
    assert 'source checkout' in capsys.readouterr().err


def test_source_root_is_found_from_the_checkout(monkeypatch):
    monkeypatch.chdir(os.path.join(ROOT, 'test'))
    monkeypatch.delenv(perf_command.ENV_SOURCE, raising=False)
    assert perf_command.find_source_root() == ROOT


@pytest.mark.parametrize('median, p99, verdict', [
    (7.0, 150.0, 'PASS'), (25.0, 150.0, 'FAIL'), (7.0, 250.0, 'FAIL')])
def test_the_speed_verdict_reads_the_256_row(median, p99, verdict):
    from benchmarks.perf_report import verdicts
    row = {'grid': '256x256', 'decision_latency_us': {'median': median, 'p99': p99, 'n': 9}}
    lines = verdicts({'grids': [row], 'check': {'match': True}})
    assert lines[0].startswith(verdict) and 'at 256x256' in lines[0]
    assert lines[1].startswith('PASS')
