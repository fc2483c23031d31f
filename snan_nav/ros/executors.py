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
"""The executor that spins snan_nav's nodes: rclpy's EventsExecutor when available.

rclpy's ``SingleThreadedExecutor`` rebuilds its wait set from every timer, subscription and
service of every node on each spin, in Python; with the lifecycle and parameter services of
two nodes that cost more CPU per control tick than the nodes' own callbacks. The
``EventsExecutor`` (``rclpy.experimental``, rclpy >= 9 / Kilted) queues ready entities from
the middleware in C++ instead (about half the CPU per tick here, measured with
``snan-nav perf --node``). Set ``SNAN_NAV_EXECUTOR=single`` to use the classic executor;
rclpy releases without the EventsExecutor (Jazzy) always do.
"""
import io
import os
import sys

ENV_VAR = 'SNAN_NAV_EXECUTOR'
EVENTS, SINGLE = 'events', 'single'


def executor_kind() -> str:
    """Return ``'events'`` or ``'single'``: the environment's choice, if rclpy allows it.

    Raises ``ValueError`` for an unknown ``SNAN_NAV_EXECUTOR`` value.
    """
    wanted = os.environ.get(ENV_VAR, EVENTS).strip().lower() or EVENTS
    if wanted not in (EVENTS, SINGLE):
        raise ValueError(f'{ENV_VAR}={wanted!r}: must be {EVENTS!r} or {SINGLE!r}')
    if wanted == EVENTS:
        try:
            from rclpy.experimental import EventsExecutor  # noqa: F401
        except ImportError:
            return SINGLE
    return wanted


def make_executor(context=None):
    """Return a new executor of :func:`executor_kind` for ``context`` (None: the default)."""
    if executor_kind() == EVENTS:
        from rclpy.experimental import EventsExecutor
        try:
            return EventsExecutor(context=context)
        except io.UnsupportedOperation:
            # It enables faulthandler on sys.stderr, which needs a file descriptor: use the
            # process's own stderr when sys.stderr is captured (pytest's capsys, notebooks).
            if sys.__stderr__ is not None:
                saved, sys.stderr = sys.stderr, sys.__stderr__
                try:
                    return EventsExecutor(context=context)
                finally:
                    sys.stderr = saved
    from rclpy.executors import SingleThreadedExecutor
    return SingleThreadedExecutor(context=context)
