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
"""The SNAN's map synapses on an emulated VTEAM memristor array, and energy per decision.

* :mod:`~snan_nav.crossbar.vteam`: VTEAM device model, numba pulse integrator, pulse widths.
* :mod:`~snan_nav.crossbar.array`: one device per map synapse (binary by default): writes,
  realised weights, read energies.
* :mod:`~snan_nav.crossbar.synapses`: :class:`CrossbarSynapses`, what the agent calls.
* :mod:`~snan_nav.crossbar.energy`: the cited (or assumed) constants.
* :mod:`~snan_nav.crossbar.ledger`: counted events priced per component on the analog chip,
  the ADC chip and the digital baseline.
* :mod:`~snan_nav.crossbar.area`, :mod:`~snan_nav.crossbar.cpu`: area, the measured CPU
  baseline; :mod:`~snan_nav.crossbar.summary`: figures per decision, pooled over runs.
* :mod:`~snan_nav.crossbar.plots`: the map on the devices and energy per episode.
"""
from snan_nav.crossbar.area import area_report, AreaReport
from snan_nav.crossbar.array import CrossbarParams, MapArray, Pulse
from snan_nav.crossbar.config import CrossbarConfig
from snan_nav.crossbar.cpu import core_power, CorePower, KernelClock
from snan_nav.crossbar.energy import EnergyParams
from snan_nav.crossbar.ledger import (COMPONENTS, EVENT_OPS, Ledger, MACHINES,
                                      operation_counts, price, STYLES, Usage)
from snan_nav.crossbar.summary import episode_ledgers, per_decision, pool, run_totals
from snan_nav.crossbar.synapses import CrossbarSynapses
from snan_nav.crossbar.vteam import (apply_pulse, apply_pulse_many, conductance, drift, dw_dt,
                                     pulse_for_delta, resistance, state_from_conductance,
                                     VTEAM_MEMTORCH_DEFAULT, VTEAM_NGSPICE_MEMR2, VteamParams,
                                     window_value)

__all__ = [
    'apply_pulse', 'apply_pulse_many', 'area_report', 'AreaReport', 'COMPONENTS',
    'conductance', 'core_power', 'CorePower', 'CrossbarConfig', 'CrossbarParams',
    'CrossbarSynapses', 'drift', 'dw_dt', 'EnergyParams', 'episode_ledgers', 'EVENT_OPS',
    'KernelClock', 'Ledger', 'MACHINES', 'MapArray', 'operation_counts', 'per_decision', 'pool',
    'price', 'Pulse', 'pulse_for_delta', 'resistance', 'run_totals', 'state_from_conductance',
    'STYLES', 'Usage', 'VTEAM_MEMTORCH_DEFAULT', 'VTEAM_NGSPICE_MEMR2', 'VteamParams',
    'window_value',
]
