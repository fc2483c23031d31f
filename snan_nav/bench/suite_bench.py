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
"""Bench over many maps: a train/test suite or a list of map specs, one job list.

Each map contributes the jobs of :func:`~snan_nav.bench.runner.plan_jobs`; all maps' jobs go
through one executor call (so a pool or a Ray cluster stays busy across maps), and the
results are split back into one report per map (the single-map contract) and aggregated
per family (:mod:`snan_nav.bench.suite_report`).
"""
import sys
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from snan_nav.bench.runner import build_report, plan_jobs, traces_of, warm_up_kinds
from snan_nav.world.grid import Cell, GridMap

#: Family of a map that is not a generated ``gen:`` map (a built-in or a nav2 YAML map).
OTHER_FAMILY = 'other'
#: Seed of the far pairs drawn on maps that are not ``gen:`` maps.
PAIR_SEED = 0


class MapCase(NamedTuple):
    """One map of a multi-map bench: spec name, family, size (cells), grid and pairs."""

    name: str
    family: str
    size: int
    grid: GridMap
    pairs: Tuple[Tuple[Cell, Cell], ...]


def suite_cases(suite_name: str, pairs_per_map: int) -> List[MapCase]:
    """Return the maps of suite ``suite_name`` with the suite's own far pairs."""
    from snan_nav.world.suites import suite
    return [MapCase(m.name, m.family, int(m.size), m.grid, tuple(m.pairs))
            for m in suite(suite_name, pairs_per_map)]


def planning_defaults() -> Tuple[float, float]:
    """Return the nodes' default ``(cell_size, robot_radius)`` (m) for a nav2 map's grid."""
    from snan_nav.ros.navigator_params import PLANNING_PARAMS
    defaults = {p.name: float(p.default) for p in PLANNING_PARAMS}
    return defaults['cell_size'], defaults['robot_radius']


def add_planning_args(parser) -> None:
    """Add ``--cell-size`` / ``--robot-radius`` (the planning grid of nav2 YAML maps)."""
    cell, radius = planning_defaults()
    parser.add_argument('--cell-size', type=float, default=None, metavar='M',
                        help='nav2 YAML maps: planning cell side in metres, as the nodes\' '
                             f'cell_size (default {cell:g}: automatic, about the robot diameter)')
    parser.add_argument('--robot-radius', type=float, default=None, metavar='M',
                        help='nav2 YAML maps: obstacles and unknown space are inflated by this '
                             f'before a planning cell is free, as the nodes\' robot_radius '
                             f'(default {radius:g})')


def check_planning_args(args) -> None:
    """Raise ValueError for a ``--cell-size`` / ``--robot-radius`` the nodes would refuse."""
    from snan_nav.ros.navigator_params import planning_flag_error
    error = planning_flag_error(args.cell_size, args.robot_radius)
    if error:
        raise ValueError(error)


def bench_map(spec: str, seed: int = 0, cell_size: Optional[float] = None,
              robot_radius: Optional[float] = None, task: bool = True) -> GridMap:
    """Resolve a map spec as the benchmarks use it (raise ValueError / MapError naming it).

    A nav2 map YAML (cells of a few centimetres) becomes the planning grid the navigator and
    the simulator build from it (:func:`snan_nav.ros.planning.planning_map`: obstacles and
    unknown space inflated by ``robot_radius``, cells of ``cell_size`` metres, 0 = automatic;
    None: the nodes' defaults), with its start/goal in planning cells (``task`` False: without
    them, for callers that draw their own pairs); built-in, generated and Moving AI maps are
    already planning cells and come unchanged.
    """
    from snan_nav.ros.planning import planning_map
    from snan_nav.world.builtin import BUILTIN_PREFIX, GEN_PREFIX, resolve_map
    from snan_nav.world.movingai import is_movingai_spec
    spec = str(spec)
    grid = resolve_map(spec, seed)
    if spec.startswith((BUILTIN_PREFIX, GEN_PREFIX)):
        return grid
    if is_movingai_spec(spec):
        _warn_fragmented(spec, grid, 'a smaller K in PATH.map:K keeps narrow passages open')
        return grid
    default_cell, default_radius = planning_defaults()
    try:
        grid = planning_map(grid, default_cell if cell_size is None else float(cell_size),
                            default_radius if robot_radius is None else float(robot_radius),
                            task)
    except ValueError as exc:
        raise ValueError(f'map {spec}: {exc}') from None
    _warn_fragmented(spec, grid, 'passages narrower than about a planning cell plus twice '
                     'the robot radius close: try a smaller --cell-size or --robot-radius')
    return grid


def _warn_fragmented(spec: str, grid: GridMap, hint: str) -> None:
    """Print one warning line when the map's largest connected area is a small part of it."""
    from snan_nav.world.bfs import fragmentation_note
    note = fragmentation_note(grid)
    if note:
        print(f'snan-nav: warning: map {spec}: {note}; runs use only that area ({hint})',
              file=sys.stderr)


