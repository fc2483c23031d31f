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
"""``snan-nav goals``: the text summary's number format and what --help says C is."""
import pytest

from snan_nav.bench.goals_command import format_summary, LEGS, sequence_of
from snan_nav.cli import main


def summary(value):
    """Return a one-agent summary whose every ratio and share is ``value``."""
    leg = {'maps': 1, 'first_over_bfs_median': value, 'first_over_fresh_median': value,
           'maps_at_most_1': value, 'completion_min': 1.0}
    return {'snan': {'legs': {0: leg}, 'families': {'maze1': {'ratio': value}},
                     'first_over_bfs_median_revisited_goals': value,
                     'first_over_fresh_median_later_legs': value,
                     'later_legs_no_worse_than_fresh': value}}


@pytest.mark.parametrize('goal_cue, last', [
    (True, 'median over maps: 1.33'),
    (False, 'over (map, leg): 1.33; share <= 1: 1.33'),
])
def test_the_summary_prints_two_decimals_or_a_dash(goal_cue, last):
    text = format_summary(summary(4 / 3), goal_cue)
    assert '1.333' not in text and text.splitlines()[-1].endswith(last)
    undefined = format_summary(summary(None), goal_cue).splitlines()[-1]
    assert 'None' not in undefined and undefined.endswith(': -')


def test_help_says_which_cell_c_is(capsys):
    a, b, c = (0, 0), (9, 9), (5, 5)
    # The second pair starts at A: C is its goal, not its start.
    assert sequence_of([(a, b), (a, c)]) == [((a, b, c)[s], (a, b, c)[g]) for s, g in LEGS]
    with pytest.raises(SystemExit) as exc:
        main(['goals', '--help'])
    assert exc.value.code == 0
    text = ' '.join(capsys.readouterr().out.split())
    assert 'start of its second pair' not in text
    assert ('C the first cell of the later pairs (in order, start before goal) that is '
            'neither A nor B') in text
