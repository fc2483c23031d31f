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
"""Bench extensions: process-pool runs equal serial runs; --crossbar adds energy figures."""
import json

import numpy as np

from snan_nav.bench.runner import plan_jobs, run_jobs
from snan_nav.cli import main
from snan_nav.crossbar.config import CrossbarConfig
from snan_nav.world.builtin import builtin_map


def test_process_pool_results_identical_to_serial():
    grid = builtin_map('open16')
    jobs = plan_jobs(grid, [(grid.start, grid.goal)], ('snan', 'qlearning', 'tremaux'),
                     episodes=3, seeds=3, budget=200)
    serial = run_jobs(jobs, workers=1, progress=False)
    pooled = run_jobs(jobs, workers=2, progress=False)
    assert [r.agent for r in serial] == [r.agent for r in pooled]
    for a, b in zip(serial, pooled):
        assert np.array_equal(a.steps, b.steps)
        assert np.array_equal(a.success, b.success)


def test_crossbar_bench_reports_energy(tmp_path, capsys):
    out = tmp_path / 'cb.json'
    params = tmp_path / 'p.yaml'
    params.write_text('crossbar:\n  array: {sigma_d2d: 0.1}\n')
    rc = main(['bench', '--map', 'builtin:open16', '--agents', 'snan,random', '--episodes',
               '3', '--seeds', '2', '--crossbar', '--params', str(params), '--jobs', '1',
               '--json', str(out), '--plot', str(tmp_path / 'plots')])
    assert rc == 0
    assert 'dig/x' in capsys.readouterr().out            # the crossbar table is printed
    for name in ('conductance_snan.png', 'energy_snan.png'):
        assert (tmp_path / 'plots' / name).stat().st_size > 0
    results = json.loads(out.read_text())['results']
    snan = results['snan']
    assert snan['energy_per_decision_j'] > 0.0
    parts = snan['energy_breakdown_j']
    assert set(parts) == {'read', 'write', 'periphery'}
    assert abs(sum(parts.values()) - snan['energy_per_decision_j']) < 1e-15
    assert snan['area_mm2'] > 0.0
    assert set(snan['energy_styles']) == {'analog', 'adc'}
    for style, s in snan['energy_styles'].items():
        assert set(s) == {'energy_per_decision_j', 'ledger_j', 'digital_energy_per_decision_j',
                          'cpu_energy_per_decision_j', 'decisions_per_s_per_mm2',
                          'cpu_decisions_per_s_per_mm2'}
        assert set(s['ledger_j']) == {'crossbar_read', 'crossbar_write', 'neurons',
                                      'astrocytes', 'plasticity', 'periphery'}
        assert abs(sum(s['ledger_j'].values()) - s['energy_per_decision_j']) < 1e-15
        assert s['cpu_energy_per_decision_j'] > s['energy_per_decision_j'] > 0
    a = snan['energy_styles']['analog']
    assert a['energy_per_decision_j'] == snan['energy_per_decision_j']   # today's keys = style a
    assert len(snan['episode_energy_j']) == 3
    assert 'energy_per_decision_j' not in results['random']


def test_energy_is_identical_in_a_process_pool_except_the_measured_cpu_time():
    grid = builtin_map('open16')
    cfg = CrossbarConfig.from_mapping({'array': {'sigma_d2d': 0.1, 'sigma_read': 0.05}})
    jobs = plan_jobs(grid, [(grid.start, grid.goal)], ('snan',), episodes=2, seeds=2,
                     budget=200, crossbar=cfg)
    serial = run_jobs(jobs, workers=1, progress=False)
    pooled = run_jobs(jobs, workers=2, progress=False)
    for a, b in zip(serial, pooled):
        assert a.energy['episode_energy_j'] == b.energy['episode_energy_j']
        ta, tb = a.energy['energy_totals'], b.energy['energy_totals']
        assert ta['styles'] == tb['styles'] and ta['digital_j'] == tb['digital_j']


def test_bad_crossbar_parameters_exit_2(tmp_path, capsys):
    params = tmp_path / 'p.yaml'
    params.write_text('crossbar:\n  device: {v_on: 0.27}\n')
    rc = main(['bench', '--map', 'builtin:open16', '--agents', 'snan', '--episodes', '1',
               '--seeds', '1', '--crossbar', '--params', str(params)])
    assert rc == 2
    assert 'v_on' in capsys.readouterr().err


def test_crossbar_config_groups_are_validated():
    try:
        CrossbarConfig.from_mapping({'arrays': {}})
    except ValueError as exc:
        assert 'arrays' in str(exc)
    else:
        raise AssertionError('an unknown group must be rejected')


def test_suite_report_pools_energy_over_maps_and_prints_it(tmp_path, capsys):
    out = tmp_path / 'suite.json'
    rc = main(['bench', '--maps', 'gen:maze1:16:1,gen:open:16:2', '--pairs-per-map', '1',
               '--agents', 'snan', '--episodes', '2', '--seeds', '1', '--crossbar', '--jobs',
               '1', '--json', str(out)])
    assert rc == 0
    assert capsys.readouterr().out.count('dig/x') == 3   # two families and all maps
    report = json.loads(out.read_text())
    maps = [m['results']['snan'] for m in report['maps']]
    overall = report['overall']['results']['snan']
    decisions = [m['energy_styles']['analog']['energy_per_decision_j'] for m in maps]
    assert min(decisions) <= overall['energy_per_decision_j'] <= max(decisions)
    assert len(overall['episode_energy_j']) == 2
