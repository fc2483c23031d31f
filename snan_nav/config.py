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
"""Parameter files for the headless commands, read by the one reader the ROS nodes' files use.

``snan-nav bench``, ``snan-nav tune`` and the tests read the navigator's parameters from a
ROS 2 parameter file exactly as ``snan_navigator`` would get them
(:mod:`snan_nav.ros.param_file`: rcl's value typing, section matching and order; e.g. a
``snan_navigator:`` section after ``/**:`` wins), checked strictly against the one
declaration of every parameter (:mod:`snan_nav.ros.param_check`): unknown names and invalid
values are a :class:`ConfigError` naming file, line and the closest valid name.

A file without any ``ros__parameters`` key is read as the navigator's parameters, nested
(``snn: {tau_m_ms: 12.0}``, ``qlearning: {alpha: 0.5}``) or dotted (``snn.tau_m_ms: 12.0``).
"""
from typing import Callable, Dict, Optional, Sequence

NODE_NAME = 'snan_navigator'


class ConfigError(ValueError):
    """A parameter file that cannot be used (missing, unparsable or invalid values)."""


def _ignore(_text: str) -> None:
    """Drop a warning."""


def load_navigator_values(path: str, allow_unknown: bool = False,
                          warn: Callable[[str], None] = _ignore) -> Dict[str, object]:
    """Return the navigator's parameter values from the file at ``path`` (strictly checked).

    Unknown names raise :class:`ConfigError` unless ``allow_unknown`` (then they go to
    ``warn``); invalid values always raise.
    """
    from snan_nav.ros.param_check import checked_values, package_nodes
    from snan_nav.ros.param_file import read_document
    doc = read_document(path, bare_node=NODE_NAME)
    return checked_values(doc, package_nodes(), allow_unknown, warn=warn)[NODE_NAME]


def load_snan_params(path: str):
    """Load the :class:`~snan_nav.core.params.SNANParams` of the file at ``path``."""
    from snan_nav.ros.navigator_params import agent_record
    return agent_record(load_navigator_values(path), 'snan')


def load_crossbar_config(path: Optional[str], allow_unknown: bool = False,
                         warn: Callable[[str], None] = _ignore):
    """Load the crossbar configuration of the file at ``path`` (defaults when None)."""
    from snan_nav.ros.navigator_params import crossbar_config
    values = load_navigator_values(path, allow_unknown, warn) if path else {}
    return crossbar_config(values)


#: Navigator settings a bench run takes from its own flags instead of from a parameter file.
BENCH_FLAG_OF = {'cell_size': '--cell-size', 'robot_radius': '--robot-radius',
                 'episode_budget': '--budget', 'goal_cue': '--goal-cue', 'seed': '--seeds'}


def load_agent_params(path: str, agents: Sequence[str], allow_unknown: bool = False,
                      warn: Callable[[str], None] = _ignore) -> Dict[str, object]:
    """Return ``{agent: parameter record}`` for the agents of ``agents`` that take parameters.

    The SNAN variants always get the file's ``snn`` record (defaults for what it does not
    set); a learning baseline gets a record only when the file sets one of its parameters
    (``qlearning.*``, ``dynaq.*``), else it keeps its defaults.
    """
    from snan_nav.agents.registry import SNAN_NAMES
    from snan_nav.ros.navigator_params import agent_record, block_values
    values = load_navigator_values(path, allow_unknown, warn)
    ignored = [f'{name} ({flag})' for name, flag in BENCH_FLAG_OF.items() if name in values]
    if ignored:
        warn(f'warning: {path} sets {", ".join(ignored)}: the bench takes these from its flags, '
             'the file\'s values are ignored')
    out: Dict[str, object] = {}
    for name in agents:
        if name in SNAN_NAMES or block_values(values, name):
            record = agent_record(values, name)
            if record is not None:
                out[name] = record
    return out
