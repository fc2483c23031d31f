"""Validated, immutable SNAN parameters with units.

Units (ours): time in milliseconds; membrane potentials, currents and synaptic weights are
dimensionless, in units of the firing threshold (``v_threshold`` = 1 by default), so a weight
of 0.3 means one presynaptic spike moves the membrane by 0.3 thresholds. Calcium is in
arbitrary concentration units (``ca_threshold`` sets the scale).

Every field has a :class:`ParamSpec` in :data:`PARAM_SPECS` (default, closed range, unit,
description, read-only flag); ROS parameter descriptors and the README table are generated
from it, so the three never disagree.
"""
from dataclasses import dataclass, fields, replace
import math
from typing import Any, Mapping, NamedTuple

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
    ParamSpec('ticks_per_decision', 20, 2, 1000, 'ticks',
              'network steps per decision (the decision window)', int, True),
    ParamSpec('inter_decision_ms', 100.0, 0.0, 1.0e6, 'ms',
              'idle network time between decisions while the robot moves (no input, no noise)'),
    ParamSpec('inter_episode_ms', 60000.0, 0.0, 1.0e9, 'ms',
              'idle network time between episodes (lets the fast memory fade)'),
    # --- LIF neurons -----------------------------------------------------------------------
    ParamSpec('tau_m_ms', 10.0, 0.1, 1000.0, 'ms', 'membrane time constant (place and action)'),
    ParamSpec('v_rest', 0.0, -10.0, 10.0, 'threshold units', 'resting potential'),
    ParamSpec('v_reset', 0.0, -10.0, 10.0, 'threshold units', 'reset potential after a spike'),
    ParamSpec('v_threshold', 1.0, 0.01, 10.0, 'threshold units', 'firing threshold'),
    ParamSpec('place_current', 3.0, 0.0, 100.0, 'threshold units',
              'external current into the place population of the current cell'),
    ParamSpec('action_bias', 0.5, -10.0, 10.0, 'threshold units',
              'constant current into every action neuron (sub-threshold)'),
    ParamSpec('action_urgency_per_ms', 0.05, 0.0, 10.0, 'threshold units / ms',
              'urgency ramp added to action neurons until one of them spikes (commitment)'),
    ParamSpec('action_noise', 0.015, 0.0, 10.0, 'threshold units',
              'standard deviation of the Gaussian current noise on action neurons, per tick'),
    ParamSpec('lateral_inhibition', 2.0, 0.0, 100.0, 'threshold units',
              'potential removed from the other action neurons by an action spike (WTA)'),
    ParamSpec('blocked_inhibition', 5.0, 0.0, 100.0, 'threshold units',
              'inhibitory current into an action neuron whose move is blocked'),
    # --- astrocytes ------------------------------------------------------------------------
    ParamSpec('territory_size', 1, 1, 64, 'cells',
              'side of the square territory of place cells covered by one astrocyte', int, True),
    ParamSpec('tau_ca_ms', 30000.0, 1.0, 1.0e7, 'ms', 'astrocytic calcium time constant'),
    ParamSpec('ca_gain_ms', 7500.0, 0.0, 1.0e7, 'ms',
              'R: calcium gain; one place spike raises Ca by R / tau_ca'),
    ParamSpec('ca_threshold', 1.0, 0.0, 100.0, 'Ca units', 'theta_Ca of the gliotransmitter'),
    ParamSpec('ca_slope', 0.5, 1.0e-6, 100.0, 'Ca units', 'kappa: slope of the sigmoid'),
    ParamSpec('astro_alpha', 0.9, 0.0, 1.0, '1',
              'alpha: fraction of the synaptic weight removed at full gliotransmission'),
    # --- plasticity ------------------------------------------------------------------------
    ParamSpec('a_plus', 1.0, 0.0, 10.0, '1', 'STDP potentiation amplitude A+ (eligibility)'),
    ParamSpec('a_minus', 0.25, 0.0, 10.0, '1', 'STDP depression amplitude A- (eligibility)'),
    ParamSpec('tau_plus_ms', 20.0, 0.1, 1.0e4, 'ms', 'presynaptic trace time constant'),
    ParamSpec('tau_minus_ms', 20.0, 0.1, 1.0e4, 'ms', 'postsynaptic trace time constant'),
    ParamSpec('tau_elig_ms', 10000.0, 1.0, 1.0e8, 'ms',
              'eligibility trace time constant (credit assignment span)'),
    ParamSpec('elig_max', 1.0, 1.0e-6, 100.0, '1', 'eligibility saturation (replacing trace)'),
    ParamSpec('learning_rate', 0.5, 0.0, 1.0, '1', 'eta: reward-modulated learning rate'),
    ParamSpec('reward', 1.0, 0.0, 100.0, '1', 'neuromodulatory reward at the goal'),
    ParamSpec('w_init', 0.5, 0.0, 10.0, 'threshold units', 'initial state->action weight'),
    ParamSpec('w_min', 0.0, 0.0, 10.0, 'threshold units', 'lower weight bound'),
    ParamSpec('w_max', 1.0, 0.0, 10.0, 'threshold units', 'upper weight bound'),
)

_SPEC_BY_NAME = {s.name: s for s in PARAM_SPECS}

