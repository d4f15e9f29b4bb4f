"""Review of a styringsrapport: figures with page references, checks, and a draft preparation note."""
