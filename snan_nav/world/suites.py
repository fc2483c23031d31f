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
"""Train and test map suites of generated families, with far start/goal pairs.

Seeds: every map seed comes from a ``numpy.random.SeedSequence`` keyed by (suite, family,
size) and is even in ``train`` and odd in ``test``, so the two suites never share a map seed.
A map's pairs are drawn with :func:`pair_seed` of its map seed (the map seed + 2**32), which
keeps pair seeds disjoint from map seeds and equally split by suite, and lets any suite map be
re-run alone from its ``gen:`` spec (:func:`spec_map`, :func:`spec_pairs`).
"""
from functools import lru_cache
import math
from typing import List, NamedTuple, Optional, Tuple

import numpy as np

from snan_nav.world.bfs import bfs_fill, compact_graph, eccentricities, largest_component
from snan_nav.world.generators import FAMILIES, generate, map_spec, MAX_SEED, parse_spec
from snan_nav.world.grid import Cell, GridMap

SUITE_NAMES = ('train', 'test')
SUITE_SIZES = {'train': (16, 32, 64), 'test': (16, 32, 64, 128)}
MIN_FRACTION = 0.25
_SEED_KEY = 0x5A4E  # fixed entropy of the suite seed tree ("SN")

Pair = Tuple[Cell, Cell]


class SuiteMap(NamedTuple):
    """One map of a suite: its ``gen:`` spec as ``name``, the generator inputs and the pairs.

    ``size`` is the square side in cells; ``grid`` has start/goal set to ``pairs[0]``;
    ``pairs`` is a tuple of ``((mx, my), (mx, my))`` start/goal cells.
    """

    name: str
    family: str
    size: int
    seed: int
    grid: GridMap
    pairs: Tuple[Pair, ...]


def far_pairs(grid: GridMap, n: int, seed: int, min_fraction: float = MIN_FRACTION,
              ecc: Optional[np.ndarray] = None) -> List[Pair]:
    """Draw ``n`` distinct ``((mx, my), (mx, my))`` start/goal pairs that lie far apart.

    Both cells lie in the largest free component, at a BFS distance of at least
    ``ceil(min_fraction * D)`` steps, ``D`` the exact diameter (steps). Each draw takes a start
    uniformly among the cells that still have an unused partner that far, then a goal uniformly
    among those partners (``numpy.random.default_rng(seed)``), so the first ``k`` pairs do not
    depend on ``n``. Pass the cells' :func:`~snan_nav.world.bfs.eccentricities` as ``ecc`` to
    skip their computation. Raise ValueError when ``n < 1``, ``min_fraction`` is
    outside (0, 1], or the map has fewer than ``n`` such pairs.
    """
    if not 0.0 < min_fraction <= 1.0:
        raise ValueError(f'min_fraction must be in (0, 1], got {min_fraction}')
    mask, ids, nbr = _component_graph(grid, n)
    ecc = (eccentricities(grid, mask) if ecc is None else np.asarray(ecc))[ids]
    threshold = max(1, math.ceil(min_fraction * int(ecc.max())))
    starts = list(np.flatnonzero(ecc >= threshold))
    where = f'at >= {threshold} steps ({min_fraction} x diameter {int(ecc.max())})'
    return _draw_pairs(grid, ids, nbr, starts, n, seed, threshold, None, where)


def ranged_pairs(grid: GridMap, n: int, seed: int, lo: int, hi: int) -> List[Pair]:
    """Draw ``n`` distinct start/goal pairs whose BFS distance is ``lo..hi`` steps.

    Both cells lie in the largest free component. Each draw takes a start uniformly among the
    component's cells that may still have an unused partner in range, then a goal uniformly
    among those partners (``numpy.random.default_rng(seed)``); a start without one is never
    drawn again. Raise ValueError for ``n < 1``, a bad range, or too few such pairs.
    """
    if not 1 <= lo <= hi:
        raise ValueError(f'the pair distance range must satisfy 1 <= LO <= HI, got {lo}..{hi}')
    _, ids, nbr = _component_graph(grid, n)
    return _draw_pairs(grid, ids, nbr, list(range(ids.size)), n, seed, lo, hi,
                       f'at {lo}..{hi} steps')


def _component_graph(grid: GridMap, n: int):
    """Return the largest free component's mask and compact graph; check ``n`` and its size."""
    if n < 1:
        raise ValueError(f'the number of pairs must be >= 1, got {n}')
    mask = largest_component(grid)
    ids, nbr = compact_graph(grid, mask)
    if ids.size < 2:
        raise ValueError(f'map {grid.name or "?"} has no two connected free cells')
    return mask, ids, nbr


