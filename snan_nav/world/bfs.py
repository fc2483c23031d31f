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
"""Breadth-first search on a 4-connected :class:`~snan_nav.world.grid.GridMap`.

Distances are in steps (moves between 4-neighbouring free cells). Cells are given either as
flat ids (``my * width + mx``) or as ``(mx, my)`` pairs; results are flat ids. The search
expands whole frontiers with NumPy, so it stays fast on nav2-sized maps; the exact diameter
(one BFS from every free cell) runs in a compiled numba kernel.
"""
from typing import Optional, Tuple, Union

from numba import njit
import numpy as np

from snan_nav.world.grid import GridMap

CellLike = Union[int, Tuple[int, int]]
UNREACHABLE = -1


def as_cell_id(grid: GridMap, cell: CellLike) -> int:
    """Return the flat id of ``cell`` (an id or an ``(mx, my)`` pair); raise if off the map."""
    if isinstance(cell, (tuple, list, np.ndarray)):
        if len(cell) != 2:
            raise ValueError(f'a cell is (mx, my), got {cell!r}')
        pair = (int(cell[0]), int(cell[1]))
        if not grid.in_bounds(pair):
            raise ValueError(f'cell {pair} is outside the {grid.width}x{grid.height} map')
        return grid.cell_id(pair)
    cid = int(cell)
    if not 0 <= cid < grid.n_cells:
        raise ValueError(f'cell id {cid} is outside the {grid.width}x{grid.height} map')
    return cid


def distances(grid: GridMap, source: CellLike,
              table: Optional[np.ndarray] = None) -> np.ndarray:
    """Return int32 steps from ``source`` to every cell, shape ``(n_cells,)``.

    Unreachable and blocked cells get ``UNREACHABLE`` (-1); a blocked source reaches nothing
    (all -1). Pass a cached :meth:`GridMap.neighbour_table` as ``table`` to save its cost.
    """
    src = as_cell_id(grid, source)
    if table is None:
        table = grid.neighbour_table()
    dist = np.full(grid.n_cells, UNREACHABLE, dtype=np.int32)
    if grid.blocked.flat[src]:
        return dist
    dist[src] = 0
    frontier = np.array([src], dtype=np.int64)
    d = 0
    while frontier.size:
        d += 1
        nxt = table[frontier].ravel()
        nxt = nxt[nxt >= 0]
        nxt = np.unique(nxt[dist[nxt] == UNREACHABLE])
        dist[nxt] = d
        frontier = nxt
    return dist


def path_length(grid: GridMap, start: CellLike, goal: CellLike) -> Optional[int]:
    """Return the shortest path length start->goal in steps, or None when unreachable."""
    d = int(distances(grid, start)[as_cell_id(grid, goal)])
    return None if d == UNREACHABLE else d


def shortest_path(grid: GridMap, start: CellLike, goal: CellLike) -> Optional[np.ndarray]:
    """Return the cell ids of one shortest path, start and goal included, or None.

    Ties are broken towards the lowest action index (N, E, S, W) at every step.
    """
    table = grid.neighbour_table()
    s, g = as_cell_id(grid, start), as_cell_id(grid, goal)
    dist = distances(grid, g, table)
    if dist[s] == UNREACHABLE:
        return None
    path = [s]
    cell = s
    while cell != g:
        nbrs = table[cell]
        cell = int(next(n for n in nbrs if n >= 0 and dist[n] == dist[cell] - 1))
        path.append(cell)
    return np.asarray(path, dtype=np.int32)


def connected_components(grid: GridMap) -> Tuple[np.ndarray, int]:
    """Label the 4-connected free regions.

    Return ``(labels, count)``: ``labels`` is int32 ``(n_cells,)`` with 0..count-1 on free
    cells, numbered in order of their lowest cell id, and -1 on blocked cells. scipy's
    labelling (C) numbers regions in raster order, which is that order; it runs on every map
    a navigator receives (:func:`fragmentation_note`).
    """
    from scipy import ndimage
    labels, count = ndimage.label(~grid.blocked)  # the default structure: 4-connected
    return labels.ravel().astype(np.int32) - 1, int(count)


def largest_component(grid: GridMap) -> np.ndarray:
    """Return a bool mask ``(height, width)`` of the largest free component.

    Ties go to the component holding the lowest cell id; a map without free cells gives an
    all-False mask. ``np.flatnonzero(mask)`` lists the component's cell ids.
    """
    labels, count = connected_components(grid)
    if count == 0:
        return np.zeros(grid.blocked.shape, dtype=bool)
    sizes = np.bincount(labels[labels >= 0], minlength=count)
    return (labels == int(np.argmax(sizes))).reshape(grid.blocked.shape)


def fragmentation_note(grid: GridMap, share: float = 0.5) -> Optional[str]:
    """Return a note when the largest free component holds less than ``share`` of the free cells.

    Benchmark runs use only the largest component (pairs, sequences) and a robot cannot leave
    its own, so a map whose narrow passages closed when it was coarsened or inflated deserves
    a word; None otherwise.
    """
    free = grid.free_count()
    if free == 0:
        return None
    largest = int(largest_component(grid).sum())
    if largest >= share * free:
        return None
    return (f'its largest connected free area holds {largest:,} of its {free:,} free '
            f'planning cells ({100.0 * largest / free:.3g} %)')


