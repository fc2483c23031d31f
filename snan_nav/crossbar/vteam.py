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
"""VTEAM voltage-controlled memristor model (Kvatinsky et al. 2015) with numba pulse kernels.

Reference: S. Kvatinsky, M. Ramadan, E. G. Friedman, A. Kolodny, "VTEAM: A General Model for
Voltage-Controlled Memristors", IEEE Trans. Circuits Syst. II 62(8):786-790, 2015,
doi:10.1109/TCSII.2015.2433536.

State variable. The physical state is the position ``w_phys`` in metres between ``w_on`` (low
resistance, ON) and ``w_off`` (high resistance, OFF). Every function here works with the
**normalised state** ``w = (w_phys - w_on) / (w_off - w_on)`` in [0, 1]: ``w = 0`` is ``R_on``,
``w = 1`` is ``R_off``. Parameters stay in the paper's physical units (m/s, m, V, ohm).

State equation (VTEAM eq. 1), physical units::

    dw_phys/dt = k_off * (v / v_off - 1) ** alpha_off * f_off(w)   if 0 < v_off < v
               = 0                                               if v_on < v < v_off
               = k_on  * (v / v_on  - 1) ** alpha_on  * f_on(w)    if v < v_on < 0

so ``dw/dt = (dw_phys/dt) / (w_off - w_on)`` in 1/s. ``k_off > 0`` moves the state toward OFF
(RESET, conductance down) under positive voltage; ``k_on < 0`` moves it toward ON (SET,
conductance up) under negative voltage.

Current-voltage relation (VTEAM eqs. 2-3): ``i = v / R(w)`` with

* linear:      ``R(w) = R_on + (R_off - R_on) * w``
* exponential: ``R(w) = R_on * exp(lambda * w)``, ``lambda = ln(R_off / R_on)``

so ``R(0) = R_on`` and ``R(1) = R_off`` for both.

Window functions ``f(w)`` (all <= 1; the state is also clipped to [0, 1]):

* ``'none'``: 1;
* ``'joglekar'``: ``1 - (2w - 1)^(2p)`` (it vanishes at both bounds, so a device that reached a
  bound never leaves it: Joglekar's known boundary lock; use another window for writes);
* ``'biolek'``: ``1 - (w - stp(-v))^(2p)`` (vanishes only at the bound the drive pushes toward);
* ``'kvatinsky'`` (the TEAM/VTEAM paper's own): ``f_off = exp(-exp((w - a_off) / w_c))``,
  ``f_on = exp(-exp(-(w - a_on) / w_c))`` with ``a_on, a_off, w_c`` in metres like ``w_on``.

Energy of a pulse: ``E = integral of v^2 * G(w(t)) dt`` over the pulse (joules), integrated
together with the state.
"""
from dataclasses import dataclass, fields
from functools import cached_property
import math
from typing import Tuple

from numba import njit
import numpy as np

from snan_nav.crossbar._util import from_mapping

WINDOWS = ('none', 'joglekar', 'biolek', 'kvatinsky')
R_MODELS = ('linear', 'exponential')

# Integration controls shared by the Python wrappers (normalised state units and seconds).
DEFAULT_MAX_DW = 2.0e-3     # largest state change per RK4 step (window-free bound)
DEFAULT_MAX_STEPS = 1_000_000
DEFAULT_STATE_TOL = 1.0e-6  # how close to a bound a write aims (windows make bounds asymptotic)
DEFAULT_WIDTH_RTOL = 1.0e-9  # relative tolerance of the pulse-width bisection


def _bad(cls_name: str, field: str, value, rule: str) -> ValueError:
    return ValueError(f'{cls_name}.{field} = {value!r} is invalid: {rule}')


