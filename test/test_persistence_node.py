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
"""The navigator's memory file: session saves and loads, services, and a kill-and-restart.

Every test runs for each agent whose ``memory()`` holds arrays (today tremaux, qlearning,
dynaq; the SNAN variants join by themselves once they export a memory). The restart test
SIGKILLs a real navigator process and starts a new one: its first episode must be the one a
headless agent restored from the file drives, and (for the product agents) shorter than a
fresh agent's first episode.
"""
import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys

import numpy as np
import pytest

from snan_nav.agents.registry import AGENT_NAMES, make_agent
from snan_nav.bench.runner import Job, run_job
from snan_nav.core.params import SNANParams
from snan_nav.persistence import LOADED, memory_file
from snan_nav.ros.memory_store import MemoryStore, RESET_SUFFIX
from snan_nav.ros.session import AgentSpec, build_agent, cue, NavigationSession
from snan_nav.world.builtin import resolve_map
from snan_nav.world.episode import GridWorld, run_episode

GRID = resolve_map('builtin:paper10')


def _keeps_memory(name: str) -> bool:
    agent = make_agent(name, GRID, GRID.cell_id(GRID.goal), 0, SNANParams())
    return bool(agent.memory())


MEMORY_AGENTS = [name for name in AGENT_NAMES if _keeps_memory(name)]
#: The restart test starts real processes: the product agents only (SNAN once it keeps a
#: memory) and Trémaux, whose learned route is shorter than its first one after 2 episodes.
RESTART_AGENTS = [name for name in MEMORY_AGENTS if name in ('snan', 'tremaux')]


def session(name, path, grid=GRID, seed=3):
    snn = SNANParams()
    store = MemoryStore(str(path), name, snn)
    return NavigationSession(AgentSpec(name, seed, snn), memory=store)


def drive(s: NavigationSession, start, goal) -> dict:
    """Run one episode through the session, the robot arriving at every target at once."""
    done = s.start(start, goal)
    if done is not None:
        return done
    while True:
        _decided, summary = s.advance(s.target, True)
        if summary is not None:
            return summary


def drive_on(s: NavigationSession) -> list:
    """Finish the running episode (see :func:`drive`); return its cells."""
    while True:
        _decided, summary = s.advance(s.target, True)
        if summary is not None:
            return summary['cells']


def headless(name, path, episodes, seed=3):
    """Cells of ``episodes`` ((start, goal) pairs) for a fresh agent restored from ``path``."""
    spec = AgentSpec(name, seed, SNANParams())
    agent = None
    out = []
    for start, goal in episodes:
        world = GridWorld(GRID, start, goal)
        if agent is None:
            agent = build_agent(spec, GRID, world.goal)
            if path is not None:
                assert MemoryStore(str(path), name, spec.snn).load(
                    agent, GRID.blocked).status == LOADED
        cue(agent, world.goal, True)
        out.append(list(run_episode(agent, world).cells))
    return out


def test_every_agent_with_a_memory_is_covered():
    assert {'tremaux', 'qlearning', 'dynaq'} <= set(MEMORY_AGENTS)


@pytest.mark.parametrize('name', MEMORY_AGENTS)
def test_a_new_session_continues_from_the_saved_memory(tmp_path, name):
    path = tmp_path / 'm.snanmem'
    first = session(name, path)
    first.set_grid(GRID)
    runs = [drive(first, GRID.start, GRID.goal) for _ in range(3)]
    assert all(r['memory'] == 'saved' for r in runs) and first.saves == 3
    snapshot = tmp_path / 'snapshot'
    shutil.copyfile(path, snapshot)
    second = session(name, path)                     # a restarted navigator
    second.set_grid(GRID)
    resumed = drive(second, GRID.start, GRID.goal)
    assert any(text.startswith('loaded memory') for _level, text in second.notices)
    assert resumed['cells'] == headless(name, snapshot, [(GRID.start, GRID.goal)])[0]
    fresh = headless(name, None, [(GRID.start, GRID.goal)])[0]
    if name == 'tremaux':                            # deterministic: the learned route
        assert len(resumed['cells']) < len(fresh) and runs[0]['cells'] == fresh


