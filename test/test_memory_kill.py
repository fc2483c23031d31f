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
"""SIGKILL during saves: the memory file is always the previous or the new complete save.

A child process saves an 8 MiB memory in a loop, logging ``begin i`` before and ``done i``
after each save; the parent SIGKILLs it at seeded random moments. A kill that lands mid-write
leaves the child's temp file behind (it exists from creation until the atomic rename); then the
target must hold exactly the last ``done`` save. Otherwise it holds the last ``done`` save or,
when the kill came between the rename and the ``done`` line, the save in progress. The loop
runs until at least one kill landed mid-write; the counts are printed (``pytest -s``).
"""
import os
import random
import signal
import subprocess
import sys
import time

import numpy as np

import snan_nav
from snan_nav.persistence import read_memory, save_memory
from snan_nav.persistence import atomic
from snan_nav.persistence.record import MemoryRecord

CHILD = r'''
import sys
import numpy as np
from snan_nav.persistence import MemoryRecord, save_memory
path, log_path, first = sys.argv[1], sys.argv[2], int(sys.argv[3])
blocked = np.zeros((64, 64), dtype=bool)
with open(log_path, 'a', buffering=1) as log:
    for index in range(first, first + 10 ** 6):
        record = MemoryRecord('snan', blocked, {'w': np.full((4096, 256), float(index))},
                              {'tau_m_ms': 20.0}, {'save': index})
        log.write(f'begin {index}\n')
        save_memory(path, record)
        log.write(f'done {index}\n')
'''
MIN_KILLS = 10
MAX_KILLS = 60
START_TIMEOUT_S = 120.0  # a guard against a hung child, not a measurement


def read_log(log_path):
    begun, done = -1, -1
    with open(log_path) as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 2:  # the last line may be cut by the kill
                kind, index = parts[0], int(parts[1])
                if kind == 'begin':
                    begun = max(begun, index)
                elif kind == 'done':
                    done = max(done, index)
    return begun, done


def start_child(path, log_path, first):
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.abspath(snan_nav.__file__)))
    env['PYTHONPATH'] = root + os.pathsep + env.get('PYTHONPATH', '')
    return subprocess.Popen([sys.executable, '-c', CHILD, path, log_path, str(first)], env=env)


def wait_for_done(child, log_path, after):
    deadline = time.monotonic() + START_TIMEOUT_S
    while read_log(log_path)[1] <= after:
        assert child.poll() is None, f'the saving child exited with {child.returncode}'
        assert time.monotonic() < deadline, 'the saving child made no save in time'
        time.sleep(0.005)


def test_sigkill_during_saves_never_damages_the_memory_file(tmp_path):
    path = str(tmp_path / 'memory.snanmem')
    log_path = str(tmp_path / 'saves.log')
    open(log_path, 'w').close()
    rng = random.Random(20260101)
    kills = mid_write = landed_after_rename = 0
    first = 0
    while kills < MAX_KILLS and (kills < MIN_KILLS or mid_write == 0):
        _, done_before = read_log(log_path)
        child = start_child(path, log_path, first)
        try:
            wait_for_done(child, log_path, done_before)
            time.sleep(rng.uniform(0.0, 0.1))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
        kills += 1
        begun, done = read_log(log_path)
        temps = atomic.temp_files_of(path)
        record = read_memory(path)  # must load: complete and checksummed
        saved = record.metadata['save']
        if temps:
            mid_write += 1
            assert saved == done, (temps, saved, done)
        else:
            assert saved in (done, begun), (saved, done, begun)
            landed_after_rename += saved == begun != done
        assert record.arrays['w'].shape == (4096, 256)
        assert np.all(record.arrays['w'] == float(saved))
        first = begun + 1
    print(f'\nSIGKILL trials: {kills}, mid-write: {mid_write}, between rename and log: '
          f'{landed_after_rename}, recovered intact: {kills}')
    assert mid_write >= 1, f'no kill out of {kills} landed mid-write'
    # the next save cleans up what the killed writers left
    save_memory(path, MemoryRecord('snan', np.zeros((2, 2), dtype=bool), {}, {}, {}))
    assert atomic.temp_files_of(path) == []
