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
"""Saving and restoring an agent's memory in one call, including a map that changed."""
import numpy as np

from snan_nav.agents.base import Agent
from snan_nav.persistence import (LOADED, MISSING, REFUSED, restore_agent_memory,
                                  save_agent_memory)
from snan_nav.world.grid import GridMap

PARAMS = {'tau_m_ms': 10.0, 'territory_size': 1}


class TableAgent(Agent):
    """A learner with one value per (cell, action) and a global counter."""

    name = 'table'

    def __init__(self, n_cells, fill=0.0):
        self.values = np.full((n_cells, 4), fill)
        self.counter = np.zeros(1, dtype=np.int64)

    def act(self, obs):
        return int(np.argmax(self.values[obs.cell]))

    def memory(self):
        return {'values': self.values.copy(), 'counter': self.counter.copy()}

    def restore(self, memory):
        if set(memory) != {'values', 'counter'}:
            raise ValueError(f'table agent memory needs values and counter, got {sorted(memory)}')
        if memory['values'].shape != self.values.shape:
            raise ValueError(f"array 'values' has shape {memory['values'].shape}, this agent "
                             f'needs {self.values.shape}')
        self.values = memory['values'].copy()
        self.counter = memory['counter'].copy()


def corridor(width=12):
    blocked = np.ones((3, width), dtype=bool)
    blocked[1, :] = False
    return GridMap(blocked)


def trained_agent(grid):
    agent = TableAgent(grid.n_cells)
    agent.values[:] = np.arange(grid.n_cells * 4, dtype=float).reshape(-1, 4)
    agent.counter[0] = 41
    return agent


def test_a_restarted_agent_gets_its_memory_back(tmp_path):
    grid = corridor()
    path = str(tmp_path / 'table.snanmem')
    fresh = TableAgent(grid.n_cells)
    assert restore_agent_memory(path, fresh, grid.blocked, PARAMS).status == MISSING
    learned = trained_agent(grid)
    save_agent_memory(path, learned, grid.blocked, PARAMS, {'episodes_done': 3})
    restarted = TableAgent(grid.n_cells)
    outcome = restore_agent_memory(path, restarted, grid.blocked, PARAMS)
    assert outcome.status == LOADED and outcome.record.metadata['episodes_done'] == 3
    assert restarted.values.tolist() == learned.values.tolist()
    assert restarted.counter.tolist() == [41]
    assert restarted.values.flags.writeable  # the agent can go on learning


def test_a_changed_cell_is_reset_and_the_rest_is_kept(tmp_path):
    grid = corridor(40)
    path = str(tmp_path / 'table.snanmem')
    learned = trained_agent(grid)
    save_agent_memory(path, learned, grid.blocked, PARAMS)
    changed = grid.blocked.copy()
    changed[1, 20] = True  # a box in the corridor: 1 of 40 free cells
    restarted = TableAgent(grid.n_cells, fill=-1.0)
    outcome = restore_agent_memory(path, restarted, changed, PARAMS)
    assert outcome.status == LOADED, outcome.message
    box = grid.cell_id((20, 1))
    assert outcome.changed_cells.tolist() == [box]
    assert restarted.values[box].tolist() == [-1.0] * 4
    others = [grid.cell_id((x, 1)) for x in range(40) if x != 20]
    assert restarted.values[others].tolist() == learned.values[others].tolist()
    assert restarted.counter.tolist() == [41]


def test_a_file_that_does_not_fit_the_agent_is_quarantined(tmp_path):
    grid = corridor()
    path = str(tmp_path / 'table.snanmem')
    learned = trained_agent(grid)
    learned.memory = lambda: {'values': np.zeros((3, 4)), 'counter': np.zeros(1, np.int64)}
    save_agent_memory(path, learned, grid.blocked, PARAMS)
    restarted = TableAgent(grid.n_cells, fill=7.0)
    outcome = restore_agent_memory(path, restarted, grid.blocked, PARAMS)
    assert outcome.status == REFUSED and "array 'values'" in outcome.message
    assert outcome.quarantined_to == path + '.corrupt'
    assert np.all(restarted.values == 7.0)  # still fresh


def test_other_shaping_parameters_leave_the_agent_fresh(tmp_path):
    grid = corridor()
    path = str(tmp_path / 'table.snanmem')
    save_agent_memory(path, trained_agent(grid), grid.blocked, PARAMS)
    restarted = TableAgent(grid.n_cells)
    outcome = restore_agent_memory(path, restarted, grid.blocked, dict(PARAMS, tau_m_ms=20.0))
    assert outcome.status == REFUSED
    assert 'tau_m_ms is 10.0 in the file, 20.0 in this run' in outcome.message
    assert np.all(restarted.values == 0.0)


def test_tremaux_carry_over_cuts_the_closed_cell_out_of_its_stack_links_and_goal():
    from snan_nav.agents.tremaux import TremauxAgent
    grid = corridor(8)                        # cells 8..15 free, in a row
    agent = TremauxAgent(grid.n_cells)
    keep = np.ones(grid.n_cells, dtype=bool)
    keep[11] = False                          # a door closed in the middle of the stack
    neighbours = np.full((grid.n_cells, 4), -1, dtype=np.int32)
    neighbours[10, 1], neighbours[12, 3] = 11, 11
    visited = np.zeros(grid.n_cells, dtype=bool)
    visited[[8, 9, 10, 12, 13]] = True        # 11's row is the fresh agent's: not visited
    merged = {'neighbours': neighbours, 'visited': visited,
              'stack': np.array([8, 9, 10, 11, 12, 13], dtype=np.int32),
              'goal': np.array([11], dtype=np.int64)}
    out = agent.carry_over_memory(merged, keep)
    assert out['stack'].tolist() == [12, 13]  # the run nearest the top: the search resumes there
    assert not (out['neighbours'] == 11).any() and out['goal'][0] == -1
    agent.restore(out)                        # consistent: the agent accepts it
