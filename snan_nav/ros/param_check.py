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
"""Strict checking of parameter files against the one declaration of every parameter (no ROS).

``snan-nav sim``, ``snan-nav bench`` and the launch files read a file with
:mod:`snan_nav.ros.param_file` and check it here before anything starts:

- *unknown* names: a section that applies to none of the package's nodes (a misspelled node
  name), or a key that no node the section applies to declares (``control_frequncy``,
  ``snn.tau_ca_msx``); each is reported with its file, line and the closest valid name;
- *invalid* values: wrong type (``1`` for a double), out of range, not one of the choices, or
  inconsistent (``snn.v_reset`` above ``snn.v_threshold``), with the allowed values.

Invalid values are always errors; unknown names are errors unless the caller allows them
(``--allow-unknown``), then warnings. A key under ``/**`` is unknown only when no node
declares it.
"""
import difflib
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

from snan_nav.ros import ros_params
from snan_nav.ros.param_file import (fqn, node_overrides, ParamDocument, ParamFileError,
                                     section_matches)
from snan_nav.ros.ros_params import NodeParam

#: Parameters rclpy declares on every node (they are known, and their types are checked).
IMPLICIT_PARAMS = (
    NodeParam('use_sim_time', False, 'follow the /clock topic instead of the system clock'),
    NodeParam('start_type_description_service', True, 'offer ~/get_type_description'),
)


class NodeSpec(NamedTuple):
    """A node a file may configure: its name, declarations and whole-set check (or None)."""

    name: str
    params: Tuple[NodeParam, ...]
    validate: Optional[Callable[[Dict[str, Any]], Optional[str]]] = None

    def known(self, name: str) -> bool:
        """Return True when this node declares ``name`` (or rclpy does)."""
        return name in self.by_name() or ros_params.is_implicit(name)

    def by_name(self) -> Dict[str, NodeParam]:
        """Return the declarations (implicit ones included) by name."""
        return ros_params.by_name(self.params + IMPLICIT_PARAMS)


class CheckResult(NamedTuple):
    """Problems found in a document, and the checked values per node name.

    ``unknown`` and ``invalid`` hold one message per problem (file, line, name, reason);
    ``values`` the known parameters each node gets (invalid ones included).
    """

    unknown: Tuple[str, ...]
    invalid: Tuple[str, ...]
    values: Dict[str, Dict[str, Any]]


def package_nodes() -> Tuple[NodeSpec, ...]:
    """Return the specs of ``snan_navigator`` and ``grid_sim``."""
    from snan_nav.ros.navigator_params import ALL_PARAMS, NODE_NAME, validate
    from snan_nav.ros.sim_params import NODE_NAME as SIM_NAME, SIM_PARAMS
    return (NodeSpec(NODE_NAME, ALL_PARAMS, validate), NodeSpec(SIM_NAME, SIM_PARAMS))


def _where(source: str, line: int) -> str:
    return f'{source} line {line}' if line else source


def check_document(doc: ParamDocument, nodes: Sequence[NodeSpec],
                   namespace: str = '/') -> CheckResult:
    """Check ``doc`` for ``nodes`` living in ``namespace`` (see the module docstring)."""
    unknown: List[str] = []
    invalid: List[str] = []
    names = [n.name for n in nodes]
    for i, section in enumerate(doc.sections):
        where = _where(doc.section_source(i), section.line)
        matched = [n for n in nodes if section_matches(section.name, fqn(n.name, namespace))]
        if not matched:
            unknown.append(f"{where}: section '{section.name}' applies to no node here "
                           f"({', '.join(names)})"
                           f"{ros_params.suggest(section.name.rsplit('/', 1)[-1], names)}")
            continue
        for key in section.params:
            if not any(n.known(key) for n in matched):
                candidates = [p for n in matched for p in n.by_name()]
                unknown.append(
                    f"{_where(doc.section_source(i), section.lines.get(key, 0))}: unknown "
                    f"parameter '{key}' in section '{section.name}' (for "
                    f"{', '.join(n.name for n in matched)})"
                    f'{ros_params.suggest(key, candidates)}')
    values: Dict[str, Dict[str, Any]] = {}
    for node in nodes:
        declared = node.by_name()
        given = {k: o for k, o in node_overrides(doc, node.name, namespace).items()
                 if k in declared}
        problems = [f'{_where(o.source, o.line)}: {node.name}: {reason}'
                    for k, o in given.items()
                    for reason in [ros_params.check(declared[k], o.value)] if reason]
        values[node.name] = {k: o.value for k, o in given.items()}
        if not problems and node.validate is not None:
            reason = node.validate(values[node.name])
            if reason:
                problems.append(f'{doc.sources[0] if doc.sources else "parameters"}: '
                                f'{node.name}: {reason}')
        invalid += problems
    return CheckResult(tuple(unknown), tuple(invalid), values)


def checked_values(doc: ParamDocument, nodes: Sequence[NodeSpec], allow_unknown: bool = False,
                   namespace: str = '/',
                   warn: Callable[[str], None] = lambda _text: None) -> Dict[str, Dict[str, Any]]:
    """Return ``{node name: values}`` of a strictly checked ``doc``.

    Raises :class:`ParamFileError` listing every invalid value, and every unknown name unless
    ``allow_unknown`` (then each is passed to ``warn``).
    """
    result = check_document(doc, nodes, namespace)
    errors = list(result.invalid)
    if allow_unknown:
        for text in result.unknown:
            warn(f'warning: {text}')
    else:
        errors += list(result.unknown)
    if errors:
        count = f'{len(errors)} problems: ' if len(errors) > 1 else ''
        hint = (' (--allow-unknown runs with unknown names ignored)'
                if result.unknown and not allow_unknown else '')
        raise ParamFileError(count + '; '.join(errors) + hint)
    return result.values


def stray_sections(doc: ParamDocument, node_name: str, namespace: str = '/') -> List[str]:
    """Return warnings for sections meant for this node that miss it (a started node's view).

    When no section of ``doc`` names this node (``/**`` alone does not count), a section
    whose node name is ``node_name`` or close to it but does not match this node (a typo,
    or ``snan_navigator`` for a node in ``/robot1``) is reported with what to write instead.
    """
    target = fqn(node_name, namespace)
    named = [s for s in doc.sections if s.name != '/**' and section_matches(s.name, target)]
    if named:
        return []
    out = []
    for i, section in enumerate(doc.sections):
        last = section.name.rsplit('/', 1)[-1]
        close = difflib.SequenceMatcher(None, last, node_name).ratio() >= 0.8
        if section_matches(section.name, target) or not close:
            continue
        hint = (f"; did you mean '{node_name}'?" if last != node_name else
                f"; write '/**/{node_name}' or '{target.lstrip('/')}' to reach it")
        out.append(f"{_where(doc.section_source(i), section.line)}: section "
                   f"'{section.name}' does not apply to this node ({target}){hint}")
    return out
