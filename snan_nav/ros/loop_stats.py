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
"""How the control loop is doing: decision latencies, loop rate, deadline overruns (no ROS).

:class:`LatencyLog` keeps decision latencies for /diagnostics and reports;
:class:`LoopMonitor` measures the loop's rate on the node clock, counts ticks whose own work
took longer than the control period (a missed deadline), and tells when, under simulated
time, the loop runs clearly slower than ``control_frequency`` although it is not overrun: the
timer fires at most once per /clock update, so the simulator's clock rate caps the loop.
"""
from array import array
from collections import deque
from typing import Optional

import numpy as np

#: The loop counts as capped by /clock below this fraction of control_frequency.
CLOCK_CAP_FRACTION = 0.8


class LatencyLog:
    """Decision latencies and agent compute times (ms): a recent window and, on request, a log.

    ``window`` samples feed the diagnostics. The whole run's latencies are kept (up to
    ``keep``, 8 bytes each) only when a report asks for them (:meth:`record_all`, the in-process
    closed loop of ``snan-nav sim`` and ``soak``): a navigator launched for a robot keeps the
    window alone, so its memory does not grow with the decisions it has made.
    """

    def __init__(self, window: int = 1000, keep: int = 0):
        self.latency_ms = deque(maxlen=window)
        self.compute_ms = deque(maxlen=window)
        self.log_ms = array('d')
        self.keep = int(keep)

    def record_all(self, limit: int = 1_000_000) -> None:
        """Keep every latency from now on, up to ``limit`` of them (for a run's report)."""
        self.keep = int(limit)

    def add(self, latency_ms: float, compute_ms: float) -> None:
        """Record one decision: pose received -> command sent, and the agent's share."""
        self.latency_ms.append(latency_ms)
        self.compute_ms.append(compute_ms)
        if len(self.log_ms) < self.keep:
            self.log_ms.append(latency_ms)

    def summary(self) -> dict:
        """Return median and p99 latency and median compute (ms, 'n/a' when empty)."""
        lat = np.asarray(self.latency_ms, dtype=float)
        comp = np.asarray(self.compute_ms, dtype=float)
        return {
            'decision_latency_ms_median': f'{np.median(lat):.3f}' if lat.size else 'n/a',
            'decision_latency_ms_p99': f'{np.percentile(lat, 99):.3f}' if lat.size else 'n/a',
            'agent_compute_ms_median': f'{np.median(comp):.3f}' if comp.size else 'n/a',
        }


class LoopMonitor:
    """Rate (ticks per second of node-clock time over ``window_s``) and overruns of a loop."""

    def __init__(self, frequency_hz: float, window_s: float = 2.0):
        self.window_s = float(window_s)
        self.ticks = 0
        self.overruns = 0
        self.worst_tick_s = 0.0
        self._times = deque()
        self.set_frequency(frequency_hz)

    def set_frequency(self, frequency_hz: float) -> None:
        """Use a new target rate (Hz) and forget the measured rate."""
        self.frequency_hz = float(frequency_hz)
        self._times.clear()

    def tick(self, now_ns: int, work_s: float) -> None:
        """Record a tick at node-clock time ``now_ns`` whose callback took ``work_s`` (wall)."""
        self.ticks += 1
        self.worst_tick_s = max(self.worst_tick_s, float(work_s))
        if work_s > 1.0 / self.frequency_hz:
            self.overruns += 1
        times = self._times
        if times and now_ns < times[-1]:
            times.clear()            # the clock went back (simulator reset)
        times.append(int(now_ns))
        while times and (times[-1] - times[0]) * 1e-9 > self.window_s:
            times.popleft()

    def rate_hz(self) -> Optional[float]:
        """Return the measured rate over the last window, None before half a window passed."""
        times = self._times
        span = (times[-1] - times[0]) * 1e-9 if len(times) > 1 else 0.0
        if span < 0.5 * self.window_s:
            return None
        return (len(times) - 1) / span

    def clock_limited(self, use_sim_time: bool) -> Optional[str]:
        """Return why the loop is capped by /clock (sim time, rate < 80 %), else None."""
        rate = self.rate_hz()
        if not use_sim_time or rate is None or rate >= CLOCK_CAP_FRACTION * self.frequency_hz:
            return None
        return (f'control_frequency {self.frequency_hz:g} Hz exceeds the rate /clock advances '
                f'at: the loop runs at {rate:.1f} Hz of simulated time; lower '
                'control_frequency or raise the simulator\'s clock rate (update_rate)')

    def summary(self) -> dict:
        """Return the diagnostics values: rate, ticks, overruns, worst tick."""
        rate = self.rate_hz()
        return {'loop_rate_hz': 'n/a' if rate is None else f'{rate:.2f}',
                'control_ticks': str(self.ticks),
                'deadline_overruns': str(self.overruns),
                'worst_tick_ms': f'{self.worst_tick_s * 1e3:.3f}'}
