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
"""Memory files: round trip, refusals with quarantine, changed maps, crash-safe saving."""
import errno
import os
import stat
import subprocess
import sys

from memory_testing import (assert_same_arrays, blocked_5x4, expect_for, make_record, PARAMS,
                            with_checksum)
import numpy as np
import pytest

from snan_nav.persistence import (carry_over, cells_to_keep, FORMAT_VERSION, LOADED,
                                  load_memory, map_fingerprint, MemoryFileError, MemoryRecord,
                                  MISSING, quarantine, REFUSED, save_memory)
from snan_nav.persistence import atomic
from snan_nav.persistence.memory_format import encode_memory


# --- round trip ---------------------------------------------------------------------------------
def test_round_trip_is_bit_exact(tmp_path):
    record = make_record()
    path = tmp_path / 'memory.snanmem'
    size = save_memory(path, record)
    assert size == os.path.getsize(path)
    outcome = load_memory(path, expect_for(record))
    assert outcome.status == LOADED and outcome.quarantined_to is None
    assert outcome.changed_cells.size == 0
    loaded = outcome.record
    assert_same_arrays(loaded.arrays, record.arrays)
    # big-endian input is stored little-endian with the same values
    assert loaded.arrays['big_endian'].dtype == np.dtype('<u2')
    assert loaded.arrays['big_endian'].tolist() == [0, 1, 2]
    assert loaded.blocked.tolist() == record.blocked.tolist()
    assert dict(loaded.shaping_params) == PARAMS
    assert type(loaded.shaping_params['n_actions']) is int
    assert dict(loaded.metadata) == {'episodes_done': 12, 'created_at': '2026-01-02T03:04:05Z'}
    assert loaded.map_fingerprint == map_fingerprint(record.blocked)
    assert not loaded.arrays['w_sa'].flags.writeable
    assert os.listdir(tmp_path) == ['memory.snanmem']  # no temp file left behind


def test_encoding_is_deterministic():
    assert encode_memory(make_record()) == encode_memory(make_record())


def test_fingerprint_depends_on_size_and_cells():
    blocked = blocked_5x4()
    other = blocked.copy()
    other[0, 0] = True
    assert map_fingerprint(blocked) == map_fingerprint(blocked.copy())
    assert map_fingerprint(blocked) != map_fingerprint(other)
    flat = np.zeros((1, 8), dtype=bool)
    assert map_fingerprint(flat) != map_fingerprint(flat.reshape(2, 4))


@pytest.mark.parametrize('arrays, params, reason', [
    ({'x': np.array(['a'], dtype=object)}, {}, 'dtype'),
    ({'x': np.array(['abc'])}, {}, 'dtype'),
    ({'x': np.zeros(2, dtype=complex)}, {}, 'dtype'),
    ({'': np.zeros(2)}, {}, 'names'),
    ({'x': [1, 2]}, {}, 'NumPy array'),
    ({}, {'tau': float('nan')}, 'finite'),
    ({}, {'tau': [1, 2]}, 'scalar|bool'),
])
def test_record_refuses_what_cannot_be_stored_without_pickle(arrays, params, reason):
    with pytest.raises(ValueError, match=reason):
        MemoryRecord('snan', blocked_5x4(), arrays, params)


# --- missing and refused files -----------------------------------------------------------------
def test_missing_file_is_a_fresh_start_without_quarantine(tmp_path):
    outcome = load_memory(tmp_path / 'none.snanmem', expect_for(make_record()))
    assert outcome.status == MISSING and outcome.record is None
    assert outcome.quarantined_to is None and outcome.may_overwrite
    assert os.listdir(tmp_path) == []


def refuse_case(tmp_path, data, expect, message, **kwargs):
    path = tmp_path / 'memory.snanmem'
    path.write_bytes(data)
    outcome = load_memory(path, expect, **kwargs)
    assert outcome.status == REFUSED, outcome.message
    assert outcome.record is None
    assert outcome.quarantined_to == str(path) + '.corrupt'
    assert not path.exists() and outcome.may_overwrite
    with open(outcome.quarantined_to, 'rb') as handle:
        assert handle.read() == data  # kept intact, byte for byte
    assert 'starting fresh' in outcome.message
    for part in message:
        assert part in outcome.message, outcome.message
    return outcome


def test_refuses_other_agent(tmp_path):
    record = make_record()
    refuse_case(tmp_path, encode_memory(record), expect_for(record, agent_kind='qlearning'),
                ["agent 'snan'", "'qlearning'"])


def test_refuses_other_size(tmp_path):
    record = make_record()
    refuse_case(tmp_path, encode_memory(record),
                expect_for(record, blocked=np.zeros((5, 5), dtype=bool)),
                ['5x4 cells', '5x5'])


