"""Stress commands run on demand (`python -m tests.stress.kill`); the test suite runs short versions."""
