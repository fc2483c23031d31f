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
"""numba kernels of the tabular learners: epsilon-greedy choice, Q update, Dyna-Q planning.

All arrays are preallocated by the agents and updated in place, so a step allocates nothing:

- ``q``: float64 ``(n_cells, 4)``, action values in reward units;
- ``open_moves``: bool ``(n_cells, 4)``, the moves the last observation of a cell reported
  open (all False for a cell never observed);
- the Dyna-Q model, one entry per (cell, action): ``model_next`` int32 (-1: never tried),
  ``model_reward`` float64 (reward units, the step reward included), ``model_terminal`` bool,
  ``last_tried`` int64 (value of the real-step clock when the move was last taken);
- ``observed``: int32 ``(n_cells * 4,)``, the flat indices ``cell * 4 + action`` of the tried
  moves in the order they were first tried; ``counters`` int64 ``[n_observed, clock]``.

Randomness comes from the agent's own SplitMix64 state (:mod:`snan_nav.core.rng`), so a seed
fixes an agent's choices whatever else runs in the process. Indices are trusted (numba does
not check bounds): the agents validate cell ids before calling in.
"""
import math

from numba import njit
import numpy as np

from snan_nav.agents.baseline_params import (
    K_ALPHA, K_GAMMA, K_KAPPA, K_PLANNING_STEPS, K_SKIP_BLOCKED, K_STEP_REWARD)
from snan_nav.core.rng import next_u64, uniform

N_OBSERVED, CLOCK = 0, 1


@njit(cache=True)
def below(rng, n):
    """Return a uniform integer in ``[0, n)`` (modulo of a 64-bit draw; bias ``n / 2**64``)."""
    return np.int64(next_u64(rng) % np.uint64(n))


@njit(cache=True)
def allowed_mask(open_moves, cell, skip_blocked):
    """Return the 4-bit mask of the actions a policy may take at ``cell``.

    The open moves when ``skip_blocked`` and at least one is open, else all four.
    """
    mask = 0
    if skip_blocked:
        for a in range(4):
            if open_moves[cell, a]:
                mask |= 1 << a
    return mask if mask else 15


@njit(cache=True)
def nth_bit(mask, k):
    """Return the position of the ``k``-th (0-based) set bit of a 4-bit ``mask``."""
    for a in range(4):
        if mask & (1 << a):
            if k == 0:
                return a
            k -= 1
    return -1


@njit(cache=True)
def best_value(q, open_moves, cell, skip_blocked):
    """Return ``max_a Q(cell, a)`` over the allowed actions at ``cell``."""
    mask = allowed_mask(open_moves, cell, skip_blocked)
    best = -np.inf
    for a in range(4):
        if mask & (1 << a) and q[cell, a] > best:
            best = q[cell, a]
    return best


@njit(cache=True)
def note_open_moves(open_moves, cell, neighbours):
    """Record which moves of ``cell`` the observation reports open (``neighbours >= 0``)."""
    for a in range(4):
        open_moves[cell, a] = neighbours[a] >= 0


@njit(cache=True)
def epsilon_greedy(q, open_moves, cell, neighbours, epsilon, skip_blocked, rng):
    """Note the observation of ``cell`` and return an epsilon-greedy action (0..3).

    One uniform draw decides exploration; an explorative action is uniform over the allowed
    actions, a greedy one uniform over the allowed actions of maximal Q (ties broken at random).
    """
    note_open_moves(open_moves, cell, neighbours)
    mask = allowed_mask(open_moves, cell, skip_blocked)
    if uniform(rng) < epsilon:
        count = 0
        for a in range(4):
            if mask & (1 << a):
                count += 1
        return nth_bit(mask, below(rng, count))
    best = best_value(q, open_moves, cell, skip_blocked)
    ties = 0
    count = 0
    for a in range(4):
        if mask & (1 << a) and q[cell, a] == best:
            ties |= 1 << a
            count += 1
    if count == 1:
        return nth_bit(ties, 0)
    return nth_bit(ties, below(rng, count))


@njit(cache=True)
def q_update(q, open_moves, cell, action, reward, terminal, next_cell, alpha, gamma,
             skip_blocked):
    """Apply one Q-learning update ``Q += alpha (target - Q)`` to ``(cell, action)``.

    ``target = reward`` for a terminal transition (no bootstrap), else
    ``reward + gamma * max_a' Q(next_cell, a')`` over the allowed actions of ``next_cell``.
    """
    target = reward
    if not terminal:
        target += gamma * best_value(q, open_moves, next_cell, skip_blocked)
    q[cell, action] += alpha * (target - q[cell, action])


@njit(cache=True)
def q_learning_observe(q, open_moves, cell, action, reward, terminal, next_cell,
                       next_neighbours, params):
    """Note the next observation and apply the real-step Q update (``params``: packed record).

    ``reward`` is the environment's; ``step_reward`` is added to non-terminal steps.
    """
    note_open_moves(open_moves, next_cell, next_neighbours)
    skip = params[K_SKIP_BLOCKED] != 0.0
    r = reward if terminal else reward + params[K_STEP_REWARD]
    q_update(q, open_moves, cell, action, r, terminal, next_cell, params[K_ALPHA],
             params[K_GAMMA], skip)


@njit(cache=True)
def dyna_q_observe(q, open_moves, model_next, model_reward, model_terminal, last_tried,
                   observed, counters, cell, action, reward, terminal, next_cell,
                   next_neighbours, params, rng):
    """One step of Tabular Dyna-Q (Sutton & Barto 2018, section 8.2, steps d-f).

    (d) Q update from the real transition; (e) the deterministic model of ``(cell, action)``
    becomes this transition (the last outcome seen wins); (f) ``planning_steps`` updates of
    moves drawn uniformly from those tried so far, each replayed through the model. With
    ``kappa > 0`` the replayed reward gets the Dyna-Q+ bonus ``kappa * sqrt(tau)``, ``tau``
    the real steps since the move was last tried (section 8.3; only tried moves are replayed).
    """
    q_learning_observe(q, open_moves, cell, action, reward, terminal, next_cell,
                       next_neighbours, params)
    if model_next[cell, action] < 0:
        observed[counters[N_OBSERVED]] = cell * 4 + action
        counters[N_OBSERVED] += 1
    model_next[cell, action] = next_cell
    model_reward[cell, action] = reward if terminal else reward + params[K_STEP_REWARD]
    model_terminal[cell, action] = terminal
    counters[CLOCK] += 1
    last_tried[cell, action] = counters[CLOCK]
    alpha, gamma, kappa = params[K_ALPHA], params[K_GAMMA], params[K_KAPPA]
    skip = params[K_SKIP_BLOCKED] != 0.0
    n_observed = counters[N_OBSERVED]
    for _ in range(int(params[K_PLANNING_STEPS])):
        flat = observed[below(rng, n_observed)]
        s, a = flat // 4, flat % 4
        r = model_reward[s, a]
        if kappa > 0.0:
            r += kappa * math.sqrt(float(counters[CLOCK] - last_tried[s, a]))
        q_update(q, open_moves, s, a, r, model_terminal[s, a], model_next[s, a], alpha,
                 gamma, skip)
