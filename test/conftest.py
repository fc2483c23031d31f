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
"""Shared test set-up: keep any ROS 2 traffic on loopback and numba's cache in a temp dir."""
import os
import random
import tempfile

os.environ.setdefault('ROS_AUTOMATIC_DISCOVERY_RANGE', 'LOCALHOST')
os.environ.setdefault('ROS_DOMAIN_ID', str(random.SystemRandom().randint(100, 200)))
os.environ.setdefault('ROS_LOG_DIR', tempfile.mkdtemp(prefix='snan_nav_roslog_'))


def pytest_collection_modifyitems(config, items):
    """Mark every test that uses the ``ros`` fixture (it starts rclpy nodes) with ``ros``."""
    import pytest
    for item in items:
        if 'ros' in getattr(item, 'fixturenames', ()):
            item.add_marker(pytest.mark.ros)
