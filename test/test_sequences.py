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
"""Goal sequences (many goals on one memory), their file format, and the goal cue."""
import json

import numpy as np
import pytest

from snan_nav.agents.base import Agent
from snan_nav.bench import runner
from snan_nav.bench.executors import open_executor
from snan_nav.bench.sequences import plan_sequence_jobs, run_sequences
from snan_nav.cli import main
from snan_nav.world.builtin import builtin_map
from snan_nav.world.episode import Leg, load_scenario_file

A, B, C = (0, 0), (9, 9), (0, 9)  # paper10 cells: BFS A->B 32, B->C 9, C->A 25


def leg(s, g, n):
    return {'start': {'mx': s[0], 'my': s[1]}, 'goal': {'mx': g[0], 'my': g[1]}, 'episodes': n}


def write(tmp_path, doc):
    path = tmp_path / 'seq.json'
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return str(path)


def test_load_sequences(tmp_path):
    path = write(tmp_path, {'sequences': [[leg(A, B, 3), leg(B, C, 2)], [leg(C, A, 3)]]})
    scen = load_scenario_file(path, builtin_map('paper10'))
    assert scen.pairs is None
    assert scen.sequences == [[Leg(A, B, 3), Leg(B, C, 2)], [Leg(C, A, 3)]]
    pairs = load_scenario_file(write(tmp_path, {'pairs': [leg(A, B, 1)]}),
                               builtin_map('paper10'))
    assert pairs.pairs == [(A, B)] and pairs.sequences is None


@pytest.mark.parametrize('doc, words', [
    ({'sequences': []}, 'non-empty list of sequences'),
    ({'sequences': [[]]}, 'sequence 0: must be a non-empty list'),
    ({'sequences': {'a': 1}}, 'non-empty list'),
    ({'sequences': [[leg(A, B, 3)]], 'pairs': []}, 'both'),
    ({'sequences': [[leg(A, B, 0)]]}, 'episodes'),
    ({'sequences': [[leg(A, B, True)]]}, 'episodes'),
    ({'sequences': [[{'start': {'mx': 0, 'my': 0}, 'goal': {'mx': 9, 'my': 9}}]]},
     "missing key(s) ['episodes']"),
    ({'sequences': [[dict(leg(A, B, 2), note=1)]]}, "unknown key(s) ['note']"),
    ({'sequences': [[leg(A, B, 2)], [leg(A, (0, 3), 2)]]},
     'sequence 1, leg 0: goal (0, 3) is on a blocked cell'),
    ({'sequences': [[leg(A, B, 2)], [leg(B, A, 3)]]}, 'same episode count'),
    ({'sequences': [[{'start': {'mx': 0, 'my': 0, 'z': 1}, 'goal': {'mx': 9, 'my': 9},
                      'episodes': 1}]]}, 'unknown key'),
    ({'sequences': [['x']]}, 'a leg must be an object'),
])
def test_bad_sequence_files_are_refused_clearly(tmp_path, doc, words):
    with pytest.raises(ValueError) as info:
        load_scenario_file(write(tmp_path, doc), builtin_map('paper10'))
    assert words in str(info.value) and 'seq.json' in str(info.value)


def test_sequence_report(tmp_path):
    grid = builtin_map('paper10')
    seqs = [[Leg(A, B, 4), Leg(B, C, 3), Leg(C, A, 3)]]
    with open_executor('process', 1) as run:
        report = run_sequences(grid, seqs, ['bfs', 'tremaux', 'qlearning'], 3, 312, run)
    assert [s['bfs'] for s in report['sequences'][0]] == [32, 9, 25]
    bfs = report['results']['bfs']
    assert bfs['runs'] == 3 and len(bfs['legs']) == 3
    for i, one in enumerate(bfs['legs']):  # the oracle is rebuilt for each leg's goal
        assert one['completion_rate'] == 1.0 and one['first_episode_over_bfs_median'] == 1.0
        assert one['late_path_over_bfs_median'] == 1.0 and one['bfs'] == [[32, 9, 25][i]]
    for name in ('tremaux', 'qlearning'):
        legs = report['results'][name]['legs']
        # leg 0 of a sequence is a fresh agent: same seed, same first episode
        assert legs[0]['first_episode_steps_median'] == legs[0][
            'fresh_first_episode_steps_median']
        for key in ('completion_rate', 'first_episode_steps_median', 'cumulative_steps_median',
                    'late_path_over_bfs_median', 'completion_ci95'):
            assert key in legs[1]
    # Tremaux keeps its visited graph across legs: the return leg C->A starts from a memory
    # of A (its first episode differs from a fresh agent's on the same seeds).
    legs = report['results']['tremaux']['legs']
    assert legs[2]['first_episode_steps_median'] != legs[2]['fresh_first_episode_steps_median']


def test_sequence_jobs_share_seeds_with_fresh_jobs():
    grid = builtin_map('paper10')
    seq_jobs, fresh = plan_sequence_jobs(grid, [[Leg(A, B, 2), Leg(B, C, 2)]], ['tremaux'], 2,
                                         100)
    assert [j.seed for j in seq_jobs] == [fresh[0].seed, fresh[1].seed]
    assert [j.seed for j in fresh[2:]] == [j.seed for j in seq_jobs]
    assert all(j.episodes == 1 for j in fresh)


def test_cli_sequences_json(tmp_path):
    path = write(tmp_path, {'sequences': [[leg(A, B, 3), leg(B, A, 3)]]})
    out = tmp_path / 'out.json'
    rc = main(['bench', '--map', 'builtin:paper10', '--scenarios', path, '--agents',
               'bfs,random', '--seeds', '2', '--jobs', '1', '--json', str(out), '--plot',
               str(tmp_path / 'fig')])
    assert rc == 0
    report = json.loads(out.read_text())
    assert set(report['results']) == {'bfs', 'random'}
    assert report['results']['bfs']['legs'][1]['cumulative_steps_median'] == 3 * 32
    assert (tmp_path / 'fig' / 'sequences.png').stat().st_size > 0


class Recorder(Agent):
    """Moves east forever and records the goal cues it gets."""

    name = 'recorder'
    uses_goal_cue = True

    def __init__(self):
        self.cues = []

    def cue_goal(self, goal_cell):
        self.cues.append(goal_cell)

    def act(self, obs):
        return 1


@pytest.mark.parametrize('goal_cue', [False, True])
def test_goal_cue_before_every_episode(monkeypatch, goal_cue):
    made = []

    def fake_make_agent(*args, **kwargs):
        made.append(Recorder())
        return made[-1]

    monkeypatch.setattr(runner, 'make_agent', fake_make_agent)
    grid = builtin_map('paper10')
    job = runner.plan_jobs(grid, [(A, B)], ['tremaux'], 3, 1, 10, goal_cue=goal_cue)[0]
    result = runner.run_job(job)
    goal = grid.cell_id(B)
    assert made[0].cues == ([goal] * 3 if goal_cue else [None] * 3)
    assert result.goal_cue_used is goal_cue
    assert np.all(result.steps == 10)


def test_goal_cue_flag_in_json(tmp_path):
    out = tmp_path / 'cue.json'
    rc = main(['bench', '--map', 'builtin:paper10', '--agents', 'bfs,random', '--episodes',
               '2', '--seeds', '1', '--goal-cue', '--jobs', '1', '--json', str(out)])
    assert rc == 0
    report = json.loads(out.read_text())
    assert report['goal_cue'] is True
    # neither agent changes its behaviour with the cue (uses_goal_cue is False)
    assert not report['results']['bfs']['goal_cue_used']
    assert not report['results']['random']['goal_cue_used']
