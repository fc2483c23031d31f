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
"""The console scripts' stop diagnostics: a stack dump on SIGUSR1, a deadline on shutdown.

Each case runs in a child interpreter, since both act on the whole process.
"""
import signal
import subprocess
import sys
import time

import pytest

from ros_testing import PACKAGE_ROOT

pytest.importorskip('rclpy')

PRELUDE = 'import time\nfrom snan_nav.ros import node_runner as r\n'


def child(body: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, '-c', PRELUDE + body], cwd=PACKAGE_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_stalled_shutdown_prints_where_it_stalled_and_exits_1():
    proc = child('r.arm_shutdown_deadline(0.5)\n'
                 'def stalled_in_shutdown():\n    time.sleep(60)\n'
                 'stalled_in_shutdown()\n')
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert 'stalled_in_shutdown' in err, err


def test_a_shutdown_in_time_is_not_cut_short():
    # As in run_node: the deadline stays armed through the interpreter's exit.
    proc = child('r.arm_shutdown_deadline(5.0)\ntime.sleep(0.2)\nprint("finished")\n')
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert out.strip() == 'finished'


def test_sigusr1_prints_every_thread_stack_and_the_process_goes_on():
    proc = child('import threading\n'
                 'assert r.install_stack_dump()\n'
                 'def busy_worker():\n    time.sleep(30)\n'
                 'threading.Thread(target=busy_worker, daemon=True).start()\n'
                 'print("ready", flush=True)\n'
                 'def waiting_main():\n    time.sleep(3)\n'
                 'waiting_main()\nprint("still alive")\n')
    assert proc.stdout.readline().strip() == 'ready'
    time.sleep(0.3)
    proc.send_signal(signal.SIGUSR1)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert 'still alive' in out
    assert 'busy_worker' in err and 'waiting_main' in err, err


def test_help_prints_usage_and_starts_no_node(capsys):
    from snan_nav.ros.node_runner import run_node, wants_help

    def factory():
        raise AssertionError('--help must not build the node')

    assert run_node(factory, 'snan_navigator', ['snan_navigator', '--help'], 'Navigates.') == 0
    out = capsys.readouterr().out
    assert out.startswith('usage: snan_navigator [--ros-args') and 'Navigates.' in out
    assert 'docs/ros.md' in out
    assert wants_help(['x', '-h']) and not wants_help(['x', '--ros-args', '-p', 'a:=1'])
    assert not wants_help(['x', '--ros-args', '--help'])   # rcl's own option, after --ros-args
