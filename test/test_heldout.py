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
"""benchmarks.heldout: the README's held-out tables from the snan-nav commands."""
from benchmarks.heldout import group_of, HELDOUT, main, map_specs
import pytest


def tiny_map(path, hole):
    rows = ['.' * 10 for _ in range(10)]
    rows[hole] = '....@@....'
    path.write_text('type octile\nheight 10\nwidth 10\nmap\n' + '\n'.join(rows) + '\n')


def test_specs_groups_and_missing_files(tmp_path):
    with pytest.raises(ValueError, match=r'26 map file\(s\) missing .*random-32-32-10\.map'):
        map_specs(str(tmp_path))
    with pytest.raises(ValueError, match='not held-out maps: nope'):
        map_specs(str(tmp_path), ['nope'])
    for stem, _ in HELDOUT:
        (tmp_path / f'{stem}.map').write_text('')
    specs = map_specs(str(tmp_path))
    assert len(specs) == 26 and specs[-1].endswith('Paris_1_256.map:2')
    groups = [group_of(s) for s in specs]
    assert groups.count('game') == 8 and groups.count('maze') == 5
    assert group_of('/x/depot.yaml') == 'ROS maps'


def test_runs_the_commands_and_prints_the_tables(tmp_path, capsys):
    tiny_map(tmp_path / 'random-32-32-10.map', 4)
    tiny_map(tmp_path / 'maze-32-32-2.map', 6)
    out = tmp_path / 'out'
    argv = ['--dir', str(tmp_path), '--only', 'random-32-32-10,maze-32-32-2', '--out', str(out),
            '--jobs', '1', '--seeds', '1', '--episodes', '3']
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert '| random | 1 | 100 |' in text and '| maze | 1 | 100 |' in text
    assert '| all | 2 | 100 |' in text and '| C->A |' in text
    # The tables again from the JSON alone.
    assert main(argv + ['--table-only']) == 0
    tables = capsys.readouterr().out
    assert tables.startswith('| maps | n |') and text.endswith(tables)
    # ... without the map folder (it is not read), and a clear refusal of foreign JSON.
    assert main(['--out', str(out), '--table-only']) == 0
    assert capsys.readouterr().out == tables
    assert main(['--dir', str(tmp_path / 'none'), '--table-only',
                 '--out', str(tmp_path / 'none')]) == 2
    (out / 'first.json').write_text('{"maps": 3}')
    assert main(['--out', str(out), '--table-only']) == 2
    assert 'is not what this script writes' in capsys.readouterr().err
    (out / 'first.json').write_text('{')
    assert main(['--out', str(out), '--table-only']) == 2
    assert 'first.json is not JSON' in capsys.readouterr().err
