#!/usr/bin/env python3
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
"""Generate maps/building.yaml + maps/building.pgm: an office building as nav2 would map it.

32 m x 18 m of building on a 34 m x 20 m canvas at 0.05 m per pixel: a 2 m east-west corridor
with offices of different sizes, a washroom, a meeting room, a kitchen and an 11 m open hall
with pillars; exterior walls 0.2 m, partitions 0.1-0.15 m, doors 0.9 m, desks, cabinets and
tables; unknown (205 grey) outside the building, as map_saver writes it (free_thresh 0.196).

Everything is drawn in pixels of the map frame (row 0 at the bottom, REP-103) from the tables
below; there is no randomness, so a rerun writes identical bytes. Doors sit on the 0.4 m
lattice of the default planning grid (robot radius 0.2 m: 8-pixel planning cells, 4 pixels of
inflation): a 0.9 m door leaves 0.5 m after inflation, which holds a whole 0.4 m planning cell
only when it is aligned with the lattice (door start 2, 3 or 4 mod 8 pixels; we use 4).

Usage: ``python3 scripts/make_building_map.py [--out maps/building.yaml]``.
"""
import argparse
import os
import sys
from typing import Dict, Tuple

import numpy as np

RESOLUTION = 0.05                   # m per pixel
ORIGIN = (-1.0, -1.0, 0.0)          # map frame pose of pixel (0, 0)'s lower-left corner
WIDTH_PX, HEIGHT_PX = 680, 400      # 34 m x 20 m canvas
FREE, OCCUPIED, UNKNOWN = 254, 0, 205
DOOR_PX = 18                        # 0.9 m
BUILDING = (20, 20, 660, 380)       # outer walls, [x0, y0, x1, y1) pixels
CORRIDOR = (24, 170, 656, 210)
SOUTH_WALL = (167, 170)             # rows of the corridor's south wall (0.15 m)
NORTH_WALL = (210, 213)             # rows of its north wall

Rect = Tuple[int, int, int, int]
#: Room interiors [x0, y0, x1, y1) pixels; the walls are what lies between them.
ROOMS: Dict[str, Rect] = {
    'office_s1': (24, 24, 104, 167),
    'office_s2': (107, 24, 171, 167),
    'office_s3': (174, 24, 270, 167),
    'washroom': (272, 24, 332, 167),
    'office_s5': (335, 24, 433, 167),
    'hall': (436, 24, 656, 167),
    'office_n1': (24, 213, 120, 376),
    'office_n2': (123, 213, 195, 376),
    'office_n3': (198, 213, 270, 376),
    'meeting': (273, 213, 393, 376),
    'kitchen': (396, 213, 460, 376),
    'office_n6': (463, 213, 559, 376),
    'office_n7': (562, 213, 656, 376),
}
#: Door start columns (pixels) in the corridor wall of each room.
DOORS: Dict[str, Tuple[int, ...]] = {
    'office_s1': (76,), 'office_s2': (140,), 'office_s3': (180,), 'washroom': (292,),
    'office_s5': (404,), 'hall': (460, 620), 'office_n1': (92,), 'office_n2': (132,),
    'office_n3': (244,), 'meeting': (284, 364), 'kitchen': (420,), 'office_n6': (532,),
    'office_n7': (572,),
}
#: Furniture and pillars, [x0, y0, x1, y1) pixels, all clear of the room centres.
FURNITURE: Tuple[Rect, ...] = (
    (32, 24, 64, 40), (24, 110, 42, 150),           # office_s1: desk, cabinet
    (115, 24, 147, 40),                             # office_s2: desk
    (180, 24, 212, 40), (230, 24, 262, 40),         # office_s3: two desks
    (252, 120, 270, 160),                           # office_s3: shelf
    (272, 24, 290, 80), (314, 24, 332, 80),         # washroom: stalls
    (350, 24, 382, 40), (415, 60, 433, 110),        # office_s5: desk, cabinet
    (492, 64, 500, 72), (492, 120, 508, 128),       # hall: pillars
    (592, 64, 600, 72), (592, 120, 600, 128),
    (600, 30, 640, 48), (450, 30, 490, 48),         # hall: sofas
    (30, 356, 62, 376), (102, 250, 120, 300),       # office_n1: desk, cabinet
    (130, 356, 162, 376),                           # office_n2: desk
    (210, 356, 242, 376),                           # office_n3: desk
    (300, 270, 318, 318), (348, 270, 366, 318),     # meeting: two tables
    (396, 360, 460, 376),                           # kitchen: counter
    (470, 356, 502, 376), (520, 356, 552, 376),     # office_n6: desks
    (600, 356, 632, 376), (638, 240, 656, 300),     # office_n7: desk, cabinet
)
START_ROOM, GOAL_ROOM = 'office_s1', 'hall'


