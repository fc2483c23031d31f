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
"""nav2 map_server maps (YAML + image) to and from :class:`~snan_nav.world.grid.GridMap`.

Loading follows nav2_map_server's ``loadMapFromYaml`` / ``loadMapFromFile``:

- required YAML keys ``image`` (relative to the YAML file), ``resolution`` (m/cell),
  ``origin`` ``[x, y, yaw]`` (m, m, rad), ``negate`` (0/1), ``occupied_thresh`` and
  ``free_thresh`` (probabilities in [0, 1]); optional ``mode`` (``trinary`` default, ``scale``,
  ``raw``); this package also reads the optional ``start: [mx, my]`` and ``goal: [mx, my]``;
- a pixel's shade is the mean of its R, G, B channels in [0, 1] (plus the alpha channel in
  trinary mode when the image has one, as nav2 does); occupancy ``p = 1 - shade``
  (``shade`` when ``negate``); ``p > occupied_thresh`` -> 100, ``p < free_thresh`` -> 0,
  otherwise unknown (-1) in trinary mode or a scaled 1..99 in scale mode (where any pixel that is
  not fully opaque is unknown); raw mode takes ``round(255 * shade)`` as the value (0..100, else
  unknown);
- image row 0 is the top of the map, OccupancyGrid row 0 the bottom: rows are flipped.

A cell is free for the grid world only when its OccupancyGrid value is 0; occupied,
intermediate and unknown cells are blocked. Every failure raises :class:`MapError`.
"""
import math
import os
import re
from typing import Any, Dict, Optional, Tuple

import numpy as np
import yaml

from snan_nav.world.grid import GridMap

MODES = ('trinary', 'scale', 'raw')
REQUIRED_KEYS = ('image', 'resolution', 'origin', 'negate', 'occupied_thresh', 'free_thresh')
UNKNOWN = -1
#: Pixel values written by :func:`save_map` (the nav2 map_saver ones) and its thresholds.
FREE_PIXEL, OCCUPIED_PIXEL = 254, 0
SAVE_OCCUPIED_THRESH, SAVE_FREE_THRESH = 0.65, 0.25


class MapError(ValueError):
    """A map file that cannot be used; the message names the file and the problem."""


# --- images ------------------------------------------------------------------------------------
def _netpbm_tokens(data: bytes, pos: int, count: int, path: str):
    """Read ``count`` whitespace-separated ASCII integers (skipping ``#`` comments)."""
    values = []
    n = len(data)
    while len(values) < count:
        while pos < n and (data[pos:pos + 1].isspace() or data[pos:pos + 1] == b'#'):
            if data[pos:pos + 1] == b'#':
                while pos < n and data[pos:pos + 1] not in (b'\n', b'\r'):
                    pos += 1
            else:
                pos += 1
        start = pos
        while pos < n and data[pos:pos + 1].isdigit():
            pos += 1
        if start == pos:
            what = 'ends early' if pos >= n else f'has a non-numeric byte at offset {pos}'
            raise MapError(f'image {path} is a corrupt PGM/PPM: its header or data {what}')
        values.append(int(data[start:pos]))
    return values, pos


