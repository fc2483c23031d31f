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
"""The CPU baseline: kernel CPU time is measured, the per-core power is RAPL or cited."""
import pytest

from snan_nav.agents.snan import make_snan_agent
from snan_nav.crossbar import cpu
from snan_nav.crossbar.energy import EnergyParams
from snan_nav.crossbar.synapses import CrossbarSynapses
from snan_nav.world.builtin import resolve_map
from snan_nav.world.episode import GridWorld, run_episode


def test_kernel_clock_times_every_call_and_returns_its_result():
    clock = cpu.KernelClock()
    timed = clock.timed(lambda x: sum(range(x)))
    assert timed(50000) == sum(range(50000))
    assert clock.calls == 1 and clock.total_ns > 0
    assert timed.__wrapped__(3) == 3 and clock.calls == 1


def test_a_crossbar_agent_times_its_kernels_only():
    grid = resolve_map('gen:rooms:16:5')
    syn = CrossbarSynapses(grid.n_cells)
    agent = make_snan_agent('snan', grid, seed=0, synapses=syn)
    result = run_episode(agent, GridWorld(grid, (1, 1), (14, 14)))
    # one decision call per step (the arrival learned before it on the array is not timed:
    # the ideal agent folds it into the decision call), begin, the last arrival, end
    assert syn.clock.calls == result.steps + 3
    assert syn.clock.seconds > 0.0
    report = agent.energy_report()
    assert report['cpu_s_per_decision'] == pytest.approx(syn.clock.seconds / result.steps)
    s = report['energy_styles']['analog']
    assert s['cpu_energy_per_decision_j'] == pytest.approx(
        report['cpu_s_per_decision'] * report['cpu_power_w'])


def test_cited_power_when_asked_or_without_rapl(tmp_path):
    e = EnergyParams(cpu_power_source='cited')
    assert cpu.core_power(e) == cpu.CorePower(e.cpu_core_power_w, 'cited')
    empty = str(tmp_path / 'no_powercap')
    assert cpu.core_power(EnergyParams(), root=empty).source == 'cited'
    with pytest.raises(ValueError, match='no usable RAPL'):
        cpu.core_power(EnergyParams(cpu_power_source='rapl'), root=empty)


def test_rapl_package_files_and_busy_minus_idle_power(tmp_path):
    for zone in ('intel-rapl:0', 'intel-rapl:0:0', 'intel-rapl:1'):
        (tmp_path / zone).mkdir()
        (tmp_path / zone / 'energy_uj').write_text('0\n')
    files = cpu.rapl_files(str(tmp_path))
    assert [f.split('/')[-2] for f in files] == ['intel-rapl:0', 'intel-rapl:1']
    readings = iter([1_000_000, 2_000_000, 5_000_000])   # uJ: idle 1 J, busy 3 J
    watts = cpu.rapl_core_power(files, 0.5, read=lambda paths: next(readings),
                                busy=lambda s: None, idle=lambda s: None)
    assert watts == pytest.approx((3.0 - 1.0) / 0.5)
    wrapped = iter([5, 2, 9])
    with pytest.raises(ValueError, match='wrapped'):
        cpu.rapl_core_power(files, 0.5, read=lambda paths: next(wrapped),
                            busy=lambda s: None, idle=lambda s: None)
