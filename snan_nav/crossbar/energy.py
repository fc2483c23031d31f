"""Energy and area accounting for the crossbar emulation, with a digital (CPU-style) baseline.

Per decision the crossbar costs (joules)::

    read      = sum over cells read of v_read^2 * G * t_read          (array, from the crossbar)
    write     = sum over pulses of integral v^2 G(t) dt                (array, from VTEAM)
    periphery = e_row_driver * row activations + e_adc * column conversions
                + e_neuron_update * neuron updates + e_neuron_spike * spikes
                + e_write_driver * programming pulses

The digital baseline prices the same logical operations with Horowitz's 45 nm numbers::

    digital = n_mac * (e_mult + e_add) + n_weight_read * e_mem_read
              + n_neuron_update * (e_mult + 2 e_add)
              + n_weight_write * (e_add + e_mem_read)

Every constant below is cited; where we had to choose, the docstring says "our assumption".
Constants can be overridden from a mapping (:meth:`EnergyParams.from_mapping`).

Sources (values checked with the search tools where noted):

* [ISAAC] A. Shafiee et al., "ISAAC: A Convolutional Neural Network Accelerator with In-Situ
  Analog Arithmetic in Crossbars", ISCA 2016, doi:10.1109/ISCA.2016.12, 32 nm. Per-unit
  values as derived from the paper's component table in the Accelergy hwcomponents-library
  (``hwcomponents_library/library/isaac.py``): ADC 8 bit, 1.2 GS/s, 16 mW for 8 ADCs ->
  16e-3 / (8 * 1.2e9) = 1.67 pJ per conversion, area 9600 um^2 / 8 = 1200 um^2; 1-bit DAC
  (row driver) 4 mW for 8 x 128 DACs -> 0.417 pJ per row activation, area 170 um^2 / 1024
  = 0.166 um^2.
* [Horowitz] M. Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC
  2014, 45 nm, 0.9 V: 32-bit float mult 3.7 pJ, float add 0.9 pJ, 32-bit int mult 3.1 pJ,
  int add 0.1 pJ, 32-bit read from a 32 KB SRAM 5 pJ, 32-bit DRAM read 640 pJ (as tabulated in
  Han et al., EIE, arXiv:1602.01528, Table I); 8-bit int mult 0.2 pJ, 8-bit int add 0.03 pJ
  (from the same ISSCC 2014 table as reproduced in the stillwater-sc energy models; we could
  not open the ISSCC paper itself).
* [Besrour] M. Besrour et al., "A 1.6-fJ/Spike Subthreshold Analog Spiking Neuron in 28 nm
  CMOS", arXiv:2408.07734: LIF neuron 1.61 fJ/spike, active area 34 um^2.
* [4F2] 4 F^2 is the minimum (theoretical-limit) cell area of a cross-point memory.
"""
from dataclasses import asdict, dataclass, field, fields
import math
from typing import Dict, List, Mapping, NamedTuple

import numpy as np

from snan_nav.crossbar._util import from_mapping

PRECISIONS = ('fp32', 'int8')
WEIGHT_MEMORIES = ('sram', 'dram')


