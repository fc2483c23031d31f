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
"""Where numba keeps snan_nav's compiled kernels: one directory per version of their sources.

numba's on-disk cache (``cache=True``) checks only the source file of the function it loads,
not the modules that function calls into: after an edit of ``core/race.py`` the cached
``decision_kernel`` of ``core/network.py`` still runs the old race (numba issue #6845), so an
edited rule silently does not run. :func:`configure` (run when ``snan_nav`` is imported) points
numba's cache at ``<base>/snan_nav-<stamp>``, ``stamp`` a digest of the kernel sources; ``base``
is ``NUMBA_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/snan_nav/numba`` (``~/.cache/...``).
Any change to those sources gets a fresh directory (one full compile, about 15 s); identical
sources share it, across clones and processes. Child processes inherit the directory through
``NUMBA_CACHE_DIR`` and keep it.
"""
import hashlib
import os
import sys
from typing import MutableMapping, Optional

#: Package folders whose modules define or call numba kernels.
KERNEL_DIRS = ('core', 'crossbar', 'agents', 'world')
PREFIX = 'snan_nav-'
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def source_stamp(package_dir: str = PACKAGE_DIR) -> str:
    """Return a digest (16 hex digits) of the ``.py`` files in the kernel folders."""
    digest = hashlib.blake2b(digest_size=8)
    for folder in KERNEL_DIRS:
        root = os.path.join(package_dir, folder)
        if not os.path.isdir(root):
            continue
        for name in sorted(os.listdir(root)):
            if name.endswith('.py'):
                with open(os.path.join(root, name), 'rb') as handle:
                    digest.update(f'{folder}/{name}\0'.encode())
                    digest.update(handle.read())
    return digest.hexdigest()


def default_base(environ: MutableMapping[str, str] = os.environ) -> str:
    """Return the cache base when ``NUMBA_CACHE_DIR`` is not set."""
    home = environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(home, 'snan_nav', 'numba')


def configure(environ: MutableMapping[str, str] = os.environ,
              stamp: Optional[str] = None) -> str:
    """Point numba's cache at this version's directory; return it.

    Sets ``environ['NUMBA_CACHE_DIR']`` (and numba's live setting if numba is imported). A
    directory already named ``snan_nav-<stamp>`` (inherited from a parent process) is kept,
    one named for other sources is replaced by this version's sibling.
    """
    tag = PREFIX + (stamp if stamp is not None else source_stamp())
    base = environ.get('NUMBA_CACHE_DIR', '').rstrip(os.sep)
    if base and os.path.basename(base).startswith(PREFIX):
        base = os.path.dirname(base)
    path = os.path.join(base or default_base(environ), tag)
    environ['NUMBA_CACHE_DIR'] = path
    config = sys.modules.get('numba.core.config')
    if config is not None and environ is os.environ:
        config.CACHE_DIR = path
    return path
