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
"""Generated map families: determinism, family properties and ``gen:`` specs."""
import numpy as np
import pytest

from snan_nav.world import generators
from snan_nav.world.bfs import connected_components
from snan_nav.world.builtin import resolve_map
from snan_nav.world.generators import (
    FAMILIES, generate, GENERATORS, layout, Layout, map_spec, parse_spec)
from snan_nav.world.grid import GridMap
from snan_nav.world.map_io import MapError
from snan_nav.world.room_layouts import office_layout


def components(blocked):
    return connected_components(GridMap(blocked))[1]


def box_sums(mask, side):
    """Number of True cells in every side x side window (lower-left corner indexed)."""
    c = np.pad(mask.astype(np.int32).cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    return c[side:, side:] - c[:-side, side:] - c[side:, :-side] + c[:-side, :-side]


def largest_free_square(free):
    best = np.zeros((free.shape[0] + 1, free.shape[1] + 1), dtype=np.int32)
    for y in range(free.shape[0]):
        for x in range(free.shape[1]):
            if free[y, x]:
                best[y + 1, x + 1] = 1 + min(best[y, x], best[y + 1, x], best[y, x + 1])
    return int(best.max())


@pytest.mark.parametrize('family', FAMILIES)
def test_families_are_deterministic_connected_and_roomy(family):
    for size, seed in ((16, 0), (37, 5), (64, 11)):
        grid = generate(family, size, seed)
        assert grid.blocked.shape == (size, size)
        assert grid.name == f'gen:{family}:{size}:{seed}'
        assert np.array_equal(generate(family, size, seed).blocked, grid.blocked)
        assert np.array_equal(GENERATORS[family](size, seed).blocked, grid.blocked)
        assert components(grid.blocked) == 1  # every free cell in one component
        assert grid.free_count() >= 0.25 * size * size
        drawn = layout(family, size, seed)
        assert np.array_equal(~drawn.keep, grid.blocked)
        assert not (drawn.keep & drawn.blocked).any()  # the cut only removes free cells
    assert not np.array_equal(generate(family, 32, 1).blocked, generate(family, 32, 2).blocked)


@pytest.mark.parametrize('family, density', [('random10', 0.1), ('random20', 0.2),
                                             ('random30', 0.3)])
def test_random_density_before_the_cut(family, density):
    for seed in range(3):
        raw = layout(family, 64, seed).blocked
        # 4096 cells: the standard deviation of the density is <= 0.0072, 0.025 is > 3 sd
        assert abs(raw.mean() - density) < 0.025
        assert components(raw) >= 1


@pytest.mark.parametrize('width', [1, 2, 3])
@pytest.mark.parametrize('size', [16, 33, 64])
def test_maze_corridors_and_walls_are_width_cells_wide(width, size):
    drawn = layout(f'maze{width}', size, 4)
    free = ~drawn.blocked
    assert np.array_equal(drawn.keep, free)  # a maze is connected: nothing cut
    # corridors: no free square wider than the corridor, and every free cell in a full one
    assert largest_free_square(free) == width
    cover = np.zeros_like(free)
    for y, x in zip(*np.nonzero(box_sums(free, width) == width * width)):
        cover[y:y + width, x:x + width] = True
    assert np.array_equal(cover, free)
    # walls: the map is a perfect maze scaled by width (a tree on the coarse cells)
    m = (size // width) - (1 - (size // width) % 2)
    base = drawn.blocked[:m * width:width, :m * width:width]
    assert np.array_equal(np.kron(base, np.ones((width, width), dtype=bool)),
                          drawn.blocked[:m * width, :m * width])
    assert drawn.blocked[m * width:, :].all() and drawn.blocked[:, m * width:].all()
    open_base = ~base
    edges = (open_base[:, 1:] & open_base[:, :-1]).sum() + \
        (open_base[1:, :] & open_base[:-1, :]).sum()
    assert edges == open_base.sum() - 1


def test_cave_and_open_layouts():
    for seed in range(4):
        cave = layout('cave', 48, seed)
        assert cave.blocked[[0, -1], :].all() and cave.blocked[:, [0, -1]].all()
        assert 0.25 <= cave.keep.mean() < 0.9
        opened = layout('open', 48, seed).blocked
        # target density 2-5 %; the last obstacle may overshoot by up to 3 cells
        assert 0.02 <= opened.mean() <= 0.05 + 3 / 48 ** 2


def test_a_too_small_component_is_redrawn_then_refused(monkeypatch):
    drawn = [layout('cave', 16, seed) for seed in range(40)]
    assert all(d.keep.mean() >= 0.25 for d in drawn)
    assert any(d.attempt > 0 for d in drawn)  # the redraw path is taken (seeded, so certain)
    monkeypatch.setattr(generators, 'MIN_FREE_FRACTION', 0.999)
    with pytest.raises(ValueError, match='no draw in 20'):
        layout('random30', 16, 0)


def room_doors(drawn):
    """Map each free cell outside every room to the set of rooms it touches."""
    owner = np.full(drawn.blocked.shape, -1)
    for i, (x0, y0, x1, y1) in enumerate(drawn.rooms):
        assert (owner[y0:y1 + 1, x0:x1 + 1] == -1).all()  # rooms do not overlap
        assert not drawn.blocked[y0:y1 + 1, x0:x1 + 1].any()  # room interiors are free
        owner[y0:y1 + 1, x0:x1 + 1] = i
    h, w = owner.shape
    doors = {}
    for y, x in zip(*np.nonzero(~drawn.blocked & (owner < 0))):
        near = {int(owner[y + dy, x + dx]) for dx, dy in ((0, 1), (1, 0), (0, -1), (-1, 0))
                if 0 <= x + dx < w and 0 <= y + dy < h and owner[y + dy, x + dx] >= 0}
        if near:
            doors[(x, y)] = frozenset(near)
    return owner, doors


@pytest.mark.parametrize('size, seed', [(16, 0), (45, 1), (64, 2)])
def test_rooms_have_sides_6_to_10_and_1_or_2_doors_per_shared_wall(size, seed):
    drawn = layout('rooms', size, seed)
    owner, doors = room_doors(drawn)
    assert len(drawn.rooms) >= 4
    assert (owner >= 0).sum() + len(doors) == (~drawn.blocked).sum()  # no other free cells
    for x0, y0, x1, y1 in drawn.rooms:
        assert 6 <= x1 - x0 + 1 <= 10 and 6 <= y1 - y0 + 1 <= 10
    per_wall = {}
    for touching in doors.values():
        assert len(touching) == 2  # every door joins two rooms
        per_wall[touching] = per_wall.get(touching, 0) + 1
    shared = set()
    for i, (ax0, ay0, ax1, ay1) in enumerate(drawn.rooms):
        for j, (bx0, by0, bx1, by1) in enumerate(drawn.rooms):
            if (bx0 == ax1 + 2 and (ay0, ay1) == (by0, by1)) or \
                    (by0 == ay1 + 2 and (ax0, ax1) == (bx0, bx1)):
                shared.add(frozenset((i, j)))
    assert set(per_wall) == shared
    assert set(per_wall.values()) <= {1, 2}
    assert np.array_equal(drawn.keep, ~drawn.blocked)  # connected as drawn


@pytest.mark.parametrize('size, seed', [(16, 0), (16, 3), (40, 5), (64, 6), (101, 7)])
def test_office_rooms_have_one_corridor_door_and_some_inner_doors(size, seed):
    drawn = layout('office', size, seed)
    owner, doors = room_doors(drawn)
    corridor = ~drawn.blocked & (owner < 0)
    for cell in doors:
        corridor[cell[1], cell[0]] = False
    assert components(~corridor) == 1  # corridors and spine form one network
    corridor_doors = [next(iter(t)) for t in doors.values() if len(t) == 1]
    assert sorted(corridor_doors) == list(range(len(drawn.rooms)))  # exactly one per room
    assert any(len(t) == 2 for t in doors.values())  # some rooms are joined to each other
    for x0, y0, x1, y1 in drawn.rooms:
        assert 3 <= min(x1 - x0, y1 - y0) + 1 and max(x1 - x0, y1 - y0) + 1 <= 8
    assert np.array_equal(drawn.keep, ~drawn.blocked)


@pytest.mark.parametrize('probability', [0.0, 1.0])
def test_office_inner_doors_follow_the_link_probability_with_at_least_one(probability):
    for seed in range(3):
        blocked, rooms = office_layout(40, np.random.default_rng(seed),
                                       link_probability=probability)
        _, doors = room_doors(Layout(blocked, ~blocked, tuple(rooms), 0))
        links = sum(len(t) == 2 for t in doors.values())
        # corridors run along mx when the corridor doors sit above or below their rooms
        (x, y), (room,) = next((c, t) for c, t in doors.items() if len(t) == 1)
        along_mx = y in (rooms[room][1] - 1, rooms[room][3] + 1)
        lo, hi = (0, 2) if along_mx else (1, 3)  # the axis along the corridor
        neighbours = sum(1 for a in rooms for b in rooms  # rooms of one band, side by side
                         if b[lo] == a[hi] + 2 and a[1 - lo] == b[1 - lo]
                         and a[3 - lo] == b[3 - lo])
        assert links == (1 if probability == 0.0 else neighbours)


@pytest.mark.parametrize('size', [15, 129, 0, 16.0, True])
def test_sizes_outside_16_to_128_are_refused(size):
    with pytest.raises(ValueError, match=r'16\.\.128'):
        generate('rooms', size, 0)


@pytest.mark.parametrize('spec, reason', [
    ('gen:nope:16:1', "unknown map family 'nope'"), ('gen:rooms:15:1', 'got 15'),
    ('gen:rooms:200:1', 'got 200'), ('gen:rooms:16:4294967296', 'got 4294967296'),
    ('gen:rooms:16', 'expected'), ('gen:rooms:16:x', 'expected'), ('gen:rooms:16:-1', 'expected'),
    ('gen:', 'expected'), ('gen:Rooms:16:1', 'expected'), ('gen:rooms:16:1:2', 'expected')])
def test_bad_specs_say_why_and_name_the_valid_families(spec, reason):
    with pytest.raises(MapError) as info:
        resolve_map(spec)
    message = str(info.value)
    assert '\n' not in message and repr(spec) in message and reason in message
    assert ', '.join(FAMILIES) in message


def test_specs_round_trip_through_resolve_map():
    spec = map_spec('office', 24, 9)
    assert parse_spec(spec) == ('office', 24, 9)
    grid = resolve_map(spec, seed=123)  # a gen: spec carries its own seed
    assert grid.name == spec
    assert np.array_equal(grid.blocked, generate('office', 24, 9).blocked)
    assert grid.is_free(grid.start) and grid.is_free(grid.goal)
