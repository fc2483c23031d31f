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
"""Figures of a closed-loop run (``snan-nav sim --plot DIR``), for a roboticist's eye.

- ``closed_loop_learning_curve.png``: decisions per episode, headless replay, BFS shortest;
- ``closed_loop_paths.png``: the driven path (the simulator's pose every tick) of the first
  and the last episode on the map, with start, goal and the planning cells the inflated
  obstacles block;
- ``closed_loop_cmd_vel.png``: commanded linear and angular velocity over sim time, first and
  last episode;
- ``closed_loop_latency.png``: histogram of the decision latency (pose in -> cmd_vel out)
  with its median and 99th percentile.

Positions are drawn in the map's grid frame (metres from the map origin, rotated by the
origin's yaw when it has one), so cells stay axis-aligned.
"""
import math
import os
from typing import List, Optional

import numpy as np

from snan_nav.ros.geometry import cell_center

FREE_RGB, WALL_RGB, INFLATED_RGB = (1.0, 1.0, 1.0), (0.15, 0.15, 0.15), (0.82, 0.86, 0.93)


def _pyplot():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def to_grid_frame(x, y, origin):
    """Return map-frame points (m) in the grid frame: relative to and rotated by ``origin``."""
    ox, oy, oyaw = origin
    c, s = math.cos(oyaw), math.sin(oyaw)
    dx, dy = np.asarray(x) - ox, np.asarray(y) - oy
    return c * dx + s * dy, -s * dx + c * dy


def map_image(grid, plan=None) -> np.ndarray:
    """Return an RGB image (height, width, 3), row 0 at the bottom: walls, inflation, free.

    Free map cells inside planning cells that are blocked (inflation, partial walls) are
    tinted, so the planner's view shows on the map.
    """
    img = np.empty(grid.blocked.shape + (3,))
    img[:] = FREE_RGB
    if plan is not None and plan is not grid:
        rows, cols = np.indices(grid.blocked.shape)
        x, y = (cols + 0.5) * grid.resolution, (rows + 0.5) * grid.resolution
        px = np.floor(x / plan.resolution).astype(int).clip(0, plan.width - 1)
        py = np.floor(y / plan.resolution).astype(int).clip(0, plan.height - 1)
        img[plan.blocked[py, px]] = INFLATED_RGB
    img[grid.blocked] = WALL_RGB
    return img


def _episode_rows(trace: dict, index: int) -> np.ndarray:
    return np.flatnonzero(trace['episode'] == index)


def _chosen_episodes(report: dict) -> List[int]:
    n = len(report.get('sim_episodes') or report['episodes'])
    return [1] if n <= 1 else [1, n]


