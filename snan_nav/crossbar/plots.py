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
"""Figures of a crossbar run: the map on the devices, and energy per episode by component.

Built on matplotlib's Agg canvas directly (no pyplot, no global backend change), so they work
headless and inside other programs.
"""
from typing import Optional, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
import numpy as np

from snan_nav.crossbar.ledger import COMPONENTS


def _finish(fig: Figure, path: Optional[str]) -> Figure:
    FigureCanvasAgg(fig)
    if path is not None:
        fig.savefig(path, dpi=120, bbox_inches='tight')
    return fig


def plot_map_devices(snapshots: Sequence[np.ndarray], path: Optional[str] = None, *,
                     threshold: float = 1.0, w_scale: float = 1.5,
                     g_on: float = 1e-3) -> Figure:
    """Plot the map on the array: devices ON per episode, and their weights at the end.

    ``snapshots[k]`` are the device conductances (S) after episode ``k`` (index 0: before the
    first). A device's weight is ``w_scale G / g_on`` (read noise left out); those below
    ``threshold`` (the network's firing threshold) do not carry the wave.
    """
    if len(snapshots) == 0:
        raise ValueError('snapshots is empty: nothing to plot')
    weights = [w_scale * np.asarray(s, dtype=np.float64) / g_on for s in snapshots]
    # ON devices conduct about g_on, OFF ones g_off (g_on / 300 by default): 10 % separates them
    on = [w > 0.1 * w_scale for w in weights]
    n_on = [int(np.count_nonzero(m)) for m in on]
    n_failed = [int(np.count_nonzero(m & (w < threshold))) for m, w in zip(on, weights)]
    fig = Figure(figsize=(9, 4))
    ax1, ax2 = fig.subplots(1, 2)
    ep = np.arange(len(snapshots))
    ax1.plot(ep, n_on, 'o-', label='devices ON (map synapses)')
    ax1.plot(ep, n_failed, 's--', label='ON but below threshold')
    ax1.set_xlabel('episode')
    ax1.set_ylabel('devices')
    ax1.legend(fontsize=8)
    final = weights[-1][on[-1]]
    ax2.hist(final if final.size else np.zeros(1), bins=30, color='C0')
    ax2.axvline(threshold, color='C3', label='v_threshold')
    ax2.set_xlabel('realised weight of ON devices (threshold units)')
    ax2.set_ylabel('devices')
    ax2.legend(fontsize=8)
    fig.suptitle('Map synapses on the memristor array')
    return _finish(fig, path)


def plot_episode_energy(episodes: Sequence[dict], path: Optional[str] = None,
                        title: str = 'Energy per episode (style analog)') -> Figure:
    """Stacked ledger per episode: total energy (top) and energy per decision (bottom).

    ``episodes[k]`` is ``{'ledger_j': {component: J}, 'decisions', 'digital_j'}`` (see
    :func:`snan_nav.crossbar.summary.episode_ledgers`). Exploring episodes take more decisions
    and pay for searches and map writes; learned ones mostly for the race.
    """
    if len(episodes) == 0:
        raise ValueError('episodes is empty: nothing to plot')
    ep = np.arange(1, len(episodes) + 1)
    decisions = np.array([max(e['decisions'], 1) for e in episodes], dtype=np.float64)
    fig = Figure(figsize=(9, 6))
    top, bottom = fig.subplots(2, 1, sharex=True)
    base_t = np.zeros(len(episodes))
    base_b = np.zeros(len(episodes))
    for i, comp in enumerate(COMPONENTS):
        vals = np.array([e['ledger_j'][comp] for e in episodes], dtype=np.float64)
        top.bar(ep, vals * 1e9, bottom=base_t, color=f'C{i}', label=comp)
        bottom.bar(ep, vals / decisions * 1e12, bottom=base_b, color=f'C{i}')
        base_t += vals * 1e9
        base_b += vals / decisions * 1e12
    for x, y, d in zip(ep, base_t, decisions):
        top.annotate(f'{int(d)}', (x, y), ha='center', va='bottom', fontsize=6)
    top.set_ylabel('energy per episode [nJ]\n(numbers: decisions)')
    bottom.set_ylabel('energy per decision [pJ]')
    digital = np.array([e['digital_j'] for e in episodes], dtype=np.float64) / decisions
    bottom.set_title(f'digital baseline: {np.median(digital) * 1e12:.0f} pJ per decision '
                     '(median over episodes)', fontsize=8)
    bottom.set_xlabel('episode')
    top.legend(fontsize=7, ncol=3)
    top.set_title(title)
    return _finish(fig, path)
