"""Reading SNAN parameters from the same YAML file the ROS nodes use.

Accepted layouts (first match wins):

1. ROS 2 parameter file: ``snan_navigator: {ros__parameters: {snn: {tau_m_ms: 10.0, ...}}}``
   (also under ``/**`` or a namespaced node key ending in ``snan_navigator``); dotted keys
   ``snn.tau_m_ms`` work too;
2. a mapping with a top-level ``snn:`` block;
3. a flat mapping of SNAN field names (a ``crossbar:`` block beside them is allowed).

The crossbar settings (:func:`load_crossbar_config`) are read from the same places, under
``crossbar:`` with the groups ``array``, ``device`` and ``energy``.
"""
from typing import Any, Mapping, Optional

import yaml

from snan_nav.core.params import SNANParams

NODE_NAME = 'snan_navigator'
PREFIX = 'snn'


class ConfigError(ValueError):
    """A parameter file that cannot be used (missing, unparsable or invalid values)."""


def _navigator_sections(document: Mapping[str, Any]) -> list:
    """Return the ``ros__parameters`` mappings that apply to the navigator, in file order."""
    if not isinstance(document, Mapping):
        raise ConfigError('the parameter file must contain a YAML mapping at top level')
    return [section.get('ros__parameters', {}) or {} for key, section in document.items()
            if isinstance(section, Mapping) and (
                key == '/**' or str(key).rstrip('/').split('/')[-1] == NODE_NAME)]


def snn_block(document: Mapping[str, Any]) -> dict:
    """Return the SNAN field mapping found in a parsed parameter document (may be empty)."""
    for params in _navigator_sections(document):
        found = _extract(params)
        if found:
            return found
    if any(isinstance(v, Mapping) and 'ros__parameters' in v for v in document.values()):
        return {}
    return _extract(document) or {k: v for k, v in document.items()
                                  if k not in (PREFIX, 'crossbar')}


def _extract(params: Mapping[str, Any]) -> dict:
    out = {}
    nested = params.get(PREFIX)
    if isinstance(nested, Mapping):
        out.update(nested)
    for key, value in params.items():
        if isinstance(key, str) and key.startswith(PREFIX + '.'):
            out[key[len(PREFIX) + 1:]] = value
    return out


def read_document(path: str):
    """Return the parsed YAML of ``path`` ({} for an empty file); raise :class:`ConfigError`."""
    try:
        with open(path, 'r', encoding='utf-8') as handle:
            document = yaml.safe_load(handle)
    except OSError as exc:
        raise ConfigError(f'cannot read parameter file {path}: {exc.strerror}') from None
    except yaml.YAMLError as exc:
        raise ConfigError(f'parameter file {path} is not valid YAML: {exc}') from None
    return {} if document is None else document


def _load(path: str, build):
    """Return ``build(document)``; any problem becomes a :class:`ConfigError` naming the file."""
    try:
        return build(read_document(path))
    except ConfigError:
        raise
    except (TypeError, ValueError) as exc:
        raise ConfigError(f'parameter file {path}: {exc}') from None


def load_snan_params(path: str) -> SNANParams:
    """Load :class:`SNANParams` from a YAML file; raise :class:`ConfigError` on any problem."""
    return _load(path, lambda doc: SNANParams.from_mapping(snn_block(doc)))


def crossbar_block(document: Mapping[str, Any]) -> dict:
    """Return the nested ``crossbar`` mapping of a parameter document (may be empty).

    Looks in the navigator's ``ros__parameters`` first (nested or dotted
    ``crossbar.<group>.<field>`` keys), then at top level.
    """
    sources = _navigator_sections(document) + [document]
    out: dict = {}
    for params in sources:
        nested = params.get('crossbar') if isinstance(params, Mapping) else None
        if isinstance(nested, Mapping):
            for group, values in nested.items():
                out.setdefault(group, {}).update(values or {})
        for key, value in (params.items() if isinstance(params, Mapping) else ()):
            parts = str(key).split('.')
            if len(parts) == 3 and parts[0] == 'crossbar':
                out.setdefault(parts[1], {})[parts[2]] = value
    return out


def load_crossbar_config(path: Optional[str]):
    """Load the crossbar configuration from a YAML file (defaults when ``path`` is None)."""
    from snan_nav.crossbar.config import CrossbarConfig  # lazy: the crossbar pulls in numba
    if path is None:
        return CrossbarConfig()
    return _load(path, lambda doc: CrossbarConfig.from_mapping(crossbar_block(doc)))
