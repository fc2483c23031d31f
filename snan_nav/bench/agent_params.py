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
"""Per-agent parameter records for the bench, read from one parameter YAML file.

The SNAN variants read the ``snn`` block exactly as the ROS nodes do
(:func:`snan_nav.config.snn_block`: every layout that worked before still works). Each
learning baseline reads a block named after it (``qlearning:``, ``dynaq:``), found, first
match wins:

1. under the navigator's ``ros__parameters`` (``snan_navigator``, a namespaced
   ``.../snan_navigator`` or ``/**``), nested (``qlearning: {alpha: 0.5}``) or dotted
   (``qlearning.alpha: 0.5``);
2. at top level (``qlearning: {alpha: 0.5}``).

An agent without a block keeps its defaults. ``snan-nav tune`` writes this layout.
"""
from typing import Any, Dict, Mapping, Sequence

from snan_nav.config import ConfigError, NODE_NAME, read_document, snn_block

SNAN_BLOCK = 'snn'


def _sections(document: Mapping[str, Any]) -> list:
    """Return the navigator's ``ros__parameters`` mappings in file order."""
    return [section.get('ros__parameters') or {} for key, section in document.items()
            if isinstance(section, Mapping) and (
                key == '/**' or str(key).rstrip('/').split('/')[-1] == NODE_NAME)]


def agent_block(document: Mapping[str, Any], block: str) -> dict:
    """Return the ``block`` mapping of a parsed parameter document ({} when absent)."""
    for params in _sections(document) + [document]:
        if not isinstance(params, Mapping):
            continue
        out = dict(params.get(block) or {}) if isinstance(params.get(block), Mapping) else {}
        out.update({str(k)[len(block) + 1:]: v for k, v in params.items()
                    if str(k).startswith(block + '.')})
        if out:
            return out
    return {}


def _baseline_blocks(agents: Sequence[str]) -> list:
    from snan_nav.agents.registry import AGENT_NAMES, params_class, SNAN_NAMES
    return [name for name in AGENT_NAMES
            if name not in SNAN_NAMES and params_class(name) is not None]


def load_agent_params(path: str, agents: Sequence[str]) -> Dict[str, object]:
    """Return ``{agent: record}`` for the agents of ``agents`` that take parameters.

    The SNAN record is always read (and validated) when a file is given; baselines without
    a block are left out (defaults). Raise :class:`ConfigError` naming the file, the block and
    the problem.
    """
    from snan_nav.agents.registry import params_class, SNAN_NAMES
    from snan_nav.core.params import SNANParams
    document = read_document(path)
    if not isinstance(document, Mapping):
        raise ConfigError(f'parameter file {path} must contain a YAML mapping at top level')
    baselines = _baseline_blocks(agents)
    # Top-level baseline blocks are not SNAN fields (snn_block's flat layout would take them).
    stripped = {k: v for k, v in document.items() if k not in baselines}
    out: Dict[str, object] = {}
    try:
        snan = SNANParams.from_mapping(snn_block(stripped))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f'parameter file {path}: {exc}') from None
    for name in agents:
        if name in SNAN_NAMES:
            out[name] = snan
        elif name in baselines:
            block = agent_block(document, name)
            if block:
                try:
                    out[name] = params_class(name).from_mapping(block)
                except (TypeError, ValueError) as exc:
                    raise ConfigError(f'parameter file {path}, block {name}: {exc}') from None
    return out
