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
"""What the navigator remembers between control ticks: map, agent, episodes (no ROS).

A :class:`NavigationSession` owns the planning grid, the agent (built as the headless bench
builds it) and the :class:`~snan_nav.ros.stepper.EpisodeStepper` that calls it. The node
feeds it cells and goals and publishes what it returns; everything here is deterministic, so
the same seed, map and start give the headless runner's cell sequence.

With a :class:`~snan_nav.ros.memory_store.MemoryStore` the agent's long-term memory outlives
the process: it is loaded when the agent is built, saved after every episode (before the
episode's summary is handed out) and by :meth:`NavigationSession.save_memory` (deactivate,
shutdown, ``~/save_memory``), and a map of another geometry saves it before dropping the
agent. What happened is queued in :attr:`NavigationSession.notices` for the node to log.
"""
from collections import deque
from typing import Callable, List, NamedTuple, Optional, Tuple

from snan_nav.agents.registry import make_agent
from snan_nav.ros.geometry import same_geometry
from snan_nav.ros.memory_store import MemoryStore
from snan_nav.ros.session_memory import SessionMemory
from snan_nav.ros.stepper import EpisodeStepper
from snan_nav.world.bfs import distances
from snan_nav.world.grid import Cell, GridMap


class PoseSample(NamedTuple):
    """A pose in the map frame: ``x``, ``y`` (m), ``yaw`` (rad) and when it was taken.

    ``stamp_ns``: message stamp; ``received_ns``: node-clock arrival; ``wall_s``:
    ``perf_counter`` at arrival (for latencies).
    """

    x: float
    y: float
    yaw: float
    stamp_ns: int
    received_ns: int
    wall_s: float


class GoalRequest(NamedTuple):
    """A goal_pose (map frame, m) waiting to start an episode; times as in PoseSample."""

    x: float
    y: float
    stamp_ns: int
    received_ns: int


class AgentSpec(NamedTuple):
    """How to build the agent: variant ``name``, ``seed``, ``SNANParams``, crossbar config.

    ``params`` is the agent's own record when it is not the SNAN one (``qlearning``,
    ``dynaq``); None: ``snn`` for the SNAN variants, defaults for the others.
    """

    name: str
    seed: int
    snn: object
    crossbar: object = None
    params: object = None


def build_agent(spec: AgentSpec, grid: GridMap, goal_id: int):
    """Return a fresh agent for ``spec`` on ``grid``, exactly as the headless bench builds it."""
    record = spec.params if spec.params is not None else spec.snn
    return make_agent(spec.name, grid, goal_id, spec.seed, record, crossbar=spec.crossbar)


def planner_of(agent) -> Optional[Callable[[int, int], List[int]]]:
    """Return the agent's ``plan(cell, max_len)`` read-out, or None if it cannot tell its route."""
    planner = getattr(agent, 'plan', None)
    return planner if callable(planner) else None


def warm_up(spec: AgentSpec) -> None:
    """Run a throwaway episode of ``spec``'s agent kind on a 4 x 4 room.

    The first decision of an agent compiles its numba kernels (or loads them from the cache):
    up to tens of seconds on a fresh machine. A node that warms up before it subscribes to
    goals never holds a robot, or lets a simulator's episode stall, while it compiles. The
    episode is cued and the route read out as the node does (``goal_cue``, ``~/plan``), so
    those kernels are ready too.
    """
    import numpy as np
    from snan_nav.world.episode import GridWorld, run_episode
    room = GridMap(np.zeros((4, 4), dtype=bool))
    goal = room.cell_id((3, 3))
    agent = build_agent(spec, room, goal)
    cue(agent, goal, True)
    run_episode(agent, GridWorld(room, (0, 0), (3, 3), 8))
    planner = planner_of(agent)
    if planner is not None:
        planner(room.cell_id((0, 0)), room.n_cells)


