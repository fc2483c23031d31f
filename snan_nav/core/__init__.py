"""The spiking neuron-astrocyte network (SNAN): numba kernels and plain data, no ROS, no I/O.

Public entry points: :class:`~snan_nav.core.params.SNANParams` (validated parameters),
:func:`~snan_nav.core.state.init_state` (a fresh network), and the step functions in
:mod:`~snan_nav.core.network` (``decide``, ``deliver_reward``, ``advance_clock``).
"""
from snan_nav.core.params import PARAM_SPECS, ParamSpec, SNANParams  # noqa: F401
