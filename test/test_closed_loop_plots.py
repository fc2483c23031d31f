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
"""Closed-loop report and figures from a synthetic run (no nodes started)."""
import os

import numpy as np

from snan_nav.ros.closed_loop_plots import map_image, plot_all, to_grid_frame
from snan_nav.ros.launcher import SimResult
from snan_nav.ros.sim_report import format_curve, summarise
from snan_nav.ros.trace import Trace
from snan_nav.world.builtin import resolve_map
from snan_nav.world.grid import GridMap


def _result(tmp_path):
    grid = resolve_map('builtin:paper10')
    trace = Trace()
    for episode in (1, 2):
        for i in range(50):
            trace.add(episode * 100.0 + i * 0.05, 0.5 + 0.01 * i, 0.5, 0.0, 0.2, 0.0, episode)
    episodes = [{'episode': 1, 'steps': 40, 'success': True, 'sim_time_s': 20.0},
                {'episode': 2, 'steps': 30, 'success': False, 'sim_time_s': 15.0}]
    report = summarise(episodes, [0.2, 0.3, 5.0], [0.01], 1.0, 35.0)
    report.update(map='builtin:paper10', agent='snan', seed=0, control_frequency_hz=20.0,
                  clock='lockstep', bfs_shortest_steps=32,
                  sim_episodes=[{'episode': 1, 'start': [0, 0], 'goal': [9, 9]},
                                {'episode': 2, 'start': [0, 0], 'goal': [9, 9]}])
    return SimResult(report, True, episodes, trace.arrays(), [0.2, 0.3, 5.0], grid, grid)


def test_every_figure_is_written(tmp_path):
    result = _result(tmp_path)
    paths = plot_all(result, str(tmp_path / 'plots'))
    names = sorted(os.path.basename(p) for p in paths)
    assert names == ['closed_loop_cmd_vel.png', 'closed_loop_latency.png',
                     'closed_loop_learning_curve.png', 'closed_loop_paths.png']
    assert all(os.path.getsize(p) > 10_000 for p in paths)
    assert 'no' in format_curve(result.report)


def test_trace_keeps_columns_and_caps_its_length():
    trace = Trace(max_rows=3)
    for i in range(5):
        trace.add(float(i), 1.0, 2.0, 0.5, 0.1, -0.1, 2)
    arrays = trace.arrays()
    assert trace.truncated and arrays['t'].tolist() == [0.0, 1.0, 2.0]
    assert arrays['episode'].dtype == np.int64 and arrays['w_cmd'][0] == -0.1


def test_grid_frame_and_map_image_follow_the_origin_and_the_planner():
    x, y = to_grid_frame(np.array([1.0]), np.array([2.0]), (1.0, 1.0, np.pi / 2))
    assert np.allclose([x[0], y[0]], [1.0, 0.0])
    fine = np.zeros((4, 4), dtype=bool)
    fine[0, 0] = True
    grid = GridMap(fine, 0.5)
    plan = GridMap(np.array([[True, False], [False, False]]), 1.0)
    img = map_image(grid, plan)
    assert img[0, 0].tolist() != img[0, 1].tolist() != img[3, 3].tolist()
    assert img[3, 3].tolist() == [1.0, 1.0, 1.0]         # free for the planner too
