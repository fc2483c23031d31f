"""Memristive crossbar holding signed weights as differential VTEAM pairs.

Mapping. Each weight ``W[r, c]`` is stored in two devices, ``G+ = G[r, c, 0]`` and
``G- = G[r, c, 1]``, and decoded as::

    W = (G+ - G-) / (g_on - g_off) * w_scale,   w_scale = max(|w_min|, |w_max|)

A weight ``w >= 0`` maps to ``G+ = g_off + (w / w_scale)(g_on - g_off)``, ``G- = g_off`` (and
symmetrically for ``w < 0``), so one device of each pair idles at ``g_off``. With
``n_levels > 0`` every device conductance is quantised to ``n_levels`` equally spaced levels
in ``[g_off, g_on]``; the weight step is then ``w_scale / (n_levels - 1)``.

Non-idealities. A per-device factor ``exp(sigma_d2d * N(0, 1))`` (lognormal, median 1, drawn
once from ``seed``) multiplies the conductance of the device (device-to-device variation).
Programming is open loop: the controller computes states from the nominal device model, so
the variation shows up as weight error. A read multiplies each sensed conductance by
``1 + sigma_read * N(0, 1)`` (relative read noise, separate seeded stream); the dissipated
energy uses the true conductance.

Reads apply ``v_read`` (V) for ``t_read`` (s) to the cells of one row; the state is integrated
through the VTEAM equation at ``v_read``, which leaves it unchanged because
``v_on < v_read < v_off``. Writes are rectangular pulses of ``v_set`` (< v_on, SET, conductance
up) or ``v_reset`` (> v_off, RESET, conductance down) whose width comes from integrating VTEAM
to the requested conductance (:func:`snan_nav.crossbar.vteam.pulse_for_delta`).
"""
from dataclasses import dataclass, fields
import math
from typing import NamedTuple, Tuple

import numpy as np

from snan_nav.crossbar._util import from_mapping
from snan_nav.crossbar.vteam import (apply_pulse, apply_pulse_many, conductance,
                                     pulse_for_delta, state_from_conductance, VteamParams)

SET = 'SET'
RESET = 'RESET'


