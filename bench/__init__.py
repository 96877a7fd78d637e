"""Benchmarks (`make bench`): speed and size goals are measured here, never asserted in tests."""
