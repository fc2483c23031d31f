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
"""Long-term memory on disk: crash-safe saves, checked loads, quarantine, carry-over.

Pure Python and NumPy (no ROS): the navigator node and the CLI wire these functions.
"""
from snan_nav.persistence.agent_memory import restore_agent_memory, save_agent_memory
from snan_nav.persistence.carry_over import carry_over, cells_to_keep
from snan_nav.persistence.memory_file import (DEFAULT_MAX_CHANGED_FRACTION, LOADED,
                                              load_memory, LoadOutcome, MemoryExpectation,
                                              MISSING, REFUSED, save_memory)
from snan_nav.persistence.memory_format import DEFAULT_MAX_BYTES, decode_memory, read_memory
from snan_nav.persistence.quarantine import quarantine
from snan_nav.persistence.record import (FORMAT_VERSION, map_fingerprint, MemoryFileError,
                                         MemoryRecord)

__all__ = ['carry_over', 'cells_to_keep', 'DEFAULT_MAX_BYTES', 'DEFAULT_MAX_CHANGED_FRACTION',
           'decode_memory', 'FORMAT_VERSION', 'LOADED', 'load_memory', 'LoadOutcome',
           'map_fingerprint', 'MemoryExpectation', 'MemoryFileError', 'MemoryRecord', 'MISSING',
           'quarantine', 'read_memory', 'REFUSED', 'restore_agent_memory', 'save_agent_memory',
           'save_memory']
