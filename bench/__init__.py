"""Benchmarks: counts (HTTP requests, page loads) and wall time of one run on one machine; never a pass/fail test."""
