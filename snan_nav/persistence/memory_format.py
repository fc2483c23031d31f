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
r"""The memory file layout: a magic, a JSON header, raw little-endian arrays, a SHA-256.

Layout (all integers little-endian)::

    offset 0     8 bytes   magic b'SNANMEM\n'
    offset 8     uint32    format version (FORMAT_VERSION)
    offset 12    uint32    header length H in bytes
    offset 16    H bytes   header: UTF-8 JSON object (agent_kind, width, height,
                           map_fingerprint, shaping_params, metadata, arrays: [{name, dtype,
                           shape}])
    16 + H       payload   the blocked mask (np.packbits of the row-major [my, mx] mask,
                           ceil(width * height / 8) bytes), then each array's raw C-order bytes
                           in header order, nothing between them
    end - 32     32 bytes  SHA-256 of every byte before it

Why this and not ``.npz`` or pickle: pickle executes code from the file; an ``.npz`` is a zip
whose parser raises a dozen exception types on hostile bytes, carries only per-member CRCs and
would still need a JSON member for the metadata. Here the reader checks the size cap, the magic
and the whole-file checksum before it parses anything, offsets are computed (never read), and
every header field is validated, so the only exception that leaves :func:`decode_memory` is
:class:`MemoryFileError`. The checksum sits at the end so a writer can stream arrays of any
size without holding the file in memory.
"""
import hashlib
import json
import os
import stat
from typing import Any, BinaryIO, Dict, List, Tuple

import numpy as np

from snan_nav.persistence.record import (ALLOWED_DTYPES, FORMAT_VERSION, MAX_ARRAY_DIMS,
                                         map_fingerprint, MemoryFileError, MemoryRecord)

MAGIC = b'SNANMEM\n'
PREFIX_BYTES = 16
DIGEST_BYTES = 32
#: Default cap on the size of a file the reader accepts (bytes).
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
HEADER_KEYS = frozenset(['agent_kind', 'width', 'height', 'map_fingerprint', 'shaping_params',
                         'metadata', 'arrays'])
ARRAY_KEYS = frozenset(['name', 'dtype', 'shape'])


