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
"""Seeded map families for benchmark suites and their ``gen:FAMILY:SIZE:SEED`` specs.

Every family is a pure function of ``(size, seed)``: a square ``size`` x ``size`` map (cells,
16..128), 4-connected, 1 m cells, origin (0, 0, 0). A family draws a raw layout from
``numpy.random.default_rng(seed)``; only the largest connected free component stays free. When
that component holds less than :data:`MIN_FREE_FRACTION` of the area, the layout is drawn
again from the same stream (at most :data:`MAX_ATTEMPTS` times, then ValueError), so a spec
always names one map. Families: see :data:`FAMILIES` and each layout function's docstring;
room-like families are in :mod:`snan_nav.world.room_layouts`.
"""
from functools import partial
import re
from typing import Callable, Dict, NamedTuple, Tuple

import numpy as np

from snan_nav.world.bfs import largest_component
from snan_nav.world.builtin import GEN_PREFIX, maze
from snan_nav.world.grid import GridMap
from snan_nav.world.map_io import MapError
from snan_nav.world.room_layouts import office_layout, Rect, rooms_layout

MIN_SIZE, MAX_SIZE = 16, 128
MAX_SEED = 2 ** 32 - 1
MIN_FREE_FRACTION = 0.25
MAX_ATTEMPTS = 20
FAMILIES = ('rooms', 'random10', 'random20', 'random30', 'maze1', 'maze2', 'maze3', 'cave',
            'open', 'office')


class Layout(NamedTuple):
    """One accepted draw of a family, before the component cut.

    ``blocked``: bool ``(size, size)`` indexed ``[my, mx]`` as drawn; ``keep``: bool mask of the
    largest free component (the free cells of the final map); ``rooms``: the rooms of the
    room-like families as inclusive ``(mx0, my0, mx1, my1)`` rectangles in cells (empty for
    the others); ``attempt``: 0-based number of the accepted draw.
    """

    blocked: np.ndarray
    keep: np.ndarray
    rooms: Tuple[Rect, ...]
    attempt: int


def random_layout(size: int, rng: np.random.Generator, density: float):
    """Draw independent obstacles: each cell is blocked with probability ``density``.

    No border walls. The families ``random10``, ``random20`` and ``random30`` use densities
    0.10, 0.20 and 0.30 (fraction of cells, before the component cut).
    """
    return rng.random((size, size)) < density, ()


def maze_layout(size: int, rng: np.random.Generator, width: int):
    """Draw a perfect maze (recursive backtracker) with corridors and walls ``width`` cells wide.

    A base maze of ``m`` x ``m`` cells (``m`` the largest odd number <= ``size // width``;
    passages on even base coordinates, see :func:`snan_nav.world.builtin.maze`) is scaled by
    ``width`` in both axes; the rows and columns left over above and to the right are walls.
    Families ``maze1``, ``maze2``, ``maze3`` use widths 1, 2, 3 cells.
    """
    m = size // width
    m -= 1 - m % 2
    base = maze(m, int(rng.integers(0, MAX_SEED + 1))).blocked
    blocked = np.ones((size, size), dtype=bool)
    blocked[:m * width, :m * width] = np.kron(base, np.ones((width, width), dtype=bool))
    return blocked, ()


def cave_layout(size: int, rng: np.random.Generator, fill: float = 0.45,
                iterations: int = 5):
    """Draw a cellular-automaton cave.

    Cells start blocked with probability ``fill`` (0.45); then ``iterations`` (5) synchronous
    updates of the 4-5 rule: a cell is blocked next when 5 or more of its 9 cells (itself and
    its 8 neighbours; outside the map counts as blocked) are blocked. The border stays blocked.
    """
    blocked = rng.random((size, size)) < fill
    for _ in range(iterations):
        padded = np.pad(blocked, 1, constant_values=True).astype(np.int8)
        count = sum(padded[1 + dy:size + 1 + dy, 1 + dx:size + 1 + dx]
                    for dy in (-1, 0, 1) for dx in (-1, 0, 1))
        blocked = count >= 5
    blocked[[0, -1], :] = True
    blocked[:, [0, -1]] = True
    return blocked, ()


