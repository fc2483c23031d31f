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
"""Docstrings: ament_pep257 over the package (skipped where it is not installed)."""
import pytest

main = pytest.importorskip('ament_pep257.main').main


@pytest.mark.linter
@pytest.mark.pep257
def test_pep257():
    # PEP 257 proper (summary on the first line), the style this package is written in; test
    # functions are exempt (their names say what they check), as are __init__/magic methods.
    rc = main(argv=['--convention', 'pep257', '--add-ignore', 'D105', 'D107', '--',
                    'snan_nav', 'benchmarks'])
    assert rc == 0, 'Found code style errors / warnings'
