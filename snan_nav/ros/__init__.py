"""ROS 2 layer: thin rclpy nodes (navigator, grid-world sim), conversions and a launcher.

Only the node modules import rclpy and the message packages; everything below ``snan_nav.ros``
(core, crossbar, world, agents) imports and tests without ROS.
"""
