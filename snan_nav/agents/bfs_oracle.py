"""BFS oracle baseline: knows the whole map and the goal, walks a shortest path (the floor)."""
import numpy as np

from snan_nav.agents.base import Agent
from snan_nav.world.bfs import distances
from snan_nav.world.grid import GridMap, Observation


class BFSOracleAgent(Agent):
    """Follow the BFS distance field of the goal; ties between equally short moves are seeded.

    From a cell that cannot reach the goal it moves at random (it cannot do better).
    """

    name = 'bfs'

    def __init__(self, grid: GridMap, goal_cell_id: int, seed: int = 0):
        self.dist = distances(grid, int(goal_cell_id))
        self.rng = np.random.default_rng(seed)

    def act(self, obs: Observation) -> int:
        """Return a move to a neighbour one step closer to the goal."""
        here = self.dist[obs.cell]
        nbrs = obs.neighbours
        if here > 0:
            best = [a for a in range(4) if nbrs[a] >= 0 and self.dist[nbrs[a]] == here - 1]
            if best:
                return int(best[self.rng.integers(len(best))] if len(best) > 1 else best[0])
        return int(self.rng.integers(4))
