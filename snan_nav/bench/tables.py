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
"""Text table of a single-map bench report (one row per agent)."""


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
    energy = {n: r for n, r in report['results'].items() if 'energy_per_decision_j' in r}
    if energy:
        lines.append('')
        lines.append(f"{'crossbar':<14} {'pJ/dec':>8} {'read':>7} {'write':>7} {'periph':>7} "
                     f"{'digital':>8} {'ratio':>6} {'area mm2':>9}")
        for name, r in energy.items():
            e, parts = r['energy_per_decision_j'], r['energy_breakdown_j']
            lines.append(
                f"{name:<14} {e * 1e12:8.2f} {parts['read'] * 1e12:7.2f} "
                f"{parts['write'] * 1e12:7.2f} {parts['periphery'] * 1e12:7.2f} "
                f"{r['digital_energy_per_decision_j'] * 1e12:8.2f} "
                f"{r['digital_energy_per_decision_j'] / e:6.1f} {r['area_mm2']:9.5f}")
        lines.append('energy per decision in pJ (mean over all decisions); ratio = digital / '
                     'crossbar for the same operation counts')
    return '\n'.join(lines)
