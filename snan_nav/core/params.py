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
"""Validated, immutable SNAN parameters with units.

Units (ours): time in milliseconds; membrane potentials, currents and synaptic weights are
dimensionless, in units of the firing threshold (``v_threshold`` = 1 by default), so a weight
of 0.3 means one presynaptic spike moves the membrane by 0.3 thresholds. Calcium is in
arbitrary concentration units (``ca_threshold`` sets the scale). Wave latencies are counted in
hops (one map synapse) and in ticks (``wave_delay_ticks`` per hop).

Every field has a :class:`ParamSpec` in :data:`PARAM_SPECS` (default, closed range, unit,
description, read-only flag); ROS parameter descriptors and the README table are generated
from it, so the three never disagree.
"""
from dataclasses import dataclass, fields, replace
import math
from typing import Any, ClassVar, Mapping, NamedTuple, Tuple

import numpy as np


class ParamSpec(NamedTuple):
    """Declaration of one parameter: ``lo <= value <= hi`` (closed range)."""

    name: str
    default: Any
    lo: float
    hi: float
    unit: str
    description: str
    kind: type = float
    read_only: bool = False


PARAM_SPECS = (
    # --- time base -------------------------------------------------------------------------
    ParamSpec('dt_ms', 1.0, 0.01, 10.0, 'ms', 'integration step of the network', float, True),
    ParamSpec('ticks_per_decision', 20, 4, 1000, 'ticks',
              'network steps per decision (the action race window)', int, True),
    ParamSpec('inter_decision_ms', 100.0, 0.0, 1.0e6, 'ms',
              'idle network time between decisions while the robot moves (no input, no noise)'),
    ParamSpec('inter_episode_ms', 3600000.0, 0.0, 1.0e9, 'ms',
              'idle network time between episodes (lets the fast memory fade)'),
    # --- LIF neurons -----------------------------------------------------------------------
    ParamSpec('tau_m_ms', 10.0, 0.1, 1000.0, 'ms', 'membrane time constant (place and action)'),
    ParamSpec('v_rest', 0.0, -10.0, 10.0, 'threshold units', 'resting potential'),
    ParamSpec('v_reset', 0.0, -10.0, 10.0, 'threshold units', 'reset potential after a spike'),
    ParamSpec('v_threshold', 1.0, 0.01, 10.0, 'threshold units', 'firing threshold'),
    ParamSpec('place_current', 3.0, 0.0, 100.0, 'threshold units',
              'external current into the place cell of the current cell (its place field)'),
    ParamSpec('action_bias', 0.3, -10.0, 10.0, 'threshold units',
              'constant current into every action neuron (sub-threshold)'),
    ParamSpec('action_urgency_per_ms', 0.05, 0.0, 10.0, 'threshold units / ms',
              'urgency ramp added to action neurons until one of them spikes (commitment)'),
    ParamSpec('action_noise', 0.00325, 0.0, 10.0, 'threshold units',
              'standard deviation of the Gaussian membrane noise of action neurons, per tick'),
    ParamSpec('lateral_inhibition', 2.0, 0.0, 100.0, 'threshold units',
              'potential removed from the other action neurons by an action spike (WTA)'),
    ParamSpec('blocked_inhibition', 5.0, 0.0, 100.0, 'threshold units',
              'inhibitory current into an action neuron whose move is blocked'),
    # --- wave read-out ---------------------------------------------------------------------
    ParamSpec('wave_delay_ticks', 5, 1, 100, 'ticks',
              'synaptic delay of one map synapse: a wave front advances one hop per delay; '
              '1 + 2 x delay must fit in the decision window', int),
    ParamSpec('wave_weight', 2.5, 0.0, 100.0, 'threshold units',
              'weight of the synapse from a neighbour place cell onto its action neuron'),
    ParamSpec('enclosure_bonus', 0.0, 0.0, 10.0, 'threshold units',
              'extra read-out weight of a novel neighbour per familiar place next to it: '
              'the robot fills holes in the explored region before they need a walk back'),
    ParamSpec('momentum', 0.05, 0.0, 10.0, 'threshold units',
              'efference copy: bias current into the action neuron of the last move while '
              'exploring (no goal wave reaches a neighbour)'),
    # --- astrocytes ------------------------------------------------------------------------
    ParamSpec('territory_size', 1, 1, 64, 'cells',
              'side of the square territory of place cells covered by one astrocyte', int, True),
    ParamSpec('tau_ca_ms', 118700.0, 1.0, 1.0e8, 'ms', 'astrocytic calcium time constant'),
    ParamSpec('ca_gain_ms', 540000.0, 0.0, 1.0e9, 'ms',
              'R: calcium gain; one place spike raises Ca by R / tau_ca'),
    ParamSpec('ca_threshold', 2.05, 0.0, 100.0, 'Ca units', 'theta_Ca of the gliotransmitter'),
    ParamSpec('ca_slope', 0.25, 1.0e-6, 100.0, 'Ca units', 'kappa: slope of the sigmoid'),
    ParamSpec('astro_alpha', 0.5, 0.0, 1.0, '1',
              'alpha: fraction of a synapse removed at full gliotransmission (read-out '
              'synapses into a recently visited place; place cells as curiosity sources)'),
    # --- slow memory: the map (symmetric STDP) and the goal (reward-gated) ------------------
    ParamSpec('map_stdp_amplitude', 1.5, 0.0, 10.0, 'threshold units',
              'A: symmetric STDP amplitude of place-to-place synapses per pairing; one '
              'pairing must make a synapse suprathreshold (or A = 0: no map)'),
    ParamSpec('map_stdp_tau_ms', 20.0, 0.1, 1.0e4, 'ms', 'symmetric STDP time constant'),
    ParamSpec('sensory_delay_ms', 5.0, 0.0, 1.0e3, 'ms',
              'delay of an observed neighbour place spike after the current place spike'),
    ParamSpec('map_w_max', 1.5, 0.01, 10.0, 'threshold units',
              'upper bound of a map synapse (at least v_threshold)'),
    ParamSpec('goal_learning_rate', 1.0, 0.0, 1.0, '1',
              'eta: reward-gated potentiation of the goal-to-place synapse where reward arrives'),
    ParamSpec('goal_extinction', 1.0, 0.0, 1.0, '1',
              'fraction of a goal tag removed when the place is reached without reward'),
    ParamSpec('goal_threshold', 0.5, 1.0e-6, 1.0, '1',
              'tag strength from which a goal place fires the goal wave'),
    ParamSpec('reward', 1.0, 0.0, 100.0, '1', 'neuromodulatory reward at the goal'),
    # --- exploration (curiosity wave) --------------------------------------------------------
    ParamSpec('explore_onset', 0.787, 0.0, 1.0, '1',
              'beta_1: onset of the curiosity wave from unexplored places, as a fraction of '
              'the known route still ahead (the goal latency where the robot stands), in the '
              'first episode after the goal was found'),
    ParamSpec('explore_anneal', 0.608, 0.0, 1.0, '1',
              'gamma: per episode, the gap 1 - beta shrinks by this factor (habituation)'),
    ParamSpec('explore_horizon', 4096, 1, 1 << 30, 'hops',
              'farthest hop count the curiosity wave travels while a goal is known', int),
    ParamSpec('revisit_onset', 0, 0, 1 << 30, 'hops',
              'while no goal is known, familiar places whose astrocyte is quiet fire the '
              'exploration wave this many hops after the unexplored places', int),
    ParamSpec('shortcut_bound', True, 0, 1, '',
              'while a goal is known, a novel place fires the curiosity wave only if a route '
              'from the start through it could be shorter than the known one (grid distance '
              'bound, admissible: no real shortcut is hidden)', bool),
    ParamSpec('goal_vector', True, 0, 1, '',
              'while a cued goal is not on the learned map yet, a novel place fires the '
              'exploration wave as many hops late as its grid distance to the goal, so the '
              'robot explores toward the goal it was told', bool),
)