def farthest_pair(grid: GridMap, mask: Optional[np.ndarray] = None) -> Tuple[int, int]:
    """Return two far-apart cell ids of one component (a double BFS sweep, deterministic).

    ``mask`` selects the component (default: the largest). The first sweep starts at its
    lowest cell id; the result is ``(a, b)`` with ``b`` the farthest cell from ``a``.
    """
    if mask is None:
        mask = largest_component(grid)
    ids = np.flatnonzero(mask)
    if ids.size < 2:
        raise ValueError(f'map {grid.name or "?"} has no two connected free cells')
    table = grid.neighbour_table()
    d0 = distances(grid, int(ids[0]), table)
    a = int(np.argmax(d0))
    b = int(np.argmax(distances(grid, a, table)))
    return a, b


@njit(cache=True)
def bfs_fill(nbr, src, dist, queue):
    """BFS over the compact graph ``nbr`` from node ``src``; return the largest distance found.

    ``nbr`` is int32 ``(nodes, 4)`` (see :func:`compact_graph`); ``dist`` (int32, nodes) must
    hold -1 everywhere and is left holding the steps from ``src`` (-1 where unreachable);
    ``queue`` is int32 scratch of ``nodes`` entries. Compiled (numba).
    """
    dist[src] = 0
    queue[0] = src
    head, tail = 0, 1
    while head < tail:
        node = queue[head]
        head += 1
        step = dist[node] + 1
        for a in range(4):
            nxt = nbr[node, a]
            if nxt >= 0 and dist[nxt] < 0:
                dist[nxt] = step
                queue[tail] = nxt
                tail += 1
    return dist[queue[tail - 1]]


@njit(cache=True)
def _all_eccentricities(nbr):
    """Return int32 eccentricities (steps) of every node of the connected compact graph ``nbr``.

    Exact, by bounding (Takes and Kosters 2013, "Computing the eccentricity distribution of
    large graphs", Algorithms 6:100): a BFS from ``v`` with eccentricity ``e`` bounds every
    other node ``w`` at distance ``d`` by ``max(d, e - d) <= ecc(w) <= e + d``; a node whose
    bounds meet is done without its own BFS. The next BFS starts, alternately, from the open
    node with the largest upper and the smallest lower bound (lowest index on ties). Far fewer
    BFS than nodes on grid maps (one BFS per node took 8 minutes on a 512 x 512 map).
    """
    n = nbr.shape[0]
    ecc = np.full(n, -1, dtype=np.int32)
    lower = np.zeros(n, dtype=np.int32)
    upper = np.full(n, np.iinfo(np.int32).max, dtype=np.int32)
    is_open = np.ones(n, dtype=np.bool_)
    dist = np.full(n, -1, dtype=np.int32)
    queue = np.empty(n, dtype=np.int32)
    left = n
    by_upper = True
    while left > 0:
        v = -1
        for w in range(n):
            if not is_open[w]:
                continue
            if v < 0 or (upper[w] > upper[v] if by_upper else lower[w] < lower[v]):
                v = w
        by_upper = not by_upper
        e = bfs_fill(nbr, v, dist, queue)
        ecc[v] = e
        is_open[v] = False
        left -= 1
        for w in range(n):
            if not is_open[w]:
                continue
            d = dist[w]
            low = d if d > e - d else e - d
            if low > lower[w]:
                lower[w] = low
            if e + d < upper[w]:
                upper[w] = e + d
            if lower[w] == upper[w]:
                ecc[w] = lower[w]
                is_open[w] = False
                left -= 1
        dist[:] = -1
    return ecc


def compact_graph(grid: GridMap, mask: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Return ``(ids, nbr)``: the cells of ``mask`` as a compact graph for :func:`bfs_fill`.

    ``ids`` are the flat ids of the ``mask`` cells (ascending); ``nbr`` is int32
    ``(ids.size, 4)``: per action the index into ``ids`` of the cell it leads to, or -1 when
    that cell is blocked, off the map or outside ``mask``.
    """
    ids = np.flatnonzero(mask)
    index = np.full(grid.n_cells, -1, dtype=np.int32)
    index[ids] = np.arange(ids.size, dtype=np.int32)
    table = grid.neighbour_table()[ids]
    nbr = np.where(table >= 0, index[np.maximum(table, 0)], -1).astype(np.int32)
    return ids, np.ascontiguousarray(nbr)


def eccentricities(grid: GridMap, mask: Optional[np.ndarray] = None) -> np.ndarray:
    """Return int32 ``(n_cells,)``: each cell's largest BFS distance (steps) within ``mask``.

    ``mask`` (bool ``(height, width)``) must be one connected free component (default: the
    largest); cells outside it get ``UNREACHABLE`` (-1). Exact: compiled BFS from the cells
    whose bounds do not meet yet (:func:`_all_eccentricities`), at worst one per cell.
    """
    if mask is None:
        mask = largest_component(grid)
    ids, nbr = compact_graph(grid, np.asarray(mask, dtype=bool))
    out = np.full(grid.n_cells, UNREACHABLE, dtype=np.int32)
    if ids.size == 0:
        return out
    ecc = _all_eccentricities(nbr)
    out[ids] = ecc
    return out


def diameter(grid: GridMap, mask: Optional[np.ndarray] = None) -> int:
    """Return the exact diameter in steps: the largest BFS distance between two cells of ``mask``.

    ``mask`` defaults to the largest free component; a map without free cells has diameter 0.
    See :func:`eccentricities` for the cost.
    """
    return max(0, int(eccentricities(grid, mask).max()))
