"""Shared test set-up: keep any ROS 2 traffic on loopback and numba's cache in a temp dir."""
import os
import random
import tempfile

os.environ.setdefault('ROS_AUTOMATIC_DISCOVERY_RANGE', 'LOCALHOST')
os.environ.setdefault('ROS_DOMAIN_ID', str(random.SystemRandom().randint(100, 200)))
os.environ.setdefault('ROS_LOG_DIR', tempfile.mkdtemp(prefix='snan_nav_roslog_'))
