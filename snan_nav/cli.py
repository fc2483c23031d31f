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
"""``snan-nav``: headless commands (bench, and the ones other modules register).

Each subcommand lives in its own module with ``add_parser(subparsers)`` (which must call
``set_defaults(func=run)``) and ``run(args) -> int``; list the module in :data:`SUBCOMMANDS`.
Bad input ends with exit code 2 and one ``snan-nav <cmd>: error: ...`` line on stderr.
"""
import argparse
import importlib
import json
import os
import sys
from typing import Optional, Sequence

#: Modules providing one subcommand each, in help order.
SUBCOMMANDS = (
    'snan_nav.bench.command',
    'snan_nav.bench.goals_command',
    'snan_nav.ros.sim_command',
    'snan_nav.bench.perf_command',
    'snan_nav.bench.tune_command',
    'snan_nav.bench.soak_command',
)

EXIT_USAGE = 2


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line on stderr and exit code 2."""

    def error(self, message):
        """Print ``prog: error: message`` and exit with status 2 (no usage dump)."""
        self.exit(EXIT_USAGE, f'{self.prog}: error: {message} (see --help)\n')


def fail(prog: str, message: str) -> int:
    """Print one error line for ``prog`` on stderr and return the usage exit code."""
    print(f'{prog}: error: {message}', file=sys.stderr)
    return EXIT_USAGE


def episodes_flag_error(flag: str, episodes: Optional[int]) -> Optional[str]:
    """Return why an episode count lies outside ``[1, MAX_EPISODES]`` (None when inside)."""
    from snan_nav.world.episode import MAX_EPISODES   # lazy: keeps --help fast
    if episodes is None or 1 <= episodes <= MAX_EPISODES:
        return None
    return f'{flag} must lie in [1, {MAX_EPISODES}], got {episodes}'


def output_file_error(flag: str, path: Optional[str]) -> Optional[str]:
    """Return why ``flag``'s file ``path`` cannot be written (None when it can or is not given).

    Checked before the run: a write that fails after it loses the results.
    """
    if not path:
        return None
    if os.path.isdir(path):
        return f'{flag} {path} is a directory, not a file'
    if os.path.exists(path) and not os.access(path, os.W_OK):
        return f'{flag} {path} is not writable'
    return _writable_directory_error(flag, os.path.dirname(os.path.abspath(path)))


def memory_file_error(flag: str, path: Optional[str]) -> Optional[str]:
    """Return why ``flag``'s memory file ``path`` cannot be used (None when it can).

    As :func:`output_file_error`, and what exists must be a regular file: a FIFO or a device
    cannot hold a memory, and the first save would replace it.
    """
    problem = output_file_error(flag, path)
    if problem is None and path and os.path.exists(path) and not os.path.isfile(path):
        problem = f'{flag} {path}: not a regular file'
    return problem


def output_dir_error(flag: str, path: Optional[str]) -> Optional[str]:
    """Return why ``flag``'s directory ``path`` cannot be written into (None when it can).

    A missing directory is fine when its nearest existing ancestor is a writable directory
    (the figures are written with ``os.makedirs``, which creates the missing ones).
    """
    if not path:
        return None
    existing = os.path.abspath(path)
    while not os.path.lexists(existing):
        existing = os.path.dirname(existing)
    if existing == os.path.abspath(path) and not os.path.isdir(existing):
        return f'{flag} {path} is not a directory'
    return _writable_directory_error(flag, existing)


def _writable_directory_error(flag: str, directory: str) -> Optional[str]:
    """Return why ``directory`` cannot take new files of ``flag`` (None when it can)."""
    if not os.path.lexists(directory):
        return f'{flag}: directory {directory} does not exist'
    if not os.path.isdir(directory):
        return f'{flag}: {directory} is not a directory'
    if not os.access(directory, os.W_OK | os.X_OK):
        return f'{flag}: directory {directory} is not writable'
    return None


def write_json(path: str, data, indent: int = 1) -> None:
    """Write ``data`` as JSON to ``path`` (ending in a newline) and say so on stdout."""
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(data, handle, indent=indent)
        handle.write('\n')
    print(f'wrote {path}')


def build_parser() -> ArgumentParser:
    """Return the top-level parser with every registered subcommand."""
    parser = ArgumentParser(prog='snan-nav', description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest='command', metavar='COMMAND')
    subparsers.required = True
    for module in SUBCOMMANDS:
        importlib.import_module(module).add_parser(subparsers)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``), run the subcommand, return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print('\ninterrupted', file=sys.stderr)
        return 130


if __name__ == '__main__':
    sys.exit(main())
