"""One decision of the SNAN, the reward at the end of an episode, and idle time.

Per decision the current cell's place population receives ``place_current`` for
``ticks_per_decision`` ticks. Each tick, in this order:

1. the place population integrates (LIF); on a spike: STDP depression on its tagged synapses
   (pre after post), presynaptic trace ``x += 1``, its astrocyte gets ``R / tau_Ca`` calcium,
   and each free neighbour's action neuron receives ``w (1 - alpha G)`` where ``G`` is the
   gliotransmitter of the astrocyte of the cell that action leads to;
2. the four action neurons integrate ``bias + urgency ramp - blocked inhibition`` (LIF) plus
   Gaussian membrane noise; hard winner-take-all: at most one action spike per tick (the most
   depolarised supra-threshold neuron), the others lose ``lateral_inhibition``; on the spike:
   ``y += 1``, STDP potentiation ``e += A+ x`` (saturating), synapse tagged. The first action
   spike is the decision and switches the urgency ramp off.

Only the active place population, the 4 action neurons, the current and 4 neighbouring
astrocytes and 4 synapses are touched, so the cost per decision is independent of map size.
"""
import math

import numpy as np
from numba import njit

from snan_nav.core.astrocyte import calcium_at, calcium_spike, modulated_weight
from snan_nav.core.lif import lif_relax, lif_step
from snan_nav.core.params import (
    P_A_MINUS, P_A_PLUS, P_ALPHA, P_BIAS, P_CA_GAIN, P_CA_SLOPE, P_CA_TH, P_DT, P_E_MAX, P_ETA,
    P_I_BLOCK, P_I_PLACE, P_NOISE, P_TAU_CA, P_TAU_E, P_TAU_M, P_TAU_MINUS, P_TAU_PLUS,
    P_URGENCY, P_V_RESET, P_V_REST, P_V_TH, P_W_INH, P_W_INIT, P_W_MAX, P_W_MIN, SNANParams)
from snan_nav.core.plasticity import depress, potentiate, reward_update, trace_at
from snan_nav.core.rng import normal_pair
from snan_nav.core.state import (
    C_ACTION_SPIKES, C_DECISIONS, C_N_TOUCHED, C_PLACE_SPIKES, C_TICK, N_ACTIONS, NetworkState)

NO_ACTION = -1


@njit(cache=True)
def _bring_elig(elig, elig_tick, c, a, tick, decay_e):
    elig[c, a] = trace_at(elig[c, a], elig_tick[c, a], tick, decay_e)
    elig_tick[c, a] = tick


