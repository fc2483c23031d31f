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
"""How rcl types and keeps parameter values (no ROS): scalars, variants, node sections.

Typing: rcl's parser (``rcl_yaml_param_parser``) does not use YAML 1.1 resolution: a quoted scalar
(or one tagged ``!!str``) is a string; ``true/True/TRUE/yes/Yes/YES/y/Y/on/On/ON`` and the
false forms are bools; then C ``strtol`` with base 0 (``010`` is 8, ``0x10`` is 16) gives an
integer when it reads the whole text without overflow, C ``strtod`` a double (``1e-3``,
``.5``, ``5.``, ``inf``, ``nan``, hex floats; ``.inf``/``-.Inf``/``.nan`` too) when it reads
the whole text without over- or underflow; anything else is a string (``1_000``, ``1e999``,
``~``, ``null``).

Keeping: rcl stores each parameter of a node section in an *entry* with one slot per type (its
variant); :class:`Section` mirrors that, and rclpy reads the first type set (see
:data:`KIND_ORDER`).
"""
import math
import re
import sys
from typing import Any, Dict, List, Optional

_TRUE = frozenset('Y y yes Yes YES true True TRUE on On ON'.split())
_FALSE = frozenset('N n no No NO false False FALSE off Off OFF'.split())
_SPECIAL_FLOATS = frozenset(
    '.nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF'.split())
_STRTOL = re.compile(r'\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)')
_STRTOD = re.compile(r'\s*[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?'
                     r'|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?'
                     r'|(?i:inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?))')
_INT64 = (-2 ** 63, 2 ** 63 - 1)


def _strtol(text: str):
    """Return the int C ``strtol(text, 0)`` reads when it consumes all of ``text``, else None."""
    m = _STRTOL.fullmatch(text)
    if m is None:
        return None
    digits = m.group(2)
    if digits[:2] in ('0x', '0X'):
        value = int(digits[2:], 16)
    elif digits.startswith('0'):
        value = int(digits, 8)
    else:
        value = int(digits)
    value = -value if m.group(1) == '-' else value
    return value if _INT64[0] <= value <= _INT64[1] else None   # ERANGE


def _strtod(text: str):
    """Return the float C ``strtod`` reads when it consumes all of ``text``, else None.

    Like glibc, an overflow or an underflow (a non-zero number below the smallest normal
    double) sets ERANGE, which rcl treats as "not a double".
    """
    if _STRTOD.fullmatch(text) is None:
        return None
    body = text.strip()
    sign = -1.0 if body.startswith('-') else 1.0
    core = body.lstrip('+-')
    lowered = core.lower()
    if lowered.startswith(('inf', 'nan')):
        return sign * float('nan' if lowered.startswith('nan') else 'inf')
    try:
        value = float.fromhex(core) if lowered.startswith('0x') else float(core)
    except (OverflowError, ValueError):
        return None
    if math.isinf(value):
        return None
    mantissa = re.split(r'[eEpP]', core)[0]
    if value == 0.0 and re.search(r'[1-9a-fA-F]', mantissa.lower().replace('0x', '', 1)):
        return None
    if value != 0.0 and abs(value) < sys.float_info.min:
        return None
    return sign * value


def scalar_value(text: str, quoted: bool = False):
    """Return the value rcl gives a scalar: bool, int, float or str (see the module rules)."""
    if quoted:
        return text
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    number = _strtol(text)
    if number is not None:
        return number
    if text in _SPECIAL_FLOATS:
        return float(text.replace('.', '', 1))
    number = _strtod(text)
    return number if number is not None else text


def kind_of(value) -> str:
    """Return rcl's type name of a scalar value: bool, integer, double or string."""
    return {bool: 'bool', int: 'integer', float: 'double'}.get(type(value), 'string')


#: The order in which rcl's parameter variant is read: the first type set wins.
KIND_ORDER = ('bool', 'integer', 'double', 'string', 'bool_array', 'integer_array',
              'double_array', 'string_array')


class Section:
    """One node section: its name as rcl keys it, its first line and its parameter entries.

    rcl keeps a list of entries per node, each with one value slot per type; a flat key reuses
    the first entry of that name, a key inside a nested mapping always makes a new entry.
    :attr:`params` resolves them as rclpy does: each entry gives the first type set in
    :data:`KIND_ORDER`, and of entries with the same name the last one wins.
    """

    def __init__(self, name: str, line: int):
        self.name = name
        self.line = line
        self.entries: List[list] = []   # [name, {kind: value}, line]

    def index(self, name: str, line: int) -> int:
        """Return the index of the first entry called ``name`` (appended if there is none)."""
        for i, entry in enumerate(self.entries):
            if entry[0] == name:
                return i
        self.entries.append([name, {}, line])
        return len(self.entries) - 1

    def entry(self, name: str, line: int) -> list:
        """Return the first entry called ``name``, appending a new one if there is none."""
        return self.entries[self.index(name, line)]

    def add(self, name: str, value, line: int) -> None:
        """Store ``value`` in the entry ``name`` (a flat key: merged into an existing one)."""
        assign(self.entry(name, line), value, line)

    @property
    def params(self) -> Dict[str, Any]:
        """Return ``{dotted name: value}`` as a node gets it (None: no value)."""
        return {name: resolve(slots) for name, slots, _ in self.entries}

    @property
    def lines(self) -> Dict[str, int]:
        """Return the line each parameter's value comes from."""
        return {name: line for name, _, line in self.entries}


def value_kind(value) -> Optional[str]:
    """Return the rcl variant slot of a value (None: no slot, an empty array or mapping)."""
    if isinstance(value, list):
        return kind_of(value[0]) + '_array' if value else None
    return None if value is None else kind_of(value)


def assign(entry: list, value, line: int) -> None:
    """Set one type slot of an entry (rcl overwrites only the slot of the value's type)."""
    kind = value_kind(value)
    if kind is not None:
        entry[1][kind] = value
        entry[2] = line


def resolve(slots: Dict[str, Any]):
    """Return the value rclpy reads from a variant: the first type set in KIND_ORDER."""
    return next((slots[k] for k in KIND_ORDER if k in slots), None)
