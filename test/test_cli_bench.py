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
"""``snan-nav bench`` contract: JSON keys, determinism, exit code 2 on bad input."""
import io
import json
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest

from snan_nav.bench.metrics import summarise, wilson_interval
from snan_nav.bench.progress import Progress
from snan_nav.bench.runner import plan_jobs, run_job
from snan_nav.cli import main
from snan_nav.world.builtin import builtin_map
from snan_nav.world.map_io import save_map

BASELINES = 'random,tremaux,bfs,qlearning'
#: Today's keys (unchanged names) plus the run-level intervals and the censored late path.
OLD_KEYS = {'completion_rate', 'completion_ci95', 'median_path_success', 'median_path_censored',
            'first_episode_steps_median', 'late_path_over_bfs_median',
            'cumulative_steps_median', 'decisions_per_s', 'curve'}
RESULT_KEYS = OLD_KEYS | {
    'runs', 'first_episode_steps_ci95', 'first_episode_over_bfs_median',
    'first_episode_over_bfs_ci95',
    'late_path_over_bfs_ci95', 'late_path_over_bfs_censored_median',
    'late_path_over_bfs_censored_ci95', 'cumulative_steps_ci95', 'goal_cue_used',
    'random_walk_ratio'}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bench(tmp_path, *extra, agents=BASELINES, name='out.json'):
    out = tmp_path / name
    rc = main(['bench', '--agents', agents, '--episodes', '3', '--seeds', '2',
               '--json', str(out), *extra])
    return rc, (json.loads(out.read_text()) if rc == 0 else None)


def test_json_contract_and_plots(tmp_path, capsys):
    rc, report = bench(tmp_path, '--map', 'builtin:paper10', '--plot', str(tmp_path / 'fig'))
    assert rc == 0
    assert set(report) == {'map', 'episodes', 'seeds', 'budget', 'pairs', 'results',
                           'goal_cue', 'ci'}
    assert report['goal_cue'] is False and 'bootstrap' in report['ci']['method']
    assert (report['map'], report['episodes'], report['seeds']) == ('builtin:paper10', 3, 2)
    assert report['budget'] == 4 * builtin_map('paper10').free_count()
    assert report['pairs'] == [{'start': {'mx': 0, 'my': 0}, 'goal': {'mx': 9, 'my': 9},
                                'bfs': 32}]
    assert list(report['results']) == BASELINES.split(',')
    for res in report['results'].values():
        assert set(res) == RESULT_KEYS
        lo, hi = res['completion_ci95']
        assert 0.0 <= lo <= res['completion_rate'] <= hi <= 1.0
        assert len(res['curve']) == 3
    assert report['results']['bfs']['median_path_success'] == 32
    assert report['results']['bfs']['late_path_over_bfs_median'] == 1.0
    assert report['results']['bfs']['cumulative_steps_median'] == 96
    assert report['results']['random']['median_path_success'] is None  # budget too short
    table = capsys.readouterr().out
    assert 'tremaux' in table and 'late/BFS' in table
    assert {'learning_curves.png', 'trajectories.png'} <= set(os.listdir(tmp_path / 'fig'))


def test_results_are_deterministic(tmp_path):
    args = ('--map', 'builtin:random10', '--budget', '150')
    _, a = bench(tmp_path, *args, name='a.json')
    _, b = bench(tmp_path, *args, name='b.json')
    assert len(a['pairs']) == 1  # random maps carry their own far-apart pair
    for name in a['results']:
        a['results'][name].pop('decisions_per_s')
        b['results'][name].pop('decisions_per_s')
    assert a == b


def test_yaml_map_without_start_uses_ten_seeded_pairs(tmp_path):
    grid = builtin_map('fourrooms')
    save_map(type(grid)(grid.blocked, name='rooms'), tmp_path / 'rooms.yaml')
    rc, report = bench(tmp_path, '--map', str(tmp_path / 'rooms.yaml'), agents='bfs')
    assert rc == 0 and len(report['pairs']) == 10
    assert report['results']['bfs']['late_path_over_bfs_median'] == 1.0