def test_refuses_other_shaping_param_naming_both_values(tmp_path):
    record = make_record()
    params = dict(PARAMS, tau_m_ms=12.5, extra=1)
    params.pop('rule')
    refuse_case(tmp_path, encode_memory(record), expect_for(record, shaping_params=params),
                ['tau_m_ms is 20.0 in the file, 12.5 in this run',
                 'extra is absent in the file, 1 in this run',
                 "rule is 'reward' in the file, absent in this run"])


def test_shaping_params_compare_types_strictly(tmp_path):
    record = make_record(params={'flag': True, 'n': 1})
    refuse_case(tmp_path, encode_memory(record),
                expect_for(record, shaping_params={'flag': 1, 'n': 1}), ['flag is True'])


def test_refuses_other_map(tmp_path):
    record = make_record()
    other = record.blocked.copy()
    other[3, :] = True  # 5 of the 17 free cells change: far above 5 %
    refuse_case(tmp_path, encode_memory(record), expect_for(record, blocked=other),
                ['another map', '5 of the 17 cells'])


def test_refuses_other_version(tmp_path):
    data = encode_memory(make_record())
    future = with_checksum(data[:8] + (FORMAT_VERSION + 1).to_bytes(4, 'little') + data[12:-32])
    refuse_case(tmp_path, future, expect_for(make_record()),
                [f'format version {FORMAT_VERSION + 1}', f'reads version {FORMAT_VERSION}'])