def open_layout(size: int, rng: np.random.Generator, min_density: float = 0.02,
                max_density: float = 0.05):
    """Draw an open area with sparse small obstacles and no border walls.

    A target density is drawn uniformly in [``min_density``, ``max_density``] (2-5 % of the
    cells); obstacles of 1x1, 1x2, 2x1 or 2x2 cells are placed uniformly until the blocked
    fraction reaches it.
    """
    blocked = np.zeros((size, size), dtype=bool)
    target = rng.uniform(min_density, max_density) * size * size
    shapes = ((1, 1), (1, 2), (2, 1), (2, 2))
    while blocked.sum() < target:
        h, w = shapes[int(rng.integers(len(shapes)))]
        y, x = int(rng.integers(0, size - h + 1)), int(rng.integers(0, size - w + 1))
        blocked[y:y + h, x:x + w] = True
    return blocked, ()


_LAYOUTS: Dict[str, Callable] = {
    'rooms': rooms_layout,
    'random10': partial(random_layout, density=0.10),
    'random20': partial(random_layout, density=0.20),
    'random30': partial(random_layout, density=0.30),
    'maze1': partial(maze_layout, width=1),
    'maze2': partial(maze_layout, width=2),
    'maze3': partial(maze_layout, width=3),
    'cave': cave_layout,
    'open': open_layout,
    'office': office_layout,
}


def map_spec(family: str, size: int, seed: int) -> str:
    """Return the spec ``gen:FAMILY:SIZE:SEED`` that names one generated map."""
    return f'{GEN_PREFIX}{family}:{int(size)}:{int(seed)}'


def _check(family: str, size: int, seed: int) -> None:
    if family not in _LAYOUTS:
        raise ValueError(f'unknown map family {family!r}; valid: {", ".join(FAMILIES)}')
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) \
            or not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f'map size must be an integer in {MIN_SIZE}..{MAX_SIZE} cells, '
                         f'got {size!r}')
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) \
            or not 0 <= seed <= MAX_SEED:
        raise ValueError(f'map seed must be an integer in 0..{MAX_SEED}, got {seed!r}')


def layout(family: str, size: int, seed: int) -> Layout:
    """Return the accepted raw draw of ``family`` at ``size`` cells with ``seed``.

    Raise ValueError for an unknown family, a size outside 16..128 cells, a seed outside
    0..2**32-1, or when no draw in :data:`MAX_ATTEMPTS` keeps enough free cells.
    """
    _check(family, size, seed)
    rng = np.random.default_rng(int(seed))
    need = MIN_FREE_FRACTION * size * size
    for attempt in range(MAX_ATTEMPTS):
        blocked, rooms = _LAYOUTS[family](int(size), rng)
        blocked = np.ascontiguousarray(blocked, dtype=bool)
        keep = largest_component(GridMap(blocked))
        if keep.sum() >= need:
            return Layout(blocked, keep, tuple(rooms), attempt)
    raise ValueError(f'{map_spec(family, size, seed)}: no draw in {MAX_ATTEMPTS} kept '
                     f'{100 * MIN_FREE_FRACTION:.0f} % of the cells free')


def generate(family: str, size: int, seed: int) -> GridMap:
    """Return the map of ``family`` at ``size`` x ``size`` cells for ``seed`` (deterministic).

    Only the largest free component is free; the map's name is its ``gen:`` spec; start and
    goal are unset (see :func:`snan_nav.world.suites.spec_map` for a map with a far pair).
    """
    return GridMap(~layout(family, size, seed).keep, name=map_spec(family, size, seed))


#: One ``(size, seed) -> GridMap`` function per family.
GENERATORS: Dict[str, Callable[[int, int], GridMap]] = {
    family: partial(generate, family) for family in FAMILIES}

_SPEC = re.compile(r'gen:([a-z0-9]+):(\d+):(\d+)')


def parse_spec(spec: str) -> Tuple[str, int, int]:
    """Return ``(family, size, seed)`` of ``gen:FAMILY:SIZE:SEED``; raise MapError naming why."""
    match = _SPEC.fullmatch(str(spec))
    usage = (f'expected gen:FAMILY:SIZE:SEED with FAMILY one of {", ".join(FAMILIES)}, '
             f'SIZE {MIN_SIZE}..{MAX_SIZE} cells, SEED 0..{MAX_SEED}')
    if not match:
        raise MapError(f'bad map spec {spec!r}: {usage}')
    family, size, seed = match.group(1), int(match.group(2)), int(match.group(3))
    try:
        _check(family, size, seed)
    except ValueError as exc:
        raise MapError(f'bad map spec {spec!r}: {exc}; {usage}') from None
    return family, size, seed
