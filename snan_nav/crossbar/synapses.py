"""State->action synapses on a VTEAM crossbar, with per-decision energy accounting.

This is the interface the SNAN agent calls. Rows are place cells (presynaptic), columns are
action neurons (postsynaptic, 4 by default). One decision of the network reads the row of the
current place cell once per presynaptic spike and runs the neuron circuits for ``n_ticks``
ticks; plasticity writes single weights with programming pulses.

Per decision the meter charges (see :mod:`snan_nav.crossbar.energy`):

* read: ``n_pre_spikes`` reads of one row, each ``sum_{2 n_cols cells} v_read^2 G t_read``;
* periphery: ``n_pre_spikes`` row-driver activations, ``n_pre_spikes * n_cols`` ADC
  conversions (one per differential column: ``I+ - I-`` is formed in analog before the ADC,
  our assumption), ``n_ticks * n_active_neurons`` neuron updates (4 action + 1 place neuron
  by default) and ``n_post_spikes`` spikes;
* digital baseline, same logical work: ``n_pre_spikes * n_cols`` MACs and weight reads,
  ``n_ticks * n_active_neurons`` neuron updates; each write adds one weight write.
"""
from typing import Dict, Optional

import numpy as np

from snan_nav.crossbar.array import Crossbar, CrossbarParams, WriteRecord
from snan_nav.crossbar.energy import area_report, EnergyMeter, EnergyParams
from snan_nav.crossbar.vteam import VteamParams


def _count(name: str, value) -> int:
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise ValueError(f'{name} = {value!r} is invalid: must be an integer >= 0')
    return int(value)


class CrossbarSynapses:
    """An ``n_rows x n_cols`` signed weight matrix emulated on differential VTEAM pairs."""

    def __init__(self, n_rows: int, n_cols: int = 4,
                 crossbar_params: Optional[CrossbarParams] = None,
                 vteam_params: Optional[VteamParams] = None,
                 energy_params: Optional[EnergyParams] = None, seed: int = 0,
                 n_active_neurons: Optional[int] = None):
        """Build the array (all weights 0), the energy meter and the area estimate.

        ``n_active_neurons`` is the number of neuron circuits updated each tick of a decision
        (default ``n_cols + 1``: the action neurons and the active place neuron).
        """
        self.crossbar = Crossbar(n_rows, n_cols, crossbar_params, vteam_params, seed)
        self.meter = EnergyMeter(energy_params)
        self.n_active_neurons = (n_cols + 1 if n_active_neurons is None
                                 else _count('n_active_neurons', n_active_neurons))
        self.area = area_report(self.crossbar.n_rows, self.crossbar.n_cols, self.meter.params)
        self.last_write: Optional[WriteRecord] = None
        self.n_writes = 0
        self.n_pulses = 0

    @property
    def n_rows(self) -> int:
        """Return the number of presynaptic rows (place cells)."""
        return self.crossbar.n_rows

    @property
    def n_cols(self) -> int:
        """Return the number of postsynaptic columns (action neurons)."""
        return self.crossbar.n_cols

    def program(self, w_full: np.ndarray) -> None:
        """Load the full weight matrix (n_rows, n_cols) initially; no energy is charged."""
        self.crossbar.program_weights(w_full)

    def read_row(self, row: int, n_ticks: int, n_pre_spikes: int,
                 n_post_spikes: int = 0) -> np.ndarray:
        """Effective weights (n_cols,) of ``row`` for one decision, and charge its energy.

        The row is read once per presynaptic spike; the returned weights are the mean of
        those reads (read noise included). With ``n_pre_spikes == 0`` nothing is read and the
        noise-free decoded row is returned. Closes one decision in the meter.
        """
        n_ticks = _count('n_ticks', n_ticks)
        n_pre = _count('n_pre_spikes', n_pre_spikes)
        n_post = _count('n_post_spikes', n_post_spikes)
        cb = self.crossbar
        if n_pre == 0:
            weights = cb.row_weights(row)
        else:
            acc = np.zeros(cb.n_cols)
            for _ in range(n_pre):
                res = cb.read_row(row)
                self.meter.charge_read_energy(res.energy_j)
                acc += res.weights
            weights = acc / n_pre
        n_updates = n_ticks * self.n_active_neurons
        self.meter.charge_periphery(n_row_activations=n_pre,
                                    n_adc_conversions=n_pre * cb.n_cols,
                                    n_neuron_updates=n_updates, n_spikes=n_post)
        self.meter.add_digital_ops(mac=n_pre * cb.n_cols, weight_read=n_pre * cb.n_cols,
                                   neuron_update=n_updates)
        self.meter.close_decision()
        return weights

    def write(self, row: int, col: int, dw: float) -> float:
        """Change weight ``(row, col)`` by ``dw`` with programming pulses; return realised dw.

        The pulse energy and the write-driver periphery are charged to the open decision.
        """
        rec = self.crossbar.apply_delta(row, col, dw)
        self.last_write = rec
        if dw != 0.0:
            self.n_writes += 1
            self.n_pulses += rec.n_pulses
            self.meter.charge_write(rec.energy_j, rec.n_pulses, n_weight_writes=1)
        return rec.realised_dw

    def weights(self) -> np.ndarray:
        """Decode all weights, shape [n_rows, n_cols], from true conductances (no noise)."""
        return self.crossbar.weights()

    def conductance_snapshot(self) -> np.ndarray:
        """Copy of the device conductances (n_rows, n_cols, 2) in S, for plotting."""
        return self.crossbar.conductances().copy()

    def energy_report(self) -> Dict[str, object]:
        """Energy per decision (J), its breakdown, the digital equivalent, and area.

        Keys: ``energy_per_decision_j``, ``energy_breakdown_j`` (``read``, ``write``,
        ``periphery``), ``digital_energy_per_decision_j``, ``area_mm2``, ``neurons_per_mm2``,
        ``n_decisions``, plus ``n_writes`` and ``n_pulses``.
        """
        rep = self.meter.report()
        rep['area_mm2'] = self.area.area_mm2
        rep['neurons_per_mm2'] = self.area.neurons_per_mm2
        rep['n_writes'] = self.n_writes
        rep['n_pulses'] = self.n_pulses
        return rep
