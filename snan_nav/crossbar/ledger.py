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
"""The energy ledger: counted network events priced per component, for three machines.

Every joule comes from an event the kernels counted (``SNANAgent.event_counts()``), the
programming pulses the array emulation applied, or the time those events keep the chip busy;
nothing is estimated from the map size or the window length alone. :data:`EVENT_OPS` lists,
for each counted event, the logical operations it needs and the ledger component they belong
to; :func:`op_energy` prices an operation on each machine:

- ``analog`` (style a): map synapses on the memristor array, analog LIF neurons that integrate
  the column currents (no ADC); astrocytes, plasticity and wave bookkeeping in digital
  periphery logic with on-chip SRAM;
- ``adc`` (style b): the same array, every column sensed by an ADC, digital neurons;
- ``digital``: the baseline, everything in digital logic with the weights in memory.

Astrocytes are digital on the chip too: their calcium decays with a 10-minute time constant of
network time across idle periods, which a capacitor cannot hold, so calcium is a memory word
with a stamp, decayed lazily as in the kernels.
"""
from typing import Dict, Mapping, NamedTuple, Tuple

from snan_nav.core.state import COUNTER_NAMES
from snan_nav.crossbar.energy import EnergyParams

COMPONENTS = ('crossbar_read', 'crossbar_write', 'neurons', 'astrocytes', 'plasticity',
              'periphery')
STYLES = ('analog', 'adc')
MACHINES = STYLES + ('digital',)
#: Devices on one array row (one per direction), all driven when the row is read.
ROW_DEVICES = 4
#: Neuron circuits besides the place cells: 4 action neurons and the goal neuron.
EXTRA_NEURONS = 5

