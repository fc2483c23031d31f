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
"""Run rclpy nodes until SIGINT/SIGTERM, with one clear line and exit code 2 on bad start-up.

rclpy's own signal handlers are replaced by flags, so a signal lets the nodes publish a last
zero command (and save the navigator's memory) and shut down in order instead of raising
inside a callback. A lifecycle node that reaches ``finalized`` (``ros2 lifecycle set <node>
shutdown``) ends its process too, so that a launch file sees the exit. Sections of the
``--params-file`` files that were evidently meant for the node but miss it (a misspelled
node name) are reported as configuration warnings.

Two diagnostics for a process that does not stop: ``kill -USR1 <pid>`` prints every thread's
Python stack to stderr (:mod:`faulthandler`, at C level, so it works while a thread is blocked
inside rcl or the middleware), and a shutdown that takes longer than ``SHUTDOWN_GRACE_S``
after the stop request prints the stacks and exits with code 1 instead of hanging until the
caller escalates to SIGKILL.
"""
import faulthandler
import io
import signal
import sys
import threading
from typing import Callable, List, Optional, Sequence

import rclpy
from rclpy.executors import ExternalShutdownException
from rclpy.signals import SignalHandlerOptions

from snan_nav.ros.executors import make_executor
from snan_nav.ros.ros_params import StartupError

EXIT_OK = 0
SHUTDOWN_GRACE_S = 15.0
EXIT_STARTUP = 2


class StopFlag:
    """Set by SIGINT/SIGTERM (see :func:`install_stop_handlers`)."""

    def __init__(self):
        self.event = threading.Event()
        self.signal: Optional[int] = None

    def __call__(self, signum, _frame) -> None:
        """Signal handler: remember the signal and request a stop."""
        self.signal = signum
        self.event.set()

    def is_set(self) -> bool:
        """Return True once a stop was requested."""
        return self.event.is_set()


def install_stop_handlers() -> StopFlag:
    """Route SIGINT and SIGTERM to a :class:`StopFlag` (main thread only)."""
    flag = StopFlag()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, flag)
        signal.signal(signal.SIGTERM, flag)
    return flag


def spin_until_stopped(executor, flag: StopFlag, done: Optional[Callable[[], bool]] = None,
                       period: float = 0.1) -> None:
    """Spin ``executor`` until ``flag`` is set, rclpy shuts down or ``done()`` is True."""
    try:
        while not flag.is_set() and executor.context.ok():
            executor.spin_once(timeout_sec=period)
            if done is not None and done():
                break
    except (KeyboardInterrupt, ExternalShutdownException):
        pass


def close_nodes(nodes: Sequence, executor=None) -> None:
    """Finalize lifecycle nodes (a last zero command), then destroy nodes and the executor."""
    for node in nodes:
        hook = getattr(node, 'finalize', None)
        if hook is not None:
            try:
                hook()
            except Exception:  # noqa: BLE001 -- best effort at shutdown
                pass
    if executor is not None:
        executor.shutdown(timeout_sec=1.0)
    for node in nodes:
        try:
            node.destroy_node()
        except Exception:  # noqa: BLE001
            pass


#: What faulthandler raises when stderr has no file descriptor (captured, closed).
_NO_STDERR = (io.UnsupportedOperation, AttributeError, ValueError, RuntimeError)


def install_stack_dump(signum: int = signal.SIGUSR1) -> bool:
    """Make ``signum`` print all threads' stacks to stderr; False if stderr has no descriptor."""
    try:
        faulthandler.register(signum, file=sys.stderr, all_threads=True, chain=False)
    except _NO_STDERR:
        return False
    return True


def arm_shutdown_deadline(seconds: float = SHUTDOWN_GRACE_S) -> bool:
    """Print all stacks and ``_exit(1)`` unless the process has ended ``seconds`` from now.

    A clean shutdown publishes a last zero command and saves memory within milliseconds; a
    stall there (a middleware call that never returns) would otherwise keep the process
    alive until SIGKILL, without a word on where it stopped. Meant for the end of a process:
    nothing cancels it but the exit.
    """
    try:
        faulthandler.dump_traceback_later(seconds, exit=True, file=sys.stderr)
    except _NO_STDERR:
        return False
    return True


def _finalized(node) -> bool:
    return getattr(node, 'lifecycle_state', None) == 'finalized'


def param_file_warnings(args: Sequence[str], node) -> List[str]:
    """Return warnings for ``--params-file`` sections that miss ``node`` (misspelled names)."""
    from snan_nav.ros.param_check import stray_sections
    from snan_nav.ros.param_file import ParamFileError, read_document, ros_param_files
    out: List[str] = []
    for path in ros_param_files(args):
        try:
            doc = read_document(path)
        except ParamFileError as exc:   # rcl read it; say so rather than fail
            out.append(f'cannot check {path}: {exc}')
            continue
        out += stray_sections(doc, node.get_name(), node.get_namespace())
    return out


def usage(name: str, summary: str) -> str:
    """Return the ``--help`` text of console script ``name`` (``summary``: one line)."""
    return (f'usage: {name} [--ros-args [-p NAME:=VALUE ...] [--params-file FILE] '
            f'[-r __ns:=/NAMESPACE] ...]\n\n{summary}\n\n'
            'Parameters (type, default, range, live or read-only), topics and QoS: docs/ros.md.\n'
            '`python -m snan_nav.ros.yaml_gen --all` prints a parameter file with every '
            'parameter.\n'
            f'Example: {name} --ros-args --params-file config/snan_nav.yaml '
            '-p use_sim_time:=true\n')


def wants_help(args: Sequence[str]) -> bool:
    """Return True when ``-h``/``--help`` comes before ``--ros-args`` (the node's own args)."""
    own = list(args[1:])
    if '--ros-args' in own:
        own = own[:own.index('--ros-args')]
    return '-h' in own or '--help' in own


def run_node(factory: Callable[[], object], name: str,
             args: Optional[List[str]] = None, summary: str = '') -> int:
    """Run one node as a console script: init, build, spin, shut down; return the exit code.

    ``-h``/``--help`` before ``--ros-args`` prints :func:`usage` and starts nothing. The
    shutdown deadline stays armed when this returns: the process is meant to end here, and
    interpreter exit (thread joins, atexit) is part of the shutdown it guards.
    """
    if args is None:
        args = sys.argv
    if wants_help(args):
        print(usage(name, summary or f'The {name} node of snan_nav.'))
        return EXIT_OK
    rclpy.init(args=args, signal_handler_options=SignalHandlerOptions.NO)
    flag = install_stop_handlers()
    install_stack_dump()
    try:
        try:
            node = factory()
        except StartupError as exc:
            rclpy.logging.get_logger(name).fatal(f'refusing to start: {exc}')
            print(f'{name}: error: {exc}', file=sys.stderr)
            return EXIT_STARTUP
        report = getattr(node, 'add_config_warnings', None)
        if report is not None:
            report(param_file_warnings(args, node))
        executor = make_executor()
        executor.add_node(node)
        spin_until_stopped(executor, flag, done=lambda: _finalized(node))
        arm_shutdown_deadline()
        close_nodes([node], executor)
        return EXIT_OK
    finally:
        rclpy.try_shutdown()
