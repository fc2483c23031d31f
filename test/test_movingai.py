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
"""Moving AI ``.map`` files: orientation, terrain, coarsening, clear errors, bench input."""
import json

import numpy as np
import pytest

from snan_nav.cli import main
from snan_nav.world.builtin import resolve_map
from snan_nav.world.map_io import MapError
from snan_nav.world.movingai import load_movingai

# Row 0 of the file is the top: the free corridor of the top row must be GridMap row 2.
SMALL = """type octile
height 3
width 5
map
..@G.
@@@.@
S.TW.
"""


def write(tmp_path, text, name='m.map'):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_rows_flip_and_terrain(tmp_path):
    grid = load_movingai(write(tmp_path, SMALL))
    assert (grid.width, grid.height) == (5, 3)
    free = ~grid.blocked
    # Top row of the file ("..@G.") is the last GridMap row.
    assert free[2].tolist() == [True, True, False, True, True]
    assert free[1].tolist() == [False, False, False, True, False]
    # Swamp is passable from ground, trees and water are not.
    assert free[0].tolist() == [True, True, False, False, True]
    assert grid.name == 'm' and grid.resolution == 1.0
    assert grid.start is None and grid.goal is None


def test_an_upper_case_suffix_is_a_movingai_map_too(tmp_path):
    # it was read as a nav2 YAML ("must hold a YAML mapping with keys image, ...")
    grid = resolve_map(write(tmp_path, SMALL, 'M.MAP'))
    assert (grid.width, grid.height) == (5, 3) and grid.name == 'M'


def test_header_order_and_blank_lines(tmp_path):
    text = 'type octile\nwidth 5\n\nheight 3\nmap\n..@G.\n@@@.@\nS.TW.\n'
    assert np.array_equal(load_movingai(write(tmp_path, text)).blocked,
                          load_movingai(write(tmp_path, SMALL, 'n.map')).blocked)


def test_coarsening_keeps_only_all_free_blocks(tmp_path):
    text = 'type octile\nheight 5\nwidth 4\nmap\n....\n..@.\n....\n....\n@@@@\n'
    path = write(tmp_path, text)
    grid = resolve_map(path + ':2')
    # 2 x 2 blocks of the first four file rows; the fifth row and no column are dropped.
    assert (grid.width, grid.height) == (2, 2)
    assert (~grid.blocked[::-1]).tolist() == [[True, False], [True, True]]
    assert grid.resolution == 2.0 and grid.name == 'm_k2'
    assert np.array_equal(resolve_map(path + ':1').blocked, resolve_map(path).blocked)


@pytest.mark.parametrize('text, words', [
    ('type octile\nheight 2\nwidth 2\n', 'no "map" line'),
    ('type octile\nheight 2\nwidth 2\n..\n..\n', 'line 4: expected'),
    ('type octile\nheight x\nwidth 2\nmap\n..\n..\n', 'header "height"'),
    ('type octile\nheight 2\nmap\n..\n..\n', 'header "width"'),
    ('type hex\nheight 2\nwidth 2\nmap\n..\n..\n', "type 'hex'"),
    ('type octile\nheight 3\nwidth 2\nmap\n..\n..\n', '2 map rows, the header says 3'),
    ('type octile\nheight 2\nwidth 2\nmap\n...\n..\n', 'line 5: 3 characters'),
    ('type octile\nheight 2\nwidth 2\nmap\n.x\n..\n', "unknown terrain 'x'"),
    ('octile map\nheight 2\nwidth 2\nmap\n..\n..\n', 'line 1'),
])
def test_bad_files_are_refused_clearly(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(MapError) as err:
        load_movingai(path)
    assert path in str(err.value) and words in str(err.value)


@pytest.mark.parametrize('suffix, words', [(':0', 'integer >= 1'), (':two', 'integer >= 1'),
                                           (':9', 'no whole 9 x 9')])
def test_bad_coarsening_is_refused(tmp_path, suffix, words):
    path = write(tmp_path, SMALL)
    with pytest.raises(MapError, match=words):
        resolve_map(path + suffix)


def test_missing_file(tmp_path):
    with pytest.raises(MapError, match='cannot read map'):
        resolve_map(str(tmp_path / 'absent.map'))


def test_bench_and_goals_take_movingai_maps(tmp_path, capsys):
    rows = ['.' * 12] * 12
    rows[5] = '.....@@.....'
    path = write(tmp_path, 'type octile\nheight 12\nwidth 12\nmap\n' + '\n'.join(rows) + '\n')
    out = tmp_path / 'bench.json'
    assert main(['bench', '--maps', path, '--agents', 'snan,bfs', '--seeds', '1',
                 '--episodes', '3', '--jobs', '1', '--json', str(out)]) == 0
    report = json.loads(out.read_text())
    assert report['maps'][0]['map'] == path
    assert report['maps'][0]['results']['snan']['completion_rate'] == 1.0
    goals = tmp_path / 'goals.json'
    assert main(['goals', '--maps', path, '--seeds', '1', '--leg-episodes', '2', '--jobs', '1',
                 '--json', str(goals)]) == 0
    doc = json.loads(goals.read_text())
    assert doc['maps_given'] == [path] and doc['suite'] is None
    legs = doc['maps'][0]['report']['results']['snan']['legs']
    assert len(legs) == 5 and all(leg['completion_rate'] == 1.0 for leg in legs)
    capsys.readouterr()
    assert main(['goals', '--maps', path + ',' + path, '--seeds', '1']) == 2
    assert 'lists a map twice' in capsys.readouterr().err
