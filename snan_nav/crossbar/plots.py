"""Plots of the crossbar emulation: conductance evolution and energy per episode.

Figures are built on matplotlib's Agg canvas directly (no pyplot, no global backend change),
so the helpers work headless and inside other programs.
"""
from typing import Optional, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
import numpy as np


def _finish(fig: Figure, path: Optional[str]) -> Figure:
    FigureCanvasAgg(fig)
    if path is not None:
        fig.savefig(path, dpi=120, bbox_inches='tight')
    return fig


def plot_conductance_evolution(snapshots: Sequence[np.ndarray], path: Optional[str] = None, *,
                               cells: Optional[Sequence[tuple]] = None, max_cells: int = 8,
                               times: Optional[Sequence[float]] = None,
                               time_label: str = 'snapshot') -> Figure:
    """Plot G+ (solid) and G- (dashed) in microsiemens over a list of snapshots.

    ``snapshots`` are arrays (n_rows, n_cols, 2) in S, e.g. from
    :meth:`CrossbarSynapses.conductance_snapshot`. ``cells`` lists ``(row, col)`` pairs; by
    default the ``max_cells`` weights whose differential conductance changed most are shown.
    A second panel shows the decoded differential conductance ``G+ - G-``.
    """
    if len(snapshots) == 0:
        raise ValueError('snapshots is empty: nothing to plot')
    stack = np.stack([np.asarray(s, dtype=np.float64) for s in snapshots])
    if stack.ndim != 4 or stack.shape[-1] != 2:
        raise ValueError(f'snapshots must be arrays (n_rows, n_cols, 2); got {stack.shape[1:]}')
    x = np.arange(len(snapshots)) if times is None else np.asarray(times, dtype=np.float64)
    diff = stack[..., 0] - stack[..., 1]
    if cells is None:
        change = np.abs(diff[-1] - diff[0]).ravel()
        order = np.argsort(-change, kind='stable')[:max_cells]
        cells = [tuple(int(i) for i in np.unravel_index(k, diff.shape[1:])) for k in order]
    fig = Figure(figsize=(8, 6))
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    for i, (r, c) in enumerate(cells):
        color = f'C{i % 10}'
        ax1.plot(x, stack[:, r, c, 0] * 1e6, '-', color=color, label=f'({r},{c})')
        ax1.plot(x, stack[:, r, c, 1] * 1e6, '--', color=color)
        ax2.plot(x, diff[:, r, c] * 1e6, '-', color=color)
    ax1.set_ylabel('G+ (solid), G- (dashed) [uS]')
    ax1.legend(fontsize=7, ncol=4, title='(row, col)', title_fontsize=7)
    ax2.set_ylabel('G+ - G- [uS]')
    ax2.set_xlabel(time_label)
    ax1.set_title('Crossbar conductance evolution')
    return _finish(fig, path)


def plot_energy_per_episode(energy_j: Sequence[float], path: Optional[str] = None, *,
                            digital_j: Optional[Sequence[float]] = None,
                            per: str = 'decision') -> Figure:
    """Plot crossbar energy (and optionally the digital baseline) per episode, log scale.

    ``energy_j[i]`` is the mean energy per ``per`` (e.g. decision) in episode ``i``, joules.
    """
    e = np.asarray(energy_j, dtype=np.float64)
    if e.size == 0:
        raise ValueError('energy_j is empty: nothing to plot')
    fig = Figure(figsize=(7, 4))
    ax = fig.subplots()
    ep = np.arange(1, e.size + 1)
    ax.plot(ep, e * 1e12, 'o-', label='memristive crossbar')
    if digital_j is not None:
        d = np.asarray(digital_j, dtype=np.float64)
        ax.plot(np.arange(1, d.size + 1), d * 1e12, 's--', label='digital baseline (45 nm)')
    ax.set_yscale('log')
    ax.set_xlabel('episode')
    ax.set_ylabel(f'energy per {per} [pJ]')
    ax.legend()
    ax.set_title(f'Energy per {per}')
    return _finish(fig, path)