FIELD_NAMES = tuple(s.name for s in PARAM_SPECS)

# Indices into the packed float64 vector handed to the numba kernels (see SNANParams.packed).
(P_DT, P_TICKS, P_GAP_DECISION, P_GAP_EPISODE, P_TAU_M, P_V_REST, P_V_RESET, P_V_TH,
 P_I_PLACE, P_BIAS, P_URGENCY, P_NOISE, P_W_INH, P_I_BLOCK, P_WAVE_DELAY, P_WAVE_W,
 P_ENCLOSURE, P_MOMENTUM, P_TERRITORY, P_TAU_CA, P_CA_GAIN, P_CA_TH, P_CA_SLOPE, P_ALPHA, P_MAP_A,
 P_MAP_TAU, P_SENSORY_DELAY, P_MAP_WMAX, P_GOAL_ETA, P_GOAL_EXT, P_GOAL_TH,
 P_REWARD, P_EXPLORE_ONSET, P_EXPLORE_ANNEAL, P_HORIZON,
 P_REVISIT, P_SHORTCUT_BOUND, P_GOAL_VECTOR) = range(len(PARAM_SPECS))
N_PACKED = len(PARAM_SPECS)
#: A map synapse carries the wave when one spike through it fires its target: w >= v_threshold.
P_MAP_TH = P_V_TH

