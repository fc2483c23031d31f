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
"""A record of the simulated robot, one row per simulation tick (no ROS).

The closed-loop figures (``snan-nav sim --plot``) need what the robot did: where it drove,
what it was commanded and in which episode. :class:`Trace` is filled by the simulator node
when one is attached (``GridSimNode.trace``) and costs one list append per tick.
"""
from typing import Dict, List

import numpy as np

#: Columns of :meth:`Trace.arrays`: sim time (s), pose (m, m, rad), command applied
#: (m/s, rad/s) and the episode running at that tick (0: between episodes).
COLUMNS = ('t', 'x', 'y', 'yaw', 'v_cmd', 'w_cmd', 'episode')


class Trace:
    """Rows of ``(t, x, y, yaw, v_cmd, w_cmd, episode)``, at most ``max_rows`` of them."""

    def __init__(self, max_rows: int = 2_000_000):
        self.rows: List[tuple] = []
        self.max_rows = int(max_rows)
        self.truncated = False

    def add(self, t: float, x: float, y: float, yaw: float, v_cmd: float, w_cmd: float,
            episode: int) -> None:
        """Append one tick (dropped, and :attr:`truncated` set, beyond ``max_rows``)."""
        if len(self.rows) < self.max_rows:
            self.rows.append((t, x, y, yaw, v_cmd, w_cmd, episode))
        else:
            self.truncated = True

    def arrays(self) -> Dict[str, np.ndarray]:
        """Return each column as a float64 array (``episode`` as int64)."""
        data = np.asarray(self.rows, dtype=np.float64).reshape(-1, len(COLUMNS))
        out = {name: data[:, i] for i, name in enumerate(COLUMNS)}
        out['episode'] = out['episode'].astype(np.int64)
        return out
