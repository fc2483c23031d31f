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
"""The report of a closed-loop run: JSON summary, learning-curve table, closing lines.

Pure functions over episode summaries (steps are navigator decisions, bumps included, as in
the headless bench) and decision latencies in milliseconds.
"""
from typing import List, Optional

import numpy as np


def percentile(values, q: float) -> Optional[float]:
    """Return the ``q``-th percentile of ``values`` or None when empty."""
    arr = np.asarray(values, dtype=float)
    return float(np.percentile(arr, q)) if arr.size else None


def summarise(episodes: List[dict], latency_ms, compute_ms, wall_s: float,
              sim_time_s: float) -> dict:
    """Build the JSON report of a closed-loop run (steps are navigator decisions)."""
    from snan_nav.bench.metrics import wilson_interval

    n = len(episodes)
    ok = [e for e in episodes if e['success']]
    lo, hi = wilson_interval(len(ok), n) if n else (None, None)
    return {
        'episodes': [{'steps': int(e['steps']), 'success': bool(e['success']),
                      'sim_time_s': float(e['sim_time_s']), 'outcome': e.get('outcome', '')}
                     for e in episodes],
        'completion_rate': len(ok) / n if n else None,
        'completion_ci95': [lo, hi],
        'median_steps': float(np.median([e['steps'] for e in ok])) if ok else None,
        'first_episode_steps': int(episodes[0]['steps']) if episodes else None,
        'decision_latency_ms': {'median': percentile(latency_ms, 50),
                                'p99': percentile(latency_ms, 99), 'n': len(latency_ms)},
        'agent_compute_ms': {'median': percentile(compute_ms, 50),
                             'p99': percentile(compute_ms, 99)},
        'wall_time_s': round(wall_s, 3),
        'sim_time_s': round(sim_time_s, 3),
    }


def format_curve(report: dict, width: int = 40) -> str:
    """Return the learning curve as a text table with one bar per episode."""
    eps = report['episodes']
    if not eps:
        return '(no episodes)'
    top = max(e['steps'] for e in eps) or 1
    head = report.get('headless', {}).get('steps', [])
    lines = [f'{"ep":>4} {"steps":>6} {"ok":>3} {"sim s":>8} {"headless":>8}  curve']
    for i, e in enumerate(eps):
        bar = '#' * max(1, int(round(width * e['steps'] / top)))
        ref = str(head[i]) if i < len(head) else '-'
        lines.append(f'{i + 1:>4} {e["steps"]:>6} {"yes" if e["success"] else "no":>3} '
                     f'{e["sim_time_s"]:>8.1f} {ref:>8}  {bar}')
    return '\n'.join(lines)


def format_summary(report: dict) -> str:
    """Return the closing summary lines of a run."""
    def fmt(x, spec='.2f'):
        return 'n/a' if x is None else format(x, spec)

    lat = report['decision_latency_ms']
    ci = report['completion_ci95']
    lines = [
        f"map {report['map']}, agent {report['agent']}, seed {report['seed']}, "
        f"{len(report['episodes'])} episodes ({report['clock']})",
        f"completion {fmt(report['completion_rate'])} (Wilson 95 % "
        f"[{fmt(ci[0])}, {fmt(ci[1])}]), median steps (successful) "
        f"{fmt(report['median_steps'], '.1f')}, first episode "
        f"{report['first_episode_steps']} steps, BFS shortest "
        f"{report.get('bfs_shortest_steps', 'n/a')}",
        f"decision latency (pose in -> cmd_vel out, wall clock) median "
        f"{fmt(lat['median'], '.3f')} ms, p99 {fmt(lat['p99'], '.3f')} ms over {lat['n']} "
        f"decisions at {report['control_frequency_hz']} Hz",
        f"wall {report['wall_time_s']:.1f} s for {report['sim_time_s']:.1f} s of sim time",
    ]
    head = report.get('headless')
    if head is not None:
        lines.append('headless runner, same seed: '
                     + ('same cell sequence in every episode' if head['same_cell_sequence']
                        else f"cell sequences differ from episode "
                             f"{head['first_different_episode']}"))
    return '\n'.join(lines)
