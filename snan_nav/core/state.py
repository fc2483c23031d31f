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
"""The network state: one small record of NumPy arrays, created once per agent.

Event-driven bookkeeping (why some arrays carry ``*_tick`` stamps): place neurons and
astrocytes that receive no input evolve by pure exponential decay, so they are stored with the
tick of their last update and brought forward analytically when next touched. The goal wave's
spike latencies are kept between decisions and repaired only where a new map synapse changes
them. A decision therefore costs the same on a 10x10 and on a 256x256 map in steady state.

Numba receives the whole record (a NamedTuple of arrays) as one argument.
"""
from typing import NamedTuple

import numpy as np

from snan_nav.core.params import SNANParams
from snan_nav.core.rng import seeded

N_ACTIONS = 4
#: Latency of a place cell the wave never reached (hops).
NEVER = np.int32(1 << 30)
#: Most goal places held by the goal memory at once (the oldest weak tag is dropped first).
MAX_GOALS = 64

# Slots of the int64 ``counters`` array: events counted by the kernels (energy ledger, perf).
(C_TICK, C_DECISIONS, C_PLACE_SPIKES, C_ACTION_SPIKES, C_SENSORY_SPIKES, C_MAP_WRITES,
 C_MAP_READS, C_WAVE_SPIKES, C_WAVE_READS, C_SEARCH_SPIKES, C_SEARCH_READS, C_CA_UPDATES,
 C_CA_READS, C_GOAL_WRITES, C_WAVE_RESETS, C_RACE_TICKS, C_NEW_PLACES, C_READOUT_SPIKES,
 C_GOAL_READS, C_WAVE_CLEARS, C_KNOWN_READS, C_ROUTE_READS, C_BOUND_TESTS,
 C_BOUND_DISTANCES) = range(24)
N_COUNTERS = 24
#: readout_spikes: neighbour spikes delivered to an action neuron in the race; goal_reads:
#: goal-synapse evaluations; wave_clears: latencies reset by a wave rerun; known_reads: "is
#: this place known" look-ups; route_reads: synapse reads that cache a curiosity route;
#: bound_tests: novel places checked against the shortcut bound (their position read);
#: bound_distances: grid distances those checks computed (to the start and to each goal).
COUNTER_NAMES = (
    'tick', 'decisions', 'place_spikes', 'action_spikes', 'sensory_spikes', 'map_writes',
    'map_reads', 'wave_spikes', 'wave_reads', 'search_spikes', 'search_reads',
    'calcium_updates', 'calcium_reads', 'goal_writes', 'wave_resets', 'race_ticks',
    'new_places', 'readout_spikes', 'goal_reads', 'wave_clears', 'known_reads', 'route_reads',
    'bound_tests', 'bound_distances')

# Slots of the int64 ``flags`` array: the small scalar state of the agent.
(F_CUE, F_WAVE_DIRTY, F_N_GOALS, F_GOAL_EPISODES, F_ONSET, F_LAST_ACTION, F_N_FRONTIER,
 F_STAMP, F_N_REACHED, F_PLAN_CELL, F_PLAN_VALUE, F_PLAN_LEN, F_PLAN_POS,
 F_PLAN_KIND, F_START, F_ROUTE_AT_START, F_PLACES_AT_START, F_EPISODE_TICK, F_WIDTH,
 F_BOUND_ROUTE) = range(20)
N_FLAGS = 20
#: ``F_ONSET`` when the curiosity wave is off for the episode (0: on; its onset is per decision).
ONSET_OFF = 1 << 40
#: ``F_PLAN_KIND``: no cached route, a route to a source, a certificate "no source near" (then
#: ``F_PLAN_VALUE`` holds its depth in hops, ``F_PLAN_POS`` the decision count at its issue).
PLAN_NONE, PLAN_ROUTE, PLAN_EMPTY = 0, 1, 2