#: Fields that size or index the network state: they cannot change on a live agent.
STRUCTURAL = tuple(s.name for s in PARAM_SPECS if s.read_only)


def checked_value(spec: ParamSpec, value):
    """Coerce ``value`` to ``spec.kind`` and check its range, or raise ``ValueError``."""
    where = f'{spec.name} = {value!r}'
    if spec.kind is bool:
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f'{where}: must be true or false')
        return bool(value)
    allowed = f'allowed range [{spec.lo}, {spec.hi}] {spec.unit}'.rstrip()
    if spec.kind is int:
        integral = isinstance(value, (int, np.integer)) or (
            isinstance(value, (float, np.floating)) and float(value).is_integer())
        if isinstance(value, (bool, np.bool_)) or not integral:
            raise ValueError(f'{where}: must be an integer, {allowed}')
        value = int(value)
    else:
        if isinstance(value, (bool, np.bool_)) or not isinstance(
                value, (int, float, np.integer, np.floating)):
            raise ValueError(f'{where}: must be a number, {allowed}')
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f'{where}: must be finite, {allowed}')
    if not spec.lo <= value <= spec.hi:
        raise ValueError(f'{where} is out of range: {allowed}')
    return value


class SpecRecord:
    """Behaviour shared by the frozen parameter records: ``SPECS`` declares the fields.

    ``LABEL`` names the record in error messages. Subclasses are frozen dataclasses whose
    ``__post_init__`` calls :meth:`_check_fields` and then checks their cross-field rules.
    """

    SPECS: ClassVar[Tuple[ParamSpec, ...]] = ()
    LABEL: ClassVar[str] = ''

    def _check_fields(self) -> None:
        """Coerce and range-check every field against its spec (see :func:`checked_value`)."""
        by_name = {spec.name: spec for spec in self.SPECS}
        for f in fields(self):
            object.__setattr__(self, f.name, checked_value(by_name[f.name], getattr(self, f.name)))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]):
        """Build from a mapping of field names (unknown names raise ``ValueError``)."""
        valid = sorted(spec.name for spec in cls.SPECS)
        unknown = sorted(set(values) - set(valid))
        if unknown:
            raise ValueError(f'unknown {cls.LABEL} parameter(s) {unknown}; valid names: '
                             f'{valid}')
        return cls(**dict(values))

    def to_mapping(self) -> dict:
        """Return the parameters as a plain dict (field name -> value)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def with_changes(self, **changes):
        """Return a validated copy with some fields replaced."""
        return replace(self, **changes)


@dataclass(frozen=True)
class SNANParams(SpecRecord):
    """All SNAN constants (see :data:`PARAM_SPECS` for units and ranges).

    Construction validates every field and raises ``ValueError`` naming the field and its
    allowed range; cross-field rules: ``v_reset < v_threshold``, ``v_threshold <= map_w_max``,
    one STDP pairing ``A exp(-sensory_delay / tau)`` reaches ``v_threshold`` (unless ``A = 0``:
    map synapses are silent or suprathreshold, never in between) and
    ``1 + 2 wave_delay_ticks < ticks_per_decision`` (the fronts of the two farther neighbours, at
    most two hops behind, reach the race in time).
    """

    SPECS: ClassVar[Tuple[ParamSpec, ...]] = PARAM_SPECS
    LABEL: ClassVar[str] = 'SNAN'

    dt_ms: float = 1.0
    ticks_per_decision: int = 20
    inter_decision_ms: float = 100.0
    inter_episode_ms: float = 3600000.0
    tau_m_ms: float = 10.0
    v_rest: float = 0.0
    v_reset: float = 0.0
    v_threshold: float = 1.0
    place_current: float = 3.0
    action_bias: float = 0.3
    action_urgency_per_ms: float = 0.05
    action_noise: float = 0.00325
    lateral_inhibition: float = 2.0
    blocked_inhibition: float = 5.0
    wave_delay_ticks: int = 5
    wave_weight: float = 2.5
    enclosure_bonus: float = 0.0
    momentum: float = 0.05
    territory_size: int = 1
    tau_ca_ms: float = 118700.0
    ca_gain_ms: float = 540000.0
    ca_threshold: float = 2.05
    ca_slope: float = 0.25
    astro_alpha: float = 0.5
    map_stdp_amplitude: float = 1.5
    map_stdp_tau_ms: float = 20.0
    sensory_delay_ms: float = 5.0
    map_w_max: float = 1.5
    goal_learning_rate: float = 1.0
    goal_extinction: float = 1.0
    goal_threshold: float = 0.5
    reward: float = 1.0
    explore_onset: float = 0.787
    explore_anneal: float = 0.608
    explore_horizon: int = 4096
    revisit_onset: int = 0
    shortcut_bound: bool = True
    goal_vector: bool = True

    def __post_init__(self):
        self._check_fields()
        if not self.v_reset < self.v_threshold:
            raise ValueError(f'v_reset ({self.v_reset}) must be below v_threshold '
                             f'({self.v_threshold})')
        if not self.v_threshold <= self.map_w_max:
            raise ValueError(f'map_w_max ({self.map_w_max}) must be at least v_threshold '
                             f'({self.v_threshold}): no map synapse could carry the wave')
        one_pairing = self.map_stdp_amplitude * math.exp(-self.sensory_delay_ms
                                                         / self.map_stdp_tau_ms)
        if self.map_stdp_amplitude > 0.0 and one_pairing < self.v_threshold:
            raise ValueError(
                f'map_stdp_amplitude ({self.map_stdp_amplitude}) x exp(-sensory_delay_ms / '
                f'map_stdp_tau_ms) = {one_pairing:.3g} must reach v_threshold '
                f'({self.v_threshold}) so that one observation makes a synapse carry the wave '
                '(or be 0: no map)')
        if not 1 + 2 * self.wave_delay_ticks < self.ticks_per_decision:
            raise ValueError(f'1 + 2 x wave_delay_ticks ({self.wave_delay_ticks}) must be below '
                             f'ticks_per_decision ({self.ticks_per_decision})')

    def packed(self) -> np.ndarray:
        """Return the float64 vector the numba kernels read (indices ``P_*`` above)."""
        return np.array([float(getattr(self, s.name)) for s in PARAM_SPECS], dtype=np.float64)


def ablated(params: SNANParams, variant: str) -> SNANParams:
    """Return the parameters of an agent variant.

    ``snan`` keeps them; ``snan-no-astro`` sets ``astro_alpha = 0`` (no short-term
    suppression); ``snan-no-stdp`` sets ``map_stdp_amplitude = 0`` and
    ``goal_learning_rate = 0`` (no long-term memory: no map, no goal tags, no familiarity).
    """
    if variant == 'snan':
        return params
    if variant == 'snan-no-astro':
        return params.with_changes(astro_alpha=0.0)
    if variant == 'snan-no-stdp':
        return params.with_changes(map_stdp_amplitude=0.0, goal_learning_rate=0.0)
    raise ValueError(f'unknown SNAN variant {variant!r}; valid: snan, snan-no-astro, '
                     'snan-no-stdp')