def read_netpbm(path: str) -> np.ndarray:
    """Read a PGM (P2/P5) or PPM (P3/P6), 8 or 16 bit; return floats in [0, 1], shape (h, w, c).

    Row 0 is the top row of the image.
    """
    try:
        with open(path, 'rb') as handle:
            data = handle.read()
    except OSError as exc:
        raise MapError(f'cannot read image {path}: {exc.strerror}') from None
    magic = data[:2]
    if magic not in (b'P2', b'P3', b'P5', b'P6'):
        raise MapError(f'image {path} is not a PGM/PPM file (magic {magic!r})')
    channels = 3 if magic in (b'P3', b'P6') else 1
    (width, height, maxval), pos = _netpbm_tokens(data, 2, 3, path)
    if width < 1 or height < 1:
        raise MapError(f'image {path} has an empty size {width}x{height}')
    if not 1 <= maxval <= 65535:
        raise MapError(f'image {path} has maxval {maxval}, outside 1..65535')
    count = width * height * channels
    if magic in (b'P5', b'P6'):
        pos += 1  # exactly one whitespace byte separates the header from the raster
        dtype = np.dtype('>u2') if maxval > 255 else np.dtype('u1')
        raster = data[pos:pos + count * dtype.itemsize]
        if len(raster) < count * dtype.itemsize:
            raise MapError(f'image {path} is truncated: {len(raster)} of '
                           f'{count * dtype.itemsize} raster bytes present')
        values = np.frombuffer(raster, dtype=dtype).astype(np.float64)
    else:
        tokens = data[pos:].split()
        try:
            values = np.array(tokens[:count], dtype=np.float64)
        except ValueError:
            values = np.empty(0)
        if (values.size < count or not np.all(values == np.floor(values))
                or values.min(initial=0) < 0):
            raise MapError(f'image {path} is truncated or corrupt: expected {count} '
                           'ASCII integer values')
    if values.max(initial=0) > maxval:
        raise MapError(f'image {path} has values above its maxval {maxval}')
    return (values / maxval).reshape(height, width, channels)


def _png_has_alpha(data: bytes) -> bool:
    """Return True for a PNG with an alpha channel or a tRNS chunk (GraphicsMagick's matte)."""
    colour_type = data[25] if len(data) > 25 else 0
    head = data[:data.find(b'IDAT')] if b'IDAT' in data else data
    return colour_type in (4, 6) or b'tRNS' in head


def read_image(path: str) -> Tuple[np.ndarray, bool]:
    """Return ``(pixels, has_alpha)``: floats in [0, 1], shape (h, w, c), row 0 at the top.

    ``c`` is 1 (grey) or 3 (RGB) colour channels, plus one alpha channel when ``has_alpha``.
    PGM/PPM use :func:`read_netpbm`; other formats (PNG, ...) go through matplotlib.
    """
    if not os.path.isfile(path):
        raise MapError(f'image file {path} does not exist')
    try:
        with open(path, 'rb') as handle:
            head = handle.read()
    except OSError as exc:
        raise MapError(f'cannot read image {path}: {exc.strerror}') from None
    if head[:2] in (b'P2', b'P3', b'P5', b'P6'):
        return read_netpbm(path), False
    import matplotlib.image as mpimg  # lazy: only needed for non-netpbm images
    try:
        img = np.asarray(mpimg.imread(path))
    except Exception as exc:  # any decoder failure is a corrupt image for the user
        raise MapError(f'image {path} cannot be decoded: {exc}') from None
    if img.dtype.kind in 'ui':
        img = img / float(np.iinfo(img.dtype).max)
    img = np.asarray(img, dtype=np.float64)
    if img.ndim == 2:
        img = img[:, :, None]
    if img.ndim != 3 or img.shape[2] not in (1, 2, 3, 4) or img.size == 0:
        raise MapError(f'image {path} has an unsupported shape {img.shape}')
    has_alpha = img.shape[2] in (2, 4)
    if head[:8] == b'\x89PNG\r\n\x1a\n' and has_alpha and not _png_has_alpha(head):
        img, has_alpha = img[:, :, :-1], False  # matplotlib adds alpha to palette images
    return img, has_alpha


def occupancy_from_pixels(pixels: np.ndarray, has_alpha: bool, mode: str, negate: bool,
                          occupied_thresh: float, free_thresh: float) -> np.ndarray:
    """Convert image pixels (h, w, c) in [0, 1] to OccupancyGrid values, int8 (h, w).

    Values: 0 free, 100 occupied, -1 unknown, 1..99 in scale mode. Row order is unchanged
    (the caller flips image rows to OccupancyGrid rows).
    """
    colour = pixels[:, :, :-1] if has_alpha else pixels
    alpha = pixels[:, :, -1] if has_alpha else np.ones(pixels.shape[:2])
    rgb_sum = colour.sum(axis=2) * (3.0 / colour.shape[2])  # grey counts as R = G = B
    if mode == 'trinary' and has_alpha:
        shade = (rgb_sum + alpha) / 4.0
    else:
        shade = rgb_sum / 3.0
    out = np.full(shade.shape, UNKNOWN, dtype=np.int8)
    if mode == 'raw':
        value = np.round(shade * 255.0)
        ok = value <= 100
        out[ok] = value[ok].astype(np.int8)
        return out
    occ = shade if negate else 1.0 - shade
    occupied = occ > occupied_thresh
    free = occ < free_thresh
    if mode == 'scale':
        mid = ~occupied & ~free
        scaled = np.rint((occ - free_thresh) / (occupied_thresh - free_thresh) * 100.0)
        out[mid] = scaled[mid].astype(np.int8)
        occupied &= alpha >= 1.0
        free &= alpha >= 1.0
        out[alpha < 1.0] = UNKNOWN
    out[occupied] = 100
    out[free] = 0
    return out


