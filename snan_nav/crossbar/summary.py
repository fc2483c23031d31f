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
"""Energy figures of a run, pooled over runs: totals that add up, then per decision.

:func:`run_totals` prices one run's :class:`~snan_nav.crossbar.ledger.Usage` on both chip
styles and the digital baseline and keeps only quantities that add across runs (joules,
decisions, busy time x area, CPU seconds); :func:`pool` adds them; :func:`per_decision` turns
totals into the report: energy per decision and its ledger per style, the digital and CPU
baselines, and speed per area (decisions per second per mm^2; pooled over maps of different
sizes as decisions / sum(busy time x area)).
"""
from typing import Dict, List, Sequence

from snan_nav.crossbar.area import area_report
from snan_nav.crossbar.cpu import CorePower
from snan_nav.crossbar.energy import EnergyParams
from snan_nav.crossbar.ledger import COMPONENTS, price, STYLES, Usage


def run_totals(usage: Usage, e: EnergyParams, n_places: int, power: CorePower) -> dict:
    """Return the additive energy totals of one run (see the module docstring)."""
    styles = {}
    for style in STYLES:
        ledger = price(usage, e, n_places, style)
        area = area_report(n_places, style, e)
        styles[style] = {'ledger_j': dict(ledger.components),
                         'active_time_s': ledger.active_time_s,
                         'time_area_s_mm2': ledger.active_time_s * area.area_mm2,
                         'area_mm2': area.area_mm2, 'n_neurons': area.n_neurons}
    return {
        'decisions': float(usage.counts.get('decisions', 0)),
        'styles': styles,
        'digital_j': price(usage, e, n_places, 'digital').total_j,
        'cpu_s': usage.cpu_s,
        'cpu_j': usage.cpu_s * power.watts,
        'cpu_s_mm2': usage.cpu_s * e.cpu_core_area_m2 * 1e6,
        'cpu_power_w': power.watts,
        'cpu_power_source': power.source,
        'runs': 1,
    }


def pool(totals: Sequence[dict]) -> dict:
    """Add the totals of several runs (areas, neuron counts and power: run means)."""
    if not totals:
        raise ValueError('nothing to pool: no energy totals')
    n = len(totals)
    out = {key: sum(t[key] for t in totals)
           for key in ('decisions', 'digital_j', 'cpu_s', 'cpu_j', 'cpu_s_mm2', 'runs')}
    out['cpu_power_w'] = sum(t['cpu_power_w'] for t in totals) / n
    out['cpu_power_source'] = '+'.join(sorted({t['cpu_power_source'] for t in totals}))
    out['styles'] = {}
    for style in STYLES:
        parts = [t['styles'][style] for t in totals]
        out['styles'][style] = {
            'ledger_j': {c: sum(p['ledger_j'][c] for p in parts) for c in COMPONENTS},
            'active_time_s': sum(p['active_time_s'] for p in parts),
            'time_area_s_mm2': sum(p['time_area_s_mm2'] for p in parts),
            'area_mm2': sum(p['area_mm2'] for p in parts) / n,
            'n_neurons': sum(p['n_neurons'] for p in parts) / n,
        }
    return out


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0.0 else 0.0


def style_figures(totals: dict, style: str) -> Dict[str, object]:
    """Return the per-decision figures of one style (the ``energy_styles`` entry)."""
    d = totals['decisions']
    s = totals['styles'][style]
    return {
        'energy_per_decision_j': _ratio(sum(s['ledger_j'].values()), d),
        'ledger_j': {c: _ratio(s['ledger_j'][c], d) for c in COMPONENTS},
        'digital_energy_per_decision_j': _ratio(totals['digital_j'], d),
        'cpu_energy_per_decision_j': _ratio(totals['cpu_j'], d),
        'decisions_per_s_per_mm2': _ratio(d, s['time_area_s_mm2']),
        'cpu_decisions_per_s_per_mm2': _ratio(d, totals['cpu_s_mm2']),
    }


def per_decision(totals: dict) -> Dict[str, object]:
    """Return the report of pooled (or one run's) totals.

    Today's keys keep meaning style ``analog``: ``energy_per_decision_j``,
    ``energy_breakdown_j`` (``read`` = crossbar_read, ``write`` = crossbar_write,
    ``periphery`` = everything else), ``digital_energy_per_decision_j``, ``area_mm2``,
    ``neurons_per_mm2``; ``energy_styles`` holds both styles; plus the CPU figures used.
    """
    styles = {style: style_figures(totals, style) for style in STYLES}
    a = styles['analog']
    ledger = a['ledger_j']
    area = totals['styles']['analog']['area_mm2']
    return {
        'n_decisions': int(totals['decisions']),
        'energy_per_decision_j': a['energy_per_decision_j'],
        'energy_breakdown_j': {
            'read': ledger['crossbar_read'], 'write': ledger['crossbar_write'],
            'periphery': sum(v for k, v in ledger.items()
                             if k not in ('crossbar_read', 'crossbar_write'))},
        'digital_energy_per_decision_j': a['digital_energy_per_decision_j'],
        'area_mm2': area,
        'neurons_per_mm2': _ratio(totals['styles']['analog']['n_neurons'], area),
        'energy_styles': styles,
        'cpu_s_per_decision': _ratio(totals['cpu_s'], totals['decisions']),
        'cpu_power_w': totals['cpu_power_w'],
        'cpu_power_source': totals['cpu_power_source'],
    }


def episode_ledgers(usages: Sequence[Usage], e: EnergyParams, n_places: int,
                    style: str = 'analog') -> List[dict]:
    """Return per-episode ledgers from cumulative usages taken at each episode's end.

    ``usages[0]`` is the usage before the first episode; entry ``k`` of the result is
    ``{'ledger_j': {...}, 'energy_j', 'digital_j', 'decisions'}`` of episode ``k + 1``.
    """
    out = []
    for before, after in zip(usages[:-1], usages[1:]):
        u = after.minus(before)
        ledger = price(u, e, n_places, style)
        out.append({'ledger_j': dict(ledger.components), 'energy_j': ledger.total_j,
                    'digital_j': price(u, e, n_places, 'digital').total_j,
                    'decisions': int(u.counts.get('decisions', 0))})
    return out
