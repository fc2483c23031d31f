"""The network state: a small record of NumPy arrays, created once per agent.

Event-driven bookkeeping (why the arrays carry ``*_tick`` stamps): place neurons, astrocytes
and eligibility traces that receive no input evolve by pure exponential decay, so they are
stored with the tick of their last update and brought forward analytically when next
touched. A decision therefore costs the same on a 10x10 and on a 256x256 map.
"""
from typing import NamedTuple

import numpy as np

from snan_nav.core.params import SNANParams
from snan_nav.core.rng import seeded

N_ACTIONS = 4
# Slots of the int64 ``counters`` array.
C_TICK, C_N_TOUCHED, C_DECISIONS, C_PLACE_SPIKES, C_ACTION_SPIKES = range(5)
N_COUNTERS = 5


class NetworkState(NamedTuple):
    """Arrays of one SNAN (shapes: ``C`` cells, ``K`` astrocyte territories, ``T`` ticks).

    - ``w`` (C, 4): plastic state->action weights, threshold units.
    - ``elig`` (C, 4), ``elig_tick`` (C, 4): eligibility traces and their last update tick.
    - ``tagged`` (C, 4) uint8: synapse tagged by a pre->post pairing this episode.
    - ``touched`` (4C,) int64: flat indices ``cell * 4 + action`` of tagged synapses, in order.
    - ``place_v``, ``place_x``, ``place_tick`` (C,): membrane, presynaptic STDP trace, stamp.
    - ``action_v``, ``action_y`` (4,): action membranes and postsynaptic STDP traces.
    - ``ca``, ``ca_tick`` (K,): astrocytic calcium and stamp; ``territory`` (C,) int32 maps a
      cell to its astrocyte.
    - ``rng`` (1,) uint64: SplitMix64 state; ``counters`` (5,) int64 (see ``C_*``).
    - ``raster`` (T, 5) uint8: spikes of the last decision, column 0 the place population,
      columns 1-4 the action neurons N, E, S, W.
    """

    w: np.ndarray
    elig: np.ndarray
    elig_tick: np.ndarray
    tagged: np.ndarray
    touched: np.ndarray
    place_v: np.ndarray
    place_x: np.ndarray
    place_tick: np.ndarray
    action_v: np.ndarray
    action_y: np.ndarray
    ca: np.ndarray
    ca_tick: np.ndarray
    territory: np.ndarray
    rng: np.ndarray
    counters: np.ndarray
    raster: np.ndarray


def territories(width: int, height: int, size: int) -> np.ndarray:
    """Return the astrocyte index of every cell: square ``size`` x ``size`` tiles, row-major."""
    if width < 1 or height < 1:
        raise ValueError(f'grid must be at least 1x1, got {width}x{height}')
    tiles_x = -(-width // size)
    mx = np.arange(width * height) % width
    my = np.arange(width * height) // width
    return ((my // size) * tiles_x + (mx // size)).astype(np.int32)


def init_state(params: SNANParams, width: int, height: int, seed: int) -> NetworkState:
    """Return a fresh network for a ``width`` x ``height`` grid (one place population per cell).

    All membranes start at ``v_rest``, traces and calcium at 0, weights at ``w_init``.
    """
    n = int(width) * int(height)
    terr = territories(int(width), int(height), params.territory_size)
    n_terr = int(terr.max()) + 1
    return NetworkState(
        w=np.full((n, N_ACTIONS), params.w_init, dtype=np.float64),
        elig=np.zeros((n, N_ACTIONS), dtype=np.float64),
        elig_tick=np.zeros((n, N_ACTIONS), dtype=np.int64),
        tagged=np.zeros((n, N_ACTIONS), dtype=np.uint8),
        touched=np.zeros(n * N_ACTIONS, dtype=np.int64),
        place_v=np.full(n, params.v_rest, dtype=np.float64),
        place_x=np.zeros(n, dtype=np.float64),
        place_tick=np.zeros(n, dtype=np.int64),
        action_v=np.full(N_ACTIONS, params.v_rest, dtype=np.float64),
        action_y=np.zeros(N_ACTIONS, dtype=np.float64),
        ca=np.zeros(n_terr, dtype=np.float64),
        ca_tick=np.zeros(n_terr, dtype=np.int64),
        territory=terr,
        rng=seeded(seed),
        counters=np.zeros(N_COUNTERS, dtype=np.int64),
        raster=np.zeros((params.ticks_per_decision, 1 + N_ACTIONS), dtype=np.uint8),
    )