def spec_cases(specs: Sequence[str], pairs_per_map: int, cell_size: Optional[float] = None,
               robot_radius: Optional[float] = None, far: bool = True) -> List[MapCase]:
    """Return the maps of ``specs`` (``gen:``, ``builtin:``, nav2 YAML, ``.map``), with pairs.

    A ``gen:`` map gets the far pairs its suite would use and its family; any other map gets
    ``pairs_per_map`` far pairs (BFS distance >= a quarter of its diameter, seed
    :data:`PAIR_SEED`) and the family :data:`OTHER_FAMILY`; a nav2 YAML map is first turned
    into its planning grid (:func:`bench_map`). With ``far=False`` no pairs are drawn (the
    caller draws its own, :func:`with_ranged_pairs`, and far pairs need every cell's
    eccentricity). Raise ValueError naming the spec.
    """
    from snan_nav.world.builtin import GEN_PREFIX
    from snan_nav.world.generators import parse_spec
    from snan_nav.world.suites import far_pairs, spec_pairs
    cases = []
    for spec in specs:
        grid = bench_map(spec, 0, cell_size, robot_radius, task=False)
        if spec.startswith(GEN_PREFIX):
            family, size, _ = parse_spec(spec)
            pairs = spec_pairs(spec, pairs_per_map) if far else ()
        else:
            family, size = OTHER_FAMILY, max(grid.width, grid.height)
            try:
                pairs = far_pairs(grid, pairs_per_map, PAIR_SEED) if far else ()
            except ValueError as exc:
                raise ValueError(f'map {spec}: {exc}') from None
        cases.append(MapCase(spec, family, int(size), grid, tuple(pairs)))
    return cases


def parse_pair_distance(text: str) -> Tuple[int, int]:
    """Parse ``LO:HI`` (steps of shortest path, 1 <= LO <= HI); raise ValueError otherwise."""
    parts = str(text).split(':')
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(f'--pair-distance must be LO:HI in steps (e.g. 5:50), got {text!r}')
    lo, hi = (int(p) for p in parts)
    if not 1 <= lo <= hi:
        raise ValueError(f'--pair-distance needs 1 <= LO <= HI, got {text!r}')
    return lo, hi


def with_ranged_pairs(cases: Sequence[MapCase], n: int, lo: int, hi: int) -> List[MapCase]:
    """Return ``cases`` with ``n`` pairs at a shortest path of ``lo..hi`` steps each.

    Seeded by the CRC-32 of the map's spec, so a map gets the same pairs in any list.
    """
    import zlib
    from snan_nav.world.suites import ranged_pairs
    out = []
    for case in cases:
        try:
            pairs = ranged_pairs(case.grid, n, zlib.crc32(case.name.encode()), lo, hi)
        except ValueError as exc:
            raise ValueError(f'map {case.name}: {exc}') from None
        out.append(case._replace(pairs=tuple(pairs)))
    return out


def parse_map_specs(text: str) -> List[str]:
    """Split a ``--maps`` comma list into specs; raise ValueError on an empty or repeated one."""
    specs = [part.strip() for part in str(text).split(',')]
    if not specs or any(not s for s in specs):
        raise ValueError(f'empty map spec in --maps {text!r}')
    if len(set(specs)) != len(specs):
        raise ValueError(f'--maps lists a map twice: {text!r}')
    return specs


def parse_map_filter(text: Optional[str]) -> Optional[dict]:
    """Parse a map filter: comma list of sizes (ints), family names and ``gen:`` specs.

    Returns ``{'sizes': set, 'families': set, 'names': set}`` (None for no filter). A map is
    kept when it matches every kind of term given (any size of the sizes, any family ...).
    """
    if text is None:
        return None
    from snan_nav.world.generators import FAMILIES
    terms = [t.strip() for t in str(text).split(',')]
    if not terms or any(not t for t in terms):
        raise ValueError(f'empty term in map filter {text!r}')
    out = {'sizes': set(), 'families': set(), 'names': set()}
    for term in terms:
        if term.isdigit():
            out['sizes'].add(int(term))
        elif term in FAMILIES or term == OTHER_FAMILY:
            out['families'].add(term)
        elif ':' in term:
            out['names'].add(term)
        else:
            raise ValueError(f'map filter term {term!r} is neither a size, a family '
                             f'({", ".join(FAMILIES)}) nor a map spec')
    return out


def select_cases(cases: Sequence[MapCase], selector: Optional[dict]) -> List[MapCase]:
    """Return the cases that pass ``selector`` (see :func:`parse_map_filter`); never empty."""
    if not selector:
        return list(cases)
    kept = [c for c in cases
            if (not selector['sizes'] or c.size in selector['sizes'])
            and (not selector['families'] or c.family in selector['families'])
            and (not selector['names'] or c.name in selector['names'])]
    if not kept:
        raise ValueError('the map filter keeps no map of the '
                         f'{len(cases)} ({", ".join(sorted({str(c.size) for c in cases}))} '
                         'cells)')
    return kept


def default_budget(grid: GridMap) -> int:
    """Return the default step budget of a map: 4 x its free cells."""
    return 4 * grid.free_count()


def run_cases(cases: Sequence[MapCase], agents: Sequence[str], episodes: int, seeds: int,
              run, budget: Optional[int] = None, params=None, crossbar=None,
              goal_cue: bool = False, progress: bool = True) -> Dict[str, object]:
    """Run every map's jobs through ``run(jobs, progress)`` (an open executor).

    Returns ``{'reports': [per-map report + 'family', 'size'], 'runs': [per-map results],
    'traces': [per-map traces]}`` in case order; ``budget`` None = :func:`default_budget`.
    """
    plans = []
    for case in cases:
        b = default_budget(case.grid) if budget is None else int(budget)
        plans.append((b, plan_jobs(case.grid, case.pairs, agents, episodes, seeds, b, params,
                                   crossbar, goal_cue)))
    jobs = [job for _, js in plans for job in js]
    warm_up_kinds(jobs)
    results = run(jobs, progress)
    reports, runs, traces, at = [], [], [], 0
    for case, (b, js) in zip(cases, plans):
        mine = results[at:at + len(js)]
        at += len(js)
        report = build_report(case.name, case.grid, case.pairs, agents, episodes, seeds, b,
                              mine, goal_cue)
        report['family'], report['size'] = case.family, case.size
        reports.append(report)
        runs.append(mine)
        traces.append(traces_of(mine))
    return {'reports': reports, 'runs': runs, 'traces': traces}
