"""Read a ROS 2 parameter YAML file into per-node overrides (no ROS imports).

Matches the rules of rcl's parameter files closely enough for this package: top-level keys are
node names or patterns (``/**`` any node, ``*`` one name token, ``**`` any number of tokens),
keys may nest namespaces (``ns: {node: {ros__parameters: ...}}``), every matching block is
applied in file order (later values win), nested mappings under ``ros__parameters`` become
dotted names (``snn: {tau_m_ms: 10.0}`` is ``snn.tau_m_ms``).
"""
from typing import Any, Dict, Iterator, List, Mapping, Tuple

from snan_nav.config import ConfigError, read_document

ROS_PARAMETERS = 'ros__parameters'


class ParamFileError(ConfigError):
    """A parameter file that cannot be read or has the wrong structure."""


def load_document(path: str) -> Mapping[str, Any]:
    """Parse the YAML file at ``path``; raise :class:`ParamFileError` with the reason."""
    try:
        doc = read_document(path)
    except ConfigError as exc:
        raise ParamFileError(str(exc)) from None
    if not isinstance(doc, Mapping):
        raise ParamFileError(f'parameter file {path} must hold a mapping of node names')
    return doc


def _blocks(doc: Mapping[str, Any], prefix: Tuple[str, ...] = ()
            ) -> Iterator[Tuple[Tuple[str, ...], Mapping[str, Any]]]:
    for key, value in doc.items():
        if not isinstance(value, Mapping):
            continue
        tokens = prefix + tuple(t for t in str(key).split('/') if t)
        if ROS_PARAMETERS in value:
            params = value[ROS_PARAMETERS]
            if params is None:
                params = {}
            if not isinstance(params, Mapping):
                raise ParamFileError(f'{"/".join(tokens)}: {ROS_PARAMETERS} must be a mapping')
            yield tokens, params
        else:
            yield from _blocks(value, tokens)


def _match(pattern: Tuple[str, ...], name: Tuple[str, ...]) -> bool:
    if not pattern:
        return not name
    head, rest = pattern[0], pattern[1:]
    if head == '**':
        return any(_match(rest, name[i:]) for i in range(len(name) + 1))
    if not name:
        return False
    return (head == '*' or head == name[0]) and _match(rest, name[1:])


def flatten(params: Mapping[str, Any], prefix: str = '') -> Dict[str, Any]:
    """Turn nested mappings into dotted parameter names."""
    out = {}
    for key, value in params.items():
        name = f'{prefix}{key}'
        if isinstance(value, Mapping):
            out.update(flatten(value, name + '.'))
        else:
            out[name] = value
    return out


def node_parameters(doc: Mapping[str, Any], node_name: str,
                    namespace: str = '/') -> Dict[str, Any]:
    """Return the flat ``{name: value}`` overrides the file gives node ``namespace/node_name``."""
    fqn = tuple(t for t in f'{namespace}/{node_name}'.split('/') if t)
    out: Dict[str, Any] = {}
    for tokens, params in _blocks(doc):
        if _match(tokens, fqn):
            out.update(flatten(params))
    return out


def node_names(doc: Mapping[str, Any]) -> List[str]:
    """Return the node keys (joined patterns) of a parameter document, in file order."""
    return ['/' + '/'.join(tokens) for tokens, _ in _blocks(doc)]
