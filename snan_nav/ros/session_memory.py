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
"""The memory half of :class:`~snan_nav.ros.session.NavigationSession` (no ROS).

Save, reset and load of the agent's long-term memory through the session's
:class:`~snan_nav.ros.memory_store.MemoryStore` (``session.memory``, None: persistence off).
Everything that happens is queued in ``session.notices`` as ``(level, text)`` for the node to
log; ``session.memory_status`` is shown in /diagnostics.
"""
import time
from typing import Optional, Tuple

from snan_nav.persistence import MemoryFileError
from snan_nav.ros.memory_store import loaded


class SessionMemory:
    """Memory persistence of a navigation session (a mixin; see the module docstring)."""

    saves = 0
    _saved_decisions = 0
    _episodes_before = 0
    #: Why nothing is saved (a refused file was left at the path), or None: saves allowed.
    _not_saved = None

    def save_memory(self, reason: str, only_if_changed: bool = False) -> Tuple[bool, str]:
        """Save the agent's memory now; return ``(saved, message)``.

        With ``only_if_changed`` nothing is written when the agent took no decision since the
        last save, and nothing ever while a refused file is left at the path (the load
        reported that once). Failures are also queued as notices.
        """
        if self.memory is None:
            return False, 'memory_file is not set: nothing is saved'
        if self.agent is None or self.grid is None:
            return False, 'no agent yet (it is built when the first episode starts)'
        if only_if_changed and self.saves and self.decision_count == self._saved_decisions:
            return False, 'unchanged since the last save'
        if self._not_saved is not None:
            return False, self._not_saved
        try:
            size = self.memory.save(self.agent, self.grid.blocked, {
                'episodes': self._episodes_before + self.episode_count,
                'saved_unix_s': round(time.time(), 3), 'reason': reason})
        except (MemoryFileError, ValueError) as exc:
            self.memory_status = f'save failed: {exc}'
            self.notices.append(('error', f'memory not saved ({reason}): {exc}'))
            return False, str(exc)
        self.saves += 1
        self._saved_decisions = self.decision_count
        self.memory_status = f'saved ({reason})' if size else 'agent keeps no memory'
        text = f'memory saved to {self.memory.path} ({size} bytes, {reason})'
        return True, text

    def reset_memory(self) -> Tuple[bool, str, Optional[dict]]:
        """Forget the learned memory: a fresh agent from the next episode on, file set aside.

        A running episode ends (``outcome`` memory reset); the file moves to
        ``<file>.reset`` (also a refused file that was left in place: saves resume).
        Returns ``(done, message, summary of the ended episode or None)``.
        """
        aborted = self.abort('memory reset') if self.active else None
        self.agent = None
        self.stepper = None
        self._fresh_next = True
        self._episodes_before = -self.episode_count   # the fresh agent counts from zero
        text = 'memory reset: the next episode starts with a fresh agent'
        if self.memory is not None:
            try:
                kept = self.memory.reset()
            except OSError as exc:
                return (False, f'memory file {self.memory.path} could not be set aside: {exc}',
                        aborted)
            if kept:
                text += f'; the previous memory is kept in {kept}'
            self.memory_status = 'reset'
            self._not_saved = None   # the path is free now
        return True, text, aborted

    def _load_memory(self) -> None:
        if self.memory is None:
            return
        if self._fresh_next:
            self._fresh_next = False
            self.memory_status = 'fresh (after reset)'
            return
        outcome = self.memory.load(self.agent, self.grid.blocked)
        self.memory_status = outcome.status
        self.notices.append(('info' if outcome.status != 'refused' else 'error',
                             outcome.message))
        self._not_saved = None
        if not outcome.may_overwrite:
            self._keep_refused_file()
        if loaded(outcome):
            self.memory_status = 'loaded'
            before = outcome.record.metadata.get('episodes', 0)
            self._episodes_before = before if isinstance(before, int) else 0

    def _keep_refused_file(self) -> None:
        """Stop saving: the refused file could not be moved aside and a save would destroy it.

        The agent runs fresh; saves resume after a reset (which moves the file) or when the
        next agent's load finds the path usable.
        """
        self._not_saved = (f'the refused file {self.memory.path} was left in place and is not '
                           'overwritten')
        self.memory_status = f'refused, not saved: {self._not_saved}'
        self.notices.append(('warning', f'memory is not saved: {self._not_saved} (reset the '
                                        'memory, or move it away and restart, to save '
                                        'again)'))
