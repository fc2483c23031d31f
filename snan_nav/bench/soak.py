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
"""The soak: many episodes with the memory saved after each, watching memory use and errors.

Two parts, run by ``snan-nav soak``:

- :func:`headless_soak`: one long-lived agent runs ``episodes`` episodes on one map from
  seeded random starts to the map's goal; after every episode its memory is saved to a file
  (atomically); every ``restart_every`` episodes the agent is thrown away and a fresh one is
  restored from the file (a simulated restart, which must load);
- :func:`closed_loop_soak`: ``snan-nav sim``'s closed loop (simulator + navigator over ROS 2
  in this process) on a free-running clock at ``speed_factor`` for ``minutes`` of wall time,
  the navigator saving its memory file after every episode.

Resident memory (RSS, from ``/proc/self/statm``) is sampled before, after the first episode
(once compiled code and the agent exist: the baseline for the growth figure) and at the end.
Exceptions are counted, not raised: a soak reports them.
"""
import os
import time
import traceback
from typing import Dict, List, Optional

import numpy as np

PAGE_BYTES = os.sysconf('SC_PAGE_SIZE') if hasattr(os, 'sysconf') else 4096


def rss_mb() -> float:
    """Return this process's resident set size in MiB (0.0 where /proc is missing)."""
    try:
        with open('/proc/self/statm', encoding='ascii') as handle:
            return int(handle.read().split()[1]) * PAGE_BYTES / 2 ** 20
    except (OSError, ValueError, IndexError):
        return 0.0


def growth_percent(start_mb: float, end_mb: float) -> Optional[float]:
    """Return the RSS growth from ``start_mb`` to ``end_mb`` in percent (None without data)."""
    return None if start_mb <= 0.0 else 100.0 * (end_mb - start_mb) / start_mb


def _starts(grid, goal: int, n: int, seed: int) -> np.ndarray:
    """Return ``n`` seeded start cell ids, reachable from ``goal`` and different from it."""
    from snan_nav.world.bfs import distances
    dist = distances(grid, grid.cell_of(goal))
    ids = np.flatnonzero(dist > 0)
    return np.random.default_rng(seed).choice(ids, size=n)


def headless_soak(map_spec: str, agent_name: str, episodes: int, memory_file: str,
                  seed: int = 0, restart_every: int = 1000, params=None,
                  progress=None) -> Dict[str, object]:
    """Run the headless part (see the module docstring); return the figures as a dict.

    ``params``: the agent's parameter record (None: defaults); ``progress(done, total)`` is
    called every 1000 episodes.
    """
    from snan_nav.agents.registry import make_agent, SNAN_NAMES
    from snan_nav.core.params import SNANParams
    from snan_nav.ros.memory_store import loaded, MemoryStore
    from snan_nav.bench.suite_bench import bench_map
    from snan_nav.world.episode import GridWorld, run_episode

    rss_before = rss_mb()
    grid = bench_map(map_spec, seed)
    if grid.goal is None:
        raise ValueError(f'map {map_spec} defines no goal')
    goal = grid.cell_id(grid.goal)
    snn = (params or SNANParams()) if agent_name in SNAN_NAMES else None
    store = MemoryStore(memory_file, agent_name, snn)
    starts = _starts(grid, goal, episodes, seed)
    agent = make_agent(agent_name, grid, goal, seed, params)
    counts = {'saves': 0, 'saved_bytes': 0, 'restarts': 0, 'restarts_loaded': 0,
              'exceptions': 0, 'steps': 0, 'successes': 0}
    errors: List[str] = []
    rss_first = 0.0
    t0 = time.perf_counter()
    for e in range(episodes):
        try:
            if e and restart_every and e % restart_every == 0:
                agent = make_agent(agent_name, grid, goal, seed + e, params)
                counts['restarts'] += 1
                counts['restarts_loaded'] += int(loaded(store.load(agent, grid.blocked)))
            world = GridWorld(grid, grid.cell_of(int(starts[e])), grid.goal)
            result = run_episode(agent, world)
            counts['steps'] += int(result.steps)
            counts['successes'] += int(result.success)
            size = store.save(agent, grid.blocked, {'episodes': e + 1})
            counts['saves'] += int(size > 0)
            counts['saved_bytes'] = size
        except Exception:  # noqa: BLE001 -- a soak counts failures instead of stopping
            counts['exceptions'] += 1
            if len(errors) < 5:
                errors.append(traceback.format_exc(limit=3))
        if e == 0:
            rss_first = rss_mb()
        if progress is not None and (e + 1) % 1000 == 0:
            progress(e + 1, episodes)
    wall = time.perf_counter() - t0
    rss_end = rss_mb()
    return dict(counts, part='headless', map=map_spec, agent=agent_name, episodes=episodes,
                wall_s=round(wall, 3), episodes_per_s=round(episodes / wall, 2) if wall else None,
                memory_file=memory_file, keeps_memory=bool(agent.memory()),
                rss_mb={'process_start': round(rss_before, 1), 'start': round(rss_first, 1),
                        'end': round(rss_end, 1)},
                rss_growth_percent=growth_percent(rss_first, rss_end), errors=errors)


def closed_loop_soak(map_spec: str, agent_name: str, minutes: float, speed_factor: float,
                     memory_file: str, seed: int = 0, params_document=None,
                     sample_s: float = 10.0) -> Dict[str, object]:
    """Run the closed-loop part (see the module docstring); return the figures as a dict."""
    import threading
    from snan_nav.ros import launcher

    samples: List[float] = []
    stop = threading.Event()

    def sample():
        while not stop.wait(sample_s):
            samples.append(round(rss_mb(), 1))

    cfg = launcher.SimConfig(episodes=10 ** 9, map_spec=map_spec, seed=seed, agent=agent_name,
                             speed_factor=speed_factor, timeout_s=60.0 * minutes,
                             compare_headless=False, memory_file=memory_file,
                             **({'params_document': params_document}
                                if params_document is not None else {}))
    first: List[float] = []

    def on_episode(_ep):
        if not first:
            first.append(rss_mb())

    rss_before = rss_mb()
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    errors: List[str] = []
    result = None
    try:
        result = launcher.run_closed_loop(cfg, on_episode)
    except Exception:  # noqa: BLE001 -- reported as a soak failure
        errors.append(traceback.format_exc(limit=5))
    finally:
        stop.set()
        sampler.join()
    rss_end = rss_mb()
    report = result.report if result is not None else {}
    health = report.get('health', {})
    n = len(report.get('episodes', []))
    wall = report.get('wall_time_s') or 0.0
    exceptions = len(errors) + int(health.get('navigator_exceptions', 0)) + int(
        health.get('simulator_tick_errors', 0))
    start = first[0] if first else rss_before
    return {'part': 'closed loop', 'map': map_spec, 'agent': agent_name,
            'speed_factor': speed_factor, 'minutes': minutes, 'episodes': n,
            'successes': sum(1 for e in report.get('episodes', []) if e['success']),
            'wall_s': wall, 'sim_time_s': report.get('sim_time_s'),
            'episodes_per_s': round(n / wall, 4) if wall else None,
            'exceptions': exceptions, 'health': health, 'memory_file': memory_file,
            'rss_mb': {'process_start': round(rss_before, 1), 'start': round(start, 1),
                       'end': round(rss_end, 1), 'samples': samples},
            'rss_growth_percent': growth_percent(start, rss_end), 'errors': errors,
            'decision_latency_ms': report.get('decision_latency_ms')}