@njit(cache=True)
def decide_kernel(cell, nbr, w, elig, elig_tick, tagged, touched, place_v, place_x, place_tick,
                  action_v, action_y, ca, ca_tick, territory, rng, counters, raster, p):
    """Run one decision window at ``cell``; return the chosen action or ``NO_ACTION``.

    ``nbr[a]`` is the cell action ``a`` leads to (-1 if blocked). Returns the first action
    neuron to win the WTA; if none spiked, the most depolarised unblocked one; ``NO_ACTION``
    when all four moves are blocked.
    """
    dt = p[P_DT]
    n_ticks = raster.shape[0]
    decay_m = math.exp(-dt / p[P_TAU_M])
    decay_x = math.exp(-dt / p[P_TAU_PLUS])
    decay_y = math.exp(-dt / p[P_TAU_MINUS])
    decay_ca = math.exp(-dt / p[P_TAU_CA])
    decay_e = math.exp(-dt / p[P_TAU_E])
    v_rest = p[P_V_REST]
    v_reset = p[P_V_RESET]
    v_th = p[P_V_TH]
    ca_inc = p[P_CA_GAIN] / p[P_TAU_CA]
    e_max = p[P_E_MAX]
    noise = p[P_NOISE]

    t0 = counters[C_TICK]
    # Lazy catch-up of the active place population (it evolved without input until now).
    gap = t0 - place_tick[cell]
    v = lif_relax(place_v[cell], v_rest, decay_m, gap)
    x = trace_at(place_x[cell], place_tick[cell], t0, decay_x)
    k_own = territory[cell]

    committed = NO_ACTION
    place_spikes = 0
    action_spikes = 0
    n_touched = counters[C_N_TOUCHED]
    for k in range(n_ticks):
        t = t0 + k + 1
        for col in range(N_ACTIONS + 1):
            raster[k, col] = 0
        # 1. place population
        v = lif_step(v, p[P_I_PLACE], v_rest, decay_m)
        x *= decay_x
        for a in range(N_ACTIONS):
            action_y[a] *= decay_y
        if v >= v_th:
            v = v_reset
            raster[k, 0] = 1
            place_spikes += 1
            for a in range(N_ACTIONS):
                if tagged[cell, a] != 0 and action_y[a] > 0.0:
                    _bring_elig(elig, elig_tick, cell, a, t, decay_e)
                    elig[cell, a] = depress(elig[cell, a], action_y[a], p[P_A_MINUS], e_max)
            x += 1.0
            calcium_spike(ca, ca_tick, k_own, t, decay_ca, ca_inc)
            for a in range(N_ACTIONS):
                target = nbr[a]
                if target >= 0:
                    c_n = calcium_at(ca, ca_tick, territory[target], t, decay_ca)
                    action_v[a] += modulated_weight(w[cell, a], c_n, p[P_CA_TH], p[P_CA_SLOPE],
                                                    p[P_ALPHA])
        # 2. action neurons
        drive = p[P_BIAS]
        if committed == NO_ACTION:
            drive += p[P_URGENCY] * dt * (k + 1)
        for a in range(0, N_ACTIONS, 2):
            z0, z1 = normal_pair(rng)
            for b, z in ((a, z0), (a + 1, z1)):
                i_b = drive - p[P_I_BLOCK] if nbr[b] < 0 else drive
                action_v[b] = lif_step(action_v[b], i_b, v_rest, decay_m) + noise * z
        best = NO_ACTION
        best_v = v_th
        for a in range(N_ACTIONS):
            if action_v[a] >= best_v:
                if best == NO_ACTION or action_v[a] > best_v:
                    best = a
                    best_v = action_v[a]
        if best != NO_ACTION:
            for a in range(N_ACTIONS):
                if a == best:
                    action_v[a] = v_reset
                else:
                    action_v[a] -= p[P_W_INH]
                    if action_v[a] >= v_th:
                        action_v[a] = v_reset
            action_y[best] += 1.0
            raster[k, 1 + best] = 1
            action_spikes += 1
            _bring_elig(elig, elig_tick, cell, best, t, decay_e)
            elig[cell, best] = potentiate(elig[cell, best], x, p[P_A_PLUS], e_max)
            if tagged[cell, best] == 0:
                tagged[cell, best] = 1
                touched[n_touched] = cell * N_ACTIONS + best
                n_touched += 1
            if committed == NO_ACTION:
                committed = best

    place_v[cell] = v
    place_x[cell] = x
    place_tick[cell] = t0 + n_ticks
    counters[C_TICK] = t0 + n_ticks
    counters[C_N_TOUCHED] = n_touched
    counters[C_DECISIONS] += 1
    counters[C_PLACE_SPIKES] += place_spikes
    counters[C_ACTION_SPIKES] += action_spikes
    if committed != NO_ACTION:
        return committed
    # No action spiked in the window: read the race out by membrane potential.
    for a in range(N_ACTIONS):
        if nbr[a] >= 0 and (committed == NO_ACTION or action_v[a] > action_v[committed]):
            committed = a
    return committed


@njit(cache=True)
def reward_kernel(r, w, elig, elig_tick, tagged, touched, counters, p, dw_out):
    """Apply the end-of-episode modulator ``r`` to every tagged synapse; clear the tags.

    Writes the realised weight change of the i-th tagged synapse to ``dw_out[i]`` and returns
    how many synapses were updated (their flat indices are ``touched[:n]``).
    """
    tick = counters[C_TICK]
    decay_e = math.exp(-p[P_DT] / p[P_TAU_E])
    n = counters[C_N_TOUCHED]
    for i in range(n):
        idx = touched[i]
        c = idx // N_ACTIONS
        a = idx % N_ACTIONS
        e = trace_at(elig[c, a], elig_tick[c, a], tick, decay_e)
        new = reward_update(w[c, a], e, r, p[P_ETA], p[P_W_MIN], p[P_W_INIT], p[P_W_MAX],
                            p[P_E_MAX])
        dw_out[i] = new - w[c, a]
        w[c, a] = new
        elig[c, a] = 0.0
        elig_tick[c, a] = tick
        tagged[c, a] = 0
    counters[C_N_TOUCHED] = 0
    return n


@njit(cache=True)
def idle_kernel(n_ticks, action_v, action_y, counters, p):
    """Advance the clock by ``n_ticks`` without input or noise (closed-form for the actions)."""
    if n_ticks <= 0:
        return
    dt = p[P_DT]
    decay_m = math.exp(-dt / p[P_TAU_M])
    decay_y = math.exp(-dt / p[P_TAU_MINUS])
    for a in range(N_ACTIONS):
        action_v[a] = lif_relax(action_v[a], p[P_V_REST], decay_m, n_ticks)
        action_y[a] *= decay_y ** n_ticks
    counters[C_TICK] += n_ticks