@dataclass(frozen=True)
class EnergyParams:
    """Energy (J) and area (m^2) constants of the crossbar periphery and the digital baseline.

    Attributes
    ----------
    e_adc_j : float
        Energy per column conversion (sense amplifier + 8-bit ADC), J. 1.67 pJ [ISAAC].
    e_row_driver_j : float
        Energy per row activation (1-bit DAC / row driver), J. 0.417 pJ [ISAAC].
    e_write_driver_j : float
        Driver energy per programming pulse (one row + one column driver), J. Our
        assumption: 2 x the [ISAAC] row-driver energy = 0.833 pJ.
    e_neuron_update_j : float
        Energy of one LIF neuron circuit per network tick, J. Our assumption: one spike's
        worth of the [Besrour] analog LIF, 1.61 fJ, charged every tick (its static power per
        tick is not reported in what we could verify).
    e_neuron_spike_j : float
        Energy per output spike of the LIF circuit, J. 1.61 fJ [Besrour].
    e_fp32_mult_j, e_fp32_add_j : float
        Digital 32-bit float multiply / add, J. 3.7 pJ / 0.9 pJ [Horowitz].
    e_int8_mult_j, e_int8_add_j : float
        Digital 8-bit integer multiply / add, J. 0.2 pJ / 0.03 pJ [Horowitz].
    e_sram_read_32b_j : float
        32-bit read from on-chip SRAM (32 KB), J. 5 pJ [Horowitz].
    e_dram_read_32b_j : float
        32-bit DRAM read, J. 640 pJ [Horowitz].
    digital_precision : str
        ``'fp32'`` (default, the CPU reference) or ``'int8'`` arithmetic for the baseline.
    digital_weight_memory : str
        ``'sram'`` (default: weights fit on chip) or ``'dram'``. An 8-bit weight read is priced
        as a 32-bit read (word access): our assumption.
    feature_size_m : float
        Lithography feature size F, m. Our assumption: 32 nm, the node of the [ISAAC]
        periphery figures.
    cell_area_f2 : float
        Memristor cell area in F^2. 4 F^2 [4F2] (passive cross-point, no selector).
    adc_area_m2 : float
        Area of one column ADC, m^2. 1200 um^2 [ISAAC].
    row_driver_area_m2 : float
        Area of one row driver (1-bit DAC), m^2. 0.166 um^2 [ISAAC].
    neuron_area_m2 : float
        Area of one LIF neuron circuit, m^2. 34 um^2 [Besrour].
    """

    e_adc_j: float = 16.0e-3 / (8 * 1.2e9)
    e_row_driver_j: float = 0.41667e-12
    e_write_driver_j: float = 2 * 0.41667e-12
    e_neuron_update_j: float = 1.61e-15
    e_neuron_spike_j: float = 1.61e-15
    e_fp32_mult_j: float = 3.7e-12
    e_fp32_add_j: float = 0.9e-12
    e_int8_mult_j: float = 0.2e-12
    e_int8_add_j: float = 0.03e-12
    e_sram_read_32b_j: float = 5.0e-12
    e_dram_read_32b_j: float = 640.0e-12
    digital_precision: str = 'fp32'
    digital_weight_memory: str = 'sram'
    feature_size_m: float = 32.0e-9
    cell_area_f2: float = 4.0
    adc_area_m2: float = 1200.0e-12
    row_driver_area_m2: float = 0.166e-12
    neuron_area_m2: float = 34.0e-12

    def __post_init__(self):
        """Validate: energies finite and >= 0, areas and sizes finite and > 0, known modes."""
        name = type(self).__name__
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == 'digital_precision':
                if value not in PRECISIONS:
                    raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be one of '
                                     f'{PRECISIONS}')
                continue
            if f.name == 'digital_weight_memory':
                if value not in WEIGHT_MEMORIES:
                    raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be one of '
                                     f'{WEIGHT_MEMORIES}')
                continue
            numeric = isinstance(value, (int, float, np.integer, np.floating))
            if isinstance(value, bool) or not numeric:
                raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be a number')
            if not math.isfinite(float(value)):
                raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be finite')
            if f.name.startswith('e_'):
                if value < 0.0:
                    raise ValueError(f'{name}.{f.name} = {value!r} is invalid: an energy must '
                                     'be >= 0 J')
            elif not value > 0.0:
                raise ValueError(f'{name}.{f.name} = {value!r} is invalid: must be > 0')

    @classmethod
    def from_mapping(cls, values: Mapping) -> 'EnergyParams':
        """Build from a mapping of overrides (e.g. a YAML section); unknown keys are errors."""
        return from_mapping(cls, values)

    def to_dict(self) -> Dict[str, object]:
        """All constants as a plain dict (for reports)."""
        return asdict(self)

    @property
    def e_mult_j(self) -> float:
        """Digital multiply energy at the chosen precision, J."""
        return self.e_fp32_mult_j if self.digital_precision == 'fp32' else self.e_int8_mult_j

    @property
    def e_add_j(self) -> float:
        """Digital add energy at the chosen precision, J."""
        return self.e_fp32_add_j if self.digital_precision == 'fp32' else self.e_int8_add_j

    @property
    def e_mem_read_j(self) -> float:
        """Digital weight-read energy (one word from the chosen memory), J."""
        return (self.e_sram_read_32b_j if self.digital_weight_memory == 'sram'
                else self.e_dram_read_32b_j)


# --- array energies ---------------------------------------------------------------------------
def read_energy(conductances, v_read: float, t_read: float) -> float:
    """Array read energy ``sum(v_read^2 * G * t_read)`` in J for the cells read (G in S)."""
    g = np.asarray(conductances, dtype=np.float64)
    return float(v_read * v_read * t_read * np.sum(g))


