"""Trémaux / depth-first explorer baseline (the classical exploration bound).

Trémaux marks every passage it walks: once on the way in, twice when it backs out of a dead
end; it never enters a twice-marked passage, and the once-marked passages always form the path
from the entrance to where it stands (its DFS stack). Here the observation names the cell each
move leads to, so the marks can sit on cells: the explorer never steps into a cell it has
visited except to back out along its stack, which is Trémaux's rule without the wasted
walk-in-and-turn-back. It learns the neighbour ids of every cell it stands on (only from
observations) and nothing else.

Memory persists across the episodes of one run: the marks, the stack, the cells seen and, once
reached, the goal. A later episode walks the shortest route through the cells it has seen to
the goal if known, else to the top of its stack, and resumes the depth-first search there. An
episode that starts on a cell it has never seen clears that memory.
"""
from collections import deque
from typing import Deque, Dict, List, Optional

import numpy as np

from snan_nav.agents.base import Agent
from snan_nav.world.grid import Observation


class TremauxAgent(Agent):
    """Depth-first explorer with persistent marks; random order among unmarked moves."""

    name = 'tremaux'

    def __init__(self, seed: int = 0):
        self.rng = np.random.default_rng(seed)
        self.known: Dict[int, tuple] = {}
        self.stack: List[int] = []
        self.goal: Optional[int] = None
        self.plan: Deque[int] = deque()
        self._planned = False

    def _remember(self, obs: Observation) -> None:
        if obs.cell not in self.known:
            self.known[obs.cell] = tuple(int(n) for n in obs.neighbours)

    def route(self, source: int, target: int) -> List[int]:
        """Return the actions of a shortest path source->target through seen cells, or []."""
        parents = {source: (None, None)}
        queue = deque([source])
        while queue and target not in parents:
            cell = queue.popleft()
            for a, nxt in enumerate(self.known[cell]):
                if nxt >= 0 and nxt in self.known and nxt not in parents:
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

    def begin_episode(self, obs: Observation) -> None:
        """Keep the marks if the start was seen before; plan to the goal or the DFS frontier."""
        if obs.cell not in self.known:
            self.known.clear()
            self.stack = [obs.cell]
            self.goal = None
        self._remember(obs)
        target = self.goal if self.goal is not None else self.stack[-1]
        self.plan = deque(self.route(obs.cell, target))

    def act(self, obs: Observation) -> int:
        """Follow the plan, else take an unmarked move, else back out along the stack."""
        self._remember(obs)
        self._planned = bool(self.plan)
        if self.plan:
            return int(self.plan.popleft())
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
        if not self._planned:
            if cell not in self.known:
                self.stack.append(cell)
            elif len(self.stack) > 1 and cell == self.stack[-2]:
                self.stack.pop()
            elif cell in self.stack:
                del self.stack[self.stack.index(cell) + 1:]
        self._remember(next_obs)
