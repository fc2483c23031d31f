"""Reading SNAN parameters from the same YAML file the ROS nodes use.

Accepted layouts (first match wins):

1. ROS 2 parameter file: ``snan_navigator: {ros__parameters: {snn: {tau_m_ms: 10.0, ...}}}``
   (also under ``/**`` or a namespaced node key ending in ``snan_navigator``); dotted keys
   ``snn.tau_m_ms`` work too;
2. a mapping with a top-level ``snn:`` block;
3. a flat mapping of SNAN field names.
"""
from typing import Any, Mapping

import yaml

from snan_nav.core.params import SNANParams

NODE_NAME = 'snan_navigator'
PREFIX = 'snn'


class ConfigError(ValueError):
    """A parameter file that cannot be used (missing, unparsable or invalid values)."""


def snn_block(document: Mapping[str, Any]) -> dict:
    """Return the SNAN field mapping found in a parsed parameter document (may be empty)."""
    if not isinstance(document, Mapping):
        raise ConfigError('the parameter file must contain a YAML mapping at top level')
    for key, section in document.items():
        if key == '/**' or str(key).rstrip('/').split('/')[-1] == NODE_NAME:
            params = (section or {}).get('ros__parameters', {}) if isinstance(
                section, Mapping) else {}
            found = _extract(params)
            if found:
                return found
    if any(isinstance(v, Mapping) and 'ros__parameters' in v for v in document.values()):
        return {}
    return _extract(document) or {k: v for k, v in document.items() if k != PREFIX}


def _extract(params: Mapping[str, Any]) -> dict:
    out = {}
    nested = params.get(PREFIX)
    if isinstance(nested, Mapping):
        out.update(nested)
    for key, value in params.items():
        if isinstance(key, str) and key.startswith(PREFIX + '.'):
            out[key[len(PREFIX) + 1:]] = value
    return out


def load_snan_params(path: str) -> SNANParams:
    """Load :class:`SNANParams` from a YAML file; raise :class:`ConfigError` on any problem."""
    try:
        with open(path, 'r', encoding='utf-8') as handle:
            document = yaml.safe_load(handle)
    except OSError as exc:
        raise ConfigError(f'cannot read parameter file {path}: {exc.strerror}') from None
    except yaml.YAMLError as exc:
        raise ConfigError(f'parameter file {path} is not valid YAML: {exc}') from None
    if document is None:
        return SNANParams()
    try:
        return SNANParams.from_mapping(snn_block(document))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f'parameter file {path}: {exc}') from None