def test_scenarios_file(tmp_path):
    scen = tmp_path / 's.json'
    scen.write_text(json.dumps({'pairs': [
        {'start': {'mx': 9, 'my': 0}, 'goal': {'mx': 0, 'my': 9}},
        {'start': {'mx': 0, 'my': 0}, 'goal': {'mx': 3, 'my': 0}}]}))
    rc, report = bench(tmp_path, '--map', 'builtin:paper10', '--scenarios', str(scen),
                       agents='bfs,tremaux')
    assert rc == 0
    assert [p['bfs'] for p in report['pairs']] == [18, 3]
    assert report['pairs'][1]['goal'] == {'mx': 3, 'my': 0}
    assert report['results']['bfs']['late_path_over_bfs_median'] == 1.0


def test_run_job_is_pure():
    grid = builtin_map('paper10')
    for job in plan_jobs(grid, [(grid.start, grid.goal)], ['qlearning', 'tremaux'], 3, 2, 200):
        a, b = run_job(job), run_job(pickle.loads(pickle.dumps(job)))  # as in a process pool
        assert np.array_equal(a.steps, b.steps) and np.array_equal(a.success, b.success)


def test_metrics():
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.2775, abs=1e-4)
    assert wilson_interval(10, 10)[1] == 1.0
    steps = np.array([[10, 50], [20, 50]])
    success = np.array([[True, False], [True, True]])
    res = summarise(steps, success, [5, 10], budget=50, decisions=130, seconds=2.0)
    assert res['median_path_success'] == 20 and res['median_path_censored'] == 35
    assert res['curve'] == [15.0, 50.0] and res['first_episode_steps_median'] == 15
    assert res['late_path_over_bfs_median'] == 5.0  # only run 1's last episode succeeded
    assert res['cumulative_steps_median'] == 65 and res['decisions_per_s'] == 65


def test_progress_bar_only_when_slow():
    stream = io.StringIO()
    bar = Progress(10, stream=stream, min_seconds=0.0)
    bar.t0 -= 1.0  # pretend 1 s passed
    bar.update(1, 'x')
    bar.close()
    assert '\r[' in stream.getvalue() and stream.getvalue().endswith('\n')
    quiet = io.StringIO()
    bar = Progress(10, stream=quiet)
    bar.update(10)
    bar.close()
    assert quiet.getvalue() == ''


@pytest.mark.parametrize('args, words', [
    (['--map', 'builtin:nowhere'], 'valid'),
    (['--map', 'missing.yaml'], 'does not exist'),
    (['--map', 'builtin:paper10', '--agents', 'random,astar'], 'unknown agent'),
    (['--map', 'builtin:paper10', '--episodes', '0'], '--episodes'),
    (['--map', 'builtin:paper10', '--budget', 'many'], 'invalid int'),
    (['--map', 'builtin:paper10', '--scenarios', 'BLOCKED'], 'blocked'),
    (['--map', 'builtin:paper10', '--params', 'nope.yaml'], 'nope.yaml'),
    (['--agents', 'bfs'], '--map'),
])
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, args, words):
    if 'BLOCKED' in args:
        scen = tmp_path / 'blocked.json'
        scen.write_text(json.dumps({'pairs': [{'start': {'mx': 0, 'my': 3},
                                               'goal': {'mx': 9, 'my': 9}}]}))
        args = [str(scen) if a == 'BLOCKED' else a for a in args]
    try:
        rc = main(['bench', *args])
    except SystemExit as exc:  # argparse errors
        rc = exc.code
    assert rc == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and 'Traceback' not in err
    assert err.startswith('snan-nav bench: error:') and words in err


def test_console_entry_exit_code(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    proc = subprocess.run([sys.executable, '-m', 'snan_nav.cli', 'bench', '--map',
                           'builtin:paper10', '--agents', 'bfs,nope'],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and 'unknown agent' in proc.stderr


def test_snan_agent_runs_through_the_bench(tmp_path):
    pytest.importorskip('snan_nav.agents.snan')
    rc, report = bench(tmp_path, '--map', 'builtin:paper10', '--plot', str(tmp_path / 'fig'),
                       agents='snan')
    assert rc == 0 and set(report['results']['snan']) == RESULT_KEYS
    assert 'calcium.png' in os.listdir(tmp_path / 'fig')
