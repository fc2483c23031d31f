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
"""Shared helpers of the memory-file tests: sample records, expectations, file surgery."""
import hashlib
import json

from hypothesis import HealthCheck, settings
import numpy as np

from snan_nav.persistence import MemoryExpectation, MemoryRecord

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
