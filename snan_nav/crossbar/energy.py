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
"""The constants of the energy, time and area model: each one cited or marked as ours.

What the constants price (the counted events) is in :mod:`snan_nav.crossbar.ledger`; the model
as a whole is described in ``docs/energy.md``.

Sources:

* [ISAAC] A. Shafiee et al., "ISAAC: A Convolutional Neural Network Accelerator with In-Situ
  Analog Arithmetic in Crossbars", ISCA 2016, doi:10.1109/ISCA.2016.12, 32 nm; per-unit values
  as derived from its component table in the Accelergy hwcomponents-library
  (``hwcomponents_library/library/isaac.py``): 8-bit 1.2 GS/s ADC 16 mW per 8 ADCs ->
  1.67 pJ per conversion, 1200 um^2; 1-bit DAC (row driver) 4 mW per 8 x 128 -> 0.417 pJ per
  activation, 0.166 um^2; eDRAM buffer 64 KB in 83,000 um^2; crossbar read cycle 100 ns.
* [Horowitz] M. Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC
  2014, 45 nm, 0.9 V, as tabulated in Han et al., EIE, arXiv:1602.01528, Table I: 32-bit int
  add 0.1 pJ, float add 0.9 pJ, register file 1 pJ, int mult 3.1 pJ, float mult 3.7 pJ, SRAM
  5 pJ, DRAM 640 pJ (32-bit accesses); 8-bit int add 0.03 pJ, mult 0.2 pJ (same ISSCC table as
  reproduced elsewhere; we could not open the ISSCC paper itself).
* [Besrour] M. Besrour et al., "A 1.6-fJ/Spike Subthreshold Analog Spiking Neuron in 28 nm
  CMOS", arXiv:2408.07734: LIF neuron 1.61 fJ per spike, 34 um^2, at most 300 kHz.
* [4F2] 4 F^2 is the minimum cell area of a cross-point memory (no selector).
* [EPYC] AMD EPYC 9655 (Zen 5, "Turin"): 96 cores, 400 W default TDP (AMD product
  specifications; we read them in press coverage of the launch).
* [Zen5] AMD Zen 5 core complex die "Eldora": 8 cores with their L2 and 32 MB L3 in 70.6 mm^2
  (TSMC N4P), figures AMD gave to HardwareLuxx, reported by Tom's Hardware (2024).
"""
from dataclasses import asdict, dataclass, fields
import math
from typing import Dict, Mapping

import numpy as np

from snan_nav.crossbar._util import from_mapping

PRECISIONS = ('fp32', 'int32', 'int8')
WEIGHT_MEMORIES = ('sram', 'dram')
CPU_POWER_SOURCES = ('auto', 'rapl', 'cited')
_CHOICES = {'digital_precision': PRECISIONS, 'periphery_precision': PRECISIONS,
            'digital_weight_memory': WEIGHT_MEMORIES, 'cpu_power_source': CPU_POWER_SOURCES}


