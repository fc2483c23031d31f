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
"""The navigator's latency log: a bounded window always, the whole run only when asked."""
from snan_nav.ros.loop_stats import LatencyLog


def test_a_navigator_keeps_only_its_window_unless_a_report_asks():
    log = LatencyLog(window=10)
    for k in range(1000):
        log.add(float(k), 0.5)
    assert len(log.latency_ms) == 10 and len(log.log_ms) == 0
    assert log.summary()['decision_latency_ms_median'] == '994.500'  # the last 10 decisions
    log.record_all(limit=100)
    for k in range(1000):
        log.add(float(k), 0.5)
    assert list(log.log_ms) == [float(k) for k in range(100)]  # capped at the limit
