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
"""Memory files: round trip, refusals with quarantine, changed maps, hostile bytes."""
import errno
import hashlib
import json
import os
import subprocess
import sys

from hypothesis import given, HealthCheck, settings, strategies as st
import numpy as np
import pytest

from snan_nav.persistence import (carry_over, cells_to_keep, decode_memory, FORMAT_VERSION,
                                  LOADED, load_memory, map_fingerprint, MemoryExpectation,
                                  MemoryFileError, MemoryRecord, MISSING, quarantine, REFUSED,
                                  save_memory)
from snan_nav.persistence import atomic, memory_format
from snan_nav.persistence.memory_format import encode_memory, MAGIC

# Deterministic property runs (same examples on every machine), no timing limits.
PROPERTY = settings(derandomize=True, deadline=None, database=None, max_examples=300,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
PARAMS = {'tau_m_ms': 20.0, 'n_actions': 4, 'astro': True, 'rule': 'reward'}


def blocked_5x4():
    blocked = np.zeros((4, 5), dtype=bool)
    blocked[1, 1:4] = True
    return blocked


def make_record(blocked=None, agent='snan', params=None, fill=0.0):
    blocked = blocked_5x4() if blocked is None else blocked
    n_cells = blocked.size
    rng = np.random.default_rng(7)
    arrays = {
        'w_sa': rng.normal(size=(n_cells, 4)) + fill,
        'goal_tag': np.arange(n_cells, dtype=np.int32),
        'visited': rng.random(n_cells) > 0.5,
        'half': np.linspace(0, 1, 6, dtype=np.float16).reshape(2, 3),
        'big_endian': np.arange(3, dtype='>u2'),
        'scalar': np.array(fill),
        'empty': np.zeros((0, 4), dtype=np.int64),
    }
    return MemoryRecord(agent, blocked, arrays, PARAMS if params is None else params,
                        {'episodes_done': 12, 'created_at': '2026-01-02T03:04:05Z'})


def expect_for(record, **overrides):
    values = dict(agent_kind=record.agent_kind, blocked=record.blocked,
                  shaping_params=dict(record.shaping_params))
    values.update(overrides)
    return MemoryExpectation(**values)


def assert_same_arrays(a, b):
    assert list(a) == list(b)
    for name in a:
        assert a[name].dtype == b[name].dtype, name
        assert a[name].shape == b[name].shape, name
        assert a[name].tobytes() == b[name].tobytes(), name


def with_checksum(body: bytes) -> bytes:
    return body + hashlib.sha256(body).digest()


def rewrite_header(data: bytes, edit) -> bytes:
    """Return ``data`` with its JSON header replaced by ``edit(header_dict)`` (re-checksummed)."""
    length = int.from_bytes(data[12:16], 'little')
    header = json.loads(data[16:16 + length])
    raw = json.dumps(edit(header)).encode()
    body = data[:12] + len(raw).to_bytes(4, 'little') + raw + data[16 + length:-32]
    return with_checksum(body)


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


# --- hostile bytes -----------------------------------------------------------------------------
def small_file() -> bytes:
    blocked = np.array([[False, True], [False, False]])
    return encode_memory(MemoryRecord('snan', blocked, {'w': np.arange(8.0).reshape(4, 2)},
                                      {'tau': 1.5}, {'n': 1}))


def test_every_truncation_is_refused():
    data = small_file()
    for length in range(len(data)):
        with pytest.raises(MemoryFileError):
            decode_memory(data[:length])


def test_every_single_bit_flip_is_refused():
    data = small_file()
    flipped = bytearray(data)
    for index in range(len(data)):
        for bit in range(8):
            flipped[index] ^= 1 << bit
            with pytest.raises(MemoryFileError):
                decode_memory(bytes(flipped))
            flipped[index] ^= 1 << bit
    assert decode_memory(bytes(flipped)).arrays['w'].tolist() == [[0, 1], [2, 3], [4, 5], [6, 7]]


@PROPERTY
@given(st.binary(max_size=2000))
def test_random_bytes_only_raise_memory_file_error(data):
    with pytest.raises(MemoryFileError):
        decode_memory(data)


@PROPERTY
@given(st.binary(max_size=600))
def test_random_bodies_with_a_valid_checksum_only_raise_memory_file_error(tail):
    # Past the checksum the parser meets arbitrary header bytes and lengths.
    for version in (FORMAT_VERSION, FORMAT_VERSION + 1):
        data = with_checksum(MAGIC + version.to_bytes(4, 'little') + tail)
        try:
            record = decode_memory(data)
        except MemoryFileError:
            continue
        assert isinstance(record, MemoryRecord)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: (st.lists(children, max_size=4)
                      | st.dictionaries(st.text(max_size=6), children, max_size=4)),
    max_leaves=12)
HEADER_PATHS = st.sampled_from([
    ('agent_kind',), ('width',), ('height',), ('map_fingerprint',), ('shaping_params',),
    ('shaping_params', 'tau'), ('metadata',), ('metadata', 'n'), ('arrays',), ('arrays', 0),
    ('arrays', 0, 'name'), ('arrays', 0, 'dtype'), ('arrays', 0, 'shape'),
    ('arrays', 0, 'shape', 0), ('arrays', 0, 'extra'), ('extra',)])


@PROPERTY
@given(HEADER_PATHS, JSON_VALUES)
def test_hostile_headers_with_a_valid_checksum_are_refused_or_consistent(where, value):
    def edit(header):
        node = header
        for key in where[:-1]:
            node = node[key]
        node[where[-1]] = value
        return header

    data = rewrite_header(small_file(), edit)
    try:
        record = decode_memory(data)
    except MemoryFileError:
        return
    # Accepted: the header still describes the payload exactly, so re-encoding is lossless.
    assert decode_memory(encode_memory(record)).arrays.keys() == record.arrays.keys()
    assert record.arrays['w'].tobytes() == np.arange(8.0).tobytes()


@PROPERTY
@given(st.binary(max_size=400))
def test_load_of_any_bytes_refuses_and_quarantines(tmp_path, data):
    path = tmp_path / 'memory.snanmem'
    path.write_bytes(data)
    outcome = load_memory(path, expect_for(make_record()))
    assert outcome.status == REFUSED and outcome.record is None
    with open(outcome.quarantined_to, 'rb') as handle:
        assert handle.read() == data
    os.unlink(outcome.quarantined_to)


def test_deep_json_nesting_is_refused():
    data = rewrite_header(small_file(), lambda h: h)
    length = int.from_bytes(data[12:16], 'little')
    raw = b'[' * 100000 + b']' * 100000
    body = data[:12] + len(raw).to_bytes(4, 'little') + raw + data[16 + length:-32]
    with pytest.raises(MemoryFileError, match='header'):
        decode_memory(with_checksum(body))


def test_reader_constants_are_consistent():
    assert memory_format.PREFIX_BYTES == len(MAGIC) + 8
