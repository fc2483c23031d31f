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
"""nav2 map_server loading: trinary/scale/raw, negate, PGM P2/P5 (8/16 bit), PNG, errors."""
import numpy as np
import pytest

from snan_nav.world.grid import GridMap
from snan_nav.world.map_io import load_map, load_occupancy, MapError, save_map

YAML = ('image: {image}\nresolution: {resolution}\norigin: [-1.5, 2.0, 0.0]\nnegate: {negate}\n'
        'occupied_thresh: {occ}\nfree_thresh: {free}\n{extra}')


def write_yaml(tmp_path, image='m.pgm', negate=0, occ=0.65, free=0.25, extra='',
               resolution=0.05, name='m.yaml'):
    path = tmp_path / name
    path.write_text(YAML.format(image=image, negate=negate, occ=occ, free=free, extra=extra,
                                resolution=resolution))
    return str(path)


def write_p5(path, rows, maxval=255):
    rows = np.asarray(rows)
    dtype = '>u2' if maxval > 255 else 'u1'
    with open(path, 'wb') as handle:
        handle.write(f'P5\n# a comment\n{rows.shape[1]} {rows.shape[0]}\n{maxval}\n'.encode())
        handle.write(rows.astype(dtype).tobytes())


def write_p2(path, rows, maxval=255):
    rows = np.asarray(rows)
    body = '\n'.join(' '.join(str(v) for v in row) for row in rows)
    path.write_text(f'P2\n# comment\n{rows.shape[1]} {rows.shape[0]}\n{maxval}\n{body}\n')


# Image rows top first: top-left pixel black (occupied), 205 grey (unknown at 0.196).
PIXELS = [[0, 254, 254],
          [254, 205, 254]]


def test_trinary_p5_flips_rows_and_reads_settings(tmp_path):
    write_p5(tmp_path / 'm.pgm', PIXELS)
    grid = load_map(write_yaml(tmp_path, free=0.196, extra='start: [0, 0]\ngoal: [2, 1]\n'))
    assert isinstance(grid, GridMap)
    assert (grid.width, grid.height) == (3, 2)
    assert grid.resolution == 0.05
    assert grid.origin == (-1.5, 2.0, 0.0)
    assert grid.name == 'm'
    # image row 0 (top) is grid row my = 1
    assert grid.blocked.tolist() == [[False, True, False], [True, False, False]]
    assert grid.start == (0, 0) and grid.goal == (2, 1)
    data, _ = load_occupancy(write_yaml(tmp_path, free=0.196))
    assert data.tolist() == [[0, -1, 0], [100, 0, 0]]


def test_numbers_in_exponent_notation_are_numbers_as_for_nav2(tmp_path):
    # PyYAML (YAML 1.1) read 5e-2 as a string and refused it; yaml-cpp in map_server reads 0.05
    write_p5(tmp_path / 'm.pgm', PIXELS)
    path = tmp_path / 'e.yaml'
    path.write_text('image: m.pgm\nresolution: 5e-2\norigin: [-1.5e0, 2E+0, 0]\nnegate: 0\n'
                    'occupied_thresh: 6.5e-1\nfree_thresh: 1.96e-1\n')
    grid = load_map(str(path))
    assert grid.resolution == 0.05 and grid.origin == (-1.5, 2.0, 0.0)
    assert grid.blocked.tolist() == [[False, True, False], [True, False, False]]


def test_p2_ascii_matches_p5(tmp_path):
    write_p2(tmp_path / 'm.pgm', PIXELS)
    data, _ = load_occupancy(write_yaml(tmp_path, free=0.196))
    assert data.tolist() == [[0, -1, 0], [100, 0, 0]]


