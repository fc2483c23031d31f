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
"""Launch actions shared by the package's launch files: exit handling and RViz.

The launch files stop the whole launch when any of their nodes exits, and start RViz the same
way; this is the one place for both. ``launch`` and ``launch_ros`` are imported when a
function runs, not with this module, so that :mod:`snan_nav.ros.launch_checks` and the tests
that check the launch files without launch_ros keep working.
"""


def shutdown_on_exit(node, launch_file: str):
    """Return the handler that shuts the launch down when ``node``'s process exits."""
    from launch.actions import LogInfo, RegisterEventHandler, Shutdown
    from launch.event_handlers import OnProcessExit

    def on_exit(event, _context):
        reason = f'{event.process_name} exited with code {event.returncode}'
        return [LogInfo(msg=f'{launch_file}: {reason}: shutting down'), Shutdown(reason=reason)]
    return RegisterEventHandler(OnProcessExit(target_action=node, on_exit=on_exit))


def rviz_node(rviz_config: str, namespace: str, use_sim_time: bool):
    """Return the RViz node with ``rviz_config`` in ``namespace``."""
    from launch_ros.actions import Node
    return Node(package='rviz2', executable='rviz2', name='rviz2', namespace=namespace,
                arguments=['-d', rviz_config], parameters=[{'use_sim_time': use_sim_time}],
                output='screen')


def checked_actions(launch_file: str, make_nodes, cfg):
    """Return notes, exit handlers, then the nodes that ``make_nodes(cfg)`` builds.

    ``make_nodes`` checks the arguments and returns ``(nodes, warnings)`` or raises
    ``LaunchCheckError``, which is raised again naming ``launch_file``; then nothing starts.
    """
    from launch.actions import LogInfo
    from snan_nav.ros.launch_checks import LaunchCheckError
    try:
        nodes, warnings = make_nodes(cfg)
    except LaunchCheckError as exc:
        raise LaunchCheckError(f'{launch_file}: {exc}') from None
    notes = [LogInfo(msg=f'{launch_file}: {text}') for text in warnings]
    return notes + [shutdown_on_exit(node, launch_file) for node in nodes] + nodes
