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
"""Figures of multi-map and sequence benches (matplotlib, Agg backend).

- ``family_summary.png``: per family (x) and agent (marker), completion, late path / BFS
  (censored: filled; successful episodes only: hollow), first-episode steps / BFS and
  cumulative steps, each with its 95 % bootstrap interval over runs;
- ``family_curves.png``: per family, median censored steps / BFS per episode and agent;
- ``sequences.png``: per agent, median censored steps / BFS per episode across the legs.
"""
import os
from typing import List

import numpy as np

from snan_nav.bench.plots import _pyplot, style

PANELS = (
    ('completion_rate', 'completion_ci95', 'completion (fraction of episodes)', 'linear'),
    ('late_path_over_bfs_censored_median', 'late_path_over_bfs_censored_ci95',
     'late path / BFS (filled: failures at budget;\nhollow: successful episodes only)', 'log'),
    ('first_episode_over_bfs_median', 'first_episode_over_bfs_ci95',
     'first-episode steps / BFS', 'log'),
    ('cumulative_steps_median', 'cumulative_steps_ci95', 'cumulative steps per run', 'log'),
)


def _errorbar(ax, x, value, ci, colour, marker, filled=True):
    if value is None:
        return
    lo, hi = (ci if ci else (value, value))
    ax.errorbar([x], [value], yerr=[[max(value - lo, 0.0)], [max(hi - value, 0.0)]],
                fmt=marker, color=colour, markerfacecolor=colour if filled else 'none',
                markersize=6, capsize=2, linewidth=1)


def plot_family_summary(report: dict, path: str) -> str:
    """Draw :data:`PANELS` per family and agent with 95 % intervals over runs."""
    plt = _pyplot()
    families = list(report['families'])
    agents = report['agents']
    colours = plt.rcParams['axes.prop_cycle'].by_key()['color']
    fig, axes = plt.subplots(len(PANELS), 1, figsize=(max(7.0, 1.3 * len(families) + 3), 11),
                             sharex=True)
    width = 0.8 / max(1, len(agents))
    for ax, (key, ci_key, label, scale) in zip(axes, PANELS):
        for k, name in enumerate(agents):
            colour, marker = colours[k % len(colours)], style(k)['marker']
            for f, family in enumerate(families):
                res = report['families'][family]['results'][name]
                x = f - 0.4 + width * (k + 0.5)
                _errorbar(ax, x, res.get(key), res.get(ci_key) if ci_key else None, colour,
                          marker)
                if key == 'late_path_over_bfs_censored_median':
                    _errorbar(ax, x + width * 0.3, res.get('late_path_over_bfs_median'),
                              res.get('late_path_over_bfs_ci95'), colour, marker, False)
            ax.plot([], [], marker, color=colour, label=name)
        ax.set_yscale(scale)
        ax.set_ylabel(label, fontsize=8)
        ax.grid(True, axis='y', alpha=0.3)
    axes[-1].set_xticks(range(len(families)))
    axes[-1].set_xticklabels(families, rotation=30, ha='right')
    axes[0].legend(fontsize=8, loc='upper left', bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    where = f"suite {report['suite']}" if report.get('suite') else 'maps'
    axes[0].set_title(f"{where}: {len(report['maps'])} maps x {report['pairs_per_map']} pairs x "
                      f"{report['seeds']} seeds x {report['episodes']} episodes "
                      '(95 % CI over runs)', fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches='tight')
    plt.close(fig)
    return path


def plot_family_curves(report: dict, path: str) -> str:
    """Draw, per family, every agent's median censored steps / BFS per episode."""
    plt = _pyplot()
    families = list(report['families'])
    cols = min(4, len(families))
    rows = (len(families) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols + 1.5, 3.0 * rows),
                             squeeze=False, sharey=True)
    for ax in axes.ravel()[len(families):]:
        ax.axis('off')
    for ax, family in zip(axes.ravel(), families):
        for k, (name, res) in enumerate(report['families'][family]['results'].items()):
            ys = res['curve_over_bfs']
            ax.plot(np.arange(1, len(ys) + 1), ys, markersize=3, linewidth=1.1, label=name,
                    **style(k))
        ax.axhline(1.0, color='k', linestyle=':', linewidth=0.8)
        ax.set_yscale('log')
        ax.set_title(family, fontsize=9)
        ax.set_xlabel('episode', fontsize=8)
    for row in axes:
        row[0].set_ylabel('median steps / BFS\n(censored at budget)', fontsize=8)
    axes[0][-1].legend(fontsize=7, loc='upper left', bbox_to_anchor=(1.02, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches='tight')
    plt.close(fig)
    return path


def plot_sequence_curves(report: dict, path: str) -> str:
    """Draw per agent the median censored steps / BFS per episode across all legs.

    Legs follow each other on the x axis (dotted lines at leg starts); the hollow marker at
    a leg's start is a fresh agent's first episode on that leg's pair (same seeds).
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for k, (name, res) in enumerate(report['results'].items()):
        x0, xs, ys, fresh = 1, [], [], []
        for leg in res['legs']:
            bfs = float(np.median(leg['bfs']))
            ys.extend(v / bfs for v in leg['curve'])
            xs.extend(range(x0, x0 + len(leg['curve'])))
            if leg['fresh_first_episode_over_bfs_median'] is not None:
                fresh.append((x0, leg['fresh_first_episode_over_bfs_median']))
            x0 += len(leg['curve'])
        line = ax.plot(xs, ys, markersize=3, linewidth=1.1, label=name, **style(k))[0]
        if fresh:
            ax.plot(*zip(*fresh), style(k)['marker'], markersize=8, markerfacecolor='none',
                    color=line.get_color(), linestyle='none')
    starts = np.cumsum([0] + [leg['episodes'] for leg in report['sequences'][0]])[:-1] + 1
    for x in starts[1:]:
        ax.axvline(x - 0.5, color='grey', linestyle=':', linewidth=0.8)
    ax.axhline(1.0, color='k', linestyle=':', linewidth=0.8)
    ax.set_yscale('log')
    ax.set_xlabel('episode (legs in order; hollow: fresh agent, first episode)')
    ax.set_ylabel('median steps / BFS (censored)')
    ax.set_title(f"{report['map']}: {len(report['sequences'])} sequence(s) x "
                 f"{report['seeds']} seeds, goal cue {'on' if report['goal_cue'] else 'off'}",
                 fontsize=9)
    ax.legend(fontsize=8, loc='upper left', bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches='tight')
    plt.close(fig)
    return path


def write_suite_plots(report: dict, directory: str) -> List[str]:
    """Write the multi-map figures into ``directory`` (created if needed); return paths."""
    os.makedirs(directory, exist_ok=True)
    return [plot_family_summary(report, os.path.join(directory, 'family_summary.png')),
            plot_family_curves(report, os.path.join(directory, 'family_curves.png'))]
