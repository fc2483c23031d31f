"""Agents behind one interface: SNAN, its ablations and the baselines."""