@dataclass(frozen=True)
class VteamParams:
    """VTEAM device parameters (physical units as in Kvatinsky et al. 2015).

    The defaults are the set :data:`VTEAM_NGSPICE_MEMR2` (see its note on provenance).

    Attributes
    ----------
    k_on : float
        SET (OFF->ON) rate constant, m/s, must be < 0.
    k_off : float
        RESET (ON->OFF) rate constant, m/s, must be > 0.
    alpha_on, alpha_off : float
        Voltage exponents (dimensionless), > 0.
    v_on : float
        SET threshold voltage, V, < 0.
    v_off : float
        RESET threshold voltage, V, > 0.
    r_on, r_off : float
        ON / OFF resistance, ohm, 0 < r_on < r_off.
    w_on, w_off : float
        State bounds, m, w_on < w_off (only their difference and the Kvatinsky-window
        positions relative to ``w_on`` matter).
    window : str
        One of ``'none' | 'joglekar' | 'biolek' | 'kvatinsky'``.
    p : float
        Exponent of the Joglekar / Biolek windows, > 0 (integer in the literature).
    a_on, a_off, w_c : float
        Kvatinsky-window positions and width, m (``w_c`` > 0); used only by that window.
        Defaults (the two state bounds and 10 % of the span) are our assumption.
    r_model : str
        ``'linear'`` or ``'exponential'`` resistance-state relation.
    """

    k_on: float = -216.2
    k_off: float = 0.091
    alpha_on: float = 4.0
    alpha_off: float = 4.0
    v_on: float = -1.5
    v_off: float = 0.3
    r_on: float = 1.0e3
    r_off: float = 300.0e3
    w_on: float = 0.0
    w_off: float = 3.0e-9
    window: str = 'biolek'
    p: float = 10.0
    a_on: float = 0.0
    a_off: float = 3.0e-9
    w_c: float = 0.3e-9
    r_model: str = 'linear'

    def __post_init__(self):
        """Validate signs, ordering and finiteness; raise ValueError naming the field."""
        name = type(self).__name__
        for f in fields(self):
            if f.name in ('window', 'r_model'):
                continue
            value = getattr(self, f.name)
            numeric = isinstance(value, (int, float, np.integer, np.floating))
            if isinstance(value, bool) or not numeric:
                raise _bad(name, f.name, value, 'must be a real number')
            if not math.isfinite(float(value)):
                raise _bad(name, f.name, value, 'must be finite')
        if not self.k_on < 0.0:
            raise _bad(name, 'k_on', self.k_on, 'must be < 0 m/s (SET moves w toward w_on)')
        if not self.k_off > 0.0:
            raise _bad(name, 'k_off', self.k_off,
                       'must be > 0 m/s (RESET moves w toward w_off)')
        for fld in ('alpha_on', 'alpha_off', 'p', 'w_c'):
            if not getattr(self, fld) > 0.0:
                raise _bad(name, fld, getattr(self, fld), 'must be > 0')
        if not self.v_on < 0.0:
            raise _bad(name, 'v_on', self.v_on, 'must be < 0 V (VTEAM sign rule v_on < 0 < v_off)')
        if not self.v_off > 0.0:
            raise _bad(name, 'v_off', self.v_off,
                       'must be > 0 V (VTEAM sign rule v_on < 0 < v_off)')
        if not self.r_on > 0.0:
            raise _bad(name, 'r_on', self.r_on, 'must be > 0 ohm')
        if not self.r_off > self.r_on:
            raise _bad(name, 'r_off', self.r_off,
                       f'must be > r_on = {self.r_on!r} ohm (r_on < r_off)')
        if not self.w_off > self.w_on:
            raise _bad(name, 'w_off', self.w_off, f'must be > w_on = {self.w_on!r} m')
        if self.window not in WINDOWS:
            raise _bad(name, 'window', self.window, f'must be one of {WINDOWS}')
        if self.r_model not in R_MODELS:
            raise _bad(name, 'r_model', self.r_model, f'must be one of {R_MODELS}')

    @property
    def d(self) -> float:
        """State span ``w_off - w_on`` in metres."""
        return self.w_off - self.w_on

    @property
    def lam(self) -> float:
        """``lambda = ln(R_off / R_on)`` of the exponential resistance model."""
        return math.log(self.r_off / self.r_on)

    @property
    def g_on(self) -> float:
        """Largest conductance ``1 / R_on`` in siemens."""
        return 1.0 / self.r_on

    @property
    def g_off(self) -> float:
        """Smallest conductance ``1 / R_off`` in siemens."""
        return 1.0 / self.r_off

    @classmethod
    def from_mapping(cls, values) -> 'VteamParams':
        """Build from a mapping of field overrides (e.g. YAML); unknown keys are errors."""
        return from_mapping(cls, values)

    @cached_property
    def packed(self) -> np.ndarray:
        """Parameters as a float64 vector for the numba kernels (normalised positions)."""
        d = self.d
        packed = np.array([
            self.k_on, self.k_off, self.alpha_on, self.alpha_off, self.v_on, self.v_off,
            self.r_on, self.r_off, d, float(WINDOWS.index(self.window)), self.p,
            (self.a_on - self.w_on) / d, (self.a_off - self.w_on) / d, self.w_c / d,
            float(R_MODELS.index(self.r_model)), self.lam,
        ], dtype=np.float64)
        packed.flags.writeable = False
        return packed


