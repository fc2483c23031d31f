"""A dense NumPy reference of exactly the core's SNAN: everything is updated every tick.

Same architecture as :mod:`snan_nav.core.network` (one place population per cell, 4 action
neurons with hard winner-take-all, one astrocyte per territory, one plastic synapse per
(cell, action) with an eligibility trace and a tag), same equations, same order of
operations per tick and the same SplitMix64 noise draws in the same order. What differs is
only the bookkeeping: there are no tick stamps and no lazy decay. Each tick this module

- integrates every place neuron (the stimulated one with ``place_current``, the others with
  no input) and decays every presynaptic trace, both postsynaptic traces, every eligibility
  trace and every astrocyte's calcium;
- evaluates the spike-triggered terms on full arrays with masks: STDP depression on every
  tagged synapse of every spiking population, calcium increments per territory
  (``bincount``), the gliotransmitter of every astrocyte, the effective weight
  ``w (1 - alpha G)`` of every synapse and the synaptic input ``spikes @ w_eff``;
- on an action spike, potentiates the whole column of the winning action with
  ``A+ x`` masked to the stimulated population (in the core, as here, a pairing is formed on
  the synapses of the population that receives the input), and tags it.

Idle gaps between decisions (``advance``) are ticked through one by one, without input and
without noise, as the core's closed form assumes. The spike raster therefore equals the
core's; the state agrees to rounding (``decay ** n`` versus ``n`` multiplications).
"""
import math

import numpy as np

from snan_nav.core.params import SNANParams
from snan_nav.core.rng import normal_pair, seeded
from snan_nav.core.state import territories

N_ACTIONS = 4
NO_ACTION = -1


