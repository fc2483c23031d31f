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
"""The headless replay of a closed-loop run: same agent, starts, goals, cues and memory (no ROS).

``snan-nav sim`` checks that the navigator over ROS took exactly the decisions the headless
runner takes: it replays every episode of the run with a fresh agent of the same spec and
seed. With ``--memory`` the navigator starts from the memory file as it was before the run;
:func:`memory_snapshot` copies it first so that the replay can start from the same memory.
"""
import os
import shutil
import tempfile
from typing import List, Optional

from snan_nav.ros.memory_store import MemoryStore
from snan_nav.ros.session import AgentSpec, build_agent, cue
from snan_nav.world.episode import GridWorld, run_episode


def memory_snapshot(path: Optional[str]) -> Optional[str]:
    """Copy the memory file at ``path`` into a new temporary directory; return the copy.

    Returns None when ``path`` is empty or there is no file.
    """
    if not path or not os.path.isfile(path):
        return None
    copy = os.path.join(tempfile.mkdtemp(prefix='snan_memory_'), os.path.basename(path))
    shutil.copyfile(path, copy)
    return copy


def headless_reference(grid, spec: AgentSpec, budget: Optional[int], episodes: List[dict],
                       goal_cue: bool = True, memory: Optional[str] = None) -> dict:
    """Replay the same episodes (same starts, goals and goal cues) with the headless runner.

    ``grid`` is the planning grid; ``memory`` a memory file the agent starts from (as the
    navigator did). Returns per-episode steps and success and whether every cell sequence
    matches.
    """
    steps, success, same, first_diff = [], [], True, None
    agent = None
    for i, ep in enumerate(episodes):
        if 'start' not in ep or ep.get('outcome') == 'already at goal':
            same = False
            break
        world = GridWorld(grid, grid.cell_of(ep['start']), grid.cell_of(ep['goal']), budget)
        if agent is None:
            agent = build_agent(spec, grid, world.goal)
            if memory is not None:
                MemoryStore(memory, spec.name, spec.snn).load(agent, grid.blocked)
        cue(agent, world.goal, goal_cue)
        res = run_episode(agent, world)
        steps.append(int(res.steps))
        success.append(bool(res.success))
        if ep.get('outcome') not in ('success', 'budget') or list(res.cells) != ep['cells']:
            same = False
            if first_diff is None:
                first_diff = i + 1
    return {'steps': steps, 'success': success, 'same_cell_sequence': same,
            'first_different_episode': first_diff}
