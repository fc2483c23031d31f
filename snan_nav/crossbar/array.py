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
"""The map synapses on a VTEAM memristor array: one device per synapse, binary by default.

Layout. Row ``i`` holds the 4 place-to-place synapses leaving place ``i`` (column ``a`` =
direction N, E, S, W, the ``w_map`` layout); the column output of row ``i`` is routed to the
place cell ``map_nbr[i, a]``. Map weights are never negative, so one device per synapse is
enough: a differential pair would double the devices (and the OFF-device read current) to
represent a sign that never occurs.

Mapping. A weight ``w`` is programmed as the fraction ``f = w / w_scale`` (``w_scale`` =
the network's ``map_w_max``) of the conductance swing, ``G = g_off + f (g_on - g_off)``,
quantised to ``n_levels`` equally spaced levels. The default, ``n_levels = 2``, is binary:
map synapses are in effect binary (0, or suprathreshold after one STDP pairing), so a device
is either OFF or ON and a weight at or above ``w_scale / 2`` is stored as ON. ``n_levels = 0``
keeps ``f`` analog.

Realised weight. The network reads ``w = w_scale (G / g_on) d (1 + sigma_read z)``, where
``G`` is the conductance of the device's integrated VTEAM state, ``d = exp(sigma_d2d z')`` its
lognormal device-to-device factor (drawn once from the seed) and ``z`` a read-noise sample
drawn when the synapse is written (the network keeps the wave latencies it read, so one sample
per write is the read that matters). A device whose realised ON weight is below the
network's ``v_threshold`` does not carry the wave. An OFF device reads ``w_scale g_off / g_on``
(0.5 % of ``w_scale`` for the default device): far below threshold.

Writes are open loop: the controller knows each device's nominal state and applies one
rectangular pulse per level change, SET (``v_set < v_on``) to raise, RESET
(``v_reset > v_off``) to lower, of the width that integrating VTEAM moves the nominal state
to the target (:func:`~snan_nav.crossbar.vteam.pulse_for_delta`); the pulse energy is
``integral v^2 d G(t) dt``. A device already within ``g_tol`` of its target gets no pulse.
"""
from dataclasses import dataclass, fields
import math
from typing import NamedTuple

import numpy as np

from snan_nav.crossbar._util import from_mapping
from snan_nav.crossbar.vteam import (apply_pulse, conductance, pulse_for_delta,
                                     state_from_conductance, VteamParams)