@pytest.mark.parametrize('name', MEMORY_AGENTS)
def test_a_changed_map_keeps_the_memory_of_unchanged_cells(tmp_path, name):
    path = tmp_path / 'm.snanmem'
    s = session(name, path)
    s.set_grid(GRID)
    for _ in range(2):
        drive(s, GRID.start, GRID.goal)
    learned = s.agent.memory()
    blocked = GRID.blocked.copy()
    cell = next(c for c in zip(*np.nonzero(~blocked)) if (c[1], c[0]) not in (GRID.start,
                                                                              GRID.goal))
    blocked[cell] = True                              # a door closed
    changed = type(GRID)(blocked, GRID.resolution, GRID.origin, GRID.name, GRID.start,
                         GRID.goal)
    again = session(name, path)
    again.set_grid(changed)
    again.start(GRID.start, GRID.goal)               # builds the agent, which loads the file
    assert again.memory_status == 'loaded'
    restored = again.agent.memory()
    fresh = make_agent(name, changed, changed.cell_id(GRID.goal), 3, SNANParams()).memory()
    flat = cell[0] * GRID.width + cell[1]
    if 'map_nbr' in learned:
        # SNAN: the synapses into the changed place lose their partner and go with it.
        into = learned['map_nbr'] == flat
        learned['map_nbr'][into] = -1
        learned['w_map'][into] = 0.0
    if 'neighbours' in learned:
        # Trémaux: links into the closed cell are cut; the stack holds standing cells only.
        learned['neighbours'][learned['neighbours'] == flat] = -1
        assert flat not in restored['stack'] and restored['stack'].size
    if 'model_next' in learned:
        # Dyna-Q: modelled moves into the closed cell are forgotten, and unlisted.
        into = learned['model_next'] == flat
        for key in ('model_next', 'model_reward', 'model_terminal', 'last_tried'):
            learned[key][into] = fresh[key][into]
        tried = restored['model_next'].ravel() >= 0
        assert sorted(restored['observed']) == list(np.flatnonzero(tried))
        # The start is observed again when the episode starts: its open moves are new.
        start = GRID.cell_id(GRID.start)
        learned['open_moves'][start] = restored['open_moves'][start]
    for key, array in learned.items():
        if array.ndim and array.shape[0] == GRID.n_cells:
            keep = np.ones(GRID.n_cells, dtype=bool)
            keep[flat] = False
            assert np.array_equal(restored[key][keep], array[keep]), key
            assert np.array_equal(restored[key][flat], fresh[key][flat]), key


@pytest.mark.parametrize('name', MEMORY_AGENTS)
def test_a_foreign_or_corrupt_file_is_set_aside_and_the_agent_starts_fresh(tmp_path, name):
    path = tmp_path / 'm.snanmem'
    other = resolve_map('builtin:open16')
    s = session(name, path)
    s.set_grid(other)
    drive(s, other.start or (1, 1), other.goal or (14, 14))
    s2 = session(name, path)                          # this map is another size
    s2.set_grid(GRID)
    s2.start(GRID.start, GRID.goal)
    assert s2.memory_status == 'refused' and os.path.exists(str(path) + '.corrupt')
    assert any('refused' in text for _level, text in s2.notices)
    drive_on(s2)                                      # saves a new file for this map
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40                      # one bit flipped
    path.write_bytes(bytes(data))
    s3 = session(name, path)
    s3.set_grid(GRID)
    s3.start(GRID.start, GRID.goal)
    assert s3.memory_status == 'refused' and os.path.exists(str(path) + '.corrupt.1')
    fresh = headless(name, None, [(GRID.start, GRID.goal)])[0]
    assert drive_on(s3) == fresh                      # the fresh agent's first episode


