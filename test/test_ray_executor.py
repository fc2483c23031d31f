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
"""``--executor ray`` on a local Ray: the same results as a serial run (deselect: -m 'not ray').

Runs in the default suite when Ray is installed (it is pinned in requirements.txt).
"""
import json

import numpy as np
import pytest

from snan_nav.bench.executors import open_executor
from snan_nav.bench.runner import plan_jobs
from snan_nav.bench.sequences import plan_sequence_jobs
from snan_nav.cli import main
from snan_nav.world.builtin import builtin_map
from snan_nav.world.episode import Leg

ray = pytest.importorskip('ray')
pytestmark = pytest.mark.ray


@pytest.fixture(autouse=True)
def local_ray_only(monkeypatch):
    monkeypatch.delenv('RAY_ADDRESS', raising=False)  # never a cluster from the environment
    yield
    assert not ray.is_initialized()  # the executor shut down the Ray it started


def test_ray_results_identical_to_serial():
    grid = builtin_map('open16')
    jobs = plan_jobs(grid, [(grid.start, grid.goal), ((0, 15), (15, 0))],
                     ('snan', 'qlearning', 'tremaux', 'random'), episodes=3, seeds=2,
                     budget=200)
    seq_jobs, fresh = plan_sequence_jobs(grid, [[Leg((0, 0), (15, 15), 2),
                                                 Leg((15, 15), (0, 15), 2)]],
                                         ('qlearning', 'tremaux'), 2, 200)
    jobs = list(jobs) + list(seq_jobs) + list(fresh)
    with open_executor('process', 1) as run:
        serial = run(jobs, False)
    with open_executor('ray', 2) as run:
        assert ray.is_initialized()
        remote = run(jobs, False)
    assert len(remote) == len(serial)
    for a, b in zip(serial, remote):
        assert a.agent == b.agent
        for x, y in zip(np.atleast_2d(a.steps), np.atleast_2d(b.steps)):
            assert np.array_equal(x, y)
        for x, y in zip(np.atleast_2d(a.success), np.atleast_2d(b.success)):
            assert np.array_equal(x, y)


def _drop_times(report):
    for res in report['results'].values():
        res.pop('decisions_per_s')
    return report


def test_cli_ray_equals_process_pool(tmp_path):
    common = ['bench', '--map', 'builtin:fourrooms', '--agents', 'snan,qlearning,tremaux',
              '--episodes', '3', '--seeds', '2', '--jobs', '2']
    assert main(common + ['--json', str(tmp_path / 'p.json')]) == 0
    assert main(common + ['--executor', 'ray', '--json', str(tmp_path / 'r.json')]) == 0
    pool = _drop_times(json.loads((tmp_path / 'p.json').read_text()))
    remote = _drop_times(json.loads((tmp_path / 'r.json').read_text()))
    assert pool == remote
