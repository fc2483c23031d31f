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
"""Episodes in the grid world (docs/architecture.md, "The task") and start/goal scenarios.

One step is one action; a move into a wall or the border keeps the agent in place and still
costs a step. The reward is 1.0 on reaching the goal and 0.0 otherwise; an episode ends at the
goal or when ``budget`` steps have been taken.
"""
import json
import time
from typing import List, NamedTuple, Optional, Tuple, TYPE_CHECKING

import numpy as np

from snan_nav.world.bfs import as_cell_id, CellLike, distances, largest_component
from snan_nav.world.grid import Cell, GridMap, Observation

if TYPE_CHECKING:  # the world layer does not import the agents layer at run time
    from snan_nav.agents.base import Agent

GOAL_REWARD = 1.0
Pair = Tuple[Cell, Cell]


class EpisodeResult(NamedTuple):
    """Outcome of one episode.

    ``steps``: actions taken; ``success``: goal reached within the budget; ``cells``: int32
    cell ids visited, start included (``steps + 1`` entries); ``seconds``: wall time of the
    decision loop (agent act/observe plus world steps), in seconds.
    """

    steps: int
    success: bool
    cells: np.ndarray
    seconds: float = 0.0


class GridWorld:
    """A fixed start and goal on a :class:`GridMap`, with a step budget per episode."""

    def __init__(self, grid: GridMap, start: CellLike, goal: CellLike,
                 budget: Optional[int] = None):
        self.grid = grid
        self.start = as_cell_id(grid, start)
        self.goal = as_cell_id(grid, goal)
        for label, cid in (('start', self.start), ('goal', self.goal)):
            if grid.blocked.flat[cid]:
                raise ValueError(f'{label} {grid.cell_of(cid)} is on a blocked cell')
        if self.start == self.goal:
            raise ValueError(f'start and goal are the same cell {grid.cell_of(self.start)}')
        self.budget = 4 * grid.free_count() if budget is None else int(budget)
        if self.budget < 1:
            raise ValueError(f'budget must be >= 1 step, got {budget}')
        table = grid.neighbour_table()
        table.setflags(write=False)
        self.table = table
        self.cell = self.start
        self.steps = 0
        self.done = True

    def set_grid(self, grid: GridMap) -> None:
        """Use an updated map of the same geometry from now on (cell ids, start, goal stay).

        Raises ``ValueError`` for a map of another size. The caller decides what a blocked
        start, goal or current cell means for the running episode.
        """
        if grid.blocked.shape != self.grid.blocked.shape:
            raise ValueError(f'the updated map is {grid.width}x{grid.height} cells, the world '
                             f'{self.grid.width}x{self.grid.height}')
        table = grid.neighbour_table()
        table.setflags(write=False)
        self.grid = grid
        self.table = table

    def observation(self) -> Observation:
        """Return the partial observation at the current cell (a read-only view)."""
        return Observation(self.cell, self.table[self.cell])

    def reset(self) -> Observation:
        """Put the agent on the start cell and return its observation."""
        self.cell = self.start
        self.steps = 0
        self.done = False
        return self.observation()

    def step(self, action: int) -> Tuple[Observation, float, bool, bool]:
        """Apply ``action`` (0..3); return ``(obs, reward, done, reached)``."""
        if self.done:
            raise RuntimeError('the episode is over: call reset() first')
        a = int(action)
        if not 0 <= a <= 3:
            raise ValueError(f'action must be 0..3 (N, E, S, W), got {action!r}')
        nxt = int(self.table[self.cell, a])
        if nxt >= 0:
            self.cell = nxt
        self.steps += 1
        reached = self.cell == self.goal
        self.done = reached or self.steps >= self.budget
        return self.observation(), (GOAL_REWARD if reached else 0.0), self.done, reached


