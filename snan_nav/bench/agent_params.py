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
"""Per-agent parameter records for the bench: the one parameter reader's bench entry point.

The reading itself (rcl's rules, strict checking, the ``snn``/``qlearning``/``dynaq`` blocks)
lives in :func:`snan_nav.config.load_agent_params`; this name stays for the bench and tune.
"""
from snan_nav.config import load_agent_params  # noqa: F401 (the bench's entry point)
