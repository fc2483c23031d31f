"""Random-walk baseline: each action uniform over N, E, S, W, blocked ones included."""
import numpy as np

from snan_nav.agents.base import Agent
from snan_nav.world.grid import Observation


class RandomWalkAgent(Agent):
    """A true random walk; bumping into a wall is allowed (the agent stays, the step counts).

    ``seed`` seeds a NumPy ``Generator``; the action sequence depends only on it.
    """

    name = 'random'

    def __init__(self, seed: int = 0):
        self.rng = np.random.default_rng(seed)

    def act(self, obs: Observation) -> int:
        """Return a uniformly random action 0..3."""
        return int(self.rng.integers(4))
