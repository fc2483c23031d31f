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
"""Raw layouts of the room-like map families (``rooms``, ``office``), in cells.

Each function takes the square side ``size`` (cells) and a ``numpy.random.Generator`` and
returns ``(blocked, rooms)``: a bool array ``(size, size)`` indexed ``[my, mx]`` and the rooms
as inclusive ``(mx0, my0, mx1, my1)`` rectangles. Walls are 1 cell thick, doors 1 cell wide;
the map border is a wall.
"""
from typing import List, Tuple

import numpy as np

Rect = Tuple[int, int, int, int]


def _part_count(span: int, lo: int, hi: int, rng: np.random.Generator) -> int:
    """Draw how many parts of ``lo..hi`` cells, with 1-cell walls between, fill ``span`` cells."""
    counts = [k for k in range(1, span + 2) if k * (lo + 1) <= span + 1 <= k * (hi + 1)]
    if not counts:
        raise ValueError(f'{span} cells cannot be split into parts of {lo}..{hi} cells')
    return counts[int(rng.integers(len(counts)))]


def _split(total: int, count: int, lo: int, hi: int, rng: np.random.Generator) -> List[int]:
    """Split ``total`` cells into ``count`` random parts of ``lo..hi`` cells each."""
    sizes = [lo] * count
    for _ in range(total - lo * count):
        open_parts = [i for i, s in enumerate(sizes) if s < hi]
        sizes[open_parts[int(rng.integers(len(open_parts)))]] += 1
    return sizes


def _walls_split(first: int, span: int, lo: int, hi: int,
                 rng: np.random.Generator) -> List[Tuple[int, int]]:
    """Return inclusive ``(start, end)`` ranges of parts of ``lo..hi`` cells with 1-cell walls.

    The parts and the walls between them exactly fill the ``span`` cells from ``first`` on.
    """
    count = _part_count(span, lo, hi, rng)
    ranges, at = [], first
    for length in _split(span - (count - 1), count, lo, hi, rng):
        ranges.append((at, at + length - 1))
        at += length + 1
    return ranges


def rooms_layout(size: int, rng: np.random.Generator, min_side: int = 6, max_side: int = 10):
    """Draw a grid of rectangular rooms with 1-2 doors in every wall two rooms share.

    Room sides (interior, cells) are drawn in ``min_side..max_side`` (6..10) per row and per
    column of rooms, so they vary per seed; walls between rooms and around the map are 1 cell
    thick. Every shared wall gets 1 or 2 (equally likely) door cells at random places along it,
    so all rooms are connected.
    """
    cols = _walls_split(1, size - 2, min_side, max_side, rng)
    rows = _walls_split(1, size - 2, min_side, max_side, rng)
    blocked = np.ones((size, size), dtype=bool)
    for y0, y1 in rows:
        for x0, x1 in cols:
            blocked[y0:y1 + 1, x0:x1 + 1] = False

    def doors(length: int) -> np.ndarray:
        return rng.choice(length, size=int(rng.integers(1, 3)), replace=False)

    for y0, y1 in rows:  # walls between horizontal neighbours
        for (_, x1), _ in zip(cols[:-1], cols[1:]):
            blocked[y0 + doors(y1 - y0 + 1), x1 + 1] = False
    for x0, x1 in cols:  # walls between vertical neighbours
        for (_, y1), _ in zip(rows[:-1], rows[1:]):
            blocked[y1 + 1, x0 + doors(x1 - x0 + 1)] = False
    rooms = [(x0, y0, x1, y1) for y0, y1 in rows for x0, x1 in cols]
    return blocked, rooms


def _office_rows(size: int, rng: np.random.Generator, min_depth: int, max_depth: int):
    """Return ``[(band_a, corridor, band_b)]`` inclusive row ranges, one per corridor unit."""
    units = []
    lo, hi = 2 * min_depth + 3, 2 * max_depth + 4  # rooms + 2 walls + a 1..2-cell corridor
    for y0, y1 in _walls_split(1, size - 2, lo, hi, rng):
        height = y1 - y0 + 1
        widths = [w for w in (1, 2) if 2 * min_depth <= height - 2 - w <= 2 * max_depth]
        width = widths[int(rng.integers(len(widths)))]
        depth_a, depth_b = _split(height - 2 - width, 2, min_depth, max_depth, rng)
        corridor = (y0 + depth_a + 1, y0 + depth_a + width)
        units.append(((y0, y0 + depth_a - 1), corridor, (y1 - depth_b + 1, y1)))
    return units


def office_layout(size: int, rng: np.random.Generator, min_depth: int = 3, max_depth: int = 8,
                  min_width: int = 3, max_width: int = 8, link_probability: float = 0.3):
    """Draw an office floor: corridors with a row of rooms on both sides.

    Parallel corridors (1 or 2 cells wide each) run across the floor; each has a band of
    rooms on both sides (room depth ``min_depth..max_depth`` = 3..8 cells, width
    ``min_width..max_width`` = 3..8 cells); bands of neighbouring corridors are back to back.
    A spine corridor (1 or 2 cells wide) along one side joins all corridors. Every room has
    exactly one door onto its corridor; each pair of neighbouring rooms in a band is joined by
    an inner door with ``link_probability`` (0.3), and at least one pair per map is. The floor
    is mirrored and/or transposed at random, so corridors run either way.
    """
    spine = int(rng.integers(1, 3))
    blocked = np.ones((size, size), dtype=bool)
    blocked[1:size - 1, 1:spine + 1] = False
    rooms: List[Rect] = []
    links = []
    for band_a, (c0, c1), band_b in _office_rows(size, rng, min_depth, max_depth):
        blocked[c0:c1 + 1, 1:size - 1] = False
        for (y0, y1), door_row in ((band_a, c0 - 1), (band_b, c1 + 1)):
            band = _walls_split(spine + 2, size - 3 - spine, min_width, max_width, rng)
            for x0, x1 in band:
                blocked[y0:y1 + 1, x0:x1 + 1] = False
                blocked[door_row, int(rng.integers(x0, x1 + 1))] = False
                rooms.append((x0, y0, x1, y1))
            links += [(x1 + 1, y0, y1) for (_, x1), _ in zip(band[:-1], band[1:])]
    linked = rng.random(len(links)) < link_probability
    if links and not linked.any():
        linked[int(rng.integers(len(links)))] = True
    for (x, y0, y1), link in zip(links, linked):
        if link:
            blocked[int(rng.integers(y0, y1 + 1)), x] = False
    if rng.random() < 0.5:  # mirror mx
        blocked = blocked[:, ::-1]
        rooms = [(size - 1 - x1, y0, size - 1 - x0, y1) for x0, y0, x1, y1 in rooms]
    if rng.random() < 0.5:  # swap mx and my
        blocked = blocked.T
        rooms = [(y0, x0, y1, x1) for x0, y0, x1, y1 in rooms]
    return np.ascontiguousarray(blocked), rooms