class DenseReference:
    """Dense, every-tick SNAN on a ``width`` x ``height`` grid (float64, cost O(cells) a tick).

    ``table`` (cells, 4) int is the neighbour table of the map: ``table[c, a]`` is the cell
    action ``a`` leads to from ``c``, or -1 when blocked; a decision at ``c`` sees
    ``table[c]`` as its neighbours (the core's ``nbr`` argument).
    """

    def __init__(self, params: SNANParams, width: int, height: int, seed: int,
                 table: np.ndarray):
        p = params
        if not p.v_rest < p.v_threshold:
            raise ValueError('the dense reference needs v_rest < v_threshold (then, as in the '
                             'core, only the stimulated place population can fire)')
        n = int(width) * int(height)
        table = np.asarray(table, dtype=np.int64)
        if table.shape != (n, N_ACTIONS):
            raise ValueError(f'table must have shape ({n}, {N_ACTIONS}), got {table.shape}')
        self.params = p
        self.n_cells = n
        self.n_ticks = p.ticks_per_decision
        self.table = table
        self.blocked = table < 0
        self.territory = territories(int(width), int(height), p.territory_size)
        self.n_territories = int(self.territory.max()) + 1
        # Astrocyte of the cell each synapse leads to (any index for blocked synapses).
        self.target_territory = self.territory[np.where(self.blocked, 0, table)]
        dt = p.dt_ms
        self.decay_m = math.exp(-dt / p.tau_m_ms)
        self.decay_x = math.exp(-dt / p.tau_plus_ms)
        self.decay_y = math.exp(-dt / p.tau_minus_ms)
        self.decay_ca = math.exp(-dt / p.tau_ca_ms)
        self.decay_e = math.exp(-dt / p.tau_elig_ms)
        self.ca_inc = p.ca_gain_ms / p.tau_ca_ms
        # State (the core's NetworkState without stamps).
        self.w = np.full((n, N_ACTIONS), p.w_init)
        self.elig = np.zeros((n, N_ACTIONS))
        self.tagged = np.zeros((n, N_ACTIONS), dtype=bool)
        self.place_v = np.full(n, p.v_rest)
        self.place_x = np.zeros(n)
        self.action_v = np.full(N_ACTIONS, p.v_rest)
        self.action_y = np.zeros(N_ACTIONS)
        self.ca = np.zeros(self.n_territories)
        self.rng = seeded(seed)
        self.tick = 0
        self.raster = np.zeros((self.n_ticks, 1 + N_ACTIONS), dtype=np.uint8)
        self.place_spikes = np.zeros(n, dtype=bool)
        # Input vectors of the current decision (all zero while idle).
        self._i_place = np.zeros(n)
        self._active = np.zeros(n)
        self._zero_input = np.zeros(n)

    # --- one tick of the whole network --------------------------------------------------
    def _tick(self, i_place, active, i_action, noisy):
        """Advance every element by one tick; return the action that spiked or ``NO_ACTION``.

        ``i_place`` (cells,) is the external current of every place population, ``active``
        (cells,) 1.0 for the stimulated population, ``i_action`` (4,) the current into the
        action neurons; ``noisy`` adds the Gaussian membrane noise (decision windows only).
        """
        p = self.params
        self.tick += 1
        # 1. place populations, traces, calcium.
        v_inf = p.v_rest + i_place
        self.place_v = v_inf + (self.place_v - v_inf) * self.decay_m
        self.place_x *= self.decay_x
        self.action_y *= self.decay_y
        self.elig *= self.decay_e
        self.ca *= self.decay_ca
        spikes = self.place_v >= p.v_threshold
        self.place_spikes = spikes
        s = spikes.astype(np.float64)
        self.place_v = np.where(spikes, p.v_reset, self.place_v)
        depress = spikes[:, None] & self.tagged & (self.action_y > 0.0)[None, :]
        self.elig = np.where(
            depress, np.maximum(self.elig - p.a_minus * self.action_y, -p.elig_max), self.elig)
        self.place_x += s
        self.ca += self.ca_inc * np.bincount(self.territory, weights=s,
                                             minlength=self.n_territories)
        glio = 1.0 / (1.0 + np.exp(-(self.ca - p.ca_threshold) / p.ca_slope))
        w_eff = self.w * (1.0 - p.astro_alpha * glio[self.target_territory])
        w_eff[self.blocked] = 0.0
        self.action_v += s @ w_eff
        # 2. action neurons (LIF + noise) and hard winner-take-all.
        v_inf = p.v_rest + i_action
        self.action_v = v_inf + (self.action_v - v_inf) * self.decay_m
        if noisy:
            z = np.empty(N_ACTIONS)
            for a in range(0, N_ACTIONS, 2):
                z[a], z[a + 1] = normal_pair(self.rng)
            self.action_v += p.action_noise * z
        supra = self.action_v >= p.v_threshold
        if not supra.any():
            return NO_ACTION
        best = int(np.argmax(np.where(supra, self.action_v, -np.inf)))
        self.action_v -= p.lateral_inhibition
        self.action_v[self.action_v >= p.v_threshold] = p.v_reset
        self.action_v[best] = p.v_reset
        self.action_y[best] += 1.0
        self.elig[:, best] = np.minimum(self.elig[:, best] + p.a_plus * self.place_x * active,
                                        p.elig_max)
        self.tagged[:, best] |= active > 0.0
        return best

    # --- the core's public operations ----------------------------------------------------
    def decide(self, cell: int) -> int:
        """Run one decision window at ``cell``; return the action as the core's ``decide``."""
        p = self.params
        nbr = self.table[cell]
        self._i_place[cell] = p.place_current
        self._active[cell] = 1.0
        committed = NO_ACTION
        self.raster[:] = 0
        for k in range(self.n_ticks):
            drive = p.action_bias
            if committed == NO_ACTION:
                drive += p.action_urgency_per_ms * p.dt_ms * (k + 1)
            i_action = np.where(nbr < 0, drive - p.blocked_inhibition, drive)
            best = self._tick(self._i_place, self._active, i_action, True)
            self.raster[k, 0] = self.place_spikes[cell]
            if best != NO_ACTION:
                self.raster[k, 1 + best] = 1
                if committed == NO_ACTION:
                    committed = best
        self._i_place[cell] = 0.0
        self._active[cell] = 0.0
        if committed != NO_ACTION:
            return committed
        for a in range(N_ACTIONS):
            if nbr[a] >= 0 and (committed == NO_ACTION
                                or self.action_v[a] > self.action_v[committed]):
                committed = a
        return committed

    def advance(self, n_ticks: int):
        """Tick the whole network ``n_ticks`` times without input and without noise."""
        no_drive = np.zeros(N_ACTIONS)
        for _ in range(int(n_ticks)):
            self._tick(self._zero_input, self._zero_input, no_drive, False)

    def advance_ms(self, duration_ms: float):
        """Let ``duration_ms`` pass (rounded to whole ticks, as ``advance_clock``)."""
        self.advance(int(round(duration_ms / self.params.dt_ms)))

    def reward(self, r: float):
        """Apply modulator ``r`` to every tagged synapse and clear the tags; return ``dw``.

        The core's rule, on the whole matrix: ``w += eta r (target(e) - w)`` clipped to
        ``[w_min, w_max]``, ``target(e) = w_init + (w_max - w_init) e / e_max`` for ``e >= 0``
        and ``w_init + (w_init - w_min) e / e_max`` below; untagged synapses keep their
        weight. ``dw`` (cells, 4) holds the realised change (0 on untagged synapses).
        """
        p = self.params
        e = self.elig
        target = np.where(e >= 0.0, p.w_init + (p.w_max - p.w_init) * e / p.elig_max,
                          p.w_init + (p.w_init - p.w_min) * e / p.elig_max)
        new = np.clip(self.w + p.learning_rate * r * (target - self.w), p.w_min, p.w_max)
        new = np.where(self.tagged, new, self.w)
        dw = new - self.w
        self.w = new
        self.elig = np.where(self.tagged, 0.0, self.elig)
        self.tagged[:] = False
        return dw