def run_episode(agent: 'Agent', world: GridWorld) -> EpisodeResult:
    """Run one episode of ``agent`` in ``world`` (life cycle of :mod:`snan_nav.agents.base`)."""
    obs = world.reset()
    agent.begin_episode(obs)
    # grown by doubling, not sized by the budget: a budget of 2**31 steps would reserve 8 GiB
    cells = np.empty(min(world.budget + 1, 4 * world.grid.n_cells + 1), dtype=np.int32)
    cells[0] = obs.cell
    reached = False
    done = False
    t0 = time.perf_counter()
    while not done:
        action = agent.act(obs)
        obs, reward, done, reached = world.step(action)
        agent.observe(action, obs, reward, done)
        if world.steps >= cells.size:
            cells = np.concatenate((cells, np.empty_like(cells)))
        cells[world.steps] = obs.cell
    seconds = time.perf_counter() - t0
    agent.end_episode(reached)
    return EpisodeResult(world.steps, reached, cells[:world.steps + 1].copy(), seconds)


def scenario_pairs(grid: GridMap, n: int, seed: int = 0) -> List[Pair]:
    """Return ``n`` seeded ``((mx, my), (mx, my))`` start/goal pairs, start != goal.

    Both cells are drawn uniformly from the largest connected free component.
    """
    ids = np.flatnonzero(largest_component(grid))
    if ids.size < 2:
        raise ValueError(f'map {grid.name or "?"} has no two connected free cells')
    if n < 1:
        raise ValueError(f'the number of pairs must be >= 1, got {n}')
    rng = np.random.default_rng(seed)
    pairs = []
    for _ in range(n):
        s, g = rng.choice(ids, size=2, replace=False)
        pairs.append((grid.cell_of(s), grid.cell_of(g)))
    return pairs


def _json_cell(entry, key: str, where: str) -> Cell:
    cell = entry.get(key) if isinstance(entry, dict) else None
    if not isinstance(cell, dict):
        raise ValueError(f'{where}: "{key}" must be an object {{"mx": X, "my": Y}}')
    try:
        mx, my = cell['mx'], cell['my']
    except KeyError:
        raise ValueError(f'{where}: "{key}" needs integer "mx" and "my"') from None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (mx, my)):
        raise ValueError(f'{where}: "{key}" mx/my must be integers, got {mx!r}, {my!r}')
    return mx, my


def validate_pair(grid: GridMap, start: Cell, goal: Cell, where: str = 'pair') -> None:
    """Raise ValueError unless start and goal are distinct, free and connected."""
    for label, cell in (('start', start), ('goal', goal)):
        if not grid.in_bounds(cell):
            raise ValueError(f'{where}: {label} {cell} is outside the '
                             f'{grid.width}x{grid.height} map')
        if not grid.is_free(cell):
            raise ValueError(f'{where}: {label} {cell} is on a blocked cell')
    if start == goal:
        raise ValueError(f'{where}: start and goal are the same cell {start}')
    if distances(grid, start)[grid.cell_id(goal)] < 0:
        raise ValueError(f'{where}: goal {goal} cannot be reached from start {start}')


class Leg(NamedTuple):
    """One leg of a goal sequence: ``episodes`` episodes from ``start`` to ``goal``."""

    start: Cell
    goal: Cell
    episodes: int


class Scenarios(NamedTuple):
    """A scenario file: start/goal ``pairs`` or goal ``sequences`` (exactly one is set)."""

    pairs: Optional[List[Pair]] = None
    sequences: Optional[List[List[Leg]]] = None


LEG_KEYS = ('start', 'goal', 'episodes')
#: Most episodes of one run or leg (the headless runners reserve their step counts up front).
MAX_EPISODES = 1_000_000


def _read_json(path: str):
    try:
        with open(path, 'r', encoding='utf-8') as handle:
            return json.load(handle)
    except OSError as exc:
        raise ValueError(f'cannot read scenario file {path}: {exc.strerror}') from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f'scenario file {path} is not valid JSON ({exc})') from None


def _cell_strict(entry: dict, key: str, where: str) -> Cell:
    extra = set(entry[key]) - {'mx', 'my'} if isinstance(entry.get(key), dict) else set()
    if extra:
        raise ValueError(f'{where}: "{key}" has unknown key(s) {sorted(extra)}; only "mx", '
                         f'"my"')
    return _json_cell(entry, key, where)


