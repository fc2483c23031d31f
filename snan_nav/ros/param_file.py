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
"""The one reader of parameter files: which values a node gets, exactly as rcl decides (no ROS).

A file is parsed into node *sections* by :mod:`snan_nav.ros.rcl_yaml` (rcl's value typing,
section names and order). A node ``/ns/name`` gets the parameters of every section whose name
matches it, applied in section order (the order in which each name first appeared), later
sections overriding earlier ones; this is rclpy's and rclcpp's rule:

- a section name without a leading ``/`` gets one (``snan_navigator`` is ``/snan_navigator``,
  which matches the node ``snan_navigator`` in the root namespace only);
- ``/*`` matches one name token and ``/**`` any number of them: rcl replaces each ``/*`` by
  a regular expression for "a slash and one or more letters, digits or _" (so ``/**``
  becomes that group repeated) and matches the node's whole fully qualified name.

So for ``/**: {snn.tau_m_ms: 5.0}`` followed by ``snan_navigator: {snn.tau_m_ms: 12.0}`` the
node gets 12.0, and if ``snan_navigator`` came first in the file it would get 5.0. Several
files (``--params-file`` twice) behave as one file read in order (:func:`read_documents`).

The headless bench also accepts a *bare* file without any ``ros__parameters`` key: its
mapping is then the navigator's parameters (``bare_node``).
"""
from dataclasses import dataclass
import re
from typing import Any, Dict, NamedTuple, Optional, Sequence, Tuple

import yaml

from snan_nav.config import ConfigError
from snan_nav.ros.rcl_values import Section
from snan_nav.ros.rcl_yaml import PARAMS_KEY, parse_files, parse_sections, RclYamlError

#: Largest parameter file read (bytes): a parameter file is text of a few kilobytes.
MAX_FILE_BYTES = 16 * 1024 * 1024


class ParamFileError(ConfigError):
    """A parameter file that cannot be read or that rcl would refuse; names file and line."""


class Override(NamedTuple):
    """The value a node gets for one parameter and where it came from (section, file, line)."""

    value: Any
    section: str
    source: str
    line: int


@dataclass(frozen=True)
class ParamDocument:
    """Parsed parameter file(s): ``sections`` in rcl's order, each with its source file."""

    sections: Tuple[Section, ...] = ()
    sources: Tuple[str, ...] = ()

    def section_source(self, index: int) -> str:
        """Return the file section ``index`` came from."""
        return self.sources[index] if index < len(self.sources) else '<params>'


EMPTY = ParamDocument()


def _has_params_key(node) -> bool:
    if isinstance(node, yaml.MappingNode):
        return any((isinstance(k, yaml.ScalarNode) and str(k.value).startswith(PARAMS_KEY))
                   or _has_params_key(v) for k, v in node.value)
    if isinstance(node, yaml.SequenceNode):
        return any(_has_params_key(v) for v in node.value)
    return False


def _names_a_node(tree, node: str) -> bool:
    """Return True when a top-level key looks like a node section.

    Such a file missing ``ros__parameters`` is a ROS file with an error, not a bare file.
    """
    keys = [str(k.value) for k, _ in tree.value if isinstance(k, yaml.ScalarNode)]
    return any(k in (node, '/**', 'grid_sim') or '/' in k for k in keys)


def parse_document(text: str, source: str = '<params>',
                   bare_node: Optional[str] = None) -> ParamDocument:
    """Parse parameter-file ``text``; raise :class:`ParamFileError` naming source and line.

    With ``bare_node``, a mapping without any ``ros__parameters`` key is read as the
    ``ros__parameters`` of that node.
    """
    bare = ''
    if bare_node:
        try:
            tree = yaml.compose_all(text, Loader=yaml.SafeLoader)
            trees = [t for t in tree if t is not None]
        except yaml.YAMLError:
            trees = []   # parse_sections reports it with the line
        if trees and all(isinstance(t, yaml.MappingNode) for t in trees) and not any(
                _has_params_key(t) or _names_a_node(t, bare_node) for t in trees):
            bare = bare_node
    try:
        sections = parse_sections(text, bare)
    except RclYamlError as exc:
        raise ParamFileError(f'parameter file {source}: {exc}') from None
    return ParamDocument(sections, (source,) * len(sections))


def document_from_mapping(mapping, source: str = '<mapping>') -> ParamDocument:
    """Return the document of a parameter file given as nested dicts (written, then read)."""
    return parse_document(yaml.safe_dump(dict(mapping)), source)


def read_document(path: str, bare_node: Optional[str] = None) -> ParamDocument:
    """Read and parse the parameter file at ``path`` (see :func:`parse_document`)."""
    return parse_document(_read_text(path), path, bare_node)


def _read_text(path: str) -> str:
    """Return the UTF-8 text of the file at ``path`` or raise :class:`ParamFileError`."""
    try:
        with open(path, 'rb') as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ParamFileError(f'cannot read parameter file {path}: '
                             f'{exc.strerror or exc}') from None
    if len(data) > MAX_FILE_BYTES:
        raise ParamFileError(f'parameter file {path} is larger than {MAX_FILE_BYTES} bytes')
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as exc:
        raise ParamFileError(f'parameter file {path} is not UTF-8 text: {exc.reason} at byte '
                             f'{exc.start}') from None


def read_documents(paths: Sequence[str]) -> ParamDocument:
    """Read several files as rcl reads ``--params-file`` given in this order."""
    texts = [(path, _read_text(path)) for path in paths]
    try:
        sections, sources = parse_files(texts)
    except RclYamlError as exc:
        raise ParamFileError(f'parameter file {exc}') from None
    return ParamDocument(sections, sources)


def fqn(node_name: str, namespace: str = '/') -> str:
    """Return the fully qualified name ``/ns/name`` of node ``node_name`` in ``namespace``."""
    ns = '/' + namespace.strip('/') if namespace.strip('/') else ''
    return f'{ns}/{node_name}'


def section_matches(section_name: str, node_fqn: str) -> bool:
    """Return True when section ``section_name`` applies to the node ``node_fqn`` (rcl rule)."""
    name = section_name if section_name.startswith('/') else '/' + section_name
    return re.fullmatch(name.replace('/*', r'(/\w+)'), node_fqn) is not None


def node_overrides(doc: ParamDocument, node_name: str,
                   namespace: str = '/') -> Dict[str, Override]:
    """Return ``{parameter: Override}`` that ``doc`` gives node ``namespace/node_name``."""
    target = fqn(node_name, namespace)
    out: Dict[str, Override] = {}
    for i, section in enumerate(doc.sections):
        if section_matches(section.name, target):
            source = doc.section_source(i)
            for name, value in section.params.items():
                out[name] = Override(value, section.name, source, section.lines.get(name, 0))
    return out


def node_parameters(doc: ParamDocument, node_name: str, namespace: str = '/') -> Dict[str, Any]:
    """Return the flat ``{parameter: value}`` overrides ``doc`` gives node ``node_name``."""
    return {name: o.value for name, o in node_overrides(doc, node_name, namespace).items()}


def ros_param_files(args: Sequence[str]) -> Tuple[str, ...]:
    """Return the ``--params-file`` paths of the ``--ros-args`` sections of ``args``."""
    files, inside, expect = [], False, False
    for arg in args:
        if expect:
            files.append(arg)
            expect = False
        elif arg == '--ros-args':
            inside = True
        elif arg == '--' and inside:
            inside = False
        elif inside and arg == '--params-file':
            expect = True
    return tuple(files)
