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
"""The CPU baseline: measured CPU time of the numba kernels, times a per-core power.

:class:`KernelClock` times every kernel call of an agent with ``time.process_time_ns`` (CPU
time of this process, so time the scheduler gives to other processes is not counted) and
subtracts the measured cost of an empty timing window. The kernels are compiled before the
first timed call (the bench warms every agent kind up), so compilation is never timed.

Power per core (:func:`core_power`): with readable RAPL energy counters
(``/sys/class/powercap/*/energy_uj``) the extra package power of one busy core, measured once
per process (busy-loop power minus idle power over equal intervals); otherwise the cited
figure :attr:`EnergyParams.cpu_core_power_w`, labelled as such.
"""
import glob
import os
import time
from typing import Callable, NamedTuple, Optional

from snan_nav.crossbar.energy import EnergyParams

POWERCAP_ROOT = '/sys/class/powercap'
#: Length of each of the two RAPL measurement intervals, s.
RAPL_INTERVAL_S = 0.25
_CALIBRATION_CALLS = 200


def _empty():
    return None


def timer_overhead_ns(calls: int = _CALIBRATION_CALLS) -> int:
    """Return the median process-time reading of an empty timed call, ns."""
    samples = []
    for _ in range(calls):
        t0 = time.process_time_ns()
        _empty()
        samples.append(time.process_time_ns() - t0)
    samples.sort()
    return samples[len(samples) // 2]


class KernelClock:
    """Accumulates the CPU time (ns) of the calls it wraps, minus the timer's own cost."""

    _overhead_ns: Optional[int] = None

    def __init__(self):
        """Start at zero; calibrate the timer once per process."""
        if KernelClock._overhead_ns is None:
            KernelClock._overhead_ns = timer_overhead_ns()
        self.total_ns = 0
        self.calls = 0

    def timed(self, fn: Callable) -> Callable:
        """Return ``fn`` wrapped so that each call's CPU time is added to this clock."""
        def call(*args):
            t0 = time.process_time_ns()
            out = fn(*args)
            spent = time.process_time_ns() - t0 - KernelClock._overhead_ns
            self.total_ns += max(spent, 0)
            self.calls += 1
            return out
        call.__wrapped__ = fn
        return call

    @property
    def seconds(self) -> float:
        """Accumulated CPU time, s."""
        return self.total_ns * 1e-9


class CorePower(NamedTuple):
    """Power of one CPU core (W) and where the number comes from."""

    watts: float
    source: str


def rapl_files(root: str = POWERCAP_ROOT):
    """Return the readable package-level RAPL ``energy_uj`` files under ``root``."""
    out = []
    for path in sorted(glob.glob(os.path.join(root, '*', 'energy_uj'))):
        domain = os.path.basename(os.path.dirname(path))
        if domain.count(':') == 1 and os.access(path, os.R_OK):  # packages, not sub-zones
            out.append(path)
    return out


def _read_uj(paths):
    total = 0
    for path in paths:
        with open(path, encoding='ascii') as handle:
            total += int(handle.read().strip())
    return total


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    x = 0
    while time.perf_counter() < end:
        x += 1


def rapl_core_power(paths, interval_s: float = RAPL_INTERVAL_S,
                    read: Callable = _read_uj, busy: Callable = _busy,
                    idle: Callable = time.sleep) -> float:
    """Return the extra package power (W) of one busy core: busy minus idle RAPL power.

    Raises ``ValueError`` when the counters do not advance (wrapped or unusable).
    """
    e0 = read(paths)
    idle(interval_s)
    e1 = read(paths)
    busy(interval_s)
    e2 = read(paths)
    if e1 < e0 or e2 < e1:
        raise ValueError('RAPL energy counter wrapped during the measurement')
    watts = ((e2 - e1) - (e1 - e0)) * 1e-6 / interval_s
    if watts <= 0.0:
        raise ValueError(f'RAPL gave no extra power for a busy core ({watts:.3g} W)')
    return watts


_MEASURED: dict = {}


def core_power(e: EnergyParams, root: str = POWERCAP_ROOT) -> CorePower:
    """Return the per-core power to price CPU time with (see the module docstring)."""
    if e.cpu_power_source == 'cited':
        return CorePower(e.cpu_core_power_w, 'cited')
    if root not in _MEASURED:
        paths = rapl_files(root)
        try:
            _MEASURED[root] = rapl_core_power(paths) if paths else None
        except (OSError, ValueError):
            _MEASURED[root] = None
    watts = _MEASURED[root]
    if watts is not None:
        return CorePower(watts, 'rapl')
    if e.cpu_power_source == 'rapl':
        raise ValueError(f'cpu_power_source is rapl but no usable RAPL energy counter under '
                         f'{root}')
    return CorePower(e.cpu_core_power_w, 'cited')
