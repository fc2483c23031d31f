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
"""Bench figures (matplotlib, Agg backend): learning curves, trajectories, calcium maps.

Axes are in cell indices ``(mx, my)`` with row 0 at the bottom, as in the OccupancyGrid.
"""
import os
from typing import Dict, List, Optional

import numpy as np

from snan_nav.world.grid import GridMap


#: Distinct marker / line style per agent so overlapping curves stay visible.
MARKERS = ('o', 's', '^', 'D', 'v', 'P', 'X', '*', '<', '>')
LINESTYLES = ('-', '--', '-.', ':')


def _pyplot():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def style(index: int) -> dict:
    """Return the marker and line style of the ``index``-th agent of a figure."""
    return {'marker': MARKERS[index % len(MARKERS)],
            'linestyle': LINESTYLES[index % len(LINESTYLES)]}


def _extent(grid: GridMap):
    return (-0.5, grid.width - 0.5, -0.5, grid.height - 0.5)


def _draw_map(ax, grid: GridMap) -> None:
    """Draw the walls and label the axes in cell indices (mx, my)."""
    ax.imshow(grid.blocked, origin='lower', cmap='Greys', vmin=0, vmax=1.4,
              extent=_extent(grid), interpolation='nearest')
    ax.set_xlabel('mx (cell)', fontsize=8)
    ax.set_ylabel('my (cell)', fontsize=8)
    ax.tick_params(labelsize=7)


def _mark_start_goal(ax, start, goal) -> None:
    if start is not None:
        ax.plot(start[0], start[1], 'o', color='tab:green', markersize=8,
                markeredgecolor='k', label='start', zorder=5)
    if goal is not None:
        ax.plot(goal[0], goal[1], '*', color='gold', markersize=14, markeredgecolor='k',
                label='goal', zorder=5)


def plot_learning_curves(report: dict, path: str) -> str:
    """Plot the median steps per episode of every agent (censored at the budget).

    Linear scale, one marker and line style per agent, the legend outside the data.
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8.5, 4.5))
    for k, (name, res) in enumerate(report['results'].items()):
        ys = res['curve']
        ax.plot(np.arange(1, len(ys) + 1), ys, markersize=4, linewidth=1.3, alpha=0.9,
                label=name, **style(k))
    bfs = [p['bfs'] for p in report['pairs'] if p['bfs'] is not None]
    if bfs:
        ax.axhline(float(np.median(bfs)), color='k', linestyle=':', label='BFS (median)')
    ax.axhline(report['budget'], color='grey', linestyle='--', label='budget')
    ax.set_ylim(0, report['budget'] * 1.05)
    ax.set_xlabel('episode')
    ax.set_ylabel('median steps to goal (censored at budget)')
    ax.set_title(f"{report['map']}: {report['seeds']} seeds x {len(report['pairs'])} pairs")
    ax.legend(fontsize=8, loc='upper left', bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_trajectories(grid: GridMap, cells: Dict[str, np.ndarray], path: str,
                      meta: Optional[Dict[str, dict]] = None) -> str:
    """Overlay each agent's visited cells (one panel per agent) on the map.

    ``meta[name]`` (``start``, ``goal``, ``seed``, ``episode``) adds the start and goal marks
    and puts the seed and episode in the panel title.
    """
    plt = _pyplot()
    names = list(cells)
    cols = min(4, max(1, len(names)))
    rows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 3.5 * rows), squeeze=False)
    for ax in axes.ravel()[len(names):]:
        ax.axis('off')
    for ax, name in zip(axes.ravel(), names):
        ids = np.asarray(cells[name])
        info = (meta or {}).get(name) or {}
        xs, ys = ids % grid.width, ids // grid.width
        _draw_map(ax, grid)
        ax.plot(xs, ys, '-', color='tab:blue', alpha=0.6, linewidth=1.2)
        _mark_start_goal(ax, info.get('start', (xs[0], ys[0])), info.get('goal'))
        ax.plot(xs[-1], ys[-1], 'x', color='tab:red', markersize=8, label='end', zorder=6)
        where = (f"seed {info['seed']}, episode {info['episode']}, " if info else '')
        ax.set_title(f'{name}: {where}{ids.size - 1} steps', fontsize=8)
    axes.ravel()[0].legend(fontsize=7, loc='upper left')
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_calcium(grid: GridMap, calcium: Dict[str, np.ndarray], path: str,
                 meta: Optional[Dict[str, dict]] = None) -> str:
    """Show the astrocytic calcium per cell (a.u.) of every agent that has one.

    One panel per agent, ONE colour scale shared by all panels with one colour bar; blocked
    cells masked; axes in cells; start and goal of the traced run marked.
    """
    plt = _pyplot()
    names = list(calcium)
    maps = {n: np.ma.masked_array(np.asarray(calcium[n], dtype=float).reshape(
        grid.blocked.shape), mask=grid.blocked) for n in names}
    vmax = max([float(m.max()) for m in maps.values() if m.count()] + [1e-12])
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names) + 0.8, 4.2),
                             squeeze=False)
    image = None
    for ax, name in zip(axes[0], names):
        info = (meta or {}).get(name) or {}
        _draw_map(ax, grid)
        image = ax.imshow(maps[name], origin='lower', cmap='magma', vmin=0.0, vmax=vmax,
                          extent=_extent(grid), interpolation='nearest')
        _mark_start_goal(ax, info.get('start'), info.get('goal'))
        ax.set_title(f'{name}: after episode {info.get("episode", "?")}', fontsize=9)
    axes[0][0].legend(fontsize=7, loc='upper left')
    fig.colorbar(image, ax=list(axes[0]), label='astrocytic calcium (a.u.)', shrink=0.9)
    fig.savefig(path, dpi=120, bbox_inches='tight')
    plt.close(fig)
    return path


def write_plots(grid: GridMap, report: dict, traces: dict, directory: str) -> List[str]:
    """Write all bench figures into ``directory`` (created if needed); return their paths.

    ``traces`` maps agent names to the traced job results (seed 0, pair 0): the trajectory is
    its last episode; one calcium figure shows every agent that provides a calcium map.
    """
    os.makedirs(directory, exist_ok=True)
    out = [plot_learning_curves(report, os.path.join(directory, 'learning_curves.png'))]
    meta = {name: t.trace_meta for name, t in traces.items()}
    cells = {name: t.last_cells for name, t in traces.items() if t.last_cells is not None}
    if cells:
        out.append(plot_trajectories(grid, cells, os.path.join(directory, 'trajectories.png'),
                                     meta))
    calcium = {name: t.calcium for name, t in traces.items() if t.calcium is not None}
    if calcium:
        out.append(plot_calcium(grid, calcium, os.path.join(directory, 'calcium.png'), meta))
    for name, t in traces.items():
        xtrace = getattr(t, 'crossbar_trace', None)
        if xtrace:
            from snan_nav.crossbar.plots import plot_episode_energy, plot_map_devices
            path = os.path.join(directory, f'conductance_{name}.png')
            plot_map_devices(xtrace['snapshots'], path, threshold=xtrace['threshold'],
                             w_scale=xtrace['w_scale'], g_on=xtrace['g_on'])
            out.append(path)
            path = os.path.join(directory, f'energy_{name}.png')
            plot_episode_energy(xtrace['episodes'], path,
                                title=f'{name}: energy per episode (style analog)')
            out.append(path)
    return out