# --- YAML --------------------------------------------------------------------------------------
class _MapYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader, reading ``5e-2`` and ``1.0e308`` as floats.

    PyYAML follows YAML 1.1, whose floats need a dot, so ``resolution: 5e-2`` would be a
    string; nav2's map_server (yaml-cpp, ``as<double>()``) and YAML 1.2 read a number.
    """


_MapYamlLoader.add_implicit_resolver(
    'tag:yaml.org,2002:float',
    re.compile(r'^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$'),
    list('-+0123456789'))


def _number(doc: Dict[str, Any], key: str, path: str) -> float:
    value = doc[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
        raise MapError(f'map {path}: {key} must be a finite number, got {value!r}'[:300])
    return float(value)


def _finite(value) -> bool:
    """Return True for a number that is finite as a float (huge YAML integers are not)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _cell(doc: Dict[str, Any], key: str, path: str) -> Optional[Tuple[int, int]]:
    value = doc.get(key)
    if value is None:
        return None
    if (not isinstance(value, (list, tuple)) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise MapError(f'map {path}: {key} must be [mx, my] integer cell indices, got {value!r}')
    return int(value[0]), int(value[1])


def read_map_yaml(path: str) -> Dict[str, Any]:
    """Read and validate a nav2 map YAML; return its settings with ``image`` made absolute."""
    path = str(path)
    if not os.path.isfile(path):
        what = ('is a directory' if os.path.isdir(path) else 'is not a regular file'
                if os.path.exists(path) else 'does not exist')
        raise MapError(f'map file {path} {what}')
    try:
        with open(path, 'r', encoding='utf-8') as handle:
            doc = yaml.load(handle, Loader=_MapYamlLoader)
    except OSError as exc:
        raise MapError(f'cannot read map file {path}: {exc.strerror}') from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MapError(f'map file {path} is not valid YAML ({first})') from None
    if not isinstance(doc, dict):
        raise MapError(f'map file {path} must hold a YAML mapping with keys '
                       f'{", ".join(REQUIRED_KEYS)}')
    missing = [k for k in REQUIRED_KEYS if k not in doc]
    if missing:
        raise MapError(f'map file {path} lacks the key(s) {", ".join(missing)}')
    image = doc['image']
    if not isinstance(image, str) or not image.strip():
        raise MapError(f'map {path}: image must be a non-empty file name, got {image!r}')
    if not os.path.isabs(image):
        image = os.path.join(os.path.dirname(os.path.abspath(path)), image)
    resolution = _number(doc, 'resolution', path)
    if not math.isfinite(resolution) or resolution <= 0.0:
        raise MapError(f'map {path}: resolution must be a finite number > 0 m/cell, '
                       f'got {doc["resolution"]!r}')
    origin = doc['origin']
    if (not isinstance(origin, (list, tuple)) or len(origin) != 3
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                       and _finite(v) for v in origin)):
        raise MapError(f'map {path}: origin must be [x, y, yaw] (m, m, rad), got {origin!r}')
    occ_t = _number(doc, 'occupied_thresh', path)
    free_t = _number(doc, 'free_thresh', path)
    for key, value in (('occupied_thresh', occ_t), ('free_thresh', free_t)):
        if not 0.0 <= value <= 1.0:
            raise MapError(f'map {path}: {key} must lie in [0, 1], got {value}')
    if free_t >= occ_t:
        raise MapError(f'map {path}: free_thresh ({free_t}) must be below occupied_thresh '
                       f'({occ_t})')
    negate = doc['negate']
    if negate not in (0, 1) or isinstance(negate, float):
        raise MapError(f'map {path}: negate must be 0 or 1 (or a boolean), got {negate!r}')
    mode = doc.get('mode', 'trinary')
    if mode not in MODES:
        raise MapError(f'map {path}: unknown mode {mode!r}; valid: {", ".join(MODES)}')
    return {'image': image, 'resolution': resolution,
            'origin': tuple(float(v) for v in origin), 'negate': bool(negate),
            'occupied_thresh': occ_t, 'free_thresh': free_t, 'mode': mode,
            'start': _cell(doc, 'start', path), 'goal': _cell(doc, 'goal', path)}


