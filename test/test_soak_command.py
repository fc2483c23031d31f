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
"""``snan-nav soak`` on a small headless run: restarts and the final check load the memory."""
import json

import pytest

from snan_nav.cli import main


@pytest.mark.parametrize('agent', ['snan', 'tremaux'])
def test_every_restart_and_the_final_check_load_the_memory(tmp_path, capsys, agent):
    out = tmp_path / 'soak.json'
    code = main(['soak', '--agent', agent, '--episodes', '25', '--restart-every', '10',
                 '--minutes', '0', '--dir', str(tmp_path), '--json', str(out)])
    printed = capsys.readouterr().out
    part = json.loads(out.read_text())['parts'][0]
    assert code == 0, printed
    assert part['restarts'] == 2 and part['restarts_loaded'] == 2
    assert part['file_at_end'].startswith('loaded'), part['file_at_end']
    assert part['exceptions'] == 0 and part['saves'] == 25
    assert not list(tmp_path.glob('*.corrupt*'))          # nothing was set aside


def test_an_agent_without_memory_writes_no_file_and_passes(tmp_path):
    out = tmp_path / 'soak.json'
    assert main(['soak', '--agent', 'random', '--episodes', '5', '--minutes', '0',
                 '--dir', str(tmp_path), '--json', str(out)]) == 0
    part = json.loads(out.read_text())['parts'][0]
    assert part['saves'] == 0 and part['file_at_end'] == 'no file'
