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
"""Every Python file carries the Apache-2.0 header (what ament_copyright checks on a distro).

ament_copyright is not on the package index, so test_copyright.py skips here; this test makes
the same promise without it, so that `colcon test` on a ROS distro does not fail on headers.
"""
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKERS = ('Copyright ', 'Licensed under the Apache License, Version 2.0')


def python_files():
    try:
        out = subprocess.run(['git', 'ls-files', '*.py'], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        out = [os.path.relpath(os.path.join(d, f), ROOT)
               for d, _, names in os.walk(ROOT) for f in names if f.endswith('.py')
               and not any(part in d for part in ('.venv', 'build', 'install', 'log'))]
    return sorted(out)


@pytest.mark.copyright
def test_every_python_file_has_the_apache_header():
    files = python_files()
    assert files
    missing = []
    for name in files:
        with open(os.path.join(ROOT, name), encoding='utf-8') as handle:
            head = handle.read(2000)
        if not all(marker in head for marker in MARKERS):
            missing.append(name)
    assert not missing, f'files without the Apache-2.0 header: {missing}'
