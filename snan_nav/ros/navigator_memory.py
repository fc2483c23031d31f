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
"""The navigator's memory on disk: ``memory_file``, ``~/save_memory``, ``~/reset_memory``.

A mixin of :class:`~snan_nav.ros.navigator.SnanNavigator`. With ``memory_file`` set the
session (:mod:`snan_nav.ros.session_memory`) loads the memory when the agent is built and
saves it after every episode; this mixin adds the saves on deactivate and shutdown and the
two std_srvs/Trigger services:

- ``~/save_memory``: save now (success false with the reason when there is no agent yet, no
  ``memory_file``, or the write failed; the previous file is then intact);
- ``~/reset_memory``: forget what was learned: a running episode ends (``memory reset``), the
  next episode starts with a fresh agent, and the file moves to ``<memory_file>.reset``.
"""
from std_srvs.srv import Trigger

from snan_nav.ros.memory_store import MemoryStore
from snan_nav.ros.navigator_outputs import log_line


class NavigatorMemory:
    """Memory file, save and reset services of the navigator node."""

    def _memory_store(self):
        """Return the :class:`MemoryStore` of ``memory_file`` (None when empty)."""
        path = self.values['memory_file']
        return MemoryStore(path, self.values['agent'], self.snn) if path else None

    def _memory_services(self) -> list:
        """Create the two services (configure); return them for clean-up."""
        return [self.create_service(Trigger, '~/save_memory', self._on_save_memory),
                self.create_service(Trigger, '~/reset_memory', self._on_reset_memory)]

    def _on_save_memory(self, _request, response):
        saved, text = self.session.save_memory('~/save_memory')
        response.success, response.message = saved, text
        log_line(self.get_logger(), 'info' if saved else 'warning', f'~/save_memory: {text}')
        self._drain_notices()
        return response

    def _on_reset_memory(self, _request, response):
        done, text, aborted = self.session.reset_memory()
        if aborted is not None:
            self._finish(aborted)
        self.cmd.request_stop()
        response.success, response.message = done, text
        log_line(self.get_logger(), 'warning' if done else 'error', f'~/reset_memory: {text}')
        self._drain_notices()
        return response

    def _save_memory_now(self, reason: str) -> None:
        """Save unless nothing changed since the last save (deactivate, shutdown)."""
        if self.session is None or self.session.memory is None:
            return
        saved, text = self.session.save_memory(reason, only_if_changed=True)
        if saved:
            self.get_logger().info(text)
        self._drain_notices()
