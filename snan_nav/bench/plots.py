"""Bench figures (matplotlib, Agg backend): learning curves, trajectories, calcium map.

Axes are in cell indices ``(mx, my)`` with row 0 at the bottom, as in the OccupancyGrid.
"""
import os
from typing import Dict, List, Optional

import numpy as np

from snan_nav.world.grid import GridMap


def _pyplot():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def _extent(grid: GridMap):
    return (-0.5, grid.width - 0.5, -0.5, grid.height - 0.5)


def _draw_map(ax, grid: GridMap) -> None:
    ax.imshow(grid.blocked, origin='lower', cmap='Greys', vmin=0, vmax=1.4,
              extent=_extent(grid), interpolation='nearest')
    ax.set_xticks([])
    ax.set_yticks([])


def plot_learning_curves(report: dict, path: str) -> str:
    """Plot the median steps per episode of every agent (censored at the budget)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, res in report['results'].items():
        ys = res['curve']
        ax.plot(np.arange(1, len(ys) + 1), ys, marker='o', markersize=3, label=name)
    bfs = [p['bfs'] for p in report['pairs'] if p['bfs'] is not None]
    if bfs:
        ax.axhline(float(np.median(bfs)), color='k', linestyle=':', label='BFS (median)')
    ax.axhline(report['budget'], color='grey', linestyle='--', label='budget')
    ax.set_yscale('log')
    ax.set_xlabel('episode')
    ax.set_ylabel('median steps to goal (censored at budget)')
    ax.set_title(f"{report['map']}: {report['seeds']} seeds x {len(report['pairs'])} pairs")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_trajectories(grid: GridMap, cells: Dict[str, np.ndarray], path: str) -> str:
    """Overlay each agent's visited cells (one panel per agent) on the map."""
    plt = _pyplot()
    names = list(cells)
    cols = min(4, max(1, len(names)))
    rows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 3.2 * rows), squeeze=False)
    for ax in axes.ravel()[len(names):]:
        ax.axis('off')
    for ax, name in zip(axes.ravel(), names):
        ids = np.asarray(cells[name])
        xs, ys = ids % grid.width, ids // grid.width
        _draw_map(ax, grid)
        ax.plot(xs, ys, '-', color='tab:blue', alpha=0.6, linewidth=1.2)
        ax.plot(xs[0], ys[0], 'o', color='tab:green', label='start')
        ax.plot(xs[-1], ys[-1], 's', color='tab:red', label='end')
        ax.set_title(f'{name} ({ids.size - 1} steps)', fontsize=9)
    axes.ravel()[0].legend(fontsize=7, loc='upper left')
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_calcium(grid: GridMap, calcium: np.ndarray, path: str, title: str = '') -> str:
    """Show the astrocytic calcium per cell (arbitrary units); blocked cells are masked."""
    plt = _pyplot()
    values = np.ma.masked_array(np.asarray(calcium, dtype=float).reshape(grid.blocked.shape),
                                mask=grid.blocked)
    fig, ax = plt.subplots(figsize=(5, 4.5))
    _draw_map(ax, grid)
    im = ax.imshow(values, origin='lower', cmap='magma', extent=_extent(grid),
                   interpolation='nearest')
    fig.colorbar(im, ax=ax, label='calcium (a.u.)')
    ax.set_title(title or 'astrocytic calcium at the end of the last episode', fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_plots(grid: GridMap, report: dict, traces: dict, directory: str) -> List[str]:
    """Write all bench figures into ``directory`` (created if needed); return their paths.

    ``traces`` maps agent names to the traced job results (seed 0, pair 0): the trajectory is
    its last episode; a calcium map is drawn for each agent that provides one.
    """
    os.makedirs(directory, exist_ok=True)
    out = [plot_learning_curves(report, os.path.join(directory, 'learning_curves.png'))]
    cells = {name: t.last_cells for name, t in traces.items() if t.last_cells is not None}
    if cells:
        out.append(plot_trajectories(grid, cells, os.path.join(directory, 'trajectories.png')))
    for name, t in traces.items():
        calcium: Optional[np.ndarray] = t.calcium
        if calcium is not None:
            out.append(plot_calcium(grid, calcium, os.path.join(directory, f'calcium_{name}.png'),
                                    f'{name}: astrocytic calcium after the last episode'))
        xtrace = getattr(t, 'crossbar_trace', None)
        if xtrace:
            from snan_nav.crossbar.plots import (plot_conductance_evolution,
                                                 plot_energy_per_episode)
            path = os.path.join(directory, f'conductance_{name}.png')
            plot_conductance_evolution(xtrace['snapshots'], path, time_label='episode')
            out.append(path)
            path = os.path.join(directory, f'energy_{name}.png')
            plot_energy_per_episode(xtrace['energy_j'], path, digital_j=xtrace['digital_j'])
            out.append(path)
    return out
