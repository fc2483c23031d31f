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
"""Validated, immutable parameters of the learning baselines (Q-learning and Dyna-Q).

Units: rewards are in the task's reward units (the goal pays 1.0, see
:mod:`snan_nav.world.episode`); ``gamma`` is per step; the epsilon schedule counts episodes.

Epsilon schedule (exponential, per episode): episode ``k`` (0 for the first episode of a run)
explores with probability

    epsilon(k) = epsilon_end + (epsilon_start - epsilon_end) * epsilon_decay ** k

so ``epsilon_decay = 1`` keeps ``epsilon_start`` forever and ``epsilon_decay = 0`` uses
``epsilon_end`` from the second episode on.

Every field has a :class:`~snan_nav.core.params.ParamSpec` (default, closed range, unit,
description); :data:`BASELINE_PARAM_SPECS` lists them per agent so that a generic parameter
registry and the tuning command can enumerate them.
"""
from dataclasses import dataclass
from typing import ClassVar, Tuple

import numpy as np

from snan_nav.core.params import ParamSpec, SpecRecord

QLEARNING_SPECS = (
    ParamSpec('alpha', 0.957, 0.01, 1.0, '1', 'learning rate of the one-step Q update'),
    ParamSpec('gamma', 0.922, 0.0, 1.0, '1 / step', 'discount factor per step'),
    ParamSpec('epsilon_start', 0.213, 0.0, 1.0, '1',
              'exploration probability in the first episode of a run'),
    ParamSpec('epsilon_end', 0.000418, 0.0, 1.0, '1',
              'exploration probability the schedule decays to (<= epsilon_start)'),
    ParamSpec('epsilon_decay', 0.77, 0.0, 1.0, '1 / episode',
              'factor applied to (epsilon - epsilon_end) after every episode'),
    ParamSpec('q_init', 0.569, -10.0, 10.0, 'reward units',
              'initial value of every Q entry (above the goal reward: optimistic exploration)'),
    ParamSpec('step_reward', -0.0208, -1.0, 0.0, 'reward units',
              'reward of every step that does not reach the goal'),
    ParamSpec('skip_blocked', True, 0, 1, '',
              'never choose (or bootstrap from) a move the observation reports as blocked',
              bool),
)

#: Defaults of both agents are the best trials of their studies on the train suite (snan-nav
#: tune, 100 trials each, the same objective and budget as the SNAN's; the study summaries
#: are in benchmarks/tuning/). Dyna-Q's Q-learning constants come from its own study.
DYNAQ_Q_DEFAULTS = {'alpha': 0.936, 'gamma': 0.993, 'epsilon_start': 0.146, 'epsilon_end': 0.013,
                    'epsilon_decay': 0.664, 'q_init': 0.0615, 'step_reward': -0.0023}
DYNAQ_SPECS = tuple(spec._replace(default=DYNAQ_Q_DEFAULTS.get(spec.name, spec.default))
                    for spec in QLEARNING_SPECS) + (
    ParamSpec('planning_steps', 90, 0, 1000, 'updates / step',
              'n: simulated Q updates from the learned model after every real step', int),
    ParamSpec('kappa', 0.0, 0.0, 1.0, 'reward units / sqrt(step)',
              'Dyna-Q+ exploration bonus kappa * sqrt(steps since the move was last tried) '
              'added to modelled rewards (0: plain Dyna-Q)'),
)

#: Parameter declarations per agent name (the agents with tunable parameters).
BASELINE_PARAM_SPECS = {'qlearning': QLEARNING_SPECS, 'dynaq': DYNAQ_SPECS}

# Indices into the packed float64 vector handed to the numba kernels (see ``packed``).
K_ALPHA, K_GAMMA, K_STEP_REWARD, K_SKIP_BLOCKED, K_PLANNING_STEPS, K_KAPPA = range(6)


class _EpsilonRecord(SpecRecord):
    """What the Q-learning and Dyna-Q records share: the epsilon schedule and the packing."""

    def _validate(self) -> None:
        self._check_fields()
        if self.epsilon_end > self.epsilon_start:
            raise ValueError(f'epsilon_end ({self.epsilon_end}) must not exceed epsilon_start '
                             f'({self.epsilon_start})')

    def epsilon(self, episode: int) -> float:
        """Return the exploration probability of episode ``episode`` (0-based, see module)."""
        if episode < 0:
            raise ValueError(f'episode must be >= 0, got {episode}')
        spread = self.epsilon_start - self.epsilon_end
        return self.epsilon_end + spread * self.epsilon_decay ** int(episode)

    def packed(self) -> np.ndarray:
        """Return the float64 vector the kernels read (indices ``K_*`` of this module)."""
        return np.array([self.alpha, self.gamma, self.step_reward, float(self.skip_blocked),
                         float(getattr(self, 'planning_steps', 0)),
                         float(getattr(self, 'kappa', 0.0))], dtype=np.float64)


@dataclass(frozen=True)
class QLearningParams(_EpsilonRecord):
    """Q-learning constants (see :data:`QLEARNING_SPECS` for units and ranges).

    Construction validates every field and raises ``ValueError`` naming the field and its
    allowed range; cross-field rule: ``epsilon_end <= epsilon_start``.
    """

    SPECS: ClassVar[Tuple[ParamSpec, ...]] = QLEARNING_SPECS
    LABEL: ClassVar[str] = 'qlearning'

    alpha: float = 0.957
    gamma: float = 0.922
    epsilon_start: float = 0.213
    epsilon_end: float = 0.000418
    epsilon_decay: float = 0.77
    q_init: float = 0.569
    step_reward: float = -0.0208
    skip_blocked: bool = True

    def __post_init__(self):
        self._validate()


@dataclass(frozen=True)
class DynaQParams(QLearningParams):
    """Dyna-Q constants: Q-learning's plus ``planning_steps`` and the Dyna-Q+ ``kappa``.

    ``kappa = 0`` (default) is plain Tabular Dyna-Q (Sutton & Barto 2018, section 8.2);
    ``kappa > 0`` adds the Dyna-Q+ bonus of section 8.3 to the modelled rewards.
    """

    SPECS: ClassVar[Tuple[ParamSpec, ...]] = DYNAQ_SPECS
    LABEL: ClassVar[str] = 'dynaq'

    alpha: float = 0.936
    gamma: float = 0.993
    epsilon_start: float = 0.146
    epsilon_end: float = 0.013
    epsilon_decay: float = 0.664
    q_init: float = 0.0615
    step_reward: float = -0.0023
    planning_steps: int = 90
    kappa: float = 0.0