@dataclass(frozen=True)
class CrossbarParams:
    """Crossbar mapping, non-ideality and read/write parameters.

    Attributes
    ----------
    w_min, w_max : float
        Weight range (weight units of the network), ``w_min < w_max``.
    n_levels : int
        Conductance levels per device, 0 = analog, otherwise >= 2.
    sigma_d2d : float
        Lognormal sigma of the device-to-device conductance factor (>= 0).
    sigma_read : float
        Relative read-noise sigma per sensed device (>= 0).
    v_read : float
        Read voltage, V; must satisfy ``v_on < v_read < v_off`` (checked by
        :meth:`check_device`) and be non-zero. Default 0.1 V: our assumption.
    t_read : float
        Read pulse duration, s, > 0. Default 10 ns: our assumption (order of a sense cycle; the
        ISAAC crossbar cycle is 100 ns).
    v_set : float
        SET programming amplitude, V, must be < ``v_on``. Default -1.65 V = 1.1 v_on of the
        default device: our assumption (full ON swing in ~0.15 us).
    v_reset : float
        RESET programming amplitude, V, must be > ``v_off``. Default 0.45 V = 1.5 v_off of
        the default device: our assumption (full OFF swing in ~0.6 us).
    t_pulse_max : float
        Longest programming pulse, s, > 0 (pulses are clipped to it).
    t_pulse_step : float
        Pulse-width resolution, s, >= 0 (0 = continuous widths; else widths are rounded to
        multiples of it).
    g_tol : float
        Write tolerance as a fraction of ``g_on - g_off``, in (0, 0.5): devices already within
        it of their target get no pulse, and targets at ``g_off`` / ``g_on`` are aimed this
        far inside (window functions make the state bounds asymptotic).
    """

    w_min: float = 0.0
    w_max: float = 1.0
    n_levels: int = 0
    sigma_d2d: float = 0.0
    sigma_read: float = 0.0
    v_read: float = 0.1
    t_read: float = 10.0e-9
    v_set: float = -1.65
    v_reset: float = 0.45
    t_pulse_max: float = 1.0e-4
    t_pulse_step: float = 0.0
    g_tol: float = 1.0e-6

    def __post_init__(self):
        """Validate ranges; raise ValueError naming the field and its allowed range."""
        name = type(self).__name__
        for f in fields(self):
            value = getattr(self, f.name)
            numeric = isinstance(value, (int, float, np.integer, np.floating))
            if isinstance(value, bool) or not numeric:
                raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be a number')
            if not math.isfinite(float(value)):
                raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be finite')
        if not self.w_max > self.w_min:
            raise ValueError(f'{name}.w_max = {self.w_max!r} is invalid: must be > w_min = '
                             f'{self.w_min!r}')
        if int(self.n_levels) != self.n_levels or self.n_levels < 0 or self.n_levels == 1:
            raise ValueError(f'{name}.n_levels = {self.n_levels!r} is invalid: must be 0 '
                             '(analog) or an integer >= 2')
        for fld in ('sigma_d2d', 'sigma_read', 't_pulse_step'):
            if getattr(self, fld) < 0.0:
                raise ValueError(f'{name}.{fld} = {getattr(self, fld)!r} is invalid: must be '
                                 '>= 0')
        for fld in ('t_read', 't_pulse_max'):
            if not getattr(self, fld) > 0.0:
                raise ValueError(f'{name}.{fld} = {getattr(self, fld)!r} is invalid: must be '
                                 'a time > 0 s')
        if self.v_read == 0.0:
            raise ValueError(f'{name}.v_read = 0.0 is invalid: a read needs a non-zero voltage')
        if not 0.0 < self.g_tol < 0.5:
            raise ValueError(f'{name}.g_tol = {self.g_tol!r} is invalid: must be in (0, 0.5)')

    @classmethod
    def from_mapping(cls, values) -> 'CrossbarParams':
        """Build from a mapping of field overrides (e.g. YAML); unknown keys are errors."""
        return from_mapping(cls, values)

    @property
    def w_scale(self) -> float:
        """Weight magnitude mapped onto the full conductance swing ``g_on - g_off``."""
        return max(abs(self.w_min), abs(self.w_max))

    def check_device(self, device: VteamParams) -> None:
        """Check the voltages against a device: ``v_on < v_read < v_off``, SET/RESET beyond.

        Raises ValueError with the allowed range when a read would disturb the state or a
        programming pulse would not switch it.
        """
        name = type(self).__name__
        if not device.v_on < self.v_read < device.v_off:
            raise ValueError(f'{name}.v_read = {self.v_read!r} V is invalid: must lie strictly '
                             f'inside the threshold window ({device.v_on}, {device.v_off}) V '
                             'or reads would change the device state')
        if not self.v_set < device.v_on:
            raise ValueError(f'{name}.v_set = {self.v_set!r} V is invalid: must be < v_on = '
                             f'{device.v_on} V to SET the device')
        if not self.v_reset > device.v_off:
            raise ValueError(f'{name}.v_reset = {self.v_reset!r} V is invalid: must be > '
                             f'v_off = {device.v_off} V to RESET the device')


class Pulse(NamedTuple):
    """One programming pulse applied to one device of a differential pair."""

    device: int       # 0 = G+, 1 = G-
    kind: str         # 'SET' (conductance up) or 'RESET' (conductance down)
    v: float          # amplitude, V
    width: float      # duration, s
    w_before: float   # normalised state before
    w_after: float    # normalised state after
    energy_j: float   # integral v^2 G(t) dt over the pulse, J


@dataclass(frozen=True)
class WriteRecord:
    """Outcome of :meth:`Crossbar.apply_delta` (weights in network units, energy in J)."""

    row: int
    col: int
    requested_dw: float
    target_w: float
    realised_dw: float
    pulses: Tuple[Pulse, ...] = ()

    @property
    def energy_j(self) -> float:
        """Sum of the pulse energies (device only, no driver periphery), J."""
        return float(sum(p.energy_j for p in self.pulses))

    @property
    def n_pulses(self) -> int:
        """Return the number of programming pulses."""
        return len(self.pulses)


class ReadResult(NamedTuple):
    """Outcome of :meth:`Crossbar.read_row`."""

    currents: np.ndarray          # (n_cols, 2) sensed device currents, A (with read noise)
    column_currents: np.ndarray   # (n_cols,) differential currents I+ - I-, A
    weights: np.ndarray           # (n_cols,) decoded effective weights
    conductances: np.ndarray      # (n_cols, 2) true device conductances, S
    energy_j: float               # sum of v_read^2 G t_read over the 2 n_cols cells, J


def weights_to_conductances(w: np.ndarray, params: CrossbarParams,
                            device: VteamParams) -> np.ndarray:
    """Nominal differential conductances (..., 2) in S for weights ``w`` (clipped, quantised)."""
    w = np.clip(np.asarray(w, dtype=np.float64), params.w_min, params.w_max)
    frac = w / params.w_scale
    span = device.g_on - device.g_off
    g = np.empty(w.shape + (2,))
    g[..., 0] = device.g_off + np.maximum(frac, 0.0) * span
    g[..., 1] = device.g_off + np.maximum(-frac, 0.0) * span
    return quantise_conductance(g, params, device)


