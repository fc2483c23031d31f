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
"""The SNAN agent: the core network behind the :class:`~snan_nav.agents.base.Agent` interface.

One place cell per grid cell (ids ``my * width + mx``), 4 action neurons, one astrocyte per
territory, a goal neuron. A decision is one network window
(:func:`snan_nav.core.network.decision_kernel`); moves, rewards, cues and episode boundaries
are events of the same network. Idle network time passes between decisions
(``inter_decision_ms``) and between episodes (``inter_episode_ms``), so the astrocytic memory
fades on its own time constant and is never reset by hand.
"""
from typing import Callable, Dict, List, NamedTuple, Optional

import numpy as np

from snan_nav.agents.base import Agent
from snan_nav.core.network import (
    arrive_kernel, begin_kernel, calcium_now, cue_kernel, decision_kernel, duration_ticks,
    end_kernel, LEARNED, NO_ACTION, NO_MOVE, plan_kernel)
from snan_nav.core.params import ablated, SNANParams, STRUCTURAL
from snan_nav.core.state import (
    C_DECISIONS, COUNTER_NAMES, F_CUE, F_N_FRONTIER, F_N_GOALS, F_PLAN_KIND, F_WAVE_DIRTY,
    F_WIDTH, init_state, MAX_GOALS, NetworkState, PLAN_NONE, SLOW_MEMORY)
from snan_nav.world.grid import Observation

SNAN_VARIANTS = ('snan', 'snan-no-astro', 'snan-no-stdp')


class _Kernels(NamedTuple):
    """The network kernels an agent calls (timed ones on the crossbar: the CPU baseline)."""

    arrive: Callable
    begin: Callable
    cue: Callable
    decision: Callable
    end: Callable


KERNELS = _Kernels(arrive_kernel, begin_kernel, cue_kernel, decision_kernel, end_kernel)