def periphery_energy(params: EnergyParams, *, n_row_activations: int = 0,
                     n_adc_conversions: int = 0, n_neuron_updates: int = 0,
                     n_spikes: int = 0, n_write_pulses: int = 0) -> float:
    """Periphery energy (J) for the given event counts (see the module docstring)."""
    return float(n_row_activations * params.e_row_driver_j
                 + n_adc_conversions * params.e_adc_j
                 + n_neuron_updates * params.e_neuron_update_j
                 + n_spikes * params.e_neuron_spike_j
                 + n_write_pulses * params.e_write_driver_j)


def digital_cost(op_counts: Mapping[str, float], params: EnergyParams = None) -> Dict[str, float]:
    """Energy (J) of the same operations on a digital processor (Horowitz 45 nm numbers).

    ``op_counts`` keys (missing = 0): ``'mac'`` multiply-accumulates (one mult + one add
    each), ``'weight_read'`` weight fetches from memory, ``'neuron_update'`` LIF updates (one
    mult for the leak + two adds for input and threshold compare: our assumption),
    ``'weight_write'`` weight updates (one add + one memory access, priced as a read: our
    assumption). Returns per-category energies and ``'total'``.
    """
    p = params if params is not None else EnergyParams()
    allowed = ('mac', 'weight_read', 'neuron_update', 'weight_write')
    unknown = sorted(set(op_counts) - set(allowed))
    if unknown:
        raise ValueError(f'unknown op count key(s) {unknown}; known: {list(allowed)}')
    counts = {k: float(op_counts.get(k, 0.0)) for k in allowed}
    for k, v in counts.items():
        if not (math.isfinite(v) and v >= 0.0):
            raise ValueError(f'op count {k!r} = {v!r} is invalid: must be a finite count >= 0')
    out = {
        'mac': counts['mac'] * (p.e_mult_j + p.e_add_j),
        'weight_read': counts['weight_read'] * p.e_mem_read_j,
        'neuron_update': counts['neuron_update'] * (p.e_mult_j + 2.0 * p.e_add_j),
        'weight_write': counts['weight_write'] * (p.e_add_j + p.e_mem_read_j),
    }
    out['total'] = float(sum(out.values()))
    return out


# --- per-decision records ---------------------------------------------------------------------
@dataclass(frozen=True)
class DecisionCost:
    """Energy of one decision (J): crossbar read / write / periphery and the digital baseline."""

    read_j: float = 0.0
    write_j: float = 0.0
    periphery_j: float = 0.0
    digital_j: float = 0.0

    @property
    def total_j(self) -> float:
        """Crossbar total ``read + write + periphery`` (J)."""
        return self.read_j + self.write_j + self.periphery_j

    def breakdown(self) -> Dict[str, float]:
        """``{'read', 'write', 'periphery'}`` in J."""
        return {'read': self.read_j, 'write': self.write_j, 'periphery': self.periphery_j}


@dataclass
class _Pending:
    read_j: float = 0.0
    write_j: float = 0.0
    periphery_j: float = 0.0
    digital_j: float = 0.0
    ops: Dict[str, float] = field(default_factory=dict)