def _draw_pairs(grid: GridMap, ids, nbr, starts: list, n: int, seed: int, lo: int,
                hi: Optional[int], where: str) -> List[Pair]:
    """Draw ``n`` pairs (start from ``starts``, goal at BFS distance ``lo..hi``; see callers)."""
    used = {}
    rng = np.random.default_rng(seed)
    dist = np.full(ids.size, -1, dtype=np.int32)
    queue = np.empty(ids.size, dtype=np.int32)
    pairs = []
    while len(pairs) < n:
        if not starts:
            raise ValueError(f'map {grid.name or "?"} has only {len(pairs)} start/goal pairs '
                             f'{where}, {n} asked')
        k = int(rng.integers(len(starts)))
        start = int(starts[k])
        dist[:] = -1
        bfs_fill(nbr, start, dist, queue)
        taken = used.setdefault(start, set())
        in_range = dist >= lo if hi is None else (dist >= lo) & (dist <= hi)
        goals = [g for g in np.flatnonzero(in_range) if int(g) not in taken]
        if not goals:  # every partner of this start in range is used: never draw it again
            starts.pop(k)
            continue
        goal = int(goals[int(rng.integers(len(goals)))])
        taken.add(goal)
        pairs.append((grid.cell_of(ids[start]), grid.cell_of(ids[goal])))
    return pairs


def pair_seed(map_seed: int) -> int:
    """Return the seed of a suite map's start/goal pairs: ``map_seed + 2**32``."""
    return int(map_seed) + MAX_SEED + 1


@lru_cache(maxsize=128)
def _generated(spec: str) -> Tuple[GridMap, np.ndarray, int]:
    """Return the map of ``spec``, its cells' eccentricities and its seed (cached per process)."""
    family, size, seed = parse_spec(spec)
    grid = generate(family, size, seed)
    ecc = eccentricities(grid)
    ecc.setflags(write=False)
    return grid, ecc, seed


def _far_map(spec: str, n_pairs: int) -> Tuple[GridMap, Tuple[Pair, ...]]:
    grid, ecc, seed = _generated(spec)
    pairs = tuple(far_pairs(grid, n_pairs, pair_seed(seed), ecc=ecc))
    start, goal = pairs[0]
    return GridMap(grid.blocked, grid.resolution, grid.origin, grid.name, start, goal), pairs


def spec_pairs(spec: str, n: int = 3) -> List[Pair]:
    """Return the ``n`` far start/goal pairs of the ``gen:`` map ``spec`` (as its suite uses).

    Cached per process (the diameter costs about a second on a 128 x 128 open map).
    """
    return list(_far_map(str(spec), int(n))[1])


def spec_diameter(spec: str) -> int:
    """Return the exact diameter (steps) of the ``gen:`` map ``spec`` (cached per process)."""
    return int(_generated(str(spec))[1].max())


def spec_map(spec: str) -> GridMap:
    """Return the ``gen:`` map ``spec`` with start/goal set to its first far pair.

    Raise MapError (a ValueError) with the valid families for a bad spec.
    """
    return _far_map(str(spec), 1)[0]


def suite_seeds(name: str, family: str, size: int, count: int = 1) -> List[int]:
    """Return ``count`` map seeds of suite ``name`` for ``family`` at ``size`` cells.

    Even for ``train`` and odd for ``test`` (disjoint by construction), drawn from a
    SeedSequence keyed by (suite, family, size).
    """
    if name not in SUITE_NAMES:
        raise ValueError(f'unknown suite {name!r}; valid: {", ".join(SUITE_NAMES)}')
    if family not in FAMILIES:
        raise ValueError(f'unknown map family {family!r}; valid: {", ".join(FAMILIES)}')
    parity = SUITE_NAMES.index(name)
    tree = np.random.SeedSequence([_SEED_KEY, parity, FAMILIES.index(family), int(size)])
    words = tree.generate_state(count, np.uint32)
    return [int(w) & ~1 | parity for w in words]


def suite(name: str, pairs_per_map: int = 3) -> List[SuiteMap]:
    """Return suite ``name`` ('train' or 'test'): one map per family and size, with far pairs.

    ``train`` has every family at 16, 32 and 64 cells; ``test`` also at 128 cells, with
    other map and pair seeds. Maps come in :data:`FAMILIES` order, sizes ascending. Each map
    has ``pairs_per_map`` pairs from :func:`far_pairs` (min_fraction 0.25).
    """
    if name not in SUITE_NAMES:
        raise ValueError(f'unknown suite {name!r}; valid: {", ".join(SUITE_NAMES)}')
    if isinstance(pairs_per_map, bool) or not isinstance(pairs_per_map, (int, np.integer)) \
            or pairs_per_map < 1:
        raise ValueError(f'pairs_per_map must be an integer >= 1, got {pairs_per_map!r}')
    maps = []
    for family in FAMILIES:
        for size in SUITE_SIZES[name]:
            seed = suite_seeds(name, family, size)[0]
            spec = map_spec(family, size, seed)
            grid, pairs = _far_map(spec, int(pairs_per_map))
            maps.append(SuiteMap(spec, family, size, seed, grid, pairs))
    return maps
