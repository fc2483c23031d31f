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
"""numba's kernel cache gets one folder per version of the kernel sources."""
import os
import shutil
import subprocess
import sys

from ros_testing import PACKAGE_ROOT

from snan_nav import kernel_cache
from snan_nav.kernel_cache import configure, PREFIX, source_stamp


def copy_package(tmp_path):
    target = tmp_path / 'snan_nav'
    shutil.copytree(kernel_cache.PACKAGE_DIR, target,
                    ignore=shutil.ignore_patterns('__pycache__', '*.nbi', '*.nbc'))
    return str(target)


def test_an_edit_of_any_kernel_module_changes_the_stamp_and_nothing_else_does(tmp_path):
    package = copy_package(tmp_path)
    before = source_stamp(package)
    assert before == source_stamp(kernel_cache.PACKAGE_DIR)  # content, not place or time
    with open(os.path.join(package, 'ros', 'navigator.py'), 'a') as handle:
        handle.write('\n# a node edit: no kernel changes\n')
    assert source_stamp(package) == before
    race = os.path.join(package, 'core', 'race.py')
    with open(race) as handle:
        text = handle.read()
    with open(race, 'w') as handle:
        handle.write(text.replace('MAX_DELTA = 2', 'MAX_DELTA = 3'))
    assert source_stamp(package) != before


def test_the_folder_is_keyed_under_the_users_base_or_the_user_cache():
    env = {'NUMBA_CACHE_DIR': '/somewhere/numba/'}
    assert configure(env, stamp='abc') == os.path.join('/somewhere/numba', PREFIX + 'abc')
    assert env['NUMBA_CACHE_DIR'] == os.path.join('/somewhere/numba', PREFIX + 'abc')
    env = {'XDG_CACHE_HOME': '/home/u/.cache'}
    assert configure(env, stamp='abc') == '/home/u/.cache/snan_nav/numba/' + PREFIX + 'abc'


def test_a_child_keeps_its_parents_folder_and_another_version_gets_a_sibling():
    env = {'NUMBA_CACHE_DIR': '/c'}
    first = configure(env, stamp='abc')
    assert configure(env, stamp='abc') == first            # inherited: kept, not nested
    assert configure(env, stamp='def') == os.path.join('/c', PREFIX + 'def')


def test_importing_snan_nav_points_numba_there_even_after_numba_was_imported(tmp_path):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    out = subprocess.run(
        [sys.executable, '-c', 'import numba.core.config as c; import snan_nav; '
         'import os; print(c.CACHE_DIR); print(os.environ["NUMBA_CACHE_DIR"])'],
        env=env, cwd=PACKAGE_ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert out == [os.path.join(str(tmp_path), PREFIX + source_stamp())] * 2
