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
"""First episodes of a plain nearest-frontier explorer, the SNAN and Trémaux, side by side.

The SNAN explores by spikes toward the nearest unexplored place and keeps its heading among
equally near ones. :class:`FrontierExplorer` does the same in plain Python with the same
observations (its place, and each neighbour's id or a wall), without spikes, noise or
astrocytes: the explorer the SNAN's exploration approximates. Comparing both with Trémaux on
many seeds shows how much of the first-episode gap is the exploration principle and how much
is the network.

    python -m benchmarks.frontier_bound [--sizes 16,32,64] [--seeds 10]

Train suite only (the suite the project tunes on). Prints, per map, the median first-episode
steps over runs (pairs x seeds) relative to Trémaux's, then the median of those ratios over
maps and the share of maps at <= 1.1. Then, per family and agent, the two factors of a first
episode (steps = distinct places visited x steps per distinct place): the *overhead* (steps
per distinct place: walking back over visited places) and the *coverage* (distinct places
visited before the goal, as a share of the free places: the luck of the visiting order when
the goal is recognised only on arrival); medians over runs.
"""
import argparse
from collections import deque
import sys
from typing import Dict, List, Optional

import numpy as np

from snan_nav.agents.registry import make_agent
from snan_nav.world.episode import GridWorld, run_episode
from snan_nav.world.grid import Observation
from snan_nav.world.suites import suite


class FrontierExplorer:
    """Nearest-frontier exploration (Yamauchi 1997) with a heading preference.

    A *frontier* place has been seen as a neighbour but never stood on. At each step: if a
    neighbour is a frontier place, step there (the one straight ahead when it is one, else one
    at random); otherwise walk a shortest route over the places stood on to a nearest frontier
    place (random among the nearest). Memory lasts one episode: this is a first-episode
    explorer.
    """

    name = 'frontier'

    def __init__(self, seed: int = 0):
        self.rng = np.random.default_rng(seed)
        self.known: Dict[int, tuple] = {}
        self.plan: deque = deque()
        self.heading = -1

    def _remember(self, obs: Observation) -> None:
        if obs.cell not in self.known:
            self.known[obs.cell] = tuple(int(n) for n in obs.neighbours)

    def begin_episode(self, obs: Observation) -> None:
        """Forget everything: each episode starts with an empty memory."""
        self.known.clear()
        self.plan.clear()
        self.heading = -1
        self._remember(obs)

    def _route_to_frontier(self, cell: int) -> List[int]:
        """Return the actions of a shortest known route to a nearest frontier place."""
        parent = {cell: None}
        queue = deque([cell])
        nearest: List[int] = []
        depth = {cell: 0}
        while queue:
            here = queue.popleft()
            if nearest and depth[here] >= depth[nearest[0]]:
                break
            for a, nxt in enumerate(self.known[here]):
                if nxt < 0 or nxt in parent:
                    continue
                parent[nxt] = (here, a)
                depth[nxt] = depth[here] + 1
                if nxt in self.known:
                    queue.append(nxt)
                else:
                    nearest.append(nxt)
        if not nearest:
            return []
        target = nearest[int(self.rng.integers(len(nearest)))]
        actions = []
        while parent[target] is not None:
            target, a = parent[target]
            actions.append(a)
        return actions[::-1]

    def act(self, obs: Observation) -> int:
        """Step onto a frontier neighbour (ahead first), else walk toward the nearest one."""
        self._remember(obs)
        nbrs = self.known[obs.cell]
        fresh = [a for a in range(4) if nbrs[a] >= 0 and nbrs[a] not in self.known]
        if fresh:
            self.plan.clear()
            if self.heading in fresh:
                return self.heading
            return fresh[int(self.rng.integers(len(fresh)))]
        if not self.plan:
            self.plan = deque(self._route_to_frontier(obs.cell))
        if self.plan:
            return int(self.plan.popleft())
        return int(self.rng.integers(4))  # everything reachable explored

    def observe(self, action: int, next_obs: Observation, reward: float, done: bool) -> None:
        """Remember the place the move led to and the heading."""
        self.heading = int(action)
        self._remember(next_obs)

    def end_episode(self, success: bool) -> None:
        """Nothing to consolidate."""