def cue(agent, goal_id: int, goal_cue: bool) -> None:
    """Tell ``agent`` the goal cell of the coming episode (``goal_cue``) or withdraw the cue."""
    agent.cue_goal(int(goal_id) if goal_cue else None)


def _metres(value: float) -> str:
    """Format a coordinate for a message: 2 decimals, or 3 digits when absurdly large."""
    return f'{value:.2f}' if abs(value) < 1e9 else f'{value:.3g}'


class NavigationSession(SessionMemory):
    """Agent, stepper and episode book-keeping of one navigator (see the module docstring).

    ``budget``: decisions per episode (None: 4 x free cells); ``goal_cue``: call
    ``agent.cue_goal(goal)`` at each episode start (else ``cue_goal(None)``);
    ``recent_visits``: length of the visit trail shown in RViz.
    """

    def __init__(self, spec: AgentSpec, budget: Optional[int] = None, goal_cue: bool = True,
                 recent_visits: int = 50, memory: Optional[MemoryStore] = None):
        self.spec = spec
        self.memory = memory
        self.notices = deque(maxlen=100)
        self.memory_status = 'off' if memory is None else 'no agent yet'
        self.saves = 0
        self._fresh_next = False
        self.budget = budget
        self.goal_cue = bool(goal_cue)
        self.grid: Optional[GridMap] = None
        self.agent = None
        self.stepper: Optional[EpisodeStepper] = None
        self.goal_cell: Optional[Cell] = None
        self.episode_count = 0
        self.decision_count = 0
        self.successes = 0
        self.finished = 0
        self.visits = deque(maxlen=max(1, int(recent_visits)))
        self._agent_goal: Optional[int] = None

    # --- state -----------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        """Return True while an episode runs."""
        return self.stepper is not None and self.stepper.active

    @property
    def target(self) -> Optional[Cell]:
        """Return the planning cell the robot must drive to now, or None."""
        return self.stepper.target if self.stepper is not None else None

    @property
    def steps(self) -> int:
        """Return the decisions of the current (or last) episode."""
        rec = self.stepper.record if self.stepper is not None else None
        return rec.steps if rec is not None else 0

    def set_budget(self, budget: Optional[int]) -> None:
        """Use ``budget`` decisions per episode from the next episode on (None: default)."""
        self.budget = budget
        if self.stepper is not None:   # read when the next episode starts
            self.stepper.budget = budget

    def set_recent_visits(self, n: int) -> None:
        """Keep the last ``n`` visited cells for the markers."""
        self.visits = deque(self.visits, maxlen=max(1, int(n)))

    # --- map -------------------------------------------------------------------------------
    def set_grid(self, grid: GridMap) -> Tuple[Optional[dict], bool]:
        """Use a new planning grid; return ``(aborted episode summary, memory dropped)``.

        A grid of another geometry ends the running episode and drops the agent (its memory
        is indexed by cell); a grid with the same geometry applies at once
        (:meth:`EpisodeStepper.set_grid`), and ends the episode only when it blocks the goal
        or the robot's cell or cuts the goal off.
        """
        aborted, dropped = None, False
        if self.grid is not None and not same_geometry(self.grid, grid):
            if self.active:
                aborted = self.abort('map changed')
            elif self.agent is not None:
                self.save_memory('map geometry changed')
            dropped = self.agent is not None
            self.agent = None
            self.stepper = None
        self.grid = grid
        if self.stepper is not None:
            reason = self.stepper.set_grid(grid)
            if reason is not None:
                aborted = self.abort(reason)
        return aborted, dropped

    # --- episodes --------------------------------------------------------------------------
    def goal_problem(self, start: Optional[Cell], goal: Optional[Cell],
                     goal_xy: Tuple[float, float]) -> Optional[str]:
        """Return why an episode from ``start`` to ``goal`` cannot run (None: it can)."""
        grid = self.grid
        if goal is None:
            return f'goal ({_metres(goal_xy[0])}, {_metres(goal_xy[1])}) m is outside the map'
        if not grid.is_free(goal):
            return (f'goal cell {goal} is occupied or unknown (or within robot_radius of an '
                    'obstacle)')
        if start is None or not grid.is_free(start):
            return f'robot cell {start} is outside the map or blocked'
        if distances(grid, start)[grid.cell_id(goal)] < 0:
            return f'goal cell {goal} cannot be reached from {start}'
        return None

    def start(self, start: Cell, goal: Cell) -> Optional[dict]:
        """Begin an episode (the first decision is taken at once).

        Returns the finished summary when the robot already is in the goal cell (the agent is
        not consulted), else None. Call :meth:`goal_problem` first.
        """
        grid = self.grid
        self.goal_cell = goal
        self.episode_count += 1
        if start == goal:
            cid = grid.cell_id(start)
            return self._summary({'steps': 0, 'success': True, 'outcome': 'already at goal',
                                  'start': cid, 'goal': cid, 'cells': [cid]})
        goal_id = grid.cell_id(goal)
        self._ensure_agent(goal_id)
        cue(self.agent, goal_id, self.goal_cue)
        before = self.stepper.decisions
        self.stepper.start(start, goal)
        self.decision_count += self.stepper.decisions - before
        self.visits.clear()
        self.visits.append(grid.cell_id(start))
        return None

    def advance(self, cell: Optional[Cell], at_centre: bool) -> Tuple[bool, Optional[dict]]:
        """Report the robot's cell; return ``(decided, finished episode summary or None)``."""
        if not self.active or cell is None:
            return False, None
        before = self.stepper.decisions
        self.stepper.update(cell, at_centre)
        decided = self.stepper.decisions > before
        self.decision_count += self.stepper.decisions - before
        visited = self.stepper.record.cells
        if visited and (not self.visits or self.visits[-1] != visited[-1]):
            self.visits.append(visited[-1])
        if not self.stepper.active:
            return decided, self._record_summary()
        return decided, None

    def abort(self, outcome: str) -> Optional[dict]:
        """End the running episode unsuccessfully; return its summary (None: none ran)."""
        if not self.active:
            return None
        self.stepper.abort(outcome)
        return self._record_summary()

    def plan(self, max_len: int) -> List[int]:
        """Return the cell ids the agent intends to visit next (empty if it cannot tell).

        Asks ``agent.plan(cell, max_len)`` from the cell the robot is heading to (or stands
        in); agents without ``plan`` give an empty list.
        """
        planner = planner_of(self.agent)
        if planner is None or not self.active or max_len <= 0:
            return []
        world = self.stepper.world
        cells = planner(int(world.cell), int(max_len))
        return [int(c) for c in cells if 0 <= int(c) < self.grid.n_cells]

    # --- internals -------------------------------------------------------------------------
    def _ensure_agent(self, goal_id: int) -> None:
        rebuild = self.agent is None or (self.spec.name == 'bfs' and goal_id != self._agent_goal)
        if rebuild:
            self.agent = build_agent(self.spec, self.grid, goal_id)
            self._agent_goal = goal_id
            self.stepper = EpisodeStepper(self.agent, self.grid, self.budget)
            self._load_memory()
        else:
            self.stepper.budget = self.budget
            self.stepper.set_grid(self.grid)

    def _record_summary(self) -> dict:
        out = self._summary(self.stepper.record.summary())
        if self.memory is not None:
            saved, text = self.save_memory(f"episode {out['episode']}")
            out['memory'] = 'saved' if saved else f'not saved: {text}'
        return out

    def _summary(self, out: dict) -> dict:
        out['episode'] = self.episode_count
        out['start_cell'] = list(self.grid.cell_of(out['start']))
        out['goal_cell'] = list(self.grid.cell_of(out['goal']))
        self.finished += 1
        self.successes += int(bool(out['success']))
        return out
