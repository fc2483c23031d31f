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
"""ROS parameter declarations with descriptors, units, ranges and start-up validation.

Both nodes describe their parameters as :class:`NodeParam` tuples; :func:`declare` turns them
into ``ParameterDescriptor`` s (description with unit, range, read-only flag) and declares them,
raising :class:`StartupError` with one clear line when an override (e.g. from the YAML file)
has the wrong type or is out of range. The SNAN parameters ``snn.<name>`` come from
:data:`snan_nav.core.params.PARAM_SPECS`, so the core, the YAML and ROS never disagree.
"""
import difflib
import math
from typing import (Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple,
                    TYPE_CHECKING)

from snan_nav.core.params import PARAM_SPECS

if TYPE_CHECKING:
    from rcl_interfaces.msg import ParameterDescriptor

SNN_PREFIX = 'snn.'
INT32_MAX = 2 ** 31 - 1


class StartupError(RuntimeError):
    """A node refuses to start; the message is one line naming the problem."""


class NodeParam(NamedTuple):
    """One ROS parameter: ``lo <= value <= hi`` when given, ``choices`` for strings."""

    name: str
    default: Any
    description: str
    unit: str = ''
    lo: Optional[float] = None
    hi: Optional[float] = None
    read_only: bool = False
    choices: Tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """Return the ROS type name: bool, integer, double, string or integer_array."""
        if isinstance(self.default, bool):
            return 'bool'
        if isinstance(self.default, int):
            return 'integer'
        if isinstance(self.default, float):
            return 'double'
        if isinstance(self.default, str):
            return 'string'
        return 'integer_array'


def spec_params(prefix: str, specs, read_only: Optional[bool] = None) -> Tuple[NodeParam, ...]:
    """Return ``<prefix><field>`` parameters for :class:`~snan_nav.core.params.ParamSpec` s.

    ``read_only`` overrides every spec's own flag when given.
    """
    out = []
    for spec in specs:
        default = spec.kind(spec.default)
        lo, hi = (int(spec.lo), int(spec.hi)) if spec.kind is int else (spec.lo, spec.hi)
        if spec.kind is bool:
            lo = hi = None
        flag = bool(spec.read_only) if read_only is None else read_only
        out.append(NodeParam(prefix + spec.name, default, spec.description, spec.unit,
                             lo, hi, flag))
    return tuple(out)


def snn_params() -> Tuple[NodeParam, ...]:
    """Return ``snn.<field>`` parameters for every :class:`SNANParams` field."""
    return spec_params(SNN_PREFIX, PARAM_SPECS)


def descriptor(p: NodeParam) -> 'ParameterDescriptor':
    """Return the ParameterDescriptor of ``p`` (description with unit, range, read-only)."""
    # ROS imports stay inside: the declarations must import without rclpy.
    from rcl_interfaces.msg import (FloatingPointRange, IntegerRange, ParameterDescriptor,
                                    ParameterType)
    unit = f' [{p.unit}]' if p.unit else ''
    d = ParameterDescriptor(name=p.name, description=p.description + unit,
                            read_only=p.read_only)
    kind = p.kind
    d.type = {'bool': ParameterType.PARAMETER_BOOL, 'integer': ParameterType.PARAMETER_INTEGER,
              'double': ParameterType.PARAMETER_DOUBLE,
              'string': ParameterType.PARAMETER_STRING,
              'integer_array': ParameterType.PARAMETER_INTEGER_ARRAY}[kind]
    if kind == 'double' and p.lo is not None:
        d.floating_point_range = [FloatingPointRange(from_value=float(p.lo),
                                                     to_value=float(p.hi), step=0.0)]
    elif kind == 'integer' and p.lo is not None:
        d.integer_range = [IntegerRange(from_value=int(p.lo), to_value=int(p.hi), step=1)]
    if p.choices:
        d.additional_constraints = 'one of: ' + ', '.join(p.choices)
    return d


def allowed(p: NodeParam) -> str:
    """Return the human-readable allowed values of ``p``."""
    unit = f' {p.unit}' if p.unit else ''
    if p.choices:
        return 'one of ' + ', '.join(p.choices)
    if p.lo is not None:
        return f'a {p.kind} in [{p.lo}, {p.hi}]{unit}'
    return f'a {p.kind}{unit}'


