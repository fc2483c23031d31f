"""ROS parameter declarations with descriptors, units, ranges and start-up validation.

Both nodes describe their parameters as :class:`NodeParam` tuples; :func:`declare` turns them
into ``ParameterDescriptor`` s (description with unit, range, read-only flag) and declares them,
raising :class:`StartupError` with one clear line when an override (e.g. from the YAML file)
has the wrong type or is out of range. The SNAN parameters ``snn.<name>`` come from
:data:`snan_nav.core.params.PARAM_SPECS`, so the core, the YAML and ROS never disagree.
"""
import math
import re
from typing import Any, Dict, Iterable, NamedTuple, Optional, Sequence, Tuple, TYPE_CHECKING

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


def snn_params() -> Tuple[NodeParam, ...]:
    """Return ``snn.<field>`` parameters for every :class:`SNANParams` field."""
    out = []
    for spec in PARAM_SPECS:
        default = spec.kind(spec.default)
        lo, hi = (int(spec.lo), int(spec.hi)) if spec.kind is int else (spec.lo, spec.hi)
        if spec.kind is bool:
            lo = hi = None
        out.append(NodeParam(SNN_PREFIX + spec.name, default, spec.description, spec.unit,
                             lo, hi, bool(spec.read_only)))
    return tuple(out)


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

    Checks what a descriptor cannot express (choices, NaN) on top of type and range.
    """
    kind = p.kind
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
