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
"""The plain frontier explorer the first-episode comparison uses (benchmarks/frontier_bound.py)."""
import numpy as np

from benchmarks.frontier_bound import FrontierExplorer
from snan_nav.world.builtin import grid_from_rows
from snan_nav.world.episode import GridWorld, run_episode
from snan_nav.world.suites import spec_map, spec_pairs


def test_a_corridor_is_walked_straight_to_its_end():
    grid = grid_from_rows(['#########', '#S.....G#', '#########'], 'corridor', None, None)
    world = GridWorld(grid, (1, 1), (7, 1))
    assert run_episode(FrontierExplorer(0), world).steps == 6


def test_it_never_bumps_and_never_enters_a_place_twice_while_a_frontier_is_adjacent():
    spec = 'gen:rooms:16:2726504444'
    grid = spec_map(spec)
    table = grid.neighbour_table()
    for seed in range(5):
        for start, goal in spec_pairs(spec):
            world = GridWorld(grid, start, goal)
            result = run_episode(FrontierExplorer(seed), world)
            assert result.success
            cells = result.cells
            assert np.all(cells[1:] != cells[:-1])  # every step moved
            visited = {int(cells[0])}
            for here, nxt in zip(cells[:-1], cells[1:]):
                fresh = [n for n in table[here] if n >= 0 and int(n) not in visited]
                if fresh:
                    assert int(nxt) in fresh
                visited.add(int(nxt))


def test_the_family_split_is_overhead_and_coverage():
    from benchmarks.frontier_bound import family_split
    runs = {'rooms': {'a': [(12, 10), (30, 20)], 'b': [(10, 10), (10, 10)]}}
    line, = family_split(runs, {'rooms': [40, 40]})
    # a: steps per distinct place 1.2 and 1.5 (median 1.35); distinct / free 0.25 and 0.5
    assert line.split() == ['rooms', 'a', '1.35', '/', '0.38', 'b', '1.00', '/', '0.25']


def test_bad_arguments_get_one_line_and_exit_2(capsys):
    # --seeds 0 raised KeyError, --sizes x ValueError, --sizes 17 printed NaN with exit 0
    from benchmarks.frontier_bound import main
    for argv in (['--seeds', '0'], ['--sizes', 'x'], ['--sizes', '17']):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith('python -m benchmarks.frontier_bound: error: ')
        assert err.count('\n') == 1