@pytest.mark.parametrize('writer', [write_p5, write_p2])
def test_16_bit_pgm(tmp_path, writer):
    writer(tmp_path / 'm.pgm', [[0, 65535], [65535 // 2, 65000]], maxval=65535)
    data, _ = load_occupancy(write_yaml(tmp_path))
    assert data.tolist() == [[-1, 0], [100, 0]]


def test_negate_swaps_black_and_white(tmp_path):
    write_p5(tmp_path / 'm.pgm', [[0, 255]])
    data, _ = load_occupancy(write_yaml(tmp_path, negate=1))
    assert data.tolist() == [[0, 100]]


def test_scale_mode_intermediate_and_transparent(tmp_path):
    image = pytest.importorskip('PIL.Image')
    rgba = np.array([[[128, 128, 128, 255], [0, 0, 0, 255], [255, 255, 255, 100]]], np.uint8)
    image.fromarray(rgba, 'RGBA').save(tmp_path / 'm.png')
    data, _ = load_occupancy(write_yaml(tmp_path, image='m.png', extra='mode: scale\n'))
    # occ = 127/255 = 0.498 -> rint((0.498 - 0.25) / 0.4 * 100) = 62; alpha < 255 -> unknown
    assert data.tolist() == [[62, 100, -1]]
    grid = load_map(write_yaml(tmp_path, image='m.png', extra='mode: scale\n'))
    assert grid.blocked.all()  # only value 0 is free


def test_raw_mode_takes_pixel_values(tmp_path):
    write_p5(tmp_path / 'm.pgm', [[0, 50, 100, 101, 255]])
    data, _ = load_occupancy(write_yaml(tmp_path, extra='mode: raw\n'))
    assert data.tolist() == [[0, 50, 100, -1, -1]]


def test_png_grey_and_trinary_alpha_averaging(tmp_path):
    image = pytest.importorskip('PIL.Image')
    grey = np.array([[0, 60, 255]], np.uint8)
    image.fromarray(grey, 'L').save(tmp_path / 'g.png')
    data, _ = load_occupancy(write_yaml(tmp_path, image='g.png'))
    assert data.tolist() == [[100, 100, 0]]
    # With an alpha channel nav2 averages alpha into the shade in trinary mode:
    # grey 60 opaque -> shade (3 * 60/255 + 1) / 4 = 0.426, occ 0.574 -> unknown.
    rgba = np.stack([grey, grey, grey, np.full_like(grey, 255)], axis=-1)
    image.fromarray(rgba, 'RGBA').save(tmp_path / 'a.png')
    data, _ = load_occupancy(write_yaml(tmp_path, image='a.png'))
    assert data.tolist() == [[100, -1, 0]]


def test_save_map_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    blocked = rng.random((7, 5)) < 0.3
    blocked[0, 0] = blocked[6, 4] = False
    grid = GridMap(blocked, 0.25, (1.0, -2.5, 0.5), 'x', (0, 0), (4, 6))
    save_map(grid, tmp_path / 'x.yaml')
    back = load_map(str(tmp_path / 'x.yaml'))
    assert np.array_equal(back.blocked, grid.blocked)
    assert (back.resolution, back.origin, back.start, back.goal) == (
        0.25, (1.0, -2.5, 0.5), (0, 0), (4, 6))


def assert_error(path, *words):
    with pytest.raises(MapError) as info:
        load_map(path)
    message = str(info.value)
    assert '\n' not in message
    for word in words:
        assert word in message, message
    return message


def test_missing_yaml_file(tmp_path):
    assert_error(str(tmp_path / 'nope.yaml'), 'nope.yaml', 'does not exist')
    (tmp_path / 'maps').mkdir()
    assert_error(str(tmp_path / 'maps'), 'maps', 'is a directory')


def test_bad_yaml(tmp_path):
    path = tmp_path / 'bad.yaml'
    path.write_text('image: [unclosed\nresolution: 0.05\n')
    assert_error(str(path), 'bad.yaml', 'not valid YAML')


def test_yaml_not_a_mapping(tmp_path):
    path = tmp_path / 'list.yaml'
    path.write_text('- 1\n- 2\n')
    assert_error(str(path), 'list.yaml', 'mapping')


def test_missing_keys(tmp_path):
    path = tmp_path / 'keys.yaml'
    path.write_text('image: m.pgm\nresolution: 0.05\n')
    assert_error(str(path), 'keys.yaml', 'origin', 'negate', 'free_thresh')


def test_missing_image(tmp_path):
    assert_error(write_yaml(tmp_path, image='gone.pgm'), 'gone.pgm', 'does not exist')


def test_truncated_p5(tmp_path):
    write_p5(tmp_path / 'm.pgm', np.zeros((4, 4)))
    data = (tmp_path / 'm.pgm').read_bytes()
    (tmp_path / 'm.pgm').write_bytes(data[:-5])
    assert_error(write_yaml(tmp_path), 'm.pgm', 'truncated')


def test_truncated_p2_and_header(tmp_path):
    (tmp_path / 'm.pgm').write_text('P2\n3 2\n255\n0 0 0 0\n')
    assert_error(write_yaml(tmp_path), 'm.pgm', 'truncated')
    (tmp_path / 'm.pgm').write_bytes(b'P5\n3 ')
    assert_error(write_yaml(tmp_path), 'm.pgm', 'corrupt')


def test_not_an_image(tmp_path):
    (tmp_path / 'm.png').write_bytes(b'\x89PNG\r\n\x1a\nthis is not a png')
    assert_error(write_yaml(tmp_path, image='m.png'), 'm.png', 'cannot be decoded')


@pytest.mark.parametrize('occ, free, words', [
    (1.5, 0.25, ('occupied_thresh', '[0, 1]')),
    (0.65, -0.1, ('free_thresh', '[0, 1]')),
    (0.3, 0.6, ('free_thresh', 'below occupied_thresh')),
])
def test_thresholds_out_of_range(tmp_path, occ, free, words):
    write_p5(tmp_path / 'm.pgm', PIXELS)
    assert_error(write_yaml(tmp_path, occ=occ, free=free), 'm.yaml', *words)


@pytest.mark.parametrize('resolution', ['0.0', '-0.05', '.nan', '"fine"'])
def test_bad_resolution(tmp_path, resolution):
    write_p5(tmp_path / 'm.pgm', PIXELS)
    assert_error(write_yaml(tmp_path, resolution=resolution), 'm.yaml', 'resolution')


def test_unknown_mode(tmp_path):
    write_p5(tmp_path / 'm.pgm', PIXELS)
    assert_error(write_yaml(tmp_path, extra='mode: fuzzy\n'), 'm.yaml', 'fuzzy', 'trinary')


def test_start_on_blocked_cell(tmp_path):
    write_p5(tmp_path / 'm.pgm', PIXELS)
    assert_error(write_yaml(tmp_path, extra='start: [0, 1]\n'), 'start (0, 1)', 'blocked')
    assert_error(write_yaml(tmp_path, extra='goal: [5, 5]\n'), 'goal', 'outside')


def test_map_error_is_value_error():
    assert issubclass(MapError, ValueError)