# Indices into the packed float64 vector handed to the numba kernels (see SNANParams.packed).
(P_DT, P_TICKS, P_GAP_DECISION, P_GAP_EPISODE, P_TAU_M, P_V_REST, P_V_RESET, P_V_TH,
 P_I_PLACE, P_BIAS, P_URGENCY, P_NOISE, P_W_INH, P_I_BLOCK, P_TERRITORY, P_TAU_CA, P_CA_GAIN,
 P_CA_TH, P_CA_SLOPE, P_ALPHA, P_A_PLUS, P_A_MINUS, P_TAU_PLUS, P_TAU_MINUS, P_TAU_E,
 P_E_MAX, P_ETA, P_REWARD, P_W_INIT, P_W_MIN, P_W_MAX) = range(len(PARAM_SPECS))
N_PACKED = len(PARAM_SPECS)


@dataclass(frozen=True)
class SNANParams:
    """All SNAN constants (see :data:`PARAM_SPECS` for units and ranges).

    Construction validates every field and raises ``ValueError`` naming the field and its
    allowed range; cross-field rules: ``v_reset < v_threshold`` and
    ``w_min <= w_init <= w_max`` with ``w_min < w_max``, ``learning_rate * reward <= 1``.
    """

    dt_ms: float = 1.0
    ticks_per_decision: int = 20
    inter_decision_ms: float = 100.0
    inter_episode_ms: float = 60000.0
    tau_m_ms: float = 10.0
    v_rest: float = 0.0
    v_reset: float = 0.0
    v_threshold: float = 1.0
    place_current: float = 3.0
    action_bias: float = 0.5
    action_urgency_per_ms: float = 0.05
    action_noise: float = 0.015
    lateral_inhibition: float = 2.0
    blocked_inhibition: float = 5.0
    territory_size: int = 1
    tau_ca_ms: float = 30000.0
    ca_gain_ms: float = 7500.0
    ca_threshold: float = 1.0
    ca_slope: float = 0.5
    astro_alpha: float = 0.9
    a_plus: float = 1.0
    a_minus: float = 0.25
    tau_plus_ms: float = 20.0
    tau_minus_ms: float = 20.0
    tau_elig_ms: float = 10000.0
    elig_max: float = 1.0
    learning_rate: float = 0.5
    reward: float = 1.0
    w_init: float = 0.5
    w_min: float = 0.0
    w_max: float = 1.0

    def __post_init__(self):
        for f in fields(self):
            spec = _SPEC_BY_NAME[f.name]
            value = getattr(self, f.name)
            object.__setattr__(self, f.name, _checked(spec, value))
        if not self.v_reset < self.v_threshold:
            raise ValueError(f'v_reset ({self.v_reset}) must be below v_threshold '
                             f'({self.v_threshold})')
        if not self.w_min < self.w_max:
            raise ValueError(f'w_min ({self.w_min}) must be below w_max ({self.w_max})')
        if self.learning_rate * self.reward > 1.0:
            raise ValueError(f'learning_rate * reward ({self.learning_rate} * {self.reward}) '
                             'must not exceed 1 (the update would overshoot its target)')
        if not self.w_min <= self.w_init <= self.w_max:
            raise ValueError(f'w_init ({self.w_init}) must lie in [w_min, w_max] = '
                             f'[{self.w_min}, {self.w_max}]')

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> 'SNANParams':
        """Build from a mapping of field names (unknown names raise ``ValueError``)."""
        unknown = sorted(set(values) - set(_SPEC_BY_NAME))
        if unknown:
            raise ValueError(f'unknown SNAN parameter(s) {unknown}; valid names: '
                             f'{sorted(_SPEC_BY_NAME)}')
        return cls(**dict(values))

    def to_mapping(self) -> dict:
        """Return the parameters as a plain dict (field name -> value)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def with_changes(self, **changes) -> 'SNANParams':
        """Return a validated copy with some fields replaced."""
        return replace(self, **changes)

    def packed(self) -> np.ndarray:
        """Return the float64 vector the numba kernels read (indices ``P_*`` above)."""
        return np.array([float(getattr(self, s.name)) for s in PARAM_SPECS], dtype=np.float64)


def _checked(spec: ParamSpec, value):
    """Coerce ``value`` to the spec's kind and check its range, or raise ``ValueError``."""
    where = f'{spec.name} = {value!r}'
    allowed = f'allowed range [{spec.lo}, {spec.hi}] {spec.unit}'
    if spec.kind is int:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            if isinstance(value, (float, np.floating)) and float(value).is_integer():
                value = int(value)
            else:
                raise ValueError(f'{where}: must be an integer, {allowed}')
        value = int(value)
    else:
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f'{where}: must be a number, {allowed}')
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f'{where}: must be finite, {allowed}')
    if not spec.lo <= value <= spec.hi:
        raise ValueError(f'{where} is out of range: {allowed}')
    return value


def ablated(params: SNANParams, variant: str) -> SNANParams:
    """Return the parameters of an agent variant.

    ``snan`` keeps them; ``snan-no-astro`` sets ``astro_alpha = 0`` (no short-term
    suppression); ``snan-no-stdp`` sets ``learning_rate = 0`` (no long-term memory).
    """
    if variant == 'snan':
        return params
    if variant == 'snan-no-astro':
        return params.with_changes(astro_alpha=0.0)
    if variant == 'snan-no-stdp':
        return params.with_changes(learning_rate=0.0)
    raise ValueError(f'unknown SNAN variant {variant!r}; valid: snan, snan-no-astro, '
                     'snan-no-stdp')
