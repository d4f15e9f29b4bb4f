"""Question sets, metrics, the evaluation runner, reports and benchmarks."""