def check(p: NodeParam, value) -> Optional[str]:
    """Return why ``value`` is invalid for ``p`` (None when valid).

    Checks the type as ROS does (an integer for a double is refused), then what a descriptor
    cannot express (choices, NaN) on top of the range.
    """
    kind = p.kind
    if value is None:
        return f'{p.name} has no value (an empty list or mapping): must be {allowed(p)}'
    if kind == 'bool' and not isinstance(value, bool):
        return f'{p.name} = {value!r}: must be {allowed(p)} (true or false)'
    if kind == 'string' and not isinstance(value, str):
        return f'{p.name} = {value!r}: must be {allowed(p)} (quote it)'
    if kind == 'integer_array' and not (isinstance(value, (list, tuple)) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return f'{p.name} = {value!r}: must be a list of integers'
    if kind == 'double' and isinstance(value, int) and not isinstance(value, bool):
        return (f'{p.name} = {value!r}: wrong type, must be {allowed(p)} (write floats with a '
                'decimal point, e.g. 1.0)')
    if kind == 'double':
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f'{p.name} = {value!r}: must be {allowed(p)}'
        if not math.isfinite(float(value)):
            return f'{p.name} = {value!r}: must be finite, {allowed(p)}'
    if kind == 'integer' and (isinstance(value, bool) or not isinstance(value, int)):
        return f'{p.name} = {value!r}: must be {allowed(p)}'
    if p.lo is not None and kind in ('double', 'integer') and not p.lo <= value <= p.hi:
        return f'{p.name} = {value!r} is out of range: must be {allowed(p)}'
    if p.choices and value not in p.choices:
        return f'{p.name} = {value!r}: must be {allowed(p)}'
    return None


def declare(node, params: Iterable[NodeParam]) -> Dict[str, Any]:
    """Declare ``params`` on ``node`` (overrides applied); return ``{name: value}``.

    Raise :class:`StartupError` naming the parameter, its value and the allowed values when
    an override has the wrong type (YAML ``1`` for a double: write ``1.0``) or is invalid.
    """
    from rclpy.exceptions import (InvalidParameterTypeException,
                                  InvalidParameterValueException, ParameterException)
    values = {}
    overrides = getattr(node, '_parameter_overrides', {}) or {}
    for p in params:
        given = overrides.get(p.name)
        shown = repr(given.value) if given is not None else '?'
        try:
            value = node.declare_parameter(p.name, p.default, descriptor(p)).value
        except InvalidParameterTypeException:
            raise StartupError(f'invalid parameter {p.name} = {shown}: wrong type, must be '
                               f'{allowed(p)}{_float_hint(p)}') from None
        except InvalidParameterValueException:
            raise StartupError(f'invalid parameter {p.name} = {shown}: out of range, must be '
                               f'{allowed(p)}') from None
        except ParameterException as exc:
            raise StartupError(f'invalid parameter {p.name} = {shown}: {exc.args[0]}') from None
        reason = check(p, value)
        if reason:
            raise StartupError(f'invalid parameter {reason}')
        values[p.name] = value
    return values


#: Parameters rclpy declares on every node, and the prefix of QoS override parameters.
IMPLICIT_NAMES = ('use_sim_time', 'start_type_description_service')
QOS_PREFIX = 'qos_overrides.'


def is_implicit(name: str) -> bool:
    """Return True for a parameter rclpy itself declares (or a QoS override)."""
    return name in IMPLICIT_NAMES or name.startswith(QOS_PREFIX)


def suggest(name: str, candidates: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest of ``candidates`` ('' when none is).

    Dotted names are also compared by their last part, so ``tau_m_ms`` finds ``snn.tau_m_ms``.
    """
    names = sorted(set(candidates))
    best = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not best:
        tails = {}
        for full in names:
            tails.setdefault(full.rsplit('.', 1)[-1], full)
        near = difflib.get_close_matches(name.rsplit('.', 1)[-1], list(tails), n=1,
                                         cutoff=0.8)
        best = [tails[near[0]]] if near else []
    return f"; did you mean '{best[0]}'?" if best else ''


def unknown_overrides(node, declared: Iterable[str]) -> List[str]:
    """Return one warning per override given to ``node`` that it does not declare.

    rcl hands a node every parameter its files and ``-p`` give it; one the node never
    declares is silently unused, so a typo would go unnoticed.
    """
    known = set(declared)
    overrides = getattr(node, '_parameter_overrides', {}) or {}
    return [f"unknown parameter '{name}' for {node.get_fully_qualified_name()} (ignored)"
            f'{suggest(name, known)}'
            for name in sorted(overrides) if name not in known and not is_implicit(name)]


def _float_hint(p: NodeParam) -> str:
    return ' (write floats with a decimal point, e.g. 1.0)' if p.kind == 'double' else ''


def by_name(params: Sequence[NodeParam]) -> Dict[str, NodeParam]:
    """Index a parameter list by name."""
    return {p.name: p for p in params}


def markdown_table(params: Sequence[NodeParam]) -> str:
    """Return a Markdown table: name, type, default, range, unit, live/read-only, description."""
    rows = ['| parameter | type | default | range | unit | changes | description |',
            '|---|---|---|---|---|---|---|']
    for p in params:
        rng = ', '.join(p.choices) if p.choices else (
            f'[{p.lo}, {p.hi}]' if p.lo is not None else '')
        rows.append(f'| `{p.name}` | {p.kind} | `{p.default!r}` | {rng} | {p.unit} | '
                    f'{"read-only" if p.read_only else "live"} | {p.description} |')
    return '\n'.join(rows)
