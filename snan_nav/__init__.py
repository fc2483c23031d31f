"""snan_nav: navigation with a spiking neuron-astrocyte network (SNAN).

Layers (each importable without the ones above it):
``core`` (numba network, no ROS) -> ``crossbar`` (VTEAM emulation) -> ``world`` (maps, episodes)
-> ``agents`` (SNAN and baselines behind one interface) -> ``bench`` / ``cli`` -> ``ros`` (nodes).
"""

__version__ = '0.1.0'