class SNANAgent(Agent):
    """Spiking neuron-astrocyte navigator on a ``width`` x ``height`` cell index space.

    ``synapses`` optionally runs the map synapses on an emulated memristor array
    (:class:`snan_nav.crossbar.CrossbarSynapses`): ``w_map`` then holds the weights the
    devices realise, every learning step is programmed onto the array before the network reads
    it, and the kernels are timed for the CPU baseline of :meth:`energy_report`.
    """

    uses_goal_cue = True

    def __init__(self, width: int, height: int, params: Optional[SNANParams] = None,
                 seed: int = 0, name: str = 'snan', synapses=None):
        self.name = name
        self.params = params if params is not None else SNANParams()
        self.width = int(width)
        self.height = int(height)
        self._packed = self.params.packed()
        self.state = init_state(self.params, self.width, self.height, seed)
        self._episodes = 0
        self._cell = -1
        # The last move's outcome, applied inside the next kernel call (one call per step):
        # (came_from, action, cell, neighbours, rewarded), or None.
        self._pending = None
        self._gap_ticks = duration_ticks(self._packed, self.params.inter_decision_ms)
        self._episode_ticks = duration_ticks(self._packed, self.params.inter_episode_ms)
        self.synapses = synapses
        self._k = KERNELS
        if synapses is not None:
            synapses.attach(self.state, self.params)
            self._k = _Kernels(*(synapses.timed(kernel) for kernel in KERNELS))
        self.last_action = NO_ACTION

    @property
    def n_cells(self) -> int:
        """Size of the place-cell index space."""
        return self.width * self.height

    def _check_cell(self, cell: int) -> int:
        cell = int(cell)
        if not 0 <= cell < self.n_cells:
            raise ValueError(f'cell id {cell} is outside the {self.width}x{self.height} grid')
        return cell

    def cue_goal(self, goal_cell: Optional[int]) -> None:
        """Cue the goal place (the goal_pose names it); ``None`` withdraws the cue."""
        goal = -1 if goal_cell is None else self._check_cell(goal_cell)
        self._k.cue(goal, self.state)

    def begin_episode(self, obs: Observation) -> None:
        """Let the inter-episode interval pass (fast memory fades) and start at ``obs.cell``."""
        self._flush()
        cell = self._check_cell(obs.cell)
        idle = self._episode_ticks if self._episodes > 0 else 0
        nbr = self._neighbours(obs)
        rows = None if self.synapses is None else self.synapses.rows_touched(self.state, cell,
                                                                             nbr)
        self._k.begin(cell, nbr, idle, self.state, self._packed)
        if rows is not None:  # the start's observation was learned: program it
            self.synapses.realise(self.state, self._packed, rows, cell)
        self._episodes += 1
        self._cell = cell

    def act(self, obs: Observation) -> int:
        """Run one decision at ``obs.cell``; return 0..3 (N, E, S, W).

        If all four moves are blocked the agent returns N (a bump: it stays in place).
        """
        cell = self._check_cell(obs.cell)
        nbr = self._neighbours(obs)
        came_from, came_by, rewarded = LEARNED, -1, False
        pending = self._pending
        if pending is not None:
            if pending[2] == cell:
                came_from, came_by, rewarded = pending[0], pending[1], pending[4]
            else:  # the robot is not where the move took it (teleported): account, relearn
                self._flush()
                came_from = NO_MOVE
            self._pending = None
        elif cell != self._cell:
            came_from = NO_MOVE
        if self.synapses is not None and came_from != LEARNED:
            # Learn the arrival first and program it, so the decision reads the devices. The
            # ideal agent does this inside the decision call: this extra call is not timed.
            self._arrive_on_array(arrive_kernel, came_from, came_by, cell, nbr, rewarded)
            came_from, came_by, rewarded = LEARNED, -1, False
        action = int(self._k.decision(cell, nbr, came_from, came_by, rewarded, self._gap_ticks,
                                      self.state, self._packed))
        self._cell = cell
        self.last_action = action
        return 0 if action == NO_ACTION else action

    def observe(self, action: int, next_obs: Observation, reward: float, done: bool) -> None:
        """Take the move's outcome; it is applied with the next decision (or the episode's end)."""
        self._flush()
        cell = self._check_cell(next_obs.cell)
        self._pending = (self._cell, int(action), cell, self._neighbours(next_obs),
                         bool(reward > 0.0))

    def end_episode(self, success: bool) -> None:
        """Apply the last move (reward tags the goal) and count the episode toward it."""
        self._flush()
        self._k.end(self.state, self._packed)

    def _flush(self) -> None:
        """Apply a pending move outcome that no decision will carry (episode end, teleport)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            came_from, came_by, cell, nbr, rewarded = pending
            if self.synapses is None:
                self._k.arrive(came_from, came_by, cell, nbr, rewarded, self.state, self._packed)
            else:
                self._arrive_on_array(self._k.arrive, came_from, came_by, cell, nbr, rewarded)
            self._cell = cell

    def _arrive_on_array(self, kernel, came_from, came_by, cell, nbr, rewarded) -> None:
        """Run the arrival ``kernel``, then program the synapses it wrote onto the array."""
        rows = self.synapses.rows_touched(self.state, cell, nbr)
        kernel(came_from, came_by, cell, nbr, rewarded, self.state, self._packed)
        self.synapses.realise(self.state, self._packed, rows, cell)

    @staticmethod
    def _neighbours(obs: Observation) -> np.ndarray:
        nbr = np.asarray(obs.neighbours, dtype=np.int32)
        if nbr.shape != (4,):
            raise ValueError(f'an observation needs 4 neighbour ids, got shape {nbr.shape}')
        return nbr

    def set_params(self, params: SNANParams) -> None:
        """Switch to new parameters between decisions (memory is kept).

        The agent's variant is re-applied (an ablation stays ablated). Structural fields size
        or index the state and cannot change: ``ValueError`` names the field.
        """
        new = ablated(params, self.name) if self.name in SNAN_VARIANTS else params
        for field in STRUCTURAL:
            if getattr(new, field) != getattr(self.params, field):
                raise ValueError(f'{field} is structural and cannot change on a live agent '
                                 f'({getattr(self.params, field)} -> {getattr(new, field)})')
        self.params = new
        self._packed = new.packed()
        self._gap_ticks = duration_ticks(self._packed, new.inter_decision_ms)
        self._episode_ticks = duration_ticks(self._packed, new.inter_episode_ms)
        self.state.flags[F_WAVE_DIRTY] = 1  # thresholds may have moved
        # A cached curiosity route or certificate was found with the old sources (shortcut
        # bound, revisit onset, calcium threshold): search again.
        self.state.flags[F_PLAN_KIND] = PLAN_NONE

    # --- long-term memory ---------------------------------------------------------------------
    def memory(self) -> Dict[str, np.ndarray]:
        """Return the slow memory: map synapses, their targets, familiarity, goal tags."""
        self._flush()
        return {name: getattr(self.state, name).copy() for name in SLOW_MEMORY}

    def restore(self, memory: Dict[str, np.ndarray]) -> None:
        """Load a slow memory from :meth:`memory` (same grid size); the fast memory stays."""
        fresh = init_state(self.params, self.width, self.height, 0)
        unknown = sorted(set(memory) - set(SLOW_MEMORY))
        if unknown:
            raise ValueError(f'unknown memory array(s) {unknown}; expected {list(SLOW_MEMORY)}')
        for name in SLOW_MEMORY:
            if name not in memory:
                raise ValueError(f'memory array {name!r} is missing')
            want = getattr(fresh, name)
            got = np.asarray(memory[name])
            if got.shape != want.shape or got.dtype != want.dtype:
                raise ValueError(f'memory array {name!r} has shape {got.shape} dtype {got.dtype}, '
                                 f'expected {want.shape} {want.dtype}')
        nbr = np.asarray(memory['map_nbr'])
        if nbr.size and (nbr.min() < -1 or nbr.max() >= self.n_cells):
            raise ValueError('memory array map_nbr holds cell ids outside the grid')
        if not np.all(np.isfinite(memory['w_map'])) or not np.all(np.isfinite(memory['goal_w'])):
            raise ValueError('memory arrays w_map and goal_w must be finite')
        for name in SLOW_MEMORY:
            getattr(self.state, name)[...] = memory[name]
        _drop_unpaired_synapses(self.state)
        self._rebuild_indexes()

    def _rebuild_indexes(self) -> None:
        """Recount frontier places, relist goal tags and rerun the wave after a restore."""
        s, p = self.state, self.params
        if self.synapses is not None:
            self.synapses.program(s)  # the devices take the restored map; w_map: realised
        known = np.any((s.map_nbr >= 0) & (s.w_map >= p.v_threshold), axis=1)
        s.flags[F_N_FRONTIER] = int(np.count_nonzero(known & (s.familiar == 0)))
        tagged = np.flatnonzero(s.goal_w >= p.goal_threshold)
        tagged = tagged[np.argsort(-s.goal_w[tagged], kind='stable')][:MAX_GOALS]
        s.goals[:] = -1
        s.goals[:tagged.size] = tagged
        s.flags[F_N_GOALS] = tagged.size
        s.flags[F_WAVE_DIRTY] = 1

    # --- read-outs for plots, diagnostics, ~/plan and tests ------------------------------------
    def plan(self, cell: int, max_len: int = 10000) -> List[int]:
        """Return the places the goal wave leads through from ``cell`` (empty: no known goal).

        A read-out only: it runs on copies of what a wave update would write, so neither the
        network nor its random stream changes (a closed loop that publishes plans behaves as
        one that does not).
        """
        s = self.state
        scratch = s._replace(wave_t=s.wave_t.copy(), reached=s.reached.copy(),
                             queue=s.queue.copy(), goal_on=s.goal_on.copy(),
                             flags=s.flags.copy(), counters=s.counters.copy())
        out = np.empty(max(0, int(max_len)), dtype=np.int32)
        n = plan_kernel(self._check_cell(cell), scratch, self._packed, out)
        return [int(c) for c in out[:n]]

    def goal_cue(self) -> Optional[int]:
        """Return the cued goal place, or None."""
        cue = int(self.state.flags[F_CUE])
        return None if cue < 0 else cue

    def calcium_map(self) -> np.ndarray:
        """Return the astrocytic calcium seen by every cell now, shape ``(n_cells,)``."""
        return calcium_now(self.state, self.params)[self.state.territory]

    def calcium_scale(self) -> float:
        """Calcium of one cell right after a single visit (maps to 100 in the ROS layer)."""
        p = self.params
        return max(1.0, self._place_spikes_per_window()) * p.ca_gain_ms / p.tau_ca_ms

    def decisions(self) -> int:
        """Return the number of decisions taken so far."""
        return int(self.state.counters[C_DECISIONS])

    def event_counts(self) -> Dict[str, int]:
        """Return every event the kernels counted (spikes, synapse reads and writes, ...)."""
        return {name: int(v) for name, v in zip(COUNTER_NAMES, self.state.counters)}

    def energy_report(self):
        """Energy per decision on the emulated crossbar (counted events), or None if ideal."""
        return None if self.synapses is None else self.synapses.energy_report(
            self.event_counts())

    def _place_spikes_per_window(self) -> float:
        p = self.params
        v_inf = p.v_rest + p.place_current
        if v_inf <= p.v_threshold:
            return 0.0
        period = p.tau_m_ms * np.log((v_inf - p.v_reset) / (v_inf - p.v_threshold))
        return float(np.floor(p.ticks_per_decision * p.dt_ms / max(period, p.dt_ms)))


def _drop_unpaired_synapses(s: NetworkState) -> None:
    """Remove map synapses whose partner is missing (a carried-over memory of a changed map).

    Map synapses are made and lost in pairs (``i -> j`` in direction ``a`` with ``j -> i`` in
    the opposite one); a memory carried over to a map where place ``j`` changed keeps the
    synapse into ``j`` but not ``j``'s own, and such a synapse must not carry the wave.
    """
    cells, dirs = np.nonzero(s.map_nbr >= 0)
    if cells.size == 0:
        return
    targets = s.map_nbr[cells, dirs]
    back = (dirs + 2) % 4
    unpaired = s.map_nbr[targets, back] != cells
    s.map_nbr[cells[unpaired], dirs[unpaired]] = -1
    s.w_map[cells[unpaired], dirs[unpaired]] = 0.0


def make_snan_agent(variant: str, n_cells_or_grid, params: Optional[SNANParams] = None,
                    seed: int = 0, synapses=None) -> SNANAgent:
    """Build ``snan``, ``snan-no-astro`` or ``snan-no-stdp``.

    ``n_cells_or_grid`` is a :class:`~snan_nav.world.grid.GridMap` (preferred: territories
    and the shortcut bound follow its layout) or a cell count (then the index space is one row
    of that many cells and the shortcut bound is off).
    """
    base = params if params is not None else SNANParams()
    p = ablated(base, variant)
    if hasattr(n_cells_or_grid, 'width'):
        return SNANAgent(n_cells_or_grid.width, n_cells_or_grid.height, p, seed=seed,
                         name=variant, synapses=synapses)
    agent = SNANAgent(int(n_cells_or_grid), 1, p, seed=seed, name=variant, synapses=synapses)
    # A bare index space says nothing about where places lie: no grid distance, so no
    # shortcut bound (one row would make vertical neighbours look a whole row apart).
    agent.state.flags[F_WIDTH] = 0
    return agent


__all__ = ['make_snan_agent', 'NetworkState', 'SNAN_VARIANTS', 'SNANAgent']
