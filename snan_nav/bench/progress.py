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
"""A plain-text progress bar for long bench runs (stderr, one carriage-returned line)."""
import sys
import time


class Progress:
    """A plain-text progress bar on stderr (one carriage-returned line), shown when slow.

    It appears once the whole bench is expected to take more than ``min_seconds``.
    """

    def __init__(self, total: int, stream=None, min_seconds: float = 2.0, width: int = 30):
        self.total, self.width, self.min_seconds = max(1, total), width, min_seconds
        self.stream = sys.stderr if stream is None else stream
        self.t0 = self.last = time.perf_counter()
        self.shown = False

    def update(self, done: int, label: str = '') -> None:
        """Report ``done`` of ``total`` units finished."""
        now = time.perf_counter()
        elapsed = now - self.t0
        if not self.shown:
            expected = elapsed / max(done, 1) * self.total
            if elapsed < 0.25 or expected < self.min_seconds or done >= self.total:
                return
            self.shown = True
        elif now - self.last < 0.1 and done < self.total:
            return  # at most ten redraws per second
        self.last = now
        filled = int(self.width * done / self.total)
        bar = '#' * filled + '.' * (self.width - filled)
        self.stream.write(f'\r[{bar}] {done}/{self.total} {label:<14} {elapsed:6.1f} s')
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line (only if it was shown)."""
        if self.shown:
            self.update(self.total, 'done')
            self.stream.write('\n')
            self.stream.flush()
