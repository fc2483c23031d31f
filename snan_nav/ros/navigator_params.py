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
"""Parameters of ``snan_navigator``: declarations and validation (no rclpy import).

The node declares :data:`ALL_PARAMS`: :data:`NAV_PARAMS`, the network's ``snn.*`` (from
:data:`snan_nav.core.params.PARAM_SPECS`, never hard-coded here), the crossbar's
``crossbar.*`` and the learning baselines' ``qlearning.*`` / ``dynaq.*`` (from
:data:`snan_nav.agents.baseline_params.BASELINE_PARAM_SPECS`). This is the one declaration
of every parameter: the nodes, ``snan-nav sim`` and ``snan-nav bench`` check files against it.
:func:`validate` checks a full set of values, at start-up and for every run-time change;
:func:`agent_record` gives the parameter record the agent is built with. Importable without
ROS, so tools can list every parameter.
"""
import math
from typing import Dict, Optional

from snan_nav.agents.baseline_params import BASELINE_PARAM_SPECS
from snan_nav.agents.registry import AGENT_NAMES, params_class, SNAN_NAMES
from snan_nav.core.params import SNANParams
from snan_nav.ros import crossbar_params, ros_params
from snan_nav.ros.ros_params import NodeParam

NODE_NAME = 'snan_navigator'

#: Planning-grid parameters shared with grid_sim (both must build the same planning cells).
PLANNING_PARAMS = (
    NodeParam('cell_size', 0.0, 'side of a planning cell; the map is coarsened to these cells '
              '(0: automatic, about the robot diameter, never below the map resolution)', 'm',
              0.0, 100.0, read_only=True),
    NodeParam('robot_radius', 0.2, 'obstacles and unknown space are inflated by this before '
              'a planning cell is called free', 'm', 0.0, 10.0, read_only=True),
)


def planning_flag_error(cell_size: Optional[float],
                        robot_radius: Optional[float]) -> Optional[str]:
    """Return why a ``--cell-size`` / ``--robot-radius`` flag lies outside the nodes' range.

    None when both are valid or not given (None): the commands that build a planning grid
    take the values the nodes would take.
    """
    for param, value in zip(PLANNING_PARAMS, (cell_size, robot_radius)):
        error = flag_range_error(f'--{param.name.replace("_", "-")}', value, param)
        if error:
            return error
    return None


def seed_flag_error(flag: str, seed: Optional[int]) -> Optional[str]:
    """Return why a seed flag lies outside the nodes' ``seed`` range (None: inside or not given).

    Every command takes the seeds the nodes take (``snan-nav sim`` hands its seed to them);
    numpy refuses negative ones.
    """
    return flag_range_error(flag, seed, _BY_NAME['seed'])


def budget_flag_error(budget: Optional[int]) -> Optional[str]:
    """Return why ``--budget`` lies outside the range of ``episode_budget`` (None when inside).

    The lower bound is 1: the parameter's 0 (the default budget) is the flag left out.
    """
    return flag_range_error('--budget', budget, _BY_NAME['episode_budget'], lo=1)


def flag_range_error(flag: str, value, param: NodeParam, lo=None) -> Optional[str]:
    """Return why ``flag``'s ``value`` lies outside ``param``'s range (None: inside or not given).

    ``lo`` replaces the parameter's lower bound. NaN lies outside every range.
    """
    lo = param.lo if lo is None else lo
    if value is None or lo <= value <= param.hi:
        return None
    unit = f' {param.unit}' if param.unit else ''
    return f'{flag} must lie in [{_bound(lo)}, {_bound(param.hi)}]{unit}, got {value}'


def _bound(value) -> str:
    """Format a range bound: integers in full, floats in the shortest form (0, 0.5, 100)."""
    return f'{value:g}' if isinstance(value, float) else str(value)