class _HashingWriter:
    """Write to a binary stream and feed a SHA-256 with the same bytes."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.digest = hashlib.sha256()

    def write(self, data) -> None:
        self.digest.update(data)
        self.stream.write(data)


def _header(record: MemoryRecord) -> bytes:
    arrays = [{'name': name, 'dtype': array.dtype.str, 'shape': list(array.shape)}
              for name, array in record.arrays.items()]
    doc = {'agent_kind': record.agent_kind, 'width': record.width, 'height': record.height,
           'map_fingerprint': record.map_fingerprint,
           'shaping_params': dict(record.shaping_params), 'metadata': dict(record.metadata),
           'arrays': arrays}
    return json.dumps(doc, allow_nan=False, ensure_ascii=True, sort_keys=True).encode('ascii')


def write_memory(stream: BinaryIO, record: MemoryRecord) -> int:
    """Write ``record`` to a binary stream in the memory file layout; return the bytes written.

    Arrays are streamed one at a time; only the header is built in memory.
    """
    header = _header(record)
    out = _HashingWriter(stream)
    out.write(MAGIC + FORMAT_VERSION.to_bytes(4, 'little') + len(header).to_bytes(4, 'little'))
    out.write(header)
    total = PREFIX_BYTES + len(header)
    mask = np.packbits(record.blocked.ravel()).tobytes()
    out.write(mask)
    total += len(mask)
    for array in record.arrays.values():
        if array.size:
            out.write(memoryview(array).cast('B'))  # record arrays are C-ordered little-endian
        total += array.nbytes
    stream.write(out.digest.digest())
    return total + DIGEST_BYTES


def encode_memory(record: MemoryRecord) -> bytes:
    """Return the bytes of ``record`` in the memory file layout."""
    import io
    buffer = io.BytesIO()
    write_memory(buffer, record)
    return buffer.getvalue()


def _reject_constant(token: str):
    raise ValueError(f'non-finite number {token} in the header')


def _no_duplicates(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    out = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f'duplicate header key {key!r}')
        out[key] = value
    return out


def _parse_header(raw: bytes, source: str) -> Dict[str, Any]:
    try:
        doc = json.loads(raw.decode('utf-8'), parse_constant=_reject_constant,
                         object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MemoryFileError(f'memory file {source}: unreadable header ({exc})') from None
    if not isinstance(doc, dict) or set(doc) != HEADER_KEYS:
        keys = sorted(doc) if isinstance(doc, dict) else type(doc).__name__
        raise MemoryFileError(f'memory file {source}: header must hold exactly the keys '
                              f'{sorted(HEADER_KEYS)}, got {keys}')
    return doc


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _array_specs(doc: Dict[str, Any], source: str) -> List[Tuple[str, np.dtype, tuple]]:
    specs = doc['arrays']
    if not isinstance(specs, list):
        raise MemoryFileError(f'memory file {source}: header arrays must be a list')
    out, seen = [], set()
    for spec in specs:
        if not isinstance(spec, dict) or set(spec) != ARRAY_KEYS:
            raise MemoryFileError(f'memory file {source}: an array entry must hold exactly '
                                  f'{sorted(ARRAY_KEYS)}, got {spec!r}'[:300])
        name, dtype, shape = spec['name'], spec['dtype'], spec['shape']
        if not isinstance(name, str) or name in seen:
            raise MemoryFileError(f'memory file {source}: bad or repeated array name {name!r}')
        if not isinstance(dtype, str) or dtype not in ALLOWED_DTYPES:
            raise MemoryFileError(f'memory file {source}: array {name!r} has dtype {dtype!r}; '
                                  f'allowed: {sorted(ALLOWED_DTYPES)}')
        if (not isinstance(shape, list) or len(shape) > MAX_ARRAY_DIMS
                or not all(_is_int(n) and n >= 0 for n in shape)):
            raise MemoryFileError(f'memory file {source}: array {name!r} has a bad shape '
                                  f'{shape!r}'[:300])
        seen.add(name)
        out.append((name, np.dtype(dtype), tuple(shape)))
    return out


def decode_memory(data: bytes, source: str = '<bytes>') -> MemoryRecord:
    """Parse the bytes of a memory file; raise :class:`MemoryFileError` for anything else.

    ``source`` names the file in messages. The checksum is verified before the header is read,
    so a file that decodes is bit-for-bit what a writer produced.
    """
    if len(data) < PREFIX_BYTES + DIGEST_BYTES:
        raise MemoryFileError(f'memory file {source} is truncated: {len(data)} bytes, a '
                              f'valid one has at least {PREFIX_BYTES + DIGEST_BYTES}')
    if data[:len(MAGIC)] != MAGIC:
        raise MemoryFileError(f'memory file {source} is not a snan_nav memory file '
                              f'(magic {bytes(data[:len(MAGIC)])!r})')
    body, digest = data[:-DIGEST_BYTES], data[-DIGEST_BYTES:]
    if hashlib.sha256(body).digest() != digest:
        raise MemoryFileError(f'memory file {source} is corrupt or truncated: its SHA-256 '
                              'checksum does not match its content')
    version = int.from_bytes(data[8:12], 'little')
    if version != FORMAT_VERSION:
        raise MemoryFileError(f'memory file {source} has format version {version}; this '
                              f'snan_nav reads version {FORMAT_VERSION}')
    header_len = int.from_bytes(data[12:16], 'little')
    if header_len > len(body) - PREFIX_BYTES:
        raise MemoryFileError(f'memory file {source}: header length {header_len} runs past '
                              'the end of the file')
    doc = _parse_header(body[PREFIX_BYTES:PREFIX_BYTES + header_len], source)
    width, height = doc['width'], doc['height']
    if not (_is_int(width) and _is_int(height) and width >= 1 and height >= 1):
        raise MemoryFileError(f'memory file {source}: width and height must be integers '
                              f'>= 1, got {width!r} x {height!r}'[:300])
    specs = _array_specs(doc, source)
    offset = PREFIX_BYTES + header_len
    mask_bytes = (width * height + 7) // 8
    sizes = [int(np.prod(shape, dtype=object)) * dtype.itemsize for _, dtype, shape in specs]
    expected = offset + mask_bytes + sum(sizes)
    if expected != len(body):
        raise MemoryFileError(f'memory file {source}: header describes {expected} bytes of '
                              f'content, the file holds {len(body)}')
    mask_raw = np.frombuffer(body, dtype=np.uint8, count=mask_bytes, offset=offset)
    bits = np.unpackbits(mask_raw)
    if bits[width * height:].any():
        raise MemoryFileError(f'memory file {source}: the blocked mask has stray padding bits')
    blocked = bits[:width * height].astype(bool).reshape(height, width)
    if map_fingerprint(blocked) != doc['map_fingerprint']:
        raise MemoryFileError(f'memory file {source}: the map fingerprint does not match the '
                              'stored blocked mask')
    offset += mask_bytes
    arrays = {}
    for (name, dtype, shape), size in zip(specs, sizes):
        count = size // dtype.itemsize
        try:
            arrays[name] = np.frombuffer(body, dtype=dtype, count=count,
                                         offset=offset).reshape(shape)
        except ValueError as exc:  # a shape NumPy cannot represent, e.g. (0, 2**63)
            raise MemoryFileError(f'memory file {source}: array {name!r} has an unusable '
                                  f'shape {shape}: {exc}'[:300]) from None
        offset += size
    try:
        return MemoryRecord(doc['agent_kind'], blocked, arrays, doc['shaping_params'],
                            doc['metadata'])
    except ValueError as exc:
        raise MemoryFileError(f'memory file {source}: {exc}') from None


def read_memory(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> MemoryRecord:
    """Read and verify the memory file at ``path`` (at most ``max_bytes`` bytes).

    Raises :class:`MemoryFileError` for every failure; ``FileNotFoundError`` is reported as a
    MemoryFileError too (use :func:`os.path.exists` first to treat a missing file as fresh).
    """
    path = os.fspath(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0))
    except OSError as exc:
        raise MemoryFileError(f'cannot open memory file {path}: {exc.strerror}',
                              quarantine=False) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise MemoryFileError(f'memory file {path} is not a regular file',
                                  quarantine=False)
        if info.st_size > max_bytes:
            raise MemoryFileError(f'memory file {path} is {info.st_size} bytes, above the '
                                  f'reader cap of {max_bytes} bytes')
        chunks, remaining = [], max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise MemoryFileError(f'cannot read memory file {path}: {exc.strerror}',
                              quarantine=False) from None
    finally:
        os.close(fd)
    data = b''.join(chunks)
    if len(data) > max_bytes:
        raise MemoryFileError(f'memory file {path} grew above the reader cap of {max_bytes} '
                              'bytes while it was read')
    return decode_memory(data, path)
