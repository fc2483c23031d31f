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
"""The scripted navigation work the speed benchmark and the equivalence check drive.

A script is a sequence of :class:`Leg` s on one map and one agent memory:

- the first leg explores: no cue, the first episode looks for the goal (reward tags it), the
  next ``goal_episodes`` episodes start again at the same place toward the learned goal;
- every later leg is a goal switch with the goal cue (the ROS node's default): the robot starts
  where it is, the cue names goal ``A``; half way (by BFS) the cue changes to goal ``B`` and
  the episode continues until ``B`` (the user changed their mind), so the decision after the
  change pays for the goal wave's rerun.

:func:`run_legs` drives one agent through a script; every call it makes on the agent is also
reported to a ``listener`` (a shadow agent for the equivalence check, a recorder of events and
state snapshots for the reference's replay), and the decision itself goes through ``decide``
(timed by the benchmark). The world is the grid: a move into a wall stays in place; the reward
is 1 on reaching the current goal; an episode ends there or after ``4 x free cells`` steps.
"""
from typing import Callable, Iterator, NamedTuple, Optional

import numpy as np

from snan_nav.world.bfs import distances, largest_component
from snan_nav.world.episode import GOAL_REWARD
from snan_nav.world.grid import GridMap, Observation

BUDGET_PER_FREE_CELL = 4


class Leg(NamedTuple):
    """Episodes from ``start`` toward ``goal`` (cell ids); ``switch_to`` >= 0: mid-way change.

    ``cue``: the goal is cued (``cue_goal``) before the leg; ``switch_after``: steps of the
    first episode after which the cue (and the world's goal) change to ``switch_to``. Every
    episode of a leg starts at ``start``; ``-1`` means where the robot stood when the leg began.
    """

    start: int
    goal: int
    cue: bool
    episodes: int = 1
    switch_to: int = -1
    switch_after: int = 0


def perf_legs(grid: GridMap, seed: int, goal_episodes: int = 3) -> Iterator[Leg]:
    """Yield the benchmark's script on ``grid`` (endless: the caller decides when to stop).

    The first leg runs from the map's start to its goal; the switch legs pick their goals
    uniformly (seeded) among the cells of the largest free component, the first at least 2
    steps away (the switch comes after half of them).
    """
    start, goal = grid.cell_id(grid.start), grid.cell_id(grid.goal)
    yield Leg(start, goal, False, 1 + goal_episodes)
    cells = np.flatnonzero(largest_component(grid))
    rng = np.random.default_rng(seed)
    here = goal
    while True:
        first, second = (int(c) for c in rng.choice(cells, size=2, replace=False))
        hops = int(distances(grid, grid.cell_of(here))[first])
        if here == second or hops < 2:
            continue  # the switch must come before the robot can reach the first goal
        yield Leg(-1, first, True, 1, second, hops // 2)
        here = second


def run_legs(grid: GridMap, agent, legs, decide: Optional[Callable] = None,
             listener=None, stop: Optional[Callable[[], bool]] = None, here: int = -1) -> dict:
    """Drive ``agent`` through ``legs``; return counts (legs, episodes, steps, successes).

    ``here``: where the robot stands before the first leg (for a first leg that starts there).

    ``decide(obs) -> action`` replaces ``agent.act`` (it must call it); ``listener`` receives
    ``cue(goal)``, ``begin_episode(obs)``, ``observe(...)``, ``end_episode(success)`` after the
    agent and ``segment()`` before each episode and each goal switch; ``stop()`` is asked
    before each leg is taken from ``legs``.
    """
    table = grid.neighbour_table()
    budget = BUDGET_PER_FREE_CELL * grid.free_count()
    decide = decide if decide is not None else agent.act
    counts = {'legs': 0, 'episodes': 0, 'steps': 0, 'successes': 0, 'switches': 0}

    def call(name, *args):
        getattr(agent, name)(*args)
        if listener is not None:
            getattr(listener, name)(*args)

    legs = iter(legs)
    while stop is None or not stop():
        leg = next(legs, None)
        if leg is None:
            break
        counts['legs'] += 1
        start = here if leg.start < 0 else leg.start
        if start < 0:
            raise ValueError('the first leg of a script needs a start cell')
        for episode in range(leg.episodes):
            if listener is not None:
                listener.segment()
            call('cue_goal', leg.goal if leg.cue else None)
            goal = leg.goal
            obs = Observation(start, table[start])
            call('begin_episode', obs)
            steps, reached = 0, False
            while not reached and steps < budget:
                if episode == 0 and leg.switch_to >= 0 and steps == leg.switch_after:
                    if listener is not None:
                        listener.segment()
                    goal = leg.switch_to
                    call('cue_goal', goal if leg.cue else None)
                    counts['switches'] += 1
                action = decide(obs)
                nxt = int(table[obs.cell, action])
                cell = nxt if nxt >= 0 else obs.cell
                steps += 1
                reached = cell == goal
                obs = Observation(cell, table[cell])
                call('observe', action, obs, GOAL_REWARD if reached else 0.0,
                     reached or steps >= budget)
            call('end_episode', reached)
            here = obs.cell
            counts['episodes'] += 1
            counts['steps'] += steps
            counts['successes'] += int(reached)
    return counts