# Parameter sets -------------------------------------------------------------------------------
#: VTEAM set shipped as the default (``VteamParams()``).
#:
#: Provenance (what we could verify): these exact numbers are the model defaults of the VTEAM-type
#: memristor device ``MEMR2`` added to ngspice by Bo Li, MSDA Lab, Shanghai Jiao Tong University
#: (2020), file ``memr2setup.c``: alpha_on = alpha_off = 4, k_on = -216.2, k_off = 0.091,
#: v_on = -1.5 V, v_off = 0.3 V, R_on = 1 kohm, R_off = 300 kohm, D = 3 nm, window function
#: ``Wf = 2`` with p = 10. We read ``Wf = 2`` as the Biolek window (index 2 in the Technion
#: Verilog-A numbering of Kvatinsky et al.: 0 none, 1 Joglekar, 2 Biolek, 3 Prodromakis,
#: 4 Kvatinsky); that reading is OUR ASSUMPTION. We believe the set originates in the VTEAM
#: authors' memristor-aided-logic simulations (Kvatinsky et al., "MAGIC - Memristor-Aided Logic",
#: IEEE TCAS-II 61(11), 2014), whose |v_on| > v_off matches the MAGIC NOR input-stability
#: condition, but we could NOT verify the numbers against that paper's table: treat the
#: attribution as unverified.
VTEAM_NGSPICE_MEMR2 = VteamParams()

#: Default VTEAM parameters of MemTorch (C. Lammie et al., "MemTorch: An open-source simulation
#: framework for memristive deep learning systems", Neurocomputing 485, 2022; source file
#: ``memtorch/bh/memristor/VTEAM.py``, which points to the VTEAM authors' model page
#: asic2.group/tools/memristor-models): R_on = 50 ohm, R_off = 1 kohm, D = 3 nm, k_on = -10 m/s,
#: k_off = 5e-4 m/s, alpha_on = 3, alpha_off = 1, v_on = -0.2 V, v_off = 0.02 V, no window,
#: linear R(w) (MemTorch's ``current`` is linear in w). Verified in the MemTorch source only,
#: not against the VTEAM paper. Note its tiny v_off: reads must stay below 20 mV.
VTEAM_MEMTORCH_DEFAULT = VteamParams(
    k_on=-10.0, k_off=5.0e-4, alpha_on=3.0, alpha_off=1.0, v_on=-0.2, v_off=0.02,
    r_on=50.0, r_off=1.0e3, w_on=0.0, w_off=3.0e-9, window='none', r_model='linear')


# numba kernels --------------------------------------------------------------------------------
@njit(cache=True)
def _drift(v, pa):
    """Window-free VTEAM drift in m/s (VTEAM eq. 1 without f(w))."""
    if v > pa[5]:
        return pa[1] * (v / pa[5] - 1.0) ** pa[3]
    if v < pa[4]:
        return pa[0] * (v / pa[4] - 1.0) ** pa[2]
    return 0.0


@njit(cache=True)
def _window(w, v, pa):
    """Window value f(w) in [0, 1] for drive voltage v (normalised state w)."""
    code = int(pa[9])
    if code == 0:
        return 1.0
    p2 = 2.0 * pa[10]
    if code == 1:
        return 1.0 - abs(2.0 * w - 1.0) ** p2
    if code == 2:
        if v >= 0.0:
            return 1.0 - abs(w) ** p2
        return 1.0 - abs(w - 1.0) ** p2
    if v >= 0.0:
        return math.exp(-math.exp((w - pa[12]) / pa[13]))
    return math.exp(-math.exp(-(w - pa[11]) / pa[13]))


@njit(cache=True)
def _resistance(w, pa):
    """Device resistance R(w) in ohm (VTEAM eqs. 2-3)."""
    if pa[14] == 0.0:
        return pa[6] + (pa[7] - pa[6]) * w
    return pa[6] * math.exp(pa[15] * w)


@njit(cache=True)
def _clip01(w):
    if w < 0.0:
        return 0.0
    if w > 1.0:
        return 1.0
    return w