class NetworkState(NamedTuple):
    """Arrays of one SNAN (``C`` place cells = grid cells, ``K`` astrocytes, ``T`` ticks).

    Slow memory (STDP; persisted):
    - ``w_map`` (C, 4): weight of the place-to-place synapse from place ``i`` toward its
      neighbour in direction ``a`` (threshold units); it carries the wave from
      ``v_threshold`` on; ``map_nbr`` (C, 4) int32: the place it contacts (-1: none).
    - ``familiar`` (C,) uint8: the place field is formed (the robot stood there).
    - ``goal_w`` (C,): weight of the goal-neuron-to-place synapse (reward-tagged goals);
      ``goals`` (MAX_GOALS,) int32: the tagged places (first ``flags[F_N_GOALS]``);
      ``goal_on`` (MAX_GOALS,) uint8: which of them fired the current goal wave.

    Fast memory and neurons:
    - ``ca``, ``ca_tick`` (K,): astrocytic calcium and stamp; ``territory`` (C,) int32.
    - ``place_v``, ``place_tick`` (C,): place-cell membranes (lazy LIF).
    - ``action_v`` (4,): action-neuron membranes.

    Wave (spike latencies of the goal wave, in hops) and scratch of the curiosity wave:
    - ``wave_t`` (C,) int32 (``NEVER``: not reached); ``reached`` (C,) int32: the places the
      goal wave reached (first ``flags[F_N_REACHED]``), so a reset touches only those.
    - ``queue`` (C,) int32, ``mark`` (C,) int64, ``first`` (C,) uint8, ``depth`` (C,) int32,
      ``parent`` (C,) int32: breadth-first scratch; ``plan`` (C,) int32: the cached route.

    Bookkeeping: ``rng`` (1,) uint64 (SplitMix64), ``counters`` (24,) int64 (``C_*``),
    ``flags`` (20,) int64 (``F_*``; ``F_WIDTH`` the grid width, which lays out the place
    fields; ``F_BOUND_ROUTE`` the known route the shortcut bound compares with), ``raster``
    (T, 5) uint8 (spikes of the last decision: column 0 the current place cell, columns 1-4
    the action neurons N, E, S, W).
    """

    w_map: np.ndarray
    map_nbr: np.ndarray
    familiar: np.ndarray
    goal_w: np.ndarray
    goals: np.ndarray
    goal_on: np.ndarray
    ca: np.ndarray
    ca_tick: np.ndarray
    territory: np.ndarray
    place_v: np.ndarray
    place_tick: np.ndarray
    action_v: np.ndarray
    wave_t: np.ndarray
    reached: np.ndarray
    queue: np.ndarray
    mark: np.ndarray
    first: np.ndarray
    depth: np.ndarray
    parent: np.ndarray
    plan: np.ndarray
    rng: np.ndarray
    counters: np.ndarray
    flags: np.ndarray
    raster: np.ndarray


#: Arrays that make up the long-term (slow) memory, exported by ``SNANAgent.memory``.
SLOW_MEMORY = ('w_map', 'map_nbr', 'familiar', 'goal_w')


def territories(width: int, height: int, size: int) -> np.ndarray:
    """Return the astrocyte index of every cell: square ``size`` x ``size`` tiles, row-major."""
    if width < 1 or height < 1:
        raise ValueError(f'grid must be at least 1x1, got {width}x{height}')
    tiles_x = -(-width // size)
    mx = np.arange(width * height) % width
    my = np.arange(width * height) // width
    return ((my // size) * tiles_x + (mx // size)).astype(np.int32)


def init_state(params: SNANParams, width: int, height: int, seed: int) -> NetworkState:
    """Return a fresh network for a ``width`` x ``height`` grid (one place cell per cell).

    Membranes start at ``v_rest``; calcium, map and goal synapses at 0; no wave.
    """
    n = int(width) * int(height)
    terr = territories(int(width), int(height), params.territory_size)
    n_terr = int(terr.max()) + 1
    flags = np.zeros(N_FLAGS, dtype=np.int64)
    flags[F_CUE] = -1
    flags[F_ONSET] = ONSET_OFF
    flags[F_LAST_ACTION] = -1
    flags[F_PLAN_CELL] = -1
    flags[F_START] = -1
    flags[F_ROUTE_AT_START] = NEVER
    flags[F_WIDTH] = int(width)
    flags[F_BOUND_ROUTE] = NEVER
    return NetworkState(
        w_map=np.zeros((n, N_ACTIONS), dtype=np.float64),
        map_nbr=np.full((n, N_ACTIONS), -1, dtype=np.int32),
        familiar=np.zeros(n, dtype=np.uint8),
        goal_w=np.zeros(n, dtype=np.float64),
        goals=np.full(MAX_GOALS, -1, dtype=np.int32),
        goal_on=np.zeros(MAX_GOALS, dtype=np.uint8),
        ca=np.zeros(n_terr, dtype=np.float64),
        ca_tick=np.zeros(n_terr, dtype=np.int64),
        territory=terr,
        place_v=np.full(n, params.v_rest, dtype=np.float64),
        place_tick=np.zeros(n, dtype=np.int64),
        action_v=np.full(N_ACTIONS, params.v_rest, dtype=np.float64),
        wave_t=np.full(n, NEVER, dtype=np.int32),
        reached=np.zeros(n, dtype=np.int32),
        queue=np.zeros(n, dtype=np.int32),
        mark=np.zeros(n, dtype=np.int64),
        first=np.zeros(n, dtype=np.uint8),
        depth=np.zeros(n, dtype=np.int32),
        parent=np.zeros(n, dtype=np.int32),
        plan=np.zeros(n, dtype=np.int32),
        rng=seeded(seed),
        counters=np.zeros(N_COUNTERS, dtype=np.int64),
        flags=flags,
        raster=np.zeros((params.ticks_per_decision, 1 + N_ACTIONS), dtype=np.uint8),
    )