#: Memory persistence, input limits and watchdogs (docs/reliability.md).
RELIABILITY_PARAMS = (
    NodeParam('memory_file', '', "file of the agent's long-term memory: loaded when the agent "
              'is built, saved atomically after every episode, on deactivate and on shutdown '
              "('': no persistence)", read_only=True),
    NodeParam('max_map_cells', 16_777_216, 'maps with more cells than this are rejected (the '
              'map stays as it was)', 'cells', 1, ros_params.INT32_MAX, read_only=True),
    NodeParam('clock_timeout', 2.0, 'with use_sim_time, wall time without /clock after which '
              'the robot is stopped and the missing clock reported (0: no check)', 's',
              0.0, 3600.0),
    NodeParam('max_stamp_skew', 0.5, 'pose stamps further ahead of the node clock than this '
              'are rejected (stamps older than pose_timeout are rejected too)', 's',
              0.0, 3600.0),
)

AUTOSTART = NodeParam('autostart', True, 'configure and activate the lifecycle node at '
                      'start-up (false: wait for a lifecycle manager)', read_only=True)

NAV_PARAMS = (
    AUTOSTART,
    NodeParam('map_frame', 'map', 'global frame of the map, goals and markers (REP-105)',
              read_only=True),
    NodeParam('odom_frame', 'odom', 'odometry frame (REP-105)', read_only=True),
    NodeParam('base_frame', 'base_link', 'robot base frame; frame_id of TwistStamped commands',
              read_only=True),
    NodeParam('use_tf_pose', False,
              'take the pose from tf map_frame->base_frame (needs tf2_ros) instead of odom',
              read_only=True),
    NodeParam('control_frequency', 20.0, 'decision and control loop rate (node clock)', 'Hz',
              0.5, 1000.0),
    NodeParam('pose_timeout', 0.5, 'pose older than this stops the robot', 's', 0.001, 3600.0),
    NodeParam('max_linear_vel', 0.5, 'forward speed limit', 'm/s', 0.0, 10.0),
    NodeParam('max_angular_vel', 2.0, 'turn rate limit', 'rad/s', 0.0, 20.0),
    NodeParam('linear_gain', 2.0, 'proportional gain on the distance to the cell centre', '1/s',
              0.01, 100.0),
    NodeParam('angular_gain', 4.0, 'proportional gain on the heading error', '1/s',
              0.01, 100.0),
    NodeParam('xy_goal_tolerance', 0.05,
              'distance to a cell centre counted as arrived (capped at 0.45 cell)', 'm',
              0.001, 10.0),
    NodeParam('heading_tolerance', 0.3, 'heading error above which the robot turns in place',
              'rad', 0.01, math.pi),
    NodeParam('enable_stamped_cmd_vel', False,
              'publish geometry_msgs/TwistStamped instead of Twist on cmd_vel', read_only=True),
    NodeParam('publish_idle_cmd', True,
              'publish zero velocity every control period while idle or holding (false: one '
              'zero command when stopping, then silence)'),
    NodeParam('seed', 0, 'agent random seed (same seed and map: same cell sequence as the '
              'headless runner)', '', 0, ros_params.INT32_MAX, read_only=True),
    NodeParam('agent', 'snan', 'agent variant', '', read_only=True, choices=AGENT_NAMES),
    NodeParam('goal_cue', True, 'tell the agent the goal cell at each episode start '
              '(cue_goal); false: the goal is recognised only on arrival; applies from the '
              'next episode'),
    NodeParam('use_crossbar', False,
              'run the plastic synapses on the emulated VTEAM crossbar (SNAN agents only)',
              read_only=True),
    NodeParam('episode_budget', 0, 'decisions per episode before giving up (0: 4 x free cells, '
              'as headless); applies from the next episode', 'steps', 0, ros_params.INT32_MAX),
    NodeParam('occupied_threshold', 50, 'OccupancyGrid value from which a cell is blocked '
              '(unknown -1 is always blocked)', '', 1, 100, read_only=True),
) + PLANNING_PARAMS + (
    NodeParam('diagnostics_period', 1.0, 'period of /diagnostics and the calcium layer', 's',
              0.05, 60.0, read_only=True),
    NodeParam('recent_visits', 50, 'cells shown as recent visits in ~/markers', 'cells',
              0, 100000),
    NodeParam('plan_length', 100, 'planning cells of the intended route published on ~/plan '
              '(agents that can tell it; 0: no ~/plan)', 'cells', 0, 100000),
) + RELIABILITY_PARAMS
SNN_PARAMS = ros_params.snn_params()
CROSSBAR_PARAMS = crossbar_params.crossbar_params()
#: ``qlearning.*`` and ``dynaq.*``: used when ``agent`` is that baseline (read-only).
BASELINE_PARAMS = tuple(p for agent, specs in BASELINE_PARAM_SPECS.items()
                        for p in ros_params.spec_params(agent + '.', specs, read_only=True))
