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
"""Build any agent by name: SNAN, its two ablations and the baselines.

Agents with tunable constants take a parameter record (:func:`params_class` names its class):
``SNANParams`` for the SNAN variants, ``QLearningParams`` / ``DynaQParams`` for the learning
baselines (:mod:`snan_nav.agents.baseline_params`); the others take none.
"""
from snan_nav.agents.base import Agent
from snan_nav.world.grid import GridMap

AGENT_NAMES = ('snan', 'snan-no-astro', 'snan-no-stdp', 'random', 'qlearning', 'dynaq',
               'tremaux', 'bfs')
SNAN_NAMES = AGENT_NAMES[:3]


def _check_name(name: str) -> None:
    if name not in AGENT_NAMES:
        raise ValueError(f'unknown agent {name!r}; valid: {", ".join(AGENT_NAMES)}')


def agent_class(name: str) -> type:
    """Return the class of agent ``name`` (``ValueError`` for an unknown name)."""
    _check_name(name)
    if name in SNAN_NAMES:
        from snan_nav.agents.snan import SNANAgent  # lazy: pulls in numba
        return SNANAgent
    if name == 'random':
        from snan_nav.agents.random_walk import RandomWalkAgent
        return RandomWalkAgent
    if name == 'qlearning':
        from snan_nav.agents.qlearning import QLearningAgent
        return QLearningAgent
    if name == 'dynaq':
        from snan_nav.agents.dynaq import DynaQAgent
        return DynaQAgent
    if name == 'tremaux':
        from snan_nav.agents.tremaux import TremauxAgent
        return TremauxAgent
    from snan_nav.agents.bfs_oracle import BFSOracleAgent
    return BFSOracleAgent


def params_class(name: str):
    """Return the parameter record class of agent ``name``, or None if it has no parameters."""
    _check_name(name)
    if name in SNAN_NAMES:
        from snan_nav.core.params import SNANParams
        return SNANParams
    if name in ('qlearning', 'dynaq'):
        from snan_nav.agents.baseline_params import DynaQParams, QLearningParams
        return QLearningParams if name == 'qlearning' else DynaQParams
    return None


def goal_cue_used(name: str) -> bool:
    """Return True when agent ``name`` changes its behaviour with a goal cue."""
    return bool(agent_class(name).uses_goal_cue)


def _record_for(name: str, params, snan_params):
    """Return the record ``name`` is built with (None: defaults), or raise ``TypeError``.

    Until the bench passes one record per agent it hands the SNAN record to every agent, as
    ``snan_params`` did: a ``SNANParams`` given to an agent without SNAN parameters is ignored.
    """
    if params is not None and snan_params is not None:
        raise TypeError('give params or its old alias snan_params, not both')
    record = params if params is not None else snan_params
    if record is None:
        return None
    wanted = params_class(name)
    if wanted is not None and type(record) is wanted:
        return record
    from snan_nav.core.params import SNANParams
    if isinstance(record, SNANParams):
        return None
    expected = 'no parameters' if wanted is None else f'a {wanted.__name__}'
    raise TypeError(f'agent {name!r} takes {expected}, got {type(record).__name__}')


def make_agent(name: str, grid: GridMap, goal_cell_id: int, seed: int,
               params=None, crossbar=None, *, snan_params=None) -> Agent:
    """Return a fresh agent (a fresh memory) seeded by ``seed``.

    ``goal_cell_id`` is used only by the BFS oracle (the others must find the goal, or get it
    through :meth:`Agent.cue_goal`); ``params`` is the agent's record (an instance of
    :func:`params_class`, None for the defaults; ``snan_params`` is its old name);
    ``crossbar`` (a :class:`~snan_nav.crossbar.config.CrossbarConfig`, or None for ideal
    weights) is used only by the SNAN variants. A record of the wrong class raises
    ``TypeError``, except a ``SNANParams`` given to a non-SNAN agent (ignored, see
    :func:`_record_for`).
    """
    cls = agent_class(name)
    record = _record_for(name, params, snan_params)
    if name in SNAN_NAMES:
        from snan_nav.agents.snan import make_snan_agent
        synapses = None if crossbar is None else crossbar.build(grid.n_cells, seed)
        return make_snan_agent(name, grid, record, seed, synapses=synapses)
    if name == 'random':
        return cls(seed)
    if name in ('qlearning', 'dynaq'):
        return cls(grid.n_cells, seed, record)
    if name == 'tremaux':
        return cls(grid.n_cells, seed)
    return cls(grid, goal_cell_id, seed)


def parse_agent_list(text: str):
    """Split a comma list of agent names; raise ValueError on an empty or unknown name."""
    names = [part.strip() for part in str(text).split(',')]
    if not names or any(not n for n in names):
        raise ValueError(f'empty agent name in {text!r}; valid: {", ".join(AGENT_NAMES)}')
    unknown = [n for n in names if n not in AGENT_NAMES]
    if unknown:
        raise ValueError(f'unknown agent(s) {", ".join(unknown)}; valid: '
                         f'{", ".join(AGENT_NAMES)}')
    return tuple(dict.fromkeys(names))
