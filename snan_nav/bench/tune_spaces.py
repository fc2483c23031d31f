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
"""Search spaces of ``snan-nav tune``: agent name -> the parameters Optuna varies.

Each :class:`Dimension` is ``(param, low, high, log, integer)``: a closed range, sampled on a
log scale when ``log`` (``low > 0``), as an integer when ``integer``. Parameters not listed
keep their defaults. Every agent gets the same trial count and the same objective
(:mod:`snan_nav.bench.tune`); only the spaces differ, each covering the constants that shape
that agent's learning. :func:`check_space` (and a test) keep every range inside the
parameter's declared :class:`~snan_nav.core.params.ParamSpec` range.
"""
from typing import Dict, NamedTuple, Tuple


class Dimension(NamedTuple):
    """One tuned parameter: sampled in ``[low, high]``, log scale / integer if asked."""

    param: str
    low: float
    high: float
    log: bool = False
    integer: bool = False


#: Q-learning (and the Q part of Dyna-Q). The epsilon schedule is exponential per episode
#: (see snan_nav.agents.baseline_params); epsilon_end's range lies below epsilon_start's, so
#: every sample satisfies epsilon_end <= epsilon_start. q_init above the goal reward (1.0)
#: is optimistic initial values (systematic exploration).
QLEARNING_SPACE: Tuple[Dimension, ...] = (
    Dimension('alpha', 0.05, 1.0, log=True),
    Dimension('gamma', 0.8, 0.999),
    Dimension('epsilon_start', 0.05, 0.5, log=True),
    Dimension('epsilon_end', 0.0, 0.05),
    Dimension('epsilon_decay', 0.5, 1.0),
    Dimension('q_init', 0.0, 2.0),
    Dimension('step_reward', -0.1, 0.0),
)

#: Dyna-Q: Q-learning's space plus n, the planning updates per real step.
DYNAQ_SPACE: Tuple[Dimension, ...] = QLEARNING_SPACE + (
    Dimension('planning_steps', 1, 100, log=True, integer=True),
)

#: SNAN: the constants that shape how it explores and how fast curiosity habituates (the
#: exploration onset and its annealing), how ties are broken (momentum, membrane noise) and
#: how long a visit keeps a place suppressed (calcium time constant and threshold). Kept
#: fixed by design: the one-shot map and goal plasticity; the calcium time constant stays at
#: most a fifth of the inter-episode interval (the fast memory must fade between episodes:
#: 7e5 ms vs 3.6e6 ms); ``revisit_onset`` stays 0, because the single-goal objective does not
#: depend on it (measured: identical on the train suite) while goal switching without a cue
#: does (a familiar place is as likely to hold a new goal as a novel one); ``shortcut_bound``
#: stays on (admissible: it never hides a shortcut, it only removes detours that cannot pay).
SNAN_SPACE: Tuple[Dimension, ...] = (
    Dimension('explore_onset', 0.0, 0.95),
    Dimension('explore_anneal', 0.3, 0.99),
    Dimension('momentum', 0.0, 0.3),
    Dimension('action_noise', 0.001, 0.1, log=True),
    Dimension('tau_ca_ms', 1.0e5, 7.0e5, log=True),
    Dimension('ca_threshold', 0.2, 3.0),
)

SPACES: Dict[str, Tuple[Dimension, ...]] = {
    'qlearning': QLEARNING_SPACE,
    'dynaq': DYNAQ_SPACE,
    'snan': SNAN_SPACE,
}


def param_specs(agent: str) -> dict:
    """Return ``{name: ParamSpec}`` of ``agent``'s parameter record."""
    if agent == 'snan':
        from snan_nav.core.params import PARAM_SPECS
        return {s.name: s for s in PARAM_SPECS}
    from snan_nav.agents.baseline_params import BASELINE_PARAM_SPECS
    return {s.name: s for s in BASELINE_PARAM_SPECS[agent]}


def check_space(agent: str) -> Tuple[Dimension, ...]:
    """Return the space of ``agent``; raise ValueError for an unknown agent or a bad range."""
    if agent not in SPACES:
        raise ValueError(f'no search space for agent {agent!r}; tunable: '
                         f'{", ".join(SPACES)}')
    specs = param_specs(agent)
    for dim in SPACES[agent]:
        spec = specs.get(dim.param)
        if spec is None:
            raise ValueError(f'search space of {agent}: {dim.param!r} is not one of its '
                             f'parameters ({", ".join(sorted(specs))})')
        if not spec.lo <= dim.low < dim.high <= spec.hi or (dim.log and dim.low <= 0):
            raise ValueError(f'search space of {agent}: {dim.param} range [{dim.low}, '
                             f'{dim.high}] is not inside [{spec.lo}, {spec.hi}] (log needs '
                             'low > 0)')
        if dim.integer != (spec.kind is int):
            raise ValueError(f'search space of {agent}: {dim.param} integer={dim.integer} '
                             f'but the parameter is {spec.kind.__name__}')
    return SPACES[agent]
