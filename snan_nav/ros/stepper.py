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
"""Episode stepping for a physical robot, with the headless episode semantics (no ROS).

The navigator node owns one :class:`EpisodeStepper`. It keeps a logical
:class:`~snan_nav.world.episode.GridWorld` next to the robot and calls the agent exactly as
:func:`~snan_nav.world.episode.run_episode` does: ``begin_episode``, then per step ``act``,
the world step, ``observe``, and finally ``end_episode(reached)``. The only difference is
*when* ``observe`` happens: for a move the robot must first drive into the next cell (the
node reports arrival with :meth:`EpisodeStepper.update`); a move into a wall is a bump that
costs a step and is answered at once. Same map, agent, seed and start therefore give the same
cell sequence as the headless runner.
"""
from dataclasses import dataclass, field
from typing import List, NamedTuple, Optional

from snan_nav.world.bfs import distances
from snan_nav.world.episode import GOAL_REWARD, GridWorld
from snan_nav.world.grid import Cell, GridMap, Observation

#: Bumps answered within one call before the stepper yields to the control loop.
MAX_BUMPS_PER_UPDATE = 64


class PendingMove(NamedTuple):
    """A move decided and applied to the logical world, whose ``observe`` is still due."""

    action: int
    source: int
    obs: Observation
    reward: float
    done: bool
    reached: bool


@dataclass
class EpisodeRecord:
    """Outcome of one episode: ``steps`` are agent decisions (bumps included)."""

    index: int
    start: int
    goal: int
    steps: int = 0
    success: bool = False
    finished: bool = False
    outcome: str = ''
    cells: List[int] = field(default_factory=list)

    def summary(self, with_cells: bool = True) -> dict:
        """Return a JSON-ready dict of the record."""
        out = {'episode': self.index, 'steps': self.steps, 'success': self.success,
               'outcome': self.outcome, 'start': self.start, 'goal': self.goal}
        if with_cells:
            out['cells'] = list(self.cells)
        return out


