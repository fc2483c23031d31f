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
"""Tuning an agent's parameters on the train suite with Optuna (TPE, seeded).

Objective (the same for every agent; lower is better): the mean over the tuning runs (train
maps x pairs x seeds; one run = one fresh agent for ``episodes`` episodes) of

    log( cumulative censored steps / (episodes x BFS) ) + log( late path / BFS )

where the late path is the median of the last 20 % of the run's episodes. The first term is
the cost of learning (exploration included), the second the quality of what was learned: an
agent that stops exploring early saves steps but keeps a long route, and pays here. Failed
episodes count at the budget (censored), so completion failures are paid for; 0 is the BFS
oracle's value; the logs make a map where an agent is 2x off BFS weigh as much on every map
size. Trials run one after another (a seeded TPE sampler is then deterministic); the runs
of a trial go through one executor (process pool or Ray), so the study's numbers do not
depend on where they ran. Trial 0 evaluates the agent's defaults (where they lie inside the
search space), the same for every agent.
"""
import math
import time
from typing import Dict, List, Sequence

import numpy as np

from snan_nav.bench.metrics import censored, late_window
from snan_nav.bench.runner import plan_jobs, warm_up_kinds
from snan_nav.bench.tune_spaces import check_space, Dimension, param_specs
from snan_nav.world.bfs import path_length

DEFAULT_EPISODES = 30
DEFAULT_SEEDS = 3
OBJECTIVE = ('mean over tuning runs (map x pair x seed) of log(cumulative censored steps / '
             '(episodes x BFS)) + log(median censored path of the last 20 % of episodes / '
             'BFS); failures count at the budget; lower is better, 0 = BFS')


def run_objective(steps: np.ndarray, success: np.ndarray, bfs: Sequence[int],
                  budget: Sequence[int]) -> float:
    """Return the tuning objective of runs (``steps``/``success`` shaped (runs, episodes))."""
    steps = np.asarray(steps)
    cens = censored(steps, np.asarray(success, dtype=bool), budget)
    bfs = np.asarray(bfs, dtype=np.float64)
    cumulative = cens.sum(axis=1) / (steps.shape[1] * bfs)
    late = np.median(cens[:, steps.shape[1] - late_window(steps.shape[1]):], axis=1) / bfs
    return float(np.mean(np.log(cumulative) + np.log(late)))


def _record(agent: str, values: dict):
    from snan_nav.agents.registry import params_class
    return params_class(agent).from_mapping(values)


def _suggest(trial, space: Sequence[Dimension]) -> dict:
    out = {}
    for dim in space:
        if dim.integer:
            out[dim.param] = trial.suggest_int(dim.param, int(dim.low), int(dim.high),
                                               log=dim.log)
        else:
            out[dim.param] = trial.suggest_float(dim.param, float(dim.low), float(dim.high),
                                                 log=dim.log)
    return out


def default_point(agent: str, space: Sequence[Dimension]) -> dict:
    """Return the agent's default values of the space's parameters that lie inside it."""
    specs = param_specs(agent)
    return {d.param: specs[d.param].default for d in space
            if d.low <= specs[d.param].default <= d.high}


def evaluate(agent: str, values: dict, cases, episodes: int, seeds: int, execute,
             budget=None) -> Dict[str, float]:
    """Run ``agent`` with ``values`` on every (map, pair, seed); return objective and totals."""
    from snan_nav.bench.suite_bench import default_budget
    record = _record(agent, values)
    jobs, bfs, budgets = [], [], []
    for case in cases:
        b = default_budget(case.grid) if budget is None else int(budget)
        jobs.extend(plan_jobs(case.grid, case.pairs, [agent], episodes, seeds, b,
                              {agent: record}))
        lengths = [path_length(case.grid, s, g) for s, g in case.pairs]
        bfs.extend(n for n in lengths for _ in range(seeds))
        budgets.extend([b] * (len(case.pairs) * seeds))
    results = execute(jobs, False)
    steps = np.stack([r.steps for r in results])
    success = np.stack([r.success for r in results])
    return {'value': run_objective(steps, success, bfs, budgets),
            'completion_rate': float(success.mean()), 'runs': len(results),
            'steps': int(steps.sum())}


def run_study(agent: str, cases, trials: int, execute, episodes: int = DEFAULT_EPISODES,
              seeds: int = DEFAULT_SEEDS, sampler_seed: int = 0, budget=None,
              log=print) -> dict:
    """Run an Optuna study of ``trials`` trials; return the summary dict (JSON-ready)."""
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space = check_space(agent)
    warm_up_kinds(plan_jobs(cases[0].grid, cases[0].pairs[:1], [agent], 1, 1, 8))
    study = optuna.create_study(direction='minimize',
                                sampler=optuna.samplers.TPESampler(seed=int(sampler_seed)))
    defaults = default_point(agent, space)
    if defaults:
        study.enqueue_trial(defaults)
    table: List[dict] = []
    t0 = time.perf_counter()

    def objective(trial):
        values = _suggest(trial, space)
        t = time.perf_counter()
        out = evaluate(agent, values, cases, episodes, seeds, execute, budget)
        table.append({'number': trial.number, 'value': out['value'], 'params': values,
                      'completion_rate': out['completion_rate'], 'steps': out['steps'],
                      'seconds': round(time.perf_counter() - t, 3)})
        log(f"trial {trial.number:>3}: objective {out['value']:.4f}, completion "
            f"{100 * out['completion_rate']:.1f} %, {table[-1]['seconds']:.1f} s")
        return out['value']

    study.optimize(objective, n_trials=int(trials))
    runs = sum(len(c.pairs) for c in cases) * seeds
    best = study.best_trial
    return {
        'agent': agent, 'maps': [c.name for c in cases], 'pairs_per_map':
            max(len(c.pairs) for c in cases), 'seeds': int(seeds), 'episodes': int(episodes),
        'objective': OBJECTIVE,
        'sampler': {'name': 'TPESampler', 'seed': int(sampler_seed)},
        'search_space': [d._asdict() for d in space],
        'defaults_enqueued': defaults,
        'best_params': dict(best.params), 'best_value': float(best.value),
        'best_trial': int(best.number),
        'budget': {'trials': int(trials), 'runs_per_trial': runs,
                   'episodes_per_trial': runs * int(episodes),
                   'total_episodes': runs * int(episodes) * int(trials),
                   'total_steps': int(sum(row['steps'] for row in table))},
        'wall_time_s': round(time.perf_counter() - t0, 3),
        'trials_table': table,
    }


def params_yaml(agent: str, best_params: dict, comment: str = '') -> str:
    """Return a YAML parameter file with ``best_params`` in the agent's block.

    The layout is the navigator's (``snan_navigator.ros__parameters.<block>``), which
    ``snan-nav bench --params`` reads (block ``snn`` for SNAN, else the agent's name).
    """
    import yaml
    block = 'snn' if agent == 'snan' else agent
    values = {k: (int(v) if isinstance(v, (int, np.integer)) else float(v))
              for k, v in best_params.items()}
    for key, value in values.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f'{key} = {value} cannot be written')
    body = yaml.safe_dump({'snan_navigator': {'ros__parameters': {block: values}}},
                          default_flow_style=False, sort_keys=False)
    head = ''.join(f'# {line}\n' for line in comment.splitlines()) if comment else ''
    return head + body