def load_occupancy(path: str) -> Tuple[np.ndarray, Dict[str, Any]]:
    """Return ``(data, settings)``: OccupancyGrid values int8 (height, width), row 0 = bottom."""
    settings = read_map_yaml(path)
    pixels, has_alpha = read_image(settings['image'])
    data = occupancy_from_pixels(pixels, has_alpha, settings['mode'], settings['negate'],
                                 settings['occupied_thresh'], settings['free_thresh'])
    return np.ascontiguousarray(data[::-1]), settings


def load_map(path: str) -> GridMap:
    """Load a nav2 map_server YAML (and its image) as a :class:`GridMap`.

    Only cells with OccupancyGrid value 0 are free. ``start``/``goal`` keys, when present,
    must name free cells inside the map.
    """
    path = str(path)
    data, settings = load_occupancy(path)
    name = os.path.splitext(os.path.basename(path))[0]
    try:
        grid = GridMap(data != 0, settings['resolution'], settings['origin'], name,
                       settings['start'], settings['goal'])
    except ValueError as exc:
        raise MapError(f'map {path}: {exc}') from None
    for label in ('start', 'goal'):
        cell = getattr(grid, label)
        if cell is not None and not grid.is_free(cell):
            raise MapError(f'map {path}: {label} {cell} is on a blocked cell')
    return grid


# --- saving ------------------------------------------------------------------------------------
def _fmt(value: float) -> str:
    """Format a float for YAML so that it reads back as a float (never ``1e-3``)."""
    text = repr(float(value))
    return text if 'e' not in text else f'{value:.12f}'.rstrip('0')


def save_map(grid: GridMap, yaml_path: str) -> str:
    """Write ``grid`` as a trinary nav2 map: ``<stem>.pgm`` (P5) next to ``yaml_path``.

    Free cells are 254, blocked ones 0 (nav2 map_saver values); thresholds are 0.65/0.25.
    Start and goal, when set, are written as ``[mx, my]``. Return the image path.
    """
    yaml_path = str(yaml_path)
    stem = os.path.splitext(os.path.basename(yaml_path))[0]
    image_path = os.path.join(os.path.dirname(os.path.abspath(yaml_path)), stem + '.pgm')
    pixels = np.where(grid.blocked[::-1], OCCUPIED_PIXEL, FREE_PIXEL).astype(np.uint8)
    with open(image_path, 'wb') as handle:
        handle.write(f'P5\n{grid.width} {grid.height}\n255\n'.encode('ascii'))
        handle.write(pixels.tobytes())
    lines = [f'image: {stem}.pgm',
             'mode: trinary',
             f'resolution: {_fmt(grid.resolution)}',
             'origin: [' + ', '.join(_fmt(v) for v in grid.origin) + ']',
             'negate: 0',
             f'occupied_thresh: {_fmt(SAVE_OCCUPIED_THRESH)}',
             f'free_thresh: {_fmt(SAVE_FREE_THRESH)}']
    for label in ('start', 'goal'):
        cell = getattr(grid, label)
        if cell is not None:
            lines.append(f'{label}: [{cell[0]}, {cell[1]}]  # [mx, my] cell indices')
    with open(yaml_path, 'w', encoding='utf-8') as handle:
        handle.write('\n'.join(lines) + '\n')
    return image_path