@dataclass(frozen=True)
class CrossbarParams:
    """Array mapping, non-idealities and read/write pulses.

    Attributes
    ----------
    n_levels : int
        Conductance levels per device: 2 = binary (default: map synapses are binary in
        effect), 0 = analog, otherwise >= 2.
    sigma_d2d : float
        Lognormal sigma of the device-to-device conductance factor (0 to 1: at 1, one device
        in 20 already lies beyond a factor 7 of nominal).
    sigma_read : float
        Relative read-noise sigma of a sensed device, sampled once per write (0 to 1).
    v_read : float
        Read voltage, V; must satisfy v_on < v_read < v_off (checked against the device) and
        be non-zero. Default 0.1 V: our assumption.
    t_read : float
        Read pulse duration, s, > 0. Default 10 ns: our assumption (order of a sense cycle; the
        ISAAC crossbar cycle is 100 ns).
    v_set : float
        SET programming amplitude, V, must be < v_on. Default -1.65 V = 1.1 v_on of the default
        device: our assumption (full ON swing in ~0.15 us).
    v_reset : float
        RESET programming amplitude, V, must be > v_off. Default 0.45 V = 1.5 v_off of the
        default device: our assumption (full OFF swing in ~0.6 us).
    t_pulse_max : float
        Longest programming pulse, s, > 0 (pulses are clipped to it).
    t_pulse_step : float
        Pulse-width resolution, s, >= 0 (0 = continuous widths; else widths are rounded to
        multiples of it).
    g_tol : float
        Write tolerance as a fraction of g_on - g_off, in (0, 0.5): devices already within it of
        their target get no pulse, and targets at g_off / g_on are aimed this far inside (window
        functions make the state bounds asymptotic). Default 0.01: our choice, a binary synapse
        must be ON, not saturated (0.99 g_on realises 0.99 map_w_max, threshold 0.67 of it);
        the last percent of conductance would cost two thirds of a SET's energy.
    """

    n_levels: int = 2
    sigma_d2d: float = 0.0
    sigma_read: float = 0.0
    v_read: float = 0.1
    t_read: float = 10.0e-9
    v_set: float = -1.65
    v_reset: float = 0.45
    t_pulse_max: float = 1.0e-4
    t_pulse_step: float = 0.0
    g_tol: float = 1.0e-2

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
        if int(self.n_levels) != self.n_levels or self.n_levels < 0 or self.n_levels == 1:
            raise ValueError(f'{name}.n_levels = {self.n_levels!r} is invalid: must be 0 '
                             '(analog) or an integer >= 2 (2 = binary)')
        for fld in ('sigma_d2d', 'sigma_read', 't_pulse_step'):
            if getattr(self, fld) < 0.0:
                raise ValueError(f'{name}.{fld} = {getattr(self, fld)!r} is invalid: must be '
                                 '>= 0')
        for fld in ('sigma_d2d', 'sigma_read'):   # beyond 1 the energies overflow to inf/NaN
            if getattr(self, fld) > 1.0:
                raise ValueError(f'{name}.{fld} = {getattr(self, fld)!r} is invalid: must be '
                                 '<= 1')
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

    def check_device(self, device: VteamParams) -> None:
        """Check the voltages against a device: ``v_on < v_read < v_off``, SET/RESET beyond."""
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

    def level_fraction(self, f):
        """Quantise conductance fractions ``f`` in [0, 1] to the programmable levels."""
        f = np.clip(np.asarray(f, dtype=np.float64), 0.0, 1.0)
        if self.n_levels == 0:
            return f
        step = 1.0 / (self.n_levels - 1)
        return np.round(f / step) * step


class Pulse(NamedTuple):
    """One programming pulse applied to one device."""

    kind: str         # 'SET' (conductance up) or 'RESET' (conductance down)
    v: float          # amplitude, V
    width: float      # duration, s
    energy_j: float   # integral v^2 G(t) dt over the pulse, J


