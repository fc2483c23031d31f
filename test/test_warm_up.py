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
"""The navigator's warm-up readies every kernel the node calls (no compile in a callback).

Checked in a fresh interpreter, where a kernel is ready only if the warm-up compiled it or
loaded it from the cache.
"""
import subprocess
import sys

import pytest

from ros_testing import PACKAGE_ROOT

pytest.importorskip('rclpy')

SCRIPT = '''
from snan_nav.agents.snan import KERNELS
from snan_nav.core.network import plan_kernel
from snan_nav.core.params import SNANParams
from snan_nav.ros.session import AgentSpec, warm_up
warm_up(AgentSpec('snan', 0, SNANParams()))
kernels = dict(KERNELS._asdict(), plan=plan_kernel)
print(' '.join(sorted(name for name, k in kernels.items() if not k.signatures)))
'''


def test_the_warm_up_readies_the_cue_the_decision_and_the_plan_kernels():
    out = subprocess.run([sys.executable, '-c', SCRIPT], cwd=PACKAGE_ROOT, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == '', f'not ready after the warm-up: {out.stdout}'
