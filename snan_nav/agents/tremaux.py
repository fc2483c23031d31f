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
"""Trémaux / depth-first explorer baseline (the classical exploration bound), with a goal cue.

Trémaux marks every passage it walks: once on the way in, twice when it backs out of a dead
end; it never enters a twice-marked passage, and the once-marked passages always form the path
from the entrance to where it stands (its DFS stack). Here the observation names the cell each
move leads to, so the marks can sit on cells: the explorer never steps into a cell it has
visited except to back out along its stack, which is Trémaux's rule without the wasted
walk-in-and-turn-back. It learns the neighbour ids of every cell it stands on (only from
observations) and nothing else.

Its known graph: the cells it has stood on, with their neighbour ids; a cell is *seen* when it
was stood on or observed as a neighbour of such a cell. Memory persists across the episodes of
one run: the known graph, the stack and, once rewarded there, the goal. An episode walks a
shortest route over the known graph to its destination, then explores depth-first:

- with a goal cue (:meth:`TremauxAgent.cue_goal`) the destination is the cued cell as soon as
  it is seen (at the episode start or during exploration; the last hop may enter it without
  having stood on it); until then it explores from its stack top;
- without a cue, or after the cued cell paid no reward in this episode (a wrong cue), the goal
  where it was rewarded before, else the top of its stack.

A walk that ends elsewhere than on the stack top (a cued cell or remembered goal that paid no
reward) is followed by a walk back to the stack top, so the depth-first search resumes where
it stopped; a remembered goal that paid nothing is forgotten. An episode that starts on a cell
it has never stood on clears the memory (the stack would not lead there).
"""
from collections import deque
from typing import Deque, Dict, List, Optional

import numpy as np

from snan_nav.agents.base import Agent
from snan_nav.agents.memory_arrays import check_range, checked_memory
from snan_nav.world.grid import Observation