class EnergyMeter:
    """Accumulates crossbar and digital-baseline energy decision by decision.

    Charges go to the open decision; :meth:`close_decision` ends it and stores a
    :class:`DecisionCost`. Writes applied between decisions (e.g. plasticity after the move)
    land in the next closed decision; :meth:`report` divides totals (including still-open
    charges) by the number of closed decisions.
    """

    def __init__(self, params: EnergyParams = None):
        """Start empty with energy constants ``params`` (default :class:`EnergyParams`)."""
        self.params = params if params is not None else EnergyParams()
        self.history: List[DecisionCost] = []
        self._pending = _Pending()

    def charge_read(self, conductances, v_read: float, t_read: float) -> float:
        """Charge an array read of the given cells (S) at ``v_read`` V for ``t_read`` s."""
        e = read_energy(conductances, v_read, t_read)
        self._pending.read_j += e
        return e

    def charge_read_energy(self, energy_j: float) -> None:
        """Charge an already computed array read energy (J)."""
        self._pending.read_j += float(energy_j)

    def charge_write(self, energy_j: float, n_pulses: int = 0, n_weight_writes: int = 1) -> float:
        """Charge programming pulses (device energy J) plus their driver periphery."""
        periphery = periphery_energy(self.params, n_write_pulses=n_pulses)
        self._pending.write_j += float(energy_j)
        self._pending.periphery_j += periphery
        self._add_ops({'weight_write': n_weight_writes})
        return float(energy_j) + periphery

    def charge_periphery(self, *, n_row_activations: int = 0, n_adc_conversions: int = 0,
                         n_neuron_updates: int = 0, n_spikes: int = 0) -> float:
        """Charge periphery events of a decision (see :func:`periphery_energy`)."""
        e = periphery_energy(self.params, n_row_activations=n_row_activations,
                             n_adc_conversions=n_adc_conversions,
                             n_neuron_updates=n_neuron_updates, n_spikes=n_spikes)
        self._pending.periphery_j += e
        return e

    def add_digital_ops(self, *, mac: float = 0, weight_read: float = 0,
                        neuron_update: float = 0, weight_write: float = 0) -> None:
        """Count logical operations for the digital baseline of the open decision."""
        self._add_ops({'mac': mac, 'weight_read': weight_read, 'neuron_update': neuron_update,
                       'weight_write': weight_write})

    def _add_ops(self, ops: Mapping[str, float]) -> None:
        for k, v in ops.items():
            self._pending.ops[k] = self._pending.ops.get(k, 0.0) + float(v)

    def close_decision(self) -> DecisionCost:
        """End the open decision and return its :class:`DecisionCost`."""
        pend = self._pending
        digital = digital_cost(pend.ops, self.params)['total'] if pend.ops else 0.0
        cost = DecisionCost(read_j=pend.read_j, write_j=pend.write_j,
                            periphery_j=pend.periphery_j, digital_j=digital)
        self.history.append(cost)
        self._pending = _Pending()
        return cost

    @property
    def n_decisions(self) -> int:
        """Return the number of closed decisions."""
        return len(self.history)

    def totals(self) -> DecisionCost:
        """Sum over closed decisions plus the still-open charges (J)."""
        pend = self._pending
        digital = digital_cost(pend.ops, self.params)['total'] if pend.ops else 0.0
        return DecisionCost(
            read_j=sum(c.read_j for c in self.history) + pend.read_j,
            write_j=sum(c.write_j for c in self.history) + pend.write_j,
            periphery_j=sum(c.periphery_j for c in self.history) + pend.periphery_j,
            digital_j=sum(c.digital_j for c in self.history) + digital)

    def report(self) -> Dict[str, object]:
        """Per-decision means: ``energy_per_decision_j``, breakdown, digital equivalent."""
        tot = self.totals()
        n = max(self.n_decisions, 1)
        return {
            'energy_per_decision_j': tot.total_j / n,
            'energy_breakdown_j': {k: v / n for k, v in tot.breakdown().items()},
            'digital_energy_per_decision_j': tot.digital_j / n,
            'n_decisions': self.n_decisions,
        }


# --- area -------------------------------------------------------------------------------------
class AreaReport(NamedTuple):
    """Silicon area of the crossbar and its periphery."""

    cells_mm2: float
    periphery_mm2: float
    area_mm2: float
    n_neurons: int
    neurons_per_mm2: float


def area_report(n_rows: int, n_cols: int, params: EnergyParams = None, *,
                devices_per_weight: int = 2, n_neurons: int = None, n_adcs: int = None,
                n_row_drivers: int = None) -> AreaReport:
    """Area (mm^2) of ``n_rows x n_cols`` weights plus periphery, and neurons per mm^2.

    Cells: ``n_rows * n_cols * devices_per_weight * cell_area_f2 * F^2``. Periphery: one ADC
    per column (``n_adcs``), one driver per row (``n_row_drivers``) and ``n_neurons`` LIF
    circuits (default ``n_rows + n_cols``: one place neuron per row, one action neuron per
    column).
    """
    p = params if params is not None else EnergyParams()
    n_neurons = n_rows + n_cols if n_neurons is None else int(n_neurons)
    n_adcs = n_cols if n_adcs is None else int(n_adcs)
    n_row_drivers = n_rows if n_row_drivers is None else int(n_row_drivers)
    cells_m2 = n_rows * n_cols * devices_per_weight * p.cell_area_f2 * p.feature_size_m ** 2
    periph_m2 = (n_adcs * p.adc_area_m2 + n_row_drivers * p.row_driver_area_m2
                 + n_neurons * p.neuron_area_m2)
    total_mm2 = (cells_m2 + periph_m2) * 1e6
    return AreaReport(cells_mm2=cells_m2 * 1e6, periphery_mm2=periph_m2 * 1e6,
                      area_mm2=total_mm2, n_neurons=n_neurons,
                      neurons_per_mm2=n_neurons / total_mm2)
