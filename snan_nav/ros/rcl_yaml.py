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
"""Parse a ROS 2 parameter YAML file the way rcl's ``rcl_yaml_param_parser`` does (no ROS).

PyYAML only tokenises the file (``yaml.parse`` events); every decision rcl takes is taken here
the same way, so that ``snan-nav sim``/``bench`` and the launch files see exactly the values
the nodes will get:

- keys above ``ros__parameters`` (any key *starting* with it) are node names; nested keys join
  with ``/`` into one name (``ns: {node: ...}`` is ``ns/node``), validated like rcl (tokens of
  letters, digits and ``_`` not starting with a digit; ``*`` and ``**`` allowed);
- each distinct name is one *section*, kept in the order of its first appearance in the file;
  a name that appears again adds to (and overrides in) its first section;
- below ``ros__parameters`` nested mappings become dotted names; an empty mapping or sequence
  is a parameter without value (None);
- a flat key given twice in one section keeps one value per type, as rcl's variant does, and
  the node gets the first of bool, integer, double, string, then the arrays in that order
  (``a: 1`` then ``a: 1.0`` gives 1; ``a: 1`` then ``a: 2`` gives 2); a key inside a nested
  mapping is a new entry each time (the last one wins) (:class:`Section`);
- scalars are typed as rcl types them, not as YAML 1.1 does: quoted (or ``!!str``) is a
  string; ``true/True/TRUE/yes/Yes/YES/y/Y/on/On/ON`` (and the false forms) are bools; then
  C ``strtol`` (base 0: ``010`` is 8, ``0x10`` is 16) gives an integer, C ``strtod`` a double
  (``1e-3`` is a double, ``1e999`` and ``1_000`` are strings); anything else is a string;
- sequences hold scalars of one type; aliases, an empty value and a value above
  ``ros__parameters`` are errors.

Errors are :class:`RclYamlError` with the line number (1-based) and rcl's reason in words.
"""
import re
from typing import Dict, Sequence, Tuple

import yaml

from snan_nav.ros.rcl_values import assign, kind_of, scalar_value, Section

PARAMS_KEY = 'ros__parameters'
_TOKEN = re.compile(r'[A-Za-z_][A-Za-z0-9_]*|\*|\*\*')
_STR_TAG = 'tag:yaml.org,2002:str'