def _parse_leg(entry, grid: GridMap, where: str) -> Leg:
    if not isinstance(entry, dict):
        raise ValueError(f'{where}: a leg must be an object with {", ".join(LEG_KEYS)}')
    unknown = sorted(set(entry) - set(LEG_KEYS))
    missing = [k for k in LEG_KEYS if k not in entry]
    if unknown or missing:
        raise ValueError(f'{where}: ' + '; '.join(
            ([f'unknown key(s) {unknown}'] if unknown else [])
            + ([f'missing key(s) {missing}'] if missing else []))
            + f' (a leg has exactly {", ".join(LEG_KEYS)})')
    start, goal = _cell_strict(entry, 'start', where), _cell_strict(entry, 'goal', where)
    episodes = entry['episodes']
    if (not isinstance(episodes, int) or isinstance(episodes, bool)
            or not 1 <= episodes <= MAX_EPISODES):
        raise ValueError(f'{where}: "episodes" must be an integer in [1, {MAX_EPISODES}], '
                         f'got {episodes!r}')
    validate_pair(grid, start, goal, where)
    return Leg(start, goal, episodes)


def _parse_sequences(doc, path: str, grid: GridMap) -> List[List[Leg]]:
    sequences = doc['sequences']
    if not isinstance(sequences, list) or not sequences:
        raise ValueError(f'scenario file {path}: "sequences" must be a non-empty list of '
                         'sequences (lists of legs)')
    out = []
    for s, legs in enumerate(sequences):
        if not isinstance(legs, list) or not legs:
            raise ValueError(f'scenario file {path}, sequence {s}: must be a non-empty list '
                             'of legs')
        out.append([_parse_leg(leg, grid, f'scenario file {path}, sequence {s}, leg {i}')
                    for i, leg in enumerate(legs)])
    for s, legs in enumerate(out):
        for i, leg in enumerate(legs):
            first = next(seq[i] for seq in out if len(seq) > i)
            if leg.episodes != first.episodes:
                raise ValueError(
                    f'scenario file {path}, sequence {s}, leg {i}: {leg.episodes} episodes, '
                    f'but an earlier sequence has {first.episodes} in leg {i} (legs with the '
                    'same index are reported together and need the same episode count)')
    return out


def load_scenario_file(path: str, grid: GridMap) -> Scenarios:
    """Read a scenario file with either ``"pairs"`` or ``"sequences"``.

    ``{"pairs": [{"start": {"mx", "my"}, "goal": {...}}, ...]}`` (other keys are ignored) or
    ``{"sequences": [[{"start": {...}, "goal": {...}, "episodes": N}, ...], ...]}`` (checked
    strictly: a leg has exactly these keys, ``episodes`` >= 1, and legs with the same index
    have the same episode count). Raise ValueError naming the file, the sequence and leg (or
    pair) and the problem; cells must be on the map, free, and the goal reachable.
    """
    doc = _read_json(path)
    if isinstance(doc, dict) and 'sequences' in doc:
        if 'pairs' in doc:
            raise ValueError(f'scenario file {path} has both "pairs" and "sequences"; use '
                             'one per file')
        return Scenarios(sequences=_parse_sequences(doc, path, grid))
    return Scenarios(pairs=_parse_pairs(doc, path, grid))


def load_scenarios(path: str, grid: GridMap) -> List[Pair]:
    """Read start/goal pairs from JSON ``{"pairs": [{"start": {"mx", "my"}, "goal": ...}]}``.

    Other keys are ignored. Raise ValueError naming the file and the problem when the file is
    unreadable or malformed, or a cell is off the map, blocked, or the goal is unreachable.
    """
    return _parse_pairs(_read_json(path), path, grid)


def _parse_pairs(doc, path: str, grid: GridMap) -> List[Pair]:
    pairs = doc.get('pairs') if isinstance(doc, dict) else None
    if not isinstance(pairs, list) or not pairs:
        raise ValueError(f'scenario file {path} needs a non-empty list "pairs" (or '
                         '"sequences")')
    out = []
    for i, entry in enumerate(pairs):
        where = f'scenario file {path}, pair {i}'
        start, goal = _json_cell(entry, 'start', where), _json_cell(entry, 'goal', where)
        validate_pair(grid, start, goal, where)
        out.append((start, goal))
    return out