ALL_PARAMS = NAV_PARAMS + SNN_PARAMS + CROSSBAR_PARAMS + BASELINE_PARAMS
_BY_NAME = ros_params.by_name(ALL_PARAMS)


def snn_values(values: Dict[str, object]) -> Dict[str, object]:
    """Return the ``snn.*`` entries of a parameter dict without the prefix."""
    n = len(ros_params.SNN_PREFIX)
    return {k[n:]: v for k, v in values.items() if k.startswith(ros_params.SNN_PREFIX)}


def crossbar_config(values: Dict[str, object]):
    """Return the ``CrossbarConfig`` built from the ``crossbar.*`` parameter values."""
    from snan_nav.crossbar.config import CrossbarConfig
    return CrossbarConfig.from_mapping(crossbar_params.crossbar_values(values))


def block_values(values: Dict[str, object], prefix: str) -> Dict[str, object]:
    """Return the ``<prefix>.*`` entries of a parameter dict without the prefix."""
    n = len(prefix) + 1
    return {k[n:]: v for k, v in values.items() if k.startswith(prefix + '.')}


def agent_record(values: Dict[str, object], agent: Optional[str] = None):
    """Return the parameter record agent ``agent`` (default: ``values['agent']``) is built with.

    ``SNANParams`` for the SNAN variants, the baseline's record for ``qlearning``/``dynaq``
    (from its block; defaults for the fields not given), None for the others. Raises
    ``ValueError`` or ``TypeError`` for invalid values.
    """
    agent = agent or values.get('agent', 'snan')
    if agent in SNAN_NAMES:
        return SNANParams.from_mapping(snn_values(values))
    cls = params_class(agent)
    return None if cls is None else cls.from_mapping(block_values(values, agent))


def _snn_reason(text: str) -> str:
    """Return a network error as a parameter reason: ``snn.NAME ...`` or ``snn: ...``.

    A message about one constant starts with its name, which becomes the parameter's name; a
    relation between constants (``1 + 2 x wave_delay_ticks ...``) is prefixed as a whole.
    """
    if text.startswith('snn.'):
        return text
    first = text.split(' ', 1)[0]
    return f'snn.{text}' if first in SNANParams.__dataclass_fields__ else f'snn: {text}'


def validate(values: Dict[str, object]) -> Optional[str]:
    """Return why a full set of navigator parameter values is inconsistent (None if fine)."""
    for name, value in values.items():
        p = _BY_NAME.get(name)
        if p is not None:
            reason = ros_params.check(p, value)
            if reason:
                return reason
    if values.get('use_crossbar') and values.get('agent') not in SNAN_NAMES:
        return (f"use_crossbar needs a SNAN agent ({', '.join(SNAN_NAMES)}), "
                f"not {values.get('agent')!r}")
    try:
        SNANParams.from_mapping(snn_values(values))
    except (TypeError, ValueError) as exc:
        return _snn_reason(str(exc))
    try:
        crossbar_config(values)
    except (TypeError, ValueError) as exc:
        return f'crossbar: {exc}'
    for agent in BASELINE_PARAM_SPECS:
        try:
            agent_record(values, agent)
        except (TypeError, ValueError) as exc:
            return f'{agent}: {exc}'
    return None
