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


NODE_LEVEL, PARAMS_LEVEL = 1, 2


class _Namespace:
    """rcl's namespace tracker: a joined name and its number of parts (``sep`` joins them)."""

    def __init__(self, sep: str):
        self.sep, self.name, self.count = sep, '', 0

    def add(self, part: str) -> None:
        if self.count and not self.name.endswith(self.sep):
            self.name += self.sep
        self.name += part
        self.count += 1

    def drop(self) -> None:
        """Remove the last part (everything after the last separator; all of a single part)."""
        if self.count:
            self.name = self.name.rsplit(self.sep, 1)[0] if self.count > 1 else ''
            self.count -= 1

    def replace(self, name: str, count: int) -> None:
        self.name, self.count = name, count


class _Builder:
    """rcl's ``parse_file_events`` state machine over PyYAML's events (see the module).

    The same states, levels, depth counting and namespace bookkeeping as rcl, so that
    unusual files (empty mappings, repeated keys, values after an empty mapping) give what
    rcl gives, and files rcl refuses are refused.
    """

    def __init__(self, bare_node: str = ''):
        self.sections: Dict[str, Section] = {}
        self.sources: Dict[str, str] = {}
        self.bare_node = bare_node

    def feed(self, events, source: str = '') -> None:
        """Read one file's events on top of what earlier files gave (rcl's --params-file).

        The state machine starts afresh for every file; the sections are shared.
        """
        self.source = source
        self.level, self.depth = NODE_LEVEL, 0
        self.is_key, self.is_seq, self.new_map = True, False, False
        self.seq: list = []
        self.node_ns, self.param_ns = _Namespace('/'), _Namespace('.')
        self.section: Section = None
        self.param_idx = 0              # rcl keeps an index, valid in the current section
        for event in self._wrapped(events):
            self.handle(event)

    def _wrapped(self, events):
        """Yield the events; a bare file's root mapping is put under its node's parameters."""
        depth = 0
        for event in events:
            if self.bare_node and isinstance(event, yaml.MappingStartEvent) and depth == 0:
                mark = event.start_mark
                yield yaml.MappingStartEvent(None, None, True, mark, mark)
                for key in (self.bare_node, PARAMS_KEY):
                    yield yaml.ScalarEvent(None, None, (True, False), key, mark, mark)
                    if key == self.bare_node:
                        yield yaml.MappingStartEvent(None, None, True, mark, mark)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            yield event
            if self.bare_node and isinstance(event, yaml.MappingEndEvent) and depth == 0:
                mark = event.end_mark
                yield yaml.MappingEndEvent(mark, mark)
                yield yaml.MappingEndEvent(mark, mark)

    def handle(self, event) -> None:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise RclYamlError('aliases (*name) are not supported in parameter files', line)
        if isinstance(event, yaml.ScalarEvent):
            if self.depth == 0:     # rcl: "Uninitialized map level"
                raise RclYamlError(f'the file holds a single value ({event.value[:40]!r}), not '
                                   'a mapping of node names (node: ros__parameters: name: '
                                   'value)', line)
            if self.is_key:
                self.key(event.value, line)
                self.is_key = False
            else:
                self.value(event, line)
        elif isinstance(event, yaml.SequenceStartEvent):
            if self.is_key:
                raise RclYamlError('a list cannot be a key (the file must hold a mapping of '
                                   'node names)', line)
            if self.level < PARAMS_LEVEL:
                raise RclYamlError(f'a list before {PARAMS_KEY}', line)
            self.is_seq, self.seq = True, []
        elif isinstance(event, yaml.SequenceEndEvent):
            if self.section is not None and self.param_idx < len(self.section.entries):
                assign(self.entry, self.seq or None, line)
            self.is_seq, self.is_key = False, True
        elif isinstance(event, yaml.MappingStartEvent):
            self.depth += 1
            self.new_map = not (self.level == PARAMS_LEVEL and
                                self.depth - (self.node_ns.count + 1) == 2)
            self.is_key = True
        elif isinstance(event, yaml.MappingEndEvent):
            if self.level == PARAMS_LEVEL:
                if self.param_ns.count:
                    self.param_ns.drop()
                else:
                    self.level = NODE_LEVEL
            elif self.depth == self.node_ns.count + 1:
                self.node_ns.drop()
            self.depth -= 1

    def key(self, text: str, line: int) -> None:
        if text == '':
            raise RclYamlError('empty key', line)
        if self.level == NODE_LEVEL:
            if not text.startswith(PARAMS_KEY):
                self.node_ns.add(text)
                return
            if not self.node_ns.count:
                raise RclYamlError(f'there is no node name before {PARAMS_KEY}', line)
            name = self.node_ns.name
            _validate_name(name, line)
            if name not in self.sections:
                self.sections[name] = Section(name, line)
                self.sources[name] = self.source
            self.section = self.sections[name]
            self.node_ns.drop()
            self.level = PARAMS_LEVEL
            return
        if self.new_map:
            if self.param_idx >= len(self.section.entries):
                raise RclYamlError(f'{text}: a mapping here leaves no parameter to name it '
                                   '(rcl: internal error creating param namespace)', line)
            self.param_ns.replace(self.entry[0], self.param_ns.count + 1)
            self.new_map = False
        if self.param_ns.count:
            self.param_idx = self.section.index(self.param_ns.name, line)
            self.entry[0] = f'{self.param_ns.name}.{text}'
        else:
            self.param_idx = self.section.index(text, line)

    @property
    def entry(self) -> list:
        """Return the entry rcl's parameter index points at (in the current section)."""
        return self.section.entries[self.param_idx]

    def value(self, event, line: int) -> None:
        if self.level == PARAMS_LEVEL and not self.section.entries and event.value == '':
            raise RclYamlError(f'{self.section.name}: {PARAMS_KEY} must be a mapping (write '
                               f'"{PARAMS_KEY}: {{}}" for none)', line)
        if self.level < PARAMS_LEVEL or self.section is None or not self.section.entries:
            raise RclYamlError(f'a value before {PARAMS_KEY} (node sections look like '
                               f'"node: {{{PARAMS_KEY}: {{...}}}}")', line)
        quoted = bool(event.style) and event.style in '\'"'
        if event.value == '' and not quoted:
            raise RclYamlError(f'{self.entry[0]}: no value', line)
        value = scalar_value(event.value, quoted or event.tag == _STR_TAG)
        if not self.is_seq:
            assign(self.entry, value, line)
            self.is_key = True
        elif self.seq and kind_of(self.seq[0]) != kind_of(value):
            raise RclYamlError(f'{self.entry[0]}: the values of an array must have one type, '
                               f'got {kind_of(self.seq[0])} and {kind_of(value)}', line)
        else:
            self.seq.append(value)


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
