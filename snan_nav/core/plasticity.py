"""STDP into eligibility traces, and the reward that turns them into weight changes.

Why not the seed's rule (add ``outer(state, next_state)`` on the rewarded step): it credits
one transition, so nothing upstream of the goal is ever learned. We use a three-factor rule
(Izhikevich, Cereb. Cortex 17, 2007; Fremaux and Gerstner, Front. Neural Circuits 9, 2016):

1. Pair-based STDP with traces. Presynaptic trace ``x`` (tau_+), postsynaptic ``y``
   (tau_-). A post spike adds ``A+ x`` to the synapse's eligibility ``e``; a pre spike removes
   ``A- y``. The pairing also *tags* the synapse (synaptic tagging, Frey and Morris 1997):
   only tagged synapses keep a trace and take part in the reward. ``e`` saturates at
   ``e_max`` (a replacing trace) and decays with ``tau_e``.
2. At the end of an episode a neuromodulatory signal ``r`` (``reward`` on reaching the goal,
   0 otherwise) gates plasticity of every tagged synapse:

       dw = eta r (e - w),   then w is clipped to [w_min, w_max]   (eta r <= 1).

   ``eta r e`` is the classic reward x eligibility product; ``-eta r w``, restricted to tagged
   synapses, is a homeostatic decay that makes ``w`` track the trace instead of growing
   without bound. Without reward (a failed episode) nothing changes: the modulator is absent,
   and an unrewarded exploration must not erase what earlier successes taught.
   With ``e`` set at the last use of a synapse and decaying as ``exp(-dt / tau_e)``, ``w``
   converges to ``r gamma^D``: a Monte-Carlo estimate of the discounted return of taking
   that action from that cell (``gamma = exp(-T_decision / tau_e)``, ``D`` the decisions
   left to the goal). The action taken from a cell *last* before the goal (the loop-erased
   route) gets the largest weight; detours into dead ends get less; untaken synapses and
   unrewarded episodes change nothing.
"""
import math

from numba import njit


@njit(cache=True)
def trace_at(value, stamp, tick, decay_per_tick):
    """Return an exponentially decaying trace stored at ``stamp`` brought to ``tick``."""
    gap = tick - stamp
    if gap <= 0:
        return value
    return value * decay_per_tick ** gap


@njit(cache=True)
def potentiate(e, x_pre, a_plus, e_max):
    """Return the eligibility after a post spike: ``min(e + A+ x_pre, e_max)``."""
    e = e + a_plus * x_pre
    return e if e < e_max else e_max


@njit(cache=True)
def depress(e, y_post, a_minus, e_max):
    """Return the eligibility after a pre spike: ``max(e - A- y_post, -e_max)``."""
    e = e - a_minus * y_post
    return e if e > -e_max else -e_max


@njit(cache=True)
def stdp_window(delta_t_ms, a_plus, a_minus, tau_plus_ms, tau_minus_ms):
    """Return the pair STDP kernel: ``A+ e^{-dt/tau+}`` for dt > 0 (post after pre).

    ``-A- e^{dt/tau-}`` for dt < 0 (pre after post) and 0 for dt = 0.
    """
    if delta_t_ms > 0.0:
        return a_plus * math.exp(-delta_t_ms / tau_plus_ms)
    if delta_t_ms < 0.0:
        return -a_minus * math.exp(delta_t_ms / tau_minus_ms)
    return 0.0


@njit(cache=True)
def reward_update(w, e, r, eta, w_min, w_max):
    """Return the new weight ``clip(w + eta r (e - w), w_min, w_max)`` of a tagged synapse."""
    new = w + eta * r * (e - w)
    if new < w_min:
        return w_min
    if new > w_max:
        return w_max
    return new