@njit(cache=True)
def drive_kernel(cell, nbr, w, ca, ca_tick, territory, counters, p, out):
    """Write the effective weights ``w (1 - alpha G)`` of ``cell``'s 4 synapses into ``out``."""
    decay_ca = math.exp(-p[P_DT] / p[P_TAU_CA])
    tick = counters[C_TICK]
    for a in range(N_ACTIONS):
        if nbr[a] < 0:
            out[a] = 0.0
        else:
            c_n = calcium_at(ca, ca_tick, territory[nbr[a]], tick, decay_ca)
            out[a] = modulated_weight(w[cell, a], c_n, p[P_CA_TH], p[P_CA_SLOPE], p[P_ALPHA])


@njit(cache=True)
def decision_kernel(cell, nbr, idle_ticks, w, elig, elig_tick, tagged, touched, place_v,
                    place_x, place_tick, action_v, action_y, ca, ca_tick, territory, rng,
                    counters, raster, p):
    """Run :func:`decide_kernel` at ``cell``, then :func:`idle_kernel` for ``idle_ticks``.

    One dispatch for a whole decision step of the agent (window plus the idle gap while the
    robot moves); ``idle_ticks = 0`` is a plain decision. Returns the action (or -1).
    """
    action = decide_kernel(cell, nbr, w, elig, elig_tick, tagged, touched, place_v, place_x,
                           place_tick, action_v, action_y, ca, ca_tick, territory, rng,
                           counters, raster, p)
    idle_kernel(idle_ticks, action_v, action_y, counters, p)
    return action


def state_args(state: NetworkState) -> tuple:
    """Return the state arrays in :func:`decision_kernel`'s argument order (after idle_ticks).

    Callers on a hot path build this tuple once and call
    ``decision_kernel(cell, nbr, idle_ticks, *args, packed)``.
    """
    s = state
    return (s.w, s.elig, s.elig_tick, s.tagged, s.touched, s.place_v, s.place_x, s.place_tick,
            s.action_v, s.action_y, s.ca, s.ca_tick, s.territory, s.rng, s.counters, s.raster)


def duration_ticks(packed: np.ndarray, duration_ms: float) -> int:
    """Return ``duration_ms`` in whole ticks (rounded half to even), as the idle kernels count.

    ``packed.item`` yields a Python float: the same IEEE division and rounding as with the
    NumPy scalar, several times faster on the per-decision path.
    """
    return int(round(duration_ms / packed.item(P_DT)))


def decide(state: NetworkState, packed: np.ndarray, cell: int, neighbours: np.ndarray) -> int:
    """Run one decision at ``cell`` (see :func:`decide_kernel`); returns 0..3 or -1."""
    return int(decision_kernel(cell, neighbours, 0, *state_args(state), packed))


def decide_and_idle(state: NetworkState, packed: np.ndarray, cell: int,
                    neighbours: np.ndarray, duration_ms: float) -> int:
    """Run one decision at ``cell``, then let ``duration_ms`` pass idle (one kernel call).

    Same result, bit for bit, as :func:`decide` followed by :func:`advance_clock`.
    """
    return int(decision_kernel(cell, neighbours, duration_ticks(packed, duration_ms),
                               *state_args(state), packed))


def deliver_reward(state: NetworkState, packed: np.ndarray, r: float):
    """Apply modulator ``r`` to the tagged synapses; return ``(flat_indices, dw)`` arrays."""
    s = state
    dw = np.empty(int(s.counters[C_N_TOUCHED]), dtype=np.float64)
    n = reward_kernel(float(r), s.w, s.elig, s.elig_tick, s.tagged, s.touched, s.counters,
                      packed, dw)
    return s.touched[:n].copy(), dw


def advance_clock(state: NetworkState, packed: np.ndarray, duration_ms: float):
    """Let ``duration_ms`` of network time pass without input (rounded to whole ticks)."""
    idle_kernel(duration_ticks(packed, duration_ms), state.action_v, state.action_y,
                state.counters, packed)


def synaptic_drive(state: NetworkState, packed: np.ndarray, cell: int,
                   neighbours: np.ndarray) -> np.ndarray:
    """Return the 4 effective weights leaving ``cell`` now (0 for blocked moves)."""
    out = np.empty(N_ACTIONS, dtype=np.float64)
    drive_kernel(cell, neighbours, state.w, state.ca, state.ca_tick, state.territory,
                 state.counters, packed, out)
    return out


def calcium_now(state: NetworkState, params: SNANParams) -> np.ndarray:
    """Return the calcium of every astrocyte brought to the current tick."""
    gap = state.counters[C_TICK] - state.ca_tick
    return state.ca * np.exp(-gap * params.dt_ms / params.tau_ca_ms)