@pytest.mark.parametrize('name', MEMORY_AGENTS)
def test_reset_sets_the_file_aside_and_the_next_agent_is_fresh(tmp_path, name):
    path = tmp_path / 'm.snanmem'
    s = session(name, path)
    assert s.save_memory('test') == (False, 'no agent yet (it is built when the first episode '
                                            'starts)')
    s.set_grid(GRID)
    drive(s, GRID.start, GRID.goal)
    s.start(GRID.start, GRID.goal)                    # an episode is running
    done, text, aborted = s.reset_memory()
    assert done and aborted['outcome'] == 'memory reset' and not s.active
    assert os.path.exists(str(path) + RESET_SUFFIX) and RESET_SUFFIX in text
    s.start(GRID.start, GRID.goal)
    assert s.memory_status == 'fresh (after reset)'
    assert drive_on(s) == headless(name, None, [(GRID.start, GRID.goal)])[0]
    off = NavigationSession(AgentSpec(name, 3, SNANParams()))
    assert off.save_memory('x')[0] is False and off.memory_status == 'off'


@pytest.mark.parametrize('name', MEMORY_AGENTS)
def test_a_new_map_geometry_saves_before_the_agent_is_dropped(tmp_path, name):
    path = tmp_path / 'm.snanmem'
    s = session(name, path)
    s.set_grid(GRID)
    s.start(GRID.start, GRID.goal)
    s.advance(s.target, True)
    decisions = s.decision_count
    aborted, dropped = s.set_grid(resolve_map('builtin:open16'))
    assert dropped and aborted['outcome'] == 'map changed' and aborted['memory'] == 'saved'
    assert decisions > 0 and s.agent is None


def test_bench_memory_loads_before_run_0_and_saves_after_each_episode(tmp_path, capsys):
    from snan_nav.cli import main
    path = tmp_path / 'b.snanmem'
    argv = ['bench', '--map', 'builtin:paper10', '--agents', 'tremaux', '--seeds', '2',
            '--episodes', '3', '--jobs', '1', '--memory', str(path), '--json']
    assert main(argv + [str(tmp_path / 'a.json')]) == 0
    assert 'no memory file' in capsys.readouterr().err
    assert main(argv + [str(tmp_path / 'b.json')]) == 0
    assert 'loaded memory' in capsys.readouterr().err
    a = json.loads((tmp_path / 'a.json').read_text())
    b = json.loads((tmp_path / 'b.json').read_text())
    assert b['memory']['file'] == str(path) and 'loaded' in b['memory']['at_start']
    first = a['results']['tremaux']['first_episode_steps_median']
    assert b['results']['tremaux']['first_episode_steps_median'] < first
    assert main(['bench', '--map', 'builtin:paper10', '--memory', str(path)]) == 2
    assert 'exactly one agent' in capsys.readouterr().err


def _is_fifo(path) -> bool:
    return stat.S_ISFIFO(os.lstat(path).st_mode)


@pytest.mark.parametrize('name', MEMORY_AGENTS[:1])
def test_a_refused_file_left_in_place_is_never_saved_over(tmp_path, name):
    path = tmp_path / 'm.snanmem'
    os.mkfifo(path)                                   # cannot be a memory, cannot be moved
    s = session(name, path)
    s.set_grid(GRID)
    runs = [drive(s, GRID.start, GRID.goal) for _ in range(2)]
    assert _is_fifo(path) and s.saves == 0
    assert all(r['memory'].startswith('not saved: the refused file') for r in runs)
    assert s.memory_status.startswith('refused, not saved: the refused file')
    assert [level for level, text in s.notices if 'memory is not saved' in text] == ['warning']
    assert s.save_memory('~/save_memory')[0] is False and _is_fifo(path)
    assert runs[0]['cells'] == headless(name, None, [(GRID.start, GRID.goal)])[0]
    done, _text, _aborted = s.reset_memory()          # moves the FIFO aside: saves resume
    assert done and _is_fifo(str(path) + RESET_SUFFIX)
    drive(s, GRID.start, GRID.goal)
    assert s.saves == 1 and path.is_file()


