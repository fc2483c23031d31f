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
"""Hostile memory files: truncations, bit flips, random bytes and headers -> MemoryFileError."""
import os

from hypothesis import given, strategies as st
from memory_testing import expect_for, make_record, PROPERTY, rewrite_header, with_checksum
import numpy as np
import pytest

from snan_nav.persistence import (decode_memory, FORMAT_VERSION, load_memory, MemoryFileError,
                                  MemoryRecord, REFUSED)
from snan_nav.persistence import memory_format
from snan_nav.persistence.memory_format import encode_memory, MAGIC


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