def first_episode_split(agent, world: GridWorld):
    """Return ``(steps, distinct places visited)`` of ``agent``'s first episode in ``world``."""
    result = run_episode(agent, world)
    return result.steps, int(np.unique(result.cells[:result.steps + 1]).size)


def family_split(runs: Dict[str, Dict[str, list]], free: Dict[str, list]) -> List[str]:
    """Return one line per family: each agent's median overhead and coverage over its runs.

    ``runs[family][agent]``: ``(steps, distinct)`` per run; ``free[family]``: the free places
    of the map of each run, in the same order.
    """
    lines = []
    for family, by_agent in runs.items():
        cells = np.asarray(free[family], dtype=float)
        parts = []
        for agent, pairs in by_agent.items():
            steps, distinct = np.asarray(pairs, dtype=float).T
            parts.append(f'{agent} {np.median(steps / distinct):.2f} / '
                         f'{np.median(distinct / cells):.2f}')
        lines.append(f'{family:10s} ' + '   '.join(parts))
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    """Print the first-episode ratios of the train maps; return the exit code."""
    parser = argparse.ArgumentParser(prog='python -m benchmarks.frontier_bound',
                                     description=__doc__.split('\n\n')[0])
    parser.add_argument('--sizes', default='16,32,64', help='train map sizes (default 16,32,64)')
    parser.add_argument('--seeds', type=int, default=10, help='seeds per pair (default 10)')
    args = parser.parse_args(argv)
    train_sizes = {m.size for m in suite('train')}
    try:
        sizes = {int(s) for s in args.sizes.split(',')}
    except ValueError:
        sizes = set()
    if not sizes or not sizes <= train_sizes or args.seeds < 1:
        print(f'python -m benchmarks.frontier_bound: error: --sizes must be a comma list of '
              f'train map sizes ({",".join(map(str, sorted(train_sizes)))}) and --seeds >= 1, '
              f'got {args.sizes!r} and {args.seeds}', file=sys.stderr)
        return 2
    ratios = {'frontier': [], 'snan': []}
    runs: Dict[str, Dict[str, list]] = {}
    free: Dict[str, list] = {}
    print(f'{"map":28s} {"tremaux":>8s} {"frontier":>9s} {"snan":>6s}  (median first episode '
          f'over runs / Tremaux\'s)')
    for m in suite('train'):
        if m.size not in sizes:
            continue
        family = runs.setdefault(m.family, {'tremaux': [], 'frontier': [], 'snan': []})
        for start, goal in m.pairs:
            world = GridWorld(m.grid, start, goal)
            for seed in range(args.seeds):
                family['tremaux'].append(first_episode_split(
                    make_agent('tremaux', m.grid, -1, seed), world))
                family['frontier'].append(first_episode_split(FrontierExplorer(seed), world))
                family['snan'].append(first_episode_split(
                    make_agent('snan', m.grid, -1, seed), world))
                free.setdefault(m.family, []).append(m.grid.free_count())
        n = len(m.pairs) * args.seeds
        steps = {k: [r[0] for r in v[-n:]] for k, v in family.items()}
        base = float(np.median(steps['tremaux']))
        row = {k: float(np.median(v)) / base for k, v in steps.items() if k != 'tremaux'}
        for k, v in row.items():
            ratios[k].append(v)
        print(f'{m.name:28s} {base:8.0f} {row["frontier"]:9.2f} {row["snan"]:6.2f}', flush=True)
    for k, v in ratios.items():
        v = np.array(v)
        print(f'{k}: median over maps {np.median(v):.3f}, <= 1.1 on {100 * np.mean(v <= 1.1):.0f} '
              f'% of {v.size} maps')
    print('overhead (steps per distinct place) / coverage (distinct places before the goal, '
          'share of free places), medians over runs:')
    for line in family_split(runs, free):
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