class RclYamlError(ValueError):
    """A parameter file rcl would refuse; ``line`` is 1-based (0: unknown)."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(f'line {line}: {message}' if line else message)
        self.line = line


def _validate_name(name: str, line: int) -> None:
    """Raise unless ``name`` is a node name rcl accepts (``ns/.../node``, wildcards allowed)."""
    if name == '/**':
        return
    namespace, _, node = name.rpartition('/')
    if not node:
        raise RclYamlError(f'node name in {name!r} must not be empty', line)
    if '//' in name:
        raise RclYamlError(f'{name!r} contains a repeated forward slash', line)
    for token in [t for t in namespace.split('/') if t] + [node]:
        if not _TOKEN.fullmatch(token):
            raise RclYamlError(
                f'{name!r}: a node name or namespace token must be * or **, or letters, '
                f'digits and _ not starting with a digit; {token!r} is not', line)


class _Builder:
    """Turns the parser's events into sections, following rcl's state machine."""

    def __init__(self, bare_node: str = ''):
        self.sections: Dict[str, Section] = {}
        self.sources: Dict[str, str] = {}
        self.bare_node = bare_node
        self.source = ''
        self.events = iter(())

    def feed(self, events, source: str = '') -> None:
        """Read one file's events on top of what earlier files gave (rcl's --params-file)."""
        self.events, self.source = iter(events), source
        self.run()

    def next(self):
        event = next(self.events)
        if isinstance(event, yaml.AliasEvent):
            raise RclYamlError('aliases (*name) are not supported in parameter files',
                               event.start_mark.line + 1)
        return event

    def run(self) -> None:
        while True:
            event = self.next()
            if isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.MappingStartEvent) and self.bare_node:
                self.param_map(self.section(self.bare_node, event.start_mark.line + 1))
            elif isinstance(event, yaml.MappingStartEvent):
                self.node_level('')
            elif isinstance(event, yaml.ScalarEvent):
                if event.value != '' or event.style:
                    raise RclYamlError('the file must hold a mapping of node names',
                                       event.start_mark.line + 1)
            elif isinstance(event, yaml.SequenceStartEvent):
                raise RclYamlError('the file must hold a mapping of node names, not a list',
                                   event.start_mark.line + 1)

    def node_level(self, prefix: str) -> None:
        """Read the keys of a mapping above ``ros__parameters`` (node names, namespaces)."""
        while True:
            event = self.next()
            if isinstance(event, yaml.MappingEndEvent):
                return
            line = event.start_mark.line + 1
            if not isinstance(event, yaml.ScalarEvent):
                raise RclYamlError('node names must be plain keys', line)
            if event.value == '':
                raise RclYamlError('empty key', line)
            if event.value.startswith(PARAMS_KEY):
                if not prefix:
                    raise RclYamlError(f'there is no node name before {PARAMS_KEY}', line)
                self.params_block(prefix, line)
                continue
            name = prefix + event.value if not prefix or prefix.endswith('/') else \
                f'{prefix}/{event.value}'
            value = self.next()
            if isinstance(value, yaml.MappingStartEvent):
                self.node_level(name)
            else:
                raise RclYamlError(f'{name}: a value before {PARAMS_KEY} (node sections '
                                   f'look like "{name}: {{{PARAMS_KEY}: {{...}}}}")',
                                   value.start_mark.line + 1)

    def section(self, name: str, line: int) -> Section:
        _validate_name(name, line)
        if name not in self.sections:
            self.sections[name] = Section(name, line)
            self.sources[name] = self.source
        return self.sections[name]

    def params_block(self, name: str, line: int) -> None:
        section = self.section(name, line)
        event = self.next()
        if isinstance(event, yaml.MappingStartEvent):
            self.param_map(section)
        else:
            raise RclYamlError(f'{name}: {PARAMS_KEY} must be a mapping (write '
                               f'"{PARAMS_KEY}: {{}}" for none)', event.start_mark.line + 1)

    def param_map(self, section: Section) -> None:
        """Read the mapping under ``ros__parameters`` exactly as rcl's state machine does.

        ``ns`` is rcl's parameter namespace and ``count`` its number of parts: the first key
        of a nested mapping makes the entry read before it the namespace, the end of a
        mapping drops one dotted part (or, with none left, leaves ``ros__parameters``).
        """
        ns, count, new_map, entry, depth, left = '', 0, False, None, 1, None
        while True:
            event = self.next()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.MappingEndEvent):
                depth -= 1
                if depth == 0:
                    return
                if left is None and count:
                    ns, count = (ns.rsplit('.', 1)[0] if count > 1 else ''), count - 1
                elif left is None:
                    left = entry[0]
                continue
            if not isinstance(event, yaml.ScalarEvent):
                raise RclYamlError('parameter names must be plain keys, not lists or mappings',
                                   line)
            if left is not None:
                raise RclYamlError(f'{left}: rcl reads no parameter after this empty mapping '
                                   '(remove it or move it last)', line)
            if event.value == '':
                raise RclYamlError('empty parameter name', line)
            if new_map:
                ns, count, new_map = entry[0], count + 1, False
            if ns:
                entry = section.entry(ns, line)
                entry[0] = f'{ns}.{event.value}'
            else:
                entry = section.entry(event.value, line)
            value = self.next()
            vline = value.start_mark.line + 1
            if isinstance(value, yaml.MappingStartEvent):
                depth, new_map = depth + 1, True
            elif isinstance(value, yaml.SequenceStartEvent):
                assign(entry, self.sequence(entry[0], vline), vline)
            else:
                assign(entry, self.scalar(entry[0], value), vline)

    @staticmethod
    def scalar(name: str, event):
        quoted = bool(event.style) and event.style in '\'"'
        if event.value == '' and not quoted:
            raise RclYamlError(f'{name}: no value', event.start_mark.line + 1)
        return scalar_value(event.value, quoted or event.tag == _STR_TAG)

    def sequence(self, name: str, line: int):
        values = []
        while True:
            event = self.next()
            if isinstance(event, yaml.SequenceEndEvent):
                break
            if not isinstance(event, yaml.ScalarEvent):
                raise RclYamlError(f'{name}: arrays hold scalars only', line)
            values.append(self.scalar(name, event))
        kinds = {kind_of(v) for v in values}
        if len(kinds) > 1:
            raise RclYamlError(f'{name}: the values of an array must have one type, got '
                               f'{" and ".join(sorted(kinds))}', line)
        return values or None


def _events(text: str) -> list:
    try:
        return list(yaml.parse(text, Loader=yaml.SafeLoader))  # YAML errors come first
    except yaml.YAMLError as exc:
        mark = getattr(exc, 'problem_mark', None)
        problem = getattr(exc, 'problem', None) or str(exc)
        raise RclYamlError(f'not valid YAML: {problem}',
                           mark.line + 1 if mark is not None else 0) from None


def parse_sections(text: str, bare_node: str = '') -> Tuple[Section, ...]:
    """Return the node sections of parameter-file ``text`` in rcl's order (see the module).

    With ``bare_node`` the top-level mapping is read as that node's ``ros__parameters``.
    Raises :class:`RclYamlError` for text rcl would refuse (with the line) and for invalid
    YAML.
    """
    builder = _Builder(bare_node)
    builder.feed(_events(text))
    return tuple(builder.sections.values())


def parse_files(texts: Sequence[Tuple[str, str]]) -> Tuple[Tuple[Section, ...], Tuple[str, ...]]:
    """Read several files as rcl reads several ``--params-file`` (one list of sections).

    ``texts`` holds ``(source, text)`` in command-line order; returns the sections and the
    source of each section's first appearance. Raises :class:`RclYamlError` whose message
    starts with the source.
    """
    builder = _Builder()
    for source, text in texts:
        try:
            builder.feed(_events(text), source)
        except RclYamlError as exc:
            raise RclYamlError(f'{source}: {exc}') from None
    sections = tuple(builder.sections.values())
    return sections, tuple(builder.sources[s.name] for s in sections)
