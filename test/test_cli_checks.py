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
"""Argument checks of the ``snan-nav`` commands: one error line, exit code 2, nothing run.

Every case here is refused before any work: a check that only failed when the results are
written would lose them. The argument lists are tiny, so that a missing check shows as a
failed assertion after a short run.
"""
import os

import pytest

from snan_nav import cli
from snan_nav.ros import sim_command

BENCH = ['bench', '--map', 'builtin:paper10', '--agents', 'bfs', '--seeds', '1',
         '--episodes', '1', '--jobs', '1']
GOALS = ['goals', '--maps', 'builtin:paper10', '--seeds', '1', '--leg-episodes', '1',
         '--jobs', '1']
#: A 16-cell maze of the train suite (as in test_tune.py), one pair, one episode.
TUNE = ['tune', '--agent', 'qlearning', '--trials', '1', '--tune-maps', 'maze1,16',
        '--pairs-per-map', '1', '--seeds', '1', '--episodes', '1', '--jobs', '1']
SOAK = ['soak', '--episodes', '3', '--minutes', '0']
PERF = ['perf', '--grids', '4', '--ticks', '400', '--switches', '2', '--ref-seconds', '0.05',
        '--check-decisions', '20']


@pytest.fixture
def places(tmp_path):
    """Return a function replacing DIR, FILE and MISSING in an argument list by real paths."""
    (tmp_path / 'dir').mkdir()
    (tmp_path / 'file').write_text('x')
    names = {'DIR': tmp_path / 'dir', 'FILE': tmp_path / 'file',
             'MISSING': tmp_path / 'missing'}

    def fill(argv):
        out = []
        for arg in argv:
            head, _, tail = arg.partition('/')
            out.append(str(names[head] / tail if tail else names[head]) if head in names
                       else arg)
        return out
    return fill


def refused(capsys, argv, words):
    """Run ``snan-nav argv`` in-process; assert exit 2, one error line with ``words``."""
    try:
        rc = cli.main(argv)
    except SystemExit as exc:  # argparse errors
        rc = exc.code
    out, err = capsys.readouterr()
    assert rc == 2, out + err
    assert err.count('\n') == 1 and err.startswith(f'snan-nav {argv[0]}: error: '), err
    assert words in err, err
    assert out == '', out  # nothing ran: each command prints its tables or progress


def assert_nothing_written(tmp_path):
    assert sorted(os.listdir(tmp_path)) == ['dir', 'file']
    assert os.listdir(tmp_path / 'dir') == [] and (tmp_path / 'file').read_text() == 'x'


@pytest.mark.parametrize('argv, words', [
    (BENCH + ['--json', 'DIR'], '--json DIR is a directory, not a file'),
    (BENCH + ['--json', 'MISSING/b.json'], '--json: directory MISSING does not exist'),
    (BENCH + ['--json', 'FILE/b.json'], '--json: FILE is not a directory'),
    (BENCH + ['--plot', 'FILE'], '--plot FILE is not a directory'),
    (BENCH + ['--plot', 'FILE/figures'], '--plot: FILE is not a directory'),
    (BENCH + ['--memory', 'DIR'], '--memory DIR is a directory, not a file'),
    (GOALS + ['--json', 'DIR'], '--json DIR is a directory, not a file'),
    (GOALS + ['--json', 'MISSING/g.json'], '--json: directory MISSING does not exist'),
    (TUNE + ['--json', 'DIR'], '--json DIR is a directory, not a file'),
    (TUNE + ['--yaml', 'DIR'], '--yaml DIR is a directory, not a file'),
    (TUNE + ['--yaml', 'MISSING/best.yaml'], '--yaml: directory MISSING does not exist'),
    (SOAK + ['--dir', 'DIR', '--json', 'DIR'], '--json DIR is a directory, not a file'),
    (PERF + ['--json', 'DIR'], '--json DIR is a directory, not a file'),
])
def test_unwritable_outputs_are_refused_before_the_run(tmp_path, places, capsys, argv, words):
    if argv[0] == 'tune':
        pytest.importorskip('optuna')
    refused(capsys, places(argv), ' '.join(places(words.split(' '))))
    assert_nothing_written(tmp_path)


@pytest.mark.parametrize('argv, words', [
    (['--json', 'DIR'], '--json DIR is a directory, not a file'),
    (['--json', 'MISSING/s.json'], '--json: directory MISSING does not exist'),
    (['--plot', 'FILE'], '--plot FILE is not a directory'),
    (['--plot', 'FILE/figures'], '--plot: FILE is not a directory'),
    (['--memory', 'DIR'], '--memory DIR is a directory, not a file'),
])
def test_sim_checks_its_outputs_the_same_way(places, argv, words):
    # sim's check only: the command itself would start ROS 2 nodes.
    args = cli.build_parser().parse_args(['sim'] + places(argv))
    assert sim_command._check(args) == ' '.join(places(words.split(' ')))


def test_an_output_directory_may_be_created_and_an_output_file_replaced(tmp_path, monkeypatch):
    assert cli.output_dir_error('--plot', str(tmp_path / 'a' / 'b')) is None  # os.makedirs
    assert cli.output_dir_error('--plot', str(tmp_path)) is None
    (tmp_path / 'old.json').write_text('{}')
    assert cli.output_file_error('--json', str(tmp_path / 'old.json')) is None
    assert cli.output_file_error('--json', None) is None
    monkeypatch.setattr(cli.os, 'access', lambda path, mode: False)  # root may write anywhere
    assert cli.output_file_error('--json', str(tmp_path / 'new.json')) == \
        f'--json: directory {tmp_path} is not writable'
    assert cli.output_file_error('--json', str(tmp_path / 'old.json')) == \
        f'--json {tmp_path / "old.json"} is not writable'
    assert cli.output_dir_error('--plot', str(tmp_path / 'a')) == \
        f'--plot: directory {tmp_path} is not writable'


