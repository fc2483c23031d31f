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
"""Text tables of a single-map bench report: one row per agent, and the crossbar energy."""


def _fmt(value, spec='.1f'):
    return '-' if value is None else format(value, spec)


def format_table(report: dict) -> str:
    """Return the report as a fixed-width text table (one row per agent)."""
    head = (f"{'agent':<14} {'done %':>6} {'95% CI':>11} {'med ok':>7} {'med cens':>8} "
            f"{'1st ep':>7} {'late/BFS':>8} {'late/BFS c':>10} {'cum steps':>9} "
            f"{'RW ratio':>8} {'dec/s':>9}")
    lines = [f"map {report['map']}: {len(report['pairs'])} pair(s) x {report['seeds']} seed(s) "
             f"x {report['episodes']} episode(s), budget {report['budget']} steps"
             + (', goal cue on' if report.get('goal_cue') else ''),
             head, '-' * len(head)]
    for name, r in report['results'].items():
        lo, hi = r['completion_ci95']
        ci = f'[{100 * lo:.0f}, {100 * hi:.0f}]'
        lines.append(
            f"{name:<14} {100 * r['completion_rate']:6.1f} {ci:>11} "
            f"{_fmt(r['median_path_success']):>7} {_fmt(r['median_path_censored']):>8} "
            f"{_fmt(r['first_episode_steps_median']):>7} "
            f"{_fmt(r['late_path_over_bfs_median'], '.2f'):>8} "
            f"{_fmt(r['late_path_over_bfs_censored_median'], '.2f'):>10} "
            f"{_fmt(r['cumulative_steps_median'], '.0f'):>9} "
            f"{_fmt(r.get('random_walk_ratio'), '.1f'):>8} "
            f"{_fmt(r['decisions_per_s'], '.0f'):>9}")
    lines.append('paths in steps; 95% CI of completion: bootstrap over runs (pair x seed); '
                 'med ok = median over successful episodes, med cens = failures counted as '
                 'the budget; late/BFS over the successful episodes of the last 20 %, '
                 'late/BFS c over all of them (failures at the budget); RW ratio = random '
                 "walk's median censored path / the agent's")
    lines.extend(energy_table(report['results']))
    return '\n'.join(lines)


def energy_table(results: dict) -> list:
    """Return the crossbar energy lines of ``results`` (agent -> result); empty without any.

    One row per agent and hardware style: energy per decision and its ledger (pJ), the digital
    baseline and the measured CPU per decision and their ratios to the chip, and speed per area
    of the chip and of a CPU core.
    """
    energy = {n: r for n, r in results.items() if 'energy_styles' in r}
    if not energy:
        return []
    head = (f"{'crossbar':<14} {'style':<6} {'pJ/dec':>7} {'read':>6} {'write':>6} "
            f"{'neuron':>6} {'astro':>6} {'plast':>6} {'periph':>6} {'digital':>8} "
            f"{'dig/x':>6} {'CPU/x':>8} {'dec/s/mm2':>9} {'CPU d/s/mm2':>11}")
    lines = ['', head, '-' * len(head)]
    for name, r in energy.items():
        for style, s in r['energy_styles'].items():
            e, led = s['energy_per_decision_j'], s['ledger_j']
            ratio = s['digital_energy_per_decision_j'] / e if e > 0 else float('nan')
            cpu = s['cpu_energy_per_decision_j'] / e if e > 0 else float('nan')
            lines.append(
                f"{name:<14} {style:<6} {e * 1e12:7.1f} {led['crossbar_read'] * 1e12:6.1f} "
                f"{led['crossbar_write'] * 1e12:6.1f} {led['neurons'] * 1e12:6.1f} "
                f"{led['astrocytes'] * 1e12:6.1f} {led['plasticity'] * 1e12:6.1f} "
                f"{led['periphery'] * 1e12:6.1f} "
                f"{s['digital_energy_per_decision_j'] * 1e12:8.1f} {ratio:6.1f} {cpu:8.2g} "
                f"{s['decisions_per_s_per_mm2']:9.3g} {s['cpu_decisions_per_s_per_mm2']:11.3g}")
    sources = sorted({r.get('cpu_power_source', '?') for r in energy.values()})
    lines.append('energy per decision in pJ over all decisions (counted events); analog = '
                 'analog neurons on the column currents, adc = sensed columns + digital '
                 'neurons; digital = 45 nm baseline of the same counts; CPU = measured kernel '
                 f"CPU time x per-core power ({'/'.join(sources)}); dec/s/mm2 = speed per "
                 'area')
    return lines