@njit(cache=True)
def _pulse_kernel(w0, v, width, pa, g_scale, max_dw, max_steps):
    """Integrate a rectangular pulse (v volts for width seconds) with fixed-step RK4.

    The step count is chosen so that one step moves the state by at most ``max_dw`` without
    window (windows are <= 1), capped at ``max_steps``. Returns the final normalised state and
    the dissipated energy ``integral v^2 * g_scale / R(w) dt`` in joules.
    """
    w = _clip01(w0)
    if width <= 0.0:
        return w, 0.0
    vv = v * v * g_scale
    r = _drift(v, pa) / pa[8]
    if r == 0.0:
        return w, vv * width / _resistance(w, pa)
    n = int(math.ceil(abs(r) * width / max_dw))
    if n < 1:
        n = 1
    if n > max_steps:
        n = max_steps
    h = width / n
    e = 0.0
    for i in range(n):
        if (r > 0.0 and w >= 1.0) or (r < 0.0 and w <= 0.0):
            e += vv / _resistance(w, pa) * h * (n - i)
            break
        k1 = r * _window(w, v, pa)
        q1 = vv / _resistance(w, pa)
        wa = _clip01(w + 0.5 * h * k1)
        k2 = r * _window(wa, v, pa)
        q2 = vv / _resistance(wa, pa)
        wb = _clip01(w + 0.5 * h * k2)
        k3 = r * _window(wb, v, pa)
        q3 = vv / _resistance(wb, pa)
        wc = _clip01(w + h * k3)
        k4 = r * _window(wc, v, pa)
        q4 = vv / _resistance(wc, pa)
        w = _clip01(w + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4))
        e += h / 6.0 * (q1 + 2.0 * q2 + 2.0 * q3 + q4)
    return w, e


@njit(cache=True)
def _pulse_many_kernel(w0, v, width, pa, g_scale, max_dw, max_steps):
    """Apply the same pulse to many devices; returns (states, energies) arrays."""
    n = w0.shape[0]
    out = np.empty(n)
    en = np.empty(n)
    for i in range(n):
        out[i], en[i] = _pulse_kernel(w0[i], v, width, pa, g_scale[i], max_dw, max_steps)
    return out, en


@njit(cache=True)
def _width_kernel(w0, w1, v, pa, t_max, rtol, max_dw, max_steps):
    """Shortest pulse width that moves the state from w0 to w1 (bisection on the integrator).

    Returns ``t_max`` when the target is not reached within ``t_max``.
    """
    s = 1.0 if w1 > w0 else -1.0
    r = _drift(v, pa) / pa[8]
    t_hi = abs(w1 - w0) / abs(r)
    t_lo = 0.0
    if t_hi >= t_max:
        t_hi = t_max
    while True:
        wt, _ = _pulse_kernel(w0, v, t_hi, pa, 1.0, max_dw, max_steps)
        if s * (wt - w1) >= 0.0:
            break
        if t_hi >= t_max:
            return t_max
        t_lo = t_hi
        t_hi = min(2.0 * t_hi, t_max)
    for _ in range(200):
        if t_hi - t_lo <= rtol * t_hi:
            break
        mid = 0.5 * (t_lo + t_hi)
        wt, _ = _pulse_kernel(w0, v, mid, pa, 1.0, max_dw, max_steps)
        if s * (wt - w1) >= 0.0:
            t_hi = mid
        else:
            t_lo = mid
    return t_hi


# Python API -----------------------------------------------------------------------------------
def drift(v: float, params: VteamParams) -> float:
    """Window-free VTEAM drift ``k (v / v_th - 1)^alpha`` in m/s (0 inside the thresholds)."""
    return float(_drift(float(v), params.packed))


def window_value(w: float, v: float, params: VteamParams) -> float:
    """Window ``f(w)`` (dimensionless, <= 1) at normalised state ``w`` under drive ``v`` (V)."""
    return float(_window(float(w), float(v), params.packed))


def dw_dt(v: float, w: float, params: VteamParams) -> float:
    """Normalised state derivative ``dw/dt`` in 1/s (physical: multiply by ``params.d``)."""
    pa = params.packed
    return float(_drift(float(v), pa) * _window(float(w), float(v), pa) / pa[8])


def resistance(w, params: VteamParams):
    """Resistance ``R(w)`` in ohm for normalised state(s) ``w`` (array or scalar)."""
    w = np.clip(np.asarray(w, dtype=np.float64), 0.0, 1.0)
    if params.r_model == 'linear':
        out = params.r_on + (params.r_off - params.r_on) * w
    else:
        out = params.r_on * np.exp(params.lam * w)
    return float(out) if out.ndim == 0 else out


def conductance(w, params: VteamParams):
    """Conductance ``G(w) = 1 / R(w)`` in siemens for normalised state(s) ``w``."""
    r = resistance(w, params)
    return 1.0 / r


