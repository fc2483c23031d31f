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
"""snan_nav: navigation with a spiking neuron-astrocyte network (SNAN).

Layers (each importable without the ones above it):
``core`` (numba network, no ROS) -> ``crossbar`` (VTEAM emulation) -> ``world`` (maps, episodes)
-> ``agents`` (SNAN and baselines behind one interface) -> ``bench`` / ``cli`` -> ``ros`` (nodes).
"""

from snan_nav.kernel_cache import configure as _configure_kernel_cache

__version__ = '0.1.0'

# Before any kernel module is imported: numba's cache must not mix versions of the sources.
_configure_kernel_cache()
