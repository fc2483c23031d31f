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
"""Small helpers shared by the crossbar parameter dataclasses."""
from dataclasses import fields


def from_mapping(cls, values):
    """Construct dataclass ``cls`` from a mapping of field overrides; unknown keys are errors.

    ``None`` gives the defaults. Values are validated by the dataclass's ``__post_init__``.
    """
    if values is None:
        return cls()
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f'unknown {cls.__name__} key(s) {unknown}; known keys: {sorted(known)}')
    return cls(**dict(values))