def test_refuses_corrupt_and_truncated(tmp_path):
    data = bytearray(encode_memory(make_record()))
    data[len(data) // 2] ^= 0x10
    refuse_case(tmp_path, bytes(data), expect_for(make_record()), ['checksum'])
    os.unlink(tmp_path / 'memory.snanmem.corrupt')
    refuse_case(tmp_path, encode_memory(make_record())[:-100], expect_for(make_record()),
                ['corrupt or truncated'])


def test_refuses_files_over_the_size_cap_unread(tmp_path):
    data = encode_memory(make_record())
    refuse_case(tmp_path, data, expect_for(make_record()), ['above the reader cap'],
                max_bytes=len(data) - 1)


def test_foreign_file_is_refused(tmp_path):
    refuse_case(tmp_path, b'PK\x03\x04' + bytes(200), expect_for(make_record()),
                ['not a snan_nav memory file'])


def test_a_directory_in_the_way_is_refused_and_left_alone(tmp_path):
    path = tmp_path / 'memory.snanmem'
    path.mkdir()
    outcome = load_memory(path, expect_for(make_record()))
    assert outcome.status == REFUSED and outcome.quarantined_to is None
    assert not outcome.may_overwrite and path.is_dir()
    assert 'not a regular file' in outcome.message


def test_a_fifo_in_the_way_is_refused_unread_and_left_alone(tmp_path):
    path = tmp_path / 'memory.snanmem'
    os.mkfifo(path)                                   # opened non-blocking: no writer needed
    outcome = load_memory(path, expect_for(make_record()))
    assert outcome.status == REFUSED and outcome.quarantined_to is None
    assert not outcome.may_overwrite and stat.S_ISFIFO(os.lstat(path).st_mode)
    assert 'not a regular file' in outcome.message


def test_quarantine_never_overwrites(tmp_path):
    path = tmp_path / 'm.snanmem'
    (tmp_path / 'm.snanmem.corrupt').write_bytes(b'first')
    (tmp_path / 'm.snanmem.corrupt.1').write_bytes(b'second')
    for index in range(2, 6):
        path.write_bytes(b'garbage %d' % index)
        outcome = load_memory(path, expect_for(make_record()))
        assert outcome.quarantined_to == f'{path}.corrupt.{index}'
    assert (tmp_path / 'm.snanmem.corrupt').read_bytes() == b'first'
    assert (tmp_path / 'm.snanmem.corrupt.1').read_bytes() == b'second'
    for index in range(2, 6):
        assert (tmp_path / f'm.snanmem.corrupt.{index}').read_bytes() == b'garbage %d' % index


def test_quarantine_without_hard_links_never_overwrites(tmp_path, monkeypatch):
    def no_links(src, dst):
        raise OSError(errno.EPERM, 'hard links not permitted')

    monkeypatch.setattr(os, 'link', no_links)
    path = tmp_path / 'm.snanmem'
    (tmp_path / 'm.snanmem.corrupt').write_bytes(b'first')
    path.write_bytes(b'second')
    assert quarantine(str(path)) == f'{path}.corrupt.1'
    assert (tmp_path / 'm.snanmem.corrupt').read_bytes() == b'first'
    assert (tmp_path / 'm.snanmem.corrupt.1').read_bytes() == b'second'
    assert not path.exists()


# --- a map that changed in a few cells ----------------------------------------------------------
def test_changed_map_loads_and_carries_over_the_cells_that_still_exist(tmp_path):
    old_blocked = np.zeros((10, 10), dtype=bool)
    old_blocked[5, 2:8] = True
    record = make_record(old_blocked, fill=1.0)
    path = tmp_path / 'memory.snanmem'
    save_memory(path, record)
    new_blocked = old_blocked.copy()
    new_blocked[2, 3] = True     # furniture moved in: cell 23 became blocked
    new_blocked[5, 7] = False    # a wall piece removed: cell 57 became free
    outcome = load_memory(path, expect_for(record, blocked=new_blocked))
    assert outcome.status == LOADED, outcome.message
    assert outcome.changed_cells.tolist() == [23, 57]
    assert 'changed in 2 cells' in outcome.message

    fresh = make_record(new_blocked, fill=-5.0).arrays
    keep = cells_to_keep(outcome.record.blocked, new_blocked)
    merged = carry_over(outcome.record.arrays, fresh, keep)
    assert keep.sum() == 100 - 6 - 1  # free in both maps
    for name in ('w_sa', 'goal_tag', 'visited'):
        old, new = record.arrays[name], fresh[name]
        assert merged[name][keep].tobytes() == old[keep].tobytes(), name
        assert merged[name][~keep].tobytes() == new[~keep].tobytes(), name
    assert merged['w_sa'][23].tolist() == fresh['w_sa'][23].tolist()
    assert merged['w_sa'][57].tolist() == fresh['w_sa'][57].tolist()
    # arrays not indexed by cell are not tied to the map: kept whole
    assert float(merged['scalar']) == 1.0
    assert merged['half'].tobytes() == record.arrays['half'].tobytes()
    assert merged['w_sa'].flags.writeable


def test_changed_fraction_is_a_parameter(tmp_path):
    record = make_record()
    other = record.blocked.copy()
    other[0, 0] = True  # 1 of 17 free cells (5.9 %)
    path = tmp_path / 'memory.snanmem'
    save_memory(path, record)
    assert load_memory(path, expect_for(record, blocked=other,
                                        max_changed_fraction=0.06)).status == LOADED
    outcome = load_memory(path, expect_for(record, blocked=other))
    assert outcome.status == REFUSED and '5.9 % > 5.0 %' in outcome.message


def test_carry_over_refuses_mismatched_memories():
    keep = np.ones(20, dtype=bool)
    with pytest.raises(ValueError, match=r"missing arrays \['b'\]"):
        carry_over({'a': np.zeros(20)}, {'a': np.zeros(20), 'b': np.zeros(3)}, keep)
    with pytest.raises(ValueError, match="array 'a'"):
        carry_over({'a': np.zeros(20)}, {'a': np.zeros(21)}, keep)
    with pytest.raises(ValueError, match="array 'a'"):
        carry_over({'a': np.zeros(20)}, {'a': np.zeros(20, dtype=np.float32)}, keep)
    with pytest.raises(ValueError, match='boolean mask'):
        carry_over({}, {}, np.arange(3))


# --- saving ------------------------------------------------------------------------------------
def test_failed_save_leaves_the_previous_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / 'memory.snanmem'
    save_memory(path, make_record(fill=1.0))
    before = path.read_bytes()

    def half_then_fail(stream, record):
        stream.write(b'x' * 100)
        raise OSError(errno.ENOSPC, 'No space left on device')

    monkeypatch.setattr('snan_nav.persistence.memory_file.write_memory', half_then_fail)
    with pytest.raises(MemoryFileError, match='No space left'):
        save_memory(path, make_record(fill=2.0))
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ['memory.snanmem']


def test_save_into_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(MemoryFileError, match='cannot save memory to .*No such file'):
        save_memory(tmp_path / 'nowhere' / 'memory.snanmem', make_record())


def test_save_removes_temps_of_dead_writers_only(tmp_path):
    path = tmp_path / 'memory.snanmem'
    dead = subprocess.run([sys.executable, '-c', 'import os; print(os.getpid())'],
                          capture_output=True, text=True, check=True)
    dead_temp = tmp_path / f'.memory.snanmem.{int(dead.stdout)}.0000aaaa.tmp'
    live_temp = tmp_path / f'.memory.snanmem.{os.getppid()}.0000bbbb.tmp'
    dead_temp.write_bytes(b'partial')
    live_temp.write_bytes(b'in progress')
    assert atomic.stale_temp_files(str(path)) == [str(dead_temp)]
    save_memory(path, make_record())
    assert not dead_temp.exists() and live_temp.exists()
