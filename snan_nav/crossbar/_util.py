"""Small helpers shared by the crossbar parameter dataclasses."""
from dataclasses import fields


def from_mapping(cls, values):
    """Construct dataclass ``cls`` from a mapping of field overrides; unknown keys are errors.

    ``None`` gives the defaults. Values are validated by the dataclass's ``__post_init__``.
    """
    if values is None:
        return cls()
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f'unknown {cls.__name__} key(s) {unknown}; known keys: {sorted(known)}')
    return cls(**dict(values))
