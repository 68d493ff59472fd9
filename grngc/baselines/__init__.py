"""Baseline GRN methods run on the same data, for comparison."""
