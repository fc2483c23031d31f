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
"""Checks the launch files run before they start any node (pure, no launch import).

A launch that starts some nodes and then fails on the next one (no rviz2, no map server, a
map that does not exist) used to leave the started ones running. The launch files therefore
ask these functions first and stop with the returned message (:class:`LaunchCheckError`)
before any process starts.
"""
import os
from typing import Iterable, List, Optional

from snan_nav.ros.param_file import node_parameters, ParamFileError, read_document

TRUE_WORDS = ('true', '1', 'yes', 'on')
FALSE_WORDS = ('false', '0', 'no', 'off')

#: Installable packages of the optional executables, for the error message.
APT_NAMES = {'nav2_map_server': 'ros-$ROS_DISTRO-nav2-map-server',
             'nav2_lifecycle_manager': 'ros-$ROS_DISTRO-nav2-lifecycle-manager',
             'rviz2': 'ros-$ROS_DISTRO-rviz2'}


class LaunchCheckError(RuntimeError):
    """A launch argument or a needed package is wrong: the message says which and why."""


def flag(name: str, text: str) -> bool:
    """Return the boolean launch argument ``name`` (true/false/1/0/yes/no/on/off)."""
    word = str(text).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise LaunchCheckError(f'{name}:={text!r} must be true or false')


def number(name: str, text: str, lo: float, hi: float) -> float:
    """Return the float launch argument ``name`` checked against ``[lo, hi]``."""
    try:
        value = float(text)
    except ValueError:
        raise LaunchCheckError(f'{name}:={text!r} is not a number') from None
    if not lo <= value <= hi:
        raise LaunchCheckError(f'{name}:={text} must lie in [{lo:g}, {hi:g}]')
    return value


def missing_packages(packages: Iterable[str]) -> List[str]:
    """Return the packages of ``packages`` that the ament index does not know."""
    from ament_index_python.packages import (get_package_share_directory,
                                             PackageNotFoundError)
    missing = []
    for package in packages:
        try:
            get_package_share_directory(package)
        except PackageNotFoundError:
            missing.append(package)
    return missing


def require_packages(packages: Iterable[str], purpose: str) -> None:
    """Raise when a package needed for ``purpose`` (e.g. ``use_rviz:=true``) is missing."""
    missing = missing_packages(packages)
    if missing:
        names = ' '.join(APT_NAMES.get(p, p) for p in missing)
        verb = 'is' if len(missing) == 1 else 'are'
        raise LaunchCheckError(f'{purpose} needs {", ".join(missing)}, which {verb} not '
                               f'installed (apt install {names}); nothing was started')


def params_document(path: str):
    """Return the parsed parameter file (rcl's rules) or raise with the reason."""
    try:
        return read_document(path)
    except ParamFileError as exc:
        raise LaunchCheckError(f'params_file:={path}: {exc}') from None


def params_warnings(path: str, doc, namespace: str) -> List[str]:
    """Check ``doc`` strictly for the package's nodes in ``namespace``; return the warnings.

    Invalid values raise (nothing starts); unknown names and sections that apply to no node
    are returned as warnings (the nodes would ignore them).
    """
    from snan_nav.ros.param_check import check_document, package_nodes
    result = check_document(doc, package_nodes(), '/' + namespace.strip('/'))
    if result.invalid:
        raise LaunchCheckError(f'params_file:={path}: ' + '; '.join(result.invalid)
                               + '; nothing was started')
    return [f'params_file:={path}: warning: {text}' for text in result.unknown]


def node_params(doc, name: str, namespace: str) -> dict:
    """Return the parameters the launch passes node ``name`` in ``namespace``.

    The root section's values first, then the namespaced one's: a file written for one robot
    serves any namespace.
    """
    params = node_parameters(doc, name)
    if namespace.strip('/'):
        params.update(node_parameters(doc, name, '/' + namespace.strip('/')))
    return params


def sim_map_problem(spec: str, seed: int = 0) -> Optional[str]:
    """Return why ``grid_sim`` could not load map ``spec`` (builtin:NAME or YAML), or None."""
    from snan_nav.world.builtin import resolve_map
    from snan_nav.world.map_io import MapError
    try:
        resolve_map(spec, seed)
    except (MapError, ValueError, OSError) as exc:
        return str(exc)
    return None


def server_map_problem(path: str) -> Optional[str]:
    """Return why nav2_map_server could not serve map YAML ``path``, or None."""
    from snan_nav.world.map_io import MapError, read_map_yaml
    try:
        settings = read_map_yaml(path)
    except MapError as exc:
        return str(exc)
    if not os.path.isfile(settings['image']):
        return f'map {path}: image {settings["image"]} does not exist'
    return None


def require_file(name: str, path: str) -> None:
    """Raise when launch argument ``name`` does not name an existing file."""
    if not os.path.isfile(path):
        raise LaunchCheckError(f'{name}:={path}: no such file; nothing was started')
