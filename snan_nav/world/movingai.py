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
"""Moving AI grid maps (``.map``) as :class:`~snan_nav.world.grid.GridMap`.

The grid-pathfinding benchmarks of Sturtevant (2012, IEEE Trans. Comput. Intell. AI Games
4(2):144-148; movingai.com: game, city, maze, room and random maps, also the MAPF maps) are
text files::

    type octile
    height H
    width W
    map
    <H rows of W characters>

The header keys may come in any order before ``map``. A ground robot may stand on ``.``, ``G``
(ground) and ``S`` (swamp, passable from ground); ``@``, ``O`` (out of bounds), ``T`` (trees)
and ``W`` (water, not passable from ground) are blocked. The file's first row is the top of
the map; a GridMap's row 0 is the bottom (REP-103, as nav2 flips image rows), so rows are
flipped. The format has no scale: one character is one cell of ``resolution`` metres.

``PATH.map:K`` coarsens to planning cells of ``K x K`` characters: a planning cell is free
only when all of its characters are (the rule of :mod:`snan_nav.world.coarsen`, step 3;
leftover rows at the end of the file, the bottom of the map, and columns at its right edge
are dropped). Every failure raises
:class:`~snan_nav.world.map_io.MapError` naming the file and the line.
"""
import os
import re
from typing import Tuple

import numpy as np

from snan_nav.world.grid import GridMap
from snan_nav.world.map_io import MapError

SUFFIX = '.map'
FREE_CHARS = frozenset('.GS')
BLOCKED_CHARS = frozenset('@OTW')
#: Largest side accepted (the largest Moving AI maps are a few thousand cells wide).
MAX_SIDE = 1 << 14
_SPEC = re.compile(r'^(?P<path>.+\.[mM][aA][pP])(?::(?P<k>[^:]*))?$')   # also FOO.MAP


def is_movingai_spec(spec: str) -> bool:
    """Return True for ``PATH.map`` or ``PATH.map:K``."""
    return _SPEC.match(str(spec)) is not None


def parse_spec(spec: str) -> Tuple[str, int]:
    """Return ``(path, k)`` of ``PATH.map[:K]``; raise MapError for a bad ``K``."""
    m = _SPEC.match(str(spec))
    if m is None:
        raise MapError(f'{spec!r} is not a Moving AI map spec (PATH.map or PATH.map:K)')
    text = m.group('k')
    if text is None:
        return m.group('path'), 1
    if not text.isdigit() or int(text) < 1:
        raise MapError(f'map {spec}: the coarsening factor after ":" must be an integer '
                       f'>= 1, got {text!r}')
    return m.group('path'), int(text)


def read_movingai(path: str) -> np.ndarray:
    """Return the free mask of a ``.map`` file, shape (height, width), row 0 = the first row."""
    try:
        with open(path, 'r', encoding='ascii', newline=None) as f:
            lines = f.read().splitlines()
    except OSError as exc:
        raise MapError(f'cannot read map {path}: {exc.strerror}') from None
    except UnicodeDecodeError:
        raise MapError(f'map {path}: not an ASCII Moving AI map') from None
    header = {}
    body = None
    for n, line in enumerate(lines):
        words = line.split()
        if not words:
            continue
        if words == ['map']:
            body = n + 1
            break
        if len(words) != 2 or words[0] not in ('type', 'height', 'width'):
            raise MapError(f'map {path}, line {n + 1}: expected "type T", "height H", '
                           f'"width W" or "map", got {line.strip()!r}')
        header[words[0]] = words[1]
    if body is None:
        raise MapError(f'map {path}: no "map" line (is it a Moving AI .map file?)')
    size = {}
    for key in ('height', 'width'):
        text = header.get(key)
        if text is None or not text.isdigit() or not 1 <= int(text) <= MAX_SIDE:
            raise MapError(f'map {path}: header "{key}" must be an integer in 1..{MAX_SIDE}, '
                           f'got {text!r}')
        size[key] = int(text)
    if header.get('type', 'octile') != 'octile':
        raise MapError(f'map {path}: type {header["type"]!r} is not supported (octile)')
    height, width = size['height'], size['width']
    rows = lines[body:body + height]
    if len(rows) < height:
        raise MapError(f'map {path}: {len(rows)} map rows, the header says {height}')
    free = np.zeros((height, width), dtype=bool)
    for r, row in enumerate(rows):
        if len(row) != width:
            raise MapError(f'map {path}, line {body + r + 1}: {len(row)} characters, the '
                           f'header says width {width}')
        bad = set(row) - FREE_CHARS - BLOCKED_CHARS
        if bad:
            raise MapError(f'map {path}, line {body + r + 1}: unknown terrain '
                           f'{"".join(sorted(bad))!r} (known: . G S free, @ O T W blocked)')
        free[r] = [c in FREE_CHARS for c in row]
    return free


def coarsen_free(free: np.ndarray, k: int) -> np.ndarray:
    """Return the planning cells of ``k x k`` cells of ``free``: free only if all are free."""
    height, width = free.shape[0] // k, free.shape[1] // k
    if height < 1 or width < 1:
        raise ValueError(f'a {free.shape[1]} x {free.shape[0]} map has no whole {k} x {k} '
                         'planning cell')
    block = free[:height * k, :width * k].reshape(height, k, width, k)
    return block.all(axis=(1, 3))


def load_movingai(spec: str, resolution: float = 1.0) -> GridMap:
    """Load ``PATH.map`` or ``PATH.map:K`` as a GridMap named after the file (no start/goal).

    With ``K`` the cells are ``K x resolution`` metres.
    """
    path, k = parse_spec(spec)
    free = read_movingai(path)
    try:
        planning = coarsen_free(free, k)
    except ValueError as exc:
        raise MapError(f'map {spec}: {exc}') from None
    name = os.path.splitext(os.path.basename(path))[0] + (f'_k{k}' if k > 1 else '')
    # The file's first row is the top; GridMap rows count up from the bottom.
    return GridMap(~planning[::-1], float(resolution) * k, (0.0, 0.0, 0.0), name)