def test_sim_memory_rejects_a_path_that_is_not_a_regular_file(tmp_path, capsys):
    from snan_nav.cli import main
    fifo = tmp_path / 'fifo'
    os.mkfifo(fifo)
    for path, why in ((fifo, ': not a regular file'), (tmp_path, ' is a directory, not a file')):
        assert main(['sim', '--memory', str(path), '--no-compare']) == 2
        assert capsys.readouterr().err.strip() == f'snan-nav sim: error: --memory {path}{why}'
    assert _is_fifo(fifo)


def test_bench_memory_rejects_a_path_that_is_not_a_regular_file(tmp_path, capsys):
    from snan_nav.cli import main
    path = tmp_path / 'fifo.snanmem'
    os.mkfifo(path)
    assert main(['bench', '--map', 'builtin:paper10', '--agents', 'tremaux', '--seeds', '1',
                 '--episodes', '1', '--jobs', '1', '--memory', str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f'snan-nav bench: error: --memory {path}: not a regular file\n'
    assert _is_fifo(path)


def test_a_bench_run_never_saves_over_a_refused_file_left_in_place(
        tmp_path, capsys, monkeypatch):
    from snan_nav.cli import main
    fifo = tmp_path / 'fifo.snanmem'                  # the runner alone (no up-front check)
    os.mkfifo(fifo)
    run_job(Job(GRID, 'tremaux', GRID.start, GRID.goal, 4 * GRID.free_count(), 2, 0,
                memory=MemoryStore(str(fifo), 'tremaux')))
    assert _is_fifo(fifo)
    path = tmp_path / 'b.snanmem'                     # a corrupt file that cannot be moved
    path.write_bytes(b'garbage')

    def cannot_move(_path):
        raise OSError(errno.EACCES, 'Permission denied')

    monkeypatch.setattr(memory_file, 'quarantine', cannot_move)
    out = tmp_path / 'b.json'
    assert main(['bench', '--map', 'builtin:paper10', '--agents', 'tremaux', '--seeds', '1',
                 '--episodes', '2', '--jobs', '1', '--memory', str(path), '--json',
                 str(out)]) == 0
    err = capsys.readouterr().err
    assert 'must not be overwritten' in err and 'memory is not saved' in err
    assert path.read_bytes() == b'garbage'
    report = json.loads(out.read_text())
    assert report['memory']['run'].startswith('none')
    assert 'must not be overwritten' in report['memory']['at_start']


# --- over ROS ----------------------------------------------------------------------------------
try:
    import ros_testing
    from ros_testing import ros_fixture  # noqa: F401
except (ImportError, pytest.skip.Exception):   # rclpy is missing: the ROS tests skip
    ros_testing = None
needs_ros = pytest.mark.skipif(ros_testing is None, reason='rclpy is not installed')


@needs_ros
@pytest.mark.ros
@pytest.mark.parametrize('name', MEMORY_AGENTS[:1])
def test_services_save_and_reset_and_deactivate_saves(ros, tmp_path, name):
    from std_srvs.srv import Trigger
    from snan_nav.ros.navigator import SnanNavigator
    path = tmp_path / 'n.snanmem'
    nav = ros.add(SnanNavigator(context=ros.context, parameter_overrides=ros_testing.make_params(
        {'agent': name, 'memory_file': str(path)})))
    client = ros.node('memory_client')
    save = client.create_client(Trigger, '/snan_navigator/save_memory')
    reset = client.create_client(Trigger, '/snan_navigator/reset_memory')
    assert ros.spin_until(lambda: save.service_is_ready() and reset.service_is_ready())

    def call(cli):
        future = cli.call_async(Trigger.Request())
        assert ros.spin_until(future.done)
        return future.result()

    answer = call(save)
    assert not answer.success and 'no agent yet' in answer.message
    nav.session.set_grid(GRID)
    drive(nav.session, GRID.start, GRID.goal)
    answer = call(save)
    assert answer.success and str(path) in answer.message and path.exists()
    answer = call(reset)
    assert answer.success and os.path.exists(str(path) + RESET_SUFFIX) and not path.exists()
    drive(nav.session, GRID.start, GRID.goal)
    nav.trigger_deactivate()
    assert path.exists() and nav.session.saves >= 2


def _navigator(params_file, env, log):
    return subprocess.Popen([sys.executable, '-m', 'snan_nav.ros.navigator', '--ros-args',
                             '--params-file', params_file], env=env, cwd=ros_testing.PACKAGE_ROOT,
                            stdout=log, stderr=subprocess.STDOUT)


@needs_ros
@pytest.mark.ros
@pytest.mark.parametrize('name', RESTART_AGENTS)
def test_a_killed_navigator_restarts_with_its_memory_and_resumes_the_goal(tmp_path, name):
    import yaml
    from std_msgs.msg import String
    from snan_nav.ros.grid_sim import GridSimNode
    from snan_nav.ros.sim_replay import headless_reference
    path = tmp_path / 'nav.snanmem'
    params = tmp_path / 'nav.yaml'
    params.write_text(yaml.safe_dump({'snan_navigator': {'ros__parameters': {
        'agent': name, 'seed': 3, 'memory_file': str(path), 'use_sim_time': True,
        'enable_stamped_cmd_vel': True, 'publish_idle_cmd': True}}}))
    domain = ros_testing.next_domain()
    env = ros_testing.ros_env(domain)
    fixture = ros_testing.RosFixture(domain)
    procs = []
    try:
        sim = fixture.add(GridSimNode(context=fixture.context, parameter_overrides=(
            ros_testing.make_params({'publish_clock': True, 'lockstep': True,
                                     'lockstep_timeout': 0.02, 'enable_stamped_cmd_vel': True,
                                     'stall_timeout': 0.0, 'wait_for_goal_subscriber': False,
                                     'update_rate': 20.0}))))
        episodes = {1: [], 2: []}
        listener = fixture.node('episode_listener')
        life = [1]
        listener.create_subscription(
            String, '/snan_navigator/episode',
            lambda m: episodes[life[0]].append(json.loads(m.data)), ros_testing.HISTORY)
        with open(tmp_path / 'nav1.log', 'w') as log:
            procs.append(_navigator(str(params), env, log))
        assert fixture.spin_until(lambda: len(episodes[1]) >= 2, timeout=240.0), \
            (tmp_path / 'nav1.log').read_text()[-3000:]
        procs[0].send_signal(signal.SIGKILL)             # no shutdown hook runs
        procs[0].wait(timeout=30)
        snapshot = tmp_path / 'snapshot.snanmem'
        shutil.copyfile(path, snapshot)
        started = sim.sim.episodes_started
        assert fixture.spin_until(lambda: sim.sim.episodes_started > started, timeout=60.0)
        life[0] = 2                                      # the goal is latched, nobody listens
        with open(tmp_path / 'nav2.log', 'w') as log:
            procs.append(_navigator(str(params), env, log))
        full = lambda: [e for e in episodes[2] if e['outcome'] != 'already at goal']  # noqa
        assert fixture.spin_until(lambda: full(), timeout=240.0), \
            (tmp_path / 'nav2.log').read_text()[-3000:]
        start, goal, grid = sim.sim.start, sim.sim.goal, sim.plan_grid
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        fixture.close()
    resumed = full()[0]
    assert resumed['start_cell'] == list(start) and resumed['success']
    assert resumed['goal_cell'] == list(goal)
    replay = headless_reference(grid, AgentSpec(name, 3, SNANParams()), None,
                                [resumed], True, str(snapshot))
    assert replay['same_cell_sequence'], (replay, resumed)
    fresh_first = episodes[1][0]
    print(f"{name}: fresh first episode {fresh_first['steps']} decisions, before the kill "
          f"{[e['steps'] for e in episodes[1]]}, first after the restart {resumed['steps']} "
          f"(headless from the file: {replay['steps'][0]})")
    assert resumed['steps'] < fresh_first['steps'], (resumed['steps'], fresh_first['steps'])
    log = (tmp_path / 'nav2.log').read_text()
    assert 'loaded memory' in log, log[-2000:]


@needs_ros
@pytest.mark.ros
def test_sim_memory_continues_across_runs_and_the_replay_starts_from_the_file(
        tmp_path, capsys, monkeypatch):
    from snan_nav.cli import main
    monkeypatch.setenv('ROS_DOMAIN_ID', str(ros_testing.next_domain()))
    path = tmp_path / 'sim.snanmem'
    out = [tmp_path / 'a.json', tmp_path / 'b.json']
    base = ['sim', '--map', 'builtin:paper10', '--agent', 'tremaux', '--memory', str(path)]
    assert main(base + ['--episodes', '2', '--json', str(out[0])]) == 0
    assert main(base + ['--episodes', '1', '--json', str(out[1])]) == 0
    capsys.readouterr()
    a, b = (json.loads(p.read_text()) for p in out)
    assert a['health']['memory_saves'] >= 2 and b['health']['memory_saves'] >= 1
    assert b['headless']['same_cell_sequence'], b['headless']
    assert b['episodes'][0]['steps'] < a['episodes'][0]['steps']


@needs_ros
@pytest.mark.ros
def test_a_latched_goal_waits_for_activation(ros):
    """Under a lifecycle manager the resumed goal arrives while inactive: it is kept."""
    from geometry_msgs.msg import PoseStamped
    from nav_msgs.msg import OccupancyGrid, Odometry
    from snan_nav.ros.conversions import grid_cell_center, make_pose, occupancy_from_grid
    from snan_nav.ros.navigator import SnanNavigator
    node = ros.node('latched_sim')
    node.create_publisher(OccupancyGrid, 'map', ros_testing.LATCHED).publish(
        occupancy_from_grid(GRID, 'map'))
    goal = PoseStamped()
    goal.header.frame_id = 'map'
    goal.header.stamp = node.get_clock().now().to_msg()
    goal.pose = make_pose(*grid_cell_center(GRID, GRID.goal))
    node.create_publisher(PoseStamped, 'goal_pose', ros_testing.LATCHED).publish(goal)
    odom_pub = node.create_publisher(Odometry, 'odom', 10)

    def odom():
        msg = Odometry()
        msg.header.frame_id = 'odom'
        msg.header.stamp = node.get_clock().now().to_msg()
        msg.pose.pose = make_pose(*grid_cell_center(GRID, GRID.start))
        odom_pub.publish(msg)

    node.create_timer(0.05, odom)
    nav = ros.add(SnanNavigator(context=ros.context, parameter_overrides=ros_testing.make_params(
        {'agent': 'tremaux', 'autostart': False})))
    nav.trigger_configure()
    assert nav.lifecycle_state == 'inactive'
    assert ros.spin_until(lambda: nav.goal_request is not None)
    assert nav.session.episode_count == 0
    nav.trigger_activate()
    assert ros.spin_until(lambda: nav.session.active and nav.session.episode_count == 1)
    assert nav.session.goal_cell == GRID.goal


@pytest.mark.ros
def test_memory_that_is_not_kept_raises_the_diagnostics_to_warn(ros, tmp_path):
    # 'refused, not saved' was only a value in /diagnostics, at level OK
    from diagnostic_msgs.msg import DiagnosticStatus
    from snan_nav.ros import watchdog
    from snan_nav.ros.navigator import SnanNavigator
    path = tmp_path / 'fifo.snanmem'
    os.mkfifo(path)
    nav = ros.add(SnanNavigator(context=ros.context, parameter_overrides=ros_testing.make_params(
        {'agent': MEMORY_AGENTS[0], 'memory_file': str(path)})))
    nav.session.set_grid(GRID)
    drive(nav.session, GRID.start, GRID.goal)
    nav.level = watchdog.OK      # as while navigating with fresh inputs: only memory is wrong
    status = nav.diagnostics().status[0]
    memory = {kv.key: kv.value for kv in status.values}['memory']
    assert memory.startswith('refused, not saved') and status.level >= DiagnosticStatus.WARN
    assert _is_fifo(path)
