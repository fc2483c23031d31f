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
"""``snan-nav tune``: objective, search spaces, a tiny study end to end, its YAML in bench."""
import json

import numpy as np
import pytest

from snan_nav.bench.tune import run_objective
from snan_nav.cli import main

suites = pytest.importorskip('snan_nav.world.suites', reason='map suites (branch suites)')
pytest.importorskip('snan_nav.agents.baseline_params', reason='tunable baselines (baselines)')
pytest.importorskip('optuna')


def test_objective_is_zero_for_shortest_paths_and_counts_failures_at_budget():
    bfs = [4, 10]
    assert run_objective(np.array([[4, 4], [10, 10]]), np.ones((2, 2), bool), bfs,
                         [50, 50]) == 0.0
    failed = run_objective(np.array([[4, 7], [10, 10]]), np.array([[True, False], [True] * 2]),
                           bfs, [50, 50])
    # Run 0: cumulative (4 + 50) / (2 x 4); its late path (the last episode) failed: 50 / 4.
    assert failed == pytest.approx((np.log((4 + 50) / 8) + np.log(50 / 4)) / 2)


def test_search_spaces_lie_inside_the_parameter_ranges():
    from snan_nav.bench.tune_spaces import check_space, SPACES
    assert set(SPACES) == {'qlearning', 'dynaq', 'snan'}
    for agent in SPACES:
        assert check_space(agent)
    with pytest.raises(ValueError, match='tunable'):
        check_space('tremaux')


def tiny_map():
    return next(m.name for m in suites.suite('train', 1) if m.family == 'maze1' and m.size == 16)


def tune(tmp_path, agent, tag):
    out, yml = tmp_path / f'{tag}.json', tmp_path / f'{tag}.yaml'
    rc = main(['tune', '--agent', agent, '--trials', '2', '--tune-maps', tiny_map(),
               '--pairs-per-map', '1', '--seeds', '1', '--episodes', '3', '--jobs', '1',
               '--json', str(out), '--yaml', str(yml)])
    assert rc == 0
    return json.loads(out.read_text()), str(yml)


@pytest.mark.parametrize('agent', ['qlearning', 'dynaq', 'snan'])
def test_tiny_study_writes_summary_and_bench_params(tmp_path, agent):
    from snan_nav.agents.registry import params_class
    from snan_nav.bench.agent_params import load_agent_params
    summary, yml = tune(tmp_path, agent, 'a')
    assert summary['agent'] == agent and summary['maps'] == [tiny_map()]
    assert summary['budget']['trials'] == 2 and len(summary['trials_table']) == 2
    assert summary['budget']['runs_per_trial'] == 1
    assert summary['best_value'] == min(row['value'] for row in summary['trials_table'])
    assert summary['sampler'] == {'name': 'TPESampler', 'seed': 0}
    assert 'log(cumulative censored steps' in summary['objective']
    best = summary['trials_table'][summary['best_trial']]['params']
    assert best == summary['best_params']
    loaded = load_agent_params(yml, [agent])[agent]
    expected = params_class(agent).from_mapping(summary['best_params'])
    assert loaded == expected
    # the file says how to rerun this very study (it left out pairs, budget and sampler seed)
    with open(yml, encoding='utf-8') as handle:
        text = handle.read()
    assert (f'snan-nav tune --agent {agent} --suite train --trials 2 --tune-maps {tiny_map()} '
            '--pairs-per-map 1 --seeds 1 --episodes 3 --sampler-seed 0') in text
    rc = main(['bench', '--map', tiny_map(), '--agents', agent, '--params', yml,
               '--episodes', '2', '--seeds', '1', '--jobs', '1'])
    assert rc == 0


def test_study_is_deterministic(tmp_path):
    a, _ = tune(tmp_path, 'qlearning', 'a')
    b, _ = tune(tmp_path, 'qlearning', 'b')
    assert [r['value'] for r in a['trials_table']] == [r['value'] for r in b['trials_table']]
    assert [r['params'] for r in a['trials_table']] == [r['params'] for r in b['trials_table']]


@pytest.mark.parametrize('args, words', [
    (['--agent', 'qlearning', '--suite', 'test'], 'refused'),
    (['--agent', 'tremaux'], 'invalid choice'),
    (['--agent', 'qlearning', '--trials', '0'], '--trials'),
    (['--agent', 'qlearning', '--tune-maps', '7'], 'keeps no map'),
])
def test_bad_tune_input_exits_2(capsys, args, words):
    try:
        rc = main(['tune', *args])
    except SystemExit as exc:
        rc = exc.code
    assert rc == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and err.startswith('snan-nav tune: error:') and words in err