def quantise_conductance(g: np.ndarray, params: CrossbarParams,
                         device: VteamParams) -> np.ndarray:
    """Round conductances (S) to the ``n_levels`` grid in ``[g_off, g_on]`` (no-op if 0)."""
    g = np.clip(np.asarray(g, dtype=np.float64), device.g_off, device.g_on)
    if params.n_levels == 0:
        return g
    step = (device.g_on - device.g_off) / (params.n_levels - 1)
    return device.g_off + np.round((g - device.g_off) / step) * step


def conductances_to_weights(g: np.ndarray, params: CrossbarParams,
                            device: VteamParams) -> np.ndarray:
    """Decode ``(..., 2)`` conductances (S) to weights ``(G+ - G-)/(g_on - g_off) * w_scale``."""
    g = np.asarray(g, dtype=np.float64)
    return (g[..., 0] - g[..., 1]) / (device.g_on - device.g_off) * params.w_scale


class Crossbar:
    """A ``n_rows x n_cols`` array of differential VTEAM pairs.

    State: ``self.state`` (n_rows, n_cols, 2) normalised VTEAM states (1 = OFF at start) and
    ``self.variation`` (n_rows, n_cols, 2) device conductance factors drawn from ``seed``.
    """

    def __init__(self, n_rows: int, n_cols: int, params: CrossbarParams = None,
                 device: VteamParams = None, seed: int = 0):
        """Create an array with every device OFF (``g_off``, weight 0)."""
        if int(n_rows) != n_rows or n_rows < 1 or int(n_cols) != n_cols or n_cols < 1:
            raise ValueError(f'crossbar shape ({n_rows!r}, {n_cols!r}) is invalid: '
                             'rows and columns must be integers >= 1')
        self.params = params if params is not None else CrossbarParams()
        self.device = device if device is not None else VteamParams()
        self.params.check_device(self.device)
        self.n_rows = int(n_rows)
        self.n_cols = int(n_cols)
        self.seed = int(seed)
        self.state = np.ones((self.n_rows, self.n_cols, 2))
        rng = np.random.default_rng([self.seed, 0])
        if self.params.sigma_d2d > 0.0:
            self.variation = np.exp(self.params.sigma_d2d * rng.standard_normal(self.state.shape))
        else:
            self.variation = np.ones(self.state.shape)
        self._read_rng = np.random.default_rng([self.seed, 1])

    # --- conductances -----------------------------------------------------------------------
    @property
    def g_on(self) -> float:
        """Nominal ON conductance ``1 / r_on`` (S)."""
        return self.device.g_on

    @property
    def g_off(self) -> float:
        """Nominal OFF conductance ``1 / r_off`` (S)."""
        return self.device.g_off

    def nominal_conductances(self) -> np.ndarray:
        """Model conductances of the current states (S), without device variation."""
        return conductance(self.state, self.device)

    def conductances(self) -> np.ndarray:
        """Return the true conductance of every device in S: model value times variation."""
        return self.variation * conductance(self.state, self.device)

    def weights(self) -> np.ndarray:
        """Decode all weights, shape [n_rows, n_cols], from true conductances (no noise)."""
        return conductances_to_weights(self.conductances(), self.params, self.device)

    def row_weights(self, row: int) -> np.ndarray:
        """Decode the weights of one row from true conductances (no read noise)."""
        row = self._check_row(row)
        g = self.variation[row] * conductance(self.state[row], self.device)
        return conductances_to_weights(g, self.params, self.device)

    def _cell_weight(self, row: int, col: int) -> float:
        g = self.variation[row, col] * conductance(self.state[row, col], self.device)
        return float(conductances_to_weights(g, self.params, self.device))

    # --- programming ------------------------------------------------------------------------
    def program_weights(self, w: np.ndarray) -> None:
        """Load ``w``: set every device to the nominal state of its weight (open loop).

        ``w`` has shape (n_rows, n_cols); values are clipped to ``[w_min, w_max]`` and, with
        ``n_levels > 0``, quantised. No energy is accounted (an off-line initial load).
        """
        w = np.asarray(w, dtype=np.float64)
        if w.shape != (self.n_rows, self.n_cols):
            raise ValueError(f'weight matrix shape {w.shape} does not match the crossbar '
                             f'({self.n_rows}, {self.n_cols})')
        if not np.all(np.isfinite(w)):
            raise ValueError('weight matrix contains non-finite values')
        g = weights_to_conductances(w, self.params, self.device)
        self.state = np.asarray(state_from_conductance(g, self.device), dtype=np.float64)

    def read_row(self, row: int) -> ReadResult:
        """Read one row at ``v_read`` for ``t_read``: currents, decoded weights and energy.

        The device states are integrated through VTEAM at ``v_read`` (zero drift inside the
        threshold window), so they are unchanged.
        """
        row = self._check_row(row)
        p = self.params
        g_true = self.variation[row] * conductance(self.state[row], self.device)
        states = self.state[row].ravel()
        new_states, energies = apply_pulse_many(states, p.v_read, p.t_read, self.device,
                                                g_scale=self.variation[row].ravel())
        self.state[row] = new_states.reshape(self.n_cols, 2)
        if p.sigma_read > 0.0:
            sensed = g_true * (1.0 + p.sigma_read * self._read_rng.standard_normal(g_true.shape))
        else:
            sensed = g_true
        currents = p.v_read * sensed
        col = currents[:, 0] - currents[:, 1]
        weights = col / (p.v_read * (self.g_on - self.g_off)) * p.w_scale
        return ReadResult(currents=currents, column_currents=col, weights=weights,
                          conductances=g_true, energy_j=float(np.sum(energies)))

    def apply_delta(self, row: int, col: int, dw: float) -> WriteRecord:
        """Program weight ``(row, col)`` by ``dw`` (network weight units) with VTEAM pulses.

        The nominal target weight ``clip(w_nominal + dw, w_min, w_max)`` is mapped to the
        canonical pair (one device at ``g_off``), quantised; every device whose nominal
        conductance differs from its target gets one pulse: SET (``v_set`` < v_on) to raise it,
        RESET (``v_reset`` > v_off) to lower it, RESET first. Each width comes from
        :func:`~snan_nav.crossbar.vteam.pulse_for_delta`, rounded to ``t_pulse_step`` and
        clipped to ``t_pulse_max``; the realised state comes from integrating that pulse. The
        returned ``realised_dw`` is the change of the decoded (true-conductance) weight.
        """
        row = self._check_row(row)
        if int(col) != col or not 0 <= col < self.n_cols:
            raise ValueError(f'col = {col!r} is invalid: must be an integer in [0, '
                             f'{self.n_cols - 1}]')
        col = int(col)
        if not math.isfinite(dw):
            raise ValueError(f'dw = {dw!r} is invalid: must be finite')
        p = self.params
        w_before = self._cell_weight(row, col)
        g_nom = conductance(self.state[row, col], self.device)
        w_nom = float(conductances_to_weights(g_nom, p, self.device))
        target_w = float(np.clip(w_nom + dw, p.w_min, p.w_max))
        if dw == 0.0:
            return WriteRecord(row, col, float(dw), target_w, 0.0, ())
        g_tol = p.g_tol * (self.g_on - self.g_off)
        g_tgt = weights_to_conductances(np.array(target_w), p, self.device)
        g_aim = np.clip(g_tgt, self.g_off + g_tol, self.g_on - g_tol)
        w_tgt = np.asarray(state_from_conductance(g_aim, self.device), dtype=np.float64)
        order = sorted(range(2), key=lambda k: 0 if w_tgt[k] > self.state[row, col, k] else 1)
        pulses = []
        for k in order:
            x0 = float(self.state[row, col, k])
            x1 = float(w_tgt[k])
            if abs(g_nom[k] - g_tgt[k]) <= g_tol:
                continue
            v = p.v_reset if x1 > x0 else p.v_set
            width = pulse_for_delta(x0, x1, self.device, v, t_max=p.t_pulse_max,
                                    state_tol=1.0e-12)
            if p.t_pulse_step > 0.0:
                width = round(width / p.t_pulse_step) * p.t_pulse_step
            width = min(max(width, 0.0), p.t_pulse_max)
            if width <= 0.0:
                continue
            x_new, energy = apply_pulse(x0, v, width, self.device,
                                        g_scale=float(self.variation[row, col, k]))
            self.state[row, col, k] = x_new
            pulses.append(Pulse(device=k, kind=RESET if v > 0.0 else SET, v=float(v),
                                width=float(width), w_before=x0, w_after=float(x_new),
                                energy_j=float(energy)))
        realised = self._cell_weight(row, col) - w_before
        return WriteRecord(row, col, float(dw), target_w, realised, tuple(pulses))

    def _check_row(self, row) -> int:
        if int(row) != row or not 0 <= row < self.n_rows:
            raise ValueError(f'row = {row!r} is invalid: must be an integer in [0, '
                             f'{self.n_rows - 1}]')
        return int(row)
