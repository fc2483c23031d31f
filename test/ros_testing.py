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
"""Helpers for the rclpy tests: private contexts and domains, waiting without fixed sleeps.

Every test gets its own rclpy context on its own ROS domain (loopback discovery is set by
conftest.py before rclpy is imported), and everything it creates is destroyed at the end.
"""
import itertools
import os
import random
import time

import pytest

rclpy = pytest.importorskip('rclpy')

from rclpy.context import Context  # noqa: E402
from rclpy.qos import DurabilityPolicy, QoSProfile, ReliabilityPolicy  # noqa: E402
from rclpy.signals import SignalHandlerOptions  # noqa: E402

from snan_nav.ros.executors import make_executor  # noqa: E402

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(PACKAGE_ROOT, 'config', 'snan_nav.yaml')
_DOMAINS = itertools.count(random.SystemRandom().randint(0, 99))

LATCHED = QoSProfile(depth=1, reliability=ReliabilityPolicy.RELIABLE,
                     durability=DurabilityPolicy.TRANSIENT_LOCAL)
HISTORY = QoSProfile(depth=100, reliability=ReliabilityPolicy.RELIABLE,
                     durability=DurabilityPolicy.TRANSIENT_LOCAL)


def next_domain() -> int:
    """Return a ROS domain id in 100..199 not used before by this test process."""
    return 100 + next(_DOMAINS) % 100


def ros_env(domain: int) -> dict:
    """Return an environment for child processes: loopback DDS, ``domain``, temp log dir."""
    env = dict(os.environ)
    env['ROS_AUTOMATIC_DISCOVERY_RANGE'] = 'LOCALHOST'
    env['ROS_DOMAIN_ID'] = str(domain)
    env.pop('RMW_IMPLEMENTATION', None)
    env.setdefault('NUMBA_CACHE_DIR', os.path.join(PACKAGE_ROOT, 'build', 'numba_cache'))
    env['PYTHONPATH'] = PACKAGE_ROOT + os.pathsep + env.get('PYTHONPATH', '')
    env['PYTHONUNBUFFERED'] = '1'
    return env


class RosFixture:
    """A private context + executor; nodes added with :meth:`add` are destroyed at the end."""

    def __init__(self, domain=None):
        self.domain = next_domain() if domain is None else int(domain)
        self.context = Context()
        rclpy.init(args=[], context=self.context, domain_id=self.domain,
                   signal_handler_options=SignalHandlerOptions.NO)
        self.executor = make_executor(self.context)   # the executor the nodes run on
        self.nodes = []

    def add(self, node):
        """Register ``node`` with the executor and for clean-up; return it."""
        self.nodes.append(node)
        self.executor.add_node(node)
        return node

    def node(self, name: str, **kwargs):
        """Create and register a plain helper node."""
        return self.add(rclpy.create_node(name, context=self.context, **kwargs))

    def spin_until(self, predicate, timeout: float = 20.0, step: float = 0.02) -> bool:
        """Spin until ``predicate()`` is true; return False after ``timeout`` s of wall time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            self.executor.spin_once(timeout_sec=step)
        return bool(predicate())

    def spin_for(self, seconds: float) -> None:
        """Spin for ``seconds`` of wall time (for rates, never for discovery)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.executor.spin_once(timeout_sec=0.01)

    def close(self) -> None:
        """Destroy every node, the executor and the context."""
        for node in reversed(self.nodes):
            hook = getattr(node, 'finalize', None)     # lifecycle nodes: last zero command
            if hook is not None:
                hook()
            self.executor.remove_node(node)
            node.destroy_node()
        self.executor.shutdown(timeout_sec=1.0)
        rclpy.try_shutdown(context=self.context)


def make_params(values: dict):
    """Return rclpy Parameters for ``parameter_overrides``."""
    from rclpy.parameter import Parameter
    return [Parameter(k, value=v) for k, v in values.items()]


@pytest.fixture(name='ros')
def ros_fixture():
    """Yield a :class:`RosFixture` and tear it down after the test."""
    fixture = RosFixture()
    try:
        yield fixture
    finally:
        fixture.close()
