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
"""Move a refused file aside under a name that never overwrites an earlier one.

A memory file that cannot be used is kept (it may be the only copy of a robot's learning)
under ``<path>.corrupt``, or ``<path>.corrupt.1``, ``.2``, ... when those exist. The move is
race-free: a hard link claims the new name (``link`` fails if the name exists) before the old
name is removed; where hard links are not supported, an exclusively created placeholder claims
the name and the file is renamed over that placeholder.
"""
import errno
import os

from snan_nav.persistence.atomic import fsync_directory

QUARANTINE_SUFFIX = '.corrupt'
MAX_QUARANTINE_SLOTS = 10000
_NO_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS)


def quarantine_candidates(path: str):
    """Yield ``<path>.corrupt``, ``<path>.corrupt.1``, ``<path>.corrupt.2``, ..."""
    yield path + QUARANTINE_SUFFIX
    for index in range(1, MAX_QUARANTINE_SLOTS):
        yield f'{path}{QUARANTINE_SUFFIX}.{index}'


def _claim_by_placeholder(path: str, target: str) -> bool:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    os.replace(path, target)  # replaces only the placeholder this call created
    return True


def quarantine(path: str) -> str:
    """Move the file at ``path`` to the first free quarantine name; return that name.

    Raises ``OSError`` when the file cannot be moved (it then stays where it is) and
    ``FileExistsError`` when all :data:`MAX_QUARANTINE_SLOTS` names are taken.
    """
    path = os.fspath(path)
    use_links = True
    for target in quarantine_candidates(path):
        if use_links:
            try:
                os.link(path, target)
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in _NO_LINKS:
                    raise
                use_links = False
            else:
                os.unlink(path)
                fsync_directory(os.path.dirname(os.path.abspath(path)))
                return target
        if _claim_by_placeholder(path, target):
            fsync_directory(os.path.dirname(os.path.abspath(path)))
            return target
    raise FileExistsError(errno.EEXIST, f'all {MAX_QUARANTINE_SLOTS} quarantine names of '
                          f'{path} are taken', path)