@dataclass(frozen=True)
class EnergyParams:
    """Energy (J), power (W), time (s) and area (m^2) constants of the model.

    Attributes
    ----------
    e_row_driver_j : float
        Energy of one row activation (1-bit DAC / row driver), J. 0.417 pJ [ISAAC].
    e_adc_j : float
        Energy of one column conversion (sense amplifier + 8-bit ADC), J; style adc only.
        1.67 pJ [ISAAC].
    e_write_driver_j : float
        Driver energy per programming pulse (one row + one column driver), J. Our assumption:
        2 x the [ISAAC] row-driver energy = 0.833 pJ.
    e_spike_j : float
        Energy of one spike of an analog LIF circuit, J; also charged for one synaptic current
        pulse onto an analog membrane (our assumption). 1.61 fJ [Besrour].
    p_neuron_static_w : float
        Static power of one analog neuron circuit while the chip is active, W (every place
        cell's circuit, idle or not). Our assumption: 1.61 nW = one [Besrour] spike per 1 us
        tick; the paper reports energy per spike, not its static power.
    t_tick_s : float
        Duration of one network tick on the chip, s. Our assumption: 1 us, the shortest tick at
        which the [Besrour] circuit's 300 kHz maximum rate still fits the fastest neuron of the
        network (the driven place cell spikes about every 4 ticks).
    t_row_s : float
        Duration of one array row read, s. 100 ns, the [ISAAC] crossbar read cycle.
    e_fp32_mult_j, e_fp32_add_j : float
        32-bit float multiply / add, J. 3.7 pJ / 0.9 pJ [Horowitz].
    e_int32_mult_j, e_int32_add_j : float
        32-bit integer multiply / add, J. 3.1 pJ / 0.1 pJ [Horowitz].
    e_int8_mult_j, e_int8_add_j : float
        8-bit integer multiply / add, J. 0.2 pJ / 0.03 pJ [Horowitz].
    e_reg_j : float
        One 32-bit register-file access (also a look-up-table read), J. 1 pJ [Horowitz].
    e_sram_j : float
        One 32-bit on-chip SRAM access, J; a write is priced as a read (our assumption).
        5 pJ [Horowitz].
    e_dram_j : float
        One 32-bit DRAM access, J. 640 pJ [Horowitz].
    digital_precision : str
        Arithmetic of the digital baseline: 'fp32' (default, like the CPU reference), 'int32'
        or 'int8'.
    periphery_precision : str
        Arithmetic of the crossbar chip's digital periphery (astrocytes, plasticity, wave
        bookkeeping, style-adc neurons): 'int32' (default: calcium needs about 16 bits and 32
        is the narrowest cited width that holds them; our choice), 'fp32' or 'int8'.
    digital_weight_memory : str
        Where the digital baseline keeps the map weights: 'sram' (default, they fit on chip)
        or 'dram'.
    feature_size_m : float
        Lithography feature size F, m. Our assumption: 32 nm, the node of the [ISAAC] figures.
    cell_area_f2 : float
        Memristor cell area in F^2. 4 F^2 [4F2].
    adc_area_m2 : float
        Area of one column ADC, m^2. 1200 um^2 [ISAAC].
    row_driver_area_m2 : float
        Area of one row driver, m^2. 0.166 um^2 [ISAAC].
    neuron_area_m2 : float
        Area of one LIF neuron circuit, m^2. 34 um^2 [Besrour]; a style-adc digital neuron
        unit is given the same area (our assumption).
    mem_area_per_bit_m2 : float
        Area of one bit of on-chip state memory, m^2. 0.158 um^2: the [ISAAC] eDRAM buffer
        (64 KB in 83,000 um^2) with its periphery.
    cpu_power_source : str
        'auto' (default: RAPL energy counters under /sys/class/powercap when readable, else
        the cited figure), 'rapl' (required) or 'cited'.
    cpu_core_power_w : float
        Cited power of one CPU core, W: 400 W / 96 cores = 4.17 W, the default TDP per core
        of the AMD EPYC 9655 [EPYC] (this machine reports a Zen 5 EPYC without its model).
    cpu_core_area_m2 : float
        Area of one CPU core, m^2: 70.6 mm^2 / 8 = 8.83 mm^2, the Zen 5 core complex die per
        core, its L2 and its share of the L3 included [Zen5].
    """

    e_row_driver_j: float = 0.41667e-12
    e_adc_j: float = 16.0e-3 / (8 * 1.2e9)
    e_write_driver_j: float = 2 * 0.41667e-12
    e_spike_j: float = 1.61e-15
    p_neuron_static_w: float = 1.61e-9
    t_tick_s: float = 1.0e-6
    t_row_s: float = 100.0e-9
    e_fp32_mult_j: float = 3.7e-12
    e_fp32_add_j: float = 0.9e-12
    e_int32_mult_j: float = 3.1e-12
    e_int32_add_j: float = 0.1e-12
    e_int8_mult_j: float = 0.2e-12
    e_int8_add_j: float = 0.03e-12
    e_reg_j: float = 1.0e-12
    e_sram_j: float = 5.0e-12
    e_dram_j: float = 640.0e-12
    digital_precision: str = 'fp32'
    periphery_precision: str = 'int32'
    digital_weight_memory: str = 'sram'
    feature_size_m: float = 32.0e-9
    cell_area_f2: float = 4.0
    adc_area_m2: float = 1200.0e-12
    row_driver_area_m2: float = 0.166e-12
    neuron_area_m2: float = 34.0e-12
    mem_area_per_bit_m2: float = 83000.0e-12 / (64 * 1024 * 8)
    cpu_power_source: str = 'auto'
    cpu_core_power_w: float = 400.0 / 96
    cpu_core_area_m2: float = 70.6e-6 / 8

    def __post_init__(self):
        """Validate: energies >= 0, the rest > 0, all finite; known choices."""
        name = type(self).__name__
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _CHOICES:
                if value not in _CHOICES[f.name]:
                    raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be one of '
                                     f'{_CHOICES[f.name]}')
                continue
            numeric = isinstance(value, (int, float, np.integer, np.floating))
            if isinstance(value, bool) or not numeric:
                raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be a number')
            if not math.isfinite(float(value)):
                raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be finite')
            if f.name.startswith(('e_', 'p_')):
                if value < 0.0:
                    raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be >= 0')
            elif not value > 0.0:
                raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be > 0')

    @classmethod
    def from_mapping(cls, values: Mapping) -> 'EnergyParams':
        """Build from a mapping of overrides (e.g. a YAML section); unknown keys are errors."""
        return from_mapping(cls, values)

    def to_dict(self) -> Dict[str, object]:
        """All constants as a plain dict (for reports)."""
        return asdict(self)

    def add_j(self, precision: str) -> float:
        """Energy of one add at ``precision`` ('fp32', 'int32', 'int8'), J."""
        return getattr(self, f'e_{precision}_add_j')

    def mult_j(self, precision: str) -> float:
        """Energy of one multiply at ``precision``, J."""
        return getattr(self, f'e_{precision}_mult_j')

    @property
    def e_weight_mem_j(self) -> float:
        """Energy of one digital-baseline weight access (SRAM or DRAM word), J."""
        return self.e_sram_j if self.digital_weight_memory == 'sram' else self.e_dram_j
