"""The SNAN agent: the core network behind the :class:`~snan_nav.agents.base.Agent` interface.

One place population per grid cell (ids ``my * width + mx``), 4 action neurons, one astrocyte
per territory. A decision is one network window (:func:`snan_nav.core.network.decide`); the
reward arrives in :meth:`SNANAgent.end_episode`. Idle network time passes between decisions
(``inter_decision_ms``) and between episodes (``inter_episode_ms``), so the astrocytic memory
fades on its own time constant and is never reset by hand.
"""
from typing import Optional

import numpy as np

from snan_nav.agents.base import Agent
from snan_nav.core.network import (
    advance_clock, calcium_now, decision_kernel, deliver_reward, duration_ticks, NO_ACTION,
    state_args, synaptic_drive)
from snan_nav.core.params import ablated, SNANParams
from snan_nav.core.state import C_DECISIONS, init_state
from snan_nav.world.grid import Observation

SNAN_VARIANTS = ('snan', 'snan-no-astro', 'snan-no-stdp')


class SNANAgent(Agent):
    """Spiking neuron-astrocyte navigator on a ``width`` x ``height`` cell index space.

    ``synapses`` optionally replaces the ideal weight matrix by an emulated memristive
    crossbar (:class:`snan_nav.crossbar.CrossbarSynapses`, or any object with ``program(W)``,
    ``read_row(row, n_ticks, n_pre_spikes) -> weights`` and ``write(row, col, dw) -> dw``).
    """

    def __init__(self, width: int, height: int, params: Optional[SNANParams] = None,
                 seed: int = 0, name: str = 'snan', synapses=None):
        self.name = name
        self.params = params if params is not None else SNANParams()
        self.width = int(width)
        self.height = int(height)
        self._packed = self.params.packed()
        self.state = init_state(self.params, self.width, self.height, seed)
        self._episodes = 0
        self.synapses = synapses
        if synapses is not None:
            synapses.program(self.state.w)
        self.last_action = NO_ACTION
        self._hot_key = ()
        self._hot_args = ()
        self._gap_ticks = 0

    @property
    def n_cells(self) -> int:
        """Size of the place-cell index space."""
        return self.width * self.height

    def begin_episode(self, obs: Observation) -> None:
        """Let the inter-episode interval pass (the fast memory fades, weights persist)."""
        if self._episodes > 0:
            advance_clock(self.state, self._packed, self.params.inter_episode_ms)
        self._episodes += 1

    def act(self, obs: Observation) -> int:
        """Run one decision window at ``obs.cell``; return 0..3 (N, E, S, W).

        If all four moves are blocked the agent returns N (a bump: it stays in place).
        """
        cell = int(obs.cell)
        if not 0 <= cell < self.n_cells:
            raise ValueError(f'cell id {cell} is outside the {self.width}x{self.height} grid')
        nbr = np.asarray(obs.neighbours, dtype=np.int32)
        if self.synapses is not None:
            # The row is read once per presynaptic spike of the window (energy accounting).
            self.state.w[cell] = self.synapses.read_row(
                cell, self.params.ticks_per_decision, int(self._expected_place_spikes()))
        key = self._hot_key
        if not key or key[0] is not self.state or key[1] is not self.params \
                or key[2] is not self._packed:
            self._refresh_hot_path()
        # One kernel call: the decision window, then the inter-decision idle gap (bit for bit
        # the same as decide() followed by advance_clock()).
        action = int(decision_kernel(cell, nbr, self._gap_ticks, *self._hot_args))
        self.last_action = action
        return 0 if action == NO_ACTION else action

    def _refresh_hot_path(self):
        """Cache the kernel arguments of :meth:`act` (rebuilt when state or params change)."""
        self._hot_args = state_args(self.state) + (self._packed,)
        self._gap_ticks = duration_ticks(self._packed, self.params.inter_decision_ms)
        self._hot_key = (self.state, self.params, self._packed)

    def set_params(self, params: SNANParams) -> None:
        """Switch to new parameters between decisions (memory is kept).

        The agent's variant is re-applied (an ablation stays ablated). Structural fields
        (``dt_ms``, ``ticks_per_decision``, ``territory_size``) size or index the state and
        cannot change: ``ValueError`` names the field.
        """
        new = ablated(params, self.name) if self.name in SNAN_VARIANTS else params
        for field in ('dt_ms', 'ticks_per_decision', 'territory_size'):
            if getattr(new, field) != getattr(self.params, field):
                raise ValueError(f'{field} is structural and cannot change on a live agent '
                                 f'({getattr(self.params, field)} -> {getattr(new, field)})')
        self.params = new
        self._packed = new.packed()

    def end_episode(self, success: bool) -> None:
        """Deliver the neuromodulator: ``reward`` if the goal was reached, else 0."""
        r = self.params.reward if success else 0.0
        flat, dw = deliver_reward(self.state, self._packed, r)
        if self.synapses is not None:
            # Programming pulses realise the requested changes only approximately (VTEAM
            # dynamics, quantisation, device variation): the network keeps what was written.
            for idx, d in zip(flat, dw):
                row, col = divmod(int(idx), 4)
                self.state.w[row, col] += self.synapses.write(row, col, float(d)) - float(d)

    # --- read-outs for plots, diagnostics and tests ------------------------------------------
    def calcium_map(self) -> np.ndarray:
        """Return the astrocytic calcium seen by every cell now, shape ``(n_cells,)``."""
        return calcium_now(self.state, self.params)[self.state.territory]

    def calcium_scale(self) -> float:
        """Calcium of one cell right after a single visit (maps to 100 in the ROS layer)."""
        spikes = max(1.0, self._expected_place_spikes())
        return spikes * self.params.ca_gain_ms / self.params.tau_ca_ms

    def drive(self, obs: Observation) -> np.ndarray:
        """Return the 4 effective synaptic weights leaving ``obs.cell`` now."""
        return synaptic_drive(self.state, self._packed, int(obs.cell),
                              np.asarray(obs.neighbours, dtype=np.int32))

    def decisions(self) -> int:
        """Return the number of decisions taken so far."""
        return int(self.state.counters[C_DECISIONS])

    def energy_report(self):
        """Energy estimate of the emulated crossbar, or None with ideal weights."""
        return None if self.synapses is None else self.synapses.energy_report()

    def _expected_place_spikes(self) -> float:
        p = self.params
        v_inf = p.v_rest + p.place_current
        if v_inf <= p.v_threshold:
            return 0.0
        period = p.tau_m_ms * np.log((v_inf - p.v_reset) / (v_inf - p.v_threshold))
        return float(np.floor(p.ticks_per_decision * p.dt_ms / max(period, p.dt_ms)))


def make_snan_agent(variant: str, n_cells_or_grid, params: Optional[SNANParams] = None,
                    seed: int = 0, synapses=None) -> SNANAgent:
    """Build ``snan``, ``snan-no-astro`` or ``snan-no-stdp``.

    ``n_cells_or_grid`` is a :class:`~snan_nav.world.grid.GridMap` (preferred: territories
    follow its width) or a cell count (then the index space is one row of that many cells).
    """
    base = params if params is not None else SNANParams()
    p = ablated(base, variant)
    if hasattr(n_cells_or_grid, 'width'):
        width, height = n_cells_or_grid.width, n_cells_or_grid.height
    else:
        width, height = int(n_cells_or_grid), 1
    return SNANAgent(width, height, p, seed=seed, name=variant, synapses=synapses)