SEED_RANGE = 'must lie in [0, 2147483647]'


@pytest.mark.parametrize('argv, words', [
    (SOAK + ['--dir', 'DIR', '--seed', '-5'], f'--seed {SEED_RANGE}, got -5'),
    (PERF + ['--seed', '-1'], f'--seed {SEED_RANGE}, got -1'),
    (PERF + ['--seed', '2147483648'], f'--seed {SEED_RANGE}, got 2147483648'),
    (TUNE + ['--sampler-seed', '-1'], f'--sampler-seed {SEED_RANGE}, got -1'),
])
def test_seeds_outside_the_nodes_range_are_refused(tmp_path, places, capsys, argv, words):
    if argv[0] == 'tune':
        pytest.importorskip('optuna')
    refused(capsys, places(argv), words)
    assert_nothing_written(tmp_path)


def test_sim_refuses_seeds_with_the_same_words():
    args = cli.build_parser().parse_args(['sim', '--seed', '-1'])
    assert sim_command._check(args) == f'--seed {SEED_RANGE}, got -1'


BUDGET_RANGE = '--budget must lie in [1, 2147483647] steps'


@pytest.mark.parametrize('argv, words', [
    (BENCH + ['--budget', '1000000000000'], f'{BUDGET_RANGE}, got 1000000000000'),
    (BENCH + ['--budget', '2147483648'], f'{BUDGET_RANGE}, got 2147483648'),
    (BENCH + ['--budget', '0'], f'{BUDGET_RANGE}, got 0'),
    (TUNE + ['--budget', '1000000000000'], f'{BUDGET_RANGE}, got 1000000000000'),
])
def test_budgets_outside_the_navigators_range_are_refused(capsys, argv, words):
    if argv[0] == 'tune':
        pytest.importorskip('optuna')
    refused(capsys, argv, words)


def test_the_ranges_are_the_navigators():
    from snan_nav.ros.navigator_params import budget_flag_error, NAV_PARAMS, seed_flag_error
    params = {p.name: p for p in NAV_PARAMS}
    assert (params['seed'].lo, params['seed'].hi) == (0, 2 ** 31 - 1)
    assert params['episode_budget'].hi == 2 ** 31 - 1
    assert budget_flag_error(2 ** 31 - 1) is None and budget_flag_error(None) is None
    assert seed_flag_error('--seed', 0) is None and seed_flag_error('--seed', None) is None


def test_soak_never_saves_over_a_memory_file_it_finds(tmp_path, places, capsys):
    # The soak saves its part's file after every episode from a fresh memory: a file of that
    # name in --dir (a robot's memory copied there, an earlier soak) would be lost.
    (tmp_path / 'dir' / 'headless.snanmem').write_text('keep')
    refused(capsys, places(SOAK + ['--dir', 'DIR']),
            'holds headless.snanmem (an earlier soak\'s?)')
    assert (tmp_path / 'dir' / 'headless.snanmem').read_text() == 'keep'
    assert sorted(os.listdir(tmp_path / 'dir')) == ['headless.snanmem']


def test_soak_with_both_parts_skipped_is_refused(tmp_path, places, capsys):
    refused(capsys, places(['soak', '--episodes', '0', '--minutes', '0', '--dir', 'DIR']),
            '--episodes 0 and --minutes 0 skip both parts: nothing to do')
    assert_nothing_written(tmp_path)


@pytest.mark.parametrize('argv, words', [
    (BENCH[:-2] + ['--episodes', '100000000000'], '--episodes must lie in [1, 1000000]'),
    (TUNE[:-4] + ['--episodes', '1000001'], '--episodes must lie in [1, 1000000]'),
    (SOAK[:1] + ['--episodes', '100000000000', '--minutes', '0'],
     '--episodes must lie in [1, 1000000], got 100000000000 (or 0: skip the part)'),
    (BENCH[:-2] + ['--jobs', '100000'], '--jobs 100000: at most 4 worker processes per core'),
])
def test_episode_counts_and_workers_that_cannot_be_served_are_refused(capsys, argv, words):
    # 1e11 episodes failed mid-run allocating their step counts; --jobs N forked N workers
    # up front, however few the runs
    refused(capsys, argv, words)


def test_the_benchmark_scripts_check_like_snan_nav_perf(tmp_path, capsys):
    from benchmarks import node_latency, perf
    for main, prog in ((perf.main, 'python -m benchmarks.perf'),
                       (node_latency.main, 'python -m benchmarks.node_latency')):
        for argv, words in ((['--seed', '-1'], '--seed must lie in'),
                            (['--json', str(tmp_path)], 'is a directory, not a file')):
            assert main(argv) == 2
            out, err = capsys.readouterr()
            assert err.startswith(f'{prog}: error: ') and words in err and out == '', err


def test_crossbar_variation_beyond_one_is_refused():
    # sigma_d2d 1e9 printed inf/NaN energies and wrote NaN into the JSON
    from snan_nav.crossbar.array import CrossbarParams
    for field in ('sigma_d2d', 'sigma_read'):
        with pytest.raises(ValueError, match=f'{field} = 1.5 is invalid: must be <= 1'):
            CrossbarParams(**{field: 1.5})
    CrossbarParams(sigma_d2d=1.0, sigma_read=1.0)
