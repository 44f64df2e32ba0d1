"""Benchmarks: synthetic graphs and the timed pipelines behind `pdkg bench`."""
