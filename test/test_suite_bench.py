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
"""Multi-map benches (``--maps``, ``--suite``): per-map reports, family aggregates, filters."""
import json

import pytest

from snan_nav.cli import main

suites = pytest.importorskip('snan_nav.world.suites', reason='map suites (branch suites)')

SINGLE_MAP_KEYS = {'map', 'episodes', 'seeds', 'budget', 'pairs', 'results', 'goal_cue', 'ci'}


def small_train_spec(family):
    return next(m.name for m in suites.suite('train', 1) if m.family == family and m.size == 16)


def bench(tmp_path, *args, name='multi.json'):
    out = tmp_path / name
    rc = main(['bench', *args, '--episodes', '3', '--seeds', '2', '--jobs', '1',
               '--json', str(out)])
    return rc, (json.loads(out.read_text()) if rc == 0 else None)


def test_maps_report_per_map_and_per_family(tmp_path, capsys):
    specs = [small_train_spec('maze1'), small_train_spec('rooms'), 'builtin:paper10']
    rc, report = bench(tmp_path, '--maps', ','.join(specs), '--agents', 'bfs,random,tremaux',
                       '--pairs-per-map', '2', '--plot', str(tmp_path / 'fig'))
    assert rc == 0
    assert [m['map'] for m in report['maps']] == specs
    assert [m['family'] for m in report['maps']] == ['maze1', 'rooms', 'other']
    for per_map in report['maps']:
        assert set(per_map) == SINGLE_MAP_KEYS | {'family', 'size'}
        assert len(per_map['pairs']) == 2
        assert all(p['bfs'] >= 1 for p in per_map['pairs'])
    assert report['maps'][0]['pairs'][0]['start'] == dict(
        zip(('mx', 'my'), suites.spec_pairs(specs[0], 2)[0][0]))
    assert list(report['families']) == ['maze1', 'rooms', 'other']
    fam = report['families']['rooms']
    assert fam['maps'] == [specs[1]] and fam['runs_per_agent'] == 4
    overall = report['overall']['results']
    assert overall['bfs']['runs'] == 12
    assert overall['bfs']['late_path_over_bfs_censored_median'] == 1.0
    assert overall['bfs']['first_episode_over_bfs_median'] == 1.0
    # pooled completion = mean over all runs = mean of the per-map rates (equal run counts)
    rates = [m['results']['random']['completion_rate'] for m in report['maps']]
    assert overall['random']['completion_rate'] == pytest.approx(sum(rates) / 3)
    assert overall['random']['random_walk_ratio'] == 1.0
    assert len(overall['tremaux']['curve_over_bfs']) == 3
    text = capsys.readouterr().out
    assert 'family maze1' in text and 'family other' in text and 'all 3 maps' in text
    assert {'family_summary.png', 'family_curves.png'} <= {
        p.name for p in (tmp_path / 'fig').iterdir()}


def test_suite_filter_uses_the_suite_pairs(tmp_path):
    rc, report = bench(tmp_path, '--suite', 'train', '--suite-maps', '16,maze1', '--agents',
                       'bfs')
    assert rc == 0 and report['suite'] == 'train'
    (only,) = [m for m in suites.suite('train') if m.size == 16 and m.family == 'maze1']
    assert [m['map'] for m in report['maps']] == [only.name]
    got = [((p['start']['mx'], p['start']['my']), (p['goal']['mx'], p['goal']['my']))
           for p in report['maps'][0]['pairs']]
    assert got == list(only.pairs)


@pytest.mark.parametrize('args, words', [
    (['--suite', 'train', '--suite-maps', '7'], 'keeps no map'),
    (['--suite', 'train', '--suite-maps', 'nowhere'], 'neither a size'),
    (['--maps', 'builtin:paper10,,builtin:open16'], 'empty map spec'),
    (['--maps', 'builtin:paper10,builtin:paper10'], 'twice'),
    (['--maps', 'builtin:paper10', '--scenarios', 'x.json'], '--scenarios needs --map'),
    (['--map', 'builtin:paper10', '--suite-maps', '16'], '--suite-maps needs'),
    (['--maps', 'gen:nope:16:1'], 'nope'),
    (['--suite', 'valid'], 'invalid choice'),
    (['--map', 'builtin:paper10', '--suite', 'train'], 'not allowed with'),
])
def test_bad_multi_map_input_exits_2(capsys, args, words):
    try:
        rc = main(['bench', '--agents', 'bfs', *args])
    except SystemExit as exc:
        rc = exc.code
    assert rc == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and err.startswith('snan-nav bench: error:') and words in err
