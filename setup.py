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
"""Build script for the snan_nav ament_python package."""
from glob import glob
import os

from setuptools import find_packages, setup

package_name = 'snan_nav'

setup(
    name=package_name,
    version='0.1.0',
    packages=find_packages(exclude=['test', 'benchmarks']),
    data_files=[
        ('share/ament_index/resource_index/packages', ['resource/' + package_name]),
        ('share/' + package_name, ['package.xml']),
        (os.path.join('share', package_name, 'launch'), glob('launch/*launch.py')),
        (os.path.join('share', package_name, 'config'),
         glob('config/*.yaml') + glob('config/*.rviz')),
        (os.path.join('share', package_name, 'maps'), glob('maps/*')),
    ],
    install_requires=['setuptools', 'numpy', 'numba', 'pyyaml', 'matplotlib', 'scipy'],
    zip_safe=True,
    maintainer='snan_nav maintainers',
    maintainer_email='snan-nav@example.org',
    description='Spiking neuron-astrocyte network navigation for ROS 2',
    license='Apache-2.0',
    extras_require={'test': ['pytest', 'hypothesis']},
    entry_points={
        'console_scripts': [
            'snan-nav = snan_nav.cli:main',
            'snan_navigator = snan_nav.ros.navigator:main',
            'grid_sim = snan_nav.ros.grid_sim:main',
        ],
    },
)