#: Logical operations per counted event: (component, operation, count). Our accounting of
#: what the kernels do per event (see docs/energy.md for each line).
EVENT_OPS: Dict[str, Tuple[Tuple[str, str, float], ...]] = {
    # one tick of the decision window: 4 action neurons + the driven place cell, action noise
    'race_ticks': (('neurons', 'neuron_update', 5), ('neurons', 'gaussian', 4)),
    # per decision: read 4 neighbour latencies and the route-cache flags; bring the 5 active
    # membranes up to date (the place cell's is loaded and stored); load and store the
    # current place's astrocyte, which sits in a register during the window
    'decisions': (('periphery', 'mem_read', 4), ('periphery', 'reg', 2),
                  ('neurons', 'neuron_relax', 5), ('neurons', 'membrane_io', 1),
                  ('astrocytes', 'mem_read', 2), ('astrocytes', 'mem_write', 2)),
    'place_spikes': (('neurons', 'spike', 1),),
    'action_spikes': (('neurons', 'spike', 1),),
    # a neighbour spike reaches its action neuron through w (1 - alpha G)
    'readout_spikes': (('neurons', 'synaptic_event', 1), ('astrocytes', 'mult', 2),
                       ('astrocytes', 'add', 1)),
    # an observed neighbour's place cell fires; STDP reads the partner synapse in its row
    'sensory_spikes': (('neurons', 'spike', 1), ('crossbar_read', 'row', 1),
                       ('crossbar_read', 'synapse_read', 1)),
    # the 4 synapses of the current place's row, checked against the observation
    'map_reads': (('crossbar_read', 'row', 0.25), ('crossbar_read', 'synapse_read', 1),
                  ('periphery', 'add', 1)),
    # one STDP update: window look-up, add, cap; the pulses are priced from the array
    'map_writes': (('plasticity', 'lut', 1), ('plasticity', 'add', 2),
                   ('crossbar_write', 'synapse_write', 1)),
    'known_reads': (('periphery', 'mem_read', 1),),
    # the shortcut bound: a novel place's position word is read once, its bound compared
    'bound_tests': (('periphery', 'mem_read', 1), ('periphery', 'add', 1)),
    # one grid distance: the other end's position from a register, 2 differences, 2 absolute
    # values, 1 sum
    'bound_distances': (('periphery', 'reg', 1), ('periphery', 'add', 5)),
    # a place becomes familiar: its flag is written, the count of new places goes up
    'new_places': (('periphery', 'mem_write', 1), ('periphery', 'reg', 1)),
    # a goal-wave spike: its row is read, its latency written, the event queued
    'wave_spikes': (('crossbar_read', 'row', 1), ('neurons', 'spike', 1),
                    ('periphery', 'mem_write', 1), ('periphery', 'reg', 2),
                    ('periphery', 'add', 1)),
    'wave_reads': (('crossbar_read', 'synapse_read', 1), ('periphery', 'mem_read', 1),
                   ('periphery', 'add', 1)),
    'wave_resets': (('periphery', 'reg', 2),),
    'wave_clears': (('periphery', 'mem_write', 1),),
    # a curiosity-search spike: row read, mark/depth/first written, novelty flag read, queued
    'search_spikes': (('crossbar_read', 'row', 1), ('neurons', 'spike', 1),
                      ('periphery', 'mem_write', 3), ('periphery', 'mem_read', 1),
                      ('periphery', 'reg', 2), ('periphery', 'add', 1)),
    'search_reads': (('crossbar_read', 'synapse_read', 1), ('periphery', 'mem_read', 2),
                     ('periphery', 'add', 1)),
    'route_reads': (('crossbar_read', 'row', 1), ('crossbar_read', 'synapse_read', 1),
                    ('periphery', 'mem_read', 2)),
    # a place spike raises its astrocyte's calcium (in its register): decay since the last
    # spike (table, multiply), add R / tau, update the stamp
    'calcium_updates': (('astrocytes', 'reg', 2), ('astrocytes', 'lut', 1),
                        ('astrocytes', 'mult', 1), ('astrocytes', 'add', 1)),
    # calcium look-up of another place: read Ca and stamp, decay, sigmoid table, compare
    'calcium_reads': (('astrocytes', 'mem_read', 2), ('astrocytes', 'lut', 2),
                      ('astrocytes', 'mult', 1), ('astrocytes', 'add', 1)),
    # goal synapses live in periphery memory (graded weights, at most 64 tags)
    'goal_reads': (('periphery', 'mem_read', 1), ('periphery', 'add', 1)),
    'goal_writes': (('plasticity', 'mem_read', 1), ('plasticity', 'mult', 1),
                    ('plasticity', 'add', 2), ('plasticity', 'mem_write', 1)),
}


class Usage(NamedTuple):
    """What a run (or a part of it) used: counted events and the array's work.

    ``counts`` maps counter names to event counts; ``pulse_energy_j``, ``n_pulses`` and
    ``pulse_time_s`` are the programming pulses; ``e_read_on_j`` / ``e_read_off_j`` the
    energy of one read of an ON / OFF device (from the array's conductances); ``cpu_s`` the
    measured CPU time of the numba kernels.
    """

    counts: Mapping[str, float]
    pulse_energy_j: float = 0.0
    n_pulses: float = 0.0
    pulse_time_s: float = 0.0
    e_read_on_j: float = 0.0
    e_read_off_j: float = 0.0
    cpu_s: float = 0.0

    def minus(self, before: 'Usage') -> 'Usage':
        """Return the usage since ``before`` (read energies: this one's, they are states)."""
        counts = {k: self.counts.get(k, 0) - before.counts.get(k, 0) for k in self.counts}
        return Usage(counts, self.pulse_energy_j - before.pulse_energy_j,
                     self.n_pulses - before.n_pulses, self.pulse_time_s - before.pulse_time_s,
                     self.e_read_on_j, self.e_read_off_j, self.cpu_s - before.cpu_s)


class Ledger(NamedTuple):
    """Energy per component (J), its total, and the time the chip was busy (s)."""

    components: Dict[str, float]
    active_time_s: float

    @property
    def total_j(self) -> float:
        """Sum of the components, J."""
        return float(sum(self.components.values()))


