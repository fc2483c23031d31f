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
"""``bench --params``: per-agent blocks for the baselines beside the SNAN ``snn`` block."""
import pytest

from snan_nav.config import ConfigError
from snan_nav.core.params import SNANParams

registry = pytest.importorskip('snan_nav.agents.baseline_params',
                               reason='tunable baselines (branch baselines)')
from snan_nav.bench.agent_params import load_agent_params  # noqa: E402

AGENTS = ['snan', 'qlearning', 'dynaq', 'tremaux']


def write(tmp_path, text):
    path = tmp_path / 'p.yaml'
    path.write_text(text)
    return str(path)


def test_navigator_section_nested_and_dotted(tmp_path):
    path = write(tmp_path, 'snan_navigator:\n  ros__parameters:\n    snn: {action_noise: 0.02}\n'
                           '    qlearning: {alpha: 0.25}\n    dynaq.planning_steps: 7\n')
    got = load_agent_params(path, AGENTS)
    assert got['snan'] == SNANParams(action_noise=0.02)
    assert got['qlearning'] == registry.QLearningParams(alpha=0.25)
    assert got['dynaq'] == registry.DynaQParams(planning_steps=7)
    assert 'tremaux' not in got


def test_bare_file_is_the_navigators_parameters(tmp_path):
    path = write(tmp_path, 'snn:\n  action_noise: 0.03\nqlearning:\n  gamma: 0.9\n')
    got = load_agent_params(path, AGENTS)
    assert got['snan'] == SNANParams(action_noise=0.03)
    assert got['qlearning'] == registry.QLearningParams(gamma=0.9)
    assert 'dynaq' not in got  # no block: defaults


def test_flat_snan_names_are_unknown_with_the_right_name_suggested(tmp_path):
    path = write(tmp_path, 'action_noise: 0.03\n')
    with pytest.raises(ConfigError, match="'action_noise'.*did you mean 'snn.action_noise'"):
        load_agent_params(path, AGENTS)
    warnings = []
    got = load_agent_params(path, AGENTS, allow_unknown=True, warn=warnings.append)
    assert got['snan'] == SNANParams() and len(warnings) == 1


@pytest.mark.parametrize('text, words', [
    ('qlearning: {alpha: 7.0}\n', 'qlearning.alpha = 7.0 is out of range'),
    ('dynaq: {planing_steps: 3}\n', 'planing_steps'),
    ('snn: {tau_m_ms: -1.0}\n', 'tau_m_ms'),
])
def test_bad_blocks_name_the_problem(tmp_path, text, words):
    with pytest.raises(ConfigError, match=words) as info:
        load_agent_params(write(tmp_path, text), AGENTS)
    assert 'p.yaml' in str(info.value)
