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
"""Managed (lifecycle) nodes as in Nav2, with an ``autostart`` for plain ``ros2 run``.

:class:`ManagedNode` is an ``rclpy.lifecycle.LifecycleNode`` whose subclasses implement
``configure()``, ``activate()``, ``deactivate()`` and ``cleanup()`` and raise
:class:`~snan_nav.ros.ros_params.StartupError` to refuse a transition; the reason is logged,
kept in :attr:`ManagedNode.transition_error` and the transition fails (the node stays where
it was). The ``~/change_state`` and ``~/get_state`` services drive the node (``ros2 lifecycle
set``, nav2_lifecycle_manager); :meth:`ManagedNode.autostart` configures and activates it at
once and raises the refusal as a ``StartupError``. ``shutdown`` from any state runs
``deactivate()`` when active, then ``cleanup()`` when configured.
"""
from rclpy.lifecycle import LifecycleNode, LifecycleState, TransitionCallbackReturn

from snan_nav.ros.ros_params import StartupError

UNCONFIGURED, INACTIVE, ACTIVE, FINALIZED = 'unconfigured', 'inactive', 'active', 'finalized'

SUCCESS = TransitionCallbackReturn.SUCCESS
FAILURE = TransitionCallbackReturn.FAILURE
ERROR = TransitionCallbackReturn.ERROR


class ManagedNode(LifecycleNode):
    """A lifecycle node with reasoned transitions (see the module docstring)."""

    def __init__(self, node_name: str, **kwargs):
        super().__init__(node_name, **kwargs)
        self.transition_error = ''

    # --- to implement ----------------------------------------------------------------------
    def configure(self) -> None:
        """Create publishers, subscriptions and state (raise StartupError to refuse)."""

    def activate(self) -> None:
        """Start doing the node's work (timers); publishers are enabled before this runs."""

    def deactivate(self) -> None:
        """Stop the node's work; lifecycle publishers are disabled after this returns."""

    def cleanup(self) -> None:
        """Destroy what :meth:`configure` created (back to unconfigured)."""

    # --- state -----------------------------------------------------------------------------
    @property
    def lifecycle_state(self) -> str:
        """Return the current state label: unconfigured, inactive, active or finalized."""
        return self._state_machine.current_state[1]

    @property
    def is_active(self) -> bool:
        """Return True in the active state."""
        return self.lifecycle_state == ACTIVE

    def autostart(self) -> None:
        """Configure and activate now; raise StartupError with the reason when refused."""
        for name, trigger in (('configure', self.trigger_configure),
                              ('activate', self.trigger_activate)):
            if trigger() != SUCCESS:
                raise StartupError(self.transition_error or f'{name} failed')

    def destroy_node(self) -> None:
        """Destroy the node, including the lifecycle state machine rclpy leaves behind.

        rclpy's ``LifecycleNode`` never destroys its state machine, which holds the rcl node:
        the node is finalised only when the garbage collector gets to it. Until then its name
        stays registered with /rosout, and when the collector does run it unregisters the
        name, so a newer node of the same name in the process (a restarted navigator, the
        next test) silently stops logging to /rosout.
        """
        super().destroy_node()
        machine = getattr(self, '_state_machine', None)
        if machine is not None:
            machine.destroy_when_not_in_use()

    def finalize(self) -> None:
        """Run the shutdown transition unless finalized (process exit: a last zero command)."""
        if self.lifecycle_state != FINALIZED and self.context.ok():
            self.trigger_shutdown()

    # --- rclpy callbacks -------------------------------------------------------------------
    def _run(self, name: str, step) -> TransitionCallbackReturn:
        try:
            step()
        except StartupError as exc:
            self.transition_error = str(exc)
            self.get_logger().error(f'{name} refused: {exc}')
            return FAILURE
        except Exception as exc:  # noqa: BLE001 -- report it, rclpy would swallow it
            self.transition_error = f'{type(exc).__name__}: {exc}'
            self.get_logger().error(f'{name} failed: {self.transition_error}')
            return ERROR
        return SUCCESS

    def on_configure(self, state: LifecycleState) -> TransitionCallbackReturn:
        """Lifecycle ``configure``: :meth:`configure`, undone when it fails."""
        self.transition_error = ''
        ret = self._run('configure', self.configure)
        if ret == FAILURE:
            self._run('cleanup', self.cleanup)
        return ret

    def on_activate(self, state: LifecycleState) -> TransitionCallbackReturn:
        """Lifecycle ``activate``: enable lifecycle publishers, then :meth:`activate`."""
        self.transition_error = ''
        super().on_activate(state)
        ret = self._run('activate', self.activate)
        if ret != SUCCESS:
            super().on_deactivate(state)
        return ret

    def on_deactivate(self, state: LifecycleState) -> TransitionCallbackReturn:
        """Lifecycle ``deactivate``: :meth:`deactivate`, then disable lifecycle publishers."""
        ret = self._run('deactivate', self.deactivate)
        super().on_deactivate(state)
        return ret

    def on_cleanup(self, state: LifecycleState) -> TransitionCallbackReturn:
        """Lifecycle ``cleanup``: :meth:`cleanup`."""
        return self._run('cleanup', self.cleanup)

    def on_shutdown(self, state: LifecycleState) -> TransitionCallbackReturn:
        """Lifecycle ``shutdown`` from ``state``: deactivate if active, clean up if configured."""
        ret = SUCCESS
        if state.label == ACTIVE:
            ret = self.on_deactivate(state)
        if state.label in (ACTIVE, INACTIVE):
            cleaned = self._run('cleanup', self.cleanup)
            ret = ret if ret != SUCCESS else cleaned
        return ret

    def on_error(self, state: LifecycleState) -> TransitionCallbackReturn:
        """Lifecycle error processing: stop and clean up, then go back to unconfigured."""
        if state.label == ACTIVE:
            self._run('deactivate', self.deactivate)
            super().on_deactivate(state)
        self._run('cleanup', self.cleanup)
        return SUCCESS
