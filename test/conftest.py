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
