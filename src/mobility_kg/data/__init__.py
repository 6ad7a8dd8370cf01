"""Mobility Metrics data: import from upstream CSVs, the shipped dataset, the cube and its uses."""