def plot_paths(report: dict, trace: dict, grid, plan, path: str) -> Optional[str]:
    """Draw the driven path of the first and last episode on the map; return the file."""
    episodes = _chosen_episodes(report)
    sim_eps = {e['episode']: e for e in report.get('sim_episodes', [])}
    nav_eps = report['episodes']
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(episodes), figsize=(5.2 * len(episodes), 5.0),
                             squeeze=False)
    extent = (0.0, grid.width * grid.resolution, 0.0, grid.height * grid.resolution)
    for ax, index in zip(axes[0], episodes):
        ax.imshow(map_image(grid, plan), origin='lower', extent=extent, interpolation='nearest')
        rows = _episode_rows(trace, index)
        if rows.size:
            gx, gy = to_grid_frame(trace['x'][rows], trace['y'][rows], grid.origin)
            ax.plot(gx, gy, '-', color='tab:blue', lw=1.5, label='driven path (odometry)')
        ep = sim_eps.get(index)
        if ep is not None:
            for key, style, label in (('start', 'o', 'start'), ('goal', '*', 'goal')):
                cx, cy = cell_center(tuple(ep[key]), plan.resolution, plan.origin)
                px, py = to_grid_frame(cx, cy, grid.origin)
                ax.plot(px, py, style, ms=14 if key == 'goal' else 10, mec='black',
                        color='tab:green' if key == 'start' else 'tab:red', label=label)
        nav = nav_eps[index - 1] if index - 1 < len(nav_eps) else None
        what = (f"{nav['steps']} decisions, {'reached' if nav['success'] else 'not reached'}, "
                f"{nav['sim_time_s']:.1f} s" if nav else 'not finished')
        ax.set_title(f'episode {index}: {what}', fontsize=10)
        ax.set_xlabel('x from map origin [m]')
        ax.set_ylabel('y from map origin [m]')
        ax.set_aspect('equal')
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc='lower center', ncol=3, frameon=False)
    fig.suptitle(f"{report['map']}: {report['agent']}, seed {report['seed']}; planning cells "
                 f"{plan.resolution:g} m (tinted: blocked for the planner)", fontsize=11)
    fig.tight_layout(rect=(0, 0.06, 1, 0.95))
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_commands(report: dict, trace: dict, path: str) -> str:
    """Draw commanded v (m/s) and w (rad/s) over sim time for the first and last episode."""
    episodes = _chosen_episodes(report)
    plt = _pyplot()
    fig, axes = plt.subplots(2, len(episodes), figsize=(5.5 * len(episodes), 4.8),
                             squeeze=False, sharey='row')
    for col, index in enumerate(episodes):
        rows = _episode_rows(trace, index)
        t = trace['t'][rows] - (trace['t'][rows[0]] if rows.size else 0.0)
        axes[0][col].step(t, trace['v_cmd'][rows], where='post', color='tab:blue')
        axes[1][col].step(t, trace['w_cmd'][rows], where='post', color='tab:orange')
        axes[0][col].set_title(f'episode {index}', fontsize=10)
        axes[1][col].set_xlabel('time since episode start [s] (sim time)')
        for ax in axes[:, col]:
            ax.axhline(0.0, color='grey', lw=0.5)
            ax.grid(alpha=0.3)
    axes[0][0].set_ylabel('linear v [m/s]')
    axes[1][0].set_ylabel('angular w [rad/s]')
    fig.suptitle(f"cmd_vel applied by the simulator: {report['map']}, {report['agent']}, "
                 f"seed {report['seed']}", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_latency(report: dict, latency_ms, path: str) -> Optional[str]:
    """Draw the histogram of decision latencies (ms) with median and p99 lines."""
    lat = np.asarray(latency_ms, dtype=float)
    if not lat.size:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    hi = max(float(np.percentile(lat, 99.9)), 1e-3)
    bins = np.linspace(0.0, hi * 1.05, 60)
    ax.hist(np.clip(lat, 0.0, bins[-1]), bins=bins, color='tab:blue', alpha=0.8)
    for q, style in ((50, '--'), (99, ':')):
        v = float(np.percentile(lat, q))
        ax.axvline(v, color='black', ls=style, label=f'p{q} {v:.3f} ms')
    ax.set_yscale('log')
    ax.set_xlabel('decision latency: pose received -> cmd_vel sent [ms] (wall clock)')
    ax.set_ylabel('decisions')
    ax.set_title(f"{lat.size} decisions at {report['control_frequency_hz']} Hz "
                 f"({report['clock']}); last bin holds the tail", fontsize=10)
    ax.legend(loc='upper right')
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_learning_curve(report: dict, path: str) -> str:
    """Draw decisions per episode (closed loop, headless replay, BFS shortest)."""
    plt = _pyplot()
    eps = report['episodes']
    x = np.arange(1, len(eps) + 1)
    steps = [e['steps'] for e in eps]
    fig, ax = plt.subplots(figsize=(7.2, 4.0))
    ax.plot(x, steps, 'o-', label='closed loop (ROS 2 sim + navigator)')
    fail_x = [i + 1 for i, e in enumerate(eps) if not e['success']]
    if fail_x:
        ax.plot(fail_x, [steps[i - 1] for i in fail_x], 'rx', ms=10, label='not reached')
    head = report.get('headless')
    if head and head['steps']:
        ax.plot(np.arange(1, len(head['steps']) + 1), head['steps'], '--', color='grey',
                label='headless, same seed')
    if report.get('bfs_shortest_steps'):
        ax.axhline(report['bfs_shortest_steps'], color='green', linestyle=':',
                   label='BFS shortest path')
    ax.set_xlabel('episode')
    ax.set_ylabel('decisions to goal')
    ax.set_title(f"{report['map']}: {report['agent']}, seed {report['seed']}")
    ax.legend(loc='upper left', bbox_to_anchor=(1.01, 1.0), fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_all(result, directory: str) -> List[str]:
    """Write every figure of a :class:`~snan_nav.ros.launcher.SimResult`; return the files."""
    os.makedirs(directory, exist_ok=True)
    report = result.report
    paths = [plot_learning_curve(report, os.path.join(directory,
                                                      'closed_loop_learning_curve.png'))]
    if result.trace is not None and result.trace['t'].size:
        paths.append(plot_paths(report, result.trace, result.grid, result.plan_grid,
                                os.path.join(directory, 'closed_loop_paths.png')))
        paths.append(plot_commands(report, result.trace,
                                   os.path.join(directory, 'closed_loop_cmd_vel.png')))
    paths.append(plot_latency(report, result.latency_ms,
                              os.path.join(directory, 'closed_loop_latency.png')))
    return [p for p in paths if p]