class MapArray:
    """``n_rows`` x ``n_cols`` single VTEAM devices holding non-negative weights.

    ``state`` (normalised VTEAM states, 1 = OFF), ``level`` (programmed conductance fraction),
    ``variation`` (device factors) and ``noise`` (the read-noise sample of the last write) all
    have shape ``(n_rows, n_cols)``. Cumulative write statistics: ``pulse_energy_j``,
    ``n_pulses``, ``pulse_time_s``.
    """

    def __init__(self, n_rows: int, n_cols: int = 4, params: CrossbarParams = None,
                 device: VteamParams = None, seed: int = 0):
        """Create an array with every device OFF."""
        if int(n_rows) != n_rows or n_rows < 1 or int(n_cols) != n_cols or n_cols < 1:
            raise ValueError(f'array shape ({n_rows!r}, {n_cols!r}) is invalid: rows and '
                             'columns must be integers >= 1')
        self.params = params if params is not None else CrossbarParams()
        self.device = device if device is not None else VteamParams()
        self.params.check_device(self.device)
        shape = (int(n_rows), int(n_cols))
        self.state = np.ones(shape)
        self.level = np.zeros(shape)
        rng = np.random.default_rng([int(seed), 0])
        self.variation = (np.exp(self.params.sigma_d2d * rng.standard_normal(shape))
                          if self.params.sigma_d2d > 0.0 else np.ones(shape))
        self._noise_rng = np.random.default_rng([int(seed), 1])
        self.noise = np.zeros(shape)
        self.pulse_energy_j = 0.0
        self.n_pulses = 0
        self.pulse_time_s = 0.0
        self.last_pulse = None

    @property
    def shape(self):
        """Return ``(n_rows, n_cols)``."""
        return self.state.shape

    def level_conductance(self, level):
        """Nominal conductance (S) of programmed fraction(s) ``level``."""
        dev = self.device
        return dev.g_off + np.asarray(level, dtype=np.float64) * (dev.g_on - dev.g_off)

    def true_conductance(self):
        """Conductances (S) the devices conduct: their VTEAM states' times the variation."""
        return self.variation * conductance(self.state, self.device)

    def weights(self, w_scale: float) -> np.ndarray:
        """Realised weights of every device (read-noise samples of the last writes)."""
        return w_scale * self.true_conductance() / self.device.g_on * (1.0 + self.noise)

    def load(self, w: np.ndarray, w_scale: float) -> np.ndarray:
        """Program ``w`` off-line (no energy, no pulses counted); return the realised weights.

        Off-line programming (a restored memory) reaches the exact level conductances; an
        on-line :meth:`write` aims ``g_tol`` inside the bounds, as its pulse is open loop.
        """
        w = np.asarray(w, dtype=np.float64)
        if w.shape != self.shape:
            raise ValueError(f'weight matrix shape {w.shape} does not match the array '
                             f'{self.shape}')
        if not np.all(np.isfinite(w)):
            raise ValueError('weight matrix contains non-finite values')
        self.level = self.params.level_fraction(w / w_scale)
        self.state = np.asarray(state_from_conductance(self.level_conductance(self.level),
                                                       self.device), dtype=np.float64)
        self.noise = self._draw_noise(self.shape)
        return self.weights(w_scale)

    def write(self, row: int, col: int, w: float, w_scale: float) -> float:
        """Program synapse ``(row, col)`` to weight ``w``; return its realised weight."""
        target = float(self.params.level_fraction(w / w_scale))
        if target != self.level[row, col]:
            self._pulse(row, col, float(self.level_conductance(target)))
            self.level[row, col] = target
        self.noise[row, col] = self._draw_noise(())
        g = self.variation[row, col] * conductance(self.state[row, col], self.device)
        return float(w_scale * g / self.device.g_on * (1.0 + self.noise[row, col]))

    def _draw_noise(self, shape):
        if self.params.sigma_read <= 0.0:
            return np.zeros(shape)
        return self.params.sigma_read * self._noise_rng.standard_normal(shape)

    def _pulse(self, row: int, col: int, g_target: float) -> None:
        """Apply the one pulse that moves device ``(row, col)`` to ``g_target`` (open loop)."""
        p, dev = self.params, self.device
        tol = p.g_tol * (dev.g_on - dev.g_off)
        x0 = float(self.state[row, col])
        if abs(float(conductance(x0, dev)) - g_target) <= tol:
            return
        g_aim = min(max(g_target, dev.g_off + tol), dev.g_on - tol)
        x1 = float(state_from_conductance(g_aim, dev))
        v = p.v_reset if x1 > x0 else p.v_set
        width = pulse_for_delta(x0, x1, dev, v, t_max=p.t_pulse_max, state_tol=1.0e-12)
        if p.t_pulse_step > 0.0:
            width = round(width / p.t_pulse_step) * p.t_pulse_step
        width = min(max(width, 0.0), p.t_pulse_max)
        if width <= 0.0:
            return
        x_new, energy = apply_pulse(x0, v, width, dev, g_scale=float(self.variation[row, col]))
        self.state[row, col] = x_new
        self.pulse_energy_j += float(energy)
        self.n_pulses += 1
        self.pulse_time_s += float(width)
        self.last_pulse = Pulse('RESET' if v > 0.0 else 'SET', float(v), float(width),
                                float(energy))

    def read_energies(self):
        """Energy (J) of one read of an ON and of an OFF device: ``v_read^2 G t_read``.

        ``G`` is the mean true conductance of the devices at a non-zero level (ON) and at
        level 0 (OFF); the nominal ``g_on`` / ``g_off`` when there is none.
        """
        p, dev = self.params, self.device
        g = self.true_conductance()
        on = self.level > 0.0
        g_on = float(g[on].mean()) if on.any() else dev.g_on
        g_off = float(g[~on].mean()) if (~on).any() else dev.g_off
        scale = p.v_read * p.v_read * p.t_read
        return scale * g_on, scale * g_off