def state_from_conductance(g, params: VteamParams):
    """Inverse of :func:`conductance`: normalised state for conductance(s) ``g`` (S), clipped.

    ``g`` is clipped to ``[g_off, g_on]`` first; linear model ``w = (1/g - R_on)/(R_off - R_on)``,
    exponential model ``w = ln(1/(g R_on)) / lambda``.
    """
    g = np.clip(np.asarray(g, dtype=np.float64), params.g_off, params.g_on)
    r = 1.0 / g
    if params.r_model == 'linear':
        w = (r - params.r_on) / (params.r_off - params.r_on)
    else:
        w = np.log(r / params.r_on) / params.lam
    w = np.clip(w, 0.0, 1.0)
    return float(w) if w.ndim == 0 else w


def apply_pulse(w0: float, v: float, width: float, params: VteamParams, *,
                g_scale: float = 1.0, max_dw: float = DEFAULT_MAX_DW,
                max_steps: int = DEFAULT_MAX_STEPS) -> Tuple[float, float]:
    """Apply a rectangular pulse of ``v`` volts for ``width`` seconds to one device.

    ``g_scale`` multiplies the device conductance (device-to-device variation) for the energy.
    Returns ``(w_final, energy_j)`` with ``energy_j = integral v^2 g_scale G(w(t)) dt``.
    """
    if not math.isfinite(width) or width < 0.0:
        raise ValueError(f'pulse width = {width!r} is invalid: must be a finite time >= 0 s')
    if not math.isfinite(v):
        raise ValueError(f'pulse amplitude = {v!r} is invalid: must be finite (V)')
    w, e = _pulse_kernel(float(w0), float(v), float(width), params.packed, float(g_scale),
                         float(max_dw), int(max_steps))
    return float(w), float(e)


def apply_pulse_many(w0: np.ndarray, v: float, width: float, params: VteamParams, *,
                     g_scale=None, max_dw: float = DEFAULT_MAX_DW,
                     max_steps: int = DEFAULT_MAX_STEPS) -> Tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`apply_pulse`: same pulse on every device of ``w0`` (1-D)."""
    if not math.isfinite(width) or width < 0.0:
        raise ValueError(f'pulse width = {width!r} is invalid: must be a finite time >= 0 s')
    w0 = np.ascontiguousarray(w0, dtype=np.float64).ravel()
    gs = (np.ones_like(w0) if g_scale is None
          else np.ascontiguousarray(g_scale, dtype=np.float64).ravel())
    return _pulse_many_kernel(w0, float(v), float(width), params.packed, gs, float(max_dw),
                              int(max_steps))


def pulse_for_delta(w_now: float, w_target: float, params: VteamParams, v_amp: float, *,
                    t_max: float = 1.0e-3, state_tol: float = DEFAULT_STATE_TOL,
                    rtol: float = DEFAULT_WIDTH_RTOL, max_dw: float = DEFAULT_MAX_DW,
                    max_steps: int = DEFAULT_MAX_STEPS) -> float:
    """Pulse width (s) at amplitude ``v_amp`` (V) that moves the state ``w_now -> w_target``.

    States are normalised (0 = ON, 1 = OFF). Found by bisection on the same RK4 integrator
    :func:`apply_pulse` uses, so applying the returned width reproduces the target to the
    relative width tolerance ``rtol``. A target at a bound is aimed at ``state_tol`` inside it
    (window functions make the bounds asymptotic). Returns ``t_max`` when the target cannot be
    reached within ``t_max`` (for example a Joglekar device stuck at a bound). Raises
    ValueError when ``v_amp`` cannot move the state toward the target (wrong sign, or inside
    the threshold window ``v_on <= v <= v_off``).
    """
    for label, value in (('w_now', w_now), ('w_target', w_target)):
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            raise ValueError(f'{label} = {value!r} is invalid: normalised state in [0, 1]')
    if not (math.isfinite(t_max) and t_max > 0.0):
        raise ValueError(f't_max = {t_max!r} is invalid: must be a finite time > 0 s')
    w1 = min(max(float(w_target), state_tol), 1.0 - state_tol)
    w0 = float(w_now)
    if abs(w1 - w0) <= 0.0 or (w1 - w0) * (w_target - w_now) <= 0.0:
        return 0.0
    d = drift(v_amp, params)
    if d == 0.0:
        raise ValueError(f'v_amp = {v_amp!r} V is inside the threshold window '
                         f'[{params.v_on}, {params.v_off}] V: it cannot change the state')
    if (w1 > w0) != (d > 0.0):
        need = f'v_amp > v_off = {params.v_off} V' if w1 > w0 else \
            f'v_amp < v_on = {params.v_on} V'
        raise ValueError(f'v_amp = {v_amp!r} V moves the state away from the target: need {need}')
    return float(_width_kernel(w0, w1, float(v_amp), params.packed, float(t_max), float(rtol),
                               float(max_dw), int(max_steps)))
