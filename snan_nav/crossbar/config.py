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
"""One record for the three crossbar parameter groups, and the synapses built from it.

Parameter files (and ROS parameters ``crossbar.<group>.<field>``) use three groups:
``array`` (:class:`CrossbarParams`), ``device`` (:class:`VteamParams`) and ``energy``
(:class:`EnergyParams`); any field left out keeps its default.
"""
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from snan_nav.crossbar.array import CrossbarParams
from snan_nav.crossbar.energy import EnergyParams
from snan_nav.crossbar.synapses import CrossbarSynapses
from snan_nav.crossbar.vteam import VteamParams

GROUPS = {'array': CrossbarParams, 'device': VteamParams, 'energy': EnergyParams}


@dataclass(frozen=True)
class CrossbarConfig:
    """Validated crossbar, device and energy parameters (see each class for units)."""

    array: CrossbarParams = field(default_factory=CrossbarParams)
    device: VteamParams = field(default_factory=VteamParams)
    energy: EnergyParams = field(default_factory=EnergyParams)

    def __post_init__(self):
        self.array.check_device(self.device)

    @classmethod
    def from_mapping(cls, values: Optional[Mapping[str, Any]]) -> 'CrossbarConfig':
        """Build from ``{'array': {...}, 'device': {...}, 'energy': {...}}`` (all optional)."""
        values = dict(values or {})
        unknown = sorted(set(values) - set(GROUPS))
        if unknown:
            raise ValueError(f'unknown crossbar group(s) {unknown}; valid: {sorted(GROUPS)}')
        parts = {}
        for name, kind in GROUPS.items():
            group = values.get(name) or {}
            if not isinstance(group, Mapping):
                raise ValueError(f'crossbar.{name} must be a mapping, got {group!r}')
            try:
                parts[name] = kind.from_mapping(group)
            except (TypeError, ValueError) as exc:
                raise ValueError(f'crossbar.{name}: {exc}') from None
        return cls(**parts)

    def build(self, n_places: int, seed: int) -> CrossbarSynapses:
        """Return fresh map synapses for ``n_places`` place cells (every device OFF)."""
        return CrossbarSynapses(n_places, self.array, self.device, self.energy, seed=seed)