def operation_counts(counts: Mapping[str, float]) -> Dict[Tuple[str, str], float]:
    """Return ``{(component, operation): count}`` for the counted events ``counts``."""
    unknown = sorted(set(counts) - set(COUNTER_NAMES))
    if unknown:
        raise ValueError(f'unknown event counter(s) {unknown}; known: {list(COUNTER_NAMES)}')
    out: Dict[Tuple[str, str], float] = {}
    for event, ops in EVENT_OPS.items():
        n = float(counts.get(event, 0))
        if n < 0:
            raise ValueError(f'event count {event} = {n} is invalid: must be >= 0')
        for component, op, k in ops:
            out[(component, op)] = out.get((component, op), 0.0) + k * n
    return out


def op_energy(op: str, machine: str, e: EnergyParams, usage: Usage) -> float:
    """Energy (J) of one logical operation ``op`` on ``machine`` ('analog', 'adc', 'digital')."""
    chip = machine != 'digital'
    precision = e.periphery_precision if chip else e.digital_precision
    add, mult = e.add_j(precision), e.mult_j(precision)
    analog = machine == 'analog'
    # A row read drives all its devices: priced as OFF reads, plus the extra of each ON
    # device the kernel read (linear in the counts; equal to ON + OFF devices per row).
    table = {
        'row': (e.e_row_driver_j + ROW_DEVICES * usage.e_read_off_j
                + (ROW_DEVICES * e.e_adc_j if machine == 'adc' else 0.0) if chip else 0.0),
        'synapse_read': (usage.e_read_on_j - usage.e_read_off_j if chip
                         else e.e_weight_mem_j),
        'synapse_write': 0.0 if chip else e.e_sram_j,
        'spike': e.e_spike_j if analog else e.e_reg_j,
        'synaptic_event': e.e_spike_j if analog else add,
        'neuron_update': 0.0 if analog else mult + 2 * add + 2 * e.e_reg_j,
        'neuron_relax': 0.0 if analog else e.e_reg_j + mult,
        'membrane_io': 0.0 if analog else 4 * e.e_sram_j,
        'gaussian': 0.0 if analog else 4 * mult + 4 * add,
        'mem_read': e.e_sram_j,
        'mem_write': e.e_sram_j,
        'reg': e.e_reg_j,
        'lut': e.e_reg_j,
        'add': add,
        'mult': mult,
    }
    if op not in table:
        raise ValueError(f'unknown operation {op!r}; known: {sorted(table)}')
    return table[op]


def price(usage: Usage, e: EnergyParams, n_places: int, machine: str) -> Ledger:
    """Return the ledger of ``usage`` on ``machine`` for a network of ``n_places`` place cells.

    On the chip (``analog``, ``adc``) every row read dissipates in its 4 devices (the synapses
    the kernel read at the ON read energy, the others at the OFF one); the programming pulses
    and their drivers go to ``crossbar_write``; in style ``analog`` every neuron circuit
    (``n_places + 5``) draws its static power over the active time
    ``race_ticks t_tick + rows t_row + pulse time``. The ledger is linear in the usage.
    """
    if machine not in MACHINES:
        raise ValueError(f'unknown machine {machine!r}; valid: {MACHINES}')
    ops = operation_counts(usage.counts)
    parts = {c: 0.0 for c in COMPONENTS}
    for (component, op), n in ops.items():
        parts[component] += n * op_energy(op, machine, e, usage)
    if machine == 'digital':
        return Ledger(parts, 0.0)
    rows = ops.get(('crossbar_read', 'row'), 0.0)
    parts['crossbar_write'] += usage.pulse_energy_j + usage.n_pulses * e.e_write_driver_j
    active = (float(usage.counts.get('race_ticks', 0)) * e.t_tick_s + rows * e.t_row_s
              + usage.pulse_time_s)
    if machine == 'analog':
        parts['neurons'] += (n_places + EXTRA_NEURONS) * e.p_neuron_static_w * active
    return Ledger(parts, active)