class EpisodeStepper:
    """Drive ``agent`` through episodes on ``grid`` one completed move at a time.

    ``budget`` is the step budget per episode (None: ``4 x free cells``, as headless).
    """

    def __init__(self, agent, grid: GridMap, budget: Optional[int] = None):
        self.agent = agent
        self.grid = grid
        self.budget = budget
        self.world: Optional[GridWorld] = None
        self.record: Optional[EpisodeRecord] = None
        self.pending: Optional[PendingMove] = None
        self.episodes = 0
        self.decisions = 0

    @property
    def active(self) -> bool:
        """Return True while an episode runs."""
        return self.record is not None and not self.record.finished

    @property
    def target(self) -> Optional[Cell]:
        """Return the cell the robot must drive to now, or None."""
        if not self.active or self.pending is None:
            return None
        return self.grid.cell_of(self.pending.obs.cell)

    @property
    def source(self) -> Optional[Cell]:
        """Return the cell the current move started from, or None."""
        if not self.active or self.pending is None:
            return None
        return self.grid.cell_of(self.pending.source)

    def set_grid(self, grid: GridMap) -> Optional[str]:
        """Use an updated map of the same geometry at once; return why the episode must end.

        The running episode goes on over the new map: every later observation shows its
        cells, so the agent sees a newly blocked neighbour as blocked and a newly opened one as
        free. A move whose target the update blocked fails like a move into a wall: the
        logical robot stays in the cell it left (the controller drives it back there), the
        agent observes that cell with its new neighbours and decides again. Returns a reason
        (the caller aborts the episode) when the update blocks the goal or the robot's cell, or
        cuts the goal off from the robot; None otherwise.
        """
        self.grid = grid
        if not self.active:
            return None
        world = self.world
        world.set_grid(grid)
        move = self.pending
        here = move.source if move is not None else world.cell
        if grid.blocked.flat[world.goal]:
            return 'map update blocked the goal cell'
        if grid.blocked.flat[here]:
            return "map update blocked the robot's cell"
        if distances(grid, here, world.table)[world.goal] < 0:
            return 'map update cut the goal off from the robot'
        if move is None:
            return None
        if grid.blocked.flat[move.obs.cell]:
            self.pending = None
            self._complete(self._resync(move, move.source))   # as if bumped at the source
            if self.active:
                self._decide(world.observation())
        else:
            self.pending = move._replace(obs=world.observation())
        return None

    def start(self, start: Cell, goal: Cell) -> EpisodeRecord:
        """Begin an episode at ``start`` toward ``goal`` and take the first decision.

        Raises ``ValueError`` when start or goal is blocked or outside the map, or when they
        are the same cell (the caller reports that as arrived without consulting the agent).
        """
        if self.active:
            raise RuntimeError('an episode is running: abort() or finish it first')
        self.world = GridWorld(self.grid, start, goal, self.budget)
        obs = self.world.reset()
        self.episodes += 1
        self.record = EpisodeRecord(self.episodes, self.world.start, self.world.goal,
                                    cells=[int(obs.cell)])
        self.pending = None
        self.agent.begin_episode(obs)
        self._decide(obs)
        return self.record

    def update(self, cell: Optional[Cell], at_target_centre: bool) -> bool:
        """Report the robot's cell; return True when the agent was asked for a decision.

        A move completes when the robot is at the centre of its target cell
        (``at_target_centre``), or as soon as it enters the goal cell. If the robot turns up
        in a free cell that is neither the move's source nor its target (pushed, teleported),
        the logical world follows it and the move completes there.
        """
        if not self.active:
            return False
        if self.pending is None:
            return self._decide(self.world.observation())
        if cell is None or not self.grid.is_free(cell):
            return False
        cid = self.grid.cell_id(cell)
        move = self.pending
        if cid == move.obs.cell:
            if not (move.reached or at_target_centre):
                return False
        elif cid == move.source:
            return False
        else:
            move = self._resync(move, cid)
        self.pending = None
        self._complete(move)
        if self.active:
            return self._decide(move.obs) or True
        return True

    def abort(self, outcome: str = 'aborted') -> Optional[EpisodeRecord]:
        """End the running episode unsuccessfully (``end_episode(False)``); return its record."""
        if not self.active:
            return None
        self.pending = None
        return self._finish(False, outcome)

    # --- internals ---------------------------------------------------------------------------
    def _decide(self, obs: Observation) -> bool:
        """Ask for actions until one moves the robot, the episode ends or the bump cap hits."""
        for _ in range(MAX_BUMPS_PER_UPDATE):
            action = int(self.agent.act(obs))
            self.decisions += 1
            source = int(obs.cell)
            nxt, reward, done, reached = self.world.step(action)
            move = PendingMove(action, source, nxt, reward, done, reached)
            if int(nxt.cell) != source:
                self.pending = move
                return True
            self._complete(move)
            if not self.active:
                return True
            obs = nxt
        return True

    def _complete(self, move: PendingMove) -> None:
        self.agent.observe(move.action, move.obs, move.reward, move.done)
        self.record.steps = self.world.steps
        self.record.cells.append(int(move.obs.cell))
        if move.done:
            self._finish(move.reached, 'success' if move.reached else 'budget')

    def _finish(self, success: bool, outcome: str) -> EpisodeRecord:
        rec = self.record
        rec.success = bool(success)
        rec.finished = True
        rec.outcome = outcome
        rec.steps = self.world.steps
        self.agent.end_episode(bool(success))
        return rec

    def _resync(self, move: PendingMove, cid: int) -> PendingMove:
        world = self.world
        world.cell = int(cid)
        reached = world.cell == world.goal
        world.done = reached or world.steps >= world.budget
        reward = GOAL_REWARD if reached else 0.0
        return PendingMove(move.action, move.source, world.observation(), reward, world.done,
                           reached)