class TremauxAgent(Agent):
    """Depth-first explorer with persistent marks; random order among unmarked moves."""

    name = 'tremaux'
    uses_goal_cue = True

    def __init__(self, n_cells: int, seed: int = 0):
        if int(n_cells) < 1:
            raise ValueError(f'n_cells must be >= 1, got {n_cells}')
        self.n_cells = int(n_cells)
        self.rng = np.random.default_rng(seed)
        self.known: Dict[int, tuple] = {}
        self.seen: set = set()
        self.stack: List[int] = []
        self.goal: Optional[int] = None
        self.cue: Optional[int] = None
        self.moves: Deque[int] = deque()
        self._target: Optional[int] = None
        self._planned = False
        self._cue_missed = False

    def _remember(self, obs: Observation) -> None:
        if obs.cell not in self.known:
            nbrs = tuple(int(n) for n in obs.neighbours)
            self.known[obs.cell] = nbrs
            self.seen.add(obs.cell)
            self.seen.update(n for n in nbrs if n >= 0)

    def cue_goal(self, goal_cell: Optional[int]) -> None:
        """Walk to ``goal_cell`` whenever it is seen (None withdraws the cue)."""
        if goal_cell is not None:
            goal_cell = int(goal_cell)
            if not 0 <= goal_cell < self.n_cells:
                raise ValueError(f'goal cue {goal_cell} is outside the {self.n_cells} cells')
        self.cue = goal_cell
        self._cue_missed = False
        self.moves.clear()

    def route(self, source: int, target: int) -> List[int]:
        """Return the actions of a shortest path source->target over the known graph, or [].

        Inner cells of the path are cells stood on; ``target`` only has to be seen.
        """
        parents = {source: (None, None)}
        queue = deque([source])
        while queue and target not in parents:
            cell = queue.popleft()
            for a, nxt in enumerate(self.known[cell]):
                if nxt >= 0 and nxt not in parents and (nxt in self.known or nxt == target):
                    parents[nxt] = (cell, a)
                    queue.append(nxt)
        if target not in parents:
            return []
        actions = []
        cell = target
        while cell != source:
            cell, a = parents[cell]
            actions.append(a)
        return actions[::-1]

    def _walk_to(self, source: int, target: Optional[int]) -> None:
        self.moves = deque(self.route(source, target)) if target is not None else deque()
        self._target = target if self.moves else None

    def _cued(self) -> bool:
        return self.cue is not None and not self._cue_missed and self.cue in self.seen

    def _destination(self) -> Optional[int]:
        """Return the cell to walk to: the cue, else the rewarded goal, else the stack top."""
        top = self.stack[-1] if self.stack else None
        if self.cue is not None and not self._cue_missed:
            return self.cue if self.cue in self.seen else top
        return self.goal if self.goal is not None else top

    def begin_episode(self, obs: Observation) -> None:
        """Keep the memory if the start was stood on before; plan to the destination."""
        if obs.cell not in self.known:
            self.known.clear()
            self.seen.clear()
            self.stack = [obs.cell]
            self.goal = None
        self._remember(obs)
        self._cue_missed = False
        self._planned = False
        self._walk_to(obs.cell, self._destination())

    def act(self, obs: Observation) -> int:
        """Follow the plan, else take an unmarked move, else back out along the stack."""
        self._remember(obs)
        if not self.moves and (self._cued() or self._planned):
            self._walk_to(obs.cell, self._destination())
        self._planned = bool(self.moves)
        if self.moves:
            return int(self.moves.popleft())
        nbrs = self.known[obs.cell]
        fresh = [a for a in range(4) if nbrs[a] >= 0 and nbrs[a] not in self.known]
        if fresh:
            return int(fresh[self.rng.integers(len(fresh))] if len(fresh) > 1 else fresh[0])
        if len(self.stack) > 1 and self.stack[-1] == obs.cell:
            back = [a for a in range(4) if nbrs[a] == self.stack[-2]]
            if back:
                return back[0]
        return int(self.rng.integers(4))  # everything reachable explored: nothing better

    def observe(self, action: int, next_obs: Observation, reward: float, done: bool) -> None:
        """Update marks and stack with the cell the move led to; note the goal on reward."""
        cell = next_obs.cell
        if reward > 0.0:
            self.goal = cell
        elif self._planned and cell == self._target:
            if cell == self.goal:
                self.goal = None  # the goal moved: forget it
            if cell == self.cue:
                self._cue_missed = True
        if not self._planned:
            if cell not in self.known:
                self.stack.append(cell)
            elif len(self.stack) > 1 and cell == self.stack[-2]:
                self.stack.pop()
            elif cell in self.stack:
                del self.stack[self.stack.index(cell) + 1:]
        self._remember(next_obs)

    def memory(self) -> Dict[str, np.ndarray]:
        """Return the known graph, the stack and the rewarded goal as arrays.

        ``neighbours`` (int32, cells x 4: neighbour ids of cells stood on, -1 elsewhere),
        ``visited`` (bool, cells), ``stack`` (int32, bottom first), ``goal`` (int64, shape
        (1,), -1 when unknown). The cue is not memory: the caller gives it again.
        """
        neighbours = np.full((self.n_cells, 4), -1, dtype=np.int32)
        visited = np.zeros(self.n_cells, dtype=bool)
        for cell, nbrs in self.known.items():
            neighbours[cell] = nbrs
            visited[cell] = True
        return {'neighbours': neighbours, 'visited': visited,
                'stack': np.array(self.stack, dtype=np.int32),
                'goal': np.array([-1 if self.goal is None else self.goal], dtype=np.int64)}

    def carry_over_memory(self, merged: Dict[str, np.ndarray],
                          keep_cells: np.ndarray) -> Dict[str, np.ndarray]:
        """Bring a memory carried over to a changed map in line with it (see the base class).

        Links to cells not kept are cut; the stack, a path of cells stood on, keeps its run
        of standing cells nearest the top (the search resumes there); a goal not kept is
        forgotten.
        """
        keep = np.asarray(keep_cells, dtype=bool)
        out = dict(merged)
        for name, lo in (('neighbours', -1), ('stack', 0), ('goal', -1)):
            check_range(self.name, name, np.asarray(out[name]), lo, keep.size - 1)
        neighbours = np.array(out['neighbours'], copy=True)
        neighbours[(neighbours >= 0) & ~keep[np.maximum(neighbours, 0)]] = -1
        out['neighbours'] = neighbours
        visited = np.asarray(out['visited'], dtype=bool)
        stack = np.asarray(out['stack'], dtype=np.int32)
        standing = visited[stack] if stack.size else np.zeros(0, dtype=bool)
        top = len(stack)
        while top > 0 and not standing[top - 1]:
            top -= 1
        bottom = top
        while bottom > 0 and standing[bottom - 1]:
            bottom -= 1
        stack = stack[bottom:top]
        if not stack.size and visited.any():
            stack = np.flatnonzero(visited)[:1].astype(np.int32)
        out['stack'] = stack
        goal = int(out['goal'][0])
        if goal >= 0 and not keep[goal]:
            out['goal'] = np.array([-1], dtype=np.int64)
        return out

    def restore(self, memory: Dict[str, np.ndarray]) -> None:
        """Load a memory from :meth:`memory` (same map size), or raise ``ValueError``."""
        n = self.n_cells
        arrays = checked_memory(self.name, memory, {
            'neighbours': ((n, 4), np.int32), 'visited': ((n,), bool),
            'stack': ((None,), np.int32), 'goal': ((1,), np.int64)})
        check_range(self.name, 'neighbours', arrays['neighbours'], -1, n - 1)
        check_range(self.name, 'stack', arrays['stack'], 0, n - 1)
        check_range(self.name, 'goal', arrays['goal'], -1, n - 1)
        visited = arrays['visited']
        stack = arrays['stack']
        if not visited[stack].all() or (visited.any() and not stack.size):
            raise ValueError(f'agent {self.name!r}: memory array \'stack\' must be non-empty '
                             'when cells were visited and hold visited cells only')
        self.known = {int(c): tuple(int(x) for x in arrays['neighbours'][c])
                      for c in np.flatnonzero(visited)}
        self.seen = set(self.known)
        for nbrs in self.known.values():
            self.seen.update(x for x in nbrs if x >= 0)
        self.stack = [int(c) for c in stack]
        goal = int(arrays['goal'][0])
        self.goal = None if goal < 0 else goal
        self.moves.clear()
        self._target = None
