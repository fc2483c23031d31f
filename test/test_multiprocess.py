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
"""The two console scripts as separate processes: they talk, finish an episode, exit cleanly.

Run as ``python -m snan_nav.ros.<node>`` (what the ``snan_navigator`` and ``grid_sim`` console
scripts call) with a parameter file built from ``config/snan_nav.yaml``.
"""
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

from ros_testing import CONFIG, HISTORY, next_domain, PACKAGE_ROOT, RosFixture, ros_env

from std_msgs.msg import String  # noqa: E402

from snan_nav.world.builtin import grid_from_rows  # noqa: E402
from snan_nav.world.map_io import save_map  # noqa: E402


pytestmark = pytest.mark.ros


def start(module, params_file, env, log_path):
    log = open(log_path, 'w')
    proc = subprocess.Popen(
        [sys.executable, '-m', module, '--ros-args', '--params-file', params_file],
        env=env, cwd=PACKAGE_ROOT, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    proc.log_file = log
    return proc


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def params_file(tmp_path):
    grid = grid_from_rows(('.....', '.##..', '.....'), 'mp', (0, 0), (4, 2))
    map_yaml = str(tmp_path / 'mp.yaml')
    save_map(grid, map_yaml)
    with open(CONFIG, encoding='utf-8') as handle:
        doc = yaml.safe_load(handle)
    doc['/**'] = {'ros__parameters': {'use_sim_time': True}}
    doc['snan_navigator']['ros__parameters'].update(
        enable_stamped_cmd_vel=True, max_linear_vel=1.0, max_angular_vel=4.0, seed=2)
    doc['grid_sim']['ros__parameters'].update(
        map=map_yaml, publish_clock=True, lockstep=True, enable_stamped_cmd_vel=True,
        max_episodes=1, use_sim_time=False)
    path = tmp_path / 'params.yaml'
    path.write_text(yaml.safe_dump(doc))
    return str(path)


def test_console_scripts_complete_an_episode_and_exit_on_signals(params_file, tmp_path):
    domain = next_domain()
    env = ros_env(domain)
    procs = {'grid_sim': start('snan_nav.ros.grid_sim', params_file, env,
                               tmp_path / 'sim.log'),
             'snan_navigator': start('snan_nav.ros.navigator', params_file, env,
                                     tmp_path / 'nav.log')}
    episodes = []
    try:
        listener = RosFixture(domain)          # this process joins the children's domain
        try:
            node = listener.node('episode_listener')
            node.create_subscription(String, '/snan_navigator/episode',
                                     lambda m: episodes.append(json.loads(m.data)), HISTORY)
            ok = listener.spin_until(
                lambda: episodes or any(p.poll() is not None for p in procs.values()),
                timeout=180.0)
        finally:
            listener.close()
        logs = {k: open(tmp_path / f, encoding='utf-8').read()
                for k, f in (('sim', 'sim.log'), ('nav', 'nav.log'))}
        assert ok and episodes, f'no episode finished; logs: {logs}'
        assert episodes[0]['success'], episodes[0]
        assert all(p.poll() is None for p in procs.values()), logs
    finally:
        procs['snan_navigator'].send_signal(signal.SIGINT)
        procs['grid_sim'].send_signal(signal.SIGTERM)
        codes = {}
        for name, proc in procs.items():
            try:
                codes[name] = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGUSR1)    # node_runner: print every thread's stack
                time.sleep(2.0)
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                codes[name] = 'hung'
            proc.log_file.close()
    logs = {k: open(tmp_path / f, encoding='utf-8').read()
            for k, f in (('sim', 'sim.log'), ('nav', 'nav.log'))}
    assert codes == {'grid_sim': 0, 'snan_navigator': 0}, (codes, logs)
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline and any(group_alive(p.pid) for p in procs.values()):
        time.sleep(0.1)
    assert not any(group_alive(p.pid) for p in procs.values()), 'orphaned processes left'
