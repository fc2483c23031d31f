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
"""The emulated crossbar's settings as read-only ROS parameters ``crossbar.<group>.<field>``.

Defaults and descriptions (units included) come from the crossbar dataclasses
(:data:`snan_nav.crossbar.config.GROUPS`), so the declarations never drift from the model;
values are validated by :meth:`snan_nav.crossbar.config.CrossbarConfig.from_mapping`.
"""
import re
from typing import Any, Dict, Tuple

from snan_nav.ros.ros_params import NodeParam

CROSSBAR_PREFIX = 'crossbar.'


def _attribute_docs(cls) -> Dict[str, str]:
    """Return ``{field: description}`` from a numpy-style ``Attributes`` docstring section."""
    lines = (cls.__doc__ or '').splitlines()
    out: Dict[str, str] = {}
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == 'Attributes') + 2
    except StopIteration:
        return out
    names, text = [], []

    def flush():
        for name in names:
            out[name] = ' '.join(text).strip()

    for line in lines[start:]:
        stripped = line.strip()
        if not stripped:
            continue
        indent = len(line) - len(line.lstrip())
        if ' : ' in stripped and indent <= 4:
            flush()
            names = [n.strip() for n in stripped.split(' : ')[0].split(',')]
            text = []
        elif names:
            text.append(stripped)
    flush()
    return out


def crossbar_params() -> Tuple[NodeParam, ...]:
    """Return read-only ``crossbar.<group>.<field>`` parameters (array, device, energy).

    They configure the emulated VTEAM crossbar used with ``use_crossbar``; defaults and
    descriptions (units included) come from the crossbar dataclasses, validation from
    :meth:`snan_nav.crossbar.config.CrossbarConfig.from_mapping` at start-up.
    """
    from dataclasses import fields, MISSING
    from snan_nav.crossbar.config import GROUPS
    out = []
    for group, cls in GROUPS.items():
        docs = _attribute_docs(cls)
        for f in fields(cls):
            default = f.default if f.default is not MISSING else f.default_factory()
            text = docs.get(f.name) or f'{cls.__name__}.{f.name}'
            text = re.sub(r':\w+:`([^`]*)`', r'\1', text).replace('``', '')
            out.append(NodeParam(f'{CROSSBAR_PREFIX}{group}.{f.name}', default,
                                 text.rstrip('.'), read_only=True))
    return tuple(out)


def crossbar_values(values: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Return ``{group: {field: value}}`` from the ``crossbar.*`` entries of ``values``."""
    out: Dict[str, Dict[str, Any]] = {}
    for name, value in values.items():
        if name.startswith(CROSSBAR_PREFIX):
            group, field_name = name[len(CROSSBAR_PREFIX):].split('.', 1)
            out.setdefault(group, {})[field_name] = value
    return out