def room_centre_px(name: str) -> Tuple[int, int]:
    """Return the pixel ``(mx, my)`` at the centre of room ``name``'s interior."""
    x0, y0, x1, y1 = ROOMS[name]
    return (x0 + x1) // 2, (y0 + y1) // 2


def room_centres_m() -> Dict[str, Tuple[float, float]]:
    """Return the map-frame centre ``(x, y)`` in metres of every room and of the corridor."""
    centres = {name: room_centre_px(name) for name in ROOMS}
    centres['corridor'] = ((CORRIDOR[0] + CORRIDOR[2]) // 2, (CORRIDOR[1] + CORRIDOR[3]) // 2)
    return {name: (ORIGIN[0] + (mx + 0.5) * RESOLUTION, ORIGIN[1] + (my + 0.5) * RESOLUTION)
            for name, (mx, my) in centres.items()}


def _fill(cells: np.ndarray, rect: Rect, value: int) -> None:
    x0, y0, x1, y1 = rect
    cells[y0:y1, x0:x1] = value


def render() -> np.ndarray:
    """Return the map as uint8 pixel values ``[my, mx]`` (row 0 at the bottom)."""
    cells = np.full((HEIGHT_PX, WIDTH_PX), UNKNOWN, dtype=np.uint8)
    _fill(cells, BUILDING, OCCUPIED)
    _fill(cells, CORRIDOR, FREE)
    for rect in ROOMS.values():
        _fill(cells, rect, FREE)
    for name, starts in DOORS.items():
        rows = SOUTH_WALL if ROOMS[name][1] < CORRIDOR[1] else NORTH_WALL
        for start in starts:
            _fill(cells, (start, rows[0], start + DOOR_PX, rows[1]), FREE)
    for rect in FURNITURE:
        _fill(cells, rect, OCCUPIED)
    return cells


def yaml_text(image_name: str) -> str:
    """Return the nav2 map_server YAML of the map (start and goal as [mx, my] pixels)."""
    start, goal = room_centre_px(START_ROOM), room_centre_px(GOAL_ROOM)
    return (f'image: {image_name}\n'
            'mode: trinary\n'
            f'resolution: {RESOLUTION}\n'
            f'origin: [{ORIGIN[0]}, {ORIGIN[1]}, {ORIGIN[2]}]\n'
            'negate: 0\n'
            'occupied_thresh: 0.65\n'
            'free_thresh: 0.196\n'
            f'start: [{start[0]}, {start[1]}]  # [mx, my] cells, centre of {START_ROOM}\n'
            f'goal: [{goal[0]}, {goal[1]}]  # [mx, my] cells, centre of the {GOAL_ROOM}\n')


def write(yaml_path: str) -> str:
    """Write ``yaml_path`` and ``<stem>.pgm`` (binary P5) beside it; return the image path."""
    stem = os.path.splitext(os.path.basename(yaml_path))[0]
    image_path = os.path.join(os.path.dirname(os.path.abspath(yaml_path)), stem + '.pgm')
    pixels = render()[::-1]  # image row 0 is the top of the map
    with open(image_path, 'wb') as handle:
        handle.write(f'P5\n{WIDTH_PX} {HEIGHT_PX}\n255\n'.encode('ascii'))
        handle.write(pixels.tobytes())
    with open(yaml_path, 'w', encoding='ascii') as handle:
        handle.write(yaml_text(stem + '.pgm'))
    return image_path


def main(argv=None) -> int:
    """Command line entry point."""
    default = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           'maps', 'building.yaml')
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=default, help='YAML path to write (default: %(default)s)')
    args = parser.parse_args(argv)
    image = write(args.out)
    print(f'wrote {args.out} and {image} ({WIDTH_PX}x{HEIGHT_PX} px, {RESOLUTION} m/px)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
