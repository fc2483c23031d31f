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
"""Hostile map files: random YAML and random or truncated images raise only MapError."""
import struct
import zlib

from hypothesis import given, HealthCheck, settings, strategies as st
import numpy as np
import yaml

from snan_nav.world.coarsen import load_occupancy_map
from snan_nav.world.grid import GridMap
from snan_nav.world.map_io import load_map, MapError

PROPERTY = settings(derandomize=True, deadline=None, database=None, max_examples=300,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
GOOD_YAML = {'image': 'm.pgm', 'resolution': 0.05, 'origin': [0.0, 0.0, 0.0], 'negate': 0,
             'occupied_thresh': 0.65, 'free_thresh': 0.196, 'mode': 'trinary'}
GOOD_PIXELS = np.array([[0, 254, 254, 205], [254, 254, 0, 254], [254, 254, 254, 254]],
                       dtype=np.uint8)


def p5_bytes(pixels=GOOD_PIXELS):
    return (f'P5\n{pixels.shape[1]} {pixels.shape[0]}\n255\n'.encode() + pixels.tobytes())


def p2_bytes(pixels=GOOD_PIXELS):
    body = '\n'.join(' '.join(str(v) for v in row) for row in pixels)
    return f'P2\n{pixels.shape[1]} {pixels.shape[0]}\n255\n{body}\n'.encode()


def png_bytes(pixels=GOOD_PIXELS):
    """Encode an 8-bit greyscale PNG without alpha (what map_saver-like tools write)."""
    def chunk(kind, payload):
        return (struct.pack('>I', len(payload)) + kind + payload
                + struct.pack('>I', zlib.crc32(kind + payload)))

    height, width = pixels.shape
    header = struct.pack('>IIBBBBB', width, height, 8, 0, 0, 0, 0)
    raster = b''.join(b'\x00' + row.tobytes() for row in pixels)  # filter 0 per row
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header)
            + chunk(b'IDAT', zlib.compress(raster)) + chunk(b'IEND', b''))


def load_both(tmp_path, yaml_text, image_bytes, image_name='m.pgm'):
    """Load with both loaders; each must return a map or raise MapError, nothing else."""
    (tmp_path / image_name).write_bytes(image_bytes)
    path = tmp_path / 'm.yaml'
    if isinstance(yaml_text, bytes):
        path.write_bytes(yaml_text)
    else:
        path.write_text(yaml_text, encoding='utf-8')
    results = []
    for loader in (load_map, load_occupancy_map):
        try:
            results.append(loader(str(path)))
        except MapError as exc:
            assert str(exc), 'a MapError must say what is wrong'
            results.append(None)
    return results


def test_the_good_files_load(tmp_path):
    for name, data in (('m.pgm', p5_bytes()), ('a.pgm', p2_bytes()), ('m.png', png_bytes())):
        doc = dict(GOOD_YAML, image=name)
        grid, fine = load_both(tmp_path, yaml.safe_dump(doc), data, name)
        assert isinstance(grid, GridMap) and grid.blocked.shape == (3, 4), name
        assert fine.data[2, 0] == 100 and fine.data[2, 3] == -1, name


@PROPERTY
@given(st.binary(max_size=300))
def test_random_yaml_bytes(tmp_path, data):
    load_both(tmp_path, data, p5_bytes())


@PROPERTY
@given(st.text(max_size=300))
def test_random_yaml_text(tmp_path, text):
    load_both(tmp_path, text, p5_bytes())


ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-10 ** 400, 10 ** 400),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(['m.pgm', '', '/', '.', 'trinary', 'scale', 'raw', '1e-3', '\x00']),
    st.lists(st.one_of(st.floats(), st.integers(-10 ** 30, 10 ** 30), st.text(max_size=3),
                       st.none()), max_size=4),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))
KEYS = st.sampled_from(sorted(GOOD_YAML) + ['start', 'goal'])


@PROPERTY
@given(st.dictionaries(KEYS, ODD_VALUES, max_size=4), st.sets(KEYS, max_size=2))
def test_structured_yaml_with_odd_values(tmp_path, changes, removed):
    doc = dict(GOOD_YAML)
    doc.update(changes)
    for key in removed:
        doc.pop(key, None)
    load_both(tmp_path, yaml.safe_dump(doc), p5_bytes())


@PROPERTY
@given(st.sampled_from(['p5', 'p2', 'png']), st.data())
def test_truncated_images(tmp_path, kind, data):
    whole = {'p5': p5_bytes, 'p2': p2_bytes, 'png': png_bytes}[kind]()
    cut = data.draw(st.integers(0, len(whole) - 1))
    name = 'm.png' if kind == 'png' else 'm.pgm'
    load_both(tmp_path, yaml.safe_dump(dict(GOOD_YAML, image=name)), whole[:cut], name)


@PROPERTY
@given(st.sampled_from([b'P5', b'P2', b'P6', b'P3', b'\x89PNG\r\n\x1a\n', b'']),
       st.binary(max_size=200))
def test_random_image_bytes(tmp_path, magic, tail):
    load_both(tmp_path, yaml.safe_dump(GOOD_YAML), magic + tail)


NUMBERS = st.one_of(st.integers(-5, 70000), st.just(2 ** 64), st.just(10 ** 30))


@PROPERTY
@given(st.sampled_from(['P5', 'P2', 'P6', 'P3']), NUMBERS, NUMBERS, NUMBERS,
       st.binary(max_size=120))
def test_netpbm_headers_with_odd_numbers(tmp_path, magic, width, height, maxval, raster):
    header = f'{magic}\n{width} {height}\n{maxval}\n'.encode()
    load_both(tmp_path, yaml.safe_dump(GOOD_YAML), header + raster)


@PROPERTY
@given(st.data())
def test_single_byte_corruptions_of_a_good_image(tmp_path, data):
    whole = bytearray(data.draw(st.sampled_from([p5_bytes(), p2_bytes(), png_bytes()])))
    index = data.draw(st.integers(0, len(whole) - 1))
    whole[index] = data.draw(st.integers(0, 255))
    name = 'm.png' if whole[:1] == b'\x89' else 'm.pgm'
    load_both(tmp_path, yaml.safe_dump(dict(GOOD_YAML, image=name)), bytes(whole), name)
