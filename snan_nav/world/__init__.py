"""Occupancy maps, built-in layouts, episodes and the partial observation."""
