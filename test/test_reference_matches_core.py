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
"""The dense clock-driven reference in benchmarks/ reproduces the event-driven core.

Decision by decision, in lockstep on small generated maps (exploration, episodes toward a
learned goal, goal switches with the cue, a leg without cue that extinguishes old goals): the
goal wave's first-spike latencies at the neighbours, the latencies the race reads, the action
and the spike raster, except at the core's two documented shortcuts
(:mod:`benchmarks.equivalence`).
"""
import os
import sys

from numba import njit
import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks import reference, reference_race  # noqa: E402
from benchmarks.equivalence import check_map, Lockstep  # noqa: E402
from benchmarks.perf_work import snapshot  # noqa: E402
from benchmarks.reference import DenseReference  # noqa: E402
from benchmarks.seed_form import SeedFormReference  # noqa: E402
from benchmarks.workload import perf_legs, run_legs  # noqa: E402
from snan_nav.agents.snan import make_snan_agent  # noqa: E402
from snan_nav.core.params import SNANParams  # noqa: E402
from snan_nav.world.builtin import resolve_map  # noqa: E402

MAPS = ('gen:rooms:16:1', 'gen:random20:16:2', 'gen:maze2:16:3', 'gen:open:16:4')
#: Calcium that fades within an episode and astrocytes of 2x2 places: familiar places turn
#: quiet again while the robot explores, which exercises the revisit sources and both shortcuts.
FAST_CALCIUM = SNANParams(territory_size=2, tau_ca_ms=3000.0, ca_gain_ms=2700.0,
                          inter_episode_ms=500.0)
#: A curiosity wave that habituates slowly, so that every regime is compared often (the
#: equivalence is about the computation, whatever the tuned defaults).
CURIOUS = SNANParams(explore_onset=0.2, explore_anneal=0.95)


def assert_matches(result):
    assert result['match'], result['mismatches']


@pytest.mark.parametrize('spec', MAPS)
def test_reference_reproduces_the_core_decision_by_decision(spec):
    result = check_map(spec, seed=0, decisions=500, params=CURIOUS)
    assert_matches(result)
    c = result['counts']
    # Every regime of the read-out was compared, most decisions without any shortcut.
    assert c['goal_known'] >= 100 and c['curiosity'] >= 10, c
    assert c['explore'] >= 20 or spec == 'gen:maze2:16:3', c
    assert c['equal'] >= 0.95 * c['decisions'], c


@pytest.mark.parametrize('seed', [0, 1])
def test_reference_reproduces_the_core_when_calcium_fades_during_an_episode(seed):
    result = check_map('gen:rooms:16:1', seed=seed, decisions=800, params=FAST_CALCIUM)
    assert_matches(result)
    c = result['counts']
    # The core names every neighbour a source at the onset fires from (no adjacent tie is
    # left out); cached routes are the one shortcut left.
    assert c['adjacent_tie'] == 0 and c['route'] > 0, c


def test_reference_reproduces_the_core_with_revisits_later_and_a_short_horizon():
    params = SNANParams(tau_ca_ms=3000.0, ca_gain_ms=2700.0, revisit_onset=2,
                        explore_horizon=6)
    result = check_map('gen:office:16:5', seed=0, decisions=600, params=params)
    assert_matches(result)
    assert result['counts']['adjacent_tie'] == 0  # a later revisit onset never ties


def test_reference_reproduces_the_core_with_an_enclosure_bonus():
    # Off by default; strong enough here that the familiar places around a novel neighbour
    # outweigh the efference copy, so the term decides ties the check compares.
    result = check_map('gen:open:16:4', seed=0, decisions=400,
                       params=SNANParams(enclosure_bonus=0.2))
    assert_matches(result)


def test_reference_reproduces_the_ablations():
    for changes in ({'astro_alpha': 0.0},
                    {'map_stdp_amplitude': 0.0, 'goal_learning_rate': 0.0}):
        result = check_map('gen:rooms:16:1', seed=0, decisions=300,
                           params=SNANParams(**changes))
        assert_matches(result)


def test_the_seed_form_takes_the_references_decisions():
    result = check_map('gen:random20:16:2', seed=0, decisions=200,
                       reference_class=SeedFormReference)
    assert_matches(result)


@pytest.mark.parametrize('break_it', ['goal_here', 'read_out', 'stdp'])
def test_the_check_fails_for_a_reference_that_is_wrong(monkeypatch, break_it):
    if break_it == 'goal_here':  # the goal the robot stands on keeps firing
        monkeypatch.setattr(DenseReference, 'goal_sources',
                            lambda self, here: np.array(self.slow.goals, dtype=np.int64)
                            if self.cue < 0 else np.array([self.cue]))
    elif break_it == 'read_out':  # read-out spikes up to one hop behind only
        monkeypatch.setattr(reference_race, 'MAX_DELTA', 1)
    else:  # an observation leaves the synapse below threshold
        monkeypatch.setattr(reference.SlowMemory, '_stdp', lambda self, w: 0.9)
    result = check_map('gen:rooms:16:1', seed=0, decisions=300)
    assert not result['match']
    assert result['counts']['mismatch'] > 10


def test_the_guided_regime_is_compared_and_needs_the_goal_vector():
    # The cue names goals that are not on the map yet: the robot explores toward them.
    result = check_map('gen:maze2:16:3', seed=0, decisions=500, params=CURIOUS)
    assert_matches(result)
    assert result['counts']['guided'] > 20

    class NoGoalVector(DenseReference):
        def __init__(self, width, height, params, seed=0):
            super().__init__(width, height, params.with_changes(goal_vector=False), seed=seed)

    wrong = check_map('gen:maze2:16:3', seed=0, decisions=500, params=CURIOUS,
                      reference_class=NoGoalVector)
    assert not wrong['match'] and wrong['counts']['mismatch'] > 10


def test_a_reference_built_from_a_snapshot_continues_like_the_core():
    grid = resolve_map('gen:random20:16:2')
    core = make_snan_agent('snan', grid, None, seed=5)
    legs = perf_legs(grid, 5)
    taken = []

    def first_legs():
        for leg in legs:
            taken.append(leg)
            yield leg
            if len(taken) == 3:
                return
    run_legs(grid, core, first_legs())
    ref = DenseReference.from_snapshot(snapshot(core), core.params, grid.width, grid.height)
    lock = Lockstep(core, ref)
    run_legs(grid, core, legs, decide=lock.decide, listener=lock,
             stop=lambda: lock.counts['decisions'] >= 200, here=core._cell)
    assert lock.counts['mismatch'] == 0, lock.mismatches
    assert lock.counts['decisions'] >= 200


def test_int_power_is_the_compiled_kernels_power():
    @njit
    def compiled(x, n):
        return x ** n

    for x in (0.9048374180359595, 0.8, 0.999998333334722):
        for n in (0, 1, 2, 5, 20, 100, 3600000):
            assert reference_race.int_power(x, n) == compiled(x, np.int64(n))
