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
"""Built-in grid layouts (docs/architecture.md, "The task") and ``builtin:NAME`` / YAML map specs.

Names: ``paper10`` (10x10, two walls force a serpentine detour), ``open16`` (16x16, no
obstacles), ``fourrooms`` (Sutton's 13x13 four rooms), ``maze<N>`` (N x N perfect maze, N odd
>= 5) and ``random<N>`` (N x N, 25 % random obstacles, largest component kept, N >= 4).
Every layout has its start and goal set; seeded ones are deterministic in ``seed``.
Cells are 1 m; the origin is (0, 0, 0).
"""
import re
from typing import Sequence

import numpy as np

from snan_nav.world.bfs import farthest_pair, largest_component
from snan_nav.world.grid import ACTION_DELTAS, GridMap
from snan_nav.world.map_io import load_map, MapError

BUILTIN_PREFIX = 'builtin:'
GEN_PREFIX = 'gen:'
VALID_NAMES = 'paper10, open16, fourrooms, maze<N> (odd N >= 5), random<N> (N >= 4)'
MAX_SIZE = 1025
RANDOM_DENSITY = 0.25

# Rows are listed top (my = height - 1) to bottom (my = 0), as drawn; '#' is a wall.
PAPER10 = (
    '..........',  # goal at the top-right corner (9, 9)
    '....#.....',
    '....#.....',
    '..########',
    '......#...',
    '...#......',
    '########..',
    '.....#....',
    '.....#....',
    '..........',  # start at the bottom-left corner (0, 0)
)

FOURROOMS = (
    '#############',
    '#     #     #',
    '#     #     #',
    '#           #',
    '#     #     #',
    '#     #     #',
    '## ####     #',
    '#     ### ###',
    '#     #     #',
    '#     #     #',
    '#           #',
    '#     #     #',
    '#############',
)


def grid_from_rows(rows: Sequence[str], name: str, start, goal) -> GridMap:
    """Build a :class:`GridMap` from rows drawn top first; ``#`` is blocked, else free."""
    blocked = np.array([[ch == '#' for ch in row] for row in rows], dtype=bool)[::-1]
    return GridMap(blocked, 1.0, (0.0, 0.0, 0.0), name, start, goal)


def maze(n: int, seed: int = 0) -> GridMap:
    """Return a perfect maze of ``n`` x ``n`` cells (recursive backtracker, seeded).

    Passage cells sit on even ``(mx, my)``, walls between them; the map border is the outer
    wall; the carving order comes from ``numpy.random.RandomState(seed)``. Start ``(0, 0)``,
    goal ``(n - 1, n - 1)``.
    """
    rng = np.random.RandomState(seed)
    blocked = np.ones((n, n), dtype=bool)
    blocked[0, 0] = False
    stack = [(0, 0)]
    while stack:
        x, y = stack[-1]
        options = [(dx, dy) for dx, dy in ACTION_DELTAS
                   if 0 <= x + 2 * dx < n and 0 <= y + 2 * dy < n
                   and blocked[y + 2 * dy, x + 2 * dx]]
        if not options:
            stack.pop()
            continue
        dx, dy = options[rng.randint(len(options))]
        blocked[y + dy, x + dx] = False
        blocked[y + 2 * dy, x + 2 * dx] = False
        stack.append((x + 2 * dx, y + 2 * dy))
    return GridMap(blocked, 1.0, (0.0, 0.0, 0.0), f'maze{n}', (0, 0), (n - 1, n - 1))


def random_obstacles(n: int, seed: int = 0, density: float = RANDOM_DENSITY) -> GridMap:
    """Return an ``n`` x ``n`` map with ``density`` random obstacles (``RandomState(seed)``).

    Only the largest connected free component stays free; start and goal are a far-apart
    pair of it (:func:`~snan_nav.world.bfs.farthest_pair`).
    """
    rng = np.random.RandomState(seed)
    raw = GridMap(rng.random_sample((n, n)) < density, name=f'random{n}')
    keep = largest_component(raw)
    if keep.sum() < 2:
        raise MapError(f'random{n} with seed {seed} has no two connected free cells')
    grid = GridMap(~keep, name=f'random{n}')
    a, b = farthest_pair(grid, keep)
    return GridMap(~keep, 1.0, (0.0, 0.0, 0.0), f'random{n}', grid.cell_of(a), grid.cell_of(b))


def builtin_map(name: str, seed: int = 0) -> GridMap:
    """Return the built-in layout ``name`` (see the module docstring); raise :class:`MapError`."""
    if name == 'paper10':
        return grid_from_rows(PAPER10, 'paper10', (0, 0), (9, 9))
    if name == 'open16':
        return GridMap(np.zeros((16, 16), dtype=bool), name='open16', start=(0, 0),
                       goal=(15, 15))
    if name == 'fourrooms':
        return grid_from_rows(FOURROOMS, 'fourrooms', (1, 1), (11, 11))
    match = re.fullmatch(r'(maze|random)(\d+)', name or '')
    if match:
        kind, n = match.group(1), int(match.group(2))
        if kind == 'maze' and 5 <= n <= MAX_SIZE and n % 2 == 1:
            return maze(n, seed)
        if kind == 'random' and 4 <= n <= MAX_SIZE:
            return random_obstacles(n, seed)
        raise MapError(f'built-in map {name!r} has a bad size; maze<N> needs an odd N in '
                       f'5..{MAX_SIZE}, random<N> an N in 4..{MAX_SIZE}')
    raise MapError(f'unknown built-in map {name!r}; valid: {VALID_NAMES}')


def resolve_map(spec: str, seed: int = 0) -> GridMap:
    """Return the map for ``builtin:NAME``, ``gen:...``, a nav2 map YAML or ``PATH.map[:K]``.

    ``PATH.map[:K]`` is a Moving AI map (:mod:`snan_nav.world.movingai`).

    A ``gen:`` spec carries its own seed (``seed`` is ignored) and comes with start/goal set to
    its first far pair (:func:`snan_nav.world.suites.spec_map`). Raise :class:`MapError`.
    """
    spec = str(spec)
    if spec.startswith(BUILTIN_PREFIX):
        return builtin_map(spec[len(BUILTIN_PREFIX):], seed)
    if spec.startswith(GEN_PREFIX):
        from snan_nav.world.suites import spec_map  # lazy: the generators import this module
        return spec_map(spec)
    from snan_nav.world.movingai import is_movingai_spec, load_movingai
    if is_movingai_spec(spec):
        return load_movingai(spec)
    return load_map(spec)
