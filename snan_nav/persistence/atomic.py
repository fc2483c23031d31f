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
"""Crash-safe replacement of a file: temp file, fsync, rename, fsync of the directory.

The target is replaced by ``os.replace`` (an atomic rename on POSIX), so a reader sees either
the old complete file or the new complete file, never a mix, whatever moment the writer dies
at. The temp file lives in the target's directory (a rename cannot cross file systems) and is
named ``.<target name>.<pid>.<random>.tmp``, so temps left by a writer that was killed can be
recognised and removed once that process no longer exists.
"""
import errno
import os
import secrets
from typing import BinaryIO, Callable, List

TEMP_SUFFIX = '.tmp'


def fsync_directory(directory: str) -> None:
    """Flush a directory's entries (a rename in it) to disk; a no-op where unsupported."""
    try:
        fd = os.open(directory or '.', os.O_RDONLY | getattr(os, 'O_DIRECTORY', 0))
    except OSError:
        return  # platforms without directory handles: nothing more can be done
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _temp_prefix(path: str) -> str:
    return '.' + os.path.basename(path) + '.'


def temp_path_for(path: str) -> str:
    """Return a fresh temp path next to ``path`` that names this process."""
    directory = os.path.dirname(os.path.abspath(path))
    name = f'{_temp_prefix(path)}{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}'
    return os.path.join(directory, name)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OverflowError:
        return False
    return True


def temp_files_of(path: str) -> List[str]:
    """Return the temp files of :func:`atomic_write` calls on ``path`` found next to it."""
    directory = os.path.dirname(os.path.abspath(path))
    prefix = _temp_prefix(path)
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(os.path.join(directory, n) for n in names
                  if n.startswith(prefix) and n.endswith(TEMP_SUFFIX))


def stale_temp_files(path: str) -> List[str]:
    """Return the temp files of ``path`` whose writing process no longer exists."""
    prefix = _temp_prefix(path)
    stale = []
    for temp in temp_files_of(path):
        middle = os.path.basename(temp)[len(prefix):-len(TEMP_SUFFIX)]
        pid_text = middle.split('.', 1)[0]
        if pid_text.isdigit() and not _pid_alive(int(pid_text)):
            stale.append(temp)
    return stale


def remove_stale_temps(path: str) -> int:
    """Delete the temp files left next to ``path`` by writers that died; return how many."""
    removed = 0
    for temp in stale_temp_files(path):
        try:
            os.unlink(temp)
            removed += 1
        except FileNotFoundError:
            pass  # another cleaner was first
    return removed


def atomic_write(path: str, write: Callable[[BinaryIO], None], mode: int = 0o644) -> None:
    """Replace the file at ``path`` by what ``write(stream)`` writes, atomically and durably.

    Steps: create a temp file in the same directory (``mode`` minus the umask), let ``write``
    fill it, flush and fsync it, ``os.replace`` it onto ``path``, fsync the directory. On any
    exception the temp file is removed and ``path`` is untouched; a writer killed at any
    moment leaves ``path`` as it was before or as it is after, plus at most one temp file.
    """
    path = os.fspath(path)
    temp = temp_path_for(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, 'wb') as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    fsync_directory(os.path.dirname(os.path.abspath(path)))
