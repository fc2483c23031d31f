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
"""Pairs at a chosen shortest-path range (short pairs), next to the suites' far pairs."""
import json

import pytest

from snan_nav.cli import main
from snan_nav.world.bfs import path_length
from snan_nav.world.builtin import resolve_map
from snan_nav.world.suites import far_pairs, ranged_pairs, spec_pairs

SPEC = 'gen:random20:32:12345'


def test_ranged_pairs_lie_in_range_and_are_seeded():
    grid = resolve_map(SPEC)
    pairs = ranged_pairs(grid, 12, 3, 5, 20)
    assert len(set(pairs)) == 12
    assert all(5 <= path_length(grid, s, g) <= 20 for s, g in pairs)
    assert ranged_pairs(grid, 12, 3, 5, 20) == pairs
    assert ranged_pairs(grid, 4, 3, 5, 20) == pairs[:4]  # the first k do not depend on n
    assert ranged_pairs(grid, 12, 4, 5, 20) != pairs
    exact = ranged_pairs(grid, 5, 0, 7, 7)
    assert all(path_length(grid, s, g) == 7 for s, g in exact)


def test_ranged_pairs_refuse_what_cannot_be():
    grid = resolve_map('builtin:paper10')
    with pytest.raises(ValueError, match='only 0 start/goal pairs at 100..200 steps'):
        ranged_pairs(grid, 1, 0, 100, 200)
    for lo, hi in ((0, 5), (6, 5)):
        with pytest.raises(ValueError, match='1 <= LO <= HI'):
            ranged_pairs(grid, 1, 0, lo, hi)
    with pytest.raises(ValueError, match='>= 1'):
        ranged_pairs(grid, 0, 0, 1, 5)


def test_far_pairs_are_still_far():
    grid = resolve_map(SPEC)
    pairs = spec_pairs(SPEC, 3)
    assert pairs == far_pairs(grid, 3, int(SPEC.split(':')[-1]) + 2 ** 32)
    near = ranged_pairs(grid, 3, 0, 1, 5)
    assert min(path_length(grid, s, g) for s, g in pairs) > max(
        path_length(grid, s, g) for s, g in near)


def test_bench_pair_distance(tmp_path, capsys):
    out = tmp_path / 'b.json'
    assert main(['bench', '--maps', SPEC, '--agents', 'bfs', '--seeds', '1', '--episodes', '1',
                 '--pair-distance', '5:20', '--jobs', '1', '--json', str(out)]) == 0
    assert 'pair(s) at 5..20 steps' in capsys.readouterr().out
    report = json.loads(out.read_text())
    assert report['pair_distance'] == [5, 20]
    assert all(5 <= p['bfs'] <= 20 for p in report['maps'][0]['pairs'])
    for argv, words in ((['--pair-distance', '5-20'], 'must be LO:HI'),
                        (['--pair-distance', '30:20'], '1 <= LO <= HI'),
                        (['--pair-distance', '500:900'], 'only 0 start/goal pairs')):
        assert main(['bench', '--maps', SPEC, '--agents', 'bfs'] + argv) == 2
        assert words in capsys.readouterr().err
    assert main(['bench', '--map', SPEC, '--agents', 'bfs', '--pair-distance', '5:20']) == 2
    assert '--pair-distance needs --suite or --maps' in capsys.readouterr().err


def test_short_pairs_do_not_need_far_pairs(tmp_path, capsys):
    # A 6 x 6 open map has 36 x 35 = 1,260 ordered pairs at 1..10 steps but fewer far ones
    # (>= a quarter of the diameter); the bench drew far pairs first and failed with a
    # far-pair error before the ranged draw.
    path = tmp_path / 'open6.map'
    path.write_text('type octile\nheight 6\nwidth 6\nmap\n' + '......\n' * 6)
    grid = resolve_map(str(path))
    n = 1000
    with pytest.raises(ValueError):
        far_pairs(grid, n, 0)
    assert len(ranged_pairs(grid, n, 0, 1, 10)) == n
    assert main(['bench', '--maps', str(path), '--agents', 'bfs', '--seeds', '1', '--episodes',
                 '1', '--pair-distance', '1:10', '--pairs-per-map', str(n), '--jobs', '1']) == 0
    assert f'{n} pair(s) at 1..10 steps' in capsys.readouterr().out
