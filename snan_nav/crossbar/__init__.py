"""Memristive-crossbar emulation of the plastic synapses (VTEAM) and energy per decision.

* :mod:`~snan_nav.crossbar.vteam`: VTEAM device model, numba pulse integrator, pulse widths.
* :mod:`~snan_nav.crossbar.array`: differential-pair weight mapping, reads and writes.
* :mod:`~snan_nav.crossbar.energy`: cited energy/area constants, digital baseline, meter.
* :mod:`~snan_nav.crossbar.synapses`: :class:`CrossbarSynapses`, the agent-facing interface.
* :mod:`~snan_nav.crossbar.plots`: conductance evolution and energy per episode figures.
"""
from snan_nav.crossbar.array import (conductances_to_weights, Crossbar, CrossbarParams, Pulse,
                                     quantise_conductance, ReadResult, weights_to_conductances,
                                     WriteRecord)
from snan_nav.crossbar.energy import (area_report, AreaReport, DecisionCost, digital_cost,
                                      EnergyMeter, EnergyParams, periphery_energy, read_energy)
from snan_nav.crossbar.synapses import CrossbarSynapses
from snan_nav.crossbar.vteam import (apply_pulse, apply_pulse_many, conductance, drift, dw_dt,
                                     pulse_for_delta, resistance, state_from_conductance,
                                     VTEAM_MEMTORCH_DEFAULT, VTEAM_NGSPICE_MEMR2, VteamParams,
                                     window_value)

__all__ = [
    'apply_pulse', 'apply_pulse_many', 'area_report', 'AreaReport', 'conductance',
    'conductances_to_weights', 'Crossbar', 'CrossbarParams', 'CrossbarSynapses', 'DecisionCost',
    'digital_cost', 'drift', 'dw_dt', 'EnergyMeter', 'EnergyParams', 'periphery_energy',
    'Pulse', 'pulse_for_delta', 'quantise_conductance', 'read_energy', 'ReadResult',
    'resistance', 'state_from_conductance', 'VTEAM_MEMTORCH_DEFAULT', 'VTEAM_NGSPICE_MEMR2',
    'VteamParams', 'weights_to_conductances', 'window_value', 'WriteRecord',
]
