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
"""Silicon area of the chip in each hardware style (mm^2), for speed per area.

Both styles hold the ``C x 4`` map array (one device per synapse, 4 F^2 each), one row driver
per place and the per-place state memory of :data:`STATE_BITS`. Style ``analog`` adds one LIF
circuit per place cell plus the 4 action neurons and the goal neuron; style ``adc`` adds one
ADC per column, 5 digital neuron units (time-shared by the place cells, whose membranes move to
memory: :data:`ADC_EXTRA_BITS`).
"""
from typing import NamedTuple

from snan_nav.crossbar.energy import EnergyParams
from snan_nav.crossbar.ledger import EXTRA_NEURONS, ROW_DEVICES, STYLES

#: Bits of state memory per place cell (our sizing of what the kernels keep per place):
#: goal-wave latency, familiar and known flags, goal-synapse weight, calcium and its stamp
#: (one astrocyte per place by default), and the curiosity search's mark, depth, first-move
#: bits and queue slot.
STATE_BITS = {'latency': 16, 'familiar': 1, 'known': 1, 'goal_weight': 8, 'calcium': 16,
              'calcium_stamp': 32, 'search_mark': 16, 'search_depth': 16, 'search_first': 4,
              'queue_slot': 16}
#: Style adc keeps every place cell's membrane in memory (16 bits, our sizing).
ADC_EXTRA_BITS = 16


class AreaReport(NamedTuple):
    """Area of one chip (mm^2) and its neuron density."""

    cells_mm2: float
    periphery_mm2: float
    area_mm2: float
    n_neurons: int
    neurons_per_mm2: float


def area_report(n_places: int, style: str, e: EnergyParams) -> AreaReport:
    """Return the area of a chip for ``n_places`` place cells in ``style`` ('analog', 'adc')."""
    if style not in STYLES:
        raise ValueError(f'unknown hardware style {style!r}; valid: {STYLES}')
    if int(n_places) != n_places or n_places < 1:
        raise ValueError(f'n_places = {n_places!r} is invalid: must be an integer >= 1')
    n_neurons = int(n_places) + EXTRA_NEURONS
    cells = n_places * ROW_DEVICES * e.cell_area_f2 * e.feature_size_m ** 2
    bits = sum(STATE_BITS.values())
    periph = n_places * e.row_driver_area_m2
    if style == 'analog':
        periph += n_neurons * e.neuron_area_m2
    else:
        periph += ROW_DEVICES * e.adc_area_m2 + EXTRA_NEURONS * e.neuron_area_m2
        bits += ADC_EXTRA_BITS
    periph += n_places * bits * e.mem_area_per_bit_m2
    total = (cells + periph) * 1e6
    return AreaReport(cells * 1e6, periph * 1e6, total, n_neurons, n_neurons / total)
