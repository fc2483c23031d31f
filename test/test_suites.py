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
"""Exact diameter, far start/goal pairs and the train/test suites."""
import math

import numpy as np
import pytest

from snan_nav.world.bfs import diameter, distances, eccentricities, largest_component
from snan_nav.world.builtin import resolve_map
from snan_nav.world.generators import FAMILIES, generate
from snan_nav.world.grid import GridMap
from snan_nav.world.suites import (
    far_pairs, pair_seed, spec_diameter, spec_pairs, suite, SUITE_NAMES, suite_seeds)


def brute_eccentricities(grid):
    mask = largest_component(grid)
    out = np.full(grid.n_cells, -1)
    table = grid.neighbour_table()
    for cid in np.flatnonzero(mask):
        out[cid] = distances(grid, int(cid), table).max()
    return out


@pytest.mark.parametrize('spec', [('rooms', 16, 1), ('cave', 20, 2), ('maze1', 17, 3),
                                  ('random30', 16, 4), ('office', 18, 5), ('open', 16, 6)])
def test_diameter_is_exact(spec):
    grid = generate(*spec)
    brute = brute_eccentricities(grid)
    assert np.array_equal(eccentricities(grid), brute)
    assert diameter(grid) == brute.max()


@pytest.mark.parametrize('family', FAMILIES)
def test_bounded_eccentricities_equal_one_bfs_per_cell(family):
    # The bounding algorithm skips the BFS of cells whose bounds meet; every far pair and the
    # suites' published pairs depend on the exact values.
    from snan_nav.world.bfs import _all_eccentricities
    for size, seed in ((16, 1), (24, 2), (33, 3)):
        grid = generate(family, size, seed)
        assert np.array_equal(eccentricities(grid), brute_eccentricities(grid))
    one = np.zeros((1, 1), dtype=np.int32) - 1
    assert _all_eccentricities(one.reshape(1, 1).repeat(4, axis=1)).tolist() == [0]


def test_diameter_of_known_shapes():
    assert diameter(GridMap(np.zeros((5, 9), dtype=bool))) == 4 + 8
    corridor = np.ones((3, 10), dtype=bool)
    corridor[1, :] = False
    corridor[0, 0] = False  # one step off the corridor's end
    assert diameter(GridMap(corridor)) == 10
    assert diameter(GridMap(np.ones((3, 3), dtype=bool))) == 0
    two = np.ones((1, 7), dtype=bool)
    two[0, [0, 1, 2, 4, 5]] = False  # components of 3 and 2 cells: the largest counts
    assert diameter(GridMap(two)) == 2


def check_pairs(grid, pairs, min_fraction=0.25):
    need = math.ceil(min_fraction * diameter(grid))
    mask = largest_component(grid)
    assert len(set(pairs)) == len(pairs)
    for start, goal in pairs:
        assert mask[start[1], start[0]] and mask[goal[1], goal[0]]
        assert distances(grid, start)[grid.cell_id(goal)] >= need


@pytest.mark.parametrize('family', FAMILIES)
def test_far_pairs_are_far_distinct_and_seeded(family):
    grid = generate(family, 24, 8)
    pairs = far_pairs(grid, 12, seed=5)
    check_pairs(grid, pairs)
    assert far_pairs(grid, 12, seed=5) == pairs
    assert far_pairs(grid, 4, seed=5) == pairs[:4]  # a prefix does not depend on n
    assert far_pairs(grid, 12, seed=6) != pairs
    strict = far_pairs(grid, 5, seed=5, min_fraction=0.9)
    check_pairs(grid, strict, 0.9)


def test_far_pairs_refuse_what_is_impossible():
    line = GridMap(np.zeros((1, 6), dtype=bool))
    # at the full diameter only (0,0)->(5,0) and back exist
    assert sorted(far_pairs(line, 2, 0, min_fraction=1.0)) == [((0, 0), (5, 0)),
                                                               ((5, 0), (0, 0))]
    with pytest.raises(ValueError, match='only 2 start/goal pairs'):
        far_pairs(line, 3, 0, min_fraction=1.0)
    with pytest.raises(ValueError, match='>= 1'):
        far_pairs(line, 0, 0)
    with pytest.raises(ValueError, match='min_fraction'):
        far_pairs(line, 1, 0, min_fraction=0.0)
    with pytest.raises(ValueError, match='no two connected'):
        far_pairs(GridMap(np.ones((4, 4), dtype=bool)), 1, 0)


def test_train_suite_is_every_family_at_16_32_64_with_far_pairs():
    maps = suite('train')
    assert [(m.family, m.size) for m in maps] == [
        (f, s) for f in FAMILIES for s in (16, 32, 64)]
    for m in maps:
        assert m.name == f'gen:{m.family}:{m.size}:{m.seed}' == m.grid.name
        assert len(m.pairs) == 3 and (m.grid.start, m.grid.goal) == m.pairs[0]
        need = math.ceil(0.25 * spec_diameter(m.name))
        table = m.grid.neighbour_table()
        for start, goal in m.pairs:
            assert distances(m.grid, start, table)[m.grid.cell_id(goal)] >= need
    again = suite('train')
    assert all(np.array_equal(a.grid.blocked, b.grid.blocked) and a.pairs == b.pairs
               for a, b in zip(maps, again))


def test_a_suite_map_re_runs_alone_from_its_spec():
    m = suite('train', pairs_per_map=2)[4]
    grid = resolve_map(m.name)
    assert np.array_equal(grid.blocked, m.grid.blocked)
    assert (grid.start, grid.goal) == m.pairs[0]
    assert spec_pairs(m.name, 2) == list(m.pairs)
    assert spec_pairs(m.name, 3)[:2] == list(m.pairs)


def test_test_suite_adds_128_and_shares_no_seed_with_train():
    train, test = suite('train', 1), suite('test', 1)
    assert [(m.family, m.size) for m in test] == [
        (f, s) for f in FAMILIES for s in (16, 32, 64, 128)]
    train_seeds = {m.seed for m in train}
    test_seeds = {m.seed for m in test}
    assert len(train_seeds) == len(train) and len(test_seeds) == len(test)
    assert all(s % 2 == 0 for s in train_seeds) and all(s % 2 == 1 for s in test_seeds)
    pair_seeds = {pair_seed(s) for s in train_seeds | test_seeds}
    assert not pair_seeds & (train_seeds | test_seeds)
    assert len(pair_seeds) == len(train) + len(test)
    for m in test:
        assert largest_component(m.grid).sum() == m.grid.free_count()  # one component
        (start, goal), = m.pairs
        need = math.ceil(0.25 * spec_diameter(m.name))
        assert distances(m.grid, start)[m.grid.cell_id(goal)] >= need
    # more seeds per cell stay on their suite's side
    assert all(s % 2 == 0 for s in suite_seeds('train', 'cave', 32, 50))
    assert all(s % 2 == 1 for s in suite_seeds('test', 'cave', 32, 50))


def test_bad_suite_arguments():
    assert SUITE_NAMES == ('train', 'test')
    with pytest.raises(ValueError, match='valid: train, test'):
        suite('val')
    for bad in (0, 2.5, '3', None, True):
        with pytest.raises(ValueError, match='pairs_per_map'):
            suite('train', bad)
    with pytest.raises(ValueError, match='unknown map family'):
        suite_seeds('train', 'nope', 16)
